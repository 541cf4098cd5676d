"""Callback tables in man pages: a label row spans the table, keys break after their dots.

``tests/roots/test-man`` has a ``payment`` with two alternatives (two label rows and a row
that ends them) and a key five segments long, one of them a name that holds a dot.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from .helpers import WARNING_TYPES, warnings_of


def _tbl(app) -> str:
    page = (app.outdir / "callbacks.7").read_text(encoding="utf-8")
    return page[page.index(".TS") : page.index(".TE")]


@pytest.mark.sphinx("man", testroot="man", freshenv=True, confoverrides=WARNING_TYPES)
def test_label_rows_span_the_table_and_keys_keep_whole(app) -> None:
    app.build()
    assert warnings_of(app) == []
    table = _tbl(app)
    lines = table.splitlines()
    # One format line a row: the heading row, then the body rows in order. docutils 0.20
    # draws bars at the table's edges ("|l|l|l|") and a rule ("_") above the first row,
    # later releases a box: the same columns.
    formats = [
        re.sub(r"^\||\|(?=\.?$)", "", line) for line in lines[2 : lines.index("T{")] if line != "_"
    ]
    assert formats == [
        "l|l|l",  # Key, Description, Format
        "l|l|l",  # payment
        "l s s",  # Card — alternative 1 of 2 for payment
        "l|l|l",  # payment.number
        "l s s",  # Bank — alternative 2 of 2 for payment
        "l|l|l",  # payment.iban
        "l s s",  # End of the alternatives for payment.
        "l|l|l",  # notificationItems ...
        "l|l|l",
        "l|l|l",
        "l|l|l.",
    ]
    # A label row is one cell: its words are together, with nothing after them.
    assert re.search(
        r"T\{\n\\fBCard\\fP — alternative 1 of 2 for \\fBpayment\\fP\nT\}\n_", table
    ), table
    # Each key breaks only after a dot or [] (\:), and never with a hyphen (\% first).
    assert (
        "\\fB\\%notificationItems[].\\:\\%NotificationRequestItem.\\:\\%additionalData."
        "\\:\\%\\(dqacsRenderingType.acsInterface\\(dq\\fP"
    ) in table


@pytest.mark.skipif(shutil.which("groff") is None, reason="needs groff")
@pytest.mark.sphinx("man", testroot="man", freshenv=True, confoverrides=WARNING_TYPES)
def test_man_shows_labels_apart_and_keys_unhyphenated(app) -> None:
    app.build()
    shown = subprocess.run(
        ["groff", "-k", "-t", "-man", "-Tutf8", "-rLL=60n", str(app.outdir / "callbacks.7")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    shown = re.sub(r".\x08", "", shown)  # groff's overstriking for bold
    assert re.search(r"│Card — alternative 1 of 2 for payment +│", shown), shown
    # No key is hyphenated: a line of the key column never ends in a hyphen.
    assert not re.search(r"│[\w.\[\]\"]+[‐-] *│", shown), shown
    assert "NotificationRequestItem." in shown
