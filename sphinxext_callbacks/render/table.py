"""Render fields into a docutils table: table > tgroup > colspec, thead, tbody.

The table is made of standard nodes, so every builder knows it; the only
subclass is :class:`~.nodes.callbacks_entry` for header cells, which HTML
renders with a ``scope``. Markup in cells is parsed by a :class:`CellParser`
that the directive provides, so this module does not care whether the page is
reST or MyST.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from docutils import nodes
from sphinx.locale import get_translation

from sphinxext_callbacks.model.facts import parse_format
from sphinxext_callbacks.model.fields import MISSING, Choice, Field, Note, Origin
from sphinxext_callbacks.model.formats import format_name, value_text
from sphinxext_callbacks.model.jsontypes import JsonTypes
from sphinxext_callbacks.model.paths import Path, format_path
from sphinxext_callbacks.render.callback_nodes import callbacks_entry, callbacks_table
from sphinxext_callbacks.render.enum_cell import enum_nodes

_ = get_translation("sphinxext_callbacks")

#: Every column a table may show.
COLUMNS = ("key", "description", "format", "type", "required", "example", "default")
DEFAULT_COLUMNS = ("key", "description", "format")
#: The default of ``callbacks_headings``: while it is left as it is, headings are translated.
ENGLISH_HEADINGS = ("Key", "Description", "Format")
#: The default of ``callbacks_null_text``, translated while it is left as it is.
ENGLISH_NULL_TEXT = "or null"


def default_heading(column: str) -> str:
    """A column's heading in the page's language, when the configuration gives none."""
    # Each message is written out so that ``pybabel extract`` finds it.
    headings = {
        "key": _("Key"),
        "description": _("Description"),
        "format": _("Format"),
        "type": _("Type"),
        "required": _("Required"),
        "example": _("Example"),
        "default": _("Default"),
    }
    return headings[column]


def translate_note(note: str) -> str:
    """A note for under the table, in the page's language when the reader made it a Note."""
    if isinstance(note, Note):
        return _(note.message) % note.args if note.args else _(note.message)
    return note


def null_text(configured: str) -> str:
    """``callbacks_null_text``, in the page's language while it is the default."""
    return _("or null") if configured == ENGLISH_NULL_TEXT else configured


#: The table attribute that holds the fold threshold (``render.folding``; missing: none).
FOLD_ATTRIBUTE = "callbacks-fold-rows"
#: CSS class of every table the extension makes.
TABLE_CLASS = "callbacks-table"
#: CSS class that hides an element visually but keeps it for assistive technology.
HIDDEN_CLASS = "callbacks-visually-hidden"


class CellParser(Protocol):
    """Turns the markup of a cell into nodes, in the document's own language."""

    def description(self, field: Field) -> list[nodes.Node]:
        """The body elements of a field's description."""

    def inline(self, text: str, field: Field) -> list[nodes.Node]:
        """Inline nodes for a line of display text (a Format cell)."""

    def plain(self, text: str, origin: Origin) -> list[nodes.Node]:
        """A data file's text as the text it is (a caption from a spec's summary or title)."""


@dataclass(frozen=True)
class TableSpec:
    """How the table looks: everything the options and the configuration decide."""

    columns: Sequence[str] = DEFAULT_COLUMNS
    headings: Sequence[str] = ("Key", "Description", "Format")
    caption: str | None = None
    #: Where the caption came from when a data file gave it: it is then plain text.
    caption_origin: Origin | None = None
    hide_caption: bool = False
    hide_headings: bool = False
    widths: str | Sequence[int] | None = None
    width: str | None = None
    align: str | None = None
    classes: Sequence[str] = field(default_factory=tuple)
    null_text: str = "or null"
    enum_separator: str = " | "
    #: In HTML, a nested object with more rows than this starts folded (0: none does).
    fold_rows: int = 0


