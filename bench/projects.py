r"""Generate the synthetic Sphinx projects that ``bench/run.py`` builds.

Every variant holds the same N eight-field callback tables (Notify-like delivery
receipts: a UUID, example strings, enums, timestamps, one-sentence descriptions, some
with inline literals), spread over the same pages, so that only the way the tables
are written differs:

``list-table``  hand-written ``list-table`` with a header row and a stub column (baseline)
``inline``      ``callback-table`` with an inline body
``fieldlist``   ``callback-table`` reading one field-list YAML file for all N tables
``openapi``     ``callback-table`` reading one OpenAPI 3.1 file holding all N webhooks
``floor``       the same pages with no tables at all (what Sphinx costs by itself)

The ``catalogue`` pair is a real catalogue instead: GitHub's webhooks as one OpenAPI 3.1
document (``bench/data/github-openapi-webhooks``), one page per webhook, and its size is the
number of webhooks, not of tables:

``catalogue-list-table``  an overview and each webhook's page (its words, request line,
                          headers, body, example and responses) written out by hand, the
                          tables as ``list-table``\ s (baseline)
``catalogue``             one ``callback-catalogue`` with ``:toctree:``, which writes a
                          ``callback-request`` page per webhook

The synthetic variants need the standard library only; the catalogue pair uses the
extension's own reader to write its baseline, so that both show the very same rows.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Variants of N synthetic tables, in the order the bench runs and prints them.
SYNTHETIC = ("list-table", "inline", "fieldlist", "openapi", "floor")
#: The catalogue pair, sized by a number of events: baseline first.
CATALOGUE = ("catalogue-list-table", "catalogue")
VARIANTS = SYNTHETIC + CATALOGUE
#: The one-letter names: (a) to (e) of issue 6, (f) and (g) of issue 16.
LETTERS = dict(zip("abcdefg", VARIANTS, strict=True))
#: What each variant's ratios are taken against.
BASELINES = {
    variant: CATALOGUE[0] if variant in CATALOGUE else SYNTHETIC[0] for variant in VARIANTS
}
#: Variants whose tables come from a shared file, and that file. The catalogue's is
#: GitHub's whole OpenAPI description of its webhooks.
SHARED_FILES = {
    "fieldlist": "fields.yaml",
    "openapi": "spec.yaml",
    "catalogue": "specs/api.github.com.json",
}
#: GitHub's webhooks, one OpenAPI 3.1 document (see the README.md there for source and licence).
GITHUB = Path(__file__).resolve().parent / "data/github-openapi-webhooks/api.github.com.json"

TABLES_PER_PAGE = 10

_THINGS = (
    "email",
    "text message",
    "letter",
    "precompiled letter",
    "returned letter",
    "broadcast",
    "payment",
    "refund",
    "application",
    "licence renewal",
    "passport appointment",
    "tax return",
    "court booking",
    "benefit claim",
    "vehicle check",
    "visa decision",
    "grant award",
    "fishing permit",
    "planning comment",
    "blue badge",
)

_STATUSES = ("delivered", "permanent-failure", "temporary-failure", "technical-failure")
_TYPES = ("email", "sms", "letter")
_TIMESTAMP = "2017-05-14T12:15:30.000000Z"


@dataclass(frozen=True)
class Spec:
    """One field, in a neutral form every variant is written from.

    ``description`` uses ``{lit:...}`` for inline literals, which each markup spells
    its own way.
    """

    key: str
    description: str
    kind: str = "string"
    json_format: str | None = None
    display: str | None = None  # Format cell text when nothing structured gives it
    example: str | None = None
    enum: tuple[str, ...] = ()
    nullable: bool = False
    required: bool = True


def callback_name(index: int) -> str:
    """The name of table *index* (1-based): ``cb-17``."""
    return f"cb-{index}"


def fields_of(index: int) -> list[Spec]:
    """The eight fields of table *index*; examples and wording vary from table to table."""
    thing = _THINGS[index % len(_THINGS)]
    ident = uuid.UUID(int=(index * 0x9E3779B97F4A7C15) % (1 << 128), version=4)
    return [
        Spec(
            "id",
            f"Notify's id for the {thing} status receipt.",
            json_format="uuid",
            display="UUID",
            example=str(ident),
        ),
        Spec(
            "reference",
            f"The reference your service gave the {thing}, or {{lit:null}} if it gave none.",
            example=f"REF-{index:05d}",
            nullable=True,
        ),
        Spec(
            "to",
            "The email address, phone number or postal address of the recipient.",
            example=f"user{index}@example.gov.uk",
        ),
        Spec("status", f"The status of the {thing} when this receipt was sent.", enum=_STATUSES),
        Spec(
            "created_at",
            "The time the service sent the request.",
            json_format="date-time",
            example=_TIMESTAMP,
        ),
        Spec(
            "completed_at",
            "The last time the status was updated.",
            json_format="date-time",
            example=_TIMESTAMP,
            nullable=True,
            required=False,
        ),
        Spec(
            "sent_at",
            f"The time the {thing} was handed to a provider, or {{lit:null}} before that.",
            json_format="date-time",
            example=_TIMESTAMP,
            nullable=True,
            required=False,
        ),
        Spec(
            "notification_type",
            f"The kind of message, as in the {{lit:template_type}} of template {index}.",
            enum=_TYPES,
        ),
    ]


def caption_of(index: int) -> str:
    return f"Callback {index} message format"


def prose_of(index: int) -> str:
    thing = _THINGS[index % len(_THINGS)]
    return (
        f"Notify sends this callback to your service's callback URL when the status of "
        f"a {thing} changes; it retries for up to 24 hours."
    )


_LIT = re.compile(r"\{lit:([^}]*)\}")


def rst_text(text: str) -> str:
    return _LIT.sub(r"``\1``", text)


def markdown_text(text: str) -> str:
    return _LIT.sub(r"`\1`", text)


def format_cell_rst(spec: Spec) -> str:
    """What the Format cell shows, written by hand in reST (as callback-table renders it)."""
    if spec.enum:
        text = " | ".join(f"``{value}``" for value in spec.enum)
    elif spec.display:
        text = spec.display
    else:
        text = f"``{spec.example}``"
    return f"{text} or null" if spec.nullable else text


# -- pages -----------------------------------------------------------------------


def _list_table(index: int) -> list[str]:
    lines = [
        f".. list-table:: {caption_of(index)}",
        "   :header-rows: 1",
        "   :stub-columns: 1",
        f"   :name: callback-{callback_name(index)}",
        "",
        "   * - Key",
        "     - Description",
        "     - Format",
    ]
    for spec in fields_of(index):
        lines += [
            f"   * - ``{spec.key}``",
            f"     - {rst_text(spec.description)}",
            f"     - {format_cell_rst(spec)}",
        ]
    return lines


def _inline(index: int) -> list[str]:
    lines = [
        f".. callback-table:: {callback_name(index)}",
        f"   :caption: {caption_of(index)}",
        "",
    ]
    for spec in fields_of(index):
        lines += [
            f"   {spec.key} : {format_cell_rst(spec)}",
            f"      {rst_text(spec.description)}",
        ]
    return lines


def _fieldlist(index: int) -> list[str]:
    name = callback_name(index)
    return [
        f".. callback-table:: {name}",
        f"   :source: fields.yaml#/callbacks/{name}",
    ]


def _openapi(index: int) -> list[str]:
    name = callback_name(index)
    return [
        f".. callback-table:: {name}",
        f"   :caption: {caption_of(index)}",
        "   :source: spec.yaml",
        f"   :webhook: {name}",
    ]


_TABLE_WRITERS = {
    "list-table": _list_table,
    "inline": _inline,
    "fieldlist": _fieldlist,
    "openapi": _openapi,
    "floor": None,
}


def page_name(page: int) -> str:
    return f"page-{page:04d}"


def pages(count: int, per_page: int = TABLES_PER_PAGE) -> Iterator[tuple[int, range]]:
    """``(page number, table indexes)`` for *count* tables, *per_page* to a page."""
    for page, start in enumerate(range(1, count + 1, per_page), start=1):
        yield page, range(start, min(start + per_page, count + 1))


def page_text(variant: str, page: int, indexes: range) -> str:
    writer = _TABLE_WRITERS[variant]
    title = f"Callbacks {indexes[0]} to {indexes[-1]}"
    lines = [
        title,
        "=" * len(title),
        "",
        "These callbacks report what happened to the messages your service sent. Each "
        "table lists the fields of one JSON payload.",
        "",
    ]
    for index in indexes:
        heading = callback_name(index)
        lines += [heading, "-" * len(heading), "", prose_of(index), ""]
        if writer is not None:
            lines += [*writer(index), ""]
    return "\n".join(lines)


# -- shared sources ------------------------------------------------------------


def fieldlist_data(count: int) -> dict[str, Any]:
    """The field-list file (docs/sources.rst) for *count* tables."""
    callbacks: dict[str, Any] = {}
    for index in range(1, count + 1):
        fields = []
        for spec in fields_of(index):
            item: dict[str, Any] = {"key": spec.key, "description": rst_text(spec.description)}
            if spec.display:
                item["format"] = spec.display
            item["type"] = spec.kind
            if spec.enum:
                item["enum"] = list(spec.enum)
            elif spec.example is not None:
                item["example"] = spec.example
            if spec.required:
                item["required"] = True
            if spec.nullable:
                item["nullable"] = True
            fields.append(item)
        callbacks[callback_name(index)] = {"caption": caption_of(index), "fields": fields}
    return {"callbacks": callbacks}


def openapi_data(count: int) -> dict[str, Any]:
    """An OpenAPI 3.1 document with *count* webhooks, one per table."""
    webhooks: dict[str, Any] = {}
    for index in range(1, count + 1):
        properties: dict[str, Any] = {}
        required = []
        for spec in fields_of(index):
            prop: dict[str, Any] = {
                "type": [spec.kind, "null"] if spec.nullable else spec.kind,
                "description": markdown_text(spec.description),
            }
            if spec.json_format:
                prop["format"] = spec.json_format
            if spec.enum:
                prop["enum"] = list(spec.enum)
            elif spec.example is not None and not spec.display:
                prop["example"] = spec.example
            properties[spec.key] = prop
            if spec.required:
                required.append(spec.key)
        name = callback_name(index)
        webhooks[name] = {
            "post": {
                "operationId": f"receive-{name}",
                "summary": caption_of(index),
                "description": prose_of(index),
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": required,
                                "properties": properties,
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "The callback was received."}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic Notify callbacks", "version": "1.0.0"},
        "webhooks": webhooks,
    }


_PLAIN_KEY = re.compile(r"[A-Za-z_][\w-]*\Z")


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block-style YAML for JSON-like data (strings double-quoted): enough for these files."""
    return "\n".join(_yaml_lines(value, indent)) + "\n"


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(str(value))


