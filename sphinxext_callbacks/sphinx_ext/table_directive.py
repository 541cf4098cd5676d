"""The ``callback-table`` directive: options in, one field list, one table out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StateMachine
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec

from sphinxext_callbacks.model.fields import MISSING, Callback, Field, Markup, select_fields
from sphinxext_callbacks.model.json_schema import fields_schema
from sphinxext_callbacks.model.problems import WARNING_TYPE, Problem, did_you_mean
from sphinxext_callbacks.readers.inline import Entry, parse_body
from sphinxext_callbacks.readers.sources import SourceRequest
from sphinxext_callbacks.render.markup import DirectiveCellParser, defuse_raw
from sphinxext_callbacks.render.table import (
    COLUMNS,
    DEFAULT_COLUMNS,
    ENGLISH_HEADINGS,
    TableSpec,
    default_heading,
    null_text,
    render_table,
    translate_note,
)
from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain, make_index_node
from sphinxext_callbacks.sphinx_ext.options import ReportingOptionSpec, check_options, text
from sphinxext_callbacks.sphinx_ext.paths import relfn2path
from sphinxext_callbacks.sphinx_ext.tracking import file_cache, note_reading, read_remembered

logger = logging.getLogger(__name__)


class CallbackTableDirective(SphinxDirective):
    """Show the fields of one callback message as a Key / Description / Format table."""

    has_content = True
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = False
    # Every option is text, checked in run(), so that a bad value or an unknown name is a
    # located callbacks.option warning instead of a docutils error.
    option_spec: ClassVar[OptionSpec] = ReportingOptionSpec.fromkeys(
        (
            "caption",
            "hide-caption",
            "headings",
            "hide-headings",
            "columns",
            "source",
            "webhook",
            "callback",
            "message",
            "part",
            "include",
            "exclude",
            "depth",
            "widths",
            "width",
            "align",
            "class",
            "name",
        ),
        text,
    )

    def run(self) -> list[nodes.Node]:
        try:
            return self._run()
        except Exception as error:
            # Bad input is reported where it is found; reaching this is a bug in the
            # extension. The author still gets a located warning and the rest of the page.
            logger.warning(
                "internal error in callback-table (%s: %s); please report it at "
                "https://github.com/sphinxext-callbacks/sphinxext-callbacks/issues",
                type(error).__name__,
                error,
                location=self.get_location(),
                type=WARNING_TYPE,
                subtype="internal",
            )
            return []

    def _run(self) -> list[nodes.Node]:
        self._location = self.get_location()
        self._reported = False
        check_options(
            self.options,
            cast("ReportingOptionSpec", self.option_spec),
            ("hide-caption", "hide-headings"),
            "callback-table",
            self._location,
        )
        name = self.arguments[0] if self.arguments else None
        self._depth_limit = self._depth()
        callback = self._read_fields()
        spec = self._table_spec(callback)
        fields = self._select(callback.fields)
        if not fields:
            if not self._reported:
                self._warn(
                    "field", "the table has no fields; add entries to its body or a :source:"
                )
            return []
        row_ids = self._row_ids(name, fields)
        cells = DirectiveCellParser(self, self._description_lines, self._markup_of)
        table = render_table(fields, spec, cells, row_ids)
        self.set_source_info(table)
        for title in table.children[:1]:
            if not isinstance(title, nodes.title):
                continue
            self.set_source_info(title)
            if not self.options.get("caption"):
                # The caption came from the data file: no HTML of its own, as descriptions.
                defuse_raw([title])
        result: list[nodes.Node] = [table]
        if name:
            anchor = nodes.make_id(f"callback-{name}")
            table["ids"].append(anchor)
            table["callbacks-name"] = name
            caption = table[0] if isinstance(table[0], nodes.title) else None
            domain = cast("CallbackDomain", self.env.get_domain("callback"))
            domain.note_table(
                name,
                docname=self.env.docname,
                anchor=anchor,
                caption=caption.astext() if caption is not None else None,
                fields=fields,
                row_anchors=row_ids,
                location=self.get_location(),
                schema=callback.schema or fields_schema(callback.fields),
                examples=callback.examples,
            )
            result.insert(0, make_index_node(name, [f.key for f in fields], row_ids, anchor))
        self.add_name(table)
        for note in map(translate_note, callback.notes):
            paragraph = nodes.paragraph(note, note, classes=["callbacks-note"])
            self.set_source_info(paragraph)
            result.append(paragraph)
        return result

    # -- reading ---------------------------------------------------------

    def _read_fields(self) -> Callback:
        self._description_lines: dict[str, int] = {}
        entries, problems = parse_body(list(self.content))
        self._report(problems)
        callback = Callback()
        if self.options.get("source"):
            callback = self._read_source()
        inline = [self._remember(entry) for entry in entries]
        callback.fields = merge_fields(callback.fields, inline)
        return callback

    def _remember(self, entry: Entry) -> Field:
        self._description_lines[entry.field.key] = entry.description_line
        return entry.field

    def _read_source(self) -> Callback:

        cache = file_cache()
        request = source_request(self, self._depth_limit)
        if isinstance(request, str):
            self._warn("option", request)
            return Callback()
        result = read_remembered(self.env, request, cache)
        # Not env.note_dependency(): a touched spec would rebuild every page that
        # reads it. tracking re-reads the request and rebuilds only changed tables.
        include, exclude = self._include_exclude()
        # A named table's schema is published: a change to it concerns the page.
        named = bool(self.arguments)
        note_reading(self.env, request, result, cache, include, exclude, payload=named)
        self._report(result.problems)
        return result.callback or Callback()

    def _markup_of(self, field: Field) -> Markup:
        override = self.config.callbacks_description_markup
        if field.origin is not None and override != "auto":
            return override  # type: ignore[no-any-return]
        return field.markup

    # -- options ---------------------------------------------------------

    def _depth(self) -> int | None:
        value = self.options.get("depth")
        if not value:
            return None
        try:
            depth = directives.nonnegative_int(value)
        except ValueError:
            self._warn("option", f":depth: must be a whole number of 0 or more, not {value!r}")
            return None
        return depth

    def _table_spec(self, callback: Callback) -> TableSpec:
        columns = self._columns()
        return TableSpec(
            columns=columns,
            headings=self._headings(columns),
            caption=self.options.get("caption") or callback.caption or None,
            hide_caption="hide-caption" in self.options,
            hide_headings="hide-headings" in self.options,
            widths=self._widths(len(columns)),
            width=self._converted("width", directives.length_or_percentage_or_unitless),
            align=self._converted("align", _align),
            classes=self._converted("class", directives.class_option) or [],
            null_text=null_text(self.config.callbacks_null_text),
            enum_separator=self.config.callbacks_enum_separator,
        )

    def _columns(self) -> tuple[str, ...]:
        value = self.options.get("columns")
        if not value:
            return DEFAULT_COLUMNS
        columns: list[str] = []
        for column in _split_list(value):
            if column not in COLUMNS:
                self._warn(
                    "option",
                    f"unknown column {column!r} in :columns:{did_you_mean(column, COLUMNS)} "
                    f"(choose from {', '.join(COLUMNS)})",
                )
            elif column in columns:
                self._warn("option", f"column {column!r} is listed twice in :columns:")
            else:
                columns.append(column)
        return tuple(columns) or DEFAULT_COLUMNS

    def _headings(self, columns: Sequence[str]) -> tuple[str, ...]:
        configured = tuple(self.config.callbacks_headings)
        if configured == ENGLISH_HEADINGS:
            configured = ()  # left at its default: headings in the page's language
        by_column = dict(zip(DEFAULT_COLUMNS, configured, strict=False))
        defaults = tuple(by_column.get(c) or default_heading(c) for c in columns)
        value = self.options.get("headings")
        if not value:
            return defaults
        headings = tuple(_split_list(value))
        if len(headings) != len(columns):
            self._warn(
                "option",
                f":headings: gives {len(headings)} headings for {len(columns)} columns "
                f"({', '.join(columns)}); give one heading per column",
            )
            return defaults
        return headings

    def _widths(self, count: int) -> str | list[int] | None:
        value = self.options.get("widths")
        if not value:
            return None
        if value in ("auto", "grid"):
            return str(value)
        try:
            widths: list[int] = directives.positive_int_list(value)
        except ValueError:
            self._warn(
                "option",
                f":widths: must be 'auto', 'grid' or {count} positive whole numbers, not {value!r}",
            )
            return None
        if len(widths) != count:
            self._warn(
                "option", f":widths: gives {len(widths)} widths for {count} columns; give {count}"
            )
            return None
        return widths

    def _converted(self, option: str, converter: Any) -> Any:
        value = self.options.get(option)
        if not value:
            return None
        try:
            return converter(value)
        except ValueError as error:
            reason = " ".join(str(error).split())  # docutils 0.20 spreads it over lines
            self._warn("option", f"bad :{option}: value {value!r}: {reason}")
            return None

    def _select(self, fields: list[Field]) -> list[Field]:
        include, exclude = self._include_exclude()
        keys = {field.key for field in fields}
        for key in [*include, *exclude]:
            if key not in keys:
                self._warn(
                    "option", f"no field has the key {key!r}{did_you_mean(key, sorted(keys))}"
                )
        return select_fields(fields, include, exclude, self._depth_limit)

    def _include_exclude(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        include = tuple(_split_list(self.options.get("include", "")))
        exclude = tuple(_split_list(self.options.get("exclude", "")))
        return include, exclude

    # -- anchors ---------------------------------------------------------

    def _row_ids(self, name: str | None, fields: Sequence[Field]) -> dict[str, str]:
        if name:
            base = f"callback-{name}"
        elif self.options.get("name"):
            base = f"callback-{self.options['name']}"
        else:
            base = f"callback-table-{self.env.new_serialno('callbacks-table')}"
        taken = set(self.state.document.ids)
        row_ids: dict[str, str] = {}
        for field in fields:
            anchor = nodes.make_id(f"{base}-{field.key}")
            candidate, suffix = anchor, 1
            while candidate in taken:
                suffix += 1
                candidate = f"{anchor}-{suffix}"
            taken.add(candidate)
            row_ids[field.key] = candidate
        return row_ids

    # -- warnings --------------------------------------------------------

    def _report(self, problems: Sequence[Problem]) -> None:
        for problem in problems:
            self._reported = True
            location: Any = self._location
            if problem.line is not None and problem.line < len(self.content):
                source, offset = self.content.info(problem.line)
                if not isinstance(self.state_machine, StateMachine):
                    # MyST numbers the body's lines from 0, and its content_offset counts
                    # from the directive's first line (as callback-example knows too).
                    offset = self.lineno + self.content_offset + problem.line
                location = f"{source}:{(offset or 0) + 1}"
            logger.warning(
                problem.message, location=location, type=WARNING_TYPE, subtype=problem.subtype
            )

    def _warn(self, subtype: str, message: str) -> None:
        self._report([Problem(subtype, message)])


def merge_fields(base: Sequence[Field], inline: Sequence[Field]) -> list[Field]:
    """Inline entries override the source's field of the same key, or are added after."""
    by_key = {field.key: field for field in inline}
    merged = [
        _override(field, by_key.pop(field.key)) if field.key in by_key else field for field in base
    ]
    merged.extend(field for field in inline if field.key in by_key)
    return merged


