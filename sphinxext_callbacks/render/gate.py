"""The gate every text from a data file goes through (data is never code: ``docs/security.rst``).

A spec someone else wrote is content, not documentation source. Its text is parsed
into a scratch document with directive and role lookups that know only an allowlist:
any other directive or role is shown as the text it is, with a ``callbacks.markup``
warning, and never runs (``ifconfig`` would evaluate Python, ``automodule`` import a
module, ``include`` read a file, ``meta`` and ``title`` change the page). MyST
extensions (substitutions, ``{eval-rst}``) do not apply: data-file Markdown is parsed
by a parser of its own, with none of them.

After parsing, hyperlinks are resolved inside the scratch document, and the result
is walked once more: only allowed node classes stay, every link must point to a web
URL (``http``, ``https``, ``mailto``) as a browser would read it, or be one of the
documentation's own cross-references; ids and targets are dropped, so nothing from
the cell can be linked to or clash with the page. Images are never kept, so no
builder fetches them.
"""

from __future__ import annotations

import logging as stdlib_logging
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, ClassVar
from urllib.parse import urljoin

from docutils import nodes
from docutils.parsers.rst import Directive, roles
from docutils.parsers.rst import Parser as RstParser
from docutils.transforms import references
from docutils.utils import Reporter
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_callbacks.model.fields import Callback, Field, Markup
from sphinxext_callbacks.model.problems import WARNING_TYPE
from sphinxext_callbacks.render import compat

logger = logging.getLogger(__name__)

#: Directives data-file text may use: admonitions, code blocks, tables.
ALLOWED_DIRECTIVES = frozenset(
    {
        "admonition",
        "attention",
        "caution",
        "danger",
        "error",
        "hint",
        "important",
        "note",
        "tip",
        "warning",
        "seealso",
        "code",
        "code-block",
        "sourcecode",
        "table",
        "list-table",
    }
)
#: Roles data-file text may use: inline markup, links to RFCs and PEPs, and the
#: documentation's own references.
ALLOWED_ROLES = frozenset(
    {
        "emphasis",
        "strong",
        "literal",
        "code",
        "subscript",
        "sub",
        "superscript",
        "sup",
        "title-reference",
        "rfc",
        "pep",
        "ref",
        "doc",
        "std:ref",
        "std:doc",
    }
)
#: Every role of the extension's own domain is allowed too.
ALLOWED_ROLE_PREFIX = "callback:"
#: Cross-references (``pending_xref``) that may stay: those the allowed roles make.
ALLOWED_XREFS = frozenset({("std", "ref"), ("std", "doc")})
#: The only URL schemes a link from a data file may have.
WEB_SCHEMES = frozenset({"http", "https", "mailto"})
#: Schemes that run code in a browser: a link with one is an attack, and said so.
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "data"})

#: Node classes that may stand in a cell made from data-file text (exact classes: a
#: subclass may render differently).
ALLOWED_NODES: frozenset[type[nodes.Node]] = frozenset(
    {
        nodes.Text,
        nodes.paragraph,
        nodes.emphasis,
        nodes.strong,
        nodes.literal,
        nodes.title_reference,
        nodes.subscript,
        nodes.superscript,
        nodes.inline,
        nodes.reference,
        addnodes.pending_xref,
        nodes.bullet_list,
        nodes.enumerated_list,
        nodes.list_item,
        nodes.definition_list,
        nodes.definition_list_item,
        nodes.term,
        nodes.classifier,
        nodes.definition,
        nodes.literal_block,
        nodes.doctest_block,
        nodes.block_quote,
        nodes.attribution,
        nodes.line_block,
        nodes.line,
        nodes.table,
        nodes.tgroup,
        nodes.colspec,
        nodes.thead,
        nodes.tbody,
        nodes.row,
        nodes.entry,
        nodes.title,
        nodes.caption,
        nodes.container,
        nodes.rubric,
        nodes.admonition,
        nodes.attention,
        nodes.caution,
        nodes.danger,
        nodes.error,
        nodes.hint,
        nodes.important,
        nodes.note,
        nodes.tip,
        nodes.warning,
        addnodes.seealso,
    }
)

# What a browser ignores in a URL: leading and trailing C0 controls and spaces,
# and tabs and newlines anywhere (so "\x01java\nscript:" is a javascript: URL).
_URL_IGNORED = re.compile(r"[\t\n\r]")
# (Anchored where it is used; the look-behind keeps a search linear too.)
_SCHEME = re.compile(r"(?<![a-zA-Z0-9+.-])([a-zA-Z][a-zA-Z0-9+.-]*):")
# Characters that must not reach any output: controls (NUL, ESC, newlines in a name),
# format characters (the right-to-left override) and line separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})

