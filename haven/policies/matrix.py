"""The officer's full risk and vulnerability assessment (emh 4.4) scored by a profile's matrix.

A pure function of the profile, like ``screen.py``: the officer's answers in, the score, band and
proposed tier out, so the case page, the API and the tests share one rule. Unlike the contact
centre's screen, every question must be answered: a full assessment with gaps is not a full one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from haven.policies.schema import PolicyProfile, RiskBand, RiskMatrix


class MatrixAnswersError(ValueError):
    """The answers cannot be scored. ``problems`` maps ``answers`` (for unknown question codes) or
    ``answers.<question code>`` to a message saying what is wrong, naming the codes."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class MatrixResult:
    score: int
    band: RiskBand
    proposed_tier: str
    matrix_version: str
    answers: dict[str, str]


def matrix_problems(matrix: RiskMatrix, answers: Mapping[str, object]) -> dict[str, str]:
    """What is wrong with ``answers``: unknown questions, unanswered ones, options not offered."""
    problems: dict[str, str] = {}
    unknown = sorted(str(code) for code in answers if matrix.question(str(code)) is None)
    if unknown:
        known = ", ".join(q.code for q in matrix.questions)
        problems["answers"] = (
            f"These are not questions of the risk matrix: {', '.join(unknown)}. Its questions are: {known}."
        )
    for question in matrix.questions:
        chosen = answers.get(question.code)
        if chosen is None or chosen == "":
            problems[f"answers.{question.code}"] = f"Answer the question '{question.text}' ({question.code})."
        elif not isinstance(chosen, str) or question.option(chosen) is None:
            offered = ", ".join(o.code for o in question.options)
            problems[f"answers.{question.code}"] = (
                f"'{chosen}' is not an answer to {question.code}; choose one of: {offered}."
            )
    return problems


def band_for(matrix: RiskMatrix, score: int) -> RiskBand:
    """The highest band whose ``min_score`` the score reaches (there is always one from 0)."""
    return max((b for b in matrix.bands if b.min_score <= score), key=lambda b: b.min_score)


def score_matrix(*, profile: PolicyProfile, answers: Mapping[str, object]) -> MatrixResult:
    """The sum of the chosen options' weights, its band and the tier the band proposes (emh 4.1:
    "a scoring system that considers the type of behaviour and the impact it is having"; emh 4.2:
    harm-centred bands). Raises ``MatrixAnswersError`` naming every unknown or missing answer."""
    matrix = profile.risk_matrix
    problems = matrix_problems(matrix, answers)
    if problems:
        raise MatrixAnswersError(problems)
    chosen = {q.code: str(answers[q.code]) for q in matrix.questions}
    score = 0
    for question in matrix.questions:
        option = question.option(chosen[question.code])
        assert option is not None  # matrix_problems has checked
        score += option.weight
    band = band_for(matrix, score)
    return MatrixResult(score=score, band=band, proposed_tier=band.tier, matrix_version=matrix.version, answers=chosen)
