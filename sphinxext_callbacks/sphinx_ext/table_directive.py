"""The ``callback-table`` directive: options in, one field list, one table out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.typing import OptionSpec

from sphinxext_callbacks.model.facts import FormatMarkup, with_format_facts
from sphinxext_callbacks.model.fields import (
    CONSTRAINTS,
    MISSING,
    Callback,
    Field,
    Markup,
    Origin,
    select_fields,
)
from sphinxext_callbacks.model.formats import value_text
from sphinxext_callbacks.model.json_schema import fields_schema, value_schema
from sphinxext_callbacks.model.paths import (
    Path,
    PathError,
    anchor_text,
    format_path,
    parse_path,
    split_keys,
)
from sphinxext_callbacks.model.problems import Problem, did_you_mean
from sphinxext_callbacks.readers.inline import Entry, parse_body
from sphinxext_callbacks.render.gate import Gate, clean_callback
from sphinxext_callbacks.render.markup import DirectiveCellParser, document_markup
from sphinxext_callbacks.render.table import (
    COLUMNS,
    DEFAULT_COLUMNS,
    ENGLISH_HEADINGS,
    TableSpec,
    default_heading,
    deprecated_label,
    null_text,
    render_table,
    translate_note,
)
from sphinxext_callbacks.sphinx_ext.base import CallbacksDirective
from sphinxext_callbacks.sphinx_ext.build_cache import file_cache
from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain, make_index_node
from sphinxext_callbacks.sphinx_ext.options import ReportingOptionSpec, check_options, text
from sphinxext_callbacks.sphinx_ext.tracking import note_reading, read_remembered

#: The options that select a callback in a source.
SELECTING = ("source", "webhook", "callback", "message")
#: The options that shape any table, whatever its rows (``callback-request`` passes them on).
SHAPING = (
    "caption",
    "hide-caption",
    "headings",
    "hide-headings",
    "columns",
    "include",
    "exclude",
    "depth",
    "widths",
    "width",
    "align",
    "class",
    "no-index",
    "no-index-entry",
)


class CallbackTableDirective(CallbacksDirective):
    """Show the fields of one callback message as a Key / Description / Format table."""

    has_content = True
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = False
    # Every option is text, checked in run(), so that a bad value or an unknown name is a
    # located callbacks.option warning instead of a docutils error.
    option_spec: ClassVar[OptionSpec] = ReportingOptionSpec.fromkeys(
        (*SELECTING, "part", *SHAPING, "fold", "name", "show-description"), text
    )

    def _run(self) -> list[nodes.Node]:
        self._reported = False
        check_options(
            self.options,
            cast("ReportingOptionSpec", self.option_spec),
            ("hide-caption", "hide-headings", "no-index", "no-index-entry", "show-description"),
            "callback-table",
            self.get_location(),
        )
        name = self.arguments[0] if self.arguments else None
        self._depth_limit = self._depth()
        self._include, self._exclude = self._key_option("include"), self._key_option("exclude")
        callback = self._read_fields()
        spec = self._table_spec(callback)
        fields = self._select(callback.fields)
        if not fields:
            if not self._reported:
                self.warn("field", "the table has no fields; add entries to its body or a :source:")
            return []
        # The table's own id first: a key that makes no id of its own (``\"``) would take it.
        anchor = self._unique_id(nodes.make_id(f"callback-{name}")) if name else ""
        row_ids = self._row_ids(name, fields)
        # A link to a key lands on its first row; later rows keep anchors of their own.
        first_rows: dict[str, str] = {}
        for field, row_id in zip(fields, row_ids, strict=True):
            first_rows.setdefault(field.key, row_id)
        cells = DirectiveCellParser(self, self._description_lines, self._markup_of)
        table = render_table(fields, spec, cells, row_ids)
        self.set_source_info(table)
        for title in table.children[:1]:
            if not isinstance(title, nodes.title):
                continue
            self.set_source_info(title)
        result: list[nodes.Node] = [*self._own_words(callback), table]
        if name:
            table["ids"].append(anchor)
            table["callbacks-name"] = name
        if name and "no-index" not in self.options:
            caption = table[0] if isinstance(table[0], nodes.title) else None
            domain = cast("CallbackDomain", self.env.get_domain("callback"))
            domain.note_table(
                name,
                docname=self.env.docname,
                anchor=anchor,
                caption=caption.astext() if caption is not None else None,
                fields=fields,
                row_anchors=first_rows,
                location=self.get_location(),
                schema=callback.schema or fields_schema(callback.fields),
                examples=callback.examples,
            )
            if "no-index-entry" not in self.options:
                keys = [f.key for f in fields] if self.config.callbacks_index_fields else []
                keys = list(dict.fromkeys(keys))
                result.insert(0, make_index_node(name, keys, first_rows, anchor))
        self.add_name(table)
        for note in map(translate_note, callback.notes):
            paragraph = nodes.paragraph(note, note, classes=["callbacks-note"])
            self.set_source_info(paragraph)
            result.append(paragraph)
        return result

    def _own_words(self, callback: Callback) -> list[nodes.Node]:
        """What goes above the table: a deprecation note for a deprecated webhook, callback
        or message, and with ``:show-description:`` its own description (through the gate:
        it is data-file text)."""
        shown: list[nodes.Node] = []
        if callback.deprecated:
            note = nodes.paragraph("", "", classes=["callbacks-deprecated"])
            note += nodes.strong("", deprecated_label())
            self.set_source_info(note)
            shown.append(note)
        if "show-description" in self.options and callback.description:
            origin = self.options.get("source", "").partition("#")[0]
            blocks = Gate(self, origin).blocks(callback.description, callback.description_markup)
            container = nodes.container("", *blocks, classes=["callbacks-description"])
            self.set_source_info(container)
            shown.append(container)
        return shown

    # -- reading ---------------------------------------------------------

    def _read_fields(self) -> Callback:
        self._description_lines: dict[str, int] = {}
        entries, problems = parse_body(list(self.content))
        self.report(problems)
        callback = Callback()
        if self.options.get("source"):
            callback = self._read_source()
        inline = [self._remember(entry) for entry in entries]
        callback.fields = merge_fields(
            callback.fields,
            inline,
            self.config.callbacks_enum_separator,
            null_text(self.config.callbacks_null_text),
            "markdown" if document_markup(self) == "markdown" else "rst",
        )
        # Explicit :example:s only: a literal in the format is the example by definition, and
        # a page of plain inline tables then never imports jsonschema.
        written = {
            entry.field.path: entry.field.line
            for entry in entries
            if entry.field.example is not MISSING
        }
        self.report(
            [
                problem
                for field in callback.fields
                if field.path in written
                for problem in example_problems(field, written[field.path])
            ]
        )
        return callback

    def _remember(self, entry: Entry) -> Field:
        self._description_lines[entry.field.key] = entry.description_line
        return entry.field

    def _read_source(self) -> Callback:
        cache = file_cache(self.env)
        request = self.source_request(self._depth_limit)
        if request is None:
            return Callback()
        if isinstance(request, str):
            self.warn("option", request)
            return Callback()
        result = read_remembered(self.env, request, cache)
        # Not env.note_dependency(): a touched spec would rebuild every page that
        # reads it. tracking re-reads the request and rebuilds only changed tables.
        # A named table's schema is published: a change to it concerns the page.
        named = bool(self.arguments)
        note_reading(self.env, request, result, cache, self._include, self._exclude, payload=named)
        self.report(result.problems)
        # A copy: the cached result stays as read, and warns again on the next read.
        callback = replace(result.callback) if result.callback else Callback()
        if self.options.get("caption"):
            callback.caption = None  # not shown: nothing to check in it
        for shown in clean_callback(callback):
            self.warn("markup", f"control characters in {shown!r} are shown as symbols")
        return callback

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
            self.warn("option", f":depth: must be a whole number of 0 or more, not {value!r}")
            return None
        return depth

    def _table_spec(self, callback: Callback) -> TableSpec:
        columns = self._columns()
        return TableSpec(
            columns=columns,
            headings=self._headings(columns),
            caption=self.options.get("caption") or callback.caption or None,
            caption_origin=(
                Origin(self.options["source"])
                if self.options.get("source") and not self.options.get("caption")
                else None
            ),
            hide_caption="hide-caption" in self.options,
            hide_headings="hide-headings" in self.options,
            widths=self._widths(len(columns)),
            width=self._converted("width", directives.length_or_percentage_or_unitless),
            align=self._converted("align", _align),
            classes=self._converted("class", directives.class_option) or [],
            null_text=null_text(self.config.callbacks_null_text),
            enum_separator=self.config.callbacks_enum_separator,
            fold_rows=self._fold(),
        )

    def _fold(self) -> int:
        value = self.options.get("fold")
        if not value:
            return int(self.config.callbacks_fold_rows)
        try:
            return directives.nonnegative_int(value)
        except ValueError:
            self.warn("option", f":fold: must be a whole number of 0 or more, not {value!r}")
            return int(self.config.callbacks_fold_rows)

    def _columns(self) -> tuple[str, ...]:
        value = self.options.get("columns")
        if not value:
            return DEFAULT_COLUMNS
        columns: list[str] = []
        for column in _split_list(value):
            if column not in COLUMNS:
                self.warn(
                    "option",
                    f"unknown column {column!r} in :columns:{did_you_mean(column, COLUMNS)} "
                    f"(choose from {', '.join(COLUMNS)})",
                )
            elif column in columns:
                self.warn("option", f"column {column!r} is listed twice in :columns:")
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
            self.warn(
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
            self.warn(
                "option",
                f":widths: must be 'auto', 'grid' or {count} positive whole numbers, not {value!r}",
            )
            return None
        if len(widths) != count:
            self.warn(
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
            self.warn("option", f"bad :{option}: value {value!r}: {reason}")
            return None

    def _select(self, fields: list[Field]) -> list[Field]:
        paths = {field.path for field in fields}
        for path in (*self._include, *self._exclude):
            if path not in paths:
                key = format_path(path)
                keys = sorted({field.key for field in fields})
                self.warn("option", f"no field has the key {key!r}{did_you_mean(key, keys)}")
        return select_fields(fields, self._include, self._exclude, self._depth_limit)

    def _key_option(self, option: str) -> tuple[Path, ...]:
        """The keys ``:include:`` or ``:exclude:`` lists, written as the table shows them."""
        paths: list[Path] = []
        for written in split_keys(self.options.get(option, "")):
            try:
                paths.append(parse_path(written))
            except PathError as error:
                self.warn("option", f"bad :{option}: key: {error}")
        return tuple(paths)

    # -- anchors ---------------------------------------------------------

    def _row_ids(self, name: str | None, fields: Sequence[Field]) -> list[str]:
        """One anchor a row, unique on the page and the same in every build: a key that
        several alternatives have keeps its plain anchor on its first row."""
        if name:
            base = f"callback-{name}"
        elif self.options.get("name"):
            base = f"callback-{self.options['name']}"
        else:
            base = f"callback-table-{self.env.new_serialno('callbacks-table')}"
        return [
            self._unique_id(nodes.make_id(f"{base}-{anchor_text(field.path)}")) for field in fields
        ]

    def _unique_id(self, anchor: str) -> str:
        """*anchor*, or *anchor* with a number after it when the page has it already (a key
        in several alternatives, a table shown twice with ``:no-index:``)."""
        # The rows are not in the document yet: ids they take are kept beside its own.
        taken = cast("set[str]", self.env.temp_data.setdefault("callbacks_ids", set()))
        candidate, suffix = anchor, 1
        while candidate in taken or candidate in self.state.document.ids:
            suffix += 1
            candidate = f"{anchor}-{suffix}"
        taken.add(candidate)
        return candidate

    # -- warnings --------------------------------------------------------

    def report(self, problems: Sequence[Problem]) -> None:
        self._reported = self._reported or bool(problems)
        super().report(problems)


def example_problems(field: Field, line: int | None) -> list[Problem]:
    """An inline entry's example that its own type, enum or format does not allow."""
    if field.example is MISSING or not (field.types or field.enum or field.json_format):
        return []
    # Here: jsonschema is imported only by a table whose entries give typed examples.
    from sphinxext_callbacks.model.examples import example_fault

    fault = example_fault(field.example, value_schema(field))
    if fault is None:
        return []
    return [
        Problem(
            "field",
            f"{field.key}: the example {value_text(field.example)!r} does not match the "
            f"field's type, enum or format: {fault}",
            line=line,
        )
    ]


