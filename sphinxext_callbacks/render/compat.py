"""Every use this package makes of Sphinx's, docutils' and MyST-Parser's internals.

The rest of the package uses their public interfaces only (``tests/test_compat.py`` reads
the source and keeps it so). What no public interface offers is here, each piece with the
versions it was checked on and a test in ``tests/test_compat.py`` that checks the internal
itself, so that a release which changes one fails there, by name, and not as a wrong table.

Checked on: Sphinx 7.4.0 and 9.0.4, docutils 0.20.1 and 0.22.4, MyST-Parser 3.0.0 and 5.2.0
(the declared floor, which ``.ci/run`` tests, and the newest releases).
"""

from __future__ import annotations

import logging as stdlib_logging
import re
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives, languages, roles, states
from docutils.writers.manpage import Table
from sphinx.util.docutils import new_document

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator

#: ``docutils.parsers.rst.directives.directive``: a directive's name -> its class and messages.
DirectiveLookup = Callable[[str, Any, nodes.document], Any]
#: ``docutils.parsers.rst.roles.role``: a role's name -> its function and messages.
RoleLookup = Callable[[str, Any, int, Any], Any]


# -- docutils: directive and role lookups -------------------------------------------------------
#
# docutils' reST parser finds a directive through the module function
# ``directives.directive(name, language, document)`` and a role through
# ``roles.role(name, language, lineno, reporter)``; it has no other hook. Sphinx replaces both
# while it reads a page (``sphinx.util.docutils.sphinx_domains``), and so do we, for one parse
# of a data file's text: see ``render.gate``. Checked on docutils 0.20.1 and 0.22.4.


def current_lookups() -> tuple[DirectiveLookup, RoleLookup]:
    """The directive and role lookups the reST parser uses now (Sphinx's, while it reads)."""
    return directives.directive, roles.role


@contextmanager
def replaced_lookups(directive: DirectiveLookup, role: RoleLookup) -> Iterator[None]:
    """Have the reST parser find directives through ``directive`` and roles through ``role``."""
    saved = current_lookups()
    directives.directive = directive  # type: ignore[assignment]
    roles.role = role  # type: ignore[assignment]
    try:
        yield
    finally:
        directives.directive, roles.role = saved  # type: ignore[assignment]


# -- docutils: inline markup parsed into a document of one's own ---------------------------------
#
# ``SphinxDirective.parse_inline`` parses into the page being read; text from a data file is
# parsed into a scratch document, so that its targets and names never reach the page. docutils'
# ``Inliner.parse`` wants the parser's "memo", which only the state machine builds; the fields
# read by the inliner and by roles are these (docutils 0.20.1 and 0.22.4).


