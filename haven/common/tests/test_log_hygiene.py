"""No secrets in logs: a reporter's diary link is logged as /diary/[link]/ (issue 5: the signed link
is the key to adding entries to a case), by Django's request logger and runserver's alike."""

from __future__ import annotations

import logging

import pytest

from haven.common.log_hygiene import RedactSecretLinks, redact

TOKEN = "lUaslRZTtN3_wjsMQ8_RuOv4SBmmbP6qjM2qIq2KE1w.1798582361.emh:1xYW5Z:5YSZTeMPznyi8DeiZbE"


def test_a_diary_path_is_logged_without_its_token() -> None:
    assert redact(f"Bad Request: /diary/{TOKEN}/") == "Bad Request: /diary/[link]/"
    assert redact(f'"POST /diary/{TOKEN}/sent/ HTTP/1.1" 303 0') == '"POST /diary/[link]/sent/ HTTP/1.1" 303 0'
    assert redact("/cases/ASB-2026-000001/") == "/cases/ASB-2026-000001/"


def test_the_filter_rewrites_the_arguments_of_a_record(caplog: pytest.LogCaptureFixture) -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "%s: %s", ("Bad Request", f"/diary/{TOKEN}/"), None
    )
    assert RedactSecretLinks().filter(record)
    assert record.getMessage() == "Bad Request: /diary/[link]/"
    assert TOKEN not in record.getMessage()


def test_the_console_handler_carries_the_filter() -> None:
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactSecretLinks) for f in h.filters)]
    assert handlers, "the root logger's console handler must redact diary links"
    for name in ("django", "django.server"):  # not Django's default handlers, which print paths as sent
        ours = [h for h in logging.getLogger(name).handlers if not type(h).__module__.startswith("_pytest")]
        assert ours and all(any(isinstance(f, RedactSecretLinks) for f in h.filters) for h in ours), name
