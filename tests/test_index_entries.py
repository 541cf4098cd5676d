"""What goes into the general index: ``:no-index-entry:``, ``:no-index:`` and
``callbacks_index_fields`` (a catalogue of many tables must not bloat ``genindex.html``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .helpers import WARNING_TYPES, warnings_of

KEYS = ["id", "reference", "to", "status", "created_at", "completed_at", "sent_at", "kind"]


def catalogue(srcdir: Path, tables: int, per_page: int = 20) -> None:
    """*tables* named tables of eight fields, and a page that links to a field of each."""
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    pages = []
    for page in range(tables // per_page):
        body = [f"Page {page}", "=" * 12, ""]
        for n in range(page * per_page, (page + 1) * per_page):
            body += [f".. callback-table:: hook-{n}", ""]
            body += [f"   {key}\n      The {key} of hook {n}.\n" for key in KEYS]
        (srcdir / f"page{page}.rst").write_text("\n".join(body), encoding="utf-8")
        pages.append(f"page{page}")
    links = [f"- :callback:field:`hook-{n}.status`" for n in range(tables)]
    (srcdir / "links.rst").write_text("Links\n=====\n\n" + "\n".join(links) + "\n")
    toctree = "\n".join(f"   {p}" for p in [*pages, "links"])
    (srcdir / "index.rst").write_text(f"Hooks\n=====\n\n.. toctree::\n\n{toctree}\n")


def build(srcdir: Path, **overrides: Any) -> SphinxTestApp:
    app = SphinxTestApp(
        "html", srcdir=srcdir, freshenv=True, confoverrides={**WARNING_TYPES, **overrides}
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings_of(app) == [], warnings_of(app)
    return app


def test_fields_out_of_the_index_make_it_five_times_smaller(tmp_path: Path) -> None:
    catalogue(tmp_path / "all", 200)
    catalogue(tmp_path / "tables", 200)
    everything = build(tmp_path / "all", callbacks_index_fields=True)
    tables_only = build(tmp_path / "tables", callbacks_index_fields=False)
    full = (everything.outdir / "genindex.html").stat().st_size
    small = (tables_only.outdir / "genindex.html").stat().st_size
    assert full >= 5 * small, (full, small)
    # The tables are still in the index; the fields still link and are in objects.inv.
    index = (tables_only.outdir / "genindex.html").read_text(encoding="utf-8")
    assert "hook-7 (callback)" in index
    assert "(field of callback" not in index
    soup = BeautifulSoup(
        (tables_only.outdir / "links.html").read_text(encoding="utf-8"), "html.parser"
    )
    hrefs = [a["href"] for a in soup.select("div.body li a")]
    assert len(hrefs) == 200
    for href in hrefs:
        page, _, anchor = href.partition("#")
        target = (tables_only.outdir / page).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in target
    inventory = (tables_only.outdir / "objects.inv").stat().st_size
    assert inventory == (everything.outdir / "objects.inv").stat().st_size


@pytest.mark.parametrize("flag", ["no-index-entry", "no-index"])
def test_table_flags_keep_a_table_out_of_the_index(tmp_path: Path, flag: str) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    (srcdir / "index.rst").write_text(
        "T\n=\n\n"
        f".. callback-table:: quiet\n   :{flag}:\n\n   id\n      x\n\n"
        ".. callback-table:: loud\n\n   id\n      x\n\n"
        "See :callback:ref:`loud`.\n",
        encoding="utf-8",
    )
    app = build(srcdir)
    index = (app.outdir / "genindex.html").read_text(encoding="utf-8")
    assert "quiet (callback)" not in index
    assert "loud (callback)" in index
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert html.count("callbacks-table") >= 2
    domain = app.env.get_domain("callback")
    names = {name for name, *_ in domain.get_objects()}
    if flag == "no-index-entry":
        assert "quiet" in names  # still a target, still in objects.inv
    else:
        assert "quiet" not in names


def test_a_table_shown_twice_on_a_page_has_ids_of_its_own(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    table = ".. callback-table:: receipt\n{flag}\n   id\n      x\n   status\n      y\n\n"
    (srcdir / "index.rst").write_text(
        "T\n=\n\n"
        + table.format(flag="")
        + table.format(flag="   :no-index:\n")
        + "See :callback:field:`receipt.status`.\n",
        encoding="utf-8",
    )
    app = build(srcdir)
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids)), ids
    assert "callback-receipt-status-2" in ids
    # The link goes to the first table, which keeps the plain ids.
    (link,) = soup.select("a.reference.internal")
    assert link["href"] == "#callback-receipt-status"
