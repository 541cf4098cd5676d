"""The ``callback`` domain: links across documents, ``-j``, rebuilds, inventory, intersphinx."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docutils import nodes
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain, make_index_node

from .helpers import WARNING_TYPES, copy_root, warnings_of

CHAPTERS = [f"chapter{i:02d}" for i in range(1, 11)]


def links(path: Path) -> list[tuple[str, str, str]]:
    """``(classes, href, text)`` of each callback link on an HTML page, in page order."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    found = []
    for a in soup.select("a.reference.internal, a.reference.external"):
        inner = a.find(class_="xref")
        if inner is None or "callback" not in inner.get("class", []):
            continue
        found.append((" ".join(inner["class"]), a["href"], a.get_text()))
    return found


def inventory(path: Path) -> list[tuple[str, str, str, str]]:
    """``(name, domain:role, uri, dispname)`` of each line of an ``objects.inv``."""
    data = path.read_bytes()
    header_end = 0
    for _ in range(4):
        header_end = data.index(b"\n", header_end) + 1
    text = zlib.decompress(data[header_end:]).decode()
    result = []
    for line in text.splitlines():
        match = re.match(r"(.+?)\s+(\S+:\S+)\s+(-?\d+)\s+(\S*)\s+(.*)", line)
        assert match, line
        name, role, _prio, uri, dispname = match.groups()
        if uri.endswith("$"):
            uri = uri[:-1] + name
        result.append((name, role, uri, dispname))
    return result


def expected_links(n: int) -> list[tuple[str, str, str]]:
    """The links that ``chapter{n}`` of the ``domain`` root must hold, in page order."""
    nxt, prev = n % 10 + 1, (n - 2) % 10 + 1

    def caption(i: int) -> str:
        return f"Callback number {i}" if i % 2 else f"cb{i:02d}"

    return [
        ("xref callback callback-ref", f"chapter{nxt:02d}.html#callback-cb{nxt:02d}", caption(nxt)),
        (
            "xref callback callback-field docutils literal notranslate",
            f"chapter{nxt:02d}.html#callback-cb{nxt:02d}-status",
            "status",
        ),
        (
            "xref callback callback-ref",
            f"chapter{prev:02d}.html#callback-cb{prev:02d}",
            caption(prev),
        ),
        (
            "xref callback callback-field docutils literal notranslate",
            f"chapter{prev:02d}.html#callback-cb{prev:02d}-sender-email",
            "sender.email",
        ),
        (
            "xref any callback callback-field docutils literal notranslate",
            f"chapter{prev:02d}.html#callback-cb{prev:02d}-id",
            "id",
        ),
    ]


@pytest.mark.sphinx("html", testroot="domain", freshenv=True, confoverrides=WARNING_TYPES)
def test_references_resolve_across_documents(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    for n, docname in enumerate(CHAPTERS, start=1):
        assert links(app.outdir / f"{docname}.html") == expected_links(n), docname
    assert links(app.outdir / "index.html") == [
        ("xref callback callback-ref", "chapter01.html#callback-cb01", "Callback number 1"),
        (
            "xref callback callback-field docutils literal notranslate",
            "chapter10.html#callback-cb10-items-count",
            "items[].count",
        ),
        ("xref callback callback-ref", "chapter05.html#callback-cb05", "Explicit text"),
        (
            "xref callback callback-field docutils literal notranslate",
            "chapter07.html#callback-cb07-status",
            "the key",
        ),
    ]
    # Every link lands on an element with that id.
    for docname in ["index", *CHAPTERS]:
        for _classes, href, _text in links(app.outdir / f"{docname}.html"):
            page, anchor = href.split("#")
            assert f'id="{anchor}"' in (app.outdir / page).read_text(encoding="utf-8"), href


@pytest.mark.sphinx("html", testroot="domain", freshenv=True, confoverrides=WARNING_TYPES)
def test_objects_inv_and_general_index(app: SphinxTestApp) -> None:
    app.build()
    entries = inventory(app.outdir / "objects.inv")
    tables = [e for e in entries if e[1] == "callback:callback"]
    fields = [e for e in entries if e[1] == "callback:field"]
    assert tables == [
        (
            f"cb{i:02d}",
            "callback:callback",
            f"chapter{i:02d}.html#callback-cb{i:02d}",
            f"Callback number {i}" if i % 2 else "-",
        )
        for i in range(1, 11)
    ]
    assert len(fields) == 10 * 6
    assert (
        "cb03.items[].count",
        "callback:field",
        "chapter03.html#callback-cb03-items-count",
        "items[].count",
    ) in fields
    genindex = (app.outdir / "genindex.html").read_text(encoding="utf-8")
    assert 'href="chapter04.html#callback-cb04">cb04 (callback)</a>' in genindex
    # Fields of the same key group under it: "status", then one line per callback.
    assert 'href="chapter04.html#callback-cb04-status">(field of callback cb04)' in genindex


def test_parallel_build_is_byte_identical(tmp_path: Path) -> None:
    html = {}
    for parallel in (1, 2):
        srcdir = copy_root("domain", tmp_path / f"j{parallel}")
        app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, parallel=parallel)
        try:
            assert app.is_parallel_allowed("read") and app.is_parallel_allowed("write")
            app.build()
            assert warnings_of(app) == []
            if parallel == 2:
                # Sphinx reads in chunks only with more than five documents to read.
                assert " .. " in app._status.getvalue()  # chunk ranges: "chapter01 .. chapter03"
            html[parallel] = {
                path.relative_to(app.outdir).as_posix(): path.read_bytes()
                for path in sorted(app.outdir.glob("*.html"))
            }
        finally:
            app.cleanup()
    assert sorted(html[1]) == sorted(html[2])
    assert len(html[1]) >= 13  # index, ten chapters, genindex, search
    for page, content in html[1].items():
        assert content == html[2][page], page


