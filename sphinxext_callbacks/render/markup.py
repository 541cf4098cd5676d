"""Parse the text of cells into nodes, in whatever markup it is written in.

Inline entries and field-list files are written in the document's own markup
(reST or MyST) and go through the directive's state, so roles and line numbers
work. OpenAPI and AsyncAPI descriptions are CommonMark: in a MyST document they
go the same way; in a reST document they are parsed by MyST's parser into a
scratch document. Plain text is never parsed at all.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import Parser as RstParser
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, new_document

from sphinxext_callbacks.model.fields import Field, Markup
from sphinxext_callbacks.model.problems import WARNING_TYPE
from sphinxext_callbacks.readers.files import check_allowed

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

# Text with none of these characters parses to a single plain paragraph in reST and
# in MyST, so it can skip the parser: most descriptions are such sentences.
_PLAIN = re.compile(r"[^`*_|\[\]<>:\\{}$=~^@&#\n]*")
_LIST_START = re.compile(r"\s*(?:[-+*>|#]|\d+[.)]|[a-zA-Z][.)]\s|\()")
_PARAGRAPHS = re.compile(r"\n\s*\n")
# A literal, in reST (``x``) or MyST (`x`), with plain text around it: most Format cells.
_LITERALS = {
    "rst": re.compile(r"``([^`\s](?:[^`]*[^`\s])?)``"),
    "markdown": re.compile(r"(?<!`)`([^`\s](?:[^`]*[^`\s])?)`(?!`)"),
}
# What may stand between literals: plain words, and "|" with spaces around it (which is
# no substitution reference in reST and no table in a MyST inline).
_BETWEEN = re.compile(r"(?:[^`*_|\[\]<>:\\{}$=~^@&#\n]| \| )*")
# Lines that start a block (list, quote, heading, fence, table, directive) in reST or MyST.
_BLOCK_START = re.compile(r"\s*(?:[-+*>|#=<`~]|\.\.|\d+[.)]|[a-zA-Z][.)]\s|\()")


def document_markup(directive: SphinxDirective) -> Markup:
    """``markdown`` when the directive stands in a MyST document, else ``rst``."""
    source = directive.get_source_info()[0] or ""
    suffixes: Mapping[str, str] = directive.config.source_suffix
    for suffix, filetype in suffixes.items():
        if source.endswith(suffix):
            return "markdown" if filetype == "markdown" else "rst"
    return "rst"


def is_plain(text: str) -> bool:
    """Whether ``text`` is one line of prose with no markup in it."""
    return bool(_PLAIN.fullmatch(text)) and not _LIST_START.match(text) and "://" not in text


def is_one_paragraph(text: str) -> bool:
    """Whether ``text`` can only be one paragraph, whatever inline markup it holds.

    Such text needs the inline parser, not a nested state machine for body elements,
    which costs ten times as much per cell.
    """
    return (
        "\n" not in text
        and "::" not in text
        and not _BLOCK_START.match(text)
        and not text.rstrip().endswith(":")
    )


def literals_and_text(text: str, markup: Markup) -> list[nodes.Node] | None:
    """Nodes for text that is only literals and plain words (``a`` | ``b``), else None."""
    pattern = _LITERALS.get(markup)
    if pattern is None:
        return None
    result: list[nodes.Node] = []
    position = 0
    for match in pattern.finditer(text):
        between = text[position : match.start()]
        if not _BETWEEN.fullmatch(between):
            return None
        if between:
            result.append(nodes.Text(between))
        result.append(nodes.literal(match.group(0), match.group(1)))
        position = match.end()
    rest = text[position:]
    if not result or not _BETWEEN.fullmatch(rest) or "://" in text:
        return None
    if rest:
        result.append(nodes.Text(rest))
    return result


class DirectiveCellParser:
    """Parses cells through a directive's state, falling back to scratch documents."""

    def __init__(
        self,
        directive: SphinxDirective,
        description_lines: Mapping[str, int],
        resolve_markup: Callable[[Field], Markup],
    ) -> None:
        self.directive = directive
        self.own_markup = document_markup(directive)
        self.description_lines = description_lines
        self.resolve_markup = resolve_markup
        self.source, self.line = directive.get_source_info()

    def description(self, field: Field) -> list[nodes.Node]:
        markup = self.resolve_markup(field)
        text = field.description
        if markup == "text" or is_plain(text):
            return self._plain(text, field)
        if markup == "document":
            markup = self.own_markup
        if field.origin is None:
            if markup == self.own_markup:
                return self._paragraph(text, field) or self._nested(text, field)
            return parse_foreign(text, markup, self.directive)
        # Text from a data file (perhaps a spec someone else wrote) neither reads files
        # (include, literalinclude: a way around callbacks_allowed_paths) nor passes
        # through as HTML (or LaTeX).
        with no_file_insertion(self.directive):
            if markup == self.own_markup:
                parsed = self._paragraph(text, field) or self._nested(text, field)
            else:
                parsed = parse_foreign(text, markup, self.directive)
        return confine_files(defuse_raw(parsed), self.directive, field.origin)

    def inline(self, text: str, field: Field) -> list[nodes.Node]:
        if is_plain(text):
            return [nodes.Text(text)]
        simple = literals_and_text(text, self.own_markup)
        if simple is not None:
            return simple
        line = self._line_of(field)
        parsed, messages = self.directive.parse_inline(text, lineno=line)
        if field.origin is None:
            return [*parsed, *messages]
        # A format from a data file: inline HTML (MyST) is shown as text, as in descriptions.
        return defuse_raw([*parsed, *messages], inline=True)

    def _line_of(self, field: Field) -> int:
        if field.key in self.description_lines and field.line is not None:
            return self.directive.content_offset + field.line + 1
        return self.line or 0

    def _plain(self, text: str, field: Field) -> list[nodes.Node]:
        result: list[nodes.Node] = []
        line = self._line_of(field)
        for block in _PARAGRAPHS.split(text.strip()):
            block = " ".join(block.split())
            paragraph = nodes.paragraph(block, block)
            # Source and line make the paragraph translatable by the gettext builder.
            paragraph.source, paragraph.line = self.source, line
            result.append(paragraph)
        return result

    def _paragraph(self, text: str, field: Field) -> list[nodes.Node]:
        """One paragraph through the inline parser; nothing when ``text`` may be more."""
        if not is_one_paragraph(text):
            return []
        line = self._line_of(field)
        if field.key in self.description_lines and field.line is not None:
            line += 1  # the description stands under its term line
        parsed, messages = self.directive.parse_inline(text, lineno=line)
        paragraph = nodes.paragraph(text, "", *parsed)
        # Source and line make the paragraph translatable by the gettext builder.
        paragraph.source, paragraph.line = self.source, line
        return [paragraph, *messages]

    def _nested(self, text: str, field: Field) -> list[nodes.Node]:
        container = nodes.Element()
        offset = self.description_lines.get(field.key)
        content = self.directive.content
        if offset is not None and field.origin is None:
            count = len(text.splitlines())
            block = StringList(
                text.splitlines(),
                items=[_item(content.info(offset + index)) for index in range(count)],
            )
            input_offset = self.directive.content_offset + offset
        else:
            block = StringList(text.splitlines(), source=field.origin or self.source or "")
            input_offset = (self.line or 1) - 1
        self.directive.state.nested_parse(block, input_offset, container)
        return list(container.children)


