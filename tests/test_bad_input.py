"""Bad input of every kind: one located warning each, no traceback, and the page goes on.

The ``hardening`` root holds one page per case (``CASES``), each a bad directive followed by
``After <page>.``. The module builds it once (the pathological files are written at test
time: they are too big to commit) and checks every case against that one build. ``-W``,
``exception_on_warning`` and ``suppress_warnings`` need other settings: they build a small copy
of the root with one page for each directive and subtype (``FEW``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import sphinx
from bs4 import BeautifulSoup
from sphinx.errors import SphinxWarning
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.model.problems import SUBTYPES

from .helpers import ROOTS, WARNING_TYPES, copy_root, rows, tables, warnings_of

ROOT = ROOTS / "test-hardening"


@dataclass(frozen=True)
class Case:
    """A page of the root, and the one warning it must give."""

    page: str
    line: int
    subtype: str
    #: Parts of the message, separated by "|", that must all be in it.
    fragment: str

    def __str__(self) -> str:
        return self.page


CASES = [
    # The inline body.
    Case("body-no-key", 6, "field", "term line ': UUID' has no key; write it as 'key : format'"),
    Case("body-duplicate-key", 8, "field", "duplicate key 'id' (first defined on line 1"),
    Case("body-stray-text", 6, "field", "indented text with no term line above it"),
    Case("body-unknown-attribute", 7, "field", "unknown field attribute ':requird:'; did you"),
    Case("body-bad-attribute-value", 7, "field", "':required:' takes no value (or 'yes'/'no')"),
    Case("body-attribute-without-value", 7, "field", "':since:' needs a value"),
    Case("body-key-with-spaces", 6, "field", "key 'event id' contains spaces"),
    Case("body-empty", 4, "field", "the table has no fields"),
    Case("myst-duplicate-key", 6, "field", "duplicate key 'id'"),
    Case("myst-stray-text", 6, "field", "indented text with no term line above it"),
    Case("myst-unknown-attribute", 7, "field", "unknown field attribute ':requird:'"),
    # Options.
    Case("option-unknown-column", 4, "option", "unknown column 'descripton' in :columns:; did"),
    Case("option-negative-depth", 4, "option", ":depth: must be a whole number of 0 or more"),
    Case("option-malformed-widths", 4, "option", ":widths: must be 'auto', 'grid' or 3 positive"),
    Case("option-widths-count", 4, "option", ":widths: gives 2 widths for 3 columns"),
    Case("option-bad-align", 4, "option", "bad :align: value 'middle'"),
    Case("option-bad-width", 4, "option", "bad :width: value 'wide'"),
    Case("option-headings-count", 4, "option", ":headings: gives 2 headings for 3 columns"),
    Case("option-include-unknown", 4, "option", "no field has the key 'nope'"),
    Case("option-exclude-unknown", 4, "option", "no field has the key 'idd'; did you mean 'id'?"),
    Case("option-unknown-webhook", 4, "option", "no webhook 'delivery-reciept'; did you mean"),
    Case("option-unknown-callback", 4, "option", "no callback 'onStatus' (the file has: onDel"),
    Case("option-unknown-message", 4, "option", "no message 'nope' (the file has: receipt)"),
    Case("option-unknown-part", 4, "option", "unknown :part: 'bodyy'; did you mean 'body'?"),
    Case("option-two-selectors", 4, "option", "give only one of :webhook:, :callback: and"),
    Case("option-callback-three-words", 4, "option", ":callback: takes OPERATION_ID NAME"),
    Case("option-example-callback-three-words", 4, "option", ":callback: takes OPERATION_ID"),
    Case("option-openapi-without-selection", 4, "option", "is an OpenAPI document: pick a body"),
    # Sources: reading the file.
    Case("source-missing-file", 4, "source", "cannot read data/nope.yaml: no such file"),
    Case("source-directory", 4, "source", "cannot read data/a-directory.json: it is a directory"),
    Case("source-empty-file", 4, "source", "cannot read data/empty.yaml: the file is empty"),
    Case("source-binary-file", 4, "source", "cannot read data/binary.json: it is a binary file"),
    Case("source-wrong-encoding", 4, "source", "data/latin1.yaml: not UTF-8 text (bad byte at"),
    Case("source-unknown-type", 4, "source", "data/fields.txt: unknown file type '.txt'"),
    Case("source-yaml-syntax", 4, "source", "data/bad.yaml:4:1: invalid YAML: did not find"),
    # Python 3.13 words (and places) JSON errors differently: keep to what all versions say.
    Case("source-json-syntax", 4, "source", "data/bad.json:3:|invalid JSON: "),
    Case("source-toml-syntax", 4, "source", "data/bad.toml:3:15: invalid TOML: Invalid value"),
    Case("source-long-number", 4, "source", "cannot read data/long-number.json: Exceeds the"),
    Case("source-yaml-python-tag", 4, "source", "could not determine a constructor for the tag"),
    Case("source-alias-bomb", 4, "source", "YAML aliases expand it to more than|bytes of JSON"),
    # Python's json module overflows its stack (3.12) or returns first (3.13): both warn.
    Case("source-deep-json", 4, "source", "data/generated/deep.json: |nested"),
    # PyYAML 6.0.1 and newer stop at their own depth limit; 6.0 reaches ours.
    Case("source-deep-yaml", 4, "source", "deep.yaml|nest"),
    Case("source-deep-toml", 4, "source", "data/generated/deep.toml: it is nested too deeply"),
    Case("source-outside-srcdir", 4, "source", "outside.json is outside the source directory"),
    # Sources: what the file holds.
    Case("source-pointer-nothing", 4, "source", "#/callbacks/delivery-reciept selects nothing"),
    Case("source-pointer-scalar", 4, "source", "selects a string, not a schema, field list"),
    Case("source-pointer-no-slash", 4, "source", "a JSON pointer starts with '/'"),
    Case("source-several-lists", 4, "source", "holds several field lists; select one"),
    Case("source-schema-not-object", 4, "schema", "has no properties to show in a table"),
    Case("source-swagger", 4, "schema", "is Swagger 2.0; only OpenAPI 3.0 and 3.1 are read"),
    Case("source-field-without-key", 4, "schema", "/fields/0 (line 2, column 5): the field has"),
    Case("source-ref-missing-file", 4, "ref", "$ref 'nowhere.json' in data/ref-missing-file"),
    Case("source-ref-missing-fragment", 4, "ref", "$ref '#/$defs/Nope' in data/ref-missing-fr"),
    Case("source-ref-cycle", 4, "ref", "$ref '#/$defs/A' in data/ref-cycle.json#/$defs/B (line"),
    Case("source-ref-remote", 4, "ref", "remote $ref 'https://example.com/schemas/id.json'"),
    Case("source-ref-outside-srcdir", 4, "source", "$ref '../../outside.json' in data/ref-outsi"),
    Case("source-ref-file-uri", 4, "source", "$ref 'file:///etc/hostname' in data/ref-file-uri"),
    # Images and downloads from data files are refused outright, wherever they point
    # (docs/security.rst).
    Case("source-image-outside", 4, "markup", "image-outside.yaml: image '../../../../../../.."),
    Case("source-download-outside", 4, "markup", "image-outside.yaml: role 'download' is not"),
    # callback-example.
    Case("example-invalid-json", 8, "example", "invalid JSON: Expecting value at column 12"),
    Case("example-wrong-type", 9, "example", "'count' should be integer, not string"),
    Case("example-unknown-key", 9, "example", "unknown key 'colour'"),
    Case("example-missing-required", 7, "example", "missing required key 'id'"),
    Case("example-outside-enum", 9, "example", '\'status\' is "lost", not one of "delivered"'),
    Case("example-file-invalid-json", 4, "example", "data/bad-example.json, line |invalid JSON"),
    Case("example-missing-file", 4, "source", "cannot read data/nope.json"),
    Case("example-file-outside", 4, "source", "outside.json is outside the source directory"),
    Case("example-nothing-to-show", 4, "option", "callback-example needs a callback name or a"),
    Case("example-unknown-callback", 4, "ref", "unknown callback 'no-such-callback'"),
    # The domain.
    Case("domain-unknown-ref", 4, "ref", "unknown callback 'no-such-table'"),
    Case("domain-unknown-field", 4, "ref", "callback 'delivery-receipt' has no field 'nope'"),
    Case("domain-duplicate-name", 4, "ref", "callback 'delivery-receipt' is defined twice"),
]


def first_of_each_kind(cases: list[Case]) -> list[Case]:
    """The first case of each directive (the page's prefix) and subtype."""
    kinds: dict[tuple[str, str], Case] = {}
    for case in cases:
        kinds.setdefault((case.page.split("-")[0], case.subtype), case)
    return list(kinds.values())


#: Every place a warning comes from, for the builds that only check how warnings are reported.
FEW = first_of_each_kind(CASES)

#: Pages of big or odd input that is not wrong: no warning, and the content is shown.
QUIET = ["source-huge-enum", "source-huge-description", "quiet-yaml-binary-set-timestamp"]

_WARNING = re.compile(
    r"^(?P<path>.+?)\.(?:rst|md):(?P<line>\d+): WARNING: (?P<message>.*) "
    r"\[(?P<type>[\w-]+)\.(?P<subtype>[\w-]+)\]$"
)


def write_generated(srcdir: Path) -> None:
    """The pathological files: an alias bomb, 5,000-deep nesting, a 10,000-value enum, 1 MB text."""
    generated = srcdir / "data" / "generated"
    generated.mkdir(parents=True)
    # Nine levels of nine aliases each: 9**9 (387 million) strings once expanded.
    bomb = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, current in zip("abcdefgh", "bcdefghi", strict=True):
        bomb.append(f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]")
    (generated / "alias-bomb.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    deep = "[" * 5000 + "]" * 5000
    (generated / "deep.json").write_text(f'{{"properties": {{"a": {deep}}}}}', encoding="utf-8")
    (generated / "deep.yaml").write_text(f"properties:\n  a: {deep}\n", encoding="utf-8")
    (generated / "deep.toml").write_text(f"a = {deep}\n", encoding="utf-8")
    enum = [f"value-{index}" for index in range(10_000)]
    schema = {"type": "object", "properties": {"id": {"type": "string", "enum": enum}}}
    (generated / "huge-enum.json").write_text(json.dumps(schema), encoding="utf-8")
    text = ("All work and no play makes Jack a dull boy. " * 25_000)[:1_000_000]
    (generated / "huge-description.yaml").write_text(
        f"fields:\n  - key: id\n    description: {json.dumps(text)}\n", encoding="utf-8"
    )


def hardening_root(dest: Path, cases: list[Case] | None = None) -> Path:
    """The root with its generated files, and a file just outside it to be refused.

    With *cases*, only their pages (and those every page may link to) are kept.
    """
    srcdir = copy_root("hardening", dest / "hardening")
    if cases is not None:
        keep = {case.page for case in cases} | {"index", "a-target"}
        for page in srcdir.glob("*.*"):
            if page.suffix in (".rst", ".md") and page.stem not in keep:
                page.unlink()
    write_generated(srcdir)
    (dest / "outside.json").write_text('{"properties": {"secret": {}}}', encoding="utf-8")
    return srcdir


@dataclass
class Build:
    """What the one build of the root gave."""

    app: SphinxTestApp
    output: str
    #: page -> [(line, type, subtype, message)]
    warnings: dict[str, list[tuple[int, str, str, str]]]
    unlocated: list[str]


def parse_warnings(
    app: SphinxTestApp,
) -> tuple[dict[str, list[tuple[int, str, str, str]]], list[str]]:
    found: dict[str, list[tuple[int, str, str, str]]] = {}
    unlocated = []
    for warning in warnings_of(app):
        match = _WARNING.match(warning)
        if match is None:
            unlocated.append(warning)
            continue
        page = Path(match["path"]).relative_to(app.srcdir).as_posix()
        found.setdefault(page, []).append(
            (int(match["line"]), match["type"], match["subtype"], match["message"])
        )
    return found, unlocated


@pytest.fixture(scope="module")
def srcdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hardening_root(tmp_path_factory.mktemp("hardening"))


@pytest.fixture(scope="module")
def few_srcdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hardening_root(tmp_path_factory.mktemp("few"), FEW)


@pytest.fixture(scope="module")
def built(srcdir: Path) -> Build:
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    try:
        app.build()
        output = app._status.getvalue() + app._warning.getvalue()
        warnings, unlocated = parse_warnings(app)
    finally:
        # Clean up before the other tests make apps: Sphinx 7.4 warns (an error under
        # -W) when docutils still holds this app's node registrations.
        app.cleanup()
    return Build(app, output, warnings, unlocated)


def test_the_root_has_a_page_for_every_case_and_no_other() -> None:
    pages = {p.stem for p in ROOT.iterdir() if p.suffix in (".rst", ".md")}
    cases = {case.page for case in CASES}
    assert len(cases) == len(CASES) >= 40
    assert pages == cases | set(QUIET) | {"index", "a-target"}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_one_located_warning(built: Build, case: Case) -> None:
    warnings = built.warnings.get(case.page, [])
    assert len(warnings) == 1, warnings
    line, type_, subtype, message = warnings[0]
    assert (line, type_, subtype) == (case.line, "callbacks", case.subtype), message
    for part in case.fragment.split("|"):
        assert part in message


@pytest.mark.parametrize("page", [case.page for case in CASES] + QUIET)
def test_the_text_after_the_directive_renders(built: Build, page: str) -> None:
    html = (built.app.outdir / f"{page}.html").read_text(encoding="utf-8")
    assert f"After {page}." in html


def test_no_traceback_and_no_other_warning(built: Build) -> None:
    for needle in ("Traceback", "Exception occurred", "callbacks.internal"):
        assert needle not in built.output
    assert built.unlocated == []
    assert set(built.warnings) == {case.page for case in CASES}


def test_big_but_valid_input_is_shown_in_full(built: Build) -> None:
    outdir = built.app.outdir
    (enum,) = tables(outdir / "source-huge-enum.html")
    # The first 50 values, and how many more the published schema holds.
    format_cell = enum.select_one("td.callbacks-column-format")
    assert len(format_cell.select("code")) == 50
    assert format_cell.get_text().endswith("and 9,950 more")
    description = (outdir / "source-huge-description.html").read_text(encoding="utf-8")
    assert description.count("All work and no play") > 20_000


def test_yaml_values_json_has_no_type_for_are_read_as_json(built: Build) -> None:
    # !!binary, !!timestamp and !!set load as bytes, datetime and set, which json.dumps
    # cannot write: they are read as the JSON a YAML-to-JSON tool would give.
    soup = BeautifulSoup(
        (built.app.outdir / "quiet-yaml-binary-set-timestamp.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    example = json.loads(soup.select_one("div.highlight-json pre").get_text())
    # The schema's own example of "tags" is valid there, so it is shown.
    assert example == {"blob": "aGVsbG8=", "when": "2001-12-14T21:59:43Z", "tags": ["a", "b"]}
    (table,) = soup.select("table.callbacks-table")
    assert rows(table)[-1] == ["tags", "array", "", '["a", "b"]']


def test_no_file_outside_the_source_directory_reaches_the_output(built: Build) -> None:
    copied = [p for p in built.app.outdir.rglob("*") if p.name in ("hostname", "outside.json")]
    assert copied == []
    # callback-example shows its :file: as it is: a path outside the project is refused.
    shown = (built.app.outdir / "example-file-outside.html").read_text(encoding="utf-8")
    assert "secret" not in shown


#: Sphinx 8.1 made -W report every warning before failing, and added exception_on_warning.
COLLECTS_WARNINGS = sphinx.version_info >= (8, 1)


@pytest.mark.skipif(not COLLECTS_WARNINGS, reason="Sphinx < 8.1 stops at the first warning")
def test_warnings_as_errors_fail_the_build_cleanly(few_srcdir: Path, tmp_path: Path) -> None:
    # -W: every warning still reported, then a failing status, and no traceback.
    app = SphinxTestApp(
        "html",
        srcdir=few_srcdir,
        builddir=tmp_path / "w",
        freshenv=True,
        confoverrides=WARNING_TYPES,
        warningiserror=True,
    )
    try:
        app.build()
        assert app.statuscode == 1
        found, _ = parse_warnings(app)
        assert sum(len(w) for w in found.values()) == len(FEW)
        assert "Traceback" not in app._warning.getvalue()
    finally:
        app.cleanup()


def test_exception_on_warning_is_a_sphinx_warning(few_srcdir: Path, tmp_path: Path) -> None:
    # Sphinx 7.4's -W raises at the first warning, as exception_on_warning does later.
    stop = {"exception_on_warning": True} if COLLECTS_WARNINGS else {"warningiserror": True}
    # Documents are read in order: the first bad one stops the build.
    first = min(FEW, key=lambda case: case.page)
    app = SphinxTestApp(
        "html",
        srcdir=few_srcdir,
        builddir=tmp_path / "e",
        freshenv=True,
        confoverrides=WARNING_TYPES,
        **stop,
    )
    try:
        with pytest.raises(SphinxWarning, match=rf"{first.page}\.rst:{first.line}") as error:
            app.build()
        assert first.fragment in str(error.value)
        assert error.value.__cause__ is None
    finally:
        app.cleanup()


def test_suppress_warnings_silences_every_subtype(few_srcdir: Path, tmp_path: Path) -> None:
    app = SphinxTestApp(
        "html",
        srcdir=few_srcdir,
        builddir=tmp_path / "s",
        freshenv=True,
        confoverrides={
            **WARNING_TYPES,
            "suppress_warnings": [f"callbacks.{subtype}" for subtype in SUBTYPES],
        },
    )
    try:
        app.build()
        assert warnings_of(app) == []
    finally:
        app.cleanup()
