"""The docs are in four parts, show every option and value, and the package's comments point
only at what the repository has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinxext_callbacks.sphinx_ext.config import SETTINGS
from sphinxext_callbacks.sphinx_ext.example_directive import CallbackExampleDirective
from sphinxext_callbacks.sphinx_ext.table_directive import CallbackTableDirective

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
PARTS = ["Tutorial", "How-to guides", "Reference", "Explanation"]


def _toctrees() -> dict[str, list[str]]:
    """The index's toctrees: caption -> the documents it lists."""
    text = (DOCS / "index.rst").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for block in re.findall(r"^\.\. toctree::\n((?:   .*\n|\n)+)", text, re.MULTILINE):
        caption = re.search(r"^   :caption: (.+)$", block, re.MULTILINE)
        assert caption, block
        entries = [line.strip() for line in block.splitlines() if line.strip()]
        # An entry is ``page`` or ``Title <page>``.
        pages = [re.sub(r"^.* <(.+)>$", r"\1", e) for e in entries if not e.startswith(":")]
        found[caption.group(1)] = pages
    return found


def test_the_index_has_the_four_parts_and_every_page_is_in_one() -> None:
    toctrees = _toctrees()
    assert list(toctrees) == PARTS
    listed = [page for pages in toctrees.values() for page in pages]
    assert len(listed) == len(set(listed))
    pages = {
        path.relative_to(DOCS).with_suffix("").as_posix()
        for path in [*DOCS.glob("*.rst"), *DOCS.glob("*.md"), *DOCS.glob("reference/*.rst")]
    }
    assert set(listed) == pages - {"index"}


def test_the_index_names_every_kind_of_source() -> None:
    text = (DOCS / "index.rst").read_text(encoding="utf-8")
    for kind in ("field list", "JSON Schema", "OpenAPI", "AsyncAPI"):
        assert kind in text


def test_no_comment_points_at_a_design_document_outside_the_repository() -> None:
    for path in (ROOT / "sphinxext_callbacks").rglob("*.py"):
        assert "DESIGN" not in path.read_text(encoding="utf-8"), path


#: A pointer at the project's tracker or its history (the word "issue" and a number), which means
#: nothing to a reader of the code: comments and docstrings say why the code is as it is.
_TRACKER = re.compile(r"\b(?:issues?|stop)[ -]?#?\d+\b", re.IGNORECASE)


@pytest.mark.parametrize("folder", ["sphinxext_callbacks", "tests"])
def test_no_comment_or_docstring_cites_the_tracker(folder: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / folder).glob("**/*.py"))
        if "roots" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _TRACKER.search(line)
    ]
    assert found == []


def _code_blocks(page: Path, language: str) -> list[str]:
    text = page.read_text(encoding="utf-8")
    pattern = rf"^\.\. code-block:: {language}\n\n((?:   .*\n|\n)+)"
    return re.findall(pattern, text, re.MULTILINE)


def _options_in_examples(directive: str) -> set[str]:
    """The options that some example on the directive page gives to *directive*."""
    found: set[str] = set()
    for block in _code_blocks(DOCS / "reference" / "directive.rst", "rst"):
        for options in re.findall(
            rf"^( *)\.\. {directive}::.*\n((?:\1   :[\w-]+:.*\n)*)", block, re.MULTILINE
        ):
            found.update(re.findall(r":([\w-]+):", options[1]))
    return found


@pytest.mark.parametrize(
    ("directive", "spec"),
    [
        ("callback-table", CallbackTableDirective.option_spec),
        ("callback-example", CallbackExampleDirective.option_spec),
    ],
)
def test_every_option_is_shown_in_an_example(directive: str, spec: object) -> None:
    assert isinstance(spec, dict)
    assert set(spec) - _options_in_examples(directive) == set()


@pytest.mark.parametrize("name", [setting.name for setting in SETTINGS])
def test_every_config_value_is_documented_with_an_example(name: str) -> None:
    text = (DOCS / "reference" / "config.rst").read_text(encoding="utf-8")
    entry = re.search(rf"^\.\. confval:: {name}\n((?:   .*\n|\n)+)", text, re.MULTILINE)
    assert entry, name
    assert re.search(rf"^      {name} = ", entry.group(1), re.MULTILINE), name
