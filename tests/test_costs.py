"""What a spec may cost: each hostile input builds, in every builder, with the warning that
names the limit or the fault, and nothing else.

The ``costs`` root holds one page per case; the big inputs (50,000 unclosed backquotes,
an example of 50,000 objects, a 100,000-value enum, a YAML alias bomb) are written at test
time. The root is built once per builder (html, text, man and latex); each case is checked
against those builds. A hang would stop the test run, so no case needs a clock: with a
backtracking engine the pattern cases alone run for hours.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.sphinx_ext import export

from .helpers import ROOTS, WARNING_TYPES, copy_root, rows, tables, warnings_of

BUILDERS = ["html", "text", "man", "latex"]
ROOT = ROOTS / "test-costs"
LONG_NAME = "a" * 300


def write_generated(srcdir: Path) -> None:
    """The inputs too big to commit."""
    data = srcdir / "data" / "generated"
    data.mkdir(parents=True)
    # uniqueItems over 50,000 objects: quadratic when every pair is compared.
    schema = {
        "type": "object",
        "properties": {
            "items": {"type": "array", "uniqueItems": True, "items": {"type": "object"}}
        },
    }
    (data / "unique.json").write_text(json.dumps(schema), encoding="utf-8")
    payload = {"items": [{"n": index, "name": f"item {index}"} for index in range(50_000)]}
    payload["items"].append({"name": "item 7", "n": 7.0})  # equal to item 7 (7 == 7.0)
    (data / "unique-example.json").write_text(json.dumps(payload), encoding="utf-8")
    (srcdir / "unique-items.rst").write_text(
        "unique-items\n============\n\n.. callback-table:: unique\n   :source: "
        "data/generated/unique.json\n\n.. callback-example:: unique\n   :file: "
        "data/generated/unique-example.json\n\nAfter unique-items.\n",
        encoding="utf-8",
    )
    # An enum of 100,000 values.
    enum = [f"value-{index}" for index in range(100_000)]
    schema = {"type": "object", "properties": {"code": {"type": "string", "enum": enum}}}
    (data / "enum.json").write_text(json.dumps(schema), encoding="utf-8")
    (srcdir / "huge-enum.rst").write_text(
        "huge-enum\n=========\n\n.. callback-table:: huge-enum\n   :source: "
        "data/generated/enum.json\n\nAfter huge-enum.\n",
        encoding="utf-8",
    )
    # A 350-byte alias bomb of empty lists: no text to count, a million values to show.
    lines = ["$defs:", "  a: &a [[], [], [], [], [], [], [], [], [], []]"]
    for previous, current in zip("abcde", "bcdef", strict=True):
        lines.append(f"  {current}: &{current} [" + ", ".join([f"*{previous}"] * 10) + "]")
    lines += ["type: object", "properties:", "  x: {type: array, example: *f}"]
    bomb = "\n".join(lines) + "\n"
    assert len(bomb) < 400
    (data / "bomb.yaml").write_text(bomb, encoding="utf-8")
    (srcdir / "alias-bomb.rst").write_text(
        "alias-bomb\n==========\n\n.. callback-table:: bomb\n   :source: "
        "data/generated/bomb.yaml\n\nAfter alias-bomb.\n",
        encoding="utf-8",
    )


@dataclass
class Build:
    builder: str
    outdir: Path
    #: Every warning line.
    warnings: list[str]
    output: str

    def of(self, page: str) -> list[str]:
        """The warnings located in *page*."""
        return [line for line in self.warnings if f"/{page}.rst:" in line or f"/{page}.md:" in line]


_builds: dict[str, Build] = {}


def build(builder: str, tmp_path_factory: pytest.TempPathFactory) -> Build:
    if builder not in _builds:
        srcdir = copy_root("costs", tmp_path_factory.mktemp(f"costs-{builder}") / "src")
        write_generated(srcdir)
        outdir = srcdir / "_build" / builder
        # A folder where a schema is to be written.
        (outdir / export.FOLDER / "blocked.schema.json").mkdir(parents=True)
        app = SphinxTestApp(builder, srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
        try:
            app.build()
            output = app._status.getvalue() + app._warning.getvalue()
            _builds[builder] = Build(builder, Path(app.outdir), warnings_of(app), output)
        finally:
            app.cleanup()
    return _builds[builder]


@pytest.fixture(scope="module", params=BUILDERS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build("html", tmp_path_factory)


def _soup(build: Build, page: str) -> BeautifulSoup:
    return BeautifulSoup((build.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def _schema(build: Build, name: str) -> dict[str, object]:
    text = (build.outdir / export.FOLDER / export.schema_file_name(name)).read_text("utf-8")
    return json.loads(text, parse_constant=_not_json)  # type: ignore[no-any-return]


def _not_json(word: str) -> object:
    raise ValueError(f"{word} is not JSON")


def _example_blocks(build: Build, page: str) -> list[str]:
    return [
        block.get_text()
        for block in _soup(build, page).select("div.highlight-json pre, pre.literal-block")
    ]


# -- Every builder -------------------------------------------------------------------------


def test_no_traceback_and_every_page_finishes(built: Build) -> None:
    assert "Traceback" not in built.output
    assert "internal error" not in built.output
    assert not [line for line in built.warnings if "[callbacks.internal]" in line]


@pytest.mark.parametrize(
    ("page", "fragments"),
    [
        ("pattern-payload", ["'aaaaaaaaaaaaaaaaaaaa", "does not match", "'^(a+)+$'"]),
        ("pattern-payload", ["'^(?=a)a$' at /properties/lookahead/pattern is not checked"]),
        ("pattern-made", ["'^(?=a)a$' at /properties/lookahead/pattern is not checked"]),
        ("unique-items", ["has non-unique elements (items 7 and 50000)"]),
        ("alias-bomb", ["YAML aliases expand it to more than 1,001,", "bytes of JSON"]),
        ("numbers-json", ["data/numbers.json:4:", "/properties/huge/minimum is left out"]),
        ("numbers-json", ["/properties/tiny/multipleOf is left out", "would read as 0"]),
        ("numbers-json", ["/properties/long/minimum is left out", "of 400 digits"]),
        ("numbers-json", ["/properties/nan/example is left out", "NaN is not a number JSON"]),
        ("numbers-json", ["/properties/nan/default is left out", "Infinity is not a number"]),
        ("numbers-json", ["/properties/nan/enum/1 is left out"]),
        ("numbers-yaml", ["data/numbers.yaml:3:", "/properties/huge/minimum", "too large"]),
        ("numbers-yaml", ["/properties/inf/maximum is left out", "Infinity is not a"]),
        ("numbers-yaml", ["/properties/inf/example is left out", "NaN is not a number"]),
        ("numbers-yaml", ["/properties/tiny/multipleOf is left out"]),
        ("numbers-toml", ["/properties/huge/maximum is left out", "Infinity is not a"]),
        ("bidi", ["invisible or bidirectional control characters", "shown as \\u escapes"]),
        ("ref-dag", ["no example is shown", "expand to more than 200,000 schema objects"]),
        ("lengths", ["lengths.rst:6:", "minLength 300000000 exceeds the limit of 1000"]),
        ("items", ["items.rst:6:", "minItems 100000000 exceeds the limit of 100 items"]),
        ("budget", ["budget.rst:7:", "no example is shown", "more than 5000 values"]),
        ("clock", ["clock.rst:6:", "no example is shown", "does not match '^HH:mm:SS$'"]),
        ("ref-dag", ["ref-dag.rst:12:", "cannot check the example", "200,000 schema objects"]),
    ],
)
def test_the_warning_names_the_limit_or_the_fault(
    built: Build, page: str, fragments: list[str]
) -> None:
    assert any(all(f in line for f in fragments) for line in built.of(page)), built.of(page)


@pytest.mark.parametrize("page", ["lengths", "items", "budget", "clock"])
def test_an_example_past_a_limit_is_one_warning_and_no_example(built: Build, page: str) -> None:
    # Not one warning for each field left when the budget ran out (5,016 of them, once).
    assert len(built.of(page)) == 1, built.of(page)
    if built.builder == "html":
        assert _example_blocks(built, page) == []


@pytest.mark.parametrize(
    "page",
    ["huge-enum", "surrogates", "title", "bom", "long-name"],
)
def test_pages_with_nothing_to_say_say_nothing(built: Build, page: str) -> None:
    quiet = [line for line in built.of(page) if "[callbacks.markup]" not in line]
    assert quiet == []


def test_every_page_is_written(built: Build) -> None:
    if built.builder in ("man", "latex"):
        text = "".join(path.read_text("utf-8") for path in built.outdir.glob("*.[1t]*"))
    else:
        suffix = ".txt" if built.builder == "text" else ".html"
        text = "".join(path.read_text("utf-8") for path in built.outdir.glob(f"*{suffix}"))
    pages = [p.stem for p in ROOT.glob("*.rst") if p.stem != "index"]
    pages += ["unique-items", "huge-enum", "alias-bomb"]
    # man writes a hyphen as \-, LaTeX as \sphinxhyphen{}.
    text = text.replace("\\-", "-").replace("\\sphinxhyphen{}", "-")
    for page in pages:
        assert f"After {page}." in text, page


# -- HTML: what the page and the published schemas hold -------------------------------------


def test_the_alias_bomb_makes_no_big_page(html: Build) -> None:
    assert (html.outdir / "alias-bomb.html").stat().st_size < 100_000


def test_an_enum_shows_fifty_values_and_the_schema_keeps_all(html: Build) -> None:
    (table,) = tables(html.outdir / "huge-enum.html")
    cell = table.select_one("td.callbacks-column-format")
    assert len(cell.select("code")) == 50
    assert cell.get_text().endswith("and 99,950 more")
    schema = _schema(html, "huge-enum")
    assert len(schema["properties"]["code"]["enum"]) == 100_000  # type: ignore[index]


def test_numbers_no_float_holds_reach_neither_page_nor_schema(html: Build) -> None:
    for name, left_out in [
        ("numbers-json", "minimum"),
        ("numbers-yaml", "minimum"),
        ("numbers-toml", "maximum"),
    ]:
        properties = _schema(html, name)["properties"]
        assert properties["huge"] == {"type": "number"} or left_out not in properties["huge"]  # type: ignore[index]
        assert "fine" in properties  # type: ignore[operator]
    nan = _schema(html, "numbers-json")["properties"]["nan"]  # type: ignore[index]
    assert nan["enum"] == [1, 2]  # type: ignore[index]
    assert "example" not in nan and "default" not in nan  # type: ignore[operator]
    assert _schema(html, "numbers-json")["properties"]["fine"]["minimum"] == 5e-324  # type: ignore[index]
    shown = tables(html.outdir / "numbers-json.html")[0].get_text()
    shown += "".join(_example_blocks(html, "numbers-json"))
    for word in ("Infinity", "NaN", "inf", "1e400", "e-400"):
        assert word not in shown


def test_lone_surrogates_become_replacement_characters(html: Build) -> None:
    (table,) = tables(html.outdir / "surrogates.html")
    assert rows(table)[0][0] == "k\ufffdey"
    assert "A lone \ufffd surrogate" in rows(table)[0][1]
    schema = _schema(html, "surrogates")
    assert list(schema["properties"]) == ["k\ufffdey"]  # type: ignore[call-overload]
    (example,) = _example_blocks(html, "surrogates")
    assert json.loads(example) == {"k\ufffdey": "x\ufffdy"}


def test_bidirectional_controls_are_shown_as_escapes(html: Build) -> None:
    (example,) = _example_blocks(html, "bidi")
    assert "\u202e" not in example and "\\u202e" in example
    # The shown JSON is the value published, escapes and all.
    assert json.loads(example) == {"id": "abc\u202edef"}
    assert _schema(html, "bidi")["properties"]["id"]["example"] == "abc\u202edef"  # type: ignore[index]
    # The table's cells show them as symbols, as every text from a data file.
    assert "\u202e" not in tables(html.outdir / "bidi.html")[0].get_text()


def test_a_plain_title_keeps_its_backslashes(html: Build) -> None:
    (table,) = tables(html.outdir / "title.html")
    assert table.find("caption").get_text(" ", strip=True).startswith("Files in C:\\Temp\\new")


def test_a_byte_order_mark_is_accepted(html: Build) -> None:
    assert len(tables(html.outdir / "bom.html")) == 3
    blocks = _example_blocks(html, "bom")
    assert [json.loads(block) for block in blocks] == [{"id": "abc"}]


def test_a_long_name_is_published_under_a_short_file_name(html: Build) -> None:
    file_name = export.schema_file_name(LONG_NAME)
    assert len(file_name.encode()) <= export.MAX_NAME_BYTES
    assert _schema(html, LONG_NAME)["type"] == "object"


def test_names_made_safe_alike_are_both_published_and_reported(html: Build) -> None:
    files, clashes = export.published_files(["orders/paid", "orders-paid"])
    assert clashes == [("orders-paid", "orders/paid")]
    assert files["orders-paid"] == "orders-paid.schema.json"
    assert files["orders/paid"] != files["orders-paid"]
    folder = html.outdir / export.FOLDER
    assert (folder / files["orders-paid"]).is_file() and (folder / files["orders/paid"]).is_file()
    assert any(
        "'orders-paid' and 'orders/paid' are both published as _callbacks/orders-paid" in line
        and "[callbacks.output]" in line
        for line in html.of("names")
    )


def test_the_authors_own_files_are_neither_replaced_nor_removed(html: Build) -> None:
    folder = html.outdir / export.FOLDER
    shipped = json.loads((folder / "shipped.schema.json").read_text("utf-8"))
    assert shipped == {"title": "The author's own file"}
    assert (folder / "unrelated.schema.json").is_file()
    assert any(
        "cannot publish _callbacks/shipped.schema.json: a file that this extension did not "
        "write is there" in line
        for line in html.of("names")
    )


def test_a_folder_in_the_way_is_a_warning(html: Build) -> None:
    assert any(
        "cannot publish _callbacks/blocked.schema.json:" in line and "[callbacks.output]" in line
        for line in html.of("names")
    ), html.warnings
    assert (html.outdir / export.FOLDER / "blocked.schema.json").is_dir()


def test_every_published_schema_is_strict_json(html: Build) -> None:
    published = sorted(p for p in (html.outdir / export.FOLDER).glob("*.json") if p.is_file())
    assert len(published) > 15
    for path in published:
        json.loads(path.read_text("utf-8"), parse_constant=_not_json)


def test_each_named_table_links_to_its_published_schema(html: Build) -> None:
    for page in ("numbers-json", "names", "long-name", "huge-enum"):
        soup = _soup(html, page)
        links = soup.select("p.callbacks-schema-link a")
        assert links, page
        for link in links:
            if link["href"] != "_callbacks/blocked.schema.json":  # a folder is in the way
                assert (html.outdir / link["href"]).resolve().is_file(), link["href"]
    (link,) = _soup(html, "numbers-json").select("p.callbacks-schema-link a")
    assert link["href"] == "_callbacks/numbers-json.schema.json"
    # A table whose file the author ships (html_extra_path) does not link to the author's.
    hrefs = [a["href"] for a in _soup(html, "names").select("p.callbacks-schema-link a")]
    assert "_callbacks/shipped.schema.json" not in hrefs


def test_other_builders_show_no_schema_link(built: Build) -> None:
    if built.builder == "html":
        return
    text = "".join(
        p.read_text("utf-8")
        for p in built.outdir.rglob("*")
        if p.is_file() and p.suffix in (".txt", ".1", ".tex")
    )
    assert "JSON Schema" not in text
    assert not list(built.outdir.rglob("*.schema.json/*")) and not [
        p for p in built.outdir.rglob("*.schema.json") if p.is_file()
    ]


# -- Without a full build ----------------------------------------------------------------------


def test_a_full_disk_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(path: str, data: bytes, errors: list[str] | None = None) -> bool:
        if errors is not None:
            errors.append("No space left on device")
        return False

    monkeypatch.setattr(export, "write_atomically", full)
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    (srcdir / "index.rst").write_text(
        "Full\n====\n\n.. callback-table:: full\n\n   id : string\n", encoding="utf-8"
    )
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    try:
        app.build()
        warnings = warnings_of(app)
    finally:
        app.cleanup()
    assert [line for line in warnings if "[callbacks.output]" in line] == [
        line for line in warnings if "cannot publish _callbacks/full.schema.json: No space" in line
    ]
    assert len(warnings) == 1 and "index.rst:4" in warnings[0]


def test_a_nul_in_a_path_setting_is_a_config_warning(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    (srcdir / "index.rst").write_text("Nul\n===\n\n.. callback-table::\n\n   id : x\n", "utf-8")
    overrides = {**WARNING_TYPES, "callbacks_allowed_paths": ["specs\0/x"]}
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=overrides)
    try:
        app.build()
        warnings = warnings_of(app)
    finally:
        app.cleanup()
    assert len(warnings) == 1, warnings
    assert "invalid callbacks_allowed_paths" in warnings[0] and "[callbacks.config]" in warnings[0]


def test_the_row_limit_ends_the_table_with_a_note(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    (srcdir / "data").mkdir(parents=True)
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    schema = {"type": "object", "properties": {f"k{i}": {"type": "string"} for i in range(5)}}
    (srcdir / "data" / "wide.json").write_text(json.dumps(schema), encoding="utf-8")
    (srcdir / "index.rst").write_text(
        "Wide\n====\n\n.. callback-table:: wide\n   :source: data/wide.json\n\nAfter.\n",
        encoding="utf-8",
    )
    limit = 3
    overrides = {**WARNING_TYPES, "callbacks_max_rows": limit}
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=overrides)
    try:
        assert app.config.values["callbacks_max_rows"].default == 20_000  # DESIGN 11
        app.build()
        warnings = warnings_of(app)
    finally:
        app.cleanup()
    assert len(warnings) == 1, warnings
    assert "index.rst:4:" in warnings[0] and "[callbacks.schema]" in warnings[0]
    assert f"stops after {limit:,} rows (callbacks_max_rows)" in warnings[0]
    page = Path(app.outdir, "index.html").read_text(encoding="utf-8")
    assert len(rows(tables(Path(app.outdir, "index.html"))[0])) == limit
    assert "The table stops here: the rest of the schema is too large to show." in page
    assert "After." in page


def test_an_inline_number_no_float_holds_stays_text() -> None:
    from sphinxext_callbacks.readers.inline import parse_value

    assert parse_value("1e400") == "1e400"
    assert parse_value("1" * 400) == "1" * 400
    assert parse_value('"a\\ud800"') == "a\ufffd"
    assert parse_value("1.5") == 1.5


def test_the_root_has_a_page_for_every_case() -> None:
    pages = {p.stem for p in ROOT.glob("*.rst")}
    assert pages >= {"pattern-payload", "pattern-made", "numbers-json", "bidi", "names"}
    assert re.fullmatch(r"a{300}", LONG_NAME)


# -- The parse cache --------------------------------------------------------------------------


def _cached(tmp_path: Path) -> tuple[Path, Path, Path]:
    from sphinxext_callbacks.readers.files import FileCache

    folder = tmp_path / "cache"
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text('{"properties": {"a": {}}}', encoding="utf-8")
    second.write_text('{"properties": {"b": {}}}', encoding="utf-8")
    cache = FileCache(folder=str(folder), salt="1")
    cache.load(str(first))
    cache.load(str(second))
    return folder, first, second


def _load_again(folder: Path, path: Path) -> tuple[object, int]:
    from sphinxext_callbacks.readers.files import FileCache

    cache = FileCache(folder=str(folder), salt="1")
    loaded = cache.load(str(path))
    return loaded.data, cache.parse_count.get(str(path), 0)


def test_the_cache_holds_plain_json(tmp_path: Path) -> None:
    folder, first, _second = _cached(tmp_path)
    entries = sorted(folder.iterdir())
    assert len(entries) == 2
    for entry in entries:
        head, body = entry.read_bytes().split(b"\n", 1)
        assert set(json.loads(head)) == {"key", "sha256"}
        assert set(json.loads(body)) == {"data", "duplicates", "dropped"}
    assert _load_again(folder, first) == ({"properties": {"a": {}}}, 0)


def test_a_planted_code_object_is_never_loaded(tmp_path: Path) -> None:
    import marshal

    folder, first, _second = _cached(tmp_path)
    code = compile("raise SystemExit('ran')", "planted", "exec")
    for entry in folder.iterdir():
        entry.write_bytes(marshal.dumps(code))
    assert _load_again(folder, first) == ({"properties": {"a": {}}}, 1)


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"x": 1}, "duplicates": 5, "dropped": []},
        {"data": {"x": 1}, "duplicates": [], "dropped": [["/a"]]},
        {"duplicates": [], "dropped": []},
        ["not", "a", "mapping"],
    ],
)
def test_an_entry_of_another_shape_is_ignored(tmp_path: Path, body: object) -> None:
    import hashlib

    folder, first, _second = _cached(tmp_path)
    for entry in folder.iterdir():
        key = json.loads(entry.read_bytes().split(b"\n", 1)[0])["key"]
        data = json.dumps(body).encode()
        head = json.dumps({"key": key, "sha256": hashlib.sha256(data).hexdigest()}).encode()
        entry.write_bytes(head + b"\n" + data)
    assert _load_again(folder, first) == ({"properties": {"a": {}}}, 1)


def test_entries_swapped_between_files_are_not_used(tmp_path: Path) -> None:
    folder, first, second = _cached(tmp_path)
    one, two = sorted(folder.iterdir())
    blob_one, blob_two = one.read_bytes(), two.read_bytes()
    one.write_bytes(blob_two)
    two.write_bytes(blob_one)
    assert _load_again(folder, first) == ({"properties": {"a": {}}}, 1)
    assert _load_again(folder, second) == ({"properties": {"b": {}}}, 1)


@pytest.mark.parametrize("builder", BUILDERS)
def test_a_format_of_50000_unclosed_backquotes(tmp_path: Path, builder: str) -> None:
    """A MyST page (whose parser leaves unclosed code spans as text) with an inline format of
    50,000 characters of them: a literal pattern that searches takes quadratic time on it.

    Built in another process: MyST-Parser, loaded in this one, changes what later test
    builds take for Markdown.
    """
    import subprocess
    import sys

    (tmp_path / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinxext_callbacks"]\n', encoding="utf-8"
    )
    fmt = "`a " * 12_500
    (tmp_path / "index.md").write_text(
        f"# literal-split\n\n```{{callback-table}}\nid : {fmt}\n```\n\nAfter literal-split.\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", builder, "-q", str(tmp_path), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "[callbacks" not in result.stderr
    written = "".join(
        p.read_text("utf-8", "replace")
        for p in (tmp_path / "out").rglob("*.*")
        if p.suffix in (".html", ".txt", ".1", ".tex")
    )
    assert "After literal" in written
