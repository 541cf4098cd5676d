"""The internals of other projects that ``render/compat.py`` relies on, and that nothing else does.

The first tests check each internal directly, so that a Sphinx, docutils or MyST-Parser release
that changes one fails here, by name. The last ones read the package's source: outside the
compatibility module, no import of a private name of those projects, no private attribute that
the package does not define itself, no assignment to an attribute of their modules, and no
edit of HTML a translator has written.
"""

from __future__ import annotations

import ast
import inspect
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser as RstParser
from docutils.parsers.rst import directives, roles
from docutils.utils import new_document
from sphinx.search import IndexBuilder
from sphinx.testing.util import SphinxTestApp
from sphinx.writers.html5 import HTML5Translator

import sphinxext_callbacks
from sphinxext_callbacks.render import compat
from sphinxext_callbacks.render.callback_nodes import callbacks_entry

PACKAGE = Path(sphinxext_callbacks.__file__).parent
#: The projects whose internals only the compatibility module may use.
OTHERS = ("sphinx", "docutils", "myst_parser", "jsonschema", "referencing")


def _document() -> nodes.document:
    return new_document("<test>", get_default_settings(RstParser))


# -- docutils' lookups ----------------------------------------------------------------------------


def test_docutils_finds_directives_and_roles_through_the_replaced_functions() -> None:
    assert list(inspect.signature(directives.directive).parameters) == [
        "directive_name",
        "language_module",
        "document",
    ]
    assert list(inspect.signature(roles.role).parameters) == [
        "role_name",
        "language_module",
        "lineno",
        "reporter",
    ]
    asked: list[str] = []
    find_directive, find_role = compat.current_lookups()

    def directive(name: str, language: Any, document: nodes.document) -> Any:
        asked.append(name)
        return find_directive(name, language, document)

    def role(name: str, language: Any, lineno: int, reporter: Any) -> Any:
        asked.append(name)
        return find_role(name, language, lineno, reporter)

    document = _document()
    with compat.replaced_lookups(directive, role):
        RstParser().parse(".. note:: Read :strong:`this`.\n", document)
    assert asked == ["note", "strong"]
    assert compat.current_lookups() == (find_directive, find_role)
    assert document.next_node(nodes.note) is not None
    assert document.next_node(nodes.strong) is not None


def test_the_lookups_come_back_after_an_error() -> None:
    saved = compat.current_lookups()
    with pytest.raises(RuntimeError), compat.replaced_lookups(print, print):  # type: ignore[arg-type]
        raise RuntimeError
    assert compat.current_lookups() == saved


# -- docutils' inliner ----------------------------------------------------------------------------


def test_the_inliner_needs_no_more_of_the_memo() -> None:
    document = _document()
    paragraph = nodes.paragraph()
    document += paragraph
    parsed, messages = compat.parse_inline(
        "*a* :strong:`b` ``c`` `d <https://example.org/>`_ :nosuchrole:`e`", 7, document, paragraph
    )
    kinds = [type(node) for node in parsed if not isinstance(node, nodes.Text)]
    assert kinds[:5] == [nodes.emphasis, nodes.strong, nodes.literal, nodes.reference, nodes.target]
    assert nodes.problematic in kinds
    assert [message["line"] for message in messages] == [7, 7]


def test_a_scratch_document_reports_through_the_page() -> None:
    page = _document()
    scratch = compat.scratch_document("<cell>", page)
    assert scratch is not page
    assert scratch.reporter is page.reporter
    assert scratch.settings is page.settings


# -- MyST-Parser's renderer -----------------------------------------------------------------------


def _sphinx_document(app: SphinxTestApp) -> nodes.document:
    app.builder.prepare_writing(set())  # type: ignore[attr-defined]
    document = new_document("<test>", app.builder.docsettings)  # type: ignore[attr-defined]
    document.settings.env = app.env
    app.env.prepare_settings("index")
    return document


@pytest.mark.sphinx("html", testroot="inline", freshenv=True)
def test_myst_renders_through_the_handlers_that_are_refused(app: SphinxTestApp) -> None:
    pytest.importorskip("myst_parser")
    from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer

    for name in compat.REFUSED_MARKDOWN:
        assert callable(getattr(SphinxRenderer, name, None)), name
    refused: list[str] = []
    parser = compat.markdown_parser(refuse=refused.append)
    document = _sphinx_document(app)
    text = "---\ntitle: x\n---\n\n```{eval-rst}\n.. include:: /etc/passwd\n```\n"
    compat.render_markdown(parser, text, document)
    assert refused == ["front matter", "{eval-rst}"]
    blocks = [block.astext() for block in document.findall(nodes.literal_block)]
    assert blocks == ["title: x", ".. include:: /etc/passwd\n"]


@pytest.mark.sphinx("html", testroot="inline", freshenv=True)
def test_myst_renders_markdown_into_the_given_document(app: SphinxTestApp) -> None:
    pytest.importorskip("myst_parser")
    document = _sphinx_document(app)
    compat.render_markdown(compat.markdown_parser(), "Some *words*.\n\n- a\n- b\n", document)
    assert document.next_node(nodes.emphasis).astext() == "words"
    assert len(list(document.findall(nodes.list_item))) == 2


