"""Letters (issue 8): every default letter for every profile, made in both formats and read back
(the PDF's text with pypdf, the Word file with python-docx) for the facts in it; the
confidentiality rule (emh 6.6-6.7); large print (Peaks & Plains 6.3); a person with no address;
e-mailing the PDF; the case page's form, files and audit."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core import mail
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Party
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.interventions.models import AgreementTerm, Intervention
from haven.interventions.tests.factories import Setting, setting
from haven.letters.defaults import default_letters
from haven.letters.models import Letter, LetterSettings
from haven.letters.placeholders import CONFIDENTIAL, PLACEHOLDERS, placeholders_in
from haven.letters.services.letters import letter_make
from haven.policies.registry import profile_ids
from haven.reviews.models import SurveyInvitation

pytestmark = pytest.mark.django_db
DETAILS = "On 3 November loud music was played until 2am."


def pdf_text(letter: Letter) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(bytes(letter.pdf))).pages).split())


def docx_text(letter: Letter) -> str:
    return " ".join(" ".join(p.text for p in Document(BytesIO(bytes(letter.docx))).paragraphs).split())


def ready(s: Setting) -> Setting:
    """The reporter with an address, the reported person with an agreement, an open survey link and
    the landlord's letterhead."""
    Party.objects.filter(pk=s.reporter.pk).update(address="12 Oak Road, Coalville, LE67 3AB")
    agreement = Intervention.objects.create(
        case=s.case, kind="informal", code="abc", label="Acceptable Behaviour Contract", party=s.reported,
        started_on=date(2026, 11, 1), agreement=True, recorded_by=s.officer,
    )  # fmt: skip
    AgreementTerm.objects.create(intervention=agreement, number=1, text="No loud music after 11pm")
    SurveyInvitation.objects.create(case=s.case, party=s.reporter, channel="letter",
                                    expires_at=timezone.now() + timedelta(days=28))  # fmt: skip
    LetterSettings.objects.create(landlord=s.landlord, address="1 High Street\nTown", phone="0300 123 4567")
    return s


def test_the_default_letters_use_only_known_placeholders_and_none_for_others_names_the_reporter() -> None:
    letters = default_letters()
    assert list(letters) == ["acknowledgement", "not_asb", "information_request", "diary_cover", "advisory", "warning",
                             "agreement", "agreement_breach", "review_notice", "case_review_info", "closure",
                             "survey_invitation"]  # fmt: skip
    for letter in letters.values():
        used = placeholders_in(letter.subject, letter.body)
        assert used <= set(PLACEHOLDERS), (letter.kind, used - set(PLACEHOLDERS))
        assert letter.recipient in ("reporter", "reported", "any")
        if letter.recipient != "reporter":
            assert not used & CONFIDENTIAL, letter.kind  # emh 6.6-6.7
        assert letter.source and "{{ recipient_name }}" in letter.body


