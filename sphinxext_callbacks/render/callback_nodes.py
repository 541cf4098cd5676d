"""The extension's own node classes, and the HTML visitors of the table cells.

The table nodes are thin subclasses: every builder renders them as the standard docutils
nodes they extend (Sphinx's translators dispatch along the class hierarchy); HTML builders
add what makes the table accessible: ``scope`` on header cells. The pending example lives
here, not in its directive, so that the domain can find it without importing a directive.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.util.osutil import relative_uri
from sphinx.writers.html5 import HTML5Translator

from sphinxext_callbacks.render import compat


class callbacks_table(nodes.table):
    """A callback table: HTML builders wrap it to scroll and may render it through a template."""

    tagname = "table"


class callbacks_entry(nodes.entry):
    """A table cell that is a header for its column (``scope="col"``) or row (``scope="row"``)."""

    # XML and pseudo-XML output keep the standard element name.
    tagname = "entry"


class callback_example_pending(nodes.General, nodes.Element):
    """An example payload waiting for the fields of a named callback.

    Attributes (plain, so the doctree pickles): ``callback`` (the name), ``text`` (the author's
    JSON, or ``None`` to make one), ``origin`` (``""`` for the directive body, else the file's
    path as written), ``body_source`` and ``body_line`` (where line 0 of ``text`` stands),
    ``docname`` and ``serial`` (which example of which document it is).
    """


def visit_callbacks_entry_html(self: HTML5Translator, node: callbacks_entry) -> None:
    self.visit_entry(node)
    scope = node.get("scope")
    if scope in ("row", "col"):
        compat.add_to_start_tag(self, "th", f' scope="{scope}"')


def depart_callbacks_entry_html(self: HTML5Translator, node: callbacks_entry) -> None:
    self.depart_entry(node)


class callbacks_schema_link(nodes.General, nodes.TextElement):
    """The link under a named table to its published schema, in web builders only.

    ``target`` is the file's path from the root of the output (``_callbacks/x.schema.json``);
    the HTML visitor makes it relative to the page, which only the builder knows.
    """


def visit_callbacks_schema_link_html(self: HTML5Translator, node: callbacks_schema_link) -> None:
    here = self.builder.get_target_uri(self.builder.current_docname)
    uri = relative_uri(here, node["target"])
    self.body.append(
        f'<p class="callbacks-schema-link"><a class="reference external" '
        f'href="{escape(uri)}" type="application/schema+json">'
    )


def depart_callbacks_schema_link_html(self: HTML5Translator, node: callbacks_schema_link) -> None:
    self.body.append("</a></p>\n")
