"""Demo letters (issue 8): each landlord's letterhead (fictional addresses; phone numbers in
Ofcom's drama range), and an acknowledgement letter to the reporter of its first open case with an
address, made through the real service (a PDF and a Word file on the case)."""

from __future__ import annotations

from haven.accounts.models import User
from haven.cases.models import Case, PartyRole
from haven.common.errors import ApplicationError
from haven.letters.models import LetterSettings
from haven.letters.services.letters import address_lines, letter_make


def letters_generate(*, cases: list[Case], users: dict[str, User]) -> None:
    officer = users["officer"]
    landlord = officer.landlord
    assert landlord is not None
    LetterSettings.objects.update_or_create(
        landlord=landlord,
        defaults={"address": "1 Example Street\nDemotown\nDE1 1AA", "phone": "01632 960000",
                  "email": f"asb@{landlord.slug}.example.org", "website": f"https://{landlord.slug}.example.org"},
    )  # fmt: skip
    for case in cases:
        case.refresh_from_db()
        reporter = next((p for p in case.parties.all() if p.role == PartyRole.REPORTER and not p.anonymous), None)
        if not case.is_open or reporter is None or not address_lines(reporter):
            continue
        try:
            letter_make(actor=case.officer or officer, case=case, kind="acknowledgement", party=reporter, via="command")
        except ApplicationError:
            continue
        return
