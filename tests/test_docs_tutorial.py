"""The quick start is a tutorial: its project builds as the page says, warning where it says."""

from __future__ import annotations

import re
from pathlib import Path

from .helpers import WARNING_TYPES, rows, tables, warnings_of

DOCS = Path(__file__).parent.parent / "docs"
QUICKSTART = DOCS / "quickstart.rst"


def _blocks(language: str) -> list[str]:
    """The quick start's ``code-block:: LANGUAGE`` bodies, dedented, in page order."""
    text = QUICKSTART.read_text(encoding="utf-8")
    found = re.findall(rf"^\.\. code-block:: {language}\n\n((?:   .*\n|\n)+)", text, re.M)
    return ["\n".join(line[3:] for line in body.rstrip().split("\n")) + "\n" for body in found]


def _build(make_app, srcdir: Path, index: str):
    srcdir.mkdir(exist_ok=True)
    (srcdir / "conf.py").write_text(_blocks("python")[0], encoding="utf-8")
    (srcdir / "index.rst").write_text(index, encoding="utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    app.build()
    return app


def test_the_tutorial_project_builds_its_table_and_checks_its_example(make_app, tmp_path):
    page, example = _blocks("rst")[:2]
    assert page.startswith("Shop callbacks\n") and example.startswith(".. callback-example::")
    app = _build(make_app, tmp_path / "docs", page + "\n" + example)
    assert warnings_of(app) == []
    (table,) = tables(app.outdir / "index.html")
    assert [row[0] for row in rows(table)] == ["order_id", "status", "shipped_at", "tracking_url"]


def test_the_misspelt_key_is_reported_at_the_line_the_tutorial_shows(make_app, tmp_path):
    page, example = _blocks("rst")[:2]
    wrong = example.replace('"shipped_at"', '"shiped_at"')
    assert wrong != example
    app = _build(make_app, tmp_path / "docs", page + "\n" + wrong)
    (shown,) = (line.strip() for line in _blocks("text")[0].splitlines() if "WARNING" in line)
    expected = shown.split("docs/", 1)[1]  # the page shows the path of a reader's project
    assert [line.split("/docs/", 1)[1] for line in warnings_of(app)] == [expected]
