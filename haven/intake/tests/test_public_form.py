"""The public report form: a resident reports ASB without signing in, through the real services.

Valid reports are saved with their evidence; every problem comes back on the page as typed with
nothing saved; a second post of the same form makes no second report; each address is limited per
hour; a field only robots fill in stops them; the Welsh landlord's form is in Welsh.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import struct
import zlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from haven.accounts.models import Landlord
from haven.intake.models import Evidence, Report
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    """A real PNG image of one pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = png_bytes()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def emh(make_landlord: Callable[..., Landlord]) -> Landlord:
    return make_landlord("emh")


@pytest.fixture
def wwh(make_landlord: Callable[..., Landlord]) -> Landlord:
    return make_landlord("wwh")


def answers(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "form_token": secrets.token_urlsafe(24),
        "what": "Loud music from the flat above every night until 3am.",
        "category": "",
        "targets_staff": "no",
        "address": "Flat 2, 14 Meadow Court",
        "postcode": "le67 4jp",
        "where": "",
        "when": "Most nights after 11pm",
        "happened_on_day": "",
        "happened_on_month": "",
        "happened_on_year": "",
        "how_often": "Four or five nights a week",
        "who": "The man in flat 5, I do not know his name",
        "steps_taken": "I knocked on the door once.",
        "other_agencies": "",
        "give_name": "yes",
        "reporter_name": "Alex Resident",
        "reporter_phone": "07700 900982",
        "reporter_email": "alex@example.org",
        "preferred_contact": "email",
        "communication_needs": "Please phone after 5pm.",
        "contact_me_by_fax": "",
    }
    data.update(changes)
    return data


def evidence_files() -> list[Path]:
    folder = Path(settings.HAVEN_EVIDENCE_DIR)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    return match.group(0) if match else ""


def test_a_resident_sends_a_report_with_a_photo_and_sees_its_reference(client: Client, emh: Landlord) -> None:
    photo = SimpleUploadedFile("IMG_0042.png", PNG, content_type="image/png")
    response = client.post("/report/emh/", answers(evidence=[photo]))

    assert response.status_code == 302
    assert response["Location"] == "/report/emh/received/"
    report = Report.objects.get()
    assert report.channel == "web"
    assert report.language == "en"
    assert report.what.startswith("Loud music")
    assert report.postcode == "LE67 4JP"
    assert report.reporter_name == "Alex Resident"
    assert report.preferred_contact == "email"
    assert report.communication_needs == "Please phone after 5pm."
    evidence = Evidence.objects.get()
    assert evidence.report == report
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    assert evidence.original_name == "IMG_0042.png"
    stored = evidence_files()
    assert [p.name for p in stored] == [evidence.stored_as]
    assert "IMG_0042" not in evidence.stored_as
    assert stored[0].read_bytes() == PNG

    page = client.get("/report/emh/received/")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r"REP-\d{4}-\d{6}", html)
    assert report.reference in html
    assert "What happens next" in html
    assert "call 999" in html and "101" in html
    assert str(report.pk) not in page.request["PATH_INFO"]


def test_an_anonymous_report_keeps_no_name_or_contact_details(client: Client, emh: Landlord) -> None:
    response = client.post("/report/emh/", answers(give_name="no"))

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.anonymous is True
    assert (report.reporter_name, report.reporter_phone, report.reporter_email, report.preferred_contact) == (
        "",
        "",
        "",
        "",
    )
    assert report.communication_needs == ""
    assert "Alex" not in str(Report.objects.values().get())


def test_a_report_for_someone_else_names_them_and_how_the_reporter_knows_them(client: Client, emh: Landlord) -> None:
    client.post(
        "/report/emh/", answers(for_someone_else="on", on_behalf_of="Mrs Jones", on_behalf_relationship="Her carer")
    )
    report = Report.objects.get()
    assert (report.on_behalf_of, report.on_behalf_relationship) == ("Mrs Jones", "Her carer")


def test_names_typed_for_someone_else_are_not_kept_when_the_box_is_not_ticked(client: Client, emh: Landlord) -> None:
    client.post("/report/emh/", answers(on_behalf_of="Mrs Jones", on_behalf_relationship="Her carer"))
    assert Report.objects.get().on_behalf_of == ""