def _record(message: str, **extra: str) -> logging.LogRecord:
    record = logging.LogRecord("sphinx", logging.WARNING, __file__, 1, message, None, None)
    record.__dict__.update(extra)
    return record


def test_a_myst_warning_s_kind_is_read_from_either_release() -> None:
    old = _record("Document headings start at H3, not H1 [myst.header]\n", type="docutils")
    new = _record("Document headings start at H3, not H1", type="myst", subtype="header")
    assert compat.warning_kind(old) == compat.warning_kind(new) == ("myst", "header")
    assert compat.warning_kind(_record("a [x.y]", type="docutils")) == ("docutils", None)
    assert compat.warning_kind(_record("plain")) == (None, None)


# -- Sphinx's search index ------------------------------------------------------------------------


def test_the_search_index_reads_the_domains_in_get_objects() -> None:
    assert list(inspect.signature(IndexBuilder.get_objects).parameters) == ["self", "fn2index"]
    assert "get_objects()" in inspect.getsource(IndexBuilder.get_objects)


@pytest.mark.sphinx("html", testroot="domain", freshenv=True)
def test_the_search_index_reads_between_enter_and_leave(app: SphinxTestApp) -> None:
    calls: list[str] = []
    wrapped: list[bool] = []

    def enter() -> None:
        calls.append("enter")

    def leave() -> None:
        calls.append("leave")

    def collect(app: Any) -> list[Any]:
        wrapped.append(compat.around_search_index(app.builder, enter, leave))
        compat.around_search_index(app.builder, enter, leave)  # once is enough
        return []

    app.connect("html-collect-pages", collect)
    app.build()
    assert wrapped == [True]
    assert calls == ["enter", "leave"]
    # The domain's own pair was called too: the index has its search entries.
    assert "Callback number 3 (cb03)" in (app.outdir / "searchindex.js").read_text("utf-8")


@pytest.mark.sphinx("text", testroot="inline", srcdir="compat-text", freshenv=True)
def test_a_builder_without_a_search_index_is_left_alone(app: SphinxTestApp) -> None:
    assert compat.around_search_index(app.builder, print, print) is False


# -- HTML the translator writes -------------------------------------------------------------------


def _table(entry: type[nodes.entry]) -> nodes.table:
    table = nodes.table()
    tgroup = nodes.tgroup(cols=2)
    table += tgroup
    tgroup += nodes.colspec(colwidth=1, stub=1)
    tgroup += nodes.colspec(colwidth=1)
    tgroup["stubs"] = [True, False]
    head, body = nodes.thead(), nodes.tbody()
    for group, scope in ((head, "col"), (body, "row")):
        row = nodes.row()
        row += entry("", nodes.paragraph(text="k"), scope=scope)
        row += nodes.entry("", nodes.paragraph(text="v"))
        group += row
    tgroup += head
    tgroup += body
    return table


def _translator(app: SphinxTestApp) -> HTML5Translator:
    app.builder.prepare_writing(set())  # type: ignore[attr-defined]
    document = new_document("<test>", app.builder.docsettings)  # type: ignore[attr-defined]
    translator = app.builder.create_translator(document, app.builder)
    assert isinstance(translator, HTML5Translator)
    return translator


@pytest.mark.sphinx("html", testroot="inline", freshenv=True)
def test_a_header_cell_s_start_tag_is_the_last_string_written(app: SphinxTestApp) -> None:
    translator = _translator(app)
    _table(nodes.entry).walkabout(translator)
    cells = [part for part in translator.body if part.startswith(("<th ", "<td"))]
    assert cells == ['<th class="head stub">', '<th class="head">', '<th class="stub">', "<td>"]
    translator = _translator(app)
    _table(callbacks_entry).walkabout(translator)
    html = "".join(translator.body)
    assert '<th scope="col" class="head stub"' in html
    assert '<th scope="row" class="stub"' in html


@pytest.mark.sphinx("html", testroot="inline", freshenv=True)
def test_a_table_is_written_between_visit_and_depart(app: SphinxTestApp) -> None:
    translator = _translator(app)
    translator.body.append("<p>before</p>")
    compat.mark_output(translator)
    _table(nodes.entry).walkabout(translator)
    compat.rewrite_since_mark(translator, str.upper)
    assert translator.body[0] == "<p>before</p>"
    assert translator.body[1].startswith("<TABLE")
    assert translator.body[1].rstrip().endswith("</TABLE>")
    assert len(translator.body) == 2


def test_a_start_tag_of_another_element_is_left_alone() -> None:
    class Writer:
        def __init__(self) -> None:
            self.body = ["<thead>", "<td>"]

    writer = Writer()
    assert compat.add_to_start_tag(writer, "th", ' scope="row"') is False  # type: ignore[arg-type]
    assert writer.body == ["<thead>", "<td>"]


