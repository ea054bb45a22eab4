"""The risk parts of a profile: the contact centre's initial screen and the officer's full matrix
(emh 4.4), each versioned. Scored by ``policies.screen`` and ``policies.matrix``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from haven.policies.types import Code, Sourced, Strict, Text
from haven.policies.types import unique as _unique


class ScreenQuestion(Sourced):
    """One yes/no question of the initial risk screen the contact centre asks (emh 4.4)."""

    code: Code
    text: Text
    weight: int = Field(ge=0, le=100)
    vulnerability: bool = False  # a yes is a high vulnerability, which raises the tier (emh 4.2)


class ScreenBand(Strict):
    min_score: int = Field(ge=0)
    tier: Code


class RiskScreen(Sourced):
    """The initial risk screen: weighted yes/no questions, score bands to tiers, versioned.

    The tier given is the most serious of: the band the score falls in, the category's default
    tier, and ``vulnerability_tier`` when any vulnerability question is answered yes (emh 4.2:
    high vulnerability makes a case high risk whatever the behaviour).
    """

    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.\-]+$", max_length=30)]
    questions: tuple[ScreenQuestion, ...] = Field(min_length=1)
    bands: tuple[ScreenBand, ...] = Field(min_length=1)
    vulnerability_tier: Code | None = None

    @model_validator(mode="after")
    def _bands_cover_zero(self) -> RiskScreen:
        _unique("risk_screen.questions", [q.code for q in self.questions])
        _unique("risk_screen.bands min_score", [str(b.min_score) for b in self.bands])
        if not any(b.min_score == 0 for b in self.bands):
            raise ValueError("risk_screen.bands must include a band with min_score 0")
        return self


class RiskOption(Strict):
    """One answer to a question of the full risk matrix, with what it adds to the score."""

    code: Code
    label: Text
    weight: int = Field(ge=0, le=100)


class RiskQuestion(Sourced):
    """One question of the officer's full risk and vulnerability assessment (emh 4.4)."""

    code: Code
    text: Text
    hint: str | None = None
    options: tuple[RiskOption, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _options_unique(self) -> RiskQuestion:
        _unique(f"risk_matrix.questions[{self.code}].options", [o.code for o in self.options])
        return self

    def option(self, code: str) -> RiskOption | None:
        return next((o for o in self.options if o.code == code), None)


class RiskBand(Sourced):
    """Scores from ``min_score`` up (to the next band) fall in this band, which proposes ``tier``."""

    code: Code
    label: Text
    min_score: int = Field(ge=0)
    tier: Code


class RiskMatrix(Sourced):
    """The full risk and vulnerability matrix the case officer completes for the reporter and other
    affected parties once complete details are known, and reviews through the case (emh 4.4).

    The score is the sum of the chosen options' weights; the band is the highest whose
    ``min_score`` the score reaches; the band proposes a tier (a change of band proposes a change
    of tier: emh 4.3, 4.4 "take necessary action if the risk level changes"). Versioned: every
    assessment stores the matrix version it was made with.
    """

    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.\-]+$", max_length=30)]
    questions: tuple[RiskQuestion, ...] = Field(min_length=1)
    bands: tuple[RiskBand, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RiskMatrix:
        _unique("risk_matrix.questions", [q.code for q in self.questions])
        _unique("risk_matrix.bands", [b.code for b in self.bands])
        _unique("risk_matrix.bands min_score", [str(b.min_score) for b in self.bands])
        if not any(b.min_score == 0 for b in self.bands):
            raise ValueError("risk_matrix.bands must include a band with min_score 0")
        return self

    def question(self, code: str) -> RiskQuestion | None:
        return next((q for q in self.questions if q.code == code), None)

    def band(self, code: str) -> RiskBand | None:
        return next((b for b in self.bands if b.code == code), None)

    @property
    def max_score(self) -> int:
        return sum(max(o.weight for o in q.options) for q in self.questions)