def test_the_form_explains_anonymity_in_the_profiles_words(client: Client, emh: Landlord) -> None:
    html = client.get("/report/emh/").content.decode()
    explanation = get_profile("emh").anonymous_reports.explanation
    assert explanation[:60] in html
    assert "No, I want to report anonymously" in html
    assert 'name="evidence"' in html and "multiple" in html
    assert "PDF or Word (.docx)" in html and f"{settings.HAVEN_EVIDENCE_MAX_MB} MB" in html


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"what": "  "}, "id_what", "Tell us what happened."),
        ({"postcode": "NOT A POSTCODE"}, "id_postcode", "Enter a real postcode, like LE67 4JP."),
        ({"happened_on": "future"}, "id_happened_on_day", "The date it happened cannot be in the future."),
        (
            {"happened_on_day": "31", "happened_on_month": "2", "happened_on_year": "99999999999999999999999"},
            "id_happened_on_day",
            "must be a real date",
        ),
        ({"evidence": "html"}, "id_evidence", "photo.jpg is not a type of file we accept."),
        ({"evidence": "exe"}, "id_evidence", "tool.exe is not a type of file we accept."),
        (
            {"give_name": "", "reporter_name": ""},
            "id_reporter_name",
            "Enter your name, or choose to report anonymously.",
        ),
        ({"targets_staff": "maybe"}, "id_targets_staff", "Choose one of the answers."),
        ({"reporter_name": ""}, "id_reporter_name", "Enter your name, or choose to report anonymously."),
        ({"reporter_email": "alex at example"}, "id_reporter_email", "Enter an e-mail address in the right format"),
        ({"reporter_name": "Alex\x00"}, "id_reporter_name", "Null characters are not allowed."),
    ],
    ids=[
        "no-what",
        "bad-postcode",
        "future-date",
        "impossible-date",
        "html-as-jpg",
        "exe",
        "no-choice-no-name",
        "no-name",
        "bad-email",
        "nul-character",
        "not-an-answer",
    ],
)
def test_a_problem_is_shown_at_its_question_with_the_answers_kept_and_nothing_saved(
    client: Client, emh: Landlord, changes: dict[str, Any], field_id: str, message: str
) -> None:
    data = answers(**changes)
    if data.pop("happened_on", None) == "future":
        tomorrow = timezone.localdate() + timedelta(days=1)
        data |= {
            "happened_on_day": tomorrow.day,
            "happened_on_month": tomorrow.month,
            "happened_on_year": tomorrow.year,
        }
    if data.get("evidence") == "html":
        data["evidence"] = [SimpleUploadedFile("photo.jpg", b"<!DOCTYPE html><script>alert(1)</script>")]
    elif data.get("evidence") == "exe":
        data["evidence"] = [SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 60)]

    response = client.post("/report/emh/", data)

    assert response.status_code == 200
    html = response.content.decode()
    summary = error_summary(html)
    assert f'href="#{field_id}"' in summary
    assert message in summary
    assert f'id="{field_id}-error"' in html
    assert "<title>Error:" in html
    # everything else kept as typed
    assert "The man in flat 5, I do not know his name" in html
    assert "I knocked on the door once." in html
    assert 'value="Flat 2, 14 Meadow Court"' in html
    assert f'value="{data["form_token"]}"' in html
    assert Report.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert evidence_files() == []


def test_every_problem_the_service_finds_is_shown_at_once(client: Client, emh: Landlord) -> None:
    data = answers(what="", address="", postcode="X1", give_name="", reporter_name="")
    summary = error_summary(client.post("/report/emh/", data).content.decode())
    for message in (
        "Tell us what happened.",
        "Enter a real postcode",
        "Tell us where it happened",
        "Enter your name, or choose to report anonymously.",
    ):
        assert message in summary


def test_a_resident_who_gives_a_name_without_answering_the_question_is_not_anonymous(
    client: Client, emh: Landlord
) -> None:
    client.post("/report/emh/", answers(give_name=""))
    report = Report.objects.get()
    assert report.anonymous is False and report.reporter_name == "Alex Resident"


def test_files_are_asked_for_again_when_the_form_has_a_problem(client: Client, emh: Landlord) -> None:
    photo = SimpleUploadedFile("IMG_0042.png", PNG, content_type="image/png")
    response = client.post("/report/emh/", answers(what="", evidence=[photo]))

    summary = error_summary(response.content.decode())
    assert "Tell us what happened." in summary
    assert 'href="#id_evidence">Attach your files again' in summary
    assert Report.objects.count() == 0 and evidence_files() == []


