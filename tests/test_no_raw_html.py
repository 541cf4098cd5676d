"""No raw HTML, script link or file from a data file reaches a page.

The ``hardening-markup`` root reads a field-list file and an OpenAPI spec full of HTML,
``javascript:`` links, ``raw`` and ``include`` directives, in a reST page and a MyST page.
Every one of them must be shown as text or left out, with the Jinja template too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .helpers import WARNING_TYPES, copy_root, warnings_of

SECRET = "TOP-SECRET-TEXT"
#: Every alert(...) of the data files, shown as text somewhere on the page.
SHOWN_AS_TEXT = ("alert('desc')", "alert('raw')", "alert('format')", "alert('oa-enum')")


@pytest.fixture(scope="module", params=[None, "govuk.html"], ids=["plain", "govuk"])
def outdir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("markup")
    srcdir = base / "a" / "src"
    copy_root("hardening-markup", srcdir)
    # Where the data files' include directives point (srcdir/../../secret.txt).
    (base / "secret.txt").write_text(SECRET, encoding="utf-8")
    overrides = {**WARNING_TYPES, "callbacks_html_template": request.param}
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=overrides)
    try:
        app.build()
        (app.outdir / "warnings.txt").write_text("\n".join(warnings_of(app)), encoding="utf-8")
        yield app.outdir
    finally:
        app.cleanup()


def _body(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one("div.body") or soup
    assert isinstance(body, BeautifulSoup) or body is not None
    return body  # type: ignore[return-value]


@pytest.mark.parametrize("page", ["index", "myst"])
def test_no_script_runs(outdir: Path, page: str) -> None:
    body = _body(outdir / f"{page}.html")
    assert body.find("script") is None
    for tag in body.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not re.match(r"\s*(javascript|vbscript|data):", text, re.IGNORECASE), tag
    assert body.find("img") is None


@pytest.mark.parametrize("page", ["index", "myst"])
def test_the_markup_is_shown_as_text(outdir: Path, page: str) -> None:
    text = _body(outdir / f"{page}.html").get_text()
    for shown in SHOWN_AS_TEXT:
        assert shown.replace("'", "") in text.replace("'", "").replace("‘", "").replace("’", "")
    assert "After the tables." in text


@pytest.mark.parametrize("page", ["index", "myst"])
def test_no_file_is_included(outdir: Path, page: str) -> None:
    html = (outdir / f"{page}.html").read_text(encoding="utf-8")
    assert SECRET not in html
    assert "INCLUDED-FROM-INSIDE" not in html


def test_captions_keep_their_text(outdir: Path) -> None:
    body = _body(outdir / "myst.html")
    captions = [" ".join(c.get_text(" ", strip=True).split()) for c in body.select("caption")]
    assert any("Caption <script>" in caption for caption in captions), captions
    assert any("Summary" in caption for caption in captions), captions


def test_include_directives_are_refused_without_a_traceback(outdir: Path) -> None:
    warnings = (outdir / "warnings.txt").read_text(encoding="utf-8")
    assert "Traceback" not in warnings
    assert "callbacks.internal" not in warnings
    # Refused by the gate (docs/security.rst), located at the directive, in reST and in Markdown.
    for name in ("include", "literalinclude", "raw"):
        assert re.search(
            rf"index\.rst:\d+: WARNING: data/(fields|spec)\.yaml: directive '{name}' is not "
            r"allowed in text from a data file; shown as text \[callbacks\.markup\]",
            warnings,
        ), name
    assert "(WARNING/2)" not in warnings