def parse_inline(
    text: str, lineno: int, document: nodes.document, parent: nodes.Element
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Inline nodes and messages for ``text``, parsed as inline reST for ``parent``, an
    element of ``document``."""
    inliner = states.Inliner()
    inliner.init_customizations(document.settings)
    memo = SimpleNamespace(
        document=document,
        reporter=document.reporter,
        language=languages.get_language(document.settings.language_code, document.reporter),
        title_styles=[],
        section_level=0,
        section_bubble_up_kludge=False,
        inliner=inliner,
    )
    parsed, messages = inliner.parse(text, lineno, memo, parent)
    return list(parsed), list(messages)


def scratch_document(source: str, page: nodes.document) -> nodes.document:
    """An empty document to parse a cell's text into, reporting through ``page``'s reporter.

    Sphinx's ``new_document()`` gives every document the reporter of the first one it ever
    made, which prints under that document's name; through the page's own, messages are
    located Sphinx warnings of the page (``-W``, ``suppress_warnings``). Sphinx 7.4.0, 9.0.4.
    """
    document = new_document(source, page.settings)
    document.reporter = page.reporter
    return document


# -- MyST-Parser: a Markdown parser and renderer outside a MyST document ---------------------------
#
# MyST-Parser's documented entry point is its Sphinx parser, which parses a whole page with the
# project's settings. A cell needs a parser of its own: ``create_md_parser`` with a renderer
# class, and the document passed in markdown-it's options, as ``myst_parser.parsers.sphinx_``
# does. The renderer dispatches each token to ``render_<token type>``; a data file's parser
# overrides three of them. Checked on MyST-Parser 3.0.0 and 5.2.0.

#: The token handlers of MyST's renderer that a data file's text must not reach: what they
#: do bypasses the directive lookup (``{eval-rst}``), runs Jinja2 (substitutions), or sets
#: page metadata (front matter).
REFUSED_MARKDOWN = {
    "render_restructuredtext": "{eval-rst}",
    "render_substitution": "{{ }}",
    "render_front_matter": "front matter",
}


def markdown_parser(config: Any = None, *, refuse: Callable[[str], None] | None = None) -> Any:
    """A markdown-it parser with MyST's syntax and renderer, or ``None`` without MyST-Parser.

    ``config`` is a project's ``env.myst_config`` (``None``: MyST's defaults, no extension).
    With ``refuse``, what :data:`REFUSED_MARKDOWN` names is shown as a literal block and
    ``refuse`` is called with its name.
    """
    try:
        from myst_parser.config.main import MdParserConfig
        from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
        from myst_parser.parsers.mdit import create_md_parser
    except ImportError:
        return None
    renderer: type[Any] = SphinxRenderer
    if refuse is not None:
        renderer = _refusing_renderer(SphinxRenderer, refuse)
    return create_md_parser(config or MdParserConfig(), renderer)


#: The end of a MyST-Parser 3 warning's text: its type and subtype. MyST-Parser 3.0.0 reports
#: through docutils' reporter, which Sphinx logs as type ``docutils``; 5.2.0 logs the record
#: with MyST's own ``type`` and ``subtype``.
_MYST_SUFFIX = re.compile(r" \[(myst)\.([\w.-]+)\]\s*\Z")


def warning_kind(record: stdlib_logging.LogRecord) -> tuple[str | None, str | None]:
    """The type and subtype of a logged warning, whichever MyST-Parser logged it."""
    kind, subtype = getattr(record, "type", None), getattr(record, "subtype", None)
    if kind in (None, "docutils"):
        found = _MYST_SUFFIX.search(record.getMessage())
        if found:
            return found.group(1), found.group(2)
    return (None if kind is None else str(kind)), (None if subtype is None else str(subtype))


def render_markdown(parser: Any, text: str, document: nodes.document) -> None:
    """Parse ``text`` with ``parser`` (from :func:`markdown_parser`) into ``document``."""
    parser.options["document"] = document
    parser.render(text)


def _refusing_renderer(base: type[Any], refuse: Callable[[str], None]) -> type[Any]:
    def refused(what: str) -> Callable[..., None]:
        def render(self: Any, token: Any, *arguments: Any) -> None:
            refuse(what)
            text = token.content
            self.current_node.append(nodes.literal_block(text, text, language="text"))

        return render

    handlers = {name: refused(what) for name, what in REFUSED_MARKDOWN.items()}
    return type("RefusingRenderer", (base,), handlers)


# -- Sphinx: the search index's objects ------------------------------------------------------------
#
# Sphinx asks ``Domain.get_objects()`` for both ``objects.inv`` and the search index, and has
# no hook between them, nor a way to give an object a different name in each. The HTML
# builder's ``indexer`` (``sphinx.search.IndexBuilder``) reads the domains in its
# ``get_objects(fn2index)`` when the index is written, at the end of the build. Checked on
# Sphinx 7.4.0 and 9.0.4.

#: Each search index's reader pairs: the index is wrapped once, whatever asks.
_around: weakref.WeakKeyDictionary[Any, list[tuple[Callable[[], None], Callable[[], None]]]] = (
    weakref.WeakKeyDictionary()
)


def around_search_index(
    builder: Builder, enter: Callable[[], None], leave: Callable[[], None]
) -> bool:
    """Call ``enter`` before and ``leave`` after the builder's search index reads the domains;
    whether the builder has a search index.

    A pair already registered for that index (bound methods of one object compare equal)
    is not registered again.
    """
    indexer = getattr(builder, "indexer", None)
    if indexer is None:
        return False
    pairs = _around.get(indexer)
    if pairs is None:
        pairs = _around[indexer] = []
        read = indexer.get_objects

        def get_objects(*arguments: Any, **keywords: Any) -> Any:
            for begin, _end in pairs:
                begin()
            try:
                return read(*arguments, **keywords)
            finally:
                for _begin, end in reversed(pairs):
                    end()

        indexer.get_objects = get_objects
    if (enter, leave) not in pairs:
        pairs.append((enter, leave))
    return True


# -- Sphinx and docutils: attributes on HTML the translator writes ---------------------------------
#
# The HTML translator writes a start tag with the attributes it chooses (``starttag()`` takes
# ``ids`` and ``classes`` from the node, nothing else), and has no hook to add ``scope`` to a
# header cell or ARIA roles to a table's rows. Its output is a list of strings, ``body``; the
# start tag of an element is the last string after its ``visit_`` method (docutils' HTML5
# writer 0.20.1 and 0.22.4, unchanged by Sphinx 7.4.0 and 9.0.4). What follows edits those
# strings, and nothing else in the package does.


def add_to_start_tag(translator: HTML5Translator, tag: str, attributes: str) -> bool:
    """Put ``attributes`` (`` name="value"`` text) into the start tag just written, if it is
    a ``<tag``; whether it was."""
    opening = translator.body[-1] if translator.body else ""
    prefix = f"<{tag}"
    if not opening.startswith(prefix) or opening[len(prefix) : len(prefix) + 1] not in (" ", ">"):
        return False
    translator.body[-1] = prefix + attributes + opening[len(prefix) :]
    return True


_marks: weakref.WeakKeyDictionary[Any, list[int]] = weakref.WeakKeyDictionary()


def mark_output(translator: HTML5Translator) -> None:
    """Remember where the translator's output stands (a stack: tables nest in cells)."""
    _marks.setdefault(translator, []).append(len(translator.body))


