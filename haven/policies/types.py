"""The building blocks of a policy profile: sourced parts, codes, durations (see ``schema``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from haven.common.working_time import TimeUnit

DEFAULT_SOURCE = "default: not in seed"

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Sourced(Strict):
    """A part of the profile that names the policy clause it implements."""

    source: Source

    @property
    def is_default(self) -> bool:
        return self.source.startswith(DEFAULT_SOURCE)


class Duration(Strict):
    amount: int = Field(ge=0, le=3650)
    unit: TimeUnit

    def __str__(self) -> str:
        label = self.unit.value.replace("_", " ")
        if self.amount == 1:
            label = label.rstrip("s")
        return f"{self.amount} {label}"


def unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    dupes = sorted({v for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]
    if dupes:
        raise ValueError(f"{what} must be unique; repeated: {', '.join(dupes)}")
