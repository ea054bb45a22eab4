"""The incidents section of the case page (incidents, files, diary links), its forms, file
downloads, and the evidence inbox. Views parse, call one service or selector, and render."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.cases.forms.incidents import CaseFileForm, DiaryLinkForm, IncidentForm
from haven.cases.models import Case
from haven.cases.selectors.core import NotFound
from haven.cases.selectors.incidents import (
    can_use_inbox,
    case_diary_links,
    case_file_of,
    case_file_open,
    case_incidents,
    case_loose_files,
    diary_link_of,
    evidence_inbox,
    evidence_waiting,
    inbox_rows,
    incident_of,
)
from haven.cases.services.diary import diary_link_revoke, diary_link_send
from haven.cases.services.files import case_file_add, case_file_review
from haven.cases.services.incidents import incident_record, incident_review
from haven.cases.views.core import case_form_post, case_part, forbidden, party_of, staff_user
from haven.common.errors import ApplicationError
from haven.common.files import ALLOWED_TEXT, max_files, max_mb

INBOX_PAGE_SIZE = 50


def _section(case: Case) -> str:
    return reverse("cases:case", args=[case.reference]) + "#incidents"


def _uploader(case_file: Any) -> str:
    if case_file.uploaded_via == "diary_link":
        return "The reporter, through their diary link"
    return case_file.uploaded_by.display_name if case_file.uploaded_by else "Haven"


def _file_row(case: Case, case_file: Any) -> dict[str, Any]:
    return {
        "file": case_file,
        "uploader": _uploader(case_file),
        "short_hash": case_file.sha256[:12],
        "href": reverse("cases:file-download", args=[case.reference, case_file.pk]),
    }


@case_part
def _part(user: User, case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """Incidents newest first, with their files; the case's other files; diary links; the forms;
    and a "What is due" item while evidence waits for review (``casework.evidence_review_within``)."""
    incidents = case_incidents(user=user, case=case)
    loose = case_loose_files(user=user, case=case)
    can_work = can_work_case(user, case)
    writable = can_work and case.is_open
    waiting = evidence_waiting(case=case, incidents=incidents, files=loose)
    due = []
    if waiting.count and waiting.review_by is not None and case.is_open:
        review_by = timezone.localtime(waiting.review_by)
        due.append({
            "label": "Review overdue" if waiting.late else "Evidence to review",
            "colour": "red" if waiting.late else "yellow",
            "text": f"{waiting.count} new item{'s' if waiting.count != 1 else ''} of evidence to review by "
                    f"{review_by:%a} {review_by.day} {review_by:%b %Y, %H:%M}",
            "href": "#incidents",
        })  # fmt: skip
    part = {
        "incidents": [{"incident": i, "files": [_file_row(case, f) for f in i.files.all()]} for i in incidents],
        "files": [_file_row(case, f) for f in loose],
        "waiting": waiting,
        "can_work": can_work,
        "links": case_diary_links(case=case) if can_work else [],
        "incident_form": forms.get("incident_form") or (IncidentForm(case=case) if writable else None),
        "file_form": forms.get("file_form") or (CaseFileForm(incidents=incidents) if writable else None),
        "diary_form": forms.get("diary_form") or (DiaryLinkForm(case=case) if writable else None),
        "action_form": forms.get("incident_action_form"),
        "allowed": str(ALLOWED_TEXT),
        "max_mb": max_mb(),
        "max_files": max_files(),
        "now": timezone.now(),
        "link_valid": str(landlord_profile(case.landlord).casework.diary_link_valid),
    }
    return {"incidents_part": part, "due": due}


@require_POST
def incident_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Record an incident with its evidence files; recorded by a caseworker, it counts as reviewed."""

    def act(request: HttpRequest, user: User, case: Case, form: IncidentForm) -> str:
        data = form.cleaned_data
        incident_record(
            actor=user, case=case, occurred_at=form.occurred_at(), occurred_until=form.occurred_until(),
            location=data["location"], people=data["people"], description=data["description"],
            source=data["source"], party=party_of(case, data["party"]),
            files=request.FILES.getlist("incident-evidence"),
        )  # fmt: skip
        messages.success(request, "Incident recorded.")
        return _section(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: IncidentForm(data, case=case), act=act,
        form_key="incident_form", rename={"occurred_at": "on", "occurred_until": "until", "files": "evidence"},
    )  # fmt: skip


