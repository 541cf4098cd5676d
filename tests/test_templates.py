"""``callbacks_html_template``: tables rendered through Jinja2 in HTML, and only there."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from .helpers import WARNING_TYPES, rows, tables, warnings_of

GOVUK = {**WARNING_TYPES, "callbacks_html_template": "govuk.html"}


def _soup(app, page="index"):
    return BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.sphinx("html", testroot="inline", freshenv=True, confoverrides=GOVUK)
def test_govuk_markup(app):
    app.build()
    assert warnings_of(app) == []
    first, second = tables(app.outdir / "index.html")
    assert "govuk-table" in first["class"]
    assert first["id"] == "callback-delivery-receipt"
    caption = first.find("caption")
    assert caption["class"] == [
        "govuk-table__caption",
        "govuk-table__caption--m",
        "govuk-visually-hidden",
    ]
    assert caption.get_text() == "Callback message format"
    assert first.find("thead")["class"] == ["govuk-table__head"]
    headers = first.select("thead > tr.govuk-table__row > th.govuk-table__header")
    assert [(th["scope"], th.get_text()) for th in headers] == [
        ("col", "Key"),
        ("col", "Description"),
        ("col", "Format"),
    ]
    assert first.find("tbody")["class"] == ["govuk-table__body"]
    body_rows = first.select("tbody > tr.govuk-table__row")
    assert body_rows[0]["id"] == "callback-delivery-receipt-id"
    key = body_rows[0].find("th")
    assert key["scope"] == "row"
    assert "govuk-table__header" in key["class"]
    assert [td["class"][0] for td in body_rows[0].find_all("td")] == ["govuk-table__cell"] * 2
    assert rows(first)[1] == ["reference", "The reference sent by the service", "12345678"]
    # A caption-less table has none; body markup in a cell survives as HTML.
    assert second.find("caption") is None
    message = second.select("tbody > tr")[0].find_all("td")[0]
    assert message.find("a")["href"] == "https://example.com"
    assert "callbacks-deprecated" in second.select("tbody > tr")[1]["class"]
    # The table scrolls inside a focusable, named region.
    wrapper = first.parent
    assert wrapper["class"] == ["callbacks-scroll"]
    assert wrapper["role"] == "region"
    assert wrapper["aria-label"] == "Callback message format"
    assert wrapper["tabindex"] == "0"


@pytest.mark.sphinx(
    "html",
    testroot="templates",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "callbacks_html_template": "fields.html"},
)
def test_project_template_gets_context_and_escapes_data(app):
    app.build()
    assert warnings_of(app) == []
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    # Nothing from the page's data reaches the HTML as markup.
    fragment = html.split('<table class="custom"', 1)[1].split("</table>", 1)[0]
    for tag in ("<script>", "<b>", "<i>"):
        assert tag not in fragment
    assert "&lt;script&gt;" in fragment
    table = _soup(app).select_one("table.custom")
    assert table["data-name"] == "data-from-users"
    assert table["data-columns"] == "key,description,format,type"
    assert table.caption.get_text() == "Fields with <b>markup</b> & “quotes”"
    assert table.caption["data-hidden"] == "False"
    assert [th["data-column"] for th in table.find_all("th")] == [
        "key",
        "description",
        "format",
        "type",
    ]
    first, second = table.find_all("tr")
    assert first["data-key"] == 'tag<b>&"x"'
    assert first.select_one("td.raw-key").get_text() == 'tag<b>&"x"'
    description = first.select_one('td[data-column="description"]')
    assert description.find("em").get_text() == "emphasis"
    assert "<i>angle brackets</i> &" in description.get_text()
    code = first.select_one('td[data-column="format"] code')
    assert code.get_text() == "<script>alert(1)</script>"
    assert second["id"] == "callback-data-from-users-date-received"
    assert (second["data-required"], second["data-nullable"], second["data-deprecated"]) == (
        "True",
        "True",
        "True",
    )
    assert (second["data-since"], second["data-type"]) == ("2.1", "string")
    assert first["data-since"] == "None"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("missing.html", "is not in templates_path"),
        ("broken.html", "has a syntax error"),
        ("failing.html", "failed"),
    ],
)
def test_unusable_template_warns_and_falls_back(make_app, rootdir, template, message):
    app = make_app(
        "html",
        srcdir=rootdir / "test-templates",
        freshenv=True,
        confoverrides={**WARNING_TYPES, "callbacks_html_template": template},
    )
    app.build()
    warnings = warnings_of(app)
    assert len(warnings) == 1
    assert message in warnings[0]
    assert "[callbacks.config]" in warnings[0]
    (table,) = tables(app.outdir / "index.html")
    assert "govuk-table" not in table["class"]
    assert [th["scope"] for th in table.select("thead th")] == ["col"] * 4
    assert table.parent["class"] == ["callbacks-scroll"]


@pytest.mark.sphinx("text", testroot="inline", freshenv=True, confoverrides=GOVUK)
def test_other_builders_keep_the_table(app):
    app.build()
    assert warnings_of(app) == []
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "notification_type" in text
    assert "govuk" not in text


@pytest.mark.sphinx(
    "html",
    testroot="inline",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "numfig": True},
)
def test_callback_tables_are_still_numbered(app):
    app.build()
    assert warnings_of(app) == []
    first, _ = tables(app.outdir / "index.html")
    assert "Table 1" in first.find("caption").get_text()


@pytest.mark.sphinx("epub", testroot="inline", freshenv=True, confoverrides=GOVUK)
def test_epub_keeps_the_plain_table(app):
    # EPUB must be XHTML, which a template need not write.
    app.build()
    assert warnings_of(app) == []
    xhtml = (app.outdir / "index.xhtml").read_text(encoding="utf-8")
    assert "callbacks-table" in xhtml
    assert "govuk-table" not in xhtml