def render_table(
    fields: Sequence[Field],
    spec: TableSpec,
    cells: CellParser,
    row_ids: Sequence[str],
) -> nodes.table:
    """Build the table node for ``fields``; ``row_ids`` gives each row's anchor, in order (a
    key that several alternatives have has a row, and an anchor, in each)."""
    table = callbacks_table(classes=[TABLE_CLASS, *spec.classes])
    table["callbacks-columns"] = list(spec.columns)
    if spec.fold_rows > 0:
        # Only HTML reads it (render.folding); every other builder shows every row.
        table[FOLD_ATTRIBUTE] = spec.fold_rows
    if spec.hide_caption:
        table["classes"].append("callbacks-hidden-caption")
    if spec.align:
        table["align"] = spec.align
    if spec.width:
        table["width"] = spec.width
    if spec.caption:
        title = nodes.title(
            spec.caption,
            "",
            *(
                cells.plain(spec.caption, spec.caption_origin)
                if spec.caption_origin is not None
                else cells.inline(spec.caption, Field(path=()))
            ),
        )
        table += title
    if isinstance(spec.widths, str):
        table["classes"].append(f"colwidths-{spec.widths}")
    else:
        table["classes"].append("colwidths-given" if spec.widths else "colwidths-auto")

    tgroup = nodes.tgroup(cols=len(spec.columns))
    table += tgroup
    widths = list(spec.widths) if spec.widths and not isinstance(spec.widths, str) else None
    for index, column in enumerate(spec.columns):
        colspec = nodes.colspec(colwidth=widths[index] if widths else _default_width(column))
        if column == "key":
            colspec["stub"] = 1
        tgroup += colspec

    thead = nodes.thead()
    if spec.hide_headings:
        thead["classes"].append(HIDDEN_CLASS)
    heading_row = nodes.row()
    for heading in spec.headings:
        entry = callbacks_entry(scope="col")
        entry += nodes.paragraph(heading, heading)
        heading_row += entry
    thead += heading_row
    tgroup += thead

    tbody = nodes.tbody()
    previous: tuple[Choice, ...] = ()
    for index, item in enumerate(fields):
        tbody.extend(group_rows(previous, item.alternatives, len(spec.columns)))
        previous = item.alternatives
        tbody += _row(item, spec, cells, row_ids[index] if index < len(row_ids) else None)
    tgroup += tbody
    return table


#: CSS class of the row that opens an alternative (``oneOf``/``anyOf``) with its label.
ALTERNATIVE_CLASS = "callbacks-alternative"
#: CSS class of the row that closes a group of alternatives when other rows follow it.
ALTERNATIVES_END_CLASS = "callbacks-alternatives-end"
#: CSS class of every field row inside an alternative.
IN_ALTERNATIVE_CLASS = "callbacks-in-alternative"
#: The rows that are not fields: they span the table, and have no id and no key.
GROUP_ROW_CLASSES = (ALTERNATIVE_CLASS, ALTERNATIVES_END_CLASS)


def depth_class(depth: int) -> str:
    """The class of a row nested *depth* alternatives deep (1: in an outermost one)."""
    return f"callbacks-alternative-depth-{depth}"


def group_rows(before: Sequence[Choice], now: Sequence[Choice], width: int) -> list[nodes.row]:
    """The spanning rows that go between a row in the alternatives *before* and one in *now*.

    A label row for each alternative that *now* enters, outermost first; and, when the
    rows leave a group for an outer level (or for another group at the same level), a row
    that says the group ends, so that the next rows are not read as part of it.
    """
    shared = 0
    while shared < min(len(before), len(now)) and before[shared] == now[shared]:
        shared += 1
    rows: list[nodes.row] = []
    if shared < len(before) and (
        shared == len(now) or now[shared].group_id != before[shared].group_id
    ):
        rows.append(_end_row(before[shared], shared + 1, width))
    for depth in range(shared, len(now)):
        rows.append(_label_row(now[depth], now[depth - 1] if depth else None, depth + 1, width))
    return rows