@pytest.mark.parametrize("parallel", [1, 2])
def test_incremental_rebuild_after_removing_a_table(tmp_path: Path, parallel: int) -> None:
    srcdir = copy_root("domain", tmp_path / "src")
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=WARNING_TYPES, parallel=parallel)
    try:
        app.build()
        assert warnings_of(app) == []
    finally:
        app.cleanup()

    # chapter03 renames its table: chapter02 and chapter04 (unchanged) now point nowhere.
    chapter = srcdir / "chapter03.rst"
    chapter.write_text(chapter.read_text().replace("test-table:: cb03", "test-table:: cb03-new"))
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=WARNING_TYPES, parallel=parallel)
    try:
        app.build()
        warnings = warnings_of(app)
    finally:
        app.cleanup()
    located = sorted(re.sub(r"^.*[/\\]", "", w) for w in warnings)
    unknown = "WARNING: unknown callback 'cb03'; did you mean"
    # chapter02: a table and a field reference; chapter04: a table, a field and an :any:;
    # chapter06: an example.
    assert [w.partition(unknown)[0] for w in located] == [
        "chapter02.rst:4: ",
        "chapter02.rst:4: ",
        "chapter04.rst:15: WARNING: 'any' reference target not found: cb03.id [ref.any]",
        "chapter04.rst:15: ",
        "chapter04.rst:15: ",
        "chapter06.rst:20: ",
    ]
    page = BeautifulSoup((srcdir / "_build/html/chapter02.html").read_text(), "html.parser")
    assert "chapter03.html#callback-cb03" not in str(page)

    # Putting the name back mends the unchanged pages again, without warnings.
    chapter.write_text(chapter.read_text().replace("test-table:: cb03-new", "test-table:: cb03"))
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=WARNING_TYPES, parallel=parallel)
    try:
        app.build()
        assert warnings_of(app) == []
    finally:
        app.cleanup()
    assert links(srcdir / "_build/html/chapter02.html") == expected_links(2)
    assert links(srcdir / "_build/html/chapter04.html") == expected_links(4)
    page = BeautifulSoup((srcdir / "_build/html/chapter06.html").read_text(), "html.parser")
    example = page.select_one("div.highlight-json")
    assert example is not None
    assert '"status": "delivered"' in example.get_text()


def test_intersphinx_from_a_second_project(tmp_path: Path) -> None:
    app_a = SphinxTestApp("html", srcdir=copy_root("domain", tmp_path / "a"), freshenv=True)
    try:
        app_a.build()
        outdir_a = Path(app_a.outdir)
    finally:
        app_a.cleanup()

    srcdir_b = tmp_path / "b"
    srcdir_b.mkdir()
    (srcdir_b / "conf.py").write_text(
        "extensions = ['sphinxext_callbacks', 'sphinx.ext.intersphinx']\n"
    )
    (srcdir_b / "index.rst").write_text(
        "Project B\n=========\n\n"
        "See :callback:ref:`cb01`, :callback:ref:`a:cb02`,\n"
        ":callback:field:`cb03.sender.email` and :callback:ref:`nothing`.\n"
    )
    mapping = {"a": (str(outdir_a), str(outdir_a / "objects.inv"))}
    app_b = SphinxTestApp(
        "html",
        srcdir=srcdir_b,
        freshenv=True,
        confoverrides={**WARNING_TYPES, "intersphinx_mapping": mapping},
    )
    try:
        app_b.build()
        warnings = warnings_of(app_b)
    finally:
        app_b.cleanup()
    assert len(warnings) == 1
    assert warnings[0].endswith("index.rst:4: WARNING: unknown callback 'nothing' [callbacks.ref]")
    soup = BeautifulSoup((srcdir_b / "_build/html/index.html").read_text(), "html.parser")
    external = [
        (a["href"], a.get_text(), a.find(True).name) for a in soup.select("a.reference.external")
    ]
    # Intersphinx makes its own inner node: the caption as text, the key as code.
    assert external == [
        (f"{outdir_a}/chapter01.html#callback-cb01", "Callback number 1", "span"),
        (f"{outdir_a}/chapter02.html#callback-cb02", "cb02", "span"),
        (f"{outdir_a}/chapter03.html#callback-cb03-sender-email", "sender.email", "code"),
    ]