def _key(key: Any) -> str:
    text = str(key)
    return (
        text
        if _PLAIN_KEY.match(text) and text not in ("null", "true", "false")
        else (json.dumps(text))
    )


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{_key(key)}:")
                lines.extend(_yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}{_key(key)}: {_empty(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                inner = _yaml_lines(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-")
                lines.extend(_yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}- {_empty(item)}")
    else:
        lines.append(pad + _scalar(value))
    return lines


def _empty(item: Any) -> str:
    if isinstance(item, dict):
        return "{}"
    if isinstance(item, list):
        return "[]"
    return _scalar(item)


# -- the catalogue ----------------------------------------------------------------


def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(GITHUB.read_text(encoding="utf-8"))
    return spec


def catalogue_events(count: int | None = None) -> list[str]:
    """The first *count* of GitHub's webhooks (all when ``None``), by name: ``issues-opened``."""
    names = sorted(_spec()["webhooks"])
    return names if count is None else names[:count]


def event_name(event: str) -> str:
    """The callback name of *event* (the webhook's key)."""
    return event


# Characters that start inline markup (roles, literals, emphasis, references,
# substitutions, standalone links and e-mail addresses), and what starts a block at the
# front of a paragraph (lists, enumerators, quotes, comments, field lists).
_RST_INLINE = re.compile(r"([\\`*_|:@<>\[\]])")
_RST_BLOCK = re.compile(r"[-+*>|#=<`~.:(]|\d+[.)]|[a-zA-Z][.)]|[ivxlcdmIVXLCDM]+[.)]")
_PARAGRAPHS = re.compile(r"\n\s*\n")


def rst_escape(text: str) -> str:
    """reST for *text* shown as it is: the plain text a JSON Schema description is."""
    text = _RST_INLINE.sub(r"\\\1", text)
    return "\\" + text if _RST_BLOCK.match(text) else text


def rst_literal(text: str) -> str:
    """``text`` as an inline literal, or as escaped text where no literal can hold it."""
    if text and text.strip() == text and "``" not in text and not re.match(r"`|.*`$", text):
        return f"``{text}``"
    return rst_escape(text)


def _paragraphs(text: str) -> list[str]:
    """Markdown text as escaped reST paragraphs: what it says, without its markup."""
    return [
        rst_escape(" ".join(block.split()))
        for block in _PARAGRAPHS.split(text.strip())
        if block.strip()
    ]


def catalogue_table(event: str, cache: Any, part: str = "body") -> tuple[str | None, list[Any]]:
    """The caption and fields ``callback-table`` shows of *event*'s body (or headers)."""
    from sphinxext_callbacks.readers.sources import SourceRequest, read_source

    result = read_source(
        SourceRequest(path=str(GITHUB), srcdir=str(GITHUB.parent), webhook=event, part=part),
        cache,
    )
    if result.callback is None:
        raise ValueError(f"{event}: {[p.message for p in result.problems]}")
    return result.callback.caption, result.callback.fields


def _description_rst(field: Any) -> list[str]:
    """The paragraphs of a Description cell, as ``render/table.py`` composes them (the
    Markdown of a spec shown as its text)."""
    if field.enum_descriptions:
        raise ValueError(f"{field.origin}: the catalogue writes plain descriptions only")
    paragraphs = _paragraphs(field.description)
    if field.deprecated:
        note = "**Deprecated**"
        paragraphs.append(
            f"{note}: {field.deprecated}" if isinstance(field.deprecated, str) else note
        )
    if field.since:
        paragraphs.append(f"*{rst_escape(f'New in version {field.since}.')}*")
    return paragraphs


def _format_rst(field: Any) -> str:
    """The Format cell, as ``render/table.py``'s ``format_cell`` composes it."""
    from sphinxext_callbacks.model.fields import MISSING
    from sphinxext_callbacks.model.formats import format_name, value_text

    text: str
    if field.format is not None:
        text = field.format  # display text is inline markup already
    elif field.enum:
        text = " | ".join(rst_literal(value_text(value)) for value in field.enum)
    elif field.example is not MISSING:
        text = rst_literal(value_text(field.example))
    elif field.json_format:
        text = rst_escape(format_name(field.json_format))
    else:
        from sphinxext_callbacks.render.table import types_text

        text = rst_escape(types_text(field.types) if field.types else "")
    if field.nullable and not (field.format or "").rstrip().endswith("or null"):
        text = f"{text} or null" if text else "or null"
    return text


def _cell(paragraphs: list[str]) -> list[str]:
    if not paragraphs:
        return ["     -"]
    lines = [f"     - {paragraphs[0]}"]
    for paragraph in paragraphs[1:]:
        lines += ["", f"       {paragraph}"]
    return lines


def _list_table(fields: list[Any], name: str) -> list[str]:
    from sphinxext_callbacks.render.table import group_rows

    lines = [
        f".. list-table:: {rst_escape(name)}",
        "   :header-rows: 1",
        "   :stub-columns: 1",
        "",
        "   * - Key",
        "     - Description",
        "     - Format",
    ]
    previous: tuple[Any, ...] = ()
    for field in fields:
        # The label rows of oneOf/anyOf alternatives, as plain text in the key cell: a
        # list-table cannot span its columns.
        for row in group_rows(previous, field.alternatives, 3):
            lines += [f"   * - {rst_escape(' '.join(row.astext().split()))}", "     -", "     -"]
        previous = field.alternatives
        lines.append(f"   * - {rst_literal(field.key)}")
        lines += _cell(_description_rst(field))
        lines += _cell([text] if (text := _format_rst(field)) else [])
    return lines


def _example_json(event: str, cache: Any) -> str | None:
    """The example ``callback-request`` shows: the spec's own, else one made from the schema
    (``None``: the schema allows no payload, and no example is shown)."""
    from sphinxext_callbacks.model.examples import try_example
    from sphinxext_callbacks.readers.sources import SourceRequest, read_source

    result = read_source(
        SourceRequest(path=str(GITHUB), srcdir=str(GITHUB.parent), webhook=event), cache
    )
    assert result.callback is not None
    callback = result.callback
    if callback.examples:
        return json.dumps(callback.examples[0].value, indent=2, ensure_ascii=False)
    value, why = try_example(callback.schema or {})
    return None if why is not None else json.dumps(value, indent=2, ensure_ascii=False)


def _catalogue_list_table_page(event: str, spec: dict[str, Any], cache: Any) -> str:
    """A page with what ``callback-request`` shows, written out by hand."""
    op = spec["webhooks"][event]["post"]
    lines = [rst_escape(event), "=" * (2 * len(event)), "", ".. rubric:: Description", ""]
    for text in (op.get("summary", ""), op.get("description", "")):
        for paragraph in _paragraphs(text):
            lines += [paragraph, ""]
    lines += [".. rubric:: Request", "", "``POST``", "", ".. rubric:: Headers", ""]
    lines += [*_list_table(catalogue_table(event, cache, "headers")[1], "Headers"), ""]
    lines += [".. rubric:: Body", "", *_list_table(catalogue_table(event, cache)[1], event), ""]
    example = _example_json(event, cache)
    if example is not None:
        indented = example.replace("\n", "\n   ")
        lines += [".. rubric:: Example", "", ".. code-block:: json", "", f"   {indented}", ""]
    lines += [".. rubric:: Responses", ""]
    for code, response in op.get("responses", {}).items():
        lines += [
            f"``{code}``",
            *(f"   {p}" for p in _paragraphs(response.get("description", ""))),
            "",
        ]
    return "\n".join(lines)


def _catalogue_overview(events: list[str], spec: dict[str, Any]) -> list[str]:
    """The overview ``callback-catalogue`` shows, written out as list-tables."""
    groups: dict[str, list[str]] = {}
    for event in events:
        op = spec["webhooks"][event]["post"]
        groups.setdefault(op.get("x-github", {}).get("subcategory", ""), []).append(event)
    tags = [tag["name"] for tag in spec.get("tags", [])]
    lines: list[str] = []
    for group in sorted(
        groups, key=lambda g: (g == "", tags.index(g) if g in tags else len(tags), g)
    ):
        lines += [
            f".. list-table:: {rst_escape(group)}",
            "   :header-rows: 1",
            "",
            "   * - Callback",
            "     - Summary",
        ]
        for event in groups[group]:
            summary = spec["webhooks"][event]["post"].get("summary", "")
            first = _paragraphs(summary)[:1]
            lines += [f"   * - :doc:`webhooks/{event}`", *_cell(first)]
        lines.append("")
    lines += [".. toctree::", "   :hidden:", "", *(f"   webhooks/{event}" for event in events), ""]
    return lines


def _write_catalogue(variant: str, count: int, srcdir: Path) -> list[str]:
    """Write the catalogue's index (and, for the baseline, one page per webhook); return
    the overview's lines."""
    events = catalogue_events(count)
    spec = _spec()
    if variant == "catalogue":
        (srcdir / "specs").mkdir()
        shutil.copy(GITHUB, srcdir / SHARED_FILES["catalogue"])
        lines = [
            ".. callback-catalogue::",
            f"   :source: {SHARED_FILES['catalogue']}",
            "   :toctree: webhooks",
            "   :group-by: /x-github/subcategory",
        ]
        if len(events) < len(spec["webhooks"]):
            lines.append(f"   :include: {', '.join(events)}")
        return [*lines, ""]
    from sphinxext_callbacks.readers.files import FileCache

    cache = FileCache()
    (srcdir / "webhooks").mkdir()
    for event in events:
        text = _catalogue_list_table_page(event, spec, cache)
        (srcdir / "webhooks" / f"{event}.rst").write_text(text, encoding="utf-8")
    return _catalogue_overview(events, spec)


# -- projects ----------------------------------------------------------------------

_CONF = '''"""Benchmark project ({variant}, {count} tables), generated by bench/projects.py."""

project = "callbacks bench ({variant}, {count} tables)"
extensions = {extensions!r}
exclude_patterns = ["_build"]
html_theme = "alabaster"
'''


def shared_file_text(variant: str, count: int) -> str | None:
    """The text of the variant's shared source file, if it has one."""
    if variant == "fieldlist":
        return to_yaml(fieldlist_data(count))
    if variant == "openapi":
        return to_yaml(openapi_data(count))
    return None


def generate(variant: str, count: int, srcdir: Path, per_page: int = TABLES_PER_PAGE) -> Path:
    """Write the project of *variant* into *srcdir* (made afresh).

    *count* is the number of tables, or of events for the catalogue pair (one a page).
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
    srcdir = Path(srcdir)
    if srcdir.exists():
        shutil.rmtree(srcdir)
    srcdir.mkdir(parents=True)
    extensions = [] if variant in ("list-table", "floor", CATALOGUE[0]) else ["sphinxext_callbacks"]
    conf = _CONF.format(variant=variant, count=count, extensions=extensions)
    if variant == "catalogue":
        # Some of GitHub's examples are strings of several lines (a code of conduct): a
        # Format cell shows their line breaks as symbols, and says so in a warning, which
        # would make every build of the catalogue count as failed.
        # Two of them (repository-advisory-published, -reported) give an author `type:
        # ["null"]` and `allOf: [simple-user]`: no payload is valid, so no example is shown,
        # with a warning.
        conf += 'suppress_warnings = ["callbacks.markup", "callbacks.example"]\n'
    (srcdir / "conf.py").write_text(conf, encoding="utf-8")
    body: list[str] = []
    if variant in CATALOGUE:
        names = []
        body = _write_catalogue(variant, count, srcdir)
        what = f"{len(catalogue_events(count))} of GitHub's webhooks, one to a page ({variant})."
    else:
        names = []
        for page, indexes in pages(count, per_page):
            name = page_name(page)
            names.append(name)
            text = page_text(variant, page, indexes)
            (srcdir / f"{name}.rst").write_text(text, encoding="utf-8")
        what = f"{count} synthetic callback tables, {per_page} to a page ({variant})."
    index = [
        "Callback reference",
        "==================",
        "",
        what,
        "",
        *body,
    ]
    if names:
        index += [".. toctree::", "   :maxdepth: 1", "", *(f"   {name}" for name in names), ""]
    (srcdir / "index.rst").write_text("\n".join(index), encoding="utf-8")
    shared = shared_file_text(variant, count)
    if shared is not None:
        (srcdir / SHARED_FILES[variant]).write_text(shared, encoding="utf-8")
    return srcdir


def edit_shared_file(variant: str, count: int, srcdir: Path, index: int, edition: int) -> bool:
    """Change the description of one field of table *index* in the shared file.

    For the catalogue, the description of one webhook (the middle one of the first
    *count*): its page only shows it. *edition* alternates the wording, so repeated edits
    each change something. Returns False when the variant has no shared file.
    """
    name = SHARED_FILES.get(variant)
    if name is None:
        return False
    note = f" (edition {edition})"
    if variant == "catalogue":
        spec = _spec()
        events = catalogue_events(count)
        op = spec["webhooks"][events[len(events) // 2]]["post"]
        op["description"] = op.get("description", "") + note
        (Path(srcdir) / name).write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        return True
    data = fieldlist_data(count) if variant == "fieldlist" else openapi_data(count)
    if variant == "fieldlist":
        fields = data["callbacks"][callback_name(index)]["fields"]
        fields[3]["description"] += note
    else:
        schema = data["webhooks"][callback_name(index)]["post"]["requestBody"]["content"][
            "application/json"
        ]["schema"]
        schema["properties"]["status"]["description"] += note
    (Path(srcdir) / name).write_text(to_yaml(data), encoding="utf-8")
    return True


def expected_tables(variant: str, count: int) -> int:
    if variant in CATALOGUE:
        return len(catalogue_events(count))
    return 0 if variant == "floor" else count