def alternative_label(choice: Choice) -> str:
    """The alternative's name, or "Option N" when it has none."""
    # Translators: the name of an alternative (oneOf/anyOf) that has none; %s is its number.
    return choice.label if choice.label is not None else _("Option %s") % (choice.index + 1)


def _label_row(choice: Choice, outer: Choice | None, depth: int, width: int) -> nodes.row:
    label = alternative_label(choice)
    outer_label = alternative_label(outer) if outer is not None else ""
    values = {
        "label": nodes.strong(label, label),
        "number": nodes.Text(str(choice.index + 1)),
        "count": nodes.Text(str(choice.count)),
        "owner": _key_literal(choice.owner),
        "outer": nodes.strong(outer_label, outer_label),
    }
    if outer is not None and outer.owner == choice.owner:
        # Translators: the label row of an alternative (oneOf/anyOf) nested in the
        # alternative %(outer)s, e.g. "WhatsApp — alternative 1 of 2 in Chat app".
        message = _("%(label)s — alternative %(number)s of %(count)s in %(outer)s")
    elif choice.owner:
        # Translators: the label row of one alternative (oneOf/anyOf) of the key %(owner)s,
        # e.g. "Card — alternative 1 of 2 for payment".
        message = _("%(label)s — alternative %(number)s of %(count)s for %(owner)s")
    else:
        # Translators: the label row of one alternative (oneOf/anyOf) of the whole body.
        message = _("%(label)s — alternative %(number)s of %(count)s")
    return _spanning_row(_compose(message, values), [ALTERNATIVE_CLASS, depth_class(depth)], width)


def _end_row(choice: Choice, depth: int, width: int) -> nodes.row:
    if choice.owner:
        # Translators: the row after the last alternative (oneOf/anyOf) of the key %(owner)s.
        message = _("End of the alternatives for %(owner)s.")
    else:
        message = _("End of the alternatives.")
    text = nodes.emphasis("", "", *_compose(message, {"owner": _key_literal(choice.owner)}))
    return _spanning_row([text], [ALTERNATIVES_END_CLASS, depth_class(depth)], width)


def _key_literal(path: Path) -> nodes.literal:
    text = format_path(path)
    return nodes.literal(text, text)


def _spanning_row(content: list[nodes.Node], classes: list[str], width: int) -> nodes.row:
    # A header cell: the label names the rows under it. No id and no key: it is no field.
    entry = callbacks_entry(morecols=width - 1) if width > 1 else callbacks_entry()
    entry += nodes.paragraph("", "", *content)
    return nodes.row("", entry, classes=classes)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _compose(message: str, values: dict[str, nodes.Node]) -> list[nodes.Node]:
    """*message* with each ``%(name)s`` replaced by the node *values* gives for it."""
    result: list[nodes.Node] = []
    for index, part in enumerate(_PLACEHOLDER.split(str(message))):
        if index % 2:
            found = values.get(part)
            result.append(found.deepcopy() if found is not None else nodes.Text(part))
        elif part:
            result.append(nodes.Text(part))
    return result


def _default_width(column: str) -> int:
    return {"description": 50, "format": 25, "key": 20}.get(column, 15)


def _row(field: Field, spec: TableSpec, cells: CellParser, row_id: str | None) -> nodes.row:
    row = nodes.row(ids=[row_id] if row_id else [])
    row.attributes.update(row_attributes(field))
    if field.alternatives:
        row["classes"].extend([IN_ALTERNATIVE_CLASS, depth_class(len(field.alternatives))])
    if field.deprecated:
        row["classes"].append("callbacks-deprecated")
    for column in spec.columns:
        entry: nodes.entry
        if column == "key":
            entry = callbacks_entry(scope="row")
            entry += nodes.paragraph("", "", nodes.literal(field.key, field.key))
        else:
            entry = nodes.entry()
            entry.extend(_cell(column, field, spec, cells))
        row += entry
    return row


