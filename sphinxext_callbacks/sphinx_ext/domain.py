"""The ``callback`` domain: named tables and their fields as cross-reference targets.

``callback-table`` notes every named table here while documents are read (:meth:`note_table`),
and ``callback-example`` reads the fields back. References resolve only after every document is
read, from data that parallel readers merge, so that document order and ``-j`` change nothing:
when a name is defined twice, the definition in the first document (by name) wins wherever it
was read, and the other is reported once the whole project is known.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.logging import get_node_location
from sphinx.util.nodes import make_refnode

from sphinxext_callbacks.model.fields import Field, SpecExample
from sphinxext_callbacks.model.json_schema import fields_schema
from sphinxext_callbacks.model.paths import Path, PathError, format_path, parse_path
from sphinxext_callbacks.model.plain import clean, fix_surrogates
from sphinxext_callbacks.model.problems import WARNING_TYPE, did_you_mean
from sphinxext_callbacks.render import compat
from sphinxext_callbacks.render.callback_nodes import callback_example_pending

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = ["OPTIONAL", "CallbackDomain", "make_index_node", "schema_text", "setup_domain"]

logger = logging.getLogger(__name__)


class TableEntry(TypedDict):
    """What the domain keeps about one named table (plain values only: it is pickled)."""

    docname: str
    #: Which definition of the name this is in its document, counting from 0.
    order: int
    anchor: str
    caption: str | None
    #: The keys of its fields, each once, in the table's order (what links and the
    #: inventory need: the fields themselves stay with the page).
    paths: tuple[Path, ...]
    row_anchors: dict[str, str]
    #: Where the directive stands, as a Sphinx logging location.
    location: str | tuple[str, int | None]
    #: The payload's JSON Schema (2020-12), as the JSON text it is published as (``""``:
    #: none), and the source's own examples. Text, not a dictionary: one string pickles
    #: and loads with the environment on every build in a fraction of the time, takes a
    #: fifth of the memory, and ``-j`` readers make it in parallel.
    schema: str
    examples: tuple[SpecExample, ...]


def _plain_location(location: Any, docname: str) -> str | tuple[str, int | None]:
    """A picklable stand-in for a directive's location, valid after the node is gone."""
    if isinstance(location, nodes.Node):
        return get_node_location(location) or docname
    if isinstance(location, tuple) and len(location) == 2:
        return (str(location[0]), location[1])
    if isinstance(location, str):
        return location
    return docname


def _suggest(word: str, choices: Iterable[str]) -> str:
    return did_you_mean(word, sorted(choices))


_WHITESPACE = re.compile(r"\s")

#: The node attribute that numbers references within their document (see :meth:`first_time`).
SERIAL = "callbacks_serial"
#: The node attribute of a reference that may resolve nowhere without a warning.
OPTIONAL = "callbacks_optional"


