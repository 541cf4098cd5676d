"""The man-page visitors of callback tables: rows that span the table, keys that keep whole.

docutils' man writer gives every row of a table the same ``tbl`` format, one cell per
column, so the label of an alternative (``Card — alternative 1 of 2 for payment``) was
squeezed into the Key column, and ``troff`` hyphenated keys anywhere
(``notification‐Items``). Here a row that spans the table gets a ``tbl`` format line of its
own (``l s s``: one cell, spanning every column), and a key may break only after a ``.`` or
``[]`` and is never hyphenated.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.writers.manpage import ManualPageTranslator

from sphinxext_callbacks.model.paths import PathError, parse_path, pieces
from sphinxext_callbacks.render import compat
from sphinxext_callbacks.render.callback_nodes import callbacks_entry, callbacks_table

#: A row attribute, set by ``transforms.UnspanForMan``: its one cell spans the table.
SPANS = "callbacks-spans"


def visit_callbacks_table_man(self: ManualPageTranslator, node: callbacks_table) -> None:
    """Start the table, with a format line for each row."""
    self.visit_table(node)
    rows = [row for row in node.findall(nodes.row) if _outer(row, node)]
    compat.set_man_table(self, compat.SpanningManTable([bool(row.get(SPANS)) for row in rows]))


def depart_callbacks_table_man(self: ManualPageTranslator, node: callbacks_table) -> None:
    """Write the table."""
    self.depart_table(node)


def _outer(row: nodes.row, table: nodes.table) -> bool:
    parent: Any = row.parent
    while parent is not None and not isinstance(parent, nodes.table):
        parent = parent.parent
    return parent is table


def visit_callbacks_entry_man(self: ManualPageTranslator, node: callbacks_entry) -> None:
    """A row header cell whose text is its row's key: the key, breakable after its dots."""
    self.visit_entry(node)
    row = node.parent
    key = row.get("callbacks-key") if node.get("scope") == "row" else None
    if not key or node.astext() != key:
        return
    try:
        parts = pieces(parse_path(str(key)))
    except PathError:
        return
    literal = nodes.literal(key, key)
    self.visit_literal(literal)
    # \% at the start of a word: never hyphenate it; \: a place to break, with no hyphen.
    self.body.append("\\:".join("\\%" + compat.man_escaped(self, part) for part in parts))
    self.depart_literal(literal)
    self.depart_entry(node)
    raise nodes.SkipNode


def depart_callbacks_entry_man(self: ManualPageTranslator, node: callbacks_entry) -> None:
    """Close the cell."""
    self.depart_entry(node)
