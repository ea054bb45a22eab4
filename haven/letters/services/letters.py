"""Making a letter from a case for one of its people (issue 8).

``letter_make`` fills the landlord's current version of the letter (``letter_template_current``)
with the case's facts (``letter_values``), checks the confidentiality rule, draws the PDF and the
Word file, keeps all three with the template version, records it on the case's timeline (audit
LETTER_MADE) and, when asked, queues an e-mail of the PDF for after the commit.

**Confidentiality (emh 6.6-6.7: "we will not disclose the identity of the reporter without their
consent").** A letter to anyone but a reporter is refused, with the reason, when it would carry a
reporter's details: a reporter placeholder (``placeholders.CONFIDENTIAL``) in the template, or the
reporter's name, phone number, e-mail address or address in what the officer typed (``details``),
unless every reporter so named agreed to be named (``Party.may_be_named``).

**Accessible formats (Peaks & Plains 6.3).** Large print (16 point) when asked, and by default for a
person whose communication needs mention large print.

**Bad input.** A person with no address (neither on the case nor through a current tenancy in the
register) is refused with what to do; so is a survey invitation when the case has no open survey
link for them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Party, PartyRole
from haven.common.errors import ApplicationError
from haven.intake.messages import duration_text
from haven.interventions.models import Intervention
from haven.letters.defaults import default_letters
from haven.letters.models import Letter, LetterFormat, LetterSettings, LetterTemplate
from haven.letters.placeholders import CONFIDENTIAL, placeholders_fill, placeholders_in
from haven.letters.render import LetterContent, letter_docx, letter_pdf, paragraphs_of
from haven.register.models import TenancyMember

DETAILS_MAX = 4000


@dataclass(frozen=True)
class CurrentTemplate:
    kind: str
    title: str
    recipient: str
    source: str
    version: int
    subject: str
    body: str


def letter_template_current(landlord: Any, kind: str) -> CurrentTemplate:
    """The landlord's latest published version of a letter, else Haven's default (version 0)."""
    default = default_letters().get(kind)
    if default is None:
        raise ApplicationError(
            "Choose one of the letters listed.", fields={"kind": "Choose one of the letters listed."}
        )
    latest = LetterTemplate.objects.filter(landlord=landlord, kind=kind).order_by("-version").first()
    if latest is None:
        return CurrentTemplate(kind, default.title, default.recipient, default.source, 0, default.subject, default.body)
    return CurrentTemplate(kind, default.title, default.recipient, default.source, latest.version, latest.subject,
                           latest.body)  # fmt: skip


def _lines(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\n,]", text) if part.strip()]


def address_lines(party: Party) -> list[str]:
    """Where to post a letter: the address on the case, else the home of the person's current
    tenancy in the register; empty when neither is known."""
    if party.address.strip():
        return _lines(party.address)
    if party.person_id is None:
        return []
    member = (
        TenancyMember.objects.filter(person_id=party.person_id, tenancy__ends_on__isnull=True)
        .select_related("tenancy__property")
        .order_by("-tenancy__starts_on")
        .first()
    )
    if member is None:
        return []
    home = member.tenancy.property
    return [line for line in (home.address_line_1, home.address_line_2, home.address_line_3, home.town,
                              home.postcode) if line]  # fmt: skip


def _long_date(value: Any) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _agreement_terms(case: Case, party: Party) -> str:
    agreement = Intervention.objects.filter(case=case, party=party, agreement=True).order_by("-created_at").first()
    if agreement is None:
        return ""
    return "\n".join(f"{term.number}. {term.text}" for term in agreement.terms.all())


def _survey_link(case: Case, party: Party) -> str:
    from haven.reviews.models import SurveyInvitation
    from haven.reviews.services.survey_mail import site_url, survey_path, survey_sign

    invitation = (
        SurveyInvitation.objects.filter(
            case=case, party=party, used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
    )
    return site_url() + survey_path(survey_sign(invitation, case.policy_id)) if invitation else ""


def _case_review(case: Case) -> tuple[str, str]:
    from haven.reviews.selectors.case_review import case_area

    area = case_area(case=case)
    if area is None:
        return ("Ask us, and we will tell you who runs ASB Case Reviews where you live.",
                "three complaints about anti-social behaviour within six months")  # fmt: skip
    contact = ", ".join(v for v in (area.lead_agency, area.contact_name, area.contact_phone, area.contact_email,
                                    area.procedure_url) if v)  # fmt: skip
    threshold = f"{area.threshold_complaints} complaints about anti-social behaviour within six months"
    if area.hate_incident_qualifies:
        threshold += ", or one complaint of a hate incident"
    if area.community_reports:
        threshold += f", or reports from {area.community_reports} different people about the same problem"
    return contact or area.name, threshold


def _reporter_for_others(case: Case) -> Party | None:
    return next((p for p in _reporters(case) if p.may_be_named), None)


def _reporters(case: Case) -> list[Party]:
    return [p for p in case.parties.all() if p.role == PartyRole.REPORTER and p.removed_at is None]


def letter_values(*, case: Case, party: Party, actor: User, details: str = "") -> dict[str, str]:
    """What each placeholder says in a letter for ``party`` on ``case``."""
    profile = landlord_profile(case.landlord)
    settings = LetterSettings.objects.filter(landlord=case.landlord).first()
    officer = case.officer or actor
    categories = {c.code: c.label for c in profile.categories}
    tier = next((t for t in profile.triage.tiers if t.id == case.tier), None)
    reporter = party if party.role == PartyRole.REPORTER else _reporter_for_others(case)
    contact, threshold = _case_review(case)
    values = {
        "today": _long_date(timezone.localdate()), "landlord_name": case.landlord.name,
        "landlord_address": ", ".join(_lines(settings.address)) if settings else "",
        "landlord_phone": settings.phone if settings else "", "landlord_email": settings.email if settings else "",
        "landlord_website": settings.website if settings else "",
        "officer_name": officer.get_full_name() or officer.get_username(),
        "officer_email": officer.email or (settings.email if settings else ""),
        "officer_phone": settings.phone if settings else "",
        "recipient_name": party.display_name, "recipient_address": ", ".join(address_lines(party)),
        "case_reference": case.reference, "case_opened": _long_date(timezone.localtime(case.opened_at).date()),
        "case_category": categories.get(case.category, case.category),
        "response_target": duration_text(tier.response_target) if tier else "",
        "details": details.strip(),
        "next_review": _long_date(timezone.localtime(case.review_due_at).date()) if case.review_due_at else "",
        "closure_outcome": case.outcome, "agreement_terms": _agreement_terms(case, party),
        "case_review_contact": contact, "case_review_threshold": threshold,
        "survey_link": _survey_link(case, party),
        "reporter_name": reporter.display_name if reporter else "",
        "reporter_address": ", ".join(address_lines(reporter)) if reporter else "",
        "reporter_phone": reporter.phone if reporter else "", "reporter_email": reporter.email if reporter else "",
    }  # fmt: skip
    return values


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _named_in(text: str, reporter: Party) -> str:
    """Which of the reporter's details ``text`` gives, in words, or ""."""
    lowered = text.casefold()
    names = {reporter.name.strip()}
    if reporter.person is not None:
        names.add(f"{reporter.person.first_name} {reporter.person.last_name}".strip())
    if any(len(n) >= 3 and n.casefold() in lowered for n in names if n):
        return "their name"
    phone = _digits(reporter.phone)
    if len(phone) >= 6 and phone in _digits(text):
        return "their phone number"
    if reporter.email and reporter.email.casefold() in lowered:
        return "their e-mail address"
    lines = address_lines(reporter)
    if lines and len(lines[0]) >= 5 and lines[0].casefold() in lowered:
        return "their address"
    return ""


