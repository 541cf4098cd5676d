"""The docs are in four parts, and the package's comments point only at what the repository has."""

from __future__ import annotations

import re
from pathlib import Path

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
