"""Parse the text of cells into nodes, in whatever markup it is written in.

Inline entries are the author's own text, written in the document's markup (reST
or MyST): they go through the directive's state, so roles and line numbers work,
or into a scratch document when written in the other markup. Text from a data file
(field-list files, JSON Schema, OpenAPI, AsyncAPI) goes through the gate
(:mod:`.gate`) and its allowlist. Plain text is never parsed at all.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import Parser as RstParser
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_callbacks.model.fields import Field, Markup, Origin
from sphinxext_callbacks.render import compat
from sphinxext_callbacks.render.gate import Gate, simple_markdown

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

# Text with none of these characters parses to a single plain paragraph in reST and
# in MyST, so it can skip the parser: most descriptions are such sentences.
_PLAIN = re.compile(r"[^`*_|\[\]<>:\\{}$=~^@&#\n]*")
# The look-behinds of these two keep a search linear (they are used anchored, with match).
_LIST_START = re.compile(r"(?<![\s\d])\s*(?:[-+*>|#]|\d+[.)]|[a-zA-Z][.)]\s|\()")
_PARAGRAPHS = re.compile(r"\n\s*\n")
# A literal, in reST (``x``) or MyST (`x`), with plain text around it: most Format cells.
_LITERALS = {
    "rst": re.compile(r"``([^`\s](?:[^`]*[^`\s])?)``"),
    "markdown": re.compile(r"(?<!`)`([^`\s](?:[^`]*[^`\s])?)`(?!`)"),
}
# What may stand between literals: plain words, and "|" with spaces around it (which is
# no substitution reference in reST and no table in a MyST inline).
_NOT_BETWEEN = re.compile(r"[`*_|\[\]<>:\\{}$=~^@&#\n]")


def _plain_between(text: str) -> bool:
    """Words between literals: no markup character, but `` | `` between enum values."""
    return not _NOT_BETWEEN.search(text.replace(" | ", ""))


# Lines that start a block (list, quote, heading, fence, table, directive) in reST or MyST.
_BLOCK_START = re.compile(r"(?<![\s\d])\s*(?:[-+*>|#=<`~]|\.\.|\d+[.)]|[a-zA-Z][.)]\s|\()")


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
        if not _plain_between(between):
            return None
        if between:
            result.append(nodes.Text(between))
        result.append(nodes.literal(match.group(0), match.group(1)))
        position = match.end()
    rest = text[position:]
    if not result or not _plain_between(rest) or "://" in text:
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
            if field.origin is not None:
                text = Gate(self.directive, str(field.origin)).visible(text)
            return self._plain(text, field)
        if markup == "document":
            markup = self.own_markup
        if field.origin is not None:
            gate = Gate(self.directive, str(field.origin))
            simple = literals_and_text(text, markup) if is_one_paragraph(text) else None
            if simple is not None:
                # Words and literals only: nothing the gate could refuse, so no parse (most
                # descriptions of real specs, at a tenth of a parse's cost).
                return self._located([nodes.paragraph(text, "", *gate.visible_nodes(simple))])
            if markup == "rst" and is_one_paragraph(text):
                # The inline parser alone, as for the page's own text: a tenth of the work.
                return self._located([nodes.paragraph(text, "", *gate.inline(text, "rst"))])
            return self._located(gate.blocks(text, markup))
        if markup == self.own_markup:
            return self._paragraph(text, field) or self._nested(text, field)
        return parse_foreign(text, markup, self.directive)

    def plain(self, text: str, origin: Origin) -> list[nodes.Node]:
        return [nodes.Text(Gate(self.directive, str(origin)).visible(text))]

    def inline(self, text: str, field: Field) -> list[nodes.Node]:
        if field.origin is not None:
            if is_plain(text):
                return [nodes.Text(Gate(self.directive, str(field.origin)).visible(text))]
            return Gate(self.directive, str(field.origin)).inline(text, self.own_markup)
        if is_plain(text):
            return [nodes.Text(text)]
        simple = literals_and_text(text, self.own_markup)
        if simple is not None:
            return simple
        line = self._line_of(field)
        parsed, messages = self.directive.parse_inline(text, lineno=line)
        return [*parsed, *messages]

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

    def _located(self, parsed: list[nodes.Node]) -> list[nodes.Node]:
        """``parsed`` with the directive's source and line on its paragraphs.

        The gettext builder extracts only located paragraphs: a spec's descriptions stay
        translatable.
        """
        for top in parsed:
            for paragraph in top.findall(nodes.paragraph):
                paragraph.source, paragraph.line = self.source, self.line
        return parsed

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
        if offset is not None:
            count = len(text.splitlines())
            block = StringList(
                text.splitlines(),
                items=[_item(content.info(offset + index)) for index in range(count)],
            )
            input_offset = self.directive.content_offset + offset
        else:
            block = StringList(text.splitlines(), source=self.source or "")
            input_offset = (self.line or 1) - 1
        self.directive.state.nested_parse(block, input_offset, container)
        return list(container.children)


def parse_foreign(text: str, markup: Markup, directive: SphinxDirective) -> list[nodes.Node]:
    """Parse text written in a markup other than the document's into a scratch document."""
    source = directive.get_source_info()[0] or "<callbacks>"
    document = compat.scratch_document(source, directive.state.document)
    if markup == "markdown":
        renderer = _markdown_parser(directive.env)
        if renderer is None:
            return [nodes.paragraph(text, text)]
        simple = simple_markdown(renderer, text)
        if simple is not None:
            return simple
        compat.render_markdown(renderer, text, document)
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


def _markdown_parser(env: BuildEnvironment) -> Any:
    # Without myst_parser among the extensions, there is no env.myst_config.
    config = getattr(env, "myst_config", None)
    # Building a markdown-it parser costs more than parsing a description: keep one per
    # environment, so that two projects built in one process never share one.
    cached = _parsers.get(env)
    if cached is None or cached[0] is not config:
        parser = compat.markdown_parser(config)
        if parser is None:
            return None
        cached = _parsers[env] = (config, parser)
    return cached[1]


#: The environment's MyST configuration (or ``None``) and the parser made from it.
_parsers: weakref.WeakKeyDictionary[BuildEnvironment, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def _item(info: tuple[str, int | None]) -> tuple[str, int]:
    return info[0], info[1] or 0