def confidentiality_check(*, case: Case, party: Party, template: CurrentTemplate, details: str) -> None:
    """Refuse a letter to anyone but a reporter that would give away a reporter (emh 6.6-6.7)."""
    if party.role == PartyRole.REPORTER:
        return
    reporters = [r for r in _reporters(case) if not r.may_be_named]
    if not reporters:
        return
    used = placeholders_in(template.subject, template.body) & CONFIDENTIAL
    if used:
        message = (
            f"This letter would give the reporter's details to {party.display_name}, and the reporter has not agreed "
            "to be named (emh 6.6-6.7). Choose another letter, or record the reporter's agreement on the case first."
        )
        raise ApplicationError(message, fields={"kind": message}, code="confidential")
    for reporter in reporters:
        what = _named_in(details, reporter)
        if what:
            message = (
                f"What you typed gives the reporter's details ({what}) to {party.display_name}, and the reporter has "
                "not agreed to be named (emh 6.6-6.7). Take them out of the text."
            )
            raise ApplicationError(message, fields={"details": message}, code="confidential")


def large_print_needed(party: Party) -> bool:
    return "large print" in party.communication_needs.casefold()


def letter_content(*, case: Case, party: Party, template: CurrentTemplate, values: dict[str, str],
                   fmt: str) -> LetterContent:  # fmt: skip
    settings = LetterSettings.objects.filter(landlord=case.landlord).first()
    head = [*(_lines(settings.address) if settings else [])]
    if settings:
        head += [v for v in (settings.phone, settings.email, settings.website) if v]
    return LetterContent(
        landlord_name=case.landlord.name, landlord_lines=head, date=values["today"], reference=case.reference,
        recipient_name=values["recipient_name"], recipient_lines=address_lines(party),
        subject=placeholders_fill(template.subject, values),
        paragraphs=paragraphs_of(placeholders_fill(template.body, values)), format=fmt,
    )  # fmt: skip


