"""What this app adds to a case through the cases seams (``cases.extensions``), and the case
page parts of its views (``cases.views.core.case_part``), registered on import from
InterventionsConfig.ready."""

from __future__ import annotations

from haven.cases.extensions import case_close_check, case_due_source, closure_condition
from haven.interventions.selectors.legal import open_legal_action_refusal
from haven.interventions.selectors.partnership import referral_response_due, referrals_answered
from haven.interventions.selectors.toolkit import agreement_review_due, agreements_ended
from haven.interventions.views import legal, partnership, sharing, toolkit  # noqa: F401  (register their case parts)

case_due_source(agreement_review_due)
case_due_source(referral_response_due)
case_close_check(open_legal_action_refusal)
closure_condition("agreements_ended")(agreements_ended)  # issue 7: the profile's closure conditions
closure_condition("referrals_answered")(referrals_answered)
