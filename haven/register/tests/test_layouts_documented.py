"""The import layouts, the sample files and docs/register-import.md say the same thing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from haven.register.importing.layouts import LAYOUTS

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "haven" / "register" / "samples"
DOC = (ROOT / "docs" / "register-import.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", list(LAYOUTS))
def test_each_sample_file_has_exactly_the_layout_columns(kind: str) -> None:
    with (SAMPLES / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == LAYOUTS[kind].names


@pytest.mark.parametrize("kind", list(LAYOUTS))
def test_the_docs_list_every_column_of_each_layout(kind: str) -> None:
    section = DOC.split(f"### {kind}\n", 1)[1].split("\n### ", 1)[0]
    for column in LAYOUTS[kind].columns:
        assert f"| `{column.name}` | {'yes' if column.required else 'no'} |" in section, column.name