def test_the_same_form_sent_twice_makes_one_report_and_shows_the_same_reference(client: Client, emh: Landlord) -> None:
    data = answers()
    first = client.post("/report/emh/", data)
    second = client.post("/report/emh/", data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/report/emh/received/"
    report = Report.objects.get()
    assert report.reference in client.get("/report/emh/received/").content.decode()


def test_the_same_form_sent_from_a_new_session_is_still_one_report(client: Client, emh: Landlord) -> None:
    data = answers()
    client.post("/report/emh/", data)
    other = Client()
    response = other.post("/report/emh/", data)

    assert response.status_code == 302
    assert Report.objects.count() == 1
    assert Report.objects.get().reference in other.get("/report/emh/received/").content.decode()


def test_a_corrected_form_can_be_sent_with_the_same_token(client: Client, emh: Landlord) -> None:
    data = answers(what="")
    assert client.post("/report/emh/", data).status_code == 200
    data["what"] = "Shouting on the stairs."
    assert client.post("/report/emh/", data).status_code == 302
    assert Report.objects.get().what == "Shouting on the stairs."


def test_each_address_may_send_a_few_reports_an_hour_then_is_asked_to_phone(
    client: Client, emh: Landlord, settings: Any
) -> None:
    settings.HAVEN_PUBLIC_REPORTS_PER_HOUR = 2
    for _ in range(3):  # retries after mistakes never count
        assert client.post("/report/emh/", answers(what="")).status_code == 200
    assert client.post("/report/emh/", answers()).status_code == 302
    assert client.post("/report/emh/", answers()).status_code == 302

    response = client.post("/report/emh/", answers())

    assert response.status_code == 429
    html = response.content.decode()
    assert "phone us on 0300 123 6000" in html
    assert Report.objects.count() == 2
    # another address is not affected
    assert Client(REMOTE_ADDR="192.0.2.7").post("/report/emh/", answers()).status_code == 302


def test_the_rate_limit_keeps_a_hash_of_the_address_never_the_address(client: Client, emh: Landlord) -> None:
    client.post("/report/emh/", answers(), REMOTE_ADDR="198.51.100.23")
    keys = " ".join(str(k) for k in cache._cache)  # type: ignore[attr-defined]
    assert "ratelimit" in keys
    assert "198.51.100.23" not in keys
    assert "198.51.100.23" not in str([cache.get(k.split(":", 2)[2]) for k in cache._cache])  # type: ignore[attr-defined]


def test_a_landlord_without_a_complaints_number_says_phone_us(client: Client, wwh: Landlord, settings: Any) -> None:
    settings.HAVEN_PUBLIC_REPORTS_PER_HOUR = 0
    response = client.post("/report/wwh/", answers())
    assert response.status_code == 429
    assert "phone us, or try this form again in an hour" in response.content.decode()


def test_a_form_with_the_robot_field_filled_in_is_refused(client: Client, emh: Landlord) -> None:
    response = client.post("/report/emh/", answers(contact_me_by_fax="http://spam.example"))

    assert response.status_code == 400
    assert "We could not send your report" in response.content.decode()
    assert 'value="http://spam.example"' not in response.content.decode()
    assert Report.objects.count() == 0


def test_the_robot_field_is_hidden_from_people_and_screen_readers(client: Client, emh: Landlord) -> None:
    html = client.get("/report/emh/").content.decode()
    trap = re.search(r'<div class="govuk-visually-hidden" aria-hidden="true">.*?</div>', html, re.S)
    assert trap and 'name="contact_me_by_fax"' in trap.group(0) and 'tabindex="-1"' in trap.group(0)


def test_the_welsh_landlords_form_is_in_welsh_with_welsh_errors(client: Client, wwh: Landlord) -> None:
    english = client.get("/report/wwh/").content.decode()
    assert '<html lang="en"' in english
    assert 'href="?lang=cy"' in english and "Cymraeg" in english

    page = client.get("/report/wwh/?lang=cy")
    html = page.content.decode()
    assert '<html lang="cy"' in html
    assert "Rhoi gwybod am ymddygiad gwrthgymdeithasol" in html
    assert "Beth ddigwyddodd?" in html
    assert 'href="?lang=en"' in html
    with translation.override("cy"):
        assert translation.gettext(get_profile("wwh").anonymous_reports.explanation)[:20] in html

    response = client.post("/report/wwh/", answers(what="", postcode="XX", lang="cy"))
    html = response.content.decode()
    assert '<html lang="cy"' in html
    summary = error_summary(html)
    assert "Mae problem" in summary
    assert "Dywedwch wrthym beth ddigwyddodd." in summary
    assert "Rhowch god post go iawn" in summary
    assert Report.objects.count() == 0


def test_a_report_in_welsh_is_saved_as_welsh_and_acknowledged_in_welsh(
    client: Client, wwh: Landlord, django_capture_on_commit_callbacks: Any
) -> None:
    client.get("/report/wwh/?lang=cy")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/report/wwh/", answers())

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.language == "cy"
    assert len(mail.outbox) == 1
    assert report.reference in mail.outbox[0].subject
    assert "Rydym wedi cael eich adroddiad" in mail.outbox[0].subject
    html = client.get("/report/wwh/received/").content.decode()
    assert '<html lang="cy"' in html and report.reference in html
    assert "Beth sy’n digwydd nesaf" in html  # noqa: RUF001 (Welsh apostrophe)


def test_a_browser_that_asks_for_welsh_gets_the_welsh_form_first(client: Client, wwh: Landlord) -> None:
    html = client.get("/report/wwh/", HTTP_ACCEPT_LANGUAGE="cy,en-GB;q=0.8").content.decode()
    assert '<html lang="cy"' in html
    html = client.get("/report/wwh/?lang=en", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="en"' in html


def test_landlords_outside_wales_have_an_english_form_only(client: Client, emh: Landlord) -> None:
    html = client.get("/report/emh/?lang=cy").content.decode()
    assert '<html lang="en"' in html
    assert "Cymraeg" not in html
    client.post("/report/emh/", answers(lang="cy"))
    assert Report.objects.get().language == "en"


def test_the_acknowledgement_email_names_the_reference(
    client: Client, emh: Landlord, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/report/emh/", answers())

    report = Report.objects.get()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alex@example.org"]
    assert report.reference in mail.outbox[0].subject
    assert report.reference in mail.outbox[0].body


def test_an_unknown_landlord_is_page_not_found(client: Client, emh: Landlord) -> None:
    assert client.get("/report/nobody/").status_code == 404
    assert client.post("/report/nobody/", answers()).status_code == 404
    assert client.get("/report/nobody/received/").status_code == 404
    assert Report.objects.count() == 0


def test_the_confirmation_without_a_report_sends_you_to_the_form(client: Client, emh: Landlord) -> None:
    response = client.get("/report/emh/received/")
    assert response.status_code == 302
    assert response["Location"] == "/report/emh/"


def test_the_form_needs_no_sign_in_and_is_not_cached(client: Client, emh: Landlord) -> None:
    response = client.get("/report/emh/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_every_welsh_text_of_the_form_is_translated(client: Client, wwh: Landlord) -> None:
    profile = get_profile("wwh")
    with translation.override("cy"):
        for text in [profile.anonymous_reports.explanation, *[c.label for c in profile.categories]]:
            assert translation.gettext(text) != text, text
    po = (Path(settings.LOCALE_PATHS[0]) / "cy" / "LC_MESSAGES" / "django.po").read_text()
    empty = re.findall(r'\nmsgstr ""\n\n', po.split("\n\n", 1)[1])
    assert empty == []
    assert "fuzzy" not in po
    assert "Welsh text to be reviewed by a translator" in po


def test_the_form_page_costs_one_query(client: Client, emh: Landlord, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):  # the landlord; nothing is written to the session
        assert client.get("/report/emh/").status_code == 200


@pytest.mark.parametrize("files", [0, 1, 3])
def test_sending_the_form_costs_a_fixed_number_of_queries_plus_two_a_file(
    client: Client, emh: Landlord, django_assert_num_queries: Any, files: int
) -> None:
    """The landlord, the reference sequence, the report and its audit event, the new session; each
    file adds its evidence row and audit event (at most HAVEN_EVIDENCE_MAX_FILES files)."""
    uploads = [SimpleUploadedFile(f"IMG_{n}.png", PNG) for n in range(files)]
    with django_assert_num_queries(QUERIES_TO_SEND + 2 * files):
        assert client.post("/report/emh/", answers(evidence=uploads)).status_code == 302


QUERIES_TO_SEND = 17  # on SQLite and PostgreSQL alike, savepoints included
