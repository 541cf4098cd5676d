"""Data is never code (docs/security.rst): the gate in front of every data-file text.

The ``gate`` root reads a field-list file, a JSON Schema and an OpenAPI spec whose
captions, formats, deprecation texts, enum descriptions, titles, summaries and
descriptions try every way out: ``:download:`` of a file outside the project,
``ifconfig`` and ``automodule`` that write marker files, a MyST substitution that
would run Python through Jinja, ``javascript:`` links behind named, anonymous and
indirect targets or a control character, a key that forges a line of
``objects.inv``, control characters for XML, and remote images.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from sphinxext_callbacks.render.gate import escape_hidden, is_web_link, link_scheme

from .helpers import WARNING_TYPES, warnings_of

ROOT = Path(__file__).parent / "roots" / "test-gate"
# What a browser ignores before a URL's scheme.
_IGNORED = re.compile(r"[\x00-\x20]")


def _build(srcdir: Path, builder: str) -> tuple[Path, list[str]]:
    app = SphinxTestApp(builder, srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    try:
        app.build()
        return Path(app.outdir), warnings_of(app)
    finally:
        app.cleanup()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    srcdir = tmp_path_factory.mktemp("gate") / "src"
    shutil.copytree(ROOT, srcdir)
    outdir, warnings = _build(srcdir, "html")
    return srcdir, outdir, warnings


def _pages(outdir: Path) -> Iterator[tuple[str, str]]:
    for name in ("index", "myst"):
        yield name, (outdir / f"{name}.html").read_text(encoding="utf-8")


def test_no_file_outside_the_project_is_copied(built: tuple[Path, Path, list[str]]) -> None:
    _srcdir, outdir, _warnings = built
    downloads = outdir / "_downloads"
    assert not downloads.exists() or not any(downloads.rglob("*"))
    for _name, html in _pages(outdir):
        assert "download reference" not in html
        assert "_downloads/" not in html
    # Every text shown as the text it is.
    html = dict(_pages(outdir))["index"]
    for host in ("caption-host", "format-host", "deprecated-host", "title-host", "x-host"):
        assert f":download:`{host}" in BeautifulSoup(html, "html.parser").get_text(), host


@pytest.mark.parametrize(
    "marker", ["MARKER-ifconfig", "MARKER-myst-ifconfig", "MARKER-automodule", "MARKER-myst"]
)
def test_no_code_runs(built: tuple[Path, Path, list[str]], marker: str) -> None:
    srcdir, _outdir, _warnings = built
    assert not (srcdir / marker).exists()


def test_refused_markup_is_text_with_a_located_warning(
    built: tuple[Path, Path, list[str]],
) -> None:
    _srcdir, outdir, warnings = built
    markup = [line for line in warnings if "[callbacks.markup]" in line]
    for name in ("ifconfig", "automodule", "graphviz", "meta", "title", "image", "include"):
        assert any(f"directive '{name}'" in line for line in markup), name
    for name in ("download", "math"):
        assert any(f"role '{name}'" in line for line in markup), name
    assert any("{eval-rst}" in line for line in markup)
    assert all(re.match(r".*(index\.rst|myst\.md):\d+: WARNING", line) for line in markup)
    assert not [line for line in warnings if "Traceback" in line or "internal" in line]
    text = BeautifulSoup(dict(_pages(outdir))["index"], "html.parser").get_text()
    assert ".. ifconfig::" in text
    assert ".. automodule:: gate_marker" in text


def test_the_page_keeps_its_head_and_title(built: tuple[Path, Path, list[str]]) -> None:
    _srcdir, outdir, _warnings = built
    soup = BeautifulSoup(dict(_pages(outdir))["index"], "html.parser")
    assert soup.find("meta", attrs={"http-equiv": True}) is None
    assert soup.title is not None and "Forged title" not in soup.title.get_text()
    # Only the author's own table has math.
    assert [m for m in soup.select(".math") if not m.find_parent(id="callback-own")] == []


def test_no_script_link(built: tuple[Path, Path, list[str]]) -> None:
    _srcdir, outdir, _warnings = built
    for _name, html in _pages(outdir):
        soup = BeautifulSoup(html, "html.parser")
        hrefs = [str(tag["href"]) for tag in soup.find_all(href=True)]
        assert hrefs
        for href in hrefs:
            scheme = _IGNORED.sub("", href).split(":", 1)[0].lower()
            assert scheme not in ("javascript", "vbscript", "data"), href
        # The web links of the same texts stay links.
        assert "https://example.com/" in hrefs


@pytest.mark.parametrize("kind", ["named", "anonymous", "indirect", "control"])
def test_each_kind_of_target_is_checked(built: tuple[Path, Path, list[str]], kind: str) -> None:
    _srcdir, _outdir, warnings = built
    assert any(
        "link to" in line and f"alert('{kind}')" in line and "[callbacks.markup]" in line
        for line in warnings
    )


def test_no_forged_inventory_line(built: tuple[Path, Path, list[str]]) -> None:
    _srcdir, outdir, _warnings = built
    raw = (outdir / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    assert "evil" not in body
    with (outdir / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "https://docs.example/", posixpath.join)
    entries = {name: item for names in inventory.values() for name, item in names.items()}
    assert "fields.format" in entries
    assert not [name for name in entries if "evil" in name or "\n" in name]


def test_control_characters_are_shown_as_symbols(built: tuple[Path, Path, list[str]]) -> None:
    _srcdir, outdir, warnings = built
    html = dict(_pages(outdir))["index"]
    for hidden in ("\x00", "\x1b", "\u202e", "\x01"):
        assert hidden not in html
    assert "nul␀esc␛bidi[U+202E]" in html
    assert any("shown as symbols" in line for line in warnings)


def test_the_xml_output_is_valid_xml(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    outdir, _warnings = _build(srcdir, "xml")
    for path in outdir.glob("*.xml"):
        ElementTree.parse(path)  # raises on a control character


def test_the_text_output_has_no_control_characters(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    outdir, _warnings = _build(srcdir, "text")
    text = (outdir / "index.txt").read_text(encoding="utf-8")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\u202e]", text)


class _Counter(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    _Counter.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Counter.requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize("builder", ["latex", "epub"])
def test_no_image_is_fetched(tmp_path: Path, server: tuple[str, list[str]], builder: str) -> None:
    url, requests = server
    srcdir = tmp_path / "src"
    (srcdir / "data").mkdir(parents=True)
    (srcdir / "conf.py").write_text('extensions = ["sphinxext_callbacks", "myst_parser"]\n')
    (srcdir / "index.rst").write_text(
        "Images\n======\n\n"
        ".. callback-table:: fields\n   :source: data/fields.yaml\n\n"
        ".. callback-table:: spec\n   :source: data/spec.yaml\n   :webhook: hook\n",
        encoding="utf-8",
    )
    (srcdir / "data" / "fields.yaml").write_text(
        f"- key: a\n  description: |\n    .. image:: {url}/rst.png\n\n"
        f"    .. figure:: {url}/figure.png\n\n"
        f"- key: b\n  description: 'An |img| here.\n\n\n    .. |img| image:: {url}/sub.png'\n",
        encoding="utf-8",
    )
    (srcdir / "data" / "spec.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  hook:\n    post:\n"
        "      requestBody:\n        content:\n          application/json:\n"
        "            schema:\n              type: object\n              properties:\n"
        f"                a: {{type: string, description: '![remote]({url}/md.png)'}}\n",
        encoding="utf-8",
    )
    _outdir, warnings = _build(srcdir, builder)
    assert requests == []
    assert any("[callbacks.markup]" in line for line in warnings)


def test_data_file_text_stays_translatable(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOT, srcdir)
    outdir, _warnings = _build(srcdir, "gettext")
    catalog = (outdir / "index.pot").read_text(encoding="utf-8")
    assert 'msgid "Math :math:`\\\\input{/etc/passwd}` here."' in catalog
    assert 'msgid "An `indirect`_ link."' in catalog


def test_the_authors_own_text_keeps_full_markup(built: tuple[Path, Path, list[str]]) -> None:
    _srcdir, outdir, warnings = built
    soup = BeautifulSoup(dict(_pages(outdir))["index"], "html.parser")
    (own,) = [table for table in soup.select("table") if "callback-own" in table.get("id", "")]
    assert len(own.select(".math")) == 3
    assert "Inside the author’s ifconfig." in own.get_text()
    assert not [line for line in warnings if "index.rst:2" in line and "own" in line]


@pytest.mark.parametrize(
    ("uri", "scheme"),
    [
        ("https://example.com/", "https"),
        ("MAILTO:a@example.com", "mailto"),
        ("\x01javascript:alert(1)", "javascript"),
        (" java\tscr\nipt:alert(1)", "javascript"),
        ("\x00 vbscript:x", "vbscript"),
        ("/api-errors/x", None),
        ("other.html#a:b", None),
    ],
)
def test_link_schemes_are_read_as_browsers_read_them(uri: str, scheme: str | None) -> None:
    assert link_scheme(uri) == scheme
    assert is_web_link(uri) == (scheme in ("http", "https", "mailto"))


def test_hidden_characters_are_made_visible() -> None:
    assert escape_hidden("a\x00b\x1b\u202e\n", keep="\n") == "a␀b␛[U+202E]\n"
    assert escape_hidden("tab\there") == "tab␉here"
    assert escape_hidden("plain é ü") == "plain é ü"


def test_alternative_labels_show_control_characters_as_symbols() -> None:
    from sphinxext_callbacks.model.fields import Callback, Choice, Field
    from sphinxext_callbacks.render.gate import clean_callback

    unnamed = Choice(None, 1, 2, ("data",))
    callback = Callback(
        fields=[Field(("a",), alternatives=(Choice("Card\u202e", 0, 2, ("data",)), unnamed))]
    )
    assert clean_callback(callback) == ["Card[U+202E]"]
    (field,) = callback.fields
    assert field.alternatives == (Choice("Card[U+202E]", 0, 2, ("data",)), unnamed)


def test_the_key_an_alternative_belongs_to_shows_control_characters_as_symbols() -> None:
    from sphinxext_callbacks.model.fields import Callback, Choice, Field
    from sphinxext_callbacks.render.gate import clean_callback

    owner = "da\u202eta"
    callback = Callback(
        fields=[Field((owner, "a"), alternatives=(Choice("Card", 0, 2, (owner,)),))]
    )
    assert clean_callback(callback)
    (field,) = callback.fields
    assert field.path == ("da[U+202E]ta", "a")
    assert field.alternatives == (Choice("Card", 0, 2, ("da[U+202E]ta",)),)
