"""The extension's own words in a Welsh build, and the catalogue that holds them.

``tests/roots/test-welsh`` has ``language = "cy"`` and no catalogue of its own: every Welsh
word in its tables comes from ``sphinxext_callbacks/locale/cy``.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

import sphinxext_callbacks
from sphinxext_callbacks.model.fields import Note

from .helpers import WARNING_TYPES, rows, tables, warnings_of

LOCALE = Path(sphinxext_callbacks.__file__).parent / "locale"
PO = LOCALE / "cy" / "LC_MESSAGES" / "sphinxext_callbacks.po"
MO = PO.with_suffix(".mo")
POT = LOCALE / "sphinxext_callbacks.pot"


def _notes(app) -> list[str]:
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [p.get_text(strip=True) for p in soup.select("p.callbacks-note")]


@pytest.mark.sphinx("html", testroot="welsh", freshenv=True, confoverrides=WARNING_TYPES)
def test_generated_words_are_welsh(app):
    app.build()
    # docutils has no Welsh module and says so; nothing else may warn.
    assert [line for line in warnings_of(app) if "[docutils]" not in line] == []
    inline, from_schema = tables(app.outdir / "index.html")
    assert [th.get_text(strip=True) for th in inline.select("thead th")] == [
        "Allwedd",
        "Disgrifiad",
        "Fformat",
        "Math",
        "Gofynnol",
        "Enghraifft",
        "Rhagosodiad",
    ]
    assert rows(inline) == [
        [
            "id",
            "Dynodydd y neges",
            "UUID",
            "string",
            "Ydy",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "",
        ],
        [
            "status",
            "Y statws Anghymeradwy Newydd yn fersiwn 2.0.",
            "neu null",
            "",
            "Nac ydy",
            "",
            "sent",
        ],
    ]
    by_key = {row[0]: row[1:] for row in rows(from_schema)}
    assert by_key["id"][0] == "Ydy"
    assert by_key["old_ref"] == ["Nac ydy", "Hen gyfeirnod Anghymeradwy"]
    # A map (additionalProperties with a schema) is a {key} row, and an open object a note.
    assert by_key["labels.{key}"] == ["Nac ydy", "Un label"]
    assert by_key["payment.card_id"] == ["Nac ydy", ""]
    # Each alternative of a oneOf opens with a label row, in the page's language.
    assert [
        " ".join(tr.get_text(" ", strip=True).split())
        for tr in from_schema.select("tr.callbacks-alternative")
    ] == [
        "Card — dewis arall 1 o 2 ar gyfer payment",
        "Bank — dewis arall 2 o 2 ar gyfer payment",
    ]
    assert _notes(app) == ["Gall allweddi eraill ymddangos yn extra."]


@pytest.mark.sphinx(
    "html",
    testroot="welsh",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "language": "en"},
)
def test_english_build_keeps_english_words(app):
    app.build()
    inline, _from_schema = tables(app.outdir / "index.html")
    assert [th.get_text(strip=True) for th in inline.select("thead th")][:3] == [
        "Key",
        "Description",
        "Format",
    ]
    assert rows(inline)[1][1] == "Y statws Deprecated New in version 2.0."
    assert _notes(app) == ["Other keys may appear in extra."]


@pytest.mark.sphinx(
    "html",
    testroot="welsh",
    freshenv=True,
    confoverrides={
        **WARNING_TYPES,
        "callbacks_headings": ("Enw", "Ystyr", "Siâp"),
        "callbacks_null_text": "neu ddim",
    },
)
def test_configured_words_are_kept(app):
    app.build()
    inline, _from_schema = tables(app.outdir / "index.html")
    headings = [th.get_text(strip=True) for th in inline.select("thead th")]
    assert headings == ["Enw", "Ystyr", "Siâp", "Math", "Gofynnol", "Enghraifft", "Rhagosodiad"]
    assert rows(inline)[1][2] == "neu ddim"


def test_catalogue_is_complete():
    with PO.open("rb") as file:
        catalog = read_po(file)
    messages = [message for message in catalog if message.id]
    assert messages
    assert [m.id for m in messages if not m.string] == [], "untranslated"
    assert [m.id for m in messages if m.fuzzy] == [], "fuzzy"
    assert [m.id for m in messages if m.check()] == [], "bad placeholders"


def test_catalogues_are_up_to_date():
    """The .pot holds every message of the package, the .po each, and the .mo the .po."""
    package = Path(sphinxext_callbacks.__file__).parent
    in_code = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            package,
            keywords={"_": None, "N_": None, "Note": (1,)},
            comment_tags=("Translators:",),
        )
    }
    with POT.open("rb") as file:
        template = {m.id for m in read_po(file) if m.id}
    with PO.open("rb") as file:
        po = {m.id: m.string for m in read_po(file) if m.id}
    with MO.open("rb") as file:
        mo = {m.id: m.string for m in read_mo(file) if m.id}
    hint = "run `tox -e messages` (see docs/translating.rst)"
    assert template == in_code, hint
    assert set(po) == template, hint
    assert mo == po, hint


def test_a_note_keeps_its_message_through_pickle():
    # Notes live in the environment and cross -j process boundaries.
    note = Note("Other keys may appear in %s.", "data")
    again = pickle.loads(pickle.dumps(note))
    assert again == "Other keys may appear in data."
    assert (again.message, again.args) == ("Other keys may appear in %s.", ("data",))
    assert Note("100% of it") == "100% of it"
