"""What this app adds to the case page (``cases.views.core.case_part``), registered on import from
LettersConfig.ready."""

from __future__ import annotations

from haven.letters.views import letters  # noqa: F401  (registers its case part)
