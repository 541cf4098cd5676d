"""The stylesheet reaches every HTML output without touching the user's configuration."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from .helpers import WARNING_TYPES, warnings_of

ROOTS = Path(__file__).parent / "roots"
CSS = "callbacks.css"


def build(srcdir: Path, builder: str = "html", *, freshenv: bool) -> SphinxTestApp:
    app = SphinxTestApp(
        builder,
        srcdir=srcdir,
        freshenv=freshenv,
        # SphinxTestApp sets html_theme after reading conf.py unless it is overridden, which
        # an incremental build would report as a configuration change of its own.
        confoverrides={**WARNING_TYPES, "html_theme": "basic"},
        status=io.StringIO(),
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_an_incremental_build_reports_no_configuration_change(tmp_path: Path) -> None:
    srcdir = tmp_path / "inline"
    shutil.copytree(ROOTS / "test-inline", srcdir)
    first = build(srcdir, freshenv=True)
    assert warnings_of(first) == []
    again = build(srcdir, freshenv=False)
    status = again._status.getvalue()
    assert "configuration has changed" not in status
    assert "0 added, 0 changed, 0 removed" in status
    # The user's value is what conf.py says, and nothing more.
    assert again.config.html_static_path == []


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml", "epub"])
def test_the_stylesheet_is_in_every_html_output(tmp_path: Path, builder: str) -> None:
    srcdir = tmp_path / "inline"
    shutil.copytree(ROOTS / "test-inline", srcdir)
    app = build(srcdir, builder, freshenv=True)
    outdir = Path(app.outdir)
    shipped = Path(__file__).parents[1] / "sphinxext_callbacks" / "render" / "static" / CSS
    assert (outdir / "_static" / CSS).read_bytes() == shipped.read_bytes()
    if builder == "epub":
        [epub] = outdir.glob("*.epub")
        with zipfile.ZipFile(epub) as archive:
            assert any(name.endswith(f"_static/{CSS}") for name in archive.namelist())
        page = outdir / "index.xhtml"
    else:
        page = next(outdir.rglob("index.html"))
    assert f"_static/{CSS}" in page.read_text(encoding="utf-8")


def test_no_stylesheet_for_other_builders(tmp_path: Path) -> None:
    srcdir = tmp_path / "inline"
    shutil.copytree(ROOTS / "test-inline", srcdir)
    app = build(srcdir, "text", freshenv=True)
    assert not (Path(app.outdir) / "_static").exists()