class CallbackRole(XRefRole):
    """A reference of the domain: numbered in its document, so that it is reported once."""

    def result_nodes(
        self,
        document: nodes.document,
        env: BuildEnvironment,
        node: nodes.Element,
        is_ref: bool,
    ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        node[SERIAL] = env.new_serialno("callbacks-reference")
        return super().result_nodes(document, env, node, is_ref)


class CallbackFieldRole(CallbackRole):
    """``:callback:field:`name.key```: the key alone is the link text, as a literal."""

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: nodes.Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        if not has_explicit_title and "." in title:
            # A guess until the target resolves (a name may hold dots); resolve_xref corrects it.
            title = title.partition(".")[2]
        return title, target


class CallbackDomain(Domain):
    """Named callback tables (object type ``callback``) and their fields (``field``)."""

    name = "callback"
    label = "Callback"
    object_types: ClassVar[dict[str, ObjType]] = {
        "callback": ObjType("callback", "ref"),
        "field": ObjType("field", "field"),
    }
    roles: ClassVar[dict[str, Any]] = {
        "ref": CallbackRole(innernodeclass=nodes.inline, warn_dangling=True),
        "field": CallbackFieldRole(innernodeclass=nodes.literal, warn_dangling=True),
    }
    initial_data: ClassVar[dict[str, Any]] = {
        #: name -> every definition of it, in any order; see :meth:`_table` for which one wins.
        "tables": {},
        #: docname -> the targets its references and examples name, to rewrite it when they change.
        "references": {},
        #: docname -> the names it defines, so that forgetting a document costs its own tables.
        "names": {},
    }
    #: 4: a table keeps its keys as paths, and its schema as the JSON text published.
    data_version = 4

    #: What every name resolved to before this build read anything (see :func:`_note_before`).
    _before: dict[str, tuple[Any, ...]] | None = None

    def first_time(self, *key: Any) -> bool:
        """Whether the warning that ``key`` identifies is new in this build.

        Some builders (EPUB's table of contents, say) resolve a document more than once; each
        problem should still be reported once. ``key`` names the document and a serial number
        that the node got when it was read, so that two equal references stay two warnings.
        """
        reported: set[tuple[Any, ...]] = self.__dict__.setdefault("_reported", set())
        if key in reported:
            return False
        reported.add(key)
        return True

    @property
    def references(self) -> dict[str, list[str]]:
        """The targets each document refers to."""
        references: dict[str, list[str]] = self.data["references"]
        return references

    @property
    def tables(self) -> dict[str, list[TableEntry]]:
        """Every definition of every name."""
        tables: dict[str, list[TableEntry]] = self.data["tables"]
        return tables

    # -- The API of the directives ------------------------------------------------------------

    def note_table(
        self,
        name: str,
        *,
        docname: str,
        anchor: str,
        caption: str | None,
        fields: Sequence[Field],
        row_anchors: Mapping[str, str],
        location: Any,
        schema: Mapping[str, Any] | None = None,
        examples: Sequence[SpecExample] = (),
    ) -> None:
        """Record the table ``name`` (its HTML id ``anchor``, its rows' ids by field key).

        ``caption`` is plain text: it becomes the text of ``:callback:ref:`` links. A second
        definition of ``name`` is reported at ``location`` after all documents are read.
        """
        self.data.setdefault("names", {}).setdefault(docname, set()).add(name)
        entries = self.tables.setdefault(name, [])
        entries.append(
            TableEntry(
                docname=docname,
                order=sum(1 for e in entries if e["docname"] == docname),
                anchor=anchor,
                caption=caption,
                paths=tuple(dict.fromkeys(field.path for field in fields)),
                row_anchors=dict(row_anchors),
                location=_plain_location(location, docname),
                schema=schema_text(dict(schema) if schema else fields_schema(fields)),
                examples=tuple(examples),
            )
        )

    def get_table(self, name: str) -> TableEntry | None:
        """What is known of the table ``name`` (the definition that wins), or ``None``."""
        return self._table(name)

    def suggest_name(self, name: str) -> str:
        """``"; did you mean 'x'?"`` for an unknown ``name`` close to a known one, else ``""``."""
        return _suggest(name, self.tables)

    def _table(self, name: str) -> TableEntry | None:
        entries = self.tables.get(name)
        if not entries:
            return None
        # Not the first one read: that depends on -j and on which documents changed.
        return min(entries, key=lambda e: (e["docname"], e["order"]))

    def _field(self, target: str) -> tuple[str, TableEntry, str] | None:
        """Split ``name.key`` where a table ``name`` has a field ``key``; longest name first."""
        parts = target.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            name = ".".join(parts[:cut])
            entry = self._table(name)
            if not entry:
                continue
            try:
                path = parse_path(".".join(parts[cut:]))
            except PathError:
                continue  # the cut falls inside a quoted name
            if path in entry["paths"]:
                return name, entry, format_path(path)
        return None

    # -- Environment data ---------------------------------------------------------------------

    def resolution(self) -> dict[str, tuple[Any, ...]]:
        """What each name resolves to: whatever a referencing page shows of it."""
        result = {}
        for name in self.tables:
            entry = self._table(name)
            assert entry is not None
            result[name] = (
                entry["docname"],
                entry["anchor"],
                entry["caption"],
                entry["paths"],
                entry["row_anchors"],
            )
        return result

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Note what the document refers to, so that it is rewritten when that changes."""
        targets = {
            str(node["reftarget"])
            for node in document.findall(addnodes.pending_xref)
            if node.get("refdomain") == self.name or node.get("reftype") == "any"
        }
        targets.update(str(node["callback"]) for node in document.findall(callback_example_pending))
        if targets:
            self.references[docname] = sorted(targets)

    def clear_doc(self, docname: str) -> None:
        """Forget the tables and references of a document that is re-read or removed."""
        self.references.pop(docname, None)
        for name in sorted(self.data.setdefault("names", {}).pop(docname, ())):
            if name not in self.tables:
                continue
            kept = [e for e in self.tables[name] if e["docname"] != docname]
            if kept:
                self.tables[name] = kept
            else:
                del self.tables[name]

    def forget_documents(self) -> None:
        """Forget every document's tables and references (a ``-j`` reader's copy: see
        :func:`~sphinxext_callbacks.sphinx_ext.tracking.on_source_read`)."""
        for key in ("tables", "references", "names"):
            self.data.setdefault(key, {}).clear()

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take the tables of ``docnames`` from a parallel reader's data."""
        for docname, targets in otherdata["references"].items():
            if docname in docnames:
                self.references[docname] = targets
        names = self.data.setdefault("names", {})
        for docname, defined in otherdata.get("names", {}).items():
            if docname in docnames:
                names.setdefault(docname, set()).update(defined)
        other: dict[str, list[TableEntry]] = otherdata["tables"]
        for name, entries in other.items():
            for entry in entries:
                if entry["docname"] in docnames:
                    self.tables.setdefault(name, []).append(entry)

    def check_consistency(self) -> None:
        """Report names defined twice, at each definition that lost (see :meth:`_table`)."""
        for name in sorted(self.tables):
            winner = self._table(name)
            assert winner is not None
            losers = sorted(
                (e for e in self.tables[name] if e is not winner),
                key=lambda e: (e["docname"], e["order"]),
            )
            for entry in losers:
                logger.warning(
                    "callback %r is defined twice; the table in %s is the one that links go to",
                    name,
                    self.env.doc2path(winner["docname"], False),
                    location=entry["location"],
                    type=WARNING_TYPE,
                    subtype="ref",
                )

    # -- Resolving ----------------------------------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        """Link ``:callback:ref:`` to a table and ``:callback:field:`` to a row.

        An unknown target returns ``None``, so that intersphinx may still resolve it; the
        warning comes from :func:`_warn_missing_reference` if nothing does.
        """
        explicit = bool(node.get("refexplicit"))
        if typ == "ref":
            entry = self._table(target)
            if entry is None:
                return None
            text = entry["caption"] or target
            if not explicit:
                contnode = contnode.copy()
                contnode += nodes.Text(text)
            return make_refnode(
                builder, fromdocname, entry["docname"], entry["anchor"], contnode, text
            )
        if typ == "field":
            found = self._field(target)
            if found is None:
                return None
            _name, entry, key = found
            if not explicit:
                contnode = contnode.copy()
                contnode += nodes.Text(key)
            anchor = entry["row_anchors"].get(key, entry["anchor"])
            return make_refnode(builder, fromdocname, entry["docname"], anchor, contnode, target)
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """Resolve an ``:any:`` reference as a table, else as a field."""
        results = []
        for typ in ("ref", "field"):
            ref = self.resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
            if ref is not None:
                results.append((f"{self.name}:{typ}", ref))
        return results

    #: Set while Sphinx's search index reads :meth:`get_objects` (see :func:`_index_for_search`).
    _for_search = False

    def begin_search(self) -> None:
        """Have :meth:`get_objects` give the search index's entries until :meth:`end_search`."""
        self._for_search = True

    def end_search(self) -> None:
        """Have :meth:`get_objects` give the inventory's entries again."""
        self._for_search = False

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        """Every table (``name``) and field (``name.key``), for ``objects.inv``, and every
        table for search.

        The inventory gets what the roles show: a table's caption and a field's key, which
        intersphinx uses as link text. The search index gets other entries (see
        :meth:`_search_entry`).
        """
        for name in sorted(self.tables):
            entry = self._table(name)
            assert entry is not None
            caption = entry["caption"]
            objects = [(name, caption or name, "callback", entry["anchor"])]
            # Fields stay out of the search index (Sphinx leaves out what it would give
            # priority -1): a catalogue of GitHub's webhooks has 138,000 of them, and the
            # search finds them in the page text. Not even made, then.
            paths = () if self._for_search else entry["paths"]
            for path in paths:
                key = format_path(path)
                if _WHITESPACE.search(key):
                    # objects.inv separates its columns with whitespace: such a key (from
                    # someone else's spec) would be read as a forged entry, pointing anywhere.
                    continue
                anchor = entry["row_anchors"].get(key, entry["anchor"])
                objects.append((f"{name}.{key}", key, "field", anchor))
            for fullname, dispname, objtype, anchor in objects:
                if self._for_search:
                    fullname = dispname = _search_entry(name, caption, objtype, dispname)
                priority = 1 if objtype == "callback" else -1
                yield fullname, dispname, objtype, entry["docname"], anchor, priority

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        """The target of a reference node: ``name`` or ``name.key``."""
        target = node.get("reftarget")
        return str(target) if target else None

    def missing_reference_message(self, typ: str, target: str) -> str:
        """Say what a reference to ``target`` that nothing resolved is missing."""
        name = target
        if typ == "field":
            parts = target.split(".")
            if len(parts) < 2:
                return f"{target!r} is not a field reference: write name.key"
            for cut in range(len(parts) - 1, 0, -1):
                name, key = ".".join(parts[:cut]), ".".join(parts[cut:])
                entry = self._table(name)
                if entry is not None:
                    keys = [format_path(path) for path in entry["paths"]]
                    return f"callback {name!r} has no field {key!r}{_suggest(key, keys)}"
            name = parts[0]
        return f"unknown callback {name!r}{self.suggest_name(name)}"


