"""Render callback tables in HTML through a Jinja2 template (``callbacks_html_template``).

The directive always makes a standard docutils table, so every builder knows it. HTML
builders dispatch the table's :class:`~.nodes.callbacks_table` node to
:func:`visit_callbacks_table_html`, which wraps it in a scroll container and, when
``callbacks_html_template`` names a template, renders the whole table through it instead
of the translator's own ``visit_table``.

Cells are rendered first by a fresh translator from the same builder, so a template gets
the cell's HTML as :class:`markupsafe.Markup`; everything else in the context (keys, ids,
classes, attributes) is plain text that Jinja2 escapes, because autoescaping is on.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from docutils import nodes
from markupsafe import Markup, escape
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from sphinxext_callbacks.model.paths import PathError, parse_path, pieces
from sphinxext_callbacks.model.problems import WARNING_TYPE
from sphinxext_callbacks.render import compat
from sphinxext_callbacks.render.callback_nodes import callbacks_table
from sphinxext_callbacks.render.folding import add_fold_attributes, table_fold_plan
from sphinxext_callbacks.render.table import GROUP_ROW_CLASSES

logger = logging.getLogger(__name__)

_E = TypeVar("_E", bound=nodes.Element)

#: The folder of the templates that ship with the package (``govuk.html``).
PACKAGE_TEMPLATES = Path(__file__).parent / "templates"
#: CSS class of the element that lets a wide table scroll sideways on its own.
SCROLL_CLASS = "callbacks-scroll"


@dataclass(frozen=True)
class Heading:
    """A column heading: ``column`` is the column's id (``key``, ``description``, ...)."""

    column: str
    text: Markup


@dataclass(frozen=True)
class Row:
    """A body row of the table, with its cells rendered and its field's attributes."""

    id: str | None
    key: str
    cells: dict[str, Markup]
    deprecated: bool
    required: bool = False
    nullable: bool = False
    since: str | None = None
    type: str | None = None
    classes: list[str] = field(default_factory=list)
    #: A row that is no field: the HTML of the label that opens an alternative
    #: (``oneOf``/``anyOf``), or of the line that closes a group of them. It spans
    #: every column; ``cells`` is empty and ``key`` is ``""``.
    label: Markup | None = None


@dataclass
class _Templates:
    """One builder's Jinja2 environment, and the template names already warned about."""

    environment: jinja2.Environment
    warned: set[str] = field(default_factory=set)


_environments: weakref.WeakKeyDictionary[Builder, _Templates] = weakref.WeakKeyDictionary()