def merge_fields(
    base: Sequence[Field],
    inline: Sequence[Field],
    enum_separator: str = " | ",
    null_text: str = "or null",
    markup: FormatMarkup = "rst",
) -> list[Field]:
    """Inline entries override the source's field of the same key, or are added after.

    An entry's format is read for the facts it states with the page's enum
    separator and null text.
    """
    # An override's literals are read as the source's type has them (``3`` of an integer).
    types = {field.path: field.types for field in base if field.types}
    by_path = {
        field.path: with_format_facts(
            field
            if field.types or field.path not in types
            else replace(field, types=types[field.path]),
            enum_separator,
            null_text,
            markup,
        )
        for field in inline
    }
    merged = [
        _override(field, by_path.pop(field.path)) if field.path in by_path else field
        for field in base
    ]
    merged.extend(by_path[field.path] for field in inline if field.path in by_path)
    return merged


def _override(base: Field, inline: Field) -> Field:
    changes: dict[str, Any] = {
        "line": inline.line,
        "origin": None if inline.description else base.origin,
    }
    if inline.description:
        changes["description"] = inline.description
        changes["markup"] = inline.markup
    if inline.format is not None:
        # The author's format says what the value looks like, null or not: the cell shows it
        # exactly as written (never a second "or null"), and checks agree with it. The
        # source's enum and example give way to those the format states.
        changes.update(format=inline.format, nullable=inline.nullable)
        # Nor are the source's constraints added to it ("free text, at most 200 characters"):
        # the source's schema still checks payloads.
        changes.update(dict.fromkeys(CONSTRAINTS))
        if inline.json_format is not None:
            changes["json_format"] = inline.json_format
    for name in ("types", "since"):
        if getattr(inline, name) is not None:
            changes[name] = getattr(inline, name)
    for name in ("required", "nullable", "deprecated"):
        if getattr(inline, name):
            changes[name] = getattr(inline, name)
    if inline.enum:
        changes["enum"] = inline.enum
        changes["enum_descriptions"] = tuple(
            (value, text) for value, text in base.enum_descriptions if value in inline.enum
        )
    for name in ("example", "default"):
        if getattr(inline, name) is not MISSING:
            changes[name] = getattr(inline, name)
    return replace(base, **changes)


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _align(value: str) -> str:
    return directives.choice(value, ("left", "center", "right"))
