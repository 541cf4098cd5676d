"""The callback-table directive with an inline body: doctree, HTML and text output."""

from __future__ import annotations

import pytest
from docutils import nodes
from sphinx.testing.util import assert_node

from sphinxext_callbacks.render.callback_nodes import callbacks_entry

from .helpers import NOTIFY_KEYS, WARNING_TYPES, rows, tables, warnings_of


@pytest.mark.sphinx("html", testroot="inline", freshenv=True, confoverrides=WARNING_TYPES)
def test_doctree_is_a_real_table(app):
    app.build()
    assert warnings_of(app) == []
    doctree = app.env.get_doctree("index")
    table = next(doctree.findall(nodes.table))
    assert_node(table, nodes.table, ids=["callback-delivery-receipt"])
    assert_node(table[0], nodes.title)
    assert table[0].rawsource == "Callback message format"
    tgroup = table[1]
    assert_node(tgroup, nodes.tgroup, cols=3)
    colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
    assert [c.get("stub", 0) for c in colspecs] == [1, 0, 0]
    thead = next(tgroup.findall(nodes.thead))
    assert [e.astext() for e in thead.findall(nodes.entry)] == ["Key", "Description", "Format"]
    body_rows = list(next(tgroup.findall(nodes.tbody)).children)
    assert [r[0].astext() for r in body_rows] == NOTIFY_KEYS
    assert isinstance(body_rows[0][0], callbacks_entry)
    assert body_rows[0][0]["scope"] == "row"
    assert [r["ids"] for r in body_rows][:2] == [
        ["callback-delivery-receipt-id"],
        ["callback-delivery-receipt-reference"],
    ]
    status_format = body_rows[3][2]
    assert [n.astext() for n in status_format.findall(nodes.literal)] == [
        "delivered",
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
    ]


@pytest.mark.sphinx("html", testroot="inline", freshenv=True, confoverrides=WARNING_TYPES)
def test_html_is_accessible(app):
    app.build()
    first, second = tables(app.outdir / "index.html")
    caption = first.find("caption")
    assert caption is not None
    assert "Callback message format" in caption.get_text()
    assert "callbacks-hidden-caption" in first["class"]
    assert [th["scope"] for th in first.select("thead th")] == ["col", "col", "col"]
    key_cells = first.select("tbody th")
    assert [th["scope"] for th in key_cells] == ["row"] * 8
    assert [th.get_text(strip=True) for th in key_cells] == NOTIFY_KEYS
    assert [tr["id"] for tr in first.select("tbody tr")][-1] == (
        "callback-delivery-receipt-notification-type"
    )
    assert rows(first)[1] == ["reference", "The reference sent by the service", "12345678"]
    assert rows(first)[5][2] == "2017-05-14T12:15:30.000000Z or nil"
    # The unnamed table gets stable anchors of its own.
    assert [tr["id"] for tr in second.select("tbody tr")] == [
        "callback-table-0-message",
        "callback-table-0-date-received",
    ]
    # The stylesheet that hides the caption ships with the extension.
    assert (app.outdir / "_static" / "callbacks.css").is_file()
    assert "callbacks.css" in (app.outdir / "index.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="inline", freshenv=True, confoverrides=WARNING_TYPES)
def test_body_markup_and_attributes(app):
    app.build()
    _, second = tables(app.outdir / "index.html")
    message = second.select("tbody tr")[0].find_all("td")[0]
    assert message.find("em").get_text() == "emphasis"
    assert [li.get_text(" ", strip=True) for li in message.find_all("li")] == [
        "a list item",
        "and a link",
    ]
    assert message.find("a")["href"] == "https://example.com"
    received = second.select("tbody tr")[1]
    assert "callbacks-deprecated" in received["class"]
    description = received.find_all("td")[0].get_text(" ", strip=True)
    assert "The UTC datetime that the message was received by Notify" in description
    assert "Deprecated" in description
    assert "New in version 2.1." in description
    # An example gives the format cell when no format is written; nullable adds the null text.
    assert received.find_all("td")[1].get_text(" ", strip=True) == (
        "2017-05-14T12:15:30.000000Z or null"
    )


@pytest.mark.sphinx("text", testroot="inline", freshenv=True, confoverrides=WARNING_TYPES)
def test_text_builder(app):
    app.build()
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "notification_type" in text
    assert "Notify’s id for the status receipts" in text
    # A hidden caption is for screen readers; plain text has none.
    assert "Callback message format" not in text
    assert "Text after the table." in text
