"""The profiles this deployment knows: the bundled ones in policies/ and a landlord's own.

Profiles are loaded once per process and checked at start-up (``PoliciesConfig.ready``), so a
broken file stops Haven with the loader's message before it serves anything.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from haven.policies.loader import PolicyError, Problem, load_profile
from haven.policies.schema import PolicyProfile


class UnknownPolicy(LookupError):
    pass


def policy_files() -> list[Path]:
    files: list[Path] = []
    for folder in settings.HAVEN_POLICY_DIRS:
        folder = Path(folder)
        if not folder.is_dir():
            raise PolicyError(folder, [Problem("(folder)", None, "the policy folder does not exist")])
        files.extend(sorted(folder.glob("*.yaml")))
    return files


@cache
def profiles() -> dict[str, PolicyProfile]:
    loaded: dict[str, PolicyProfile] = {}
    for path in policy_files():
        profile = load_profile(path)
        if profile.id != path.stem:
            raise PolicyError(
                path, [Problem("id", None, f"the id {profile.id!r} must match the file name {path.stem!r}")]
            )
        if profile.id in loaded:
            raise PolicyError(
                path, [Problem("id", None, f"another policy folder already has a profile {profile.id!r}")]
            )
        loaded[profile.id] = profile
    return loaded


def get_profile(policy_id: str) -> PolicyProfile:
    try:
        return profiles()[policy_id]
    except KeyError:
        raise UnknownPolicy(f"There is no policy profile called {policy_id!r}.") from None


def profile_ids() -> list[str]:
    return sorted(profiles())
