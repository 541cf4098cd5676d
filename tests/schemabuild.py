"""Build small projects of schemas, read back what a reader of the page gets, and walk schemas.

The schema tests judge the extension from the outside: each case is a document of a project
built with Sphinx's ``xml`` builder, whose output is the resolved doctree (tables with their
rows, made and checked examples, notes), and the build's warnings are split by document. What
a schema must give is computed here, with a plain walk of the schema and ``jsonschema``,
never with the package's own functions.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import jsonschema
import referencing
import referencing.jsonschema
import yaml

from .helpers import plain_output


@dataclass(frozen=True)
class Row:
    """One body row of a table: a field (``key`` set), or a label or end row of alternatives."""

    key: str | None
    format: str
    text: str
    classes: tuple[str, ...]
    flags: tuple[str, ...]

    @property
    def is_label(self) -> bool:
        return "callbacks-alternative" in self.classes

    @property
    def is_end(self) -> bool:
        return "callbacks-alternatives-end" in self.classes


@dataclass
class Table:
    """A ``callback-table`` as its doctree has it."""

    name: str | None
    caption: str | None
    rows: list[Row]

    @property
    def keys(self) -> list[str]:
        """Each field row's key, in order (a key in several alternatives is there each time)."""
        return [row.key for row in self.rows if row.key is not None]

    @property
    def outline(self) -> list[str]:
        """Each row: its key, ``> label`` for a label row, ``. text`` for an end row."""
        shown = []
        for row in self.rows:
            if row.key is not None:
                shown.append(row.key)
            elif row.is_label:
                shown.append("> " + row.text)
            else:
                shown.append(". " + row.text)
        return shown

    def labels(self) -> list[str]:
        return [row.text for row in self.rows if row.is_label]

    def formats(self, key: str) -> list[str]:
        """The Format cell of every row of *key*."""
        return [row.format for row in self.rows if row.key == key]

    def format(self, key: str) -> str:
        """The Format cell of the one row of *key*."""
        (only,) = self.formats(key)
        return only


@dataclass
class Page:
    """What one document shows: its tables, example code blocks, notes, and its warnings."""

    docname: str
    tables: list[Table]
    examples: list[str]
    notes: list[str]
    captions: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def table(self) -> Table:
        (only,) = self.tables
        return only

    def example(self, index: int = 0) -> Any:
        """The JSON of the page's *index*-th example block."""
        return json.loads(self.examples[index])


@dataclass
class Built:
    """A built project: each page, and the warnings that no page claimed."""

    pages: dict[str, Page]
    warnings: list[str]
    srcdir: Path

    def __getitem__(self, docname: str) -> Page:
        return self.pages[docname]


def write_files(srcdir: Path, files: Mapping[str, Any]) -> None:
    """Write each file: text as it is, data as JSON (``.json``) or YAML (anything else)."""
    for name, content in files.items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not isinstance(content, str):
            if name.endswith(".json"):
                content = json.dumps(content, indent=2, ensure_ascii=False)
            else:
                content = yaml.safe_dump(content, sort_keys=False, allow_unicode=True)
        path.write_text(content, encoding="utf-8")