@require_POST
def file_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Add a file (evidence, a statement or a document), checked by content and hashed on receipt."""

    def act(request: HttpRequest, user: User, case: Case, form: CaseFileForm) -> str:
        data = form.cleaned_data
        incident = incident_of(case=case, incident_id=int(data["incident"])) if data["incident"] else None
        case_file_add(
            actor=user, case=case, upload=request.FILES.get("file-file"), kind=data["kind"],
            description=data["description"], sensitive=data["sensitive"], incident=incident,
        )  # fmt: skip
        messages.success(request, "File added.")
        return _section(case)

    return case_form_post(
        request, reference, may=can_work_case, act=act, form_key="file_form",
        make_form=lambda data, case: CaseFileForm(data, incidents=list(case.incidents.all())),
    )  # fmt: skip


class _ActionForm(django_forms.Form):
    """A button's form (mark reviewed, withdraw): no fields; a refusal shows as its error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "incidents")
        super().__init__(*args, **kwargs)


def _button(request: HttpRequest, reference: str, act: Any) -> HttpResponse:
    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: _ActionForm(data), act=act,
        form_key="incident_action_form",
    )  # fmt: skip


def _missing(what: str) -> ApplicationError:
    return ApplicationError(f"That {what} is not on this case.")


@require_POST
def incident_reviewed(request: HttpRequest, reference: str, incident_id: int) -> HttpResponse:
    def act(request: HttpRequest, user: User, case: Case, form: Any) -> str:
        incident = incident_of(case=case, incident_id=incident_id)
        if incident is None:
            raise _missing("incident")
        incident_review(actor=user, incident=incident)
        messages.success(request, "Incident marked as reviewed.")
        return _section(case)

    return _button(request, reference, act)


@require_POST
def file_reviewed(request: HttpRequest, reference: str, file_id: int) -> HttpResponse:
    def act(request: HttpRequest, user: User, case: Case, form: Any) -> str:
        case_file = case_file_of(case=case, file_id=file_id)
        if case_file is None:
            raise _missing("file")
        case_file_review(actor=user, case_file=case_file)
        messages.success(request, "File marked as reviewed.")
        return _section(case)

    return _button(request, reference, act)


@require_POST
def diary_send(request: HttpRequest, reference: str) -> HttpResponse:
    """E-mail the reporter a diary link (it works for ``casework.diary_link_valid``)."""

    def act(request: HttpRequest, user: User, case: Case, form: DiaryLinkForm) -> str:
        party = party_of(case, form.cleaned_data["party"])
        link = diary_link_send(actor=user, case=case, party=party, site_url=request.build_absolute_uri("/"))
        until = timezone.localtime(link.expires_at)
        messages.success(request, f"Diary link sent to {link.sent_to}. It works until {until.day} {until:%B %Y}.")
        return _section(case)

    return case_form_post(
        request, reference, may=can_work_case, make_form=lambda data, case: DiaryLinkForm(data, case=case), act=act,
        form_key="diary_form",
    )  # fmt: skip


@require_POST
def diary_revoke(request: HttpRequest, reference: str, link_id: int) -> HttpResponse:
    def act(request: HttpRequest, user: User, case: Case, form: Any) -> str:
        link = diary_link_of(case=case, link_id=link_id)
        if link is None:
            raise _missing("diary link")
        diary_link_revoke(actor=user, link=link)
        messages.success(request, "Diary link withdrawn: it no longer works.")
        return _section(case)

    return _button(request, reference, act)


@require_GET
def file_download(request: HttpRequest, reference: str, file_id: int) -> HttpResponseBase:
    """A case file as a download, never shown inline; permission-checked and audited."""
    user = staff_user(request)
    if user is None:
        return forbidden(request)
    try:
        case_file, path = case_file_open(user=user, reference=reference, file_id=file_id)
    except NotFound:
        return render(request, "404.html", status=404)
    try:
        handle = path.open("rb")
    except OSError:
        return render(request, "cases/file_missing.html", {"case_file": case_file}, status=404)
    response = FileResponse(
        handle, as_attachment=True, filename=case_file.original_name, content_type=case_file.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Incidents and files no caseworker has reviewed yet, on cases the user can work, oldest first."""
    user = staff_user(request)
    if user is None or not can_use_inbox(user):
        return forbidden(request)
    page = Paginator(evidence_inbox(user=user), INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = inbox_rows(list(page.object_list))
    page_links = list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    return render(request, "cases/inbox.html", {"rows": rows, "page": page, "page_links": page_links})