@transaction.atomic
def letter_make(
    *, actor: User, case: Case, kind: str, party: Party, details: str = "", fmt: str = "", email: bool = False,
    via: str = "web",
) -> Letter:  # fmt: skip
    """Make, keep and (when asked) e-mail a letter; nothing is kept if anything is wrong."""
    if not can_work_case(actor, case):
        raise ApplicationError("Only the case's caseworkers can make its letters.", code="forbidden")
    template = letter_template_current(case.landlord, kind)
    problems: dict[str, str] = {}
    if party.case_id != case.pk or party.removed_at is not None:
        problems["party"] = "Choose one of the people on this case."
    elif party.anonymous:
        problems["party"] = "This reporter asked to stay anonymous: Haven has no name or address to write to."
    elif not address_lines(party):
        problems["party"] = (f"There is no address for {party.display_name}. Add their address in the case's People "
                             "section, or link them to the register.")  # fmt: skip
    if len(details) > DETAILS_MAX:
        problems["details"] = f"Write no more than {DETAILS_MAX:,} characters here."
    if email and not party.email:
        problems["email"] = f"There is no e-mail address for {party.display_name}: post the letter instead."
    if fmt and fmt not in LetterFormat.values:
        problems["format"] = "Choose standard or large print."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    confidentiality_check(case=case, party=party, template=template, details=details)
    values = letter_values(case=case, party=party, actor=actor, details=details)
    if "survey_link" in placeholders_in(template.body) and not values["survey_link"]:
        message = ("There is no open survey link for this person. Close the case (which invites the reporter) or "
                   "send a new survey link from the case page first.")  # fmt: skip
        raise ApplicationError(message, fields={"kind": message})
    chosen = fmt or (LetterFormat.LARGE if large_print_needed(party) else LetterFormat.STANDARD)
    content = letter_content(case=case, party=party, template=template, values=values, fmt=chosen)
    pdf = letter_pdf(content)
    letter = Letter.objects.create(
        case=case, party=party, kind=kind, title=template.title, template_version=template.version,
        subject=content.subject, body="\n\n".join(content.paragraphs), recipient_name=content.recipient_name,
        recipient_address="\n".join(content.recipient_lines), format=chosen, pdf=pdf, docx=letter_docx(content),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(), created_by=actor, email_to=party.email if email else "",
    )  # fmt: skip
    audit_record(
        actor=actor, verb=Verb.LETTER_MADE, target=case, via=via,
        label=f"{template.title} (version {template.version}) for the {party.get_role_display().lower()}",
        changes={"letter": [None, letter.pk]},
    )  # fmt: skip
    if email:
        from haven.letters.tasks import letter_email_task

        transaction.on_commit(lambda: letter_email_task.enqueue(letter_id=letter.pk))
    return letter


@transaction.atomic
def letter_downloaded(*, actor: User, letter: Letter, what: str, via: str = "web") -> None:
    audit_record(actor=actor, verb=Verb.LETTER_DOWNLOADED, target=letter.case, via=via,
                 label=f"{letter.title} ({what})", changes={"letter": [letter.pk, letter.pk]})  # fmt: skip