@contextmanager
def no_file_insertion(directive: SphinxDirective) -> Iterator[None]:
    """Parse with docutils' ``file_insertion_enabled`` off: include directives then warn."""
    settings = directive.state.document.settings
    before = settings.file_insertion_enabled
    settings.file_insertion_enabled = False
    try:
        yield
    finally:
        settings.file_insertion_enabled = before


def _names_a_file(node: nodes.Node) -> bool:
    return isinstance(node, (nodes.image, addnodes.download_reference))


def confine_files(
    parsed: list[nodes.Node], directive: SphinxDirective, origin: str
) -> list[nodes.Node]:
    """Keep images and downloads of text from a data file to the files ``:source:`` may read.

    Sphinx copies them into the output: a spec's ``![x](../../../home/me/.ssh/id_rsa)`` would
    publish that file. A refused one is shown as its path, with a ``callbacks.source`` warning.
    """
    env = directive.env
    allowed = tuple(directive.config.callbacks_allowed_paths)
    for top in parsed:
        if not isinstance(top, nodes.Element):
            continue
        for node in list(top.findall(_names_a_file)):
            assert isinstance(node, nodes.Element)
            target = str(node.get("uri") or node.get("reftarget") or "")
            if not target or "://" in target or target.startswith("data:"):
                continue
            _rel, absolute = env.relfn2path(target, env.docname)
            refused = check_allowed(absolute, str(env.srcdir), allowed)
            if refused is None:
                continue
            logger.warning(
                "%s: file %r refused: %s",
                origin,
                target,
                refused.message,
                location=directive.get_location(),
                type=WARNING_TYPE,
                subtype="source",
            )
            shown = nodes.literal(target, target)
            if isinstance(node.parent, nodes.TextElement):
                node.replace_self(shown)
            elif node is top:
                parsed[parsed.index(top)] = nodes.paragraph("", "", shown)
            else:
                node.replace_self(nodes.paragraph("", "", shown))
    return parsed


