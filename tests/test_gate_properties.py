"""Random reST and Markdown through the gate: the allowlist holds whatever the text says.

Texts are built from fragments that try every way out (directives, roles, targets,
substitutions, links with odd schemes, control characters) and rendered as every kind of
data-file text a table shows: description, Format, deprecation text, enum description and
caption, in a reST page and in a MyST page. The resulting table may only hold allowed
nodes, and every link must be a web link.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser, directives, roles
from docutils.utils import DependencyList, Reporter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp
from sphinx.util.docutils import SphinxDirective, new_document, sphinx_domains

from sphinxext_callbacks.model.fields import Field, Markup, Origin
from sphinxext_callbacks.render.callback_nodes import callbacks_entry, callbacks_table
from sphinxext_callbacks.render.gate import ALLOWED_NODES, ALLOWED_XREFS, is_web_link
from sphinxext_callbacks.render.markup import DirectiveCellParser
from sphinxext_callbacks.render.table import COLUMNS, TableSpec, render_table

ROOT = Path(__file__).parent / "roots" / "test-gate"
MARKER = "__import__('pathlib').Path(__import__('os').environ['GATE_MARKERS'], 'MARKER-h').touch()"

RST = [
    f".. ifconfig:: {MARKER} or True\n\n   inside",
    ".. automodule:: gate_marker",
    ".. raw:: html\n\n   <script>alert(1)</script>",
    ".. include:: /etc/hostname",
    ".. literalinclude:: /etc/hostname",
    ".. csv-table:: t\n   :url: http://127.0.0.1:9/t.csv",
    ".. image:: http://127.0.0.1:9/i.png",
    ".. figure:: i.png\n\n   caption",
    ".. meta::\n   :http-equiv=refresh: 0; url=https://evil.example/",
    ".. title:: Forged",
    ".. toctree::\n\n   index",
    ".. only:: html\n\n   only",
    ".. index:: entry",
    ".. |s| replace:: S",
    ".. |i| image:: http://127.0.0.1:9/s.png",
    "a |s| b |i|",
    ".. _named: javascript:alert('named')",
    "`named`_",
    "`anonymous`__\n\n__ javascript:alert('anonymous')",
    ".. _indirect: named_",
    "`indirect`_",
    ".. _label:",
    "`label`_",
    "`x <\x01javascript:alert('control')>`_",
    "`y <java\nscript:alert(1)>`_",
    "<javascript:alert('standalone')>",
    "`web <https://example.com/>`_",
    "https://example.com/ a@example.com mailto:a@example.com",
    ":download:`f </etc/hostname>`",
    ":math:`\\input{/etc/passwd}`",
    ":ref:`label` :doc:`index` :callback:field:`t.a` :rfc:`2616` :abbr:`A (b)`",
    "`default role`",
    ".. note:: a note\n\n   .. raw:: html\n\n      <b>nested</b>",
    ".. code-block:: python\n\n   x = 1",
    ".. [1] footnote\n\n[1]_ [#]_ [cite]_",
    "- a\n- b\n\n  .. image:: x.png",
    "term\n   definition",
    "::\n\n   literal",
    "**b** *e* ``l``",
    "Heading\n=======\n\ntext",
    "\x00\x1b\u202e",
]
MARKDOWN = [
    f"```{{ifconfig}} {MARKER} or True\ninside\n```",
    "```{eval-rst}\n.. raw:: html\n\n   <b>x</b>\n```",
    "```{include} /etc/hostname\n```",
    "```{raw} html\n<script>alert(1)</script>\n```",
    "```{image} http://127.0.0.1:9/i.png\n```",
    "{{ lipsum.__globals__['os'].getcwd() }}",
    "$x$ and $$y$$",
    "![i](http://127.0.0.1:9/i.png)",
    "[j](javascript:alert(1)) [k](\x01javascript:alert(2)) <javascript:alert(3)>",
    "[r][ref]\n\n[ref]: javascript:alert(4)",
    "[w](https://example.com/) <https://example.com/> [m](mailto:a@example.com)",
    "[p](other.md) [q](#anchor) [v](vbscript:x) [d](data:text/html,x)",
    "{download}`f </etc/hostname>` {math}`x` {ref}`label` {doc}`index`",
    "<script>alert(1)</script> <img src=x onerror=alert(1)>",
    "---\ntitle: x\n---",
    "(target)=\n# Heading",
    "```{note}\nnote\n```",
    "- a\n- b",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "**b** *e* `l`",
    "[^1]\n\n[^1]: footnote",
    "\x00\x1b\u202e",
]
NOISE = st.text(alphabet="ab `*_:|<>[]()!{}$#=\x01\n", max_size=12)


def _texts(fragments: list[str]) -> st.SearchStrategy[str]:
    parts = st.one_of(st.sampled_from(fragments), NOISE)
    return st.lists(parts, min_size=1, max_size=5).map("\n\n".join)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SphinxTestApp]:
    srcdir = tmp_path_factory.mktemp("gate-properties") / "src"
    shutil.copytree(ROOT, srcdir)
    test_app = SphinxTestApp("html", srcdir=srcdir, freshenv=True)
    if hasattr(test_app.env, "current_document"):
        test_app.env.current_document.docname = "index"
    else:  # Sphinx 7
        test_app.env.temp_data["docname"] = "index"
    try:
        with sphinx_domains(test_app.env):
            yield test_app
    finally:
        test_app.cleanup()


class _Directive:
    """What the cell parser and the gate use of a directive."""

    lineno = 1
    content: tuple[str, ...] = ()
    content_offset = 0

    def __init__(self, app: SphinxTestApp, source: str) -> None:
        self.source = source
        self.config = app.config
        self.env = app.env
        settings = get_default_settings(Parser)
        for name, value in app.env.settings.items():
            setattr(settings, name, value)
        settings.env = app.env
        settings.record_dependencies = DependencyList()
        document = new_document(source, settings)
        document.reporter = Reporter(source, 5, 5)
        # As a state machine attaches it to the page's reporter.
        document.reporter.get_source_and_line = lambda line=None: (source, line)  # type: ignore[attr-defined]
        self.state = SimpleNamespace(document=document)

    def get_location(self) -> str:
        return f"{self.source}:1"

    def get_source_info(self) -> tuple[str, int]:
        return self.source, 1


def _check(node: nodes.Node) -> None:
    kinds = ALLOWED_NODES | {callbacks_table, callbacks_entry}
    for item in node.findall():
        assert type(item) in kinds or isinstance(item, addnodes.pending_xref), item
        if isinstance(item, addnodes.pending_xref):
            where = (item.get("refdomain"), item.get("reftype"))
            assert where in ALLOWED_XREFS or where[0] == "callback", where
        if isinstance(item, nodes.Element):
            assert "refid" not in item.attributes, item
            if "refuri" in item.attributes:
                assert is_web_link(item["refuri"]), item["refuri"]
            if not isinstance(item, nodes.row | nodes.table):
                assert not item["ids"], item
        if isinstance(item, nodes.Text):
            text = item.astext()
            assert not any(char in text for char in "\x00\x01\x1b\u202e"), text


def _render(app: SphinxTestApp, page: str, markup: Markup, text: str, line: str) -> nodes.table:
    directive = cast(SphinxDirective, _Directive(app, page))
    cells = DirectiveCellParser(directive, {}, lambda field: field.markup)
    field = Field(
        path=("a",),
        description=text,
        markup=markup,
        format=line,
        deprecated=line or True,
        enum=("x",),
        enum_descriptions=(("x", text),),
        origin=Origin("data/spec.yaml"),
    )
    spec = TableSpec(columns=COLUMNS, caption=line or "c", caption_origin=Origin("data/spec.yaml"))
    return render_table([field], spec, cells, [])


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Found by this test: a refused field list, and an unknown reference, kept their control
# characters.
@example(rst=":\x01:", markdown="x", line="")
@example(rst="`\x01`_", markdown="x", line="")
@given(rst=_texts(RST), markdown=_texts(MARKDOWN), line=st.sampled_from(["", *RST, *MARKDOWN]))
def test_the_allowlist_holds(app: SphinxTestApp, rst: str, markdown: str, line: str) -> None:
    lookups: tuple[Any, Any] = (directives.directive, roles.role)
    line = " ".join(line.split())
    for page in ("index.rst", "myst.md"):
        _check(_render(app, page, "document", rst, line))
        _check(_render(app, page, "rst", rst, line))
        _check(_render(app, page, "markdown", markdown, line))
    # The lookups are the page's again, and nothing ran.
    assert (directives.directive, roles.role) == lookups
    assert not list(Path(app.srcdir).glob("MARKER*"))
