"""Haven's only settings file. Everything that varies between machines comes from the environment.

Modes (``HAVEN_MODE``):
- ``demo`` (default): embedded SQLite under var/, debug pages, mail written to var/mail, an
  insecure but clearly named secret key. What the README's run command uses.
- ``production``: a real ``SECRET_KEY`` and ``ALLOWED_HOSTS`` are required; secure cookies.
- ``test``: set by the test suite.

Every variable is listed in ``.env.example``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("HAVEN_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file))

MODE = env.str("HAVEN_MODE", default="test" if "pytest" in sys.modules else "demo")
if MODE not in {"demo", "production", "test"}:
    raise ImproperlyConfigured(f"HAVEN_MODE must be demo, production or test, not {MODE!r}.")
PRODUCTION = MODE == "production"

DEBUG = env.bool("HAVEN_DEBUG", default=MODE == "demo")

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or shorter than 32 characters; in production mode set it in the "
            "environment, for example with: "
            "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS is missing; in production mode set it to the host names Haven is served on."
        )
else:
    SECRET_KEY = env.str("SECRET_KEY", default="haven-demo-insecure-key-do-not-use-in-production-000000")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_htmx",
    "haven.common",
    "haven.policies",
    "haven.accounts",
    "haven.audit",
    "haven.register",
    "haven.cases",
    "haven.intake",
    "haven.interventions",
    "haven.reviews",
    "haven.insights",
    "haven.letters",
    "haven.api",
    "haven.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default (ARCHITECTURE.md 5): every page needs a signed-in user unless it opts out.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "haven.common.site.SiteUrlMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "haven" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ---- database ------------------------------------------------------------------------------
# DATABASE_URL chooses the database for every command: sqlite:///path or postgres://user:pw@host:port/db
_default_db = f"sqlite:///{VAR_DIR / 'haven.sqlite3'}"
try:
    DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_db)}
except Exception as exc:  # django-environ raises several types for a malformed URL
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database address Haven understands ({exc}); use "
        "sqlite:////absolute/path.sqlite3 or postgres://user:password@host:port/name."
    ) from None
_engine = DATABASES["default"].get("ENGINE", "")
if _engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    raise ImproperlyConfigured(
        f"DATABASE_URL must point at SQLite or PostgreSQL, not {_engine or 'an unknown engine'}; "
        "use sqlite:///… or postgres://…"
    )
if _engine == "django.db.backends.sqlite3":
    # A web process and a task worker share the file: WAL, a busy timeout and IMMEDIATE
    # transactions stop "database is locked" errors (STACK.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": env.str("HAVEN_TEST_SQLITE", default="") or None}
else:
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=3600)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Welsh for the public form of landlords in Wales (WWH 2.0). The language is chosen on the public
# pages themselves (?lang=cy, kept in the session); there is no LocaleMiddleware, so staff pages and
# the API stay in English whatever the browser asks for.
LOCALE_PATHS = [BASE_DIR / "haven" / "locale"]

# The cache holds the public form's per-address counts (hashed) and one-time form tokens. The
# default is per process; with several web processes set CACHE_URL to a shared cache
# (redis://host:6379/0, or dbcache://haven_cache after `haven createcachetable`).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "haven" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# ---- policy profiles -----------------------------------------------------------------------
# Bundled profiles live in policies/; a landlord's own files can be added from other folders.
# Register imports: uploaded files wait here (random names, outside the web root) until applied.
HAVEN_IMPORT_DIR = Path(env.str("HAVEN_IMPORT_DIR", default=str(VAR_DIR / "imports")))
HAVEN_IMPORT_MAX_MB = env.int("HAVEN_IMPORT_MAX_MB", default=100)
# Evidence files sent with reports: outside the web root, never served without a permission check.
HAVEN_EVIDENCE_DIR = Path(env.str("HAVEN_EVIDENCE_DIR", default=str(VAR_DIR / "evidence")))
# Court evidence bundles (issue 8): built PDFs, random names, outside the web root.
HAVEN_BUNDLE_DIR = Path(env.str("HAVEN_BUNDLE_DIR", default=str(VAR_DIR / "bundles")))
HAVEN_EVIDENCE_MAX_MB = env.int("HAVEN_EVIDENCE_MAX_MB", default=20)  # each file
HAVEN_EVIDENCE_MAX_FILES = env.int("HAVEN_EVIDENCE_MAX_FILES", default=10)  # each report
# The public form: reports accepted from one address in an hour before it asks them to phone.
HAVEN_PUBLIC_REPORTS_PER_HOUR = env.int("HAVEN_PUBLIC_REPORTS_PER_HOUR", default=10)

# Insight (issue 9, ADR 0012): landlords with at least this many cases read the dashboard's volumes and
# closures from month summaries the worker keeps, used while younger than the minutes given.
HAVEN_INSIGHT_SUMMARY_FROM = env.int("HAVEN_INSIGHT_SUMMARY_FROM", default=20_000)
HAVEN_INSIGHT_SUMMARY_MINUTES = env.int("HAVEN_INSIGHT_SUMMARY_MINUTES", default=10)
HAVEN_POLICY_DIRS = [BASE_DIR / "policies", *[Path(p) for p in env.list("HAVEN_POLICY_DIRS", default=[])]]

# ---- e-mail --------------------------------------------------------------------------------
# EMAIL_URL chooses: smtp://user:pw@host:port (production), consolemail://, filemail://
# (demo default: one file per message in var/mail).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="haven@localhost")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif PRODUCTION:
    raise ImproperlyConfigured(
        "EMAIL_URL is missing; in production mode set it, for example smtp+tls://user:pw@host:587."
    )
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_TIMEOUT = 10

# ---- background tasks ----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("HAVEN_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

if MODE == "test":
    # Tests run tasks at once and keep mail in memory unless a test sends through real SMTP.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# ---- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "haven.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "haven.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Haven API",
    "DESCRIPTION": "Anti-social behaviour case management for UK social landlords. See shared/design/API.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Two "status" and two "channel" lists: named, not hashed (Channel21cEnum).
    "ENUM_NAME_OVERRIDES": {
        "ReportChannelEnum": "haven.intake.models.Channel",
        "ContactChannelEnum": "haven.cases.models.ContactChannel",
        "ReportStatusEnum": "haven.intake.models.ReportStatus",
        "CaseStatusEnum": "haven.cases.models.CaseStatus",
        "FileKindEnum": "haven.cases.models.FileKind",
        "SupportNeedKindEnum": "haven.cases.models.SupportNeedKind",
        "ActionStatusEnum": "haven.cases.models.ActionStatus",
        "InterventionKindEnum": "haven.interventions.models.InterventionKind",
        "InterventionStatusEnum": "haven.interventions.models.InterventionStatus",
        "LegalStageEnum": "haven.interventions.models.LegalStage",
        "HearingKindEnum": "haven.interventions.models.HearingKind",
        "ConsentEnum": "haven.interventions.models.Consent",
        "ComplaintAboutEnum": "haven.reviews.models.ComplaintAbout",
        "SafeguardingAboutEnum": "haven.cases.models.SafeguardingAbout",
        "ActionOwnerEnum": "haven.cases.models.ActionOwner",
        "LawfulBasisEnum": "haven.interventions.models.LawfulBasis",
        "ShareDirectionEnum": "haven.interventions.models.ShareDirection",
        "ShareMethodEnum": "haven.interventions.models.ShareMethod",
    },
}

# ---- logging: no personal data; request bodies are never logged -----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Diary links are keys to a case: paths holding one are logged as /diary/[link]/.
    "filters": {"redact": {"()": "haven.common.log_hygiene.RedactSecretLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO (and fontTools each font it subsets).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Django's own loggers and runserver's request lines go through the same handler (and its
        # filter) instead of Django's default ones, which would print the path as it came.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
