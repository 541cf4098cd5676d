"""A callback's own words and state with its table: deprecation, ``:show-description:``, and
a spec's links that are not web URLs (text, or under ``callbacks_link_base``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .helpers import NOTIFY_PUBLISHED, WARNING_TYPES, warnings_of

LINKS = (
    "See [Location](entity:Location), [errors](/api-errors/x), [rel](other.md) "
    "and [web](https://example.com/x)."
)


def spec(deprecated: bool = False, description: str = LINKS) -> dict[str, Any]:
    schema = {"type": "object", "properties": {"a": {"type": "string", "description": LINKS}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "webhooks": {
            "hook": {
                "post": {
                    "summary": "A hook",
                    "description": description,
                    "deprecated": deprecated,
                    "requestBody": {"content": {"application/json": {"schema": schema}}},
                }
            }
        },
    }


def build(tmp_path: Path, page: str, doc: dict[str, Any], conf: str = "") -> SphinxTestApp:
    srcdir = tmp_path / "src"
    srcdir.mkdir(parents=True)
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinxext_callbacks", "myst_parser"]\n' + conf, encoding="utf-8"
    )
    (srcdir / "spec.json").write_text(json.dumps(doc), encoding="utf-8")
    (srcdir / "index.rst").write_text(page, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


TABLE = "T\n=\n\n.. callback-table:: hook\n   :source: spec.json\n   :webhook: hook\n"


def soup(app: SphinxTestApp) -> BeautifulSoup:
    return BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_a_deprecated_webhook_says_so_above_its_table(tmp_path: Path) -> None:
    app = build(tmp_path, TABLE, spec(deprecated=True))
    assert warnings_of(app) == []
    note = soup(app).select_one("p.callbacks-deprecated")
    assert note is not None and note.get_text(strip=True) == "Deprecated"
    assert note.find_next("table") is not None


def test_the_callbacks_own_words_are_shown_on_request(tmp_path: Path) -> None:
    page = TABLE + "   :show-description:\n"
    app = build(tmp_path, page, spec(description="Sent **when** it happens."))
    assert warnings_of(app) == []
    words = soup(app).select_one("div.callbacks-description")
    assert words is not None and " ".join(words.get_text().split()) == "Sent when it happens."
    assert words.find("strong") is not None
    # The summary is the caption when the page gives none.
    assert soup(app).select_one("table caption").get_text(strip=True).startswith("A hook")
    assert "callbacks-description" not in (
        build(tmp_path / "plain", TABLE, spec()).outdir / "index.html"
    ).read_text(encoding="utf-8")


def test_the_callbacks_own_words_pass_the_gate(tmp_path: Path) -> None:
    words = "```{eval-rst}\n.. raw:: html\n\n   <script>alert(1)</script>\n```\n"
    app = build(tmp_path, TABLE + "   :show-description:\n", spec(description=words))
    assert "<script>alert(1)</script>" not in (app.outdir / "index.html").read_text()
    assert any("[callbacks.markup]" in line for line in warnings_of(app))


def test_links_that_are_not_web_urls_are_quiet_text(tmp_path: Path) -> None:
    app = build(tmp_path, TABLE, spec())
    assert warnings_of(app) == []
    cell = soup(app).select_one("td.callbacks-column-description")
    assert cell is not None
    assert [a["href"] for a in cell.find_all("a")] == ["https://example.com/x"]
    assert " ".join(cell.get_text().split()).startswith("See Location, errors, rel and web")


def test_a_link_base_places_site_relative_links(tmp_path: Path) -> None:
    conf = 'callbacks_link_base = "https://docs.example.com/"\n'
    app = build(tmp_path, TABLE, spec(), conf=conf)
    cell = soup(app).select_one("td.callbacks-column-description")
    assert cell is not None
    assert [a["href"] for a in cell.find_all("a")] == [
        "https://docs.example.com/api-errors/x",
        "https://docs.example.com/other.md",
        "https://example.com/x",
    ]
    # entity:Location cannot be placed: said once, located, and silenced by its type.
    found = warnings_of(app)
    assert len(found) == 1 and "entity:Location" in found[0], found
    assert "index.rst:4" in found[0] and "[callbacks.markup]" in found[0]


def test_notify_callbacks_with_their_own_words(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinxext_callbacks", "myst_parser"]\n', encoding="utf-8"
    )
    import shutil

    shutil.copytree(NOTIFY_PUBLISHED, srcdir / "notify")
    (srcdir / "index.rst").write_text(
        "T\n=\n\n.. callback-table::\n   :source: notify/publicapi_spec.json\n"
        "   :callback: sendTextMessage onSmsSend\n   :show-description:\n",
        encoding="utf-8",
    )
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings_of(app) == []
    page = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    words = page.select_one("div.callbacks-description")
    assert words is not None and "We will retry every 5 minutes" in words.get_text()
    # The Markdown table of the description is a table of its own, above the fields.
    assert len(page.select("div.callbacks-description table")) == 1


def test_a_key_repeated_in_four_alternatives_has_four_rows_and_ids(tmp_path: Path) -> None:
    variants = [
        {"title": name, "type": "object", "properties": {"type": {"const": name}, name: {}}}
        for name in ("card", "bank", "wallet", "voucher")
    ]
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "webhooks": {
            "hook": {
                "post": {
                    "requestBody": {
                        "content": {"application/json": {"schema": {"oneOf": variants}}}
                    }
                }
            }
        },
    }
    page = TABLE + "\nSee :callback:field:`hook.type`.\n"
    app = build(tmp_path, page, doc)
    assert warnings_of(app) == []
    page_soup = soup(app)
    ids = [row["id"] for row in page_soup.select("table.callbacks-table tbody tr[id]")]
    type_rows = [i for i in ids if i.startswith("callback-hook-type")]
    assert type_rows == [
        "callback-hook-type",
        "callback-hook-type-2",
        "callback-hook-type-3",
        "callback-hook-type-4",
    ]
    assert len(set(ids)) == len(ids) == 8
    link = page_soup.select_one('a[href$="#callback-hook-type"]')
    assert link is not None and link.get("title") == "hook.type"
