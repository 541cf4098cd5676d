"""A translated build: the captions and descriptions of a table come from a catalogue.

``tests/roots/test-i18n`` is an English page with ``language = "cy"`` and a Welsh
catalogue in ``locales/cy/LC_MESSAGES/index.po``, as ``sphinx-intl update`` makes it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.util.i18n import CatalogInfo

from .helpers import WARNING_TYPES, copy_root, rows, tables, warnings_of


def _warnings(app) -> list[str]:
    # docutils has no Welsh module of its own (for admonition titles and the like) and says
    # so, once per process; that is docutils' business, not the extension's.
    return [line for line in warnings_of(app) if not ('"cy"' in line and "[docutils]" in line)]


WELSH_ROWS = [
    ["id", "Id Notify ar gyfer y derbynebau statws", "UUID"],
    ["reference", "Y cyfeirnod a anfonwyd gan y gwasanaeth", "12345678"],
    ["status", "Statws yr hysbysiad", "delivered | permanent-failure"],
]


def _translated_root(target: Path) -> Path:
    # The build reads the compiled catalogue from the source folder, so work on a copy.
    copy_root("i18n", target)
    catalogue = CatalogInfo(target / "locales" / "cy" / "LC_MESSAGES", "index", "utf-8")
    catalogue.write_mo("cy")
    assert Path(catalogue.mo_path).is_file()
    return target


@pytest.mark.parametrize("template", [None, "govuk.html"])
def test_captions_and_descriptions_are_translated(make_app, tmp_path, template):
    overrides = {**WARNING_TYPES}
    if template:
        overrides["callbacks_html_template"] = template
    app = make_app(
        "html",
        srcdir=_translated_root(tmp_path / "i18n"),
        freshenv=True,
        confoverrides=overrides,
    )
    app.build()
    assert _warnings(app) == []
    (table,) = tables(app.outdir / "index.html")
    assert (
        table.find("caption")
        .get_text(" ", strip=True)
        .startswith("Neges galw yn ôl derbynneb danfon")
    )
    assert rows(table) == WELSH_ROWS
    assert table.select("tbody tr")[0]["id"] == "callback-delivery-receipt-id"
    scroll = table.parent if template else table.find_parent("div")
    assert scroll["aria-label"] == "Neges galw yn ôl derbynneb danfon"


def test_text_output_is_translated_too(make_app, tmp_path):
    app = make_app(
        "text",
        srcdir=_translated_root(tmp_path / "i18n-text"),
        freshenv=True,
        confoverrides=WARNING_TYPES,
    )
    app.build()
    assert _warnings(app) == []
    text = (app.outdir / "index.txt").read_text(encoding="utf-8")
    assert "Y cyfeirnod a anfonwyd gan y gwasanaeth" in text
    assert "The reference sent by the service" not in text
