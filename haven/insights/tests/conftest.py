"""Fixtures of the insight tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haven.accounts.models import Landlord


@pytest.fixture(params=["counted now", "from the month summaries"])
def way(request: pytest.FixtureRequest, settings: Any) -> Callable[[Landlord], None]:
    """Each hand-counted measure that a large landlord reads from its month summaries (ADR 0012) is
    proved both ways: ``way(landlord)``, called once the data is built, does nothing when counting
    now, and otherwise works the summaries out and checks that they will be read."""
    from haven.insights.selectors.summary import summary_state
    from haven.insights.services.summary import summary_refresh

    if request.param == "counted now":
        return lambda landlord: None
    settings.HAVEN_INSIGHT_SUMMARY_FROM = 1

    def summarised(landlord: Landlord) -> None:
        summary_refresh(landlord_id=landlord.pk)
        assert summary_state(landlord) is not None

    return summarised