def _templates(builder: Builder) -> _Templates:
    # One environment per builder: Jinja2 caches compiled templates in it, and the
    # project's templates_path can only change between builds.
    found = _environments.get(builder)
    if found is None:
        confdir = Path(builder.confdir)
        folders = [str(confdir / path) for path in builder.config.templates_path]
        loader = jinja2.FileSystemLoader([*folders, str(PACKAGE_TEMPLATES)])
        environment = jinja2.Environment(
            loader=loader,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        found = _Templates(environment)
        _environments[builder] = found
    return found


def load_template(builder: Builder, name: str) -> jinja2.Template | None:
    """The template ``name``; ``None``, with one ``callbacks.config`` warning, if unusable."""
    templates = _templates(builder)
    if name in templates.warned:
        return None
    try:
        return templates.environment.get_template(name)
    except jinja2.TemplateNotFound:
        problem = "is not in templates_path or the package's own templates"
    except jinja2.TemplateSyntaxError as error:
        problem = f"has a syntax error at line {error.lineno}: {error.message}"
    templates.warned.add(name)
    logger.warning(
        "callbacks_html_template %r %s; tables are written as plain HTML tables",
        name,
        problem,
        type=WARNING_TYPE,
        subtype="config",
    )
    return None


def load_configured_template(app: Sphinx) -> None:
    """Load ``callbacks_html_template`` once, before any page is written.

    A missing or broken template is then warned about once, in the main process, even
    when pages are written in parallel (the writing processes inherit what was loaded).
    """
    name = app.config.callbacks_html_template
    if name and app.builder.format == "html" and not app.builder.name.startswith("epub"):
        load_template(app.builder, name)


def visit_callbacks_table_html(self: HTML5Translator, node: callbacks_table) -> None:
    """Open the scroll container, then render the table through the template or as usual."""
    name = self.config.callbacks_html_template
    # EPUB is HTML too, but must be well-formed XHTML, which a template need not write.
    use_template = name and not self.builder.name.startswith("epub")
    template = load_template(self.builder, name) if use_template else None
    _break_keys(node)
    self.body.append(_scroll_opening(node, _region_names(self)))
    if template is not None:
        try:
            html = template.render(table_context(self, node))
        except Exception as error:
            # A user's template may fail on data it did not expect; the page still gets
            # the table, and the warning says where.
            logger.warning(
                "callbacks_html_template %r failed: %s: %s",
                name,
                type(error).__name__,
                error,
                location=node,
                type=WARNING_TYPE,
                subtype="config",
            )
        else:
            html = add_table_roles(html, _column_labels(node))
            html = add_fold_attributes(html, table_fold_plan(node))
            self.body.append(html.rstrip("\n") + "\n</div>\n")
            raise nodes.SkipNode
    _mark_columns(node)
    compat.mark_output(self)
    self.visit_table(node)


def _mark_columns(node: callbacks_table) -> None:
    # Column classes let the stylesheet (and a project's) size columns by what they hold,
    # whatever :columns: chose. Writers get a fresh copy of the doctree, so adding
    # classes here changes no other output.
    columns = node.get("callbacks-columns") or []
    for row in node.findall(nodes.row):
        for column, entry in zip(columns, row.children, strict=False):
            marker = f"callbacks-column-{column}"
            if isinstance(entry, nodes.entry) and marker not in entry["classes"]:
                entry["classes"].append(marker)


def depart_callbacks_table_html(self: HTML5Translator, node: callbacks_table) -> None:
    """Close the table and its scroll container."""
    self.depart_table(node)
    labels, plan = _column_labels(node), table_fold_plan(node)
    compat.rewrite_since_mark(
        self, lambda html: add_fold_attributes(add_table_roles(html, labels), plan)
    )
    self.body.append("</div>\n")


#: An element of a table that a narrow screen shows as blocks, and the role it keeps. The
#: table itself stays ``display: table`` (its rows are blocks in one anonymous cell), so it
#: needs no role; with one, axe-core would refuse the permalink in its caption.
# Attributes never hold "<" (it is escaped): a tag that never closes is read only up to the
# next one, so that the search stays linear.
_TAG = re.compile(r"<(/?)(table|thead|tbody|tfoot|tr|th|td)\b([^<>]*)>", re.IGNORECASE)
_ROLES = {"thead": "rowgroup", "tbody": "rowgroup", "tfoot": "rowgroup", "tr": "row", "td": "cell"}


def add_table_roles(html: str, labels: Sequence[str]) -> str:
    """The table ``html`` with explicit ARIA roles for its rows and cells, and column names.

    On a narrow screen the stylesheet shows each row as a block (the key, the description,
    then the format); a table whose CSS ``display`` is changed loses its table semantics in
    some browsers, and explicit roles keep them. ``data-label`` gives the stylesheet each
    body cell's column heading. Tables inside cells are left as they are.
    """
    depth = 0
    column = 0
    in_head = False

    def mark(match: re.Match[str]) -> str:
        nonlocal depth, column, in_head
        closing, tag, rest = match.group(1), match.group(2).lower(), match.group(3)
        if tag == "table":
            depth += -1 if closing else 1
        if closing or depth != 1 or tag == "table" or " role=" in rest:
            if closing and tag == "thead" and depth == 1:
                in_head = False
            return match.group(0)
        if tag == "thead":
            in_head = True
        elif tag == "tr":
            column = 0
        role = _ROLES.get(tag)
        extra = ""
        if tag in ("th", "td"):
            if tag == "th":
                role = "columnheader" if in_head or 'scope="col"' in rest else "rowheader"
            if not in_head and column < len(labels) and labels[column]:
                extra = f' data-label="{escape(labels[column])}"'
            column += 1
        return f'<{match.group(2)} role="{role}"{extra}{rest}>'

    return _TAG.sub(mark, html)


def _column_labels(node: nodes.table) -> list[str]:
    """Each column's heading as text, or ``""`` where the table has no heading row."""
    for thead in node.findall(nodes.thead):
        if thead.children:
            return [" ".join(entry.astext().split()) for entry in thead[0].children]
    return []


def _break_keys(node: callbacks_table) -> None:
    """Let each dotted key wrap after its dots, its last segment stand out.

    In HTML only (writers get a fresh copy of the doctree): the key's code becomes the
    parent path (``<wbr>`` after each ``.`` and ``[]``), quieter, then the last segment.
    """
    for row in node.findall(nodes.row):
        key = str(row.get("callbacks-key") or "")
        try:
            # The key is written as model.paths writes it: read back, a quoted name that
            # holds dots stays one piece.
            parts = pieces(parse_path(key))
        except PathError:
            continue
        if len(parts) < 2:
            continue
        headers = [
            e for e in row.children if isinstance(e, nodes.entry) and e.get("scope") == "row"
        ]
        for literal in (lit for header in headers for lit in header.findall(nodes.literal)):
            if literal.astext() == key:
                parent = "".join(f"{escape(part)}<wbr />" for part in parts[:-1])
                html = (
                    f'<span class="callbacks-key-parent">{parent}</span>'
                    f'<span class="callbacks-key-name">{escape(parts[-1])}</span>'
                )
                del literal[:]
                literal += nodes.raw("", html, format="html")
                literal["classes"].append("callbacks-key")
                break


def _region_names(translator: HTML5Translator) -> dict[str, int]:
    # How often each region name has been used on the page being written.
    names: dict[str, int] = translator.__dict__.setdefault("callbacks_region_names", {})
    return names


def _scroll_opening(node: callbacks_table, used: dict[str, int]) -> str:
    # A region that scrolls must be reachable by keyboard (WCAG 2.1.1), and a focusable
    # region needs a name: the caption's text, or the callback's name. Landmarks of a page
    # need different names, so a table shown twice is "Caption (2)" the second time.
    label = _caption_text(node) or node.get("callbacks-name") or ""
    if label:
        used[label] = used.get(label, 0) + 1
        if used[label] > 1:
            label = f"{label} ({used[label]})"
    attributes = f' role="region" aria-label="{escape(label)}" tabindex="0"' if label else ""
    return f'<div class="{SCROLL_CLASS}"{attributes}>\n'


def _caption_text(node: nodes.table) -> str:
    for child in node.children:
        if isinstance(child, nodes.title):
            return " ".join(child.astext().split())
    return ""


def _child(node: nodes.Element | None, kind: type[_E]) -> _E | None:
    """The first child of ``node`` that is a ``kind``."""
    if node is None:
        return None
    return next((c for c in node.children if isinstance(c, kind)), None)


def _columns(node: nodes.table, colspecs: Sequence[nodes.colspec]) -> list[str]:
    """The id of each column: what the directive noted, or ``column-N``."""
    columns: list[str] = list(node.get("callbacks-columns") or [])
    if len(columns) != len(colspecs):
        columns = [f"column-{index}" for index in range(len(colspecs))]
    return columns


def table_context(translator: HTML5Translator, node: nodes.table) -> dict[str, Any]:
    """The variables a template sees; ``docs/templates.rst`` documents each of them."""
    title = _child(node, nodes.title)
    tgroup = _child(node, nodes.tgroup)
    colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)] if tgroup else []
    thead, tbody = _child(tgroup, nodes.thead), _child(tgroup, nodes.tbody)
    columns = _columns(node, colspecs)
    stub = next(
        (col for col, spec in zip(columns, colspecs, strict=False) if spec.get("stub")), None
    )
    headings: list[Heading] = []
    if thead is not None and thead.children:
        for column, entry in zip(columns, thead.children[0].children, strict=False):
            assert isinstance(entry, nodes.Element)
            headings.append(Heading(column, render_children(translator, entry)))
    rows = [_row(translator, row, columns, stub) for row in (tbody.children if tbody else [])]
    classes = [str(c) for c in node["classes"]]
    return {
        "id": node["ids"][0] if node["ids"] else None,
        "ids": list(node["ids"]),
        "name": node.get("callbacks-name"),
        "classes": classes,
        "caption": render_children(translator, title) if title is not None else None,
        "caption_hidden": "callbacks-hidden-caption" in classes,
        "columns": columns,
        "stub": stub,
        "widths": [int(spec.get("colwidth", 0)) for spec in colspecs],
        "headings": headings,
        "headings_hidden": thead is not None and "callbacks-visually-hidden" in thead["classes"],
        "rows": rows,
        "align": node.get("align"),
        "width": node.get("width"),
    }


