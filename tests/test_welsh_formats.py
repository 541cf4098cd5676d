"""Every word the extension writes in a table, in a Welsh build: format names included.

``tests/roots/test-welsh-formats`` has ``language = "cy"`` and a schema with a field for
each JSON Schema ``format`` the extension names, an array of objects, a field of two types
and an object large enough to fold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import sphinxext_callbacks
from sphinxext_callbacks.model.formats import FORMAT_NAMES

from .helpers import WARNING_TYPES, rows, tables, warnings_of

PO = Path(sphinxext_callbacks.__file__).parent / "locale" / "cy" / "LC_MESSAGES"
PO = PO / "sphinxext_callbacks.po"


def _welsh() -> dict[str, str]:
    with PO.open("rb") as file:
        return {m.id: m.string for m in read_po(file) if m.id and isinstance(m.id, str)}


@pytest.mark.sphinx("html", testroot="welsh-formats", freshenv=True, confoverrides=WARNING_TYPES)
def test_format_names_and_type_words_are_welsh(app) -> None:
    app.build()
    assert [line for line in warnings_of(app) if "[docutils]" not in line] == []
    (table,) = tables(app.outdir / "index.html")
    welsh = _welsh()
    by_key = {row[0]: row[1:] for row in rows(table)}
    for keyword, name in FORMAT_NAMES.items():
        assert by_key[f"f_{keyword}"][0] == welsh[name], keyword
    # Type names are JSON Schema's keywords; the words that join them are Welsh.
    assert by_key["many"][:2] == ["arae o object", "arae o object"]
    assert by_key["either"][:2] == ["string neu integer", "string neu integer"]
    assert by_key["big"][2] == "Nac ydy"
    (big,) = table.select("tr[data-callbacks-fold]")
    assert big["data-callbacks-fold-label"] == "11 maes y tu mewn"


@pytest.mark.sphinx("html", testroot="welsh-formats", freshenv=True, confoverrides=WARNING_TYPES)
def test_no_english_message_is_left_in_a_welsh_table(app) -> None:
    """Each message of the catalogue whose Welsh differs: its English is not in the table."""
    app.build()
    (table,) = tables(app.outdir / "index.html")
    text = " ".join(table.get_text(" ").split())
    text += " " + " ".join(
        row["data-callbacks-fold-label"] for row in table.select("tr[data-callbacks-fold]")
    )
    english = [
        message
        for message, translation in _welsh().items()
        if message != translation and message.strip("%s ")
    ]
    assert "date and time (RFC 3339)" in english and "array of %s" in english

    def pattern(message: str) -> str:
        # A placeholder stands for one word of the table.
        parts = re.split(r"%(?:\(\w+\))?s", message)
        return r"(?<![\w-])" + r"\S+".join(map(re.escape, parts)) + r"(?![\w-])"

    left = [m for m in english if re.search(pattern(m), text)]
    assert left == []
