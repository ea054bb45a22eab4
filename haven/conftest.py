"""Fixtures shared by every app's tests: landlords on real bundled profiles, and staff."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from haven.accounts.models import Landlord, Role, User
from haven.accounts.services import landlord_create, user_create

PASSWORD = "correct-horse-battery"


@pytest.fixture
def make_landlord(db: None) -> Callable[..., Landlord]:
    def make(policy_id: str = "emh", slug: str | None = None) -> Landlord:
        return landlord_create(
            actor="tests", slug=slug or policy_id, name=f"{policy_id} test landlord", policy_id=policy_id, via="command"
        )

    return make


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(landlord: Landlord, role: str = "officer", username: str | None = None) -> User:
        return user_create(
            actor="tests",
            landlord=landlord,
            username=username or f"{landlord.slug}-{role}",
            role=Role(role),
            password=PASSWORD,
            first_name="Sam",
            last_name="Tester",
            via="command",
        )

    return make


@pytest.fixture
def emh(make_landlord: Callable[..., Landlord]) -> Landlord:
    return make_landlord("emh")


@pytest.fixture
def officer(emh: Landlord, make_user: Callable[..., User]) -> User:
    return make_user(emh, "officer")


# ---- browser tests -------------------------------------------------------------------------
# Browser tests drive the real server, started the way the README starts it (migrate, demo,
# runserver) on its own SQLite file, in Debian's Chromium through Playwright (STACK.md).

import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def live_haven_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment the live server runs with: demo mode on its own var dir (``HAVEN_VAR_DIR``,
    where the demo writes mail to ``mail/``). A test runs other commands, such as one pass of the
    task worker, against the same server with it."""
    var = tmp_path_factory.mktemp("haven-var")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"HAVEN_MODE": "demo", "HAVEN_VAR_DIR": str(var), "HAVEN_DEBUG": "true"})
    return env


@pytest.fixture(scope="session")
def live_haven(live_haven_env: dict[str, str]) -> Iterator[str]:
    env = live_haven_env
    haven = [sys.executable, "-m", "haven.cli"]
    subprocess.run([*haven, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    subprocess.run(
        [*haven, "demo", "--properties", "5"], cwd=ROOT, env=env, check=True, timeout=120, stdout=subprocess.DEVNULL
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [*haven, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):  # noqa: S310 (our own server)
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the Haven server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _evidence_dir(settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Evidence files go to a throwaway folder, never to var/ (each test its own)."""
    settings.HAVEN_EVIDENCE_DIR = tmp_path_factory.mktemp("evidence")  # type: ignore[attr-defined]
    settings.HAVEN_BUNDLE_DIR = tmp_path_factory.mktemp("bundles")  # type: ignore[attr-defined]


@pytest.fixture
def staff(
    make_landlord: Callable[..., Landlord], make_user: Callable[..., User]
) -> Callable[[str], tuple[Landlord, User, User]]:
    """``staff(policy_id)``: a landlord on that profile with the teams its routing names, an adviser
    and an officer (returned as landlord, adviser, officer)."""
    from haven.accounts.services import team_create
    from haven.policies.registry import get_profile

    def make(policy_id: str) -> tuple[Landlord, User, User]:
        landlord = make_landlord(policy_id)
        for name in get_profile(policy_id).routing.teams:
            team_create(actor="tests", landlord=landlord, name=name, via="command")
        return landlord, make_user(landlord, "adviser"), make_user(landlord, "officer")

    return make
