"""Nested objects that fold in HTML: which rows, the attributes that say so, other builders.

``tests/roots/test-folding`` has an order table whose ``customer`` holds 20 rows, 11 of them
in ``customer.address``; a small table; and a table read from a schema whose ``payment``
has alternatives, with ``:fold: 3``. ``tests/test_browser_docs.py`` checks the folding in
a browser.
"""

from __future__ import annotations

import pytest
from docutils import nodes

from sphinxext_callbacks.render.folding import fold_plan
from sphinxext_callbacks.render.table import ALTERNATIVE_CLASS, ALTERNATIVES_END_CLASS

from .helpers import WARNING_TYPES, copy_root, tables, warnings_of


def _row(key: str | None, *classes: str) -> nodes.row:
    row = nodes.row(classes=list(classes))
    if key is not None:
        row["callbacks-key"] = key
    return row


def test_plan_folds_objects_with_more_rows_than_the_threshold() -> None:
    rows = [
        _row("id"),
        _row("a"),
        _row("a.b"),
        _row("a.c"),
        _row("a.c.d"),
        _row(None, ALTERNATIVE_CLASS),
        _row("a.e[]"),
        _row("a.e[].f"),
        _row(None, ALTERNATIVES_END_CLASS),
        _row("z"),
    ]
    plan = fold_plan(rows, 2)
    # a holds 5 field rows; a.c and a.e[] only 1 each: they do not fold.
    assert [fold.opens for fold in plan] == [None, 0, *[None] * 8]
    assert plan[1].count == 5
    assert [fold.inside for fold in plan] == [[], [], [0], [0], [0], [0], [0], [0], [0], []]


def test_plan_nests_and_threshold_zero_folds_nothing() -> None:
    rows = [_row("a"), *[_row(f"a.b{i}") for i in range(3)], _row("a.c")]
    rows += [_row(f"a.c.d{i}") for i in range(3)]
    plan = fold_plan(rows, 2)
    assert [fold.opens for fold in plan][:5] == [0, None, None, None, 1]
    assert plan[-1].inside == [0, 1]
    assert all(fold.opens is None and not fold.inside for fold in fold_plan(rows, 0))


def _attributes(app, name: str) -> list[tuple[str | None, str | None, str | None]]:
    (table,) = [t for t in tables(app.outdir / "index.html") if t.get("id") == f"callback-{name}"]
    return [
        (
            row.get("data-callbacks-fold"),
            row.get("data-callbacks-fold-label"),
            row.get("data-callbacks-fold-in"),
        )
        for row in table.select("tbody > tr")
    ]


@pytest.mark.sphinx("html", testroot="folding", freshenv=True, confoverrides=WARNING_TYPES)
def test_html_rows_carry_the_plan(app) -> None:
    app.build()
    assert warnings_of(app) == []
    order = _attributes(app, "order")
    assert order[0] == (None, None, None)  # id
    assert order[1] == ("0", "20 fields inside", None)  # customer
    assert order[10] == ("1", "11 fields inside", "0")  # customer.address
    assert order[11:22] == [(None, None, "0 1")] * 11
    assert order[-1] == (None, None, None)  # total
    # Every row is in the page: the script hides them, not the build.
    assert len(order) == 23
    assert all(attributes == (None, None, None) for attributes in _attributes(app, "small"))
    paid = _attributes(app, "paid")
    assert paid[1][:2] == ("0", "6 fields inside")
    # The label rows and the row that ends the alternatives fold with payment.
    assert [inside for _fold, _label, inside in paid[2:11]] == ["0"] * 9
    assert paid[-1] == (None, None, None)


@pytest.mark.sphinx(
    "html",
    testroot="folding",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "callbacks_fold_rows": 0},
)
def test_fold_rows_zero_folds_nothing_but_fold_option_still_does(app) -> None:
    app.build()
    assert all(attributes == (None, None, None) for attributes in _attributes(app, "order"))
    assert _attributes(app, "paid")[1][0] == "0"


@pytest.mark.sphinx(
    "html",
    testroot="folding",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "callbacks_html_template": "govuk.html"},
)
def test_templates_get_the_plan_too(app) -> None:
    app.build()
    order = _attributes(app, "order")
    assert order[1] == ("0", "20 fields inside", None)
    assert order[11] == (None, None, "0 1")


@pytest.mark.parametrize("builder", ["text", "latex", "man", "xml"])
def test_other_builders_show_every_row(make_app, tmp_path, builder: str) -> None:
    app = make_app(
        builder, srcdir=copy_root("folding", tmp_path / "folding"), confoverrides=WARNING_TYPES
    )
    app.build()
    assert warnings_of(app) == []
    output = "\n".join(
        path.read_text(encoding="utf-8")
        for path in app.outdir.rglob("*")
        if path.suffix in (".txt", ".tex", ".1", ".xml")
    )
    for index in range(11):
        assert f"line{index}" in output
    assert "fields inside" not in output
    assert "data-callbacks" not in output


def test_a_bad_fold_value_is_a_located_warning(make_app, tmp_path) -> None:
    source = copy_root("folding", tmp_path / "folding")
    index = source / "index.rst"
    index.write_text(
        index.read_text(encoding="utf-8").replace(":fold: 3", ":fold: many"), encoding="utf-8"
    )
    app = make_app("html", srcdir=source, confoverrides=WARNING_TYPES)
    app.build()
    (warning,) = warnings_of(app)
    assert "index.rst:" in warning and "[callbacks.option]" in warning
    assert ":fold: must be a whole number of 0 or more, not 'many'" in warning
