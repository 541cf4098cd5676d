"""The ``callback-catalogue`` directive: an overview of every callback a spec sends.

One table per group (the operation's first tag, or the value at ``:group-by:``), a row
per callback: its name, linked to its generated page (``:toctree:``) or to the table of
that name, the first paragraph of its summary (through the gate), and a "Deprecated"
mark. With ``:toctree:``, the pages that :mod:`.catalogue_pages` wrote before reading go
into a hidden toctree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import get_translation

from sphinxext_callbacks.readers.catalogue import list_callbacks
from sphinxext_callbacks.readers.listing import Listed
from sphinxext_callbacks.render.gate import Gate
from sphinxext_callbacks.render.table import deprecated_label
from sphinxext_callbacks.sphinx_ext.base import CallbacksDirective
from sphinxext_callbacks.sphinx_ext.build_cache import file_cache
from sphinxext_callbacks.sphinx_ext.catalogue_pages import (
    catalogue_request,
    page_docname,
    page_files,
)
from sphinxext_callbacks.sphinx_ext.domain import OPTIONAL
from sphinxext_callbacks.sphinx_ext.options import ReportingOptionSpec, check_options, text
from sphinxext_callbacks.sphinx_ext.spec_tracking import note_catalogue

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

__all__ = ["CallbackCatalogueDirective", "setup_catalogue"]

_ = get_translation("sphinxext_callbacks")

#: The CSS class of the overview's tables.
CATALOGUE_CLASS = "callbacks-catalogue"


class CallbackCatalogueDirective(CallbacksDirective):
    """Show every callback of a spec, grouped, each linked to its page."""

    has_content = False
    option_spec: ClassVar[OptionSpec] = ReportingOptionSpec.fromkeys(
        ("source", "toctree", "group-by", "include", "exclude", "class"), text
    )

    def _run(self) -> list[nodes.Node]:
        check_options(
            self.options,
            cast("ReportingOptionSpec", self.option_spec),
            (),
            "callback-catalogue",
            self.get_location(),
        )
        source = self.options.get("source", "").partition("#")[0].strip()
        if not source:
            self.warn("option", "callback-catalogue needs a :source:")
            return []
        paths = self.relfn2path(source)
        if paths is None:
            return []
        group_by = self.options.get("group-by", "")
        if group_by and not group_by.lstrip("#").startswith("/"):
            self.warn(
                "option", f":group-by: takes a JSON pointer such as /x-group, not {group_by!r}"
            )
            return []
        config = self.config
        request = catalogue_request(
            paths[1],
            str(self.env.srcdir),
            config.callbacks_allowed_paths,
            lambda name: self.options.get(name, ""),
        )
        cache = file_cache(self.env)
        catalogue = list_callbacks(request, cache)
        note_catalogue(self.env, request, catalogue, cache)
        self.report(catalogue.problems)
        if not catalogue.groups:
            return []
        docnames = self._pages(catalogue.callbacks)
        result: list[nodes.Node] = []
        for group, members in catalogue.groups:
            result.append(self._table(group, members, docnames))
        if docnames:
            result.append(self._toctree(list(docnames.values())))
        return result

    def _pages(self, callbacks: list[Listed]) -> dict[str, str]:
        """Each callback's generated page, by name (none without ``:toctree:``)."""
        toctree = self.options.get("toctree", "")
        if not toctree:
            return {}
        files, _problems = page_files(callbacks)  # reported when the pages were written
        found = self.env.found_docs
        docnames = {}
        for name, base in files.items():
            docname = page_docname(self.env.docname, toctree, base)
            if docname in found:
                docnames[name] = docname
            else:
                self.warn("source", f"the page of {name!r} ({docname}) was not written")
        return docnames

    def _table(self, group: str, members: list[Listed], docnames: dict[str, str]) -> nodes.table:
        gate = Gate(self, self.options["source"].partition("#")[0])
        table = nodes.table(classes=[CATALOGUE_CLASS, *self.options.get("class", "").split()])
        if group:
            shown = gate.visible(group)
            table += nodes.title(shown, shown)
        tgroup = nodes.tgroup(cols=2)
        table += tgroup
        tgroup += nodes.colspec(colwidth=30)
        tgroup += nodes.colspec(colwidth=70)
        head = nodes.thead()
        tgroup += head
        head += _row([nodes.paragraph("", _("Callback")), nodes.paragraph("", _("Summary"))])
        body = nodes.tbody()
        tgroup += body
        for listed in members:
            cells = [self._name_cell(listed, docnames, gate), self._summary_cell(listed, gate)]
            body += _row(cells)
        self.set_source_info(table)
        return table

    def _name_cell(self, listed: Listed, docnames: dict[str, str], gate: Gate) -> nodes.Node:
        shown = gate.visible(listed.name)
        docname = docnames.get(listed.name)
        if docname is not None:
            ref = addnodes.pending_xref(
                "",
                refdomain="std",
                reftype="doc",
                reftarget="/" + docname,
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
        else:
            # A table of that name, if the project has one; else the name stays text.
            ref = addnodes.pending_xref(
                "",
                refdomain="callback",
                reftype="ref",
                reftarget=listed.name,
                refexplicit=True,
                refwarn=False,
                refdoc=self.env.docname,
            )
            ref[OPTIONAL] = True
        ref += nodes.literal(shown, shown)
        self.set_source_info(ref)
        return nodes.paragraph("", "", ref)

    def _summary_cell(self, listed: Listed, gate: Gate) -> nodes.Node:
        paragraph = nodes.paragraph()
        if listed.deprecated:
            paragraph += nodes.strong("", deprecated_label())
            paragraph += nodes.Text(" ")
        first = listed.summary.strip().split("\n\n", 1)[0].strip()
        if first:
            paragraph += gate.inline(first, "markdown")
        return paragraph

    def _toctree(self, docnames: list[str]) -> nodes.Node:
        toctree = addnodes.toctree()
        toctree["parent"] = self.env.docname
        toctree["entries"] = [(None, docname) for docname in docnames]
        toctree["includefiles"] = list(docnames)
        toctree["maxdepth"] = -1
        toctree["caption"] = None
        toctree["glob"] = False
        toctree["hidden"] = True
        toctree["includehidden"] = False
        toctree["numbered"] = 0
        toctree["titlesonly"] = False
        self.set_source_info(toctree)
        wrapper = nodes.compound(classes=["toctree-wrapper"])
        wrapper += toctree
        return wrapper


def _row(cells: list[nodes.Node]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        row += nodes.entry("", cell)
    return row


def setup_catalogue(app: Sphinx) -> None:
    """Register ``callback-catalogue``."""
    app.add_directive("callback-catalogue", CallbackCatalogueDirective)
