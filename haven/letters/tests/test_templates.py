"""An administrator's letters (issue 8): the letterhead, a new version previewed against a real case
and then published; unknown placeholders named at preview and at publish; a letter for reported
people refused the reporter's details; letters made before keep their version."""

from __future__ import annotations

import pytest

from haven.audit.models import AuditEvent, Verb
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.interventions.tests.factories import setting
from haven.letters.models import Letter, LetterSettings, LetterTemplate
from haven.letters.placeholders import placeholders_check
from haven.letters.services.letters import letter_make

pytestmark = pytest.mark.django_db
BODY = "Dear {{ recipient_name }}\n\nWe have opened case {{ case_reference }}.\n\nYours sincerely\n{{ officer_name }}"


def test_unknown_placeholders_and_stray_braces_are_named() -> None:
    with pytest.raises(ApplicationError) as refused:
        placeholders_check(subject="Case {{ case_ref }}", body="Dear {{ recipient_name }} {{ nme }}")
    assert "{{ case_ref }}" in refused.value.fields["subject"] and "{{ nme }}" in refused.value.fields["body"]
    with pytest.raises(ApplicationError) as refused:
        (placeholders_check(subject="ok", body="Dear {{ recipient_name }"),)
    assert "two braces on each side" in refused.value.fields["body"]
    placeholders_check(subject="Case {{ case_reference }}", body=BODY)


@pytest.fixture
def world(staff, make_user):  # type: ignore[no-untyped-def]
    s = setting("emh", staff, make_user)
    s.reporter.__class__.objects.filter(pk=s.reporter.pk).update(address="12 Oak Road, Coalville")
    return s, make_user(s.landlord, "admin")


def test_an_administrator_previews_then_publishes_a_version_and_old_letters_keep_theirs(world) -> None:  # type: ignore[no-untyped-def]
    s, admin = world
    before = letter_make(actor=s.officer, case=s.case, kind="acknowledgement", party=s.reporter)
    client = signed_in(admin)
    assert "Acknowledgement" in text(client.get("/letters/"))
    form = {"subject": "About {{ case_reference }}", "body": BODY, "case": s.case.reference}
    preview = client.post("/letters/acknowledgement/", {**form, "preview": "1"})
    assert preview.status_code == 200 and f"We have opened case {s.case.reference}." in text(preview)
    assert not LetterTemplate.objects.exists()
    seen = AuditEvent.objects.filter(verb=Verb.LETTER_PREVIEWED, object_id=str(s.case.pk), actor=admin)
    assert seen.count() == 1  # the administrator saw the case's facts: recorded as a view of the case
    s.case.__class__.objects.filter(pk=s.case.pk).update(restricted=True)
    restricted = client.post("/letters/acknowledgement/", {**form, "preview": "1"})
    assert restricted.status_code == 400 and "restricted to its caseworkers" in text(restricted)
    s.case.__class__.objects.filter(pk=s.case.pk).update(restricted=False)
    bad = client.post("/letters/acknowledgement/", {**form, "body": BODY + " {{ reporter_phon }}", "preview": "1"})
    assert bad.status_code == 400 and "{{ reporter_phon }}" in text(bad) and "We have opened case" in text(bad)
    bad = client.post("/letters/acknowledgement/", {**form, "body": BODY + " {{ reporter_phon }}", "publish": "1"})
    assert bad.status_code == 400 and "{{ reporter_phon }}" in text(bad) and not LetterTemplate.objects.exists()
    missing = client.post("/letters/acknowledgement/", {**form, "case": "ASB-1999-000001", "preview": "1"})
    assert missing.status_code == 400 and "There is no case of yours with that reference." in text(missing)
    published = client.post("/letters/acknowledgement/", {**form, "publish": "1"})
    assert published.status_code == 303 and LetterTemplate.objects.get().version == 1
    after = letter_make(actor=s.officer, case=s.case, kind="acknowledgement", party=s.reporter)
    assert (after.template_version, after.subject) == (1, f"About {s.case.reference}")
    before.refresh_from_db()
    assert before.template_version == 0 and before.subject != after.subject
    assert AuditEvent.objects.filter(verb=Verb.LETTER_TEMPLATE_PUBLISHED).count() == 1


def test_a_letter_for_reported_people_cannot_use_the_reporters_details(world) -> None:  # type: ignore[no-untyped-def]
    _, admin = world
    form = {"subject": "Warning", "publish": "1", "body": BODY + "\n\n{{ reporter_name }} told us."}
    answer = signed_in(admin).post("/letters/warning/", form)
    assert answer.status_code == 400 and "emh 6.6-6.7" in text(answer) and not LetterTemplate.objects.exists()


def test_the_letterhead_is_saved_and_only_administrators_edit_letters(world) -> None:  # type: ignore[no-untyped-def]
    s, admin = world
    client = signed_in(admin)
    bad = client.post("/letters/", {"address": "1 High Street", "website": "javascript:alert(1)"})
    assert bad.status_code == 400 and "https://" in text(bad) and not LetterSettings.objects.exists()
    good = client.post("/letters/", {"address": "1 High Street\nTown", "phone": "0300 123 4567",
                                     "website": "https://example.org"})  # fmt: skip
    assert good.status_code == 303 and LetterSettings.objects.get().phone == "0300 123 4567"
    assert signed_in(s.officer).get("/letters/").status_code == 403
    assert (
        signed_in(s.manager).post("/letters/warning/", {"subject": "x", "body": BODY, "publish": "1"}).status_code
        == 403
    )
    assert client.get("/letters/no-such-letter/").status_code == 404
    assert not Letter.objects.exists()
