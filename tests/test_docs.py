"""The project's own documentation: it dogfoods the Notify page, so check what it shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from jsonschema import Draft202012Validator
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.model.examples import make_example
from sphinxext_callbacks.model.patterns import FORMATS

from .helpers import (
    BUILDERS,
    NOTIFY_KEYS,
    NOTIFY_RECEIPT_KEYS,
    WARNING_TYPES,
    rows,
    tables,
    warnings_of,
)

DOCS = Path(__file__).parent.parent / "docs"


@pytest.fixture(scope="module")
def docs_html(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    srcdir = root / "docs"
    shutil.copytree(DOCS, srcdir, ignore=shutil.ignore_patterns("_build"))
    shutil.copy(DOCS.parent / "CHANGELOG.md", root)  # the changelog page includes it
    # sphinx.testing swaps alabaster for "basic" unless the theme is given explicitly.
    overrides = {**WARNING_TYPES, "html_theme": "alabaster"}
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=overrides)
    try:
        app.build()
        problems = warnings_of(app)
    finally:
        # Before the other tests make apps: docutils would still hold this one's nodes.
        app.cleanup()
    assert problems == [], "\n".join(problems)
    return app.outdir


def test_notify_tables_are_accessible(docs_html):
    receipt, received = tables(docs_html / "notify.html")
    for table, keys in (
        (receipt, NOTIFY_KEYS),
        (received, ["id", "source_number", "destination_number", "message", "date_received"]),
    ):
        assert "callbacks-hidden-caption" in table["class"]
        assert table.find("caption").get_text(strip=True)
        assert [th["scope"] for th in table.select("thead th")] == ["col"] * 3
        assert [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")] == keys
        assert all(tr.get("id") for tr in table.select("tbody tr"))


def test_published_spec_tables_have_todays_ten_keys_with_words_in_every_row(docs_html):
    sms, sms_headers, email, email_headers, letter, letter_headers = tables(
        docs_html / "notify-openapi.html"
    )
    ten = NOTIFY_RECEIPT_KEYS
    for table in (sms, email):
        assert [row[0] for row in rows(table)] == ten
    assert [row[0] for row in rows(letter)][:2] == ["notification_id", "reference"]
    for table in (sms, email, letter):
        assert all(row[1] for row in rows(table)), rows(table)
    for table in (sms_headers, email_headers, letter_headers):
        assert [row[0] for row in rows(table)] == ["Content-Type", "Authorization"]
    # The eight keys the hand-written page has read the same from the published spec.
    inline = {row[0]: row[1] for row in rows(tables(docs_html / "notify.html")[0])}
    from_spec = {row[0]: row[1] for row in rows(sms)}
    assert [k for k in NOTIFY_KEYS if k != "to" and inline[k] != from_spec[k]] == []


def test_myst_page_gives_the_same_tables(docs_html):
    inline = [rows(t) for t in tables(docs_html / "notify.html")]
    myst = [rows(t) for t in tables(docs_html / "notify-myst.html")]
    assert myst == inline


@pytest.mark.parametrize("builder", BUILDERS)
def test_notify_pages_build_in_every_builder(make_app, tmp_path, builder):
    # The docs' three Notify pages, alone: the rest of the docs is html-only decoration.
    srcdir = tmp_path / "notify"
    srcdir.mkdir()
    shutil.copy(DOCS / "conf.py", srcdir)
    shutil.copytree(
        DOCS / "examples" / "notify-published", srcdir / "examples" / "notify-published"
    )
    shutil.copytree(DOCS / "_static" / "docs", srcdir / "_static" / "docs")
    for page in ("notify.rst", "notify-myst.md", "notify-openapi.rst"):
        shutil.copy(DOCS / page, srcdir)
    (srcdir / "index.rst").write_text(
        "Notify\n======\n\n.. toctree::\n\n   notify\n   notify-myst\n   notify-openapi\n",
        encoding="utf-8",
    )
    overrides = {**WARNING_TYPES, "html_theme": "alabaster"}
    app = make_app(builder, srcdir=srcdir, freshenv=True, confoverrides=overrides)
    app.build()
    assert warnings_of(app) == [], "\n".join(warnings_of(app))
    assert any(app.outdir.rglob("*"))


def test_search_links_open_the_tables_and_rows(docs_html):
    from .test_search import check_search_links

    found = check_search_links(docs_html)
    titles = {(result.title, result.page, result.anchor) for result in found}
    assert (
        "Delivery receipt callback message (delivery-receipt)",
        "notify",
        "callback-delivery-receipt",
    ) in titles
    # Fields are found through their page's text, not as objects of their own.
    assert {result.objtype for result in found} == {"callback"}
    # The six webhooks of GitHub's page are found, each on its generated page.
    assert ("label-created", "github-webhooks/label-created", "callback-label-created") in titles


def test_quick_start_example_follows_the_formats(docs_html):
    soup = BeautifulSoup((docs_html / "quickstart.html").read_text(encoding="utf-8"), "html.parser")
    example = soup.select("div.highlight-json pre")[-1]  # the one made from the formats
    assert json.loads(example.get_text()) == {
        "order_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",  # UUID
        "status": "shipped",  # ``shipped`` | ``partly-shipped``
        "shipped_at": "2024-03-01T09:30:00Z",  # the literal
        "tracking_url": "https://example.com/track/AB123",
    }


def test_published_schemas_validate_the_docs_own_examples(docs_html):
    folder = docs_html / "_callbacks"
    schemas = {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.schema.json"))
    }
    assert {"delivery-receipt", "received-text-message", "published-sms-receipt"} <= set(schemas)
    # The page's own receipt, under its caption, is valid against the published schema.
    soup = BeautifulSoup((docs_html / "notify.html").read_text(encoding="utf-8"), "html.parser")
    shown = {
        wrapper.select_one("span.caption-text").get_text(): json.loads(
            wrapper.select_one("div.highlight-json").get_text()
        )
        for wrapper in soup.select("div.literal-block-wrapper")
        if wrapper.select_one("div.highlight-json")
    }
    receipt = Draft202012Validator(schemas["delivery-receipt"], format_checker=FORMATS)
    assert list(receipt.iter_errors(shown["A delivery receipt"])) == []
    assert not receipt.is_valid({**shown["A delivery receipt"], "colour": "blue"})
    # And every example the docs make from a table is valid against its schema.
    for name, schema in schemas.items():
        Draft202012Validator.check_schema(schema)
        example = make_example(schema)
        assert Draft202012Validator(schema, format_checker=FORMATS).is_valid(example), name
