"""Read a policy profile from YAML and report every problem with its place in the file.

No Django here: ``haven policy check`` and the start-up check both use it, and a landlord's
own file must be checkable without a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from haven.policies.schema import PolicyProfile


@dataclass(frozen=True)
class Problem:
    place: str  # dotted path in the file, e.g. "triage.tiers[1].response_target.unit"
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.place}: {self.message}"


class PolicyError(Exception):
    """A policy file that Haven cannot use, with every problem found in it."""

    def __init__(self, path: Path | str, problems: Iterable[Problem]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        count = len(self.problems)
        head = f"The policy file {self.path} has {count} problem{'s' if count != 1 else ''}:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


def load_profile(path: Path | str) -> PolicyProfile:
    """Parse and validate one profile file; raise :class:`PolicyError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError(path, [Problem("(file)", None, "the file does not exist")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(path, [Problem("(file)", None, f"the file cannot be read: {exc}")]) from None
    return parse_profile(text, source_name=str(path))


# libyaml's loader when it is built in: it reads a profile about ten times faster. A file it
# refuses, or one that does not validate, is read again by the pure-Python loader below, so the
# messages and line numbers are exactly those of the slow path.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def parse_profile(text: str, *, source_name: str = "<policy>") -> PolicyProfile:
    if _FAST_LOADER is not None:
        try:
            data = yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 (a safe loader)
        except yaml.YAMLError:
            pass
        else:
            if isinstance(data, dict):
                try:
                    return PolicyProfile.model_validate(data)
                except ValidationError:
                    pass
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(source_name, [Problem("(file)", line, f"this is not valid YAML: {reason}")]) from None
    if not isinstance(data, dict):
        raise PolicyError(source_name, [Problem("(file)", None, "the file must be a YAML mapping of sections")])
    try:
        return PolicyProfile.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(source_name, [_problem(error, root) for error in exc.errors()]) from None


def _problem(error: Any, root: yaml.Node | None) -> Problem:
    loc = tuple(error.get("loc", ()))
    place = _dotted(loc) or "(profile)"
    message = str(error.get("msg", "is not valid"))
    if error.get("type") == "extra_forbidden":
        message = "is not a setting Haven knows (check the spelling)"
    elif error.get("type") == "missing":
        message = "is required but missing"
        if len(loc) == 1:
            return Problem(place, None, message)
    message = message.removeprefix("Value error, ")
    return Problem(place, _line_of(root, loc), message)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest YAML node on ``loc`` that exists in the file."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    child = value
                    line = key.start_mark.line + 1
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line
