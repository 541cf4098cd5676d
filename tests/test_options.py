"""Every option of callback-table, and the configuration values that shape a table."""

from __future__ import annotations

import pytest
from docutils import nodes

from .helpers import WARNING_TYPES, rows, tables, warnings_of


@pytest.fixture
def built(app):
    app.build()
    return app


@pytest.mark.sphinx("html", testroot="options", freshenv=True, confoverrides=WARNING_TYPES)
def test_columns_headings_and_values(built):
    assert warnings_of(built) == []
    first = tables(built.outdir / "index.html")[0]
    assert [th.get_text(strip=True) for th in first.select("thead th")] == [
        "Name",
        "Type",
        "Required",
        "Example",
        "Default",
        "Looks like",
        "Meaning",
    ]
    assert rows(first) == [
        ["id", "string", "Yes", "bcd2d6b8", "", "bcd2d6b8", "The id"],
        ["count", "integer", "No", "3", "1", "3", "How many"],
        ["state", "", "No", "", "", "or nil", "The state"],
    ]


@pytest.mark.sphinx("html", testroot="options", freshenv=True, confoverrides=WARNING_TYPES)
def test_table_options(built):
    doctree = built.env.get_doctree("index")
    table = next(doctree.findall(nodes.table))
    assert table["align"] == "center"
    assert table["width"] == "90%"
    assert {"custom-one", "custom-two", "colwidths-given"} <= set(table["classes"])
    assert "every-column" in table["names"]
    assert [c["colwidth"] for c in table.findall(nodes.colspec)] == [2, 1, 1, 2, 1, 2, 4]
    html = (built.outdir / "index.html").read_text(encoding="utf-8")
    # :name: makes the table a target of :ref: and :numref:.
    assert 'href="#callback-all-columns"' in html
    assert "Table 1" in html


@pytest.mark.sphinx("html", testroot="options", freshenv=True, confoverrides=WARNING_TYPES)
def test_hidden_headings_stay_in_the_html(built):
    second = tables(built.outdir / "index.html")[1]
    thead = second.find("thead")
    assert "callbacks-visually-hidden" in thead["class"]
    assert [th.get_text(strip=True) for th in thead.select("th")] == ["Field", "Text", "Shape"]


@pytest.mark.sphinx("text", testroot="options", freshenv=True, confoverrides=WARNING_TYPES)
def test_hidden_headings_leave_print_output(built):
    text = (built.outdir / "index.txt").read_text(encoding="utf-8")
    assert "Field" not in text
    assert "Every column" in text
    # :widths: 2, 1, ... are too narrow for plain text (Sphinx 7.4 never finishes wrapping).
    border = next(line for line in text.splitlines() if line.startswith("+-"))
    assert min(len(part) for part in border.strip("+").split("+")) >= 6 + 2


@pytest.mark.sphinx("html", testroot="options", freshenv=True, confoverrides=WARNING_TYPES)
def test_depth_and_column_order(built):
    third = tables(built.outdir / "index.html")[2]
    table = list(built.env.get_doctree("index").findall(nodes.table))[2]
    assert "colwidths-auto" in table["classes"]
    assert rows(third) == [["The data", "data"]]


@pytest.mark.sphinx(
    "html",
    testroot="options",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "callbacks_null_text": 3, "callbacks_headings": ["A"]},
)
def test_bad_config_values_warn_and_use_the_default(built):
    warnings = warnings_of(built)
    assert len(warnings) == 2
    assert all(w.endswith("[callbacks.config]") for w in warnings)
    assert "invalid callbacks_null_text = 3" in warnings[1] + warnings[0]
    first = tables(built.outdir / "index.html")[0]
    assert rows(first)[2][5] == "or null"
    assert first.select("thead th")[0].get_text(strip=True) == "Key"