def _row(
    translator: HTML5Translator, row: nodes.Node, columns: Sequence[str], stub: str | None
) -> Row:
    assert isinstance(row, nodes.row)
    classes = [str(c) for c in row["classes"]]
    if any(c in GROUP_ROW_CLASSES for c in classes) and len(row.children) == 1:
        assert isinstance(row[0], nodes.Element)
        return Row(
            id=None,
            key="",
            cells={},
            deprecated=False,
            classes=classes,
            label=render_children(translator, row[0]),
        )
    # Columns and cells always pair up in a table the directive made.
    cells = {
        column: render_children(translator, entry)
        for column, entry in zip(columns, row.children, strict=False)
        if isinstance(entry, nodes.Element)
    }
    key = row.get("callbacks-key")
    if key is None:
        # A row made without the attribute: its stub cell's text is the key.
        key = row[columns.index(stub)].astext().strip() if stub in columns else ""
    flags = set(row.get("callbacks-flags") or [])
    return Row(
        id=row["ids"][0] if row["ids"] else None,
        key=str(key),
        cells=cells,
        deprecated="callbacks-deprecated" in classes or "deprecated" in flags,
        required="required" in flags,
        nullable="nullable" in flags,
        since=row.get("callbacks-since"),
        type=row.get("callbacks-type"),
        classes=classes,
    )


def render_children(translator: HTML5Translator, node: nodes.Element) -> Markup:
    """The HTML of ``node``'s children, written by a fresh translator of the same builder.

    A cell that is one plain paragraph gives the paragraph's content, without ``<p>``,
    as hand-written table markup has it.
    """
    children: Iterable[nodes.Node] = node.children
    if (
        len(node.children) == 1
        and isinstance(node[0], nodes.paragraph)
        and not node[0]["classes"]
        and not node[0]["ids"]
    ):
        children = node[0].children
    # create_translator(), not the class alone: it also installs the visitors of nodes
    # that extensions registered with add_node(), which a cell may hold.
    fresh = translator.builder.create_translator(translator.document, translator.builder)
    assert isinstance(fresh, HTML5Translator)
    for child in children:
        child.walkabout(fresh)
    return Markup("".join(fresh.body).strip())
