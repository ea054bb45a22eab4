"""The ``haven`` command: Django's manage.py with one-sentence errors instead of tracebacks.

``haven migrate``, ``haven runserver``, ``haven demo``, ``haven policy check FILE``,
``haven token create --user NAME``, ``haven worker`` … all are management commands; this
wrapper sets the settings module and turns the configuration failures a newcomer meets (a broken
policy file, a wrong DATABASE_URL, a missing production secret, a database that is down) into a
plain message and a non-zero exit.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_CONFIGURATION = 2


def _say(message: str) -> None:
    print(f"haven: {message}", file=sys.stderr)


def describe_database_error(exc: BaseException) -> str:
    """One sentence about a database that cannot be reached, without credentials."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        where = f"the SQLite file {db['NAME']}"
        hint = "check that its folder exists and is writable, or set DATABASE_URL"
    else:
        where = f"PostgreSQL at {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432} (database {db['NAME']})"
        hint = "check that PostgreSQL is running and that DATABASE_URL names the right host, port, user and password"
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    # psycopg repeats the connection string in some messages; never echo a password.
    password = db.get("PASSWORD")
    if password:
        reason = reason.replace(str(password), "***")
    return f"Haven cannot reach {where} ({reason}); {hint}."


@contextmanager
def exit_on_configuration_error() -> Iterator[None]:
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError

    from haven.policies.loader import PolicyError

    try:
        yield
    except ImproperlyConfigured as exc:
        _say(f"Haven is not configured correctly: {exc}")
        sys.exit(EXIT_CONFIGURATION)
    except PolicyError as exc:
        _say(f"Haven cannot start because a policy profile is invalid. {exc.summary()}")
        _say("Fix the file (check it with: haven policy check FILE) and start Haven again.")
        sys.exit(EXIT_CONFIGURATION)
    except OperationalError as exc:
        _say(describe_database_error(exc))
        sys.exit(EXIT_CONFIGURATION)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv[0] = "haven"
    if argv[1:3] == ["policy", "check"] and len(argv) == 4:
        # Checking a landlord's own file needs no database and must not be stopped by it.
        from haven.policies.summary import check_file

        ok, text = check_file(argv[3])
        print(text, file=sys.stdout if ok else sys.stderr)
        sys.exit(0 if ok else 1)
    with exit_on_configuration_error():
        import django
        from django.conf import settings
        from django.core.management import execute_from_command_line

        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        django.setup()
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()