def defuse_raw(parsed: list[nodes.Node], *, inline: bool = False) -> list[nodes.Node]:
    """Show raw markup (``.. raw::``, HTML in Markdown) as the text it is, and unlink scripts.

    With *inline*, the nodes are the content of a paragraph, and raw ones become literals.
    A link to a ``javascript:`` (or ``vbscript:``, ``data:``) URI keeps only its text: reST
    makes one of ``<javascript:...>``, and a data file's text must not run in the reader's page.
    """
    result: list[nodes.Node] = []
    for node in parsed:
        if isinstance(node, nodes.raw):
            text = node.astext()
            result.append(
                nodes.literal(text, text)
                if inline
                else nodes.literal_block(text, text, language="text")
            )
            continue
        if _is_script_link(node):
            result.append(nodes.Text(node.astext()))
            continue
        if isinstance(node, nodes.Element):
            for raw in list(node.findall(nodes.raw)):
                text = raw.astext()
                replacement = (
                    nodes.literal(text, text)
                    if isinstance(raw.parent, nodes.TextElement)
                    else nodes.literal_block(text, text, language="text")
                )
                raw.replace_self(replacement)
            for link in list(node.findall(nodes.reference)):
                if _is_script_link(link):
                    link.replace_self(nodes.Text(link.astext()))
        result.append(node)
    return result


_SCRIPT_URI = re.compile(r"\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)


def _is_script_link(node: nodes.Node) -> bool:
    return isinstance(node, nodes.reference) and bool(_SCRIPT_URI.match(node.get("refuri", "")))


def parse_foreign(text: str, markup: Markup, directive: SphinxDirective) -> list[nodes.Node]:
    """Parse text written in a markup other than the document's into a scratch document."""
    settings = directive.state.document.settings
    source = directive.get_source_info()[0] or "<callbacks>"
    document = new_document(source, settings)
    # Sphinx's new_document() reuses the reporter of the first document it ever made, which
    # prints to stderr under that document's name: report through the page's own instead,
    # so that messages are Sphinx warnings of this page (located, -W, suppress_warnings).
    document.reporter = directive.state.document.reporter
    if markup == "markdown":
        renderer = _markdown_parser(directive.env)
        if renderer is None:
            return [nodes.paragraph(text, text)]
        simple = simple_markdown(renderer, text)
        if simple is not None:
            return simple
        renderer.options["document"] = document
        renderer.render(text)
    else:
        RstParser().parse(text, document)
    children = [child for child in document.children if not isinstance(child, nodes.system_message)]
    for child in children:
        for section in list(child.findall(nodes.section)):
            # Sections cannot live in a table cell: keep their titles as rubrics.
            title = section.next_node(nodes.title)
            replacement: list[nodes.Node] = []
            if title is not None:
                replacement.append(nodes.rubric(title.astext(), "", *title.children))
            replacement.extend(c for c in section.children if c is not title)
            section.replace_self(replacement)
        # The nodes move to the page: a reference to the scratch document would be
        # pickled with the page's doctree, one whole document per description.
        for node in child.findall():
            node.document = directive.state.document
    return children


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


def _markdown_parser(env: BuildEnvironment) -> Any:
    try:
        from myst_parser.config.main import MdParserConfig
        from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
        from myst_parser.parsers.mdit import create_md_parser
    except ImportError:
        return None
    # Without myst_parser among the extensions, there is no env.myst_config.
    config = getattr(env, "myst_config", None)
    # Building a markdown-it parser costs more than parsing a description: keep one per
    # environment, so that two projects built in one process never share one.
    cached = _parsers.get(env)
    if cached is None or cached[0] is not config:
        cached = _parsers[env] = (
            config,
            create_md_parser(config or MdParserConfig(), SphinxRenderer),
        )
    return cached[1]


#: The environment's MyST configuration (or ``None``) and the parser made from it.
_parsers: weakref.WeakKeyDictionary[BuildEnvironment, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def _item(info: tuple[str, int | None]) -> tuple[str, int]:
    return info[0], info[1] or 0