def schema_text(schema: dict[str, Any]) -> str:
    """The published text of *schema* (``_callbacks/NAME.schema.json``): indented, with
    ``$defs`` in name order."""
    if isinstance(schema.get("$defs"), dict):
        schema = {**schema, "$defs": dict(sorted(schema["$defs"].items()))}
    try:
        text = json.dumps(schema, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError:
        # What is read is finite (readers.files); anything made later that is not, is left
        # out rather than published as the non-JSON NaN or Infinity.
        plain, _dropped = clean(json.loads(json.dumps(schema)))
        text = json.dumps(plain, indent=2, ensure_ascii=False, allow_nan=False)
    return fix_surrogates(text) + "\n"


def _search_entry(name: str, caption: str | None, objtype: str, dispname: str) -> str:
    """What a search result shows: a table's caption and name, or a field's key and table.

    It is also the entry's full name in the search index, which only the search reads.
    Sphinx's index shortens an anchor equal to ``objtype-fullname`` to ``-``, and its
    JavaScript rebuilds that anchor from the name displayed; with the displayed name as the
    full name, the anchor is shortened only when the rebuilt one is the same.
    """
    table = f"{caption} ({name})" if caption and caption != name else name
    return table if objtype == "callback" else f"{dispname} \N{EM DASH} {table}"


def _index_for_search(app: Sphinx, *args: Any) -> list[Any]:
    """Have the HTML builder's search index read the domain's search entries.

    Sphinx asks :meth:`CallbackDomain.get_objects` for both ``objects.inv`` and the search
    index, and has no hook between them (:func:`.compat.around_search_index`); the index is
    written at the end of the build, after the pages are collected.

    Not priorities: the search shows an object by its display name, which intersphinx uses
    as link text. An entry of its own for the search (priority 1) beside the inventory's
    (priority -1, which the search skips) would be written to ``objects.inv`` too, under
    the same name, and intersphinx keeps the last of the two: links from other projects
    would show the search's text.
    """
    domain = cast("CallbackDomain", app.env.get_domain(CallbackDomain.name))
    compat.around_search_index(app.builder, domain.begin_search, domain.end_search)
    return []


def _warn_missing_reference(
    app: Sphinx, domain: Domain | None, node: addnodes.pending_xref
) -> bool | None:
    """Report an unresolved ``callback`` reference as ``callbacks.ref`` at the reference."""
    if not isinstance(domain, CallbackDomain):
        return None
    if node.get(OPTIONAL):
        return True  # a catalogue's row: its name stays text when no table has it
    message = domain.missing_reference_message(node["reftype"], node["reftarget"])
    serial = node.get(SERIAL, id(node))
    if domain.first_time("ref", node.get("refdoc"), serial, message):
        logger.warning(message, location=node, type=WARNING_TYPE, subtype="ref")
    return True


def _note_before(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Remember what every name resolves to before the changed documents are read again."""
    domain = cast("CallbackDomain", env.get_domain(CallbackDomain.name))
    domain._before = domain.resolution()
    domain.__dict__.pop("_reported", None)  # a new build reports everything again
    return []


def _outdated_references(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The unchanged documents whose links or examples this build's changes move or break.

    Sphinx rewrites only the documents it read; a page linking to a table that was removed,
    renamed or moved must be rewritten too, so that its link is right or its warning shows.
    """
    domain = cast("CallbackDomain", env.get_domain(CallbackDomain.name))
    before, after = domain._before, domain.resolution()
    domain._before = None
    if before is None:
        return []
    moved = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    if not moved:
        return []
    return sorted(
        docname
        for docname, targets in domain.references.items()
        if any(t == n or t.startswith(n + ".") for t in targets for n in moved)
    )


def make_index_node(
    name: str, keys: Sequence[str], row_anchors: Mapping[str, str], table_anchor: str
) -> addnodes.index:
    """General-index entries for the table ``name`` and each of its fields.

    The table directive puts this node just before the table, so that the entries point into it.
    """
    index = addnodes.index(entries=[], inline=False)
    index["entries"].append(("single", f"{name} (callback)", table_anchor, "", None))
    for key in keys:
        anchor = row_anchors.get(key, table_anchor)
        index["entries"].append(("single", f"{key} (field of callback {name})", anchor, "", None))
    return index


def setup_domain(app: Sphinx) -> None:
    """Register the ``callback`` domain and its missing-reference warnings."""
    app.add_domain(CallbackDomain)
    app.connect("warn-missing-reference", _warn_missing_reference)
    app.connect("env-get-outdated", _note_before)
    app.connect("env-updated", _outdated_references)
    app.connect("html-collect-pages", _index_for_search)