@pytest.mark.sphinx("html", testroot="domain-warnings", freshenv=True, confoverrides=WARNING_TYPES)
def test_warnings_are_located(app: SphinxTestApp) -> None:
    app.build()
    warnings = [re.sub(r"^.*[/\\]", "", w) for w in warnings_of(app)]
    assert warnings == [
        "other.rst:4: WARNING: callback 'receipt' is defined twice;"
        " the table in index.rst is the one that links go to [callbacks.ref]",
        "index.rst:14: WARNING: unknown callback 'reciept'; did you mean 'receipt'?"
        " [callbacks.ref]",
        "index.rst:16: WARNING: callback 'receipt' has no field 'stauts'"
        "; did you mean 'status'? [callbacks.ref]",
        "index.rst:18: WARNING: 'receipt' is not a field reference: write name.key [callbacks.ref]",
        "index.rst:20: WARNING: unknown callback 'nothing' [callbacks.ref]",
    ]
    # The reference text stays on the page; the duplicate does not take the links.
    page = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert "reciept" in page
    assert links(app.outdir / "index.html") == [
        ("xref callback callback-ref", "#callback-receipt", "Delivery receipt"),
        (
            "xref callback callback-field docutils literal notranslate",
            "#callback-receipt-status",
            "status",
        ),
    ]


def test_duplicate_goes_to_the_first_document_whatever_the_order(tmp_path: Path) -> None:
    """Removing the winning definition hands the name to the other one."""
    srcdir = copy_root("domain-warnings", tmp_path / "src")
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=WARNING_TYPES)
    try:
        app.build()
        domain = app.env.get_domain("callback")
        assert isinstance(domain, CallbackDomain)
        entry = domain.get_table("receipt")
        assert entry is not None
        assert entry["paths"] == (("id",), ("status",))
    finally:
        app.cleanup()
    index = srcdir / "index.rst"
    index.write_text(index.read_text().replace("test-table:: receipt", "test-table:: gone"))
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=WARNING_TYPES)
    try:
        app.build()
        domain = app.env.get_domain("callback")
        assert isinstance(domain, CallbackDomain)
        entry = domain.get_table("receipt")
        assert entry is not None
        assert entry["paths"] == (("reference",),)
        assert not any("defined twice" in w for w in warnings_of(app))
    finally:
        app.cleanup()


def test_make_index_node() -> None:
    node = make_index_node(
        "receipt", ["id", "items[].count"], {"id": "r-id"}, table_anchor="callback-receipt"
    )
    assert isinstance(node, addnodes.index)
    assert node["entries"] == [
        ("single", "receipt (callback)", "callback-receipt", "", None),
        ("single", "id (field of callback receipt)", "r-id", "", None),
        ("single", "items[].count (field of callback receipt)", "callback-receipt", "", None),
    ]
    assert node["inline"] is False
    assert isinstance(node, nodes.Element)


@pytest.mark.sphinx("html", testroot="domain-table", freshenv=True, confoverrides=WARNING_TYPES)
def test_callback_table_is_a_target(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    assert links(app.outdir / "guide.html") == [
        (
            "xref callback callback-field docutils literal notranslate",
            "index.html#callback-delivery-receipt-status",
            "status",
        ),
        (
            "xref callback callback-ref",
            "index.html#callback-delivery-receipt",
            "Callback message format",
        ),
    ]
    names = {(name, role) for name, role, _uri, _disp in inventory(app.outdir / "objects.inv")}
    assert {
        ("delivery-receipt", "callback:callback"),
        ("delivery-receipt.id", "callback:field"),
        ("delivery-receipt.status", "callback:field"),
        ("delivery-receipt.sent_at", "callback:field"),
    } <= names
    genindex = (app.outdir / "genindex.html").read_text(encoding="utf-8")
    assert "delivery-receipt (callback)" in genindex
    soup = BeautifulSoup((app.outdir / "guide.html").read_text(encoding="utf-8"), "html.parser")
    example = soup.select_one("div.highlight-json")
    assert example is not None
    assert '"id"' in example.get_text()