Warn = Callable[[str], None]


def link_scheme(uri: str) -> str | None:
    """The scheme of ``uri`` as a browser reads it, lower case; None for a relative URL."""
    cleaned = _URL_IGNORED.sub("", uri).strip("".join(map(chr, range(33))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def is_web_link(uri: str) -> bool:
    """Whether a data file's link may keep ``uri``: an ``http``, ``https`` or ``mailto`` URL."""
    return link_scheme(uri) in WEB_SCHEMES


def escape_hidden(text: str, keep: str = "") -> str:
    """``text`` with control and format characters (other than ``keep``) made visible.

    C0 controls become their control pictures (NUL is ``␀``, a newline ``␊``), others
    ``[U+202E]``: no backslash, which the markup of a cell would take as an escape.
    """
    if text.isprintable() or all(char in keep or not _hidden(char) for char in text):
        return text
    return "".join(_visible(char) if char not in keep and _hidden(char) else char for char in text)


def _hidden(char: str) -> bool:
    return not char.isprintable() and unicodedata.category(char) in _HIDDEN_CATEGORIES


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"[U+{code:04X}]"


def clean_callback(callback: Callback) -> list[str]:
    """Make control characters visible in everything a data file names; what was changed.

    Keys and captions reach ``objects.inv`` (one entry a line), XML (where most
    controls are invalid) and LaTeX; the right-to-left override would show text
    that is not there. Texts that are parsed (descriptions, formats) go through the
    gate, which does the same to their text after parsing.
    """
    changed: list[str] = []

    def clean(text: str) -> str:
        cleaned = escape_hidden(text)
        if cleaned != text:
            changed.append(cleaned)
        return cleaned

    callback.fields = [_clean_field(item, clean) for item in callback.fields]
    if callback.caption:
        callback.caption = clean(callback.caption)
    callback.notes = [clean(note) for note in callback.notes]
    return changed


def _is_hidden(value: object) -> bool:
    """Whether ``value`` is a text with a character :func:`escape_hidden` would change."""
    return isinstance(value, str) and escape_hidden(value) != value


def _clean_field(item: Field, clean: Callable[[str], str]) -> Field:
    """``item`` with its names and texts made visible (``clean`` notes each change)."""
    changes: dict[str, Any] = {}
    if any(_is_hidden(segment) for segment in item.path):
        changes["path"] = tuple(escape_hidden(segment) for segment in item.path)
        clean(item.key)
    for name in ("json_format", "since", "example", "default"):
        value = getattr(item, name)
        if _is_hidden(value):
            changes[name] = clean(value)
    if any(
        _is_hidden(c.label or "") or any(_is_hidden(segment) for segment in c.owner)
        for c in item.alternatives
    ):
        changes["alternatives"] = tuple(
            replace(
                c,
                label=clean(c.label) if c.label else c.label,
                owner=tuple(escape_hidden(segment) for segment in c.owner),
            )
            for c in item.alternatives
        )
    if any(_is_hidden(value) for value in item.enum):
        changes["enum"] = tuple(
            clean(value) if isinstance(value, str) else value for value in item.enum
        )
    return replace(item, **changes) if changes else item


class Gate:
    """Parses the text of one data file for one directive, with the allowlist only."""

    def __init__(self, directive: SphinxDirective, origin: str) -> None:
        self.directive = directive
        self.origin = origin

    def warn(self, message: str) -> None:
        logger.warning(
            "%s: %s",
            self.origin.split("#", 1)[0],
            message,
            location=self.directive.get_location(),
            type=WARNING_TYPE,
            subtype="markup",
        )

    def visible_nodes(self, parsed: list[nodes.Node]) -> list[nodes.Node]:
        """Text and literal nodes with their control characters made visible."""
        shown: list[nodes.Node] = []
        for node in parsed:
            text = node.astext()
            seen = self.visible(text)
            if seen == text:
                shown.append(node)
            elif isinstance(node, nodes.literal):
                shown.append(nodes.literal(seen, seen))
            else:
                shown.append(nodes.Text(seen))
        return shown

    def visible(self, text: str) -> str:
        """``text`` with its control characters made visible, and a warning if it had any."""
        shown = escape_hidden(text, "\t\n\r")
        if shown != text:
            self.warn(f"control characters in {shown!r} are shown as symbols")
        return shown

    def blocks(self, text: str, markup: Markup) -> list[nodes.Node]:
        """Body elements for ``text``, a description in ``markup`` (``rst`` or ``markdown``)."""
        document = self._scratch()
        parser = _data_markdown_parser() if markup == "markdown" else None
        if markup == "markdown" and parser is None:
            # Without myst-parser, Markdown is shown as the text it is.
            return self._finish([nodes.paragraph(text, text)], inline=False)
        with self._allowlist():
            if parser is not None:
                simple = simple_markdown(parser, text)
                if simple is not None:
                    return self._finish(simple, inline=False)
                compat.render_markdown(parser, text, document)
            else:
                RstParser().parse(text, document)
            _resolve_links(document)
        children = [c for c in document.children if not isinstance(c, nodes.system_message)]
        return self._finish(_sections_as_rubrics(children), inline=False)

    def inline(self, text: str, markup: Markup) -> list[nodes.Node]:
        """Inline nodes for ``text``, one line of display text (a Format cell, a caption)."""
        if markup == "markdown":
            parsed = self.blocks(text, "markdown")
            if len(parsed) == 1 and isinstance(parsed[0], nodes.paragraph):
                return list(parsed[0].children)
            # More than a line of text: shown as it is written (its warnings are given).
            return [nodes.Text(escape_hidden(text))]
        document = self._scratch()
        paragraph = nodes.paragraph(text)
        document += paragraph
        with self._allowlist():
            parsed, _messages = compat.parse_inline(
                text, self.directive.lineno, document, paragraph
            )
            paragraph.extend(parsed)
            _resolve_links(document)
        return self._finish(list(paragraph.children), inline=True)

    def _scratch(self) -> nodes.document:
        source = self.directive.get_source_info()[0] or "<callbacks>"
        return compat.scratch_document(source, self.directive.state.document)

    def _finish(self, parsed: list[nodes.Node], *, inline: bool) -> list[nodes.Node]:
        result = [kept for node in parsed for kept in self._filter(node, inline)]
        page = self.directive.state.document
        for top in result:
            # The nodes move to the page: a reference to the scratch document would be
            # pickled with the page's doctree, one whole document per description.
            for node in top.findall():
                node.document = page
        return result

    @contextmanager
    def _allowlist(self) -> Iterator[None]:
        """Directive and role lookups that know only the allowlist, for one parse.

        Replacing docutils' lookups (Sphinx's domain-aware dispatcher while it reads a
        page, :func:`.compat.replaced_lookups`) for the parse bypasses every registry
        (docutils', Sphinx's, the domains') for any name not allowed, so that nothing
        else runs.
        """
        find_directive, find_role = compat.current_lookups()
        settings = self.directive.state.document.settings
        insertion, raw = settings.file_insertion_enabled, settings.raw_enabled

        def directive(name: str, language: Any, document: nodes.document) -> Any:
            if name.lower() in ALLOWED_DIRECTIVES:
                return find_directive(name, language, document)
            return _refused_directive(name, self.warn), []

        def role(name: str, language: Any, lineno: int, reporter: Reporter) -> Any:
            lowered = name.lower()
            if not lowered:
                # Not the project's default_role (which may be math or an xref).
                return roles.GenericRole("title-reference", nodes.title_reference), []
            if lowered in ALLOWED_ROLES or lowered.startswith(ALLOWED_ROLE_PREFIX):
                return find_role(name, language, lineno, reporter)
            return _refused_role(self.warn), []

        settings.file_insertion_enabled = False
        settings.raw_enabled = False
        _current.append(self)
        captured = _Captured()
        handlers = list(stdlib_logging.getLogger("sphinx").handlers)
        for handler in handlers:
            handler.addFilter(captured)
        try:
            with compat.replaced_lookups(directive, role):
                yield
        finally:
            for handler in handlers:
                handler.removeFilter(captured)
            _current.pop()
            settings.file_insertion_enabled, settings.raw_enabled = insertion, raw
        # What docutils or MyST said of the data file's text is said again as this
        # extension's, at the directive: suppress_warnings = ["callbacks"] then works on it.
        for message in captured.messages:
            self.warn(message)

    def _filter(self, node: nodes.Node, inline: bool) -> list[nodes.Node]:
        """``node`` as it may stand in the cell: kept, shown as text, or left out."""
        if isinstance(node, nodes.Text):
            text = self.visible(node.astext())
            return [node if text == node.astext() else nodes.Text(text)]
        assert isinstance(node, nodes.Element)
        kind = type(node)
        if kind in (nodes.system_message, nodes.comment, addnodes.index):
            # Reported already; comments show nothing; :rfc: and :pep: add an index
            # entry, which would put the spec's text in the documentation's index.
            return []
        if kind is nodes.problematic:
            return [nodes.Text(self.visible(node.astext()))]
        if kind is nodes.raw:
            # HTML in Markdown is text like any other.
            return [_as_literal(node.astext(), inline)]
        if kind is nodes.target:
            return self._target(node, inline)
        if kind is nodes.reference:
            return self._reference(node)
        if kind is addnodes.pending_xref:
            if (node.get("refdomain"), node.get("reftype")) not in ALLOWED_XREFS and node.get(
                "refdomain"
            ) != "callback":
                # A Markdown link to a page or path of the spec's own site.
                return self._site_link(str(node.get("reftarget") or ""), node)
        elif kind is nodes.substitution_definition and all(
            name.startswith("wordcount-") for name in node["names"]
        ):
            return []  # MyST's word count of the scratch document
        elif kind not in ALLOWED_NODES:
            return self._refused_node(node, inline)
        node["ids"] = []
        node["names"] = []
        children = [
            kept
            for child in node.children
            for kept in self._filter(child, isinstance(node, nodes.TextElement))
        ]
        node.children = []
        node.extend(children)
        return [node]

    def _target(self, node: nodes.Element, inline: bool) -> list[nodes.Node]:
        refuri = node.get("refuri")
        if refuri is not None:
            # An external target: its reference carries the URL now and is checked itself.
            return []
        if inline or not node.rawsource.strip():
            return []
        self.warn(f"a target defines a name in the page; shown as text: {node.rawsource!r}")
        return [_as_literal(node.rawsource, inline)]

    def _reference(self, node: nodes.Element) -> list[nodes.Node]:
        refuri = node.get("refuri")
        if refuri is None:
            # A link to an id in the cell (ids are dropped) or to nowhere.
            return [nodes.Text(self.visible(node.astext()))]
        if link_scheme(refuri) in WEB_SCHEMES:
            node["ids"], node["names"] = [], []
            children = [kept for child in node.children for kept in self._filter(child, True)]
            node.children = []
            node.extend(children)
            return [node]
        return self._site_link(refuri, node)

    def _site_link(self, target: str, node: nodes.Element) -> list[nodes.Node]:
        """A link that is not a web URL: placed under ``callbacks_link_base`` when that
        makes it one, else its text.

        Specs link to their own site (``/api-errors/x``) or to names of their tooling
        (``entity:Location``): neither is a page of this documentation, so they are text,
        quietly, unless a base URL was configured and still cannot place them. Script
        URLs are always worth a warning.
        """
        text: list[nodes.Node] = [nodes.Text(self.visible(node.astext()))]
        scheme = link_scheme(target)
        if scheme in SCRIPT_SCHEMES:
            self.warn(f"link to {target!r} removed: only http, https and mailto links are kept")
            return text
        base = getattr(self.directive.config, "callbacks_link_base", None)
        if not base:
            return text
        placed = urljoin(base, target) if scheme is None and target.strip() else ""
        if link_scheme(placed) not in ("http", "https"):
            self.warn(f"link to {target!r} cannot be placed under callbacks_link_base {base!r}")
            return text
        link = nodes.reference("", "", refuri=placed)
        link.extend(text)
        return [link]

    def _refused_node(self, node: nodes.Element, inline: bool) -> list[nodes.Node]:
        if isinstance(node, nodes.image):
            text = self.visible(str(node.get("alt") or node.get("uri") or ""))
            self.warn(f"image {node.get('uri')!r} left out: no image of a data file is fetched")
            return [nodes.Text(text)] if inline else [nodes.paragraph(text, text)]
        text = node.astext()
        if isinstance(node, nodes.substitution_reference):
            text = f"|{text}|"
        elif isinstance(node, nodes.substitution_definition):
            text = node.rawsource or text
        self.warn(f"{node.tagname} is not allowed in text from a data file; shown as text")
        text = self.visible(text)  # shown as it was written, but never its control characters
        return [_as_literal(text, inline)] if text.strip() else []


class _Captured(stdlib_logging.Filter):
    """Holds back the warnings of other types logged while data-file text is parsed."""

    #: Warnings that mean nothing for a cell: a heading level (headings become rubrics).
    IGNORED: ClassVar[set[tuple[str | None, str | None]]] = {("myst", "header")}

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def filter(self, record: stdlib_logging.LogRecord) -> bool:
        kind = compat.warning_kind(record)
        if record.levelno < stdlib_logging.WARNING or kind[0] == WARNING_TYPE:
            return True
        if kind not in self.IGNORED:
            self.messages.append(record.getMessage())
        return False


#: The gate of the parse under way, for the MyST renderer (which markdown-it creates).
_current: list[Gate] = []


def _as_literal(text: str, inline: bool) -> nodes.Element:
    if inline:
        return nodes.literal(text, text)
    return nodes.literal_block(text, text, language="text")


def _refused_directive(name: str, warn: Warn) -> type[Directive]:
    class Refused(Directive):
        """Any directive not allowed: its whole text, shown as a literal block."""

        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec: ClassVar[dict[str, Any] | None] = None

        def run(self) -> list[nodes.Node]:
            warn(f"directive {name!r} is not allowed in text from a data file; shown as text")
            text = self.block_text.rstrip("\n")
            return [nodes.literal_block(text, text, language="text")]

    return Refused


def _refused_role(warn: Warn) -> Callable[..., tuple[list[nodes.Node], list[nodes.Node]]]:
    def refused(
        name: str,
        rawtext: str,
        text: str,
        lineno: int,
        inliner: Any,
        options: Any = None,
        content: Sequence[str] = (),
    ) -> tuple[list[nodes.Node], list[nodes.Node]]:
        warn(f"role {name!r} is not allowed in text from a data file; shown as text")
        return [nodes.literal(rawtext, rawtext)], []

    return refused


def _resolve_links(document: nodes.document) -> None:
    """Resolve the scratch document's hyperlink references to their URLs.

    The page's transforms would do it later, after the check: a named, anonymous or
    indirect target would then bring ``javascript:`` in behind it.
    """
    for transform in (
        references.PropagateTargets,
        references.AnonymousHyperlinks,
        references.IndirectHyperlinks,
        references.ExternalTargets,
        references.InternalTargets,
        references.DanglingReferences,
    ):
        transform(document).apply()


def _sections_as_rubrics(children: list[nodes.Node]) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for child in children:
        if not isinstance(child, nodes.section):
            result.append(child)
            continue
        # Sections cannot live in a table cell: keep their titles as rubrics.
        title = child.next_node(nodes.title)
        if title is not None:
            result.append(nodes.rubric(title.astext(), "", *title.children))
        result.extend(_sections_as_rubrics([c for c in child.children if c is not title]))
    return result


#: markdown-it inline tokens that map onto docutils nodes one to one.
_MARKDOWN_INLINE: dict[str, type[nodes.TextElement]] = {
    "em_open": nodes.emphasis,
    "strong_open": nodes.strong,
}


def simple_markdown(parser: Any, text: str) -> list[nodes.Node] | None:
    """Paragraphs of text, code spans, emphasis and strong, from markdown-it's tokens.

    Most descriptions in specs are such paragraphs; MyST's renderer would build a whole
    scratch document for each. Anything else (links, lists, HTML, roles) gives None.
    """
    result: list[nodes.Node] = []
    tokens = parser.parse(text)
    index = 0
    while index < len(tokens):
        if index + 3 > len(tokens):
            return None
        opening, inline, closing = tokens[index : index + 3]
        if (opening.type, inline.type, closing.type) != (
            "paragraph_open",
            "inline",
            "paragraph_close",
        ):
            return None
        paragraph = nodes.paragraph(inline.content, "")
        stack: list[nodes.Element] = [paragraph]
        for token in inline.children or ():
            if token.type == "text":
                if token.content:
                    stack[-1] += nodes.Text(token.content)
            elif token.type == "softbreak":
                stack[-1] += nodes.Text("\n")
            elif token.type == "code_inline":
                stack[-1] += nodes.literal(
                    token.markup + token.content + token.markup, token.content
                )
            elif token.type in _MARKDOWN_INLINE:
                element = _MARKDOWN_INLINE[token.type]()
                stack[-1] += element
                stack.append(element)
            elif token.type in ("em_close", "strong_close") and len(stack) > 1:
                stack.pop()
            else:
                return None
        result.append(paragraph)
        index += 3
    return result or None


_data_parsers: list[Any] = []


def _data_markdown_parser() -> Any:
    """One markdown-it parser for data files: MyST's syntax with no extension at all.

    Not the project's ``myst_enable_extensions``: ``substitution`` renders ``{{ }}``
    with Jinja, ``dollarmath`` passes text to LaTeX. What bypasses the directive lookup
    (``{eval-rst}``, substitutions, front matter) is shown as text.
    """
    if not _data_parsers:
        parser = compat.markdown_parser(refuse=_refuse_markdown)
        if parser is None:
            return None
        _data_parsers.append(parser)
    return _data_parsers[0]


def _refuse_markdown(what: str) -> None:
    # Text between two "---" lines at the top is no attempt at anything: shown, quietly.
    if _current and what != "front matter":
        _current[-1].warn(f"{what} is not allowed in text from a data file; shown as text")
