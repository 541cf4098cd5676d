"""callback-table with :source: in real builds: specs, field lists, parse-once, dependencies."""

from __future__ import annotations

import io
import re
import time

import pytest

from sphinxext_callbacks.sphinx_ext import build_cache

from .helpers import (
    WARNING_TYPES,
    copy_root,
    in_copy,
    plain_output,
    rows,
    tables,
    warnings_of,
)


def _reads(*counts: dict[str, int]) -> dict[str, int]:
    """Per file name, how many times it was parsed or loaded from the cache folder."""
    total: dict[str, int] = {}
    for count in counts:
        for path, n in count.items():
            name = path.rsplit("/", 1)[-1]
            total[name] = total.get(name, 0) + n
    return total


@pytest.mark.sphinx("html", testroot="sources", freshenv=True, confoverrides=WARNING_TYPES)
def test_spec_tables_match_the_inline_tables_row_for_row(app):
    app.build()
    assert [line for line in warnings_of(app) if "directive 'raw'" not in line] == []
    inline_receipt, inline_received, spec_receipt, spec_received, pointer = tables(
        app.outdir / "index.html"
    )
    assert rows(spec_receipt) == rows(inline_receipt)
    assert rows(spec_received) == rows(inline_received)
    assert [r[0] for r in rows(pointer)] == ["id", "message"]
    assert "Text after the tables." in (app.outdir / "index.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="sources", freshenv=True, confoverrides=WARNING_TYPES)
def test_field_list_files(app):
    app.build()
    yaml_table, json_table, toml_table = tables(app.outdir / "fieldlist.html")
    assert yaml_table.select_one("caption .caption-text").get_text() == "Delivery receipt from YAML"
    assert rows(yaml_table) == [
        ["id", "Notify’s id, see RFC 4122", "UUID"],
        ["status", "The status of the notification", "delivered | permanent-failure"],
        ["data", "What happened", "object"],
        ["data.when", "", "2017-05-14 or nil"],
    ]
    # Descriptions of field-list files are in the document's markup: roles work.
    assert yaml_table.find("em").get_text() == "notification"
    assert rows(json_table)[0][1] == "From JSON Deprecated : Use uuid"
    assert "New in version 2.0." in rows(json_table)[1][1]
    assert toml_table.select_one("caption .caption-text").get_text() == "From TOML"
    assert rows(toml_table) == [["id", "From TOML", "UUID"]]


@pytest.mark.sphinx("html", testroot="sources", freshenv=True, confoverrides=WARNING_TYPES)
def test_each_file_is_parsed_once_per_build(app):
    app.build()
    cache = build_cache.file_cache(app.env)
    counts = _reads(cache.parse_count, cache.hit_count)
    # Fifteen directives read the spec, two of them reach receipts.yaml: each is parsed,
    # or loaded from the cache folder that an earlier test's build left, once.
    assert counts["notify-callbacks.yaml"] == 1
    assert counts["receipts.yaml"] == 1
    assert counts["fields.yaml"] == 1
    many = tables(app.outdir / "many.html")
    assert len(many) == 12


@pytest.mark.sphinx("html", testroot="sources", confoverrides=WARNING_TYPES)
def test_editing_a_referenced_file_rebuilds_the_page(make_app, app_params, tmp_path):
    args, kwargs = app_params
    srcdir = tmp_path / "sources"
    copy_root("sources", srcdir)
    kwargs = in_copy(kwargs, srcdir, freshenv=True)
    app = make_app(*args, **kwargs)
    app.build()
    before = rows(tables(app.outdir / "index.html")[2])
    assert before[0][1] == "Notify’s id for the status receipts"

    receipts = srcdir / "specs" / "receipts.yaml"
    time.sleep(0.01)
    receipts.write_text(
        receipts.read_text(encoding="utf-8").replace(
            "Notify’s id for the status receipts", "The receipt’s id"
        ),
        encoding="utf-8",
    )
    again = make_app(*args, **{**kwargs, "freshenv": False, "status": io.StringIO()})
    again.build()
    after = rows(tables(again.outdir / "index.html")[2])
    assert after[0][1] == "The receipt’s id"
    # Only the page that reads receipts.yaml is read again.
    assert _reread(again._status.getvalue()) == ["index"]


@pytest.mark.sphinx("html", testroot="sources", confoverrides=WARNING_TYPES)
def test_editing_a_shared_spec_rereads_only_the_tables_that_changed(make_app, app_params, tmp_path):
    args, kwargs = app_params
    srcdir = tmp_path / "sources"
    copy_root("sources", srcdir)
    app = make_app(*args, **in_copy(kwargs, srcdir, freshenv=True))
    app.build()
    assert len(tables(app.outdir / "many.html")) == 12

    spec = srcdir / "specs" / "notify-callbacks.yaml"
    time.sleep(0.01)
    # many.rst shows only the id of this webhook: the edit does not concern it.
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("The received message", "The text received"),
        encoding="utf-8",
    )
    again = make_app(*args, **in_copy(kwargs, srcdir, freshenv=False, status=io.StringIO()))
    again.build()
    status = again._status.getvalue()
    assert "0 added, 1 changed, 0 removed" in status
    assert _reread(status) == ["index"]
    received = rows(tables(again.outdir / "index.html")[3])
    assert received[3][1] == "The text received"


