"""``oneOf``/``anyOf`` alternatives: each a labelled group of rows, in every builder.

``tests/roots/test-groups`` has a top-level ``oneOf`` of two titled alternatives
(``payment``), a property's ``oneOf`` labelled by its discriminator (``adopted``), a
``oneOf`` nested in a ``oneOf`` without a type (``message``), unnamed ``anyOf``
alternatives inside array items (``unnamed``), and a key in four alternatives (``four``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from docutils import nodes

from sphinxext_callbacks.model.fields import Choice
from sphinxext_callbacks.render.table import group_rows

from .helpers import WARNING_TYPES, tables, warnings_of


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def _outline(table: Tag) -> list[str]:
    """Each body row: ``> label`` for a label row, ``. text`` for an end row, else its key."""
    shown = []
    for tr in table.select("tbody > tr"):
        classes = tr.get("class") or []
        if "callbacks-alternative" in classes:
            shown.append("> " + _text(tr))
        elif "callbacks-alternatives-end" in classes:
            shown.append(". " + _text(tr))
        else:
            shown.append("".join(tr.th.get_text("", strip=True).split()))
    return shown


@pytest.mark.sphinx("html", testroot="groups", freshenv=True, confoverrides=WARNING_TYPES)
def test_each_alternative_is_a_labelled_group_of_rows(app):
    app.build()
    assert warnings_of(app) == []
    payment, adopted, message, unnamed, four, selected = tables(app.outdir / "index.html")
    # A top-level oneOf of two titled alternatives.
    assert _outline(payment) == [
        "id",
        "> Card — alternative 1 of 2",
        "number",
        "expiry",
        "> Bank transfer — alternative 2 of 2",
        "iban",
    ]
    # A property's oneOf without titles: the discriminator's mapping names two, the
    # property's const the third; the rows after the group are told apart from it.
    assert _outline(adopted) == [
        "id",
        "pet",
        "> cat — alternative 1 of 3 for pet",
        "pet.kind",
        "pet.indoor",
        "> dog — alternative 2 of 3 for pet",
        "pet.kind",
        "pet.breed",
        "> lizard — alternative 3 of 3 for pet",
        "pet.kind",
        "pet.scales",
        ". End of the alternatives for pet .",
        "adopted_at",
    ]
    # A oneOf nested in a oneOf that has no type: labels at two levels, no row dropped.
    assert _outline(message) == [
        "message",
        "> Text — alternative 1 of 2 for message",
        "message.text",
        "> Option 2 — alternative 2 of 2 for message",
        "> WhatsApp — alternative 1 of 2 in Option 2",
        "message.wa_id",
        "> Viber — alternative 2 of 2 in Option 2",
        "message.viber_id",
        ". End of the alternatives for message .",
        "received_at",
    ]
    assert _outline(unnamed) == [
        "data",
        "data[].id",
        "> Option 1 — alternative 1 of 2 for data[]",
        "data[].colour",
        "> Option 2 — alternative 2 of 2 for data[]",
        "data[].size",
    ]
    # :exclude: chooses fields; each group keeps its label while it has a row, and with no
    # rows after the group there is nothing to close.
    assert _outline(selected) == [
        "pet",
        "> cat — alternative 1 of 3 for pet",
        "pet.indoor",
        "> dog — alternative 2 of 3 for pet",
        "pet.breed",
        "> lizard — alternative 3 of 3 for pet",
        "pet.scales",
    ]
    # A key in four alternatives: a row and an id in each; the link lands on the first.
    assert [tr.get("id") for tr in four.select("tbody > tr") if tr.th.get_text() == "type"] == [
        "callback-four-type",
        "callback-four-type-2",
        "callback-four-type-3",
        "callback-four-type-4",
    ]
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one('a[href$="#callback-four-type"]')
    assert link is not None and link.get("title") == "four.type"
    for table in (payment, adopted, message, unnamed, four, selected):
        ids = [tr["id"] for tr in table.select("tbody > tr[id]")]
        assert len(ids) == len(set(ids))
        for tr in table.select("tr.callbacks-alternative, tr.callbacks-alternatives-end"):
            # One header cell across the table; no id: a label row is no field.
            (cell,) = tr.find_all(["th", "td"])
            assert cell.name == "th" and cell["colspan"] == "3"
            assert not tr.get("id") and not tr.find(id=True)
    nested = message.select("tr.callbacks-alternative")
    assert [tr["class"][1] for tr in nested] == [
        "callbacks-alternative-depth-1",
        "callbacks-alternative-depth-1",
        "callbacks-alternative-depth-2",
        "callbacks-alternative-depth-2",
    ]
    (wa_id,) = message.select("tr#callback-message-message-wa-id")
    assert wa_id["class"][:2] == ["callbacks-in-alternative", "callbacks-alternative-depth-2"]
    label = nested[0].th
    assert label.strong.get_text() == "Text" and label.code.get_text() == "message"


@pytest.mark.sphinx("html", testroot="groups", freshenv=True, confoverrides=WARNING_TYPES)
def test_label_rows_are_no_fields_in_the_doctree(app):
    app.build()
    doctree = app.env.get_doctree("index")
    body = [row for tbody in doctree.findall(nodes.tbody) for row in tbody.children]
    spanning = [row for row in body if not row.get("callbacks-key")]
    fields = [row for row in body if row.get("callbacks-key")]
    assert spanning and all(not row["ids"] for row in spanning)
    assert all(len(row.children) == 1 and row[0]["morecols"] == 2 for row in spanning)
    assert all(row["ids"] for row in fields)
    # The domain keeps each key once, at its first row.
    domain = app.env.get_domain("callback")
    (entry,) = domain.data["tables"]["four"]
    assert entry["row_anchors"]["type"] == "callback-four-type"


@pytest.mark.sphinx("text", testroot="groups", freshenv=True, confoverrides=WARNING_TYPES)
def test_text_output_shows_the_groups(app):
    app.build()
    assert warnings_of(app) == []
    text = (Path(app.outdir) / "index.txt").read_text(encoding="utf-8")
    lines = [line.strip("| ").rstrip() for line in text.splitlines()]
    for shown in (
        "**Card** — alternative 1 of 2",
        '**cat** — alternative 1 of 3 for "pet"',
        "**WhatsApp** — alternative 1 of 2 in **Option 2**",
        '*End of the alternatives for "pet".*',
        '**Option 1** — alternative 1 of 2 for "data[]"',
    ):
        assert shown in lines
    assert "Only in" not in text


@pytest.mark.sphinx(
    "html",
    testroot="groups",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "callbacks_html_template": "govuk.html"},
)
def test_the_govuk_template_spans_label_rows(app):
    app.build()
    assert warnings_of(app) == []
    payment = tables(app.outdir / "index.html")[0]
    labels = payment.select("tr.callbacks-alternative")
    assert [_text(tr) for tr in labels] == [
        "Card — alternative 1 of 2",
        "Bank transfer — alternative 2 of 2",
    ]
    for tr in labels:
        (cell,) = tr.find_all(["th", "td"])
        assert cell["colspan"] == "3" and "govuk-table__header" in cell["class"]
        assert not tr.get("id")
    assert [tr["id"] for tr in payment.select("tbody > tr[id]")] == [
        "callback-payment-id",
        "callback-payment-number",
        "callback-payment-expiry",
        "callback-payment-iban",
    ]


def _labels(rows: list[nodes.row]) -> list[str]:
    return [" ".join(row.astext().split()) for row in rows]


def test_two_groups_in_a_row_are_told_apart() -> None:
    # allOf: [{oneOf: [A, B]}, {oneOf: [A, C]}]: the same label in two groups of one owner.
    first = (Choice("A", 1, 2, "", 0),)
    second = (Choice("A", 0, 2, "", 1),)
    assert _labels(group_rows(first, second, 3)) == [
        "End of the alternatives.",
        "A — alternative 1 of 2",
    ]
    # The next alternative of the same group needs only its label.
    assert _labels(group_rows((Choice("A", 0, 2),), (Choice("B", 1, 2),), 3)) == [
        "B — alternative 2 of 2"
    ]
    # Rows of one alternative in a row: nothing between them.
    assert group_rows(first, first, 3) == []


@pytest.mark.sphinx("html", testroot="groups", freshenv=True, confoverrides=WARNING_TYPES)
def test_a_key_in_four_alternatives_is_one_inventory_entry(app):
    # Each row of "type" has an anchor; a link and the inventory go to the first.
    app.build()
    fields = [
        (name, anchor)
        for name, _shown, kind, _doc, anchor, _prio in app.env.get_domain("callback").get_objects()
        if kind == "field" and name.startswith("four.")
    ]
    assert [name for name, _ in fields].count("four.type") == 1
    assert dict(fields)["four.type"] == "callback-four-type"
