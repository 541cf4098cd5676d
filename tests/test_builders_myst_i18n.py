"""Every builder Sphinx ships, MyST Markdown, and translation of captions and descriptions."""

from __future__ import annotations

import pytest

from .helpers import BUILDERS, WARNING_TYPES, copy_root, rows, tables, warnings_of

#: Each root, and text that every output of it must hold. ``groups``: label rows of
#: alternatives span the table, and each writer must cope (man cannot span and gets a full
#: row instead; LaTeX spans with a multicolumn).
_ROOTS = {
    "inline": ("reference", "The time the notification was sent"),
    "groups": ("alternative 2 of 3", "End of the alternatives"),
}


@pytest.mark.parametrize("root", sorted(_ROOTS))
@pytest.mark.parametrize("builder", BUILDERS)
def test_every_builder_builds_without_warnings(make_app, sphinx_test_tempdir, builder, root):
    app = make_app(
        builder,
        srcdir=copy_root(root, sphinx_test_tempdir / f"{root}-{builder}"),
        freshenv=True,
        confoverrides=WARNING_TYPES,
    )
    app.build()
    assert warnings_of(app) == []
    produced = [p for p in app.outdir.rglob("*") if p.is_file()]
    assert produced
    if builder in ("text", "latex", "man", "texinfo", "xml"):
        output = "\n".join(
            p.read_text(encoding="utf-8", errors="replace")
            for p in produced
            if p.suffix in (".txt", ".tex", ".1", ".texi", ".xml")
        )
        for text in _ROOTS[root]:
            assert text in output
        if builder == "latex" and root == "groups":
            assert "\\sphinxstartmulticolumn{3}" in output


@pytest.mark.sphinx("html", testroot="myst", freshenv=True, confoverrides=WARNING_TYPES)
def test_myst_gives_the_same_table(app, make_app, sphinx_test_tempdir):
    app.build()
    assert warnings_of(app) == []
    rst = make_app(
        "html",
        srcdir=copy_root("inline", sphinx_test_tempdir / "myst-compare"),
        freshenv=True,
    )
    rst.build()
    myst_tables = tables(app.outdir / "index.html")
    rst_tables = tables(rst.outdir / "index.html")
    for myst_table, rst_table in zip(myst_tables, rst_tables, strict=True):
        assert rows(myst_table) == rows(rst_table)
        assert [tr.get("id") for tr in myst_table.select("tr")] == [
            tr.get("id") for tr in rst_table.select("tr")
        ]
        assert [th.get("scope") for th in myst_table.select("th")] == [
            th.get("scope") for th in rst_table.select("th")
        ]
    assert myst_tables[1].find("a")["href"] == "https://example.com"


@pytest.mark.sphinx("gettext", testroot="inline", freshenv=True, confoverrides=WARNING_TYPES)
def test_gettext_extracts_captions_and_descriptions(app):
    app.build()
    catalogue = (app.outdir / "index.pot").read_text(encoding="utf-8")
    assert 'msgid "Callback message format"' in catalogue
    assert 'msgid "Notify’s id for the status receipts"' in catalogue
    assert 'msgid "The received message, with *emphasis*:"' in catalogue
    assert 'msgid "The UTC datetime that the message was received by Notify"' in catalogue
