"""Generate the synthetic Sphinx projects that ``bench/run.py`` builds.

Every variant holds the same N eight-field callback tables (Notify-like delivery
receipts: a UUID, example strings, enums, timestamps, one-sentence descriptions, some
with inline literals), spread over the same pages, so that only the way the tables
are written differs:

``list-table``  hand-written ``list-table`` with a header row and a stub column (baseline)
``inline``      ``callback-table`` with an inline body
``fieldlist``   ``callback-table`` reading one field-list YAML file for all N tables
``openapi``     ``callback-table`` reading one OpenAPI 3.1 file holding all N webhooks
``floor``       the same pages with no tables at all (what Sphinx costs by itself)

Standard library only, so that the bench runs from a clean clone.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Variant names, in the order the bench runs and prints them.
VARIANTS = ("list-table", "inline", "fieldlist", "openapi", "floor")
#: The one-letter names of the issue: (a) to (e).
LETTERS = dict(zip("abcde", VARIANTS, strict=True))
#: Variants whose tables come from a shared file, and that file.
SHARED_FILES = {"fieldlist": "fields.yaml", "openapi": "spec.yaml"}

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
    """The field-list file (DESIGN section 2) for *count* tables."""
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
    """Write the project of *variant* with *count* tables into *srcdir* (made afresh)."""
    if variant not in _TABLE_WRITERS:
        raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
    srcdir = Path(srcdir)
    if srcdir.exists():
        for path in sorted(srcdir.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    srcdir.mkdir(parents=True, exist_ok=True)
    extensions = [] if variant in ("list-table", "floor") else ["sphinxext_callbacks"]
    (srcdir / "conf.py").write_text(
        _CONF.format(variant=variant, count=count, extensions=extensions), encoding="utf-8"
    )
    names = []
    for page, indexes in pages(count, per_page):
        name = page_name(page)
        names.append(name)
        (srcdir / f"{name}.rst").write_text(page_text(variant, page, indexes), encoding="utf-8")
    index = [
        "Callback reference",
        "==================",
        "",
        f"{count} synthetic callback tables, {per_page} to a page ({variant}).",
        "",
        ".. toctree::",
        "   :maxdepth: 1",
        "",
        *(f"   {name}" for name in names),
        "",
    ]
    (srcdir / "index.rst").write_text("\n".join(index), encoding="utf-8")
    shared = shared_file_text(variant, count)
    if shared is not None:
        (srcdir / SHARED_FILES[variant]).write_text(shared, encoding="utf-8")
    return srcdir


def edit_shared_file(variant: str, count: int, srcdir: Path, index: int, edition: int) -> bool:
    """Change the description of one field of table *index* in the shared file.

    *edition* alternates the wording, so repeated edits each change something. Returns
    False when the variant has no shared file.
    """
    name = SHARED_FILES.get(variant)
    if name is None:
        return False
    data = fieldlist_data(count) if variant == "fieldlist" else openapi_data(count)
    note = f" (edition {edition})"
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
    return 0 if variant == "floor" else count