def _reread(status: str) -> list[str]:
    """The documents a build read, from its status output."""
    plain = plain_output(status)
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", plain)


@pytest.mark.sphinx("html", testroot="sources", freshenv=True, confoverrides=WARNING_TYPES)
def test_openapi_descriptions_are_markdown_and_never_raw_html(app):
    app.build()
    # The field list's raw directive is refused, the spec's HTML is only text.
    (refused,) = warnings_of(app)
    assert "fields-raw.yaml: directive 'raw' is not allowed" in refused
    assert "[callbacks.markup]" in refused
    html = (app.outdir / "markdown.html").read_text(encoding="utf-8")
    spec, fieldlist = tables(app.outdir / "markdown.html")
    first = spec.select("tbody tr")[0]
    assert first.find("strong").get_text() == "bold"
    assert first.find("a")["href"] == "https://example.com"
    assert len(first.find_all("li")) == 2
    assert "<script>alert" not in html
    assert "<div onclick" not in html
    # The markup is shown as text, for the author to see and fix.
    assert rows(spec)[1][1] == "An inline <script> alert(1) </script> tag"
    assert rows(spec)[2][1] == "<div onclick='x()'>block HTML</div>"
    assert "<script>alert(1)</script>" in rows(fieldlist)[0][1]
    assert "Before." in fieldlist.get_text()


@pytest.mark.sphinx("html", testroot="sources", freshenv=True, confoverrides=WARNING_TYPES)
def test_markdown_nodes_do_not_drag_their_scratch_document_into_the_doctree(app):
    app.build()
    doctree = app.env.get_doctree("markdown")
    # A node still pointing at the scratch document it was parsed in would pickle that
    # whole document with the page (it made OpenAPI builds twice as slow and large).
    foreign = {id(n.document) for n in doctree.findall() if n.document is not doctree}
    assert foreign == set()


@pytest.mark.sphinx("html", testroot="sources", confoverrides=WARNING_TYPES)
def test_touching_a_page_does_not_parse_its_spec_again(make_app, app_params, tmp_path):
    args, kwargs = app_params
    srcdir = tmp_path / "sources"
    copy_root("sources", srcdir)
    app = make_app(*args, **in_copy(kwargs, srcdir, freshenv=True))
    app.build()
    time.sleep(0.01)
    many = srcdir / "many.rst"
    many.write_text(many.read_text(encoding="utf-8") + "\nA new last line.\n", encoding="utf-8")
    again = make_app(*args, **in_copy(kwargs, srcdir, freshenv=False, status=io.StringIO()))
    again.build()
    assert _reread(again._status.getvalue()) == ["many"]
    # The twelve tables come from the parsed spec the cache folder kept: nothing is parsed.
    assert build_cache.file_cache(again.env).parse_count == {}
    assert len(tables(again.outdir / "many.html")) == 12
    assert "A new last line." in (again.outdir / "many.html").read_text(encoding="utf-8")


@pytest.mark.sphinx("html", testroot="determinism", freshenv=True, parallel=2)
def test_parallel_readers_share_the_files_parsed_before_they_fork(app):
    app.build()
    cache = build_cache.file_cache(app.env)
    counts = _reads(cache.parse_count, cache.hit_count)
    # Parsed once in the main process, before -j forks, into the cache folder the readers
    # load it from. Without this, the first readers would each parse each file again.
    assert counts
    assert set(counts.values()) == {1}
    # Sphinx read in chunks, in forked processes: "chapter01 .. chapter03".
    assert " .. " in app._status.getvalue()