def types_text(types: JsonTypes, *, translated: bool = True) -> str:
    """``string``, ``array of object``, ``string or integer``: the types as a Format cell says.

    The type names are JSON Schema's keywords and stay as they are in every language; the
    words that join them are in the page's language unless ``translated`` is false.
    """
    # Translators: an array and the JSON type of its items, as in "array of object".
    array_of = _("array of %s") if translated else "array of %s"
    # Translators: between two JSON type names, as in "string or integer".
    either = _("or") if translated else "or"
    words = [
        array_of % types_text(types.items, translated=translated)
        if name == "array" and types.items
        else name
        for name in types.names
    ]
    return f" {either} ".join(words)


def row_attributes(field: Field) -> dict[str, str | list[str]]:
    """The field's attributes, kept on its row for HTML templates (``templates.py``)."""
    attributes: dict[str, str | list[str]] = {"callbacks-key": field.key}
    flags = [name for name in ("required", "nullable", "deprecated") if getattr(field, name)]
    if flags:
        attributes["callbacks-flags"] = flags
    if field.since:
        attributes["callbacks-since"] = str(field.since)
    if field.types:
        # For templates: the same words in every language, as the readers write them.
        attributes["callbacks-type"] = types_text(field.types, translated=False)
    return attributes


def _cell(column: str, field: Field, spec: TableSpec, cells: CellParser) -> list[nodes.Node]:
    if column == "description":
        return _description(field, cells)
    if column == "format":
        return _paragraph(format_cell(field, spec, cells))
    if column == "type":
        return _paragraph([nodes.Text(types_text(field.types))] if field.types else [])
    if column == "required":
        # Translators: the Required column's answer to "is this field required?"
        text = _("Yes") if field.required else _("No")
        return _paragraph([nodes.Text(text)])
    value = field.example if column == "example" else field.default
    if value is MISSING:
        return []
    text = value_text(value)
    return _paragraph([nodes.literal(text, text)])


def _paragraph(children: list[nodes.Node]) -> list[nodes.Node]:
    if not children:
        return []
    paragraph = nodes.paragraph()
    paragraph.extend(children)
    return [paragraph]


def deprecated_label() -> str:
    """The word that marks a deprecated field, webhook, callback or message."""
    return _("Deprecated")


def _description(field: Field, cells: CellParser) -> list[nodes.Node]:
    body = cells.description(field) if field.description else []
    if field.enum_descriptions:
        body = [*body, _enum_list(field, cells)]
    notes: list[nodes.Node] = []
    if field.deprecated:
        label = deprecated_label()
        paragraph = nodes.paragraph("", "", nodes.strong(label, label))
        if isinstance(field.deprecated, str):
            paragraph += nodes.Text(": ")
            paragraph.extend(cells.inline(field.deprecated, field))
        paragraph["classes"].append("callbacks-deprecated-note")
        notes.append(paragraph)
    if field.since:
        text = _("New in version %s.") % field.since
        notes.append(nodes.paragraph(text, "", nodes.emphasis(text, text)))
    return [*body, *notes]


def _enum_list(field: Field, cells: CellParser) -> nodes.definition_list:
    """What each enum value means: a definition list of values and their descriptions."""
    items = nodes.definition_list(classes=["callbacks-enum-descriptions"])
    for value, text in field.enum_descriptions:
        shown = value_text(value)
        term = nodes.term(shown, "", nodes.literal(shown, shown))
        definition = nodes.definition("", *cells.description(field.with_description(text)))
        items += nodes.definition_list_item("", term, definition)
    return items


