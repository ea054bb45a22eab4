"""Interventions in the API: the bodies to record one, move it on and record an agreement's breach
or review, and how interventions and the twin track are shown (whg 2.11; pnp 1.3; emh 4.10, 5.6).

The request serializers check shapes only; the rules are in ``haven.interventions.services.toolkit``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.cases import PartyField
from haven.api.serializers.common import StrictSerializer, choice, text
from haven.common.stale import version_of
from haven.interventions.models import Intervention, InterventionKind, InterventionStatus
from haven.interventions.selectors.toolkit import InterventionRow, TrackItem, TwinTrack

DATE_ERRORS: dict[str, Any] = {"invalid": "Give the date as YYYY-MM-DD, like 2026-03-27."}


def _date(help_text: str, **options: Any) -> serializers.DateField:
    options.setdefault("required", False)
    options.setdefault("allow_null", True)
    return serializers.DateField(help_text=help_text, error_messages=DATE_ERRORS, **options)


def _lines(help_text: str, limit: int) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=limit, allow_blank=True), required=False, help_text=help_text
    )


# ---- bodies ---------------------------------------------------------------------------------------


class InterventionCreateSerializer(StrictSerializer):
    """One use of a tool of the landlord's toolkit (`GET /api/v1/policy` lists none of it; the codes
    are the profile's `interventions.informal` and `interventions.partner_powers`)."""

    what_it_is = "intervention"

    code = text(40, help_text="A tool code of the landlord's informal tools or partner powers. Required.")
    party = PartyField(
        required=False, allow_null=True,
        help_text='Against or for whom: a party id from the case, or "reporter". Required for an agreement.',
    )  # fmt: skip
    delivered_by = text(150, help_text="The user name of the member of staff who delivered it; default the caller.")
    started_on = _date("When it was used or started. Required; not in the future.")
    details = text(5000, help_text="What was done.")
    partner = text(40, help_text="A partner code of the landlord's policy. Required for a partner power (emh 5.6).")
    support_given = text(5000, help_text="How the landlord supported a partner's power. Required for a partner power.")
    terms = _lines("An agreement's terms, in order (numbered 1, 2, 3...). At least one for an agreement.", 1000)
    signatories = _lines("Who signed the agreement. Required for an agreement.", 200)
    review_on = _date("When the agreement is reviewed; an agreement needs this or `ends_on`, or both.")
    ends_on = _date("When the agreement ends; not before `started_on`.")


class InterventionUpdateSerializer(StrictSerializer):
    """A change to an intervention; leave out what does not change."""

    what_it_is = "intervention update"

    status = serializers.ChoiceField(
        choices=InterventionStatus.choices, required=False, help_text="Completed and ended need an outcome.",
        error_messages={"invalid_choice": f'"{{input}}" is not one of: {", ".join(InterventionStatus.values)}.'},
    )  # fmt: skip
    ended_on = _date("When it ended; today if left out when it is completed or ended. Not before it started.")
    outcome = text(5000, help_text="What came of it.")
    version = text(
        64,
        help_text="The intervention's `version` as last read; if it changed since, the answer is 409 and nothing "
        "is saved.",
    )


class BreachCreateSerializer(StrictSerializer):
    """A breach of an agreement: which term, when, the evidence and the landlord's response."""

    what_it_is = "breach"

    term = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="The number of the term broken. Required.",
        error_messages={"invalid": "Give the term's number, like 2."},
    )  # fmt: skip
    occurred_on = _date("When it happened. Required; while the agreement was in force, not in the future.")
    evidence = text(5000, help_text="The evidence of the breach. Required.")
    response = text(5000, help_text="How the landlord responded. Required.")


class ReviewCreateSerializer(StrictSerializer):
    """A review of an agreement: the next review date, or `end` with the outcome."""

    what_it_is = "review"

    reviewed_on = _date("When it was reviewed. Required; not before the agreement started, not in the future.")
    notes = text(5000, help_text="What the review found. Required.")
    next_review_on = _date("The next review, after this one; it becomes the agreement's `review_on`.")
    end = serializers.BooleanField(required=False, default=False, help_text="End the agreement (completed).")
    outcome = text(5000, help_text="With `end`: what came of the agreement. Required then.")


# ---- documents ------------------------------------------------------------------------------------


class TermSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField()
    text = serializers.CharField()


class BreachSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    term = serializers.IntegerField(help_text="The number of the term broken.")
    occurred_on = serializers.DateField()
    evidence = serializers.CharField()
    response = serializers.CharField()
    recorded_by = serializers.CharField(help_text="The user name of whoever recorded it.")


class ReviewSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    reviewed_on = serializers.DateField()
    notes = serializers.CharField()
    next_review_on = serializers.DateField(allow_null=True, help_text="Null when the review ended the agreement.")
    reviewed_by = serializers.CharField(help_text="The user name of the reviewer.")


class InterventionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=InterventionKind.choices)
    code = serializers.CharField()
    label = serializers.CharField(help_text="The tool's label when it was used.")  # type: ignore[assignment]
    track = choice(["support", "enforcement", "other"], help_text="Its twin track (emh 4.10).")
    party = serializers.IntegerField(allow_null=True, help_text="The party id it was used against or for.")
    party_name = serializers.CharField(allow_blank=True)
    delivered_by = serializers.CharField(allow_null=True, help_text="The user name of the member of staff.")
    partner = serializers.CharField(allow_blank=True, help_text="A partner code of the policy.")
    partner_name = serializers.CharField(allow_blank=True)
    started_on = serializers.DateField()
    details = serializers.CharField(allow_blank=True)
    support_given = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=InterventionStatus.choices)
    ended_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    agreement = serializers.BooleanField(help_text="An agreement (ABC, GNA, Parenting Contract) with terms.")
    review_on = serializers.DateField(allow_null=True, help_text="When the agreement is next reviewed.")
    ends_on = serializers.DateField(allow_null=True)
    review = serializers.CharField(allow_blank=True, help_text='"due" on the review day, "overdue" after it, or "".')
    signatories = serializers.ListField(child=serializers.CharField())
    version = serializers.CharField(help_text="Send it back with an update to guard against overwriting a change.")


class InterventionDetailSerializer(InterventionSerializer):
    terms = TermSerializer(many=True)
    breaches = BreachSerializer(many=True)
    reviews = ReviewSerializer(many=True)


class TrackItemSerializer(serializers.Serializer[Any]):
    what = serializers.CharField(help_text="Intervention, Partner power, Support need, Referral or Legal action.")
    title = serializers.CharField()
    who = serializers.CharField(allow_blank=True)
    on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    intervention = serializers.IntegerField(allow_null=True, help_text="The intervention's id, for an intervention.")


class TwinTrackSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    enabled = serializers.BooleanField(help_text="The profile's interventions.twin_track (emh 4.10).")
    support = TrackItemSerializer(many=True)
    enforcement = TrackItemSerializer(many=True)
    hidden_support_needs = serializers.IntegerField(
        help_text="Support needs not listed because the caller may not see special category data."
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def intervention_document(row: InterventionRow) -> dict[str, Any]:
    i: Intervention = row.intervention
    return {
        "id": i.pk, "kind": i.kind, "code": i.code, "label": i.label, "track": i.track, "party": i.party_id,
        "party_name": row.party_name, "delivered_by": i.delivered_by.get_username() if i.delivered_by else None,
        "partner": i.partner, "partner_name": row.partner_name, "started_on": i.started_on.isoformat(),
        "details": i.details, "support_given": i.support_given, "status": i.status, "ended_on": _iso(i.ended_on),
        "outcome": i.outcome, "agreement": i.agreement, "review_on": _iso(i.review_on), "ends_on": _iso(i.ends_on),
        "review": row.review, "signatories": [s for s in i.signatories.splitlines() if s.strip()],
        "version": version_of(i.updated_at),
    }  # fmt: skip


def intervention_detail_document(row: InterventionRow) -> dict[str, Any]:
    i = row.intervention
    return {
        **intervention_document(row),
        "terms": [{"number": t.number, "text": t.text} for t in i.terms.all()],
        "breaches": [
            {"id": b.pk, "term": b.term.number, "occurred_on": b.occurred_on.isoformat(), "evidence": b.evidence,
             "response": b.response, "recorded_by": b.recorded_by.get_username()}
            for b in i.breaches.all()
        ],
        "reviews": [
            {"id": r.pk, "reviewed_on": r.reviewed_on.isoformat(), "notes": r.notes,
             "next_review_on": _iso(r.next_review_on), "reviewed_by": r.reviewed_by.get_username()}
            for r in i.reviews.all()
        ],
    }  # fmt: skip


def _item(item: TrackItem) -> dict[str, Any]:
    return {"what": item.what, "title": item.title, "who": item.who, "on": _iso(item.on), "status": item.status,
            "detail": item.detail, "intervention": item.intervention_id}  # fmt: skip


def twin_track_document(reference: str, track: TwinTrack) -> dict[str, Any]:
    return {
        "reference": reference,
        "enabled": track.enabled,
        "support": [_item(i) for i in track.support],
        "enforcement": [_item(i) for i in track.enforcement],
        "hidden_support_needs": track.hidden_needs,
    }
