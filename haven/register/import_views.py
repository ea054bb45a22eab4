"""The administrator's import page: upload a file, follow its check, then apply it.

Only administrators may import (``can_import_register``); everyone else gets a 403 page. The
upload and the apply are services (``import_upload``, ``import_request_apply``) that queue the
work for the background worker; the status page shows the run as the worker moves it along and
refreshes itself until the run settles. Another landlord's run and a run that does not exist get
the same 404.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_import_register
from haven.common.errors import ApplicationError
from haven.register.forms import ImportForm
from haven.register.importing.layouts import LAYOUTS
from haven.register.models import ImportKind, ImportRun, ImportStatus
from haven.register.selectors import NotFound, import_run, import_runs
from haven.register.services import import_request_apply, import_upload

logger = logging.getLogger(__name__)

SAMPLES = Path(__file__).resolve().parent / "samples"
REFRESH_SECONDS = 2
IN_PROGRESS = frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING})
STORE_FAILED = (
    "Haven could not store the file, so nothing was checked or imported. Try again, and contact "
    "support if it happens again."
)


def _administrator(request: HttpRequest) -> User | None:
    """The signed-in administrator, or None for anyone who may not import."""
    user = request.user
    if isinstance(user, User) and can_import_register(user):
        return user
    return None


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "register/import_forbidden.html", status=403)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


def _see_other(url: str) -> HttpResponse:
    # 303: after a POST the browser fetches the status page with GET, so a refresh never re-posts.
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _import_page(request: HttpRequest, user: User, form: ImportForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "layouts": [LAYOUTS[kind] for kind in ImportKind.values],
        "runs": import_runs(user=user),
    }
    return render(request, "register/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """The form to upload a file, the column layouts with sample files, and the recent imports."""
    user = _administrator(request)
    landlord = user.landlord if user is not None else None
    if user is None or landlord is None:
        return _forbidden(request)
    if request.method != "POST":
        return _import_page(request, user, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            run = import_upload(
                actor=user,
                landlord=landlord,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                full_refresh=form.cleaned_data["full_refresh"],
            )
        except ApplicationError as error:
            form.add_application_error(error)
        except OSError:
            # A full disk or an unwritable import folder: say so plainly rather than fail the page.
            logger.exception("Could not store an uploaded import file")
            form.add_error("file", STORE_FAILED)
        else:
            return _see_other(reverse("register:import-status", args=[run.pk]))
    return _import_page(request, user, form, status=400)


def _status_page(request: HttpRequest, run: ImportRun, error: str = "", status: int = 200) -> HttpResponse:
    in_progress = run.status in IN_PROGRESS
    context: dict[str, Any] = {
        "run": run,
        "in_progress": in_progress,
        "refresh_seconds": REFRESH_SECONDS,
        "error_summary": error,
        "problems_hidden": max(run.problem_count - len(run.problems), 0),
    }
    response = render(request, "register/import_status.html", context, status=status)
    if in_progress:
        # The Refresh header (HTML standard, honoured by every browser) reloads the page until the
        # worker settles the run; base.html has no head block for a <meta http-equiv> tag.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_http_methods(["GET"])
def import_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """One import: the file, its progress, and then its problems, its offer to apply or its counts."""
    user = _administrator(request)
    if user is None:
        return _forbidden(request)
    try:
        run = import_run(user=user, run_id=run_id)
    except NotFound:
        return _not_found(request)
    return _status_page(request, run)


@require_POST
def import_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    """Apply a checked file; a run that cannot be applied is shown again with the reason."""
    user = _administrator(request)
    if user is None:
        return _forbidden(request)
    try:
        run = import_run(user=user, run_id=run_id)
    except NotFound:
        return _not_found(request)
    try:
        import_request_apply(actor=user, run=run)
    except ApplicationError as error:
        return _status_page(request, run, error=error.message, status=400)
    return _see_other(reverse("register:import-status", args=[run.pk]))


@require_http_methods(["GET"])
def import_sample(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The sample file of one kind, as a download: the columns in order, with made-up rows."""
    if _administrator(request) is None:
        return _forbidden(request)
    if kind not in LAYOUTS:
        return _not_found(request)
    return FileResponse(
        (SAMPLES / f"{kind}.csv").open("rb"),
        as_attachment=True,
        filename=f"{kind}.csv",
        content_type="text/csv; charset=utf-8",
    )