# -- docutils' man-page table ------------------------------------------------------------------


def test_the_man_table_s_third_line_is_its_one_format_line() -> None:
    table = compat.SpanningManTable([True, False])
    for cells in (["a\n"], ["c\n", "d\n"]):
        table.new_row()
        for cell in cells:
            table.append_cell([cell])
    lines = "".join(table.as_list()).splitlines()
    # One format line a row: the first row spans both columns. docutils 0.20 draws bars at
    # the edges ("|l s|"), later releases a box.
    first = next(i for i, line in enumerate(lines) if "l s" in line)
    assert [line.strip("|.") for line in lines[first : first + 2]] == ["l s", "l|l"]
    assert lines[first + 1].endswith(".")
    plain = "".join(compat.SpanningManTable([False, False]).as_list())
    assert "l s" not in plain


# -- The rest of the package uses public interfaces only -------------------------------------------


def _is_other(module: str) -> bool:
    return module.split(".")[0] in OTHERS


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_private_names(root: Path = PACKAGE) -> set[str]:
    """Every private name the package itself defines: functions, classes, attributes, globals."""
    names: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)  # dataclasses.replace(x, _field=...), dict(_key=...)
    return {name for name in names if _private(name)}


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _flat(targets: list[ast.expr]) -> Iterator[ast.expr]:
    """The targets of an assignment, with ``a, b = ...`` taken apart."""
    for target in targets:
        if isinstance(target, (ast.Tuple, ast.List)):
            yield from _flat(list(target.elts))
        elif isinstance(target, ast.Starred):
            yield from _flat([target.value])
        else:
            yield target


def uses_of_internals(source: str, own: set[str]) -> list[str]:
    """What ``source`` does that only the compatibility module may do, one line each."""
    tree = ast.parse(source)
    imported: set[str] = set()  # local names bound to other projects' modules and objects
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_other(alias.name):
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append(f"private module {alias.name} (line {node.lineno})")
                    imported.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and _is_other(node.module):
            if any(_private(part) for part in node.module.split(".")):
                found.append(f"private module {node.module} (line {node.lineno})")
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"private name {node.module}.{alias.name} (line {node.lineno})")
                imported.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in _flat(targets):
            if isinstance(target, ast.Attribute) and (
                _root_name(target) in imported or target.attr == "get_objects"
            ):
                found.append(f"assignment to {ast.unparse(target)} (line {node.lineno})")
            elif (
                isinstance(target, ast.Subscript)
                and isinstance(target.value, ast.Attribute)
                and target.value.attr == "body"
            ):
                found.append(f"edit of written HTML {ast.unparse(target)} (line {node.lineno})")
        if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
            found.append(f"private attribute {node.attr} (line {node.lineno})")
    return sorted(set(found), key=found.index)


def package_uses_of_internals() -> Iterator[tuple[str, list[str]]]:
    own = own_private_names()
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name == "render/compat.py":
            continue
        found = uses_of_internals(path.read_text(encoding="utf-8"), own)
        if found:
            yield name, found


def test_only_the_compatibility_module_uses_other_projects_internals() -> None:
    assert dict(package_uses_of_internals()) == {}


def test_the_compatibility_module_is_where_the_internals_are() -> None:
    source = (PACKAGE / "render" / "compat.py").read_text(encoding="utf-8")
    found = uses_of_internals(source, own_private_names())
    assert any("directives.directive" in line for line in found)
    assert any("get_objects" in line for line in found)
    assert any("translator.body" in line for line in found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from sphinx.util import _pathlib", "private name sphinx.util._pathlib (line 1)"),
        ("from docutils._x import y", "private module docutils._x (line 1)"),
        ("import sphinx.util._io", "private module sphinx.util._io (line 1)"),
        (
            "from docutils.parsers.rst import roles\nroles.role = print",
            "assignment to roles.role (line 2)",
        ),
        (
            "import docutils.parsers.rst.directives\ndocutils.parsers.rst.directives.directive = 1",
            "assignment to docutils.parsers.rst.directives.directive (line 2)",
        ),
        ("builder.indexer.get_objects = f", "assignment to builder.indexer.get_objects (line 1)"),
        ("self.body[-1] = '<th>'", "edit of written HTML self.body[-1] (line 1)"),
        ("t.body[3:] = []", "edit of written HTML t.body[3:] (line 1)"),
        ("x = resolver._base_uri", "private attribute _base_uri (line 1)"),
    ],
)
def test_each_use_of_an_internal_is_caught(source: str, expected: str) -> None:
    assert uses_of_internals(source, {"_mine"}) == [expected]


def test_public_uses_and_the_package_s_own_private_names_pass() -> None:
    source = (
        "from docutils import nodes\n"
        "from sphinx.util.docutils import SphinxDirective\n"
        "node = nodes.paragraph()\n"
        "node['classes'] = []\n"
        "self.body.append('<p>')\n"
        "domain._mine = True\n"
    )
    assert uses_of_internals(source, {"_mine"}) == []
