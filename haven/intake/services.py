"""Every write to reports: receiving one from any channel, its evidence, and the triage decision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haven.accounts.models import Landlord, User
from haven.accounts.permissions import can_triage
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.selectors import cases_for_user
from haven.cases.services import case_flags, case_open
from haven.common.errors import ApplicationError
from haven.common.files import Sniffed, store, uploads_check
from haven.common.notify import email_enqueue
from haven.common.sequences import sequence_next
from haven.intake.messages import what_happens_next
from haven.intake.models import Channel, ContactPreference, Evidence, Report, ReportStatus
from haven.policies.schema import Flag
from haven.policies.screen import screen_unknown_answers, tier_from_screen
from haven.register import fields
from haven.register.models import Person, Property

TEXT_LIMIT = 10_000  # characters in any one answer
TRIAGE_FLAGS = frozenset(f.value for f in (Flag.HATE, Flag.DOMESTIC_ABUSE, Flag.SAFEGUARDING, Flag.STAFF_TARGETED))


# ---- receiving a report ---------------------------------------------------------------------------


def evidence_check(files: Sequence[UploadedFile]) -> tuple[list[tuple[UploadedFile, Sniffed]], list[str]]:
    """Check each file by content against the allow-list and the size limit; return the good ones
    and a plain message per bad one. Nothing is stored here (``common.files``)."""
    too_many = _("Send at most %(n)s files with one report.") % {"n": settings.HAVEN_EVIDENCE_MAX_FILES}
    return uploads_check(files, too_many=too_many)


def _store(upload: UploadedFile, found: Sniffed) -> tuple[str, str]:
    return store(upload, found, Path(settings.HAVEN_EVIDENCE_DIR))


def evidence_path(evidence: Evidence) -> Path:
    return Path(settings.HAVEN_EVIDENCE_DIR) / evidence.stored_as


def report_reference(*, landlord: Landlord, year: int) -> str:
    return f"REP-{year}-{sequence_next(f'report:{landlord.pk}:{year}'):06d}"


def report_create(
    *,
    actor: User | str,
    landlord: Landlord,
    channel: str,
    what: str,
    received_at: datetime | None = None,
    anonymous: bool = False,
    reporter_person: Person | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    preferred_contact: str = "",
    communication_needs: str = "",
    on_behalf_of: str = "",
    on_behalf_relationship: str = "",
    targets_staff: bool = False,
    property: Property | None = None,
    address: str = "",
    postcode: str = "",
    uprn: str = "",
    where: str = "",
    who: str = "",
    when: str = "",
    happened_on: date | None = None,
    how_often: str = "",
    steps_taken: str = "",
    other_agencies: str = "",
    category_suggested: str = "",
    language: str = "en",
    files: Sequence[UploadedFile] = (),
    via: str = "web",
) -> Report:
    """Receive a report of ASB from any channel (WWH 3.0: any way is most convenient to them).

    Every problem is found before anything is written; then the report, its evidence files (checked
    by content, stored under random names, SHA-256 at receipt) and the audit event are saved
    together, and the acknowledgement is e-mailed when the transaction commits. Anonymous reports
    keep no name or contact details (emh 6.6).
    """
    profile = landlord_profile(landlord)
    now = timezone.now()
    received_at = received_at or now
    problems: dict[str, str] = {}
    texts = {
        "what": what, "where": where, "who": who, "when": when, "how_often": how_often,
        "steps_taken": steps_taken, "other_agencies": other_agencies, "communication_needs": communication_needs,
    }  # fmt: skip
    texts = {k: (v or "").strip() for k, v in texts.items()}
    for name, text in texts.items():
        if len(text) > TEXT_LIMIT:
            problems[name] = _("Write no more than %(n)s characters here.") % {"n": f"{TEXT_LIMIT:,}"}
        if "\x00" in text:
            problems[name] = _("This answer contains a character that cannot be saved.")
    if not texts["what"]:
        problems["what"] = _("Tell us what happened.")
    if channel not in Channel.values:
        problems["channel"] = _("Choose how the report was made: %(channels)s.") % {
            "channels": ", ".join(Channel.values)
        }
    if received_at > now + timedelta(minutes=5):
        problems["received_at"] = _("The date the report was received cannot be in the future.")
    if happened_on is not None and happened_on > timezone.localdate():
        problems["happened_on"] = _("The date it happened cannot be in the future.")
    clean_postcode = ""
    if postcode.strip():
        try:
            clean_postcode = fields.postcode_clean(postcode)
        except ValueError:
            problems["postcode"] = _("Enter a real postcode, like LE67 4JP.")
    if property is not None and property.landlord_id != landlord.pk:
        problems["property"] = _("That property is not one of this landlord's homes.")
    if reporter_person is not None and reporter_person.landlord_id != landlord.pk:
        problems["reporter_person"] = _("That person is not in this landlord's register.")
    clean_uprn = ""
    if uprn.strip():
        try:
            clean_uprn = fields.uprn_clean(uprn)
        except ValueError as error:
            problems["uprn"] = str(error)
    if property is None and not address.strip() and not texts["where"] and not clean_uprn:
        problems["address"] = _("Tell us where it happened: an address, or a description of the place.")
    if len(address) > 300:
        problems["address"] = _("Write the address in no more than 300 characters.")
    if not anonymous:
        name = reporter_name.strip() or (
            f"{reporter_person.first_name} {reporter_person.last_name}" if reporter_person else ""
        )
        if not name:
            problems["reporter_name"] = _("Enter your name, or choose to report anonymously.")
        elif len(name) > 200:
            problems["reporter_name"] = _("Enter a name of no more than 200 characters.")
        if reporter_email.strip():
            try:
                fields.email_clean(reporter_email)
            except ValueError:
                problems["reporter_email"] = _("Enter an e-mail address in the right format, like name@example.com.")
        if reporter_phone.strip():
            try:
                fields.phone_clean(reporter_phone)
            except ValueError:
                problems["reporter_phone"] = _("Enter a phone number, like 07700 900 982.")
        if preferred_contact and preferred_contact not in ContactPreference.values:
            problems["preferred_contact"] = _("Choose how you would like us to contact you.")
        elif preferred_contact == ContactPreference.EMAIL and not reporter_email.strip():
            problems.setdefault("reporter_email", _("Enter your e-mail address, as you would like us to e-mail you."))
        elif preferred_contact in (ContactPreference.PHONE, ContactPreference.TEXT) and not reporter_phone.strip():
            problems.setdefault(
                "reporter_phone", _("Enter your phone number, as you would like us to phone or text you.")
            )
    if category_suggested and category_suggested not in {c.code for c in profile.categories}:
        problems["category"] = _("'%(code)s' is not a category of this landlord's policy.") % {
            "code": category_suggested
        }
    good, file_problems = evidence_check(list(files))
    if file_problems:
        problems["evidence"] = " ".join(file_problems)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)

    stored: list[Path] = []
    try:
        with transaction.atomic():
            report = Report.objects.create(
                landlord=landlord,
                reference=report_reference(landlord=landlord, year=timezone.localtime(received_at).year),
                channel=channel,
                received_at=received_at,
                language=language if language in ("en", "cy") else "en",
                recorded_by=actor if isinstance(actor, User) else None,
                anonymous=anonymous,
                reporter_person=None if anonymous else reporter_person,
                reporter_name="" if anonymous else (reporter_name.strip() or _person_name(reporter_person))[:200],
                reporter_phone="" if anonymous else reporter_phone.strip(),
                reporter_email="" if anonymous else reporter_email.strip(),
                preferred_contact="" if anonymous else preferred_contact,
                communication_needs=texts["communication_needs"],
                on_behalf_of=on_behalf_of.strip()[:200],
                on_behalf_relationship=on_behalf_relationship.strip()[:100],
                targets_staff=targets_staff,
                property=property,
                address=address.strip(),
                postcode=clean_postcode or (property.postcode if property else ""),
                uprn=property.uprn if property else clean_uprn,
                what=texts["what"],
                where=texts["where"],
                who=texts["who"],
                when=texts["when"],
                happened_on=happened_on,
                how_often=texts["how_often"],
                steps_taken=texts["steps_taken"],
                other_agencies=texts["other_agencies"],
                category_suggested=category_suggested,
            )
            for upload, found in good:
                name, digest = _store(upload, found)
                stored.append(Path(settings.HAVEN_EVIDENCE_DIR) / name)
                evidence = Evidence.objects.create(
                    landlord=landlord,
                    report=report,
                    original_name=(upload.name or "file")[:255],
                    stored_as=name,
                    kind=found.kind,
                    content_type=found.content_type,
                    size=upload.size or 0,
                    sha256=digest,
                    uploaded_by=actor if isinstance(actor, User) else None,
                )
                audit_record(
                    actor=actor, verb=Verb.EVIDENCE_RECEIVED, target=evidence, landlord_id=landlord.pk,
                    label=f"{report.reference} {evidence.kind}", via=via, changes={"sha256": [None, digest]},
                )  # fmt: skip
            audit_record(
                actor=actor, verb=Verb.REPORT_RECEIVED, target=report, via=via,
                changes={"channel": [None, channel], "anonymous": [None, anonymous], "evidence": [None, len(good)]},
            )  # fmt: skip
            if report.reporter_email:
                _acknowledge(report=report, landlord=landlord)
    except BaseException:
        for path in stored:  # no file left behind without its record
            path.unlink(missing_ok=True)
        raise
    return report


def _person_name(person: Person | None) -> str:
    return f"{person.first_name} {person.last_name}" if person else ""


def _acknowledge(*, report: Report, landlord: Landlord) -> None:
    profile = landlord_profile(landlord)
    with translation.override(report.language):
        steps = what_happens_next(profile=profile, anonymous=report.anonymous)
        subject = _("We have received your report %(reference)s") % {"reference": report.reference}
        body = "\n\n".join(
            [
                _("Thank you for telling us about anti-social behaviour. Your reference is %(reference)s.")
                % {"reference": report.reference},
                _("What happens next:"),
                *[f"- {step}" for step in steps],
                profile.landlord.name,
            ]
        )
    email_enqueue(to=[report.reporter_email], subject=subject, body=body)


# ---- triage: the policy decision ------------------------------------------------------------------


@transaction.atomic
def report_triage(
    *,
    actor: User,
    report: Report,
    is_asb: bool,
    reason: str = "",
    not_asb_reason: str = "",
    advice_given: str = "",
    advice_routes: Sequence[str] = (),
    category: str | None = None,
    tier: str | None = None,
    screen: dict[str, bool] | None = None,
    link_to_case: str | None = None,
    details_confirmed: bool = False,
    extra_flags: Sequence[str] = (),
    officer: User | None = None,
    via: str = "web",
) -> Report:
    """Decide a report against the landlord's policy.

    Not ASB: the reason (against the profile's not-ASB list, emh 3.8; pnp 4.4) and the advice given,
    with where the person was signposted. ASB: link it to an open case about the same matter, or
    set the category and the tier (given, or from the initial risk screen, emh 4.4) and then, by
    the profile: open a case with its named officer and response target, record advice only
    (WWH 3.0 route 1), or keep it as information only when anonymous (Livv).
    """
    if not can_triage(actor) or actor.landlord_id != report.landlord_id:
        raise ApplicationError("You cannot triage reports.")
    report = Report.objects.select_for_update(of=("self",)).select_related("landlord", "property").get(pk=report.pk)
    if report.status != ReportStatus.NEW:
        raise ApplicationError(
            f"Report {report.reference} has already been triaged ({report.get_status_display().lower()})."
        )
    landlord = report.landlord
    profile = landlord_profile(landlord)
    problems: dict[str, str] = {}
    routes = {r.code for r in profile.not_asb.advice_routes}
    bad_routes = [r for r in advice_routes if r not in routes]
    if bad_routes:
        problems["advice_routes"] = f"Not an advice route of this policy: {', '.join(bad_routes)}."
    bad_flags = [f for f in extra_flags if f not in TRIAGE_FLAGS]
    if bad_flags:
        problems["flags"] = f"Unknown flags: {', '.join(bad_flags)}; use {', '.join(sorted(TRIAGE_FLAGS))}."
    report.triaged_at, report.triaged_by, report.is_asb = timezone.now(), actor, is_asb
    report.policy_id, report.policy_version = profile.id, profile.version
    report.advice_routes = list(advice_routes)
    report.advice_given = advice_given.strip()
    report.decision_reason = (reason or not_asb_reason).strip()
    changes: dict[str, Any] = {"is_asb": [None, is_asb]}

    if not is_asb:
        if not not_asb_reason.strip() and not reason.strip():
            problems["not_asb_reason"] = "Say why this is not ASB under the policy."
        if not advice_given.strip():
            problems["advice_given"] = "Record the advice given to the person."
        _raise(problems)
        report.status = ReportStatus.NOT_ASB
        return _save_triage(actor, report, changes | {"status": [ReportStatus.NEW, report.status]}, via)

    if link_to_case:
        # Only a case this user may see: a restricted case is not joined by someone outside it.
        case = cases_for_user(user=actor).filter(reference=link_to_case.strip()).first()
        if case is None:
            problems["link_to_case"] = f"There is no case {link_to_case}."
        elif not case.is_open:
            problems["link_to_case"] = f"Case {case.reference} is closed; a new report after closure opens a new case."
        _raise(problems)
        assert case is not None
        report.case, report.status = case, ReportStatus.LINKED
        report.category, report.tier = case.category, case.tier
        audit_record(
            actor=actor, verb=Verb.REPORT_LINKED, target=case, via=via, changes={"report": [None, report.reference]}
        )
        return _save_triage(actor, report, changes | {"case": [None, case.reference]}, via)

    categories = {c.code for c in profile.categories}
    tier_ids = {t.id for t in profile.triage.tiers}
    if not category:
        problems["category"] = "Choose the category of ASB."
    elif category not in categories:
        problems["category"] = (
            f"'{category}' is not a category of this landlord's policy: {', '.join(sorted(categories))}."
        )
    if tier and tier not in tier_ids:
        problems["tier"] = (
            f"'{tier}' is not a tier of this landlord's policy: {', '.join(t.id for t in profile.triage.tiers)}."
        )
    if not tier and screen is None:
        problems["tier"] = "Choose a tier, or answer the risk screen so Haven can work it out."
    if screen is not None:
        unknown = screen_unknown_answers(profile, screen)
        if unknown:
            problems["screen"] = f"Not questions of this landlord's risk screen: {', '.join(unknown)}."
    _raise(problems)
    assert category is not None
    chosen = tier
    if screen is not None:
        result = tier_from_screen(profile=profile, category_code=category, answers=screen)
        report.screen_answers, report.screen_score, report.screen_version = (
            result.answers,
            result.score,
            result.screen_version,
        )
        if not tier or profile.tier(tier).rank < result.tier.rank:
            chosen = result.tier.id  # emh 4.2: the screen's harm-centred result is never lowered
        changes["screen"] = [None, {"score": result.score, "tier": result.tier.id, "version": result.screen_version}]
    assert chosen is not None
    flags = set(extra_flags) | ({Flag.STAFF_TARGETED.value} if report.targets_staff else set())
    report.category, report.tier = category, chosen
    report.flags = case_flags(profile=profile, category_code=category, extra=flags)
    changes |= {"category": [None, category], "tier": [None, chosen]}

    handling = profile.anonymous_reports.handling
    if report.anonymous and (
        handling == "information_only" or (handling == "information_only_if_unconfirmed" and not details_confirmed)
    ):
        report.status = ReportStatus.INFORMATION_ONLY  # Livv: information only unless details can be confirmed
    elif not profile.tier(chosen).opens_case:
        if not advice_given.strip():
            _raise({"advice_given": f"{profile.tier(chosen).label}: record the advice given."})
        report.status = ReportStatus.ADVICE_ONLY  # WWH 3.0 route 1: advice, not recorded as a case
    else:
        prop = report.property
        reporter: dict[str, Any] = (
            {"anonymous": True}
            if report.anonymous
            else {
                "person": report.reporter_person, "name": report.reporter_name, "phone": report.reporter_phone,
                "email": report.reporter_email, "preferred_contact": report.preferred_contact,
                "communication_needs": report.communication_needs,
            }
        )  # fmt: skip
        case = case_open(
            actor=actor,
            landlord=landlord,
            category=category,
            tier=chosen,
            flags=report.flags,
            received_at=report.received_at,
            property=prop,
            location=report.address or report.where[:300],
            postcode=report.postcode,
            reporter=reporter,
            officer=officer,
            via=via,
        )
        report.case, report.status = case, ReportStatus.CASE_OPENED
        changes["case"] = [None, case.reference]
    changes["status"] = [ReportStatus.NEW, report.status]
    return _save_triage(actor, report, changes, via)


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)


def _save_triage(actor: User, report: Report, changes: dict[str, Any], via: str) -> Report:
    report.save()
    audit_record(actor=actor, verb=Verb.REPORT_TRIAGED, target=report, via=via, changes=changes)
    return report
