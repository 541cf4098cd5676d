"""What HTML tables carry for narrow screens and deep keys, and what other builders do not.

The layouts themselves are checked in Chromium (``test_browser.py``,
``test_browser_layout.py``); these tests check the markup they rely on.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.render.html_template import add_table_roles

from .helpers import WARNING_TYPES, warnings_of

GOVUK = {**WARNING_TYPES, "callbacks_html_template": "govuk.html"}


def _table(app: SphinxTestApp, page: str = "index") -> BeautifulSoup:
    soup = BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.select_one("table.callbacks-table")
    assert table is not None
    return table


def _check_roles(table: BeautifulSoup) -> None:
    # The table keeps its own semantics (its display does not change); its row groups, rows
    # and cells become blocks on a narrow screen, and say what they are.
    assert table.get("role") is None
    assert [group["role"] for group in table.select("thead, tbody")] == ["rowgroup"] * 2
    assert {tr["role"] for tr in table.select("tr")} == {"row"}
    assert {th["role"] for th in table.select("thead th")} == {"columnheader"}
    assert {th["role"] for th in table.select("tbody th")} == {"rowheader"}
    assert {td["role"] for td in table.select("tbody td")} == {"cell"}
    # Each body cell knows its column's heading, for the narrow layout's labels.
    first = table.select_one("tbody tr")
    assert [cell["data-label"] for cell in first.find_all(["th", "td"])] == [
        "Key",
        "Description",
        "Format",
    ]


@pytest.mark.sphinx("html", testroot="html-layout", freshenv=True, confoverrides=WARNING_TYPES)
def test_html_tables_for_narrow_screens_and_deep_keys(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    table = _table(app)
    _check_roles(table)
    keys = {str(row["id"]): row.select_one("th code") for row in table.select("tbody tr")}
    # A dotted key: its path, quieter, with a line break opportunity after each dot and
    # "[]"; then its last segment. The text is the key, unchanged.
    email = keys["callback-order-sender-email"]
    assert email.get_text() == "sender.email"
    assert "callbacks-key" in email["class"]
    assert str(email.select_one(".callbacks-key-parent")) == (
        '<span class="callbacks-key-parent">sender.<wbr/></span>'
    )
    assert email.select_one(".callbacks-key-name").get_text() == "email"
    count = keys["callback-order-items-count"]
    assert count.get_text() == "items[].count"
    assert count.select_one(".callbacks-key-parent").get_text() == "items[]."
    # A key of one segment is left as it was.
    assert str(keys["callback-order-id"]) == (
        '<code class="docutils literal notranslate"><span class="pre">id</span></code>'
    )
    # The script that makes the scroll box a tab stop only while it scrolls.
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert 'src="_static/callbacks.js' in page
    assert (app.outdir / "_static" / "callbacks.js").is_file()


@pytest.mark.sphinx("html", testroot="html-layout", freshenv=True, confoverrides=GOVUK)
def test_govuk_template_gets_the_same_roles_and_keys(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    table = _table(app)
    assert "govuk-table" in table["class"]
    _check_roles(table)
    assert table.select_one("tr#callback-order-sender-email wbr") is not None


@pytest.mark.sphinx("text", testroot="html-layout", freshenv=True, confoverrides=WARNING_TYPES)
def test_other_builders_keep_keys_whole(app: SphinxTestApp) -> None:
    app.build()
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "items[].count" in text
    assert "sender.email" in text
    assert "\u200b" not in text
    assert "wbr" not in text


def test_roles_leave_tables_in_cells_alone() -> None:
    html = (
        "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr>"
        '<th scope="row">k</th><td><table><tr><td>inner</td></tr></table></td>'
        "</tr></tbody></table>"
    )
    assert add_table_roles(html, ["A", "B"]) == (
        '<table><thead role="rowgroup"><tr role="row"><th role="columnheader">A</th>'
        '<th role="columnheader">B</th></tr></thead><tbody role="rowgroup"><tr role="row">'
        '<th role="rowheader" data-label="A" scope="row">k</th>'
        '<td role="cell" data-label="B"><table><tr><td>inner</td></tr></table></td>'
        "</tr></tbody></table>"
    )