def rewrite_since_mark(translator: HTML5Translator, rewrite: Callable[[str], str]) -> None:
    """Replace what the translator wrote since the last :func:`mark_output` by its rewrite."""
    start = _marks[translator].pop()
    translator.body[start:] = [rewrite("".join(translator.body[start:]))]


# -- docutils: the man-page writer's table and escaping -----------------------------------------
#
# docutils' man writer fills the ``tbl`` table it keeps in ``_active_table`` (a
# ``docutils.writers.manpage.Table``) and escapes text in ``visit_Text``; docutils 0.21 names
# that escaping step ``encode_special_chars``, 0.20.1 does the same replacements inline.
# Checked on docutils 0.20.1 and 0.22.4.

_MAN_SPECIAL = (("-", "\\-"), ("'", "\\(aq"), ("´", "\\'"), ("`", "\\(ga"), ('"', "\\(dq"))


def man_escaped(translator: Any, text: str) -> str:
    """``text`` escaped as the man writer escapes text that starts no line."""
    text = text.replace("\\", "\\e")
    for char, markup in _MAN_SPECIAL:
        text = text.replace(char, markup)
    escaped: str = translator.deunicode(text)
    return escaped


def set_man_table(translator: Any, table: Any) -> None:
    """Have the man writer fill ``table`` (a ``manpage.Table``) for the table it visits."""
    translator._active_table = table


class SpanningManTable(Table):
    """A ``tbl`` table whose rows may each span every column (one format line a row).

    It relies on the layout of ``Table.as_list``: its third line is the one format line
    docutils writes for every row."""

    def __init__(self, spanning: list[bool]) -> None:
        super().__init__()
        self._spanning = spanning
        self._row_count = 0

    def new_row(self) -> None:
        super().new_row()
        self._row_count += 1

    def as_list(self) -> list[str]:
        text: list[str] = super().as_list()
        if not any(self._spanning):
            return text
        # text[2] is the one format line docutils writes for every row: "l|l|l." (0.21 and
        # later, in a box), "|l|l|l|." (0.20, bars at the edges).
        plain = text[2].rstrip("\n").rstrip(".")
        inner = plain.strip("|")
        left, right = plain[: plain.index(inner)], plain[plain.index(inner) + len(inner) :]
        spanned = left + " ".join(["l"] + ["s"] * inner.count("|")) + right
        lines = [spanned if spans else plain for spans in self._spanning]
        lines += [plain] * (self._row_count - len(lines))
        text[2] = "\n".join(lines) + ".\n"
        return text
