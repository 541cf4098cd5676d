"""Post-transforms that adapt tables to the builder that writes them."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxext_callbacks.render.man import SPANS
from sphinxext_callbacks.render.table import HIDDEN_CLASS, TABLE_CLASS


def callback_tables(document: nodes.document) -> list[nodes.table]:
    """The tables this extension made: a list, so that a transform may change the document."""
    return [t for t in document.findall(nodes.table) if TABLE_CLASS in t["classes"]]


class HideForPrint(SphinxPostTransform):
    """Drop what HTML hides visually (a hidden caption, hidden headings) from print formats.

    HTML keeps them for screen readers; a PDF, a man page or plain text has no
    other reader to keep them for. XML and gettext keep the whole doctree.
    """

    default_priority = 200
    formats = ("latex", "text", "man", "texinfo")

    def run(self, **kwargs: Any) -> None:
        for table in callback_tables(self.document):
            if "callbacks-hidden-caption" in table["classes"]:
                for title in [c for c in table.children if isinstance(c, nodes.title)]:
                    table.remove(title)
            for thead in list(table.findall(nodes.thead)):
                if HIDDEN_CLASS in thead["classes"]:
                    thead.parent.remove(thead)


#: The narrowest column, in characters, that the text builder is given.
MIN_TEXT_WIDTH = 6


class WidenForText(SphinxPostTransform):
    """Give every column of a plain-text table room for a few characters.

    The text builder takes ``:widths:`` as character counts, and Sphinx 7.4's text
    writer never finishes wrapping a cell into a column one or two characters wide.
    """

    default_priority = 200
    formats = ("text",)

    def run(self, **kwargs: Any) -> None:
        for table in callback_tables(self.document):
            for colspec in table.findall(nodes.colspec):
                colspec["colwidth"] = max(int(colspec.get("colwidth", 0)), MIN_TEXT_WIDTH)


class FlattenNestedTables(SphinxPostTransform):
    """Turn a table inside a callback table's cell into lines of text, where the writer
    cannot nest tables (text and man raise on them).

    A description from a spec may hold a Markdown table; HTML and LaTeX keep it as a table.
    Each row becomes one line block line, its cells joined by `` | ``.
    """

    default_priority = 199  # before WidenForText: the inner table is gone by then
    formats = ("text", "man")

    def run(self, **kwargs: Any) -> None:
        for table in callback_tables(self.document):
            inner = [t for t in table.findall(nodes.table) if t is not table]
            for nested in reversed(inner):  # innermost first
                if nested.parent is not None:
                    nested.replace_self(_as_lines(nested))


def _as_lines(table: nodes.table) -> nodes.line_block:
    block = nodes.line_block(classes=["callbacks-flattened-table"])
    for row in table.findall(nodes.row):
        cells = [" ".join(entry.astext().split()) for entry in row.findall(nodes.entry)]
        block += nodes.line(text=" | ".join(cells))
    return block


class UnspanForMan(SphinxPostTransform):
    """Mark a row that spans the table (an alternative's label) for the man visitors.

    docutils' man writer warns about a spanning cell; ``render.man`` writes the row as one
    cell that spans every column instead (a ``tbl`` format line of its own).
    """

    default_priority = 200
    formats = ("man",)

    def run(self, **kwargs: Any) -> None:
        for table in callback_tables(self.document):
            for entry in list(table.findall(nodes.entry)):
                if entry.attributes.pop("morecols", 0):
                    entry.parent[SPANS] = True
