"""Log hygiene: no personal data and no secrets in logs. A reporter's diary link (``/diary/<signed
token>/``) and survey link (``/survey/<signed>/``, issue 7) are keys to their case, so any path
holding one is logged as ``/diary/[link]/`` (or ``/survey/[link]/``)."""

from __future__ import annotations

import logging
import re
from typing import Any

SECRET_PATHS = re.compile(r"(/diary/|/survey/)[^/\s\"'?]+")


def redact(value: Any) -> Any:
    return SECRET_PATHS.sub(r"\1[link]", value) if isinstance(value, str) else value


class RedactSecretLinks(logging.Filter):
    """Rewrites the message and its arguments of every record that passes (Django's request and
    server loggers log the path of each refused or served request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) for k, v in record.args.items()}
        return True
