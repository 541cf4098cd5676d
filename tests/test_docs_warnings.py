"""The docs' warnings page is checked against the registry of subtypes (``problems.SUBTYPES``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinxext_callbacks.model.problems import SUBTYPES

PAGE = Path(__file__).parent.parent / "docs" / "reference" / "warnings.rst"


def _subtype_table() -> dict[str, str]:
    """The page's table of subtypes: ``name -> what it is about``."""
    text = PAGE.read_text(encoding="utf-8")
    rows = re.findall(r"^   \* - ``([\w-]+)``\n     - (.+)$", text, re.MULTILINE)
    return dict(rows)


def test_the_table_lists_every_subtype_as_the_registry_says() -> None:
    assert _subtype_table() == SUBTYPES


@pytest.mark.parametrize("subtype", sorted(SUBTYPES))
def test_every_subtype_has_an_example_warning(subtype: str) -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert f"[callbacks.{subtype}]" in text


def test_every_section_has_a_cause_an_example_and_a_fix() -> None:
    text = PAGE.read_text(encoding="utf-8")
    sections = re.split(r"^\.\. _warning-[\w-]+:$", text, flags=re.MULTILINE)[1:]
    assert len(sections) >= 25
    for section in sections:
        title = section.strip().splitlines()[0]
        for part in ("**Cause:**", "**Example:**", "**Fix:**"):
            assert part in section, f"{title}: no {part}"