def format_cell(field: Field, spec: TableSpec, cells: CellParser) -> list[nodes.Node]:
    """The Format cell, composed from the field's facts.

    The author's display text exactly as written when there is one, else the enum, the
    example, the format's name or the type; then the constraints in words; then the null
    text, unless the author's text already says the value may be null.
    """
    result: list[nodes.Node]
    if field.format is not None:
        result = cells.inline(field.format, field)
    elif field.enum:
        result = enum_nodes(field.enum, spec.enum_separator)
    elif field.example is not MISSING:
        text = value_text(field.example)
        result = [nodes.literal(text, text)]
    elif field.json_format:
        result = [nodes.Text(_(format_name(field.json_format)))]
    elif field.types and not (field.types.names == ("string",) and _has_length(field)):
        result = [nodes.Text(types_text(field.types))]
    else:
        result = []  # "3 characters" says it is a string
    for words in constraint_words(field):
        result.extend([nodes.Text(", ")] if result else [])
        result.extend(words)
    says_null = parse_format(field.format, spec.enum_separator, spec.null_text).nullable
    if field.nullable and spec.null_text and not says_null:
        result.append(nodes.Text(f" {spec.null_text}" if result else spec.null_text))
    return result


def _has_length(field: Field) -> bool:
    return bool(field.min_length) or field.max_length is not None


def constraint_words(field: Field) -> list[list[nodes.Node]]:
    """The field's constraints in plain words: "3 characters", "0 to 100", "at most 50 items"."""
    words: list[list[nodes.Node]] = []
    length = _count_words(field.min_length, field.max_length, characters=True)
    if length:
        words.append([nodes.Text(length)])
    if field.pattern is not None:
        # Translators: %s is a regular expression that the value matches.
        words.append(_with_literal(_("matching %s"), field.pattern))
    words.extend([nodes.Text(text)] for text in _bound_words(field))
    if field.multiple_of is not None:
        words.append([nodes.Text(_("a multiple of %s") % value_text(field.multiple_of))])
    items = _count_words(field.min_items, field.max_items, characters=False)
    if items:
        words.append([nodes.Text(items)])
    return words


def _count_words(low: int | None, high: int | None, *, characters: bool) -> str | None:
    """A string's length or an array's size in words. Each message is written out whole
    for ``pybabel extract``, and "1" has its own, as translations need (no plural forms)."""
    low = low or None  # at least 0 says nothing
    if low is not None and high is not None and low == high:
        if low == 1:
            return _("1 character") if characters else _("1 item")
        return (_("%s characters") if characters else _("%s items")) % low
    if low is not None and high is not None:
        # Translators: a length from %s to %s characters, e.g. "7 to 15 characters".
        message = _("%s to %s characters") if characters else _("%s to %s items")
        return message % (low, high)
    if low is not None:
        if low == 1:
            return _("at least 1 character") if characters else _("at least 1 item")
        return (_("at least %s characters") if characters else _("at least %s items")) % low
    if high is not None:
        if high == 1:
            return _("at most 1 character") if characters else _("at most 1 item")
        return (_("at most %s characters") if characters else _("at most %s items")) % high
    return None


def _bound_words(field: Field) -> list[str]:
    low, high = field.minimum, field.maximum
    words: list[str] = []
    if low is not None and high is not None:
        # Translators: a number from %s to %s, e.g. "0 to 100".
        words.append(_("%s to %s") % (value_text(low), value_text(high)))
    elif low is not None:
        words.append(_("at least %s") % value_text(low))
    elif high is not None:
        words.append(_("at most %s") % value_text(high))
    if field.exclusive_minimum is not None:
        words.append(_("more than %s") % value_text(field.exclusive_minimum))
    if field.exclusive_maximum is not None:
        words.append(_("less than %s") % value_text(field.exclusive_maximum))
    return words


def _with_literal(message: str, value: str) -> list[nodes.Node]:
    """*message* with its one ``%s`` filled in by *value* as a literal."""
    before, _placeholder, after = str(message).partition("%s")
    result: list[nodes.Node] = [nodes.Text(before)] if before else []
    result.append(nodes.literal(value, value))
    if after:
        result.append(nodes.Text(after))
    return result
