"""What this app adds to a case through the cases seams (``cases.extensions``) and the case page
parts of its views (``cases.views.core.case_part``), registered on import from ReviewsConfig.ready."""

from __future__ import annotations

from haven.cases.extensions import on_case_closed
from haven.reviews.services.survey import survey_on_close
from haven.reviews.views import case_review, closure, reviews, survey  # noqa: F401  (register their case parts)

on_case_closed(survey_on_close)  # whg 3.3: the reporter is invited to the survey at closure