def build(
    srcdir: Path,
    pages: Mapping[str, str],
    files: Mapping[str, Any] | None = None,
    conf: Mapping[str, Any] | None = None,
) -> Built:
    """Build a project of *pages* (docname to reST, each an orphan) and *files* to XML."""
    from sphinx.testing.util import SphinxTestApp

    srcdir.mkdir(parents=True, exist_ok=True)
    # Only the pages are documents: a spec folder's README.md is data here, whatever parsers
    # an earlier build in this process registered.
    (srcdir / "conf.py").write_text(
        "extensions = ['sphinxext_callbacks']\nsource_suffix = {'.rst': 'restructuredtext'}\n",
        encoding="utf-8",
    )
    write_files(srcdir, files or {})
    for docname, text in pages.items():
        write_files(srcdir, {f"{docname}.rst": ":orphan:\n\n" + text})
    if "index" not in pages:
        write_files(srcdir, {"index.rst": "Schemas\n=======\n"})
    app = SphinxTestApp(
        "xml",
        srcdir=srcdir,
        freshenv=True,
        confoverrides={"show_warning_types": True, **(conf or {})},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    lines = _warning_lines(app._warning.getvalue())  # type: ignore[attr-defined]
    built = Built({}, [], srcdir)
    for docname in pages:
        built.pages[docname] = read_page(Path(app.outdir) / f"{docname}.xml", docname)
    for line in lines:
        owner = next(
            (name for name in pages if line.startswith(f"{srcdir / name}.rst:")),
            None,
        )
        if owner is None:
            built.warnings.append(line)
        else:
            built.pages[owner].warnings.append(line)
    return built


def _warning_lines(text: str) -> list[str]:
    text = plain_output(text)
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def read_page(path: Path, docname: str) -> Page:
    """The tables, examples, notes and captions of one page of the ``xml`` builder."""
    root = ET.parse(path).getroot()
    tables = []
    for table in root.iter("table"):
        if "callbacks-table" not in table.get("classes", "").split():
            continue
        columns = table.get("callbacks-columns", "").split()
        title = table.find("title")
        rows = []
        for row in table.iter("row"):
            if row.get("callbacks-key") is None and not row.get("classes"):
                continue  # the heading row
            entries = row.findall("entry")
            fmt = ""
            if row.get("callbacks-key") is not None and "format" in columns:
                fmt = _text(entries[columns.index("format")])
            rows.append(
                Row(
                    key=row.get("callbacks-key"),
                    format=fmt,
                    text=_text(row),
                    classes=tuple(row.get("classes", "").split()),
                    flags=tuple(row.get("callbacks-flags", "").split()),
                )
            )
        tables.append(
            Table(
                table.get("callbacks-name"),
                None if title is None else _text(title),
                rows,
            )
        )
    examples = [
        "".join(block.itertext())
        for block in root.iter("literal_block")
        if block.get("language") == "json"
    ]
    notes = [
        _text(paragraph)
        for paragraph in root.iter("paragraph")
        if "callbacks-note" in paragraph.get("classes", "").split()
    ]
    captions = [_text(caption) for caption in root.iter("caption")]
    return Page(docname, tables, examples, notes, captions)


# -- What a schema must give -------------------------------------------------------------------

#: Keywords whose value is one subschema at the same place in the payload.
_IN_PLACE_LISTS = ("allOf", "oneOf", "anyOf")


def key_text(path: tuple[str, ...]) -> str:
    """A key as tables write it: dots between segments, ``[]`` after an array, a segment that
    a dot would split (or an empty one) in double quotes."""
    parts: list[str] = []
    for segment in path:
        if segment == "[]":
            parts.append("[]")
            continue
        if parts:
            parts.append(".")
        if (
            not segment
            or "." in segment
            or "[]" in segment
            or segment.startswith('"')
            or segment != segment.strip()
        ):
            segment = '"' + segment.replace("\\", "\\\\").replace('"', '\\"') + '"'
        parts.append(segment)
    return "".join(parts)


class Walker:
    """A plain walk of a schema: the key of every property a payload may have.

    Every property reachable is a key; a ``$ref`` is followed wherever it is used, except
    where it is already on its own path from the root (a cycle: the property is there, its
    keys were given further up); an array's items are under ``[]``, a map's values under
    ``{key}`` (``{PATTERN}`` for ``patternProperties``). ``writeOnly`` properties are never
    sent, so they are no keys. ``$ref``s are looked up in *registry*, from *base_uri*.
    """

    def __init__(self, registry: referencing.Registry[Any], base_uri: str = "") -> None:
        self._registry = registry
        self._base_uri = base_uri

    def keys(self, schema: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        """Each key once, in the order the walk first meets it."""
        found: dict[tuple[str, ...], None] = {}
        for key in self._walk(schema, path, self._base_uri, ()):
            found.setdefault(key)
        return list(found)

    def _walk(
        self,
        schema: Any,
        path: tuple[str, ...],
        base: str,
        refs: tuple[str, ...],
        *,
        reached_by_ref: bool = False,
    ) -> Iterator[tuple[str, ...]]:
        if not isinstance(schema, dict):
            return
        # A resource reached by its URI is at that URI already; a nested one's $id is relative.
        if isinstance(schema.get("$id"), str) and not reached_by_ref:
            base = urljoin(base, schema["$id"])
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = urljoin(base, ref)
            if target not in refs:
                resolved = self._registry.resolver(base_uri=base).lookup(ref)
                yield from self._walk(
                    resolved.contents,
                    path,
                    urldefrag(target).url,
                    (*refs, target),
                    reached_by_ref=True,
                )
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                if isinstance(sub, dict) and sub.get("writeOnly") is True:
                    continue
                yield (*path, name)
                yield from self._walk(sub, (*path, name), base, refs)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            yield (*path, "{key}")
            yield from self._walk(extra, (*path, "{key}"), base, refs)
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern, sub in patterns.items():
                yield (*path, "{" + pattern + "}")
                yield from self._walk(sub, (*path, "{" + pattern + "}"), base, refs)
        items = schema.get("items")
        if isinstance(items, dict):
            yield from self._walk(items, (*path, "[]"), base, refs)
        for keyword in _IN_PLACE_LISTS:
            members = schema.get(keyword)
            if isinstance(members, list):
                for member in members:
                    yield from self._walk(member, path, base, refs)


def registry_of(documents: Mapping[str, Any], default: str) -> referencing.Registry[Any]:
    """A registry of *documents* by URI (and by each one's ``$id``), read as *default*'s
    dialect when a document does not name its own."""
    specification = referencing.jsonschema.specification_with(default)
    resources = []
    for uri, document in documents.items():
        resource = specification.create_resource(document)
        resources.append((uri, resource))
        if isinstance(document, dict) and isinstance(document.get("$id"), str):
            resources.append((document["$id"], resource))
    return referencing.Registry().with_resources(resources)


def openapi30_as_json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema object as JSON Schema: ``nullable: true`` adds ``null``."""
    if isinstance(schema, list):
        return [openapi30_as_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: openapi30_as_json_schema(value) for key, value in schema.items()}
    if converted.pop("nullable", False) is True:
        kind = converted.get("type")
        if isinstance(kind, str):
            converted["type"] = [kind, "null"]
        if isinstance(converted.get("enum"), list) and None not in converted["enum"]:
            converted["enum"] = [*converted["enum"], None]
        if "type" not in converted and any(
            k in converted for k in ("allOf", "oneOf", "anyOf", "$ref")
        ):
            converted = {"anyOf": [converted, {"type": "null"}]}
    return converted


def validator_for(
    schema: Any,
    registry: referencing.Registry[Any] | None = None,
    dialect: str = "https://json-schema.org/draft/2020-12/schema",
) -> jsonschema.protocols.Validator:
    """A validator of *schema* that checks formats too, its ``$ref``s looked up in *registry*."""
    cls = jsonschema.validators.validator_for({"$schema": dialect})
    return cls(
        schema,
        registry=registry or referencing.Registry(),
        format_checker=cls.FORMAT_CHECKER,
    )


def errors_of(validator: jsonschema.protocols.Validator, instance: Any) -> list[str]:
    """``jsonschema``'s errors for *instance*, each with the path where it is."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in validator.iter_errors(instance)
    ]
