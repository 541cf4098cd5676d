"""Thin node subclasses and their HTML visitors.

Every builder renders these as the standard docutils nodes they extend (Sphinx's
translators dispatch along the class hierarchy); HTML builders add what makes the
table accessible: ``scope`` on header cells.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator


class callbacks_table(nodes.table):
    """A callback table: HTML builders wrap it to scroll and may render it through a template."""

    tagname = "table"


class callbacks_entry(nodes.entry):
    """A table cell that is a header for its column (``scope="col"``) or row (``scope="row"``)."""

    # XML and pseudo-XML output keep the standard element name.
    tagname = "entry"


def visit_callbacks_entry_html(self: HTML5Translator, node: callbacks_entry) -> None:
    self.visit_entry(node)
    scope = node.get("scope")
    opening = self.body[-1]
    if scope in ("row", "col") and opening.startswith("<th"):
        self.body[-1] = f'<th scope="{scope}"' + opening[3:]


def depart_callbacks_entry_html(self: HTML5Translator, node: callbacks_entry) -> None:
    self.depart_entry(node)
