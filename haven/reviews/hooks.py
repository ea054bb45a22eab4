"""What this app adds to a case through the cases seams (``cases.extensions``) and the case page
parts of its views (``cases.views.core.case_part``), registered on import from ReviewsConfig.ready."""

from __future__ import annotations

from haven.reviews.views import case_review, closure, reviews, survey  # noqa: F401  (register their case parts)
