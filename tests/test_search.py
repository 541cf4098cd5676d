"""Sphinx's search finds callback tables and fields, and its links open them.

:func:`search_objects` reads a built ``searchindex.js`` as Sphinx's ``searchtools.js`` does
(``Search.performObjectSearch``): the displayed name is the index's prefix and name joined
by a dot, and the anchor is rebuilt from it when the index shortened it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .helpers import WARNING_TYPES


class SearchObject(NamedTuple):
    """One object result as the search page shows and links it."""

    objtype: str
    title: str
    page: str
    anchor: str


def search_objects(outdir: Path, domain: str = "callback") -> list[SearchObject]:
    """Every object of ``domain`` in ``outdir/searchindex.js``, with its rebuilt link."""
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    match = re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.DOTALL)
    assert match, text[:200]
    index = json.loads(match.group(1))
    found = []
    for prefix, entries in index["objects"].items():
        for doc, typeindex, _prio, anchor, name in entries:
            objdomain, objtype, _label = index["objnames"][str(typeindex)]
            if objdomain != domain:
                continue
            fullname = f"{prefix}.{name}" if prefix else name
            if anchor == "":
                anchor = fullname
            elif anchor == "-":
                anchor = f"{objtype}-{fullname}"
            found.append(SearchObject(objtype, fullname, index["docnames"][doc], anchor))
    return sorted(found)


def check_search_links(outdir: Path) -> list[SearchObject]:
    """Assert that every callback result links to an element of its page; return them."""
    found = search_objects(outdir)
    assert found
    ids: dict[str, set[str]] = {}
    for result in found:
        if result.page not in ids:
            html = (outdir / f"{result.page}.html").read_text(encoding="utf-8")
            soup = BeautifulSoup(html, "html.parser")
            ids[result.page] = {str(e["id"]) for e in soup.select("[id]")}
        assert result.anchor in ids[result.page], result
    return found


@pytest.mark.sphinx("html", testroot="domain", freshenv=True, confoverrides=WARNING_TYPES)
def test_search_links_tables_and_rows(app: SphinxTestApp) -> None:
    app.build()
    found = check_search_links(app.outdir)
    by_title = {result.title: result for result in found}
    # A caption is shown with the name (which the search also finds); a table without one
    # is shown by its name.
    assert by_title["Callback number 3 (cb03)"] == SearchObject(
        "callback", "Callback number 3 (cb03)", "chapter03", "callback-cb03"
    )
    assert by_title["cb04"] == SearchObject("callback", "cb04", "chapter04", "callback-cb04")
    # One object a table, none a field: a spec of 138,000 fields would make the index tens
    # of megabytes. Fields are found through the text of their page.
    assert [result.objtype for result in found] == ["callback"] * 10
    terms = json.loads(
        re.fullmatch(
            r"Search\.setIndex\((.*)\)\s*",
            (app.outdir / "searchindex.js").read_text(encoding="utf-8"),
            re.DOTALL,
        ).group(1)  # type: ignore[union-attr]
    )["terms"]
    assert "count" in terms


@pytest.mark.sphinx("html", testroot="domain", freshenv=True, confoverrides=WARNING_TYPES)
def test_inventory_keeps_what_the_roles_show(app: SphinxTestApp) -> None:
    # The search index's entries are its own: objects.inv, which intersphinx reads, still
    # has the caption and the key, after the search index has been written.
    from .test_domain import inventory

    app.build()
    entries = {
        name: (uri, dispname)
        for name, _role, uri, dispname in inventory(app.outdir / "objects.inv")
    }
    assert entries["cb03"] == ("chapter03.html#callback-cb03", "Callback number 3")
    assert entries["cb03.items[].count"] == (
        "chapter03.html#callback-cb03-items-count",
        "items[].count",
    )