def _override(base: Field, inline: Field) -> Field:
    changes: dict[str, Any] = {
        "line": inline.line,
        "origin": None if inline.description else base.origin,
    }
    if inline.description:
        changes["description"] = inline.description
        changes["markup"] = inline.markup
    for name in ("format", "type", "since"):
        if getattr(inline, name) is not None:
            changes[name] = getattr(inline, name)
    for name in ("required", "nullable", "deprecated"):
        if getattr(inline, name):
            changes[name] = getattr(inline, name)
    for name in ("example", "default"):
        if getattr(inline, name) is not MISSING:
            changes[name] = getattr(inline, name)
    return replace(base, **changes)


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _align(value: str) -> str:
    return directives.choice(value, ("left", "center", "right"))


def source_request(directive: SphinxDirective, depth: int | None = None) -> SourceRequest | str:
    """What ``:source:`` and its friends ask for, or why the options make no sense."""
    options = directive.options
    path, _, pointer = options["source"].partition("#")
    _rel, absolute = relfn2path(directive.env, path.strip(), directive.env.docname)
    callback: tuple[str | None, str] | None = None
    if options.get("callback"):
        parts = options["callback"].split()
        if len(parts) > 2:
            # Guessing which words are meant would give a second, confusing warning.
            return ":callback: takes OPERATION_ID NAME, or NAME alone"
        callback = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    config = directive.config
    return SourceRequest(
        path=absolute,
        pointer=pointer,
        srcdir=str(directive.env.srcdir),
        allowed_paths=tuple(config.callbacks_allowed_paths),
        webhook=options.get("webhook") or None,
        callback=callback,
        message=options.get("message") or None,
        part=options.get("part") or "body",
        depth=depth,
        language=config.language or "en",
        default_language=config.callbacks_default_language,
    )
