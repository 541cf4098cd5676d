"""The fast paths of render/markup.py give the nodes the parsers would."""

from __future__ import annotations

import pytest
from docutils import nodes

from sphinxext_callbacks.render.markup import is_one_paragraph, literals_and_text, simple_markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The status of the notification", True),
        ("The reference sent by ``the service``", True),
        ("- a list item", False),
        ("1. an enumerated item", False),
        (".. note:: a directive", False),
        ("A literal block follows::", False),
        ("Two\nlines", False),
        ("# a heading", False),
        ("```fence", False),
        ("<div>html block</div>", False),
        ("Ends with a colon:", False),
    ],
)
def test_one_paragraph(text: str, expected: bool) -> None:
    assert is_one_paragraph(text) is expected


def test_literals_and_text_in_rst() -> None:
    result = literals_and_text("``delivered`` | ``permanent-failure`` or null", "rst")
    assert result is not None
    assert [type(n).__name__ for n in result] == ["literal", "Text", "literal", "Text"]
    assert [n.astext() for n in result] == ["delivered", " | ", "permanent-failure", " or null"]


@pytest.mark.parametrize(
    "text",
    [
        "no literal at all",
        "``a`` and *emphasis*",
        "``a`` and a_ reference",
        "``a`` https://example.com",
        "``a``|``b``",
    ],
)
def test_literals_and_text_leaves_markup_to_the_parser(text: str) -> None:
    assert literals_and_text(text, "rst") is None


def test_literals_and_text_in_myst() -> None:
    result = literals_and_text("`email` or `sms`", "markdown")
    assert result is not None
    assert [n.astext() for n in result] == ["email", " or ", "sms"]
    assert literals_and_text("``email``", "markdown") is None


@pytest.fixture(scope="module")
def markdown():
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(), SphinxRenderer)


def test_simple_markdown_paragraphs(markdown) -> None:
    result = simple_markdown(markdown, "Some `code`, *em* and **strong**\n\nA second one")
    assert result is not None
    first, second = result
    assert isinstance(first, nodes.paragraph)
    assert [type(n).__name__ for n in first.children] == [
        "Text",
        "literal",
        "Text",
        "emphasis",
        "Text",
        "strong",
    ]
    assert first.astext() == "Some code, em and strong"
    assert second.astext() == "A second one"


@pytest.mark.parametrize(
    "text",
    [
        "A [link](https://example.com)",
        "- a list",
        "<b>html</b>",
        "# heading",
        "text {sub}`role`",
        "```\ncode\n```",
        "",
    ],
)
def test_simple_markdown_leaves_the_rest_to_myst(markdown, text: str) -> None:
    assert simple_markdown(markdown, text) is None
