"""The administrator's import page: upload, background check, problems by row and column, apply.

Files go through the real path: the page's form, ``import_upload`` storing the file, the task
(run at once by django-tasks' ImmediateBackend when the upload's transaction commits), the
reader, the row checks and the bulk apply, with the audit trail.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks, Settings

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.register.models import ImportRun, ImportStatus, Patch, Property

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.django_db

Capture = DjangoCaptureOnCommitCallbacks


@pytest.fixture(autouse=True)
def import_dir(settings: Settings, tmp_path: Path) -> Path:
    folder = tmp_path / "imports"
    settings.HAVEN_IMPORT_DIR = folder
    return folder


@pytest.fixture
def admin(emh: Landlord, make_user: Callable[..., User]) -> User:
    return make_user(emh, "admin")


@pytest.fixture
def admin_client(client: Client, admin: User) -> Client:
    client.force_login(admin)
    return client


def sample(kind: str) -> bytes:
    return (SAMPLES / f"{kind}.csv").read_bytes()


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def upload(
    client: Client,
    capture: Capture,
    kind: str,
    content: bytes | None = None,
    name: str | None = None,
    content_type: str = "text/csv",
    **data: str,
) -> Any:
    """Post a file to the import page, running the queued check as the upload commits."""
    file = SimpleUploadedFile(name or f"{kind}.csv", sample(kind) if content is None else content, content_type)
    with capture(execute=True):
        return client.post(reverse("register:import"), {"kind": kind, "file": file, **data})


def status_of(response: Any) -> ImportRun:
    assert response.status_code == 303, response.content.decode()[:2000]
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("register:import-status", args=[run.pk])
    return run


def apply(client: Client, capture: Capture, run: ImportRun) -> Any:
    with capture(execute=True):
        return client.post(reverse("register:import-apply", args=[run.pk]))


def with_bad_postcode(content: bytes, reference: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    for row in rows:
        if row["property_reference"] == reference:
            row["postcode"] = "NOT A POSTCODE"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_from_csv(content: bytes) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in csv.reader(io.StringIO(content.decode("utf-8"))):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def patches_imported(admin_client: Client, django_capture_on_commit_callbacks: Capture) -> Iterator[None]:
    run = status_of(upload(admin_client, django_capture_on_commit_callbacks, "patches"))
    assert apply(admin_client, django_capture_on_commit_callbacks, run).status_code == 303
    assert Patch.objects.count() == 3
    ImportRun.objects.all().delete()
    yield


# ---- who may import ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "manager", "auditor", "adviser"])
def test_only_administrators_may_open_the_import_page(
    client: Client, emh: Landlord, make_user: Callable[..., User], role: str
) -> None:
    client.force_login(make_user(emh, role))
    response = client.get(reverse("register:import"))
    assert response.status_code == 403
    assert "Only administrators can import the register" in page_text(response)


def test_an_officer_can_neither_upload_nor_follow_nor_apply_an_import(
    client: Client, officer: User, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    client.force_login(admin)
    run = status_of(upload(client, django_capture_on_commit_callbacks, "patches"))
    client.force_login(officer)
    file = SimpleUploadedFile("patches.csv", sample("patches"), "text/csv")
    assert client.post(reverse("register:import"), {"kind": "patches", "file": file}).status_code == 403
    assert client.get(reverse("register:import-status", args=[run.pk])).status_code == 403
    assert client.post(reverse("register:import-apply", args=[run.pk])).status_code == 403
    assert client.get(reverse("register:import-sample", args=["patches"])).status_code == 403
    assert ImportRun.objects.count() == 1 and Patch.objects.count() == 0


def test_anonymous_users_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("register:import"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# ---- the page ----------------------------------------------------------------------------------


def test_the_import_page_explains_the_order_and_shows_each_layout_with_its_sample(admin_client: Client) -> None:
    response = admin_client.get(reverse("register:import"))
    assert response.status_code == 200
    text = page_text(response)
    assert '<h1 class="govuk-heading-l">Import the register</h1>' in text
    assert "patches, properties, people, then tenancies" in text
    assert 'enctype="multipart/form-data"' in text
    assert 'class="govuk-file-upload"' in text
    assert "This file holds the whole register: mark people and properties missing from it as ended" in text
    assert "Check the file</button>" in text
    for kind in ("patches", "properties", "people", "tenancies"):
        assert f"Columns of a {kind} file" in text
        assert f'href="{reverse("register:import-sample", args=[kind])}"' in text
    assert "<code>postcode</code>" in text
    assert "No files have been imported yet." in text


def test_the_import_page_query_count_does_not_grow_with_the_imports(
    admin_client: Client,
    admin: User,
    django_capture_on_commit_callbacks: Capture,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    upload(admin_client, django_capture_on_commit_callbacks, "patches")
    with django_assert_max_num_queries(4):  # session, user, landlord (header), recent imports
        response = admin_client.get(reverse("register:import"))
    assert "patches.csv" in page_text(response)
    for kind in ("properties", "people", "tenancies"):
        upload(admin_client, django_capture_on_commit_callbacks, kind)
    with django_assert_max_num_queries(4):
        response = admin_client.get(reverse("register:import"))
    text = page_text(response).split('data-testid="recent-imports"', 1)[1]
    assert text.count("Sam Tester") == 4
    assert "3 rows sound, not yet imported" in text


# ---- upload, check, apply ----------------------------------------------------------------------


def test_an_uploaded_file_is_checked_and_nothing_is_imported_until_applied(
    admin_client: Client, admin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    run = status_of(upload(admin_client, django_capture_on_commit_callbacks, "patches"))
    assert (run.kind, run.file_name, run.uploaded_by, run.status) == ("patches", "patches.csv", admin, "checked")
    response = admin_client.get(reverse("register:import-status", args=[run.pk]))
    assert response.status_code == 200
    assert "Refresh" not in response
    text = page_text(response)
    assert "All 3 rows are sound." in text
    assert "Import 3 rows</button>" in text
    assert f'action="{reverse("register:import-apply", args=[run.pk])}"' in text
    assert run.sha256 in text and "Sam Tester" in text and "Patches" in text
    assert Patch.objects.count() == 0


def test_applying_a_checked_file_imports_it_shows_the_counts_deletes_the_file_and_is_audited(
    admin_client: Client, admin: User, import_dir: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    run = status_of(upload(admin_client, django_capture_on_commit_callbacks, "patches"))
    assert len(list(import_dir.iterdir())) == 1  # kept between the check and the apply
    response = apply(admin_client, django_capture_on_commit_callbacks, run)
    assert response.status_code == 303
    assert response["Location"] == reverse("register:import-status", args=[run.pk])
    assert sorted(Patch.objects.values_list("code", flat=True)) == ["NOT-1", "NWL-1", "NWL-2"]
    text = page_text(admin_client.get(response["Location"]))
    assert "The file was imported: 3 rows." in text
    assert "3 created, 0 updated, 0 unchanged, 0 ended." in text
    assert list(import_dir.iterdir()) == []
    event = AuditEvent.objects.get(verb=Verb.IMPORT_APPLIED)
    assert event.actor == admin and event.via == "web"
    assert event.changes["file_sha256"] == [None, run.sha256]
    assert event.changes["created"] == [None, 3]


def test_applying_a_file_twice_is_refused_on_the_status_page(
    admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    run = status_of(upload(admin_client, django_capture_on_commit_callbacks, "patches"))
    apply(admin_client, django_capture_on_commit_callbacks, run)
    response = apply(admin_client, django_capture_on_commit_callbacks, run)
    assert response.status_code == 400
    text = page_text(response)
    assert "govuk-error-summary" in text and text.startswith("<!DOCTYPE html>")
    assert "Only a file that has been checked without problems can be imported." in text
    assert Patch.objects.count() == 3


def test_a_file_with_a_bad_row_lists_its_row_and_column_and_imports_nothing(
    admin_client: Client, import_dir: Path, patches_imported: None, django_capture_on_commit_callbacks: Capture
) -> None:
    content = with_bad_postcode(sample("properties"), "P000103")  # the third property: row 4
    run = status_of(upload(admin_client, django_capture_on_commit_callbacks, "properties", content))
    assert run.status == ImportStatus.REJECTED
    text = page_text(admin_client.get(reverse("register:import-status", args=[run.pk])))
    assert "1 problem; nothing was imported" in text
    problems = text.split('data-testid="import-problems"', 1)[1]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in problems
    assert "<code>postcode</code>" in problems
    assert 'data-testid="import-checked"' not in text
    assert reverse("register:import-apply", args=[run.pk]) not in text
    assert Property.objects.count() == 0
    assert list(import_dir.iterdir()) == []  # a rejected file is not kept


def test_a_rejected_run_says_how_many_problems_are_not_shown(admin_client: Client, admin: User) -> None:
    run = ImportRun.objects.create(
        landlord=admin.landlord,
        kind="people",
        uploaded_by=admin,
        file_name="people.csv",
        sha256="0" * 64,
        status=ImportStatus.REJECTED,
        rows_total=900,
        problems=[{"row": n, "column": "last_name", "message": "is empty"} for n in range(2, 502)],
        problem_count=750,
    )
    text = page_text(admin_client.get(reverse("register:import-status", args=[run.pk])))
    assert "750 problems; nothing was imported" in text
    assert "The first 500 problems are shown; there are 250 more." in text


def test_a_whole_file_problem_is_listed_without_a_row(
    admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    run = status_of(upload(admin_client, django_capture_on_commit_callbacks, "people", b"\xff\xfe not utf-8 \xff"))
    text = page_text(admin_client.get(reverse("register:import-status", args=[run.pk])))
    assert "Whole file" in text and "UTF-8" in text


def test_an_excel_file_is_checked_and_imported_like_its_csv(
    admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    content = xlsx_from_csv(sample("patches"))
    response = upload(admin_client, django_capture_on_commit_callbacks, "patches", content, "patches.xlsx", XLSX)
    run = status_of(response)
    assert "All 3 rows are sound." in page_text(admin_client.get(response["Location"]))
    apply(admin_client, django_capture_on_commit_callbacks, run)
    assert Patch.objects.count() == 3


def test_the_whole_register_choice_is_kept_on_the_run_and_warned_of(
    admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    run = status_of(upload(admin_client, django_capture_on_commit_callbacks, "patches", full_refresh="on"))
    assert run.full_refresh
    text = page_text(admin_client.get(reverse("register:import-status", args=[run.pk])))
    assert "people and properties missing from it will be marked as ended" in text


# ---- progress and failure ---------------------------------------------------------------------


def test_a_queued_file_shows_its_progress_and_refreshes_itself(admin_client: Client) -> None:
    # No on-commit capture: the check is queued but has not run, as before the worker picks it up.
    file = SimpleUploadedFile("people.csv", sample("people"), "text/csv")
    run = status_of(admin_client.post(reverse("register:import"), {"kind": "people", "file": file}))
    assert run.status == ImportStatus.QUEUED
    response = admin_client.get(reverse("register:import-status", args=[run.pk]))
    assert response["Refresh"] == "2"
    text = page_text(response)
    assert "Waiting for the check to start." in text
    assert "Waiting to start" in text  # the status tag
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING, rows_done=2000, rows_total=5000)
    response = admin_client.get(reverse("register:import-status", args=[run.pk]))
    assert response["Refresh"] == "2"
    assert "Checked 2000 of about 5000 rows." in page_text(response)


def test_a_failed_run_says_nothing_was_imported_and_to_try_again(admin_client: Client, admin: User) -> None:
    run = ImportRun.objects.create(
        landlord=admin.landlord, kind="patches", uploaded_by=admin, file_name="p.csv", status=ImportStatus.FAILED
    )
    response = admin_client.get(reverse("register:import-status", args=[run.pk]))
    assert response.status_code == 200 and "Refresh" not in response
    text = page_text(response)
    assert "Nothing was imported. Try again" in text and "contact support" in text


# ---- bad input ---------------------------------------------------------------------------------


def test_posting_without_a_file_shows_the_error_and_keeps_the_choices(admin_client: Client) -> None:
    response = admin_client.post(reverse("register:import"), {"kind": "people", "full_refresh": "on"})
    assert response.status_code == 400
    text = page_text(response)
    assert "<title>Error: Import the register" in text
    summary = text.split('class="govuk-error-summary"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_file">Choose a CSV or Excel file to check</a>' in summary
    assert 'id="id_file-error"' in text
    assert 'value="people" checked' in text
    assert 'name="full_refresh" type="checkbox" value="on" checked' in text
    assert ImportRun.objects.count() == 0


def test_posting_without_a_kind_asks_what_the_file_holds(admin_client: Client) -> None:
    file = SimpleUploadedFile("patches.csv", sample("patches"), "text/csv")
    response = admin_client.post(reverse("register:import"), {"file": file})
    assert response.status_code == 400
    text = page_text(response)
    assert '<a href="#id_kind">Choose what the file holds</a>' in text
    assert 'id="id_kind" name="kind" type="radio" value="patches">' in text  # the summary's link lands
    assert " checked" not in text.split('name="kind"', 1)[1].split("</fieldset>")[0]


def test_an_empty_file_is_refused_on_the_page(admin_client: Client) -> None:
    file = SimpleUploadedFile("patches.csv", b"", "text/csv")
    response = admin_client.post(reverse("register:import"), {"kind": "patches", "file": file})
    assert response.status_code == 400
    assert "The chosen file is empty" in page_text(response)


def test_a_refusal_from_the_service_is_shown_on_the_file(admin_client: Client, settings: Settings) -> None:
    settings.HAVEN_IMPORT_MAX_MB = 0
    file = SimpleUploadedFile("patches.csv", sample("patches"), "text/csv")
    response = admin_client.post(reverse("register:import"), {"kind": "patches", "file": file})
    assert response.status_code == 400
    text = page_text(response)
    assert '<a href="#id_file">The file is 0 MB; the largest file Haven imports is 0 MB.' in text
    assert 'value="patches" checked' in text
    assert ImportRun.objects.count() == 0


def test_an_import_folder_that_cannot_be_written_is_a_clear_error_not_a_500(
    admin_client: Client, settings: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.HAVEN_IMPORT_DIR = blocker / "imports"
    file = SimpleUploadedFile("patches.csv", sample("patches"), "text/csv")
    response = admin_client.post(reverse("register:import"), {"kind": "patches", "file": file})
    assert response.status_code == 400
    assert "Haven could not store the file" in page_text(response)


# ---- scope and samples -------------------------------------------------------------------------


def test_another_landlords_import_is_not_found(
    admin_client: Client, make_landlord: Callable[..., Landlord], make_user: Callable[..., User]
) -> None:
    whg = make_landlord("whg")
    theirs = ImportRun.objects.create(
        landlord=whg,
        kind="patches",
        uploaded_by=make_user(whg, "admin"),
        file_name="theirs.csv",
        status=ImportStatus.CHECKED,
        stored_as="x.upload",
    )
    assert admin_client.get(reverse("register:import-status", args=[theirs.pk])).status_code == 404
    assert admin_client.post(reverse("register:import-apply", args=[theirs.pk])).status_code == 404
    assert admin_client.get(reverse("register:import-status", args=[theirs.pk + 1000])).status_code == 404
    assert "theirs.csv" not in page_text(admin_client.get(reverse("register:import")))
    theirs.refresh_from_db()
    assert theirs.status == ImportStatus.CHECKED


def test_apply_takes_post_only(admin_client: Client, django_capture_on_commit_callbacks: Capture) -> None:
    run = status_of(upload(admin_client, django_capture_on_commit_callbacks, "patches"))
    assert admin_client.get(reverse("register:import-apply", args=[run.pk])).status_code == 405
    assert Patch.objects.count() == 0


@pytest.mark.parametrize("kind", ["patches", "properties", "people", "tenancies"])
def test_a_sample_file_downloads_as_csv(admin_client: Client, kind: str) -> None:
    response = admin_client.get(reverse("register:import-sample", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{kind}.csv"'
    assert b"".join(response.streaming_content) == sample(kind)  # type: ignore[attr-defined]


def test_an_unknown_sample_is_not_found(admin_client: Client) -> None:
    assert admin_client.get(reverse("register:import-sample", args=["secrets"])).status_code == 404
    assert admin_client.get("/register/import/samples/..%2Fsettings.csv").status_code == 404
