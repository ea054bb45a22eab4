"""Who sees restricted cases is the profile's rule: ``casework.restricted_roles`` names the roles
that see every restricted case (domestic abuse, safeguarding, staff targeted; emh 3.4-3.5), and
anyone else sees only the restricted cases they own. Proved with a landlord whose own profile
(a copy of emh) lets specialists but not managers see them, on the page, in lists and the API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from haven.accounts.models import Landlord, User
from haven.accounts.permissions import can_view_case
from haven.cases.selectors import cases_for_user
from haven.cases.tests.factories import open_case, signed_in
from haven.policies import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialists_only(tmp_path: Path, settings: pytest.FixtureRequest) -> Iterator[str]:
    """A landlord's own profile ``emhx``: emh with restricted cases seen by specialists only."""
    source = (Path(settings.BASE_DIR) / "policies" / "emh.yaml").read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert "\nid: emh\n" in source
    text = source.replace("\nid: emh\n", "\nid: emhx\n").replace(
        "casework:\n", "casework:\n  restricted_roles: [specialist]\n", 1
    )
    (tmp_path / "emhx.yaml").write_text(text, encoding="utf-8")
    settings.HAVEN_POLICY_DIRS = [*settings.HAVEN_POLICY_DIRS, str(tmp_path)]  # type: ignore[attr-defined]
    registry.profiles.cache_clear()
    yield "emhx"
    registry.profiles.cache_clear()


def test_a_role_left_out_of_restricted_roles_no_longer_sees_restricted_cases(
    specialists_only: str, make_landlord: Callable[..., Landlord], make_user: Callable[..., User]
) -> None:
    landlord = make_landlord(specialists_only)
    adviser, officer = make_user(landlord, "adviser"), make_user(landlord, "officer")
    manager, specialist = make_user(landlord, "manager"), make_user(landlord, "specialist")
    restricted = open_case(landlord, adviser, officer, category="domestic_abuse", tier="high")
    ordinary = open_case(landlord, adviser, officer)
    assert restricted.restricted and not ordinary.restricted

    assert can_view_case(specialist, restricted) and not can_view_case(manager, restricted)
    assert can_view_case(officer, restricted)  # its own officer always does
    assert set(cases_for_user(user=manager)) == {ordinary}
    assert set(cases_for_user(user=specialist)) == {ordinary, restricted}
    assert signed_in(manager).get(f"/cases/{restricted.reference}/").status_code == 404
    assert signed_in(specialist).get(f"/cases/{restricted.reference}/").status_code == 200


def test_every_bundled_profile_lets_specialists_and_managers_see_restricted_cases() -> None:
    for policy_id in registry.profile_ids():
        assert registry.get_profile(policy_id).casework.restricted_roles == ("specialist", "manager"), policy_id
