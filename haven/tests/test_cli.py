"""The ``haven`` command's bad-input promise: one clear sentence and a non-zero exit, never a
traceback (issue 2, "Bad input"), and ``haven policy check``/``show``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HAVEN = [sys.executable, "-m", "haven.cli"]


def run(*args: str, env: dict[str, str] | None = None, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "HAVEN_POLICY_DIRS"}}
    base.update({"HAVEN_MODE": "demo", "HAVEN_VAR_DIR": str(tmp_path / "var")})
    base.update(env or {})
    return subprocess.run([*HAVEN, *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)


def assert_plain_failure(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def test_policy_check_accepts_a_bundled_profile_and_lists_its_defaults(tmp_path: Path) -> None:
    result = run("policy", "check", "policies/emh.yaml", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout


def test_policy_check_lists_every_problem_with_its_place(tmp_path: Path) -> None:
    broken = (ROOT / "policies" / "emh.yaml").read_text().replace("tiers:", "tierz:", 1)
    (tmp_path / "mine.yaml").write_text(broken + "\nsurprise: 1\n")
    result = run("policy", "check", str(tmp_path / "mine.yaml"), tmp_path=tmp_path)
    assert_plain_failure(result, "tierz", "surprise", "is not a setting Haven knows", "line ")


def test_policy_show_prints_a_readable_summary(tmp_path: Path) -> None:
    result = run("policy", "show", "wwh", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Wales" in result.stdout and "advice_only" in result.stdout


def test_a_broken_profile_stops_start_up_with_its_message(tmp_path: Path) -> None:
    folder = tmp_path / "landlord-policies"
    folder.mkdir()
    text = (ROOT / "policies" / "emh.yaml").read_text().replace("id: emh", "id: ours", 1)
    (folder / "ours.yaml").write_text(text.replace("working_hours", "working_weeks", 1))
    result = run("check", env={"HAVEN_POLICY_DIRS": str(folder)}, tmp_path=tmp_path)
    assert_plain_failure(result, "policy profile is invalid", "ours.yaml", "haven policy check")


def test_a_malformed_database_url_is_explained(tmp_path: Path) -> None:
    result = run("check", env={"DATABASE_URL": "mysql://nobody@nowhere/db"}, tmp_path=tmp_path)
    assert_plain_failure(result, "DATABASE_URL")


def test_production_mode_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    result = run("check", env={"HAVEN_MODE": "production", "SECRET_KEY": ""}, tmp_path=tmp_path)
    assert_plain_failure(result, "SECRET_KEY is missing")


def test_a_postgresql_that_is_down_is_explained_without_the_password(tmp_path: Path) -> None:
    url = "postgres://haven:s3cret-pw@127.0.0.1:9/haven"  # port 9 (discard): nothing listens
    result = run("migrate", env={"DATABASE_URL": url}, tmp_path=tmp_path)
    assert_plain_failure(result, "cannot reach PostgreSQL at 127.0.0.1:9", "PostgreSQL is running")
    assert "s3cret-pw" not in result.stderr


def test_healthz_answers_503_naming_the_database_when_it_is_unreachable(tmp_path: Path) -> None:
    script = (
        "import django, os; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "HAVEN_MODE": "demo",
            "DATABASE_URL": "postgres://haven:pw@127.0.0.1:9/haven",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.startswith("503"), result.stdout + result.stderr
    assert '"database": "unavailable"' in result.stdout


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a shell")
def test_token_create_for_an_unknown_user_is_a_plain_error(tmp_path: Path) -> None:
    assert run("migrate", "-v0", tmp_path=tmp_path).returncode == 0
    result = run("token", "create", "--user", "nobody", tmp_path=tmp_path)
    assert_plain_failure(result, "There is no user called 'nobody'")