@pytest.mark.parametrize("policy_id", profile_ids())
def test_every_default_letter_is_made_in_both_formats_with_the_facts_of_the_case(policy_id, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    s = ready(setting(policy_id, staff, make_user))
    for kind, default in default_letters().items():
        party = s.reporter if default.recipient == "reporter" else s.reported
        letter = letter_make(actor=s.officer, case=s.case, kind=kind, party=party, details=DETAILS)
        for found in (pdf_text(letter), docx_text(letter)):
            for fact in (s.landlord.name, s.case.reference, party.display_name, "1 High Street"):
                assert fact in found, (policy_id, kind, fact)
            assert letter.subject in found, (policy_id, kind)
            if "details" in placeholders_in(default.body):
                assert DETAILS in found, (policy_id, kind)
            if "agreement_terms" in placeholders_in(default.body):
                assert "No loud music after 11pm" in found, (policy_id, kind)
            if "survey_link" in placeholders_in(default.body):
                assert "/survey/" in found, (policy_id, kind)
            if party == s.reported:
                assert "Amira" not in found and "Oak Road" not in found, (policy_id, kind)  # never the reporter
        assert letter.template_version == 0 and letter.pdf_sha256
    assert AuditEvent.objects.filter(verb=Verb.LETTER_MADE, object_id=str(s.case.pk)).count() == len(default_letters())


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return ready(setting("emh", staff, make_user))


def test_a_letter_to_the_reported_person_never_names_the_reporter_without_consent(emh) -> None:  # type: ignore[no-untyped-def]
    for details, what in ((f"{DETAILS} Amira Khan saw it.", "their name"),
                          ("Call 07700 900123 about it.", "their phone number"),
                          ("Music heard at 12 Oak Road.", "their address")):  # fmt: skip
        with pytest.raises(ApplicationError) as refused:
            letter_make(actor=emh.officer, case=emh.case, kind="warning", party=emh.reported, details=details)
        assert refused.value.code == "confidential" and what in refused.value.message
        assert "emh 6.6-6.7" in refused.value.message
    assert not Letter.objects.exists()
    Party.objects.filter(pk=emh.reporter.pk).update(may_be_named=True)
    letter = letter_make(actor=emh.officer, case=emh.case, kind="warning", party=emh.reported,
                         details=f"{DETAILS} Amira Khan saw it.")  # fmt: skip
    assert "Amira Khan" in pdf_text(letter)


def test_a_reporter_letter_with_reporter_placeholders_cannot_go_to_the_reported_person(emh) -> None:  # type: ignore[no-untyped-def]
    from haven.letters.models import LetterTemplate

    body = "Dear {{ recipient_name }}\n\nWe wrote to {{ reporter_name }}."
    LetterTemplate.objects.create(landlord=emh.landlord, kind="acknowledgement", version=1, published_by=emh.officer,
                                  subject="Your report", body=body)  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        letter_make(actor=emh.officer, case=emh.case, kind="acknowledgement", party=emh.reported)
    assert refused.value.code == "confidential"
    letter = letter_make(actor=emh.officer, case=emh.case, kind="acknowledgement", party=emh.reporter)
    assert letter.template_version == 1 and "We wrote to Amira Khan." in pdf_text(letter)


def test_large_print_follows_the_persons_needs_and_a_person_without_an_address_is_refused(emh) -> None:  # type: ignore[no-untyped-def]
    Party.objects.filter(pk=emh.reported.pk).update(communication_needs="Needs large print, please")
    emh.reported.refresh_from_db()
    letter = letter_make(actor=emh.officer, case=emh.case, kind="advisory", party=emh.reported, details=DETAILS)
    assert letter.format == "large"
    sizes = {run.font.size.pt for p in Document(BytesIO(bytes(letter.docx))).paragraphs for run in p.runs
             if run.font.size} | {Document(BytesIO(bytes(letter.docx))).styles["Normal"].font.size.pt}  # fmt: skip
    assert sizes == {16.0}
    Party.objects.filter(pk=emh.reported.pk).update(address="")
    emh.reported.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        letter_make(actor=emh.officer, case=emh.case, kind="advisory", party=emh.reported)
    assert "There is no address for Dan Reid" in refused.value.fields["party"]
    assert Letter.objects.count() == 1


def test_a_letter_is_emailed_after_the_commit_with_the_pdf_attached(emh, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    Party.objects.filter(pk=emh.reporter.pk).update(email="amira@example.org")
    emh.reporter.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_make(actor=emh.officer, case=emh.case, kind="acknowledgement", party=emh.reporter, email=True)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["amira@example.org"] and emh.case.reference in sent.subject and "Amira" not in sent.subject
    assert sent.attachments[0][1] == bytes(letter.pdf)
    letter.refresh_from_db()
    assert letter.emailed_at is not None
    assert AuditEvent.objects.filter(verb=Verb.LETTER_EMAILED, object_id=str(emh.case.pk)).count() == 1


def test_the_case_page_makes_a_letter_and_serves_its_files_audited(emh, make_user) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(emh.officer)
    page = client.get(f"/cases/{emh.case.reference}/")
    assert "Make a letter" in text(page)
    bad = client.post(f"/cases/{emh.case.reference}/letters/", {"letter-kind": "warning", "letter-party": "",
                                                                "letter-details": DETAILS})  # fmt: skip
    assert bad.status_code == 400 and "Choose who the letter is to." in text(bad) and DETAILS in text(bad)
    made = client.post(f"/cases/{emh.case.reference}/letters/", {"letter-kind": "warning",
                       "letter-party": str(emh.reported.pk), "letter-details": DETAILS})  # fmt: skip
    assert made.status_code == 303
    letter = Letter.objects.get()
    page = text(client.get(f"/cases/{emh.case.reference}/"))
    assert letter.title in page and letter.recipient_name in page
    pdf = client.get(f"/cases/{emh.case.reference}/letters/{letter.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/cases/{emh.case.reference}/letters/{letter.pk}.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert AuditEvent.objects.filter(verb=Verb.LETTER_DOWNLOADED, object_id=str(emh.case.pk)).count() == 2
    assert client.get(f"/cases/{emh.case.reference}/letters/{letter.pk}.exe").status_code == 404
    refused = client.post(f"/cases/{emh.case.reference}/letters/", {"letter-kind": "warning",
                          "letter-party": str(emh.reported.pk), "letter-details": "Amira Khan told us."})  # fmt: skip
    assert refused.status_code == 400 and "emh 6.6-6.7" in text(refused) and Letter.objects.count() == 1
