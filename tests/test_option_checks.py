"""Option mistakes are located ``callbacks.option`` warnings, in reST and in MyST alike.

docutils and MyST-Parser would refuse an unknown option with an error of their own (and drop
the whole directive); the directives accept any name and report it with a did-you-mean.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from .helpers import WARNING_TYPES, tables, warnings_of


@pytest.fixture
def built(app):
    app.build()
    return app


def _warnings(app, page: str) -> list[str]:
    return [line.split(f"{page}:", 1)[1] for line in warnings_of(app) if f"{page}:" in line]


@pytest.mark.sphinx("html", testroot="option-checks", freshenv=True, confoverrides=WARNING_TYPES)
def test_rst_option_mistakes_are_callbacks_warnings(built):
    assert _warnings(built, "index.rst") == [
        "8: WARNING: :hide-caption: is a flag and takes no value (remove 'no', or the option);"
        " ignored [callbacks.option]",
        "15: WARNING: unknown option :captoin: of callback-table; did you mean 'caption'?"
        " [callbacks.option]",
        "32: WARNING: unknown option :clas: of callback-example; did you mean 'class'?"
        " [callbacks.option]",
    ]


@pytest.mark.sphinx("html", testroot="option-checks", freshenv=True, confoverrides=WARNING_TYPES)
def test_myst_option_mistakes_are_the_same_warnings(built):
    assert _warnings(built, "markdown.md") == [
        "3: WARNING: :hide-caption: is a flag and takes no value (remove 'no', or the option);"
        " ignored [callbacks.option]",
        "11: WARNING: unknown option :hide-heading: of callback-table;"
        " did you mean 'hide-headings'? [callbacks.option]",
    ]
    # MyST's own "Unknown option key" warning does not appear as well.
    assert not [line for line in warnings_of(built) if "myst" in line]
    shown, misspelt = tables(built.outdir / "markdown.html")
    assert "callbacks-hidden-caption" not in shown["class"]
    assert "callbacks-visually-hidden" not in misspelt.find("thead").get("class", [])


@pytest.mark.sphinx("html", testroot="option-checks", freshenv=True, confoverrides=WARNING_TYPES)
def test_tables_still_render(built):
    shown, misspelt, plain = tables(built.outdir / "index.html")
    # A flag with a value is ignored: the caption stays visible.
    assert "callbacks-hidden-caption" not in shown["class"]
    assert shown.find("caption").get_text(strip=True).startswith("Shown caption")
    # The unknown option is dropped and the table is there all the same.
    assert misspelt.find("caption") is None
    assert "callbacks-visually-hidden" in plain.find("thead")["class"]


@pytest.mark.sphinx("html", testroot="option-checks", freshenv=True, confoverrides=WARNING_TYPES)
def test_example_passes_part_on(built):
    soup = BeautifulSoup((built.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    examples = [json.loads(pre.get_text()) for pre in soup.select("div.highlight-json pre")]
    # The request's headers, not its body (which has only "id").
    assert sorted(examples[0]) == ["Content-Type", "X-Signature"]
    # The example with an unknown option is still made.
    assert list(examples[1]) == ["id"]
