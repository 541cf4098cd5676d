"""The package's import graph: layers import only downwards, and no module imports itself back.

The layers are model < readers < render < sphinx_ext < the top-level ``__init__`` (``setup()``).
Every import counts, including those inside functions and under ``if TYPE_CHECKING:``: a
cycle hidden there is still a cycle in the design.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Mapping, Set
from pathlib import Path

import pytest

import sphinxext_callbacks

PACKAGE = "sphinxext_callbacks"
ROOT = Path(sphinxext_callbacks.__file__).parent

#: Each sub-package's layer; a module may import its own layer and those below.
LAYERS = {"model": 0, "readers": 1, "render": 2, "sphinx_ext": 3}
TOP = 4

Graph = Mapping[str, Set[str]]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every module name an import in ``tree`` names, with ``from x import y`` as ``x.y`` too."""
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the package's modules it imports.

    ``from pkg import sub`` is an edge to ``pkg`` (its ``__init__`` runs) and to ``pkg.sub``.
    """
    sources = {module_name(path, root): path for path in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in sources.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names = imported_names(tree, module, path.name == "__init__.py")
        graph[module] = {name for name in names if name in sources and name != module}
    return graph


def all_imports(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> every top-level distribution name it imports (``docutils``, ``sphinx``...)."""
    result = {}
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names = imported_names(tree, module, path.name == "__init__.py")
        result[module] = {name.split(".")[0] for name in names if name}
    return result


def layer_of(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return TOP
    return LAYERS[parts[1]]


def upward_edges(graph: Graph) -> list[tuple[str, str]]:
    """Imports from a module of a lower layer to one of a higher layer."""
    return sorted(
        (module, target)
        for module, targets in graph.items()
        for target in targets
        if layer_of(target) > layer_of(module)
    )


def find_cycle(graph: Graph) -> list[str] | None:
    """One cycle of ``graph`` as ``[a, b, ..., a]``, or ``None`` when it has none."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(module: str) -> list[str] | None:
        path.append(module)
        on_path.add(module)
        for target in sorted(graph.get(module, ())):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        on_path.discard(module)
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


# -- The package ----------------------------------------------------------------------------------


def test_every_module_is_in_a_layer() -> None:
    graph = import_graph()
    assert len(graph) > 20
    for module in graph:
        layer_of(module)  # a KeyError names a sub-package that has no layer yet


def test_no_module_imports_a_higher_layer() -> None:
    assert upward_edges(import_graph()) == []


def test_the_import_graph_has_no_cycle() -> None:
    assert find_cycle(import_graph()) is None


@pytest.mark.parametrize("layer", ["model", "readers"])
def test_readers_and_model_know_nothing_of_docutils_or_sphinx(layer: str) -> None:
    imports = all_imports()
    offenders = {
        module: sorted(names & {"docutils", "sphinx"})
        for module, names in imports.items()
        if module.startswith(f"{PACKAGE}.{layer}") and names & {"docutils", "sphinx"}
    }
    assert offenders == {}


def test_readers_and_model_import_without_sphinx() -> None:
    # The package's __init__ runs first on any import: it must not pull Sphinx in either.
    code = (
        "import sys\n"
        "import sphinxext_callbacks.readers.sources, sphinxext_callbacks.model.examples\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# -- The checks themselves ------------------------------------------------------------------------


def test_an_upward_import_is_caught() -> None:
    graph = {
        f"{PACKAGE}.readers.files": {f"{PACKAGE}.model.fields"},
        f"{PACKAGE}.model.fields": {f"{PACKAGE}.render.table"},
        f"{PACKAGE}.render.table": set(),
    }
    assert upward_edges(graph) == [(f"{PACKAGE}.model.fields", f"{PACKAGE}.render.table")]


def test_a_cycle_is_caught() -> None:
    a, b, c = (f"{PACKAGE}.sphinx_ext.{name}" for name in "abc")
    assert find_cycle({a: {b}, b: {c}, c: set()}) is None
    assert find_cycle({a: {b}, b: {c}, c: {a}}) == [a, b, c, a]


def test_hidden_imports_are_edges(tmp_path: Path) -> None:
    (tmp_path / "sphinx_ext").mkdir()
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "sphinx_ext" / "__init__.py").write_text("")
    (tmp_path / "sphinx_ext" / "domain.py").write_text(
        "def process_doc():\n    from .example import pending\n"
    )
    (tmp_path / "sphinx_ext" / "example.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        f"    from {PACKAGE}.sphinx_ext import domain\n"
    )
    graph = import_graph(tmp_path)
    domain, example = f"{PACKAGE}.sphinx_ext.domain", f"{PACKAGE}.sphinx_ext.example"
    assert graph[domain] == {example}
    assert graph[example] == {domain, f"{PACKAGE}.sphinx_ext"}
    assert find_cycle(graph) == [domain, example, domain]


def test_every_module_is_named_on_the_architecture_page() -> None:
    page = (Path(__file__).parents[1] / "docs" / "architecture.rst").read_text(encoding="utf-8")
    package = Path(__file__).parents[1] / "sphinxext_callbacks"
    modules = [p for p in package.glob("*/*.py") if p.name != "__init__.py"]
    assert modules
    assert [str(p.relative_to(package)) for p in modules if f"``{p.name}``" not in page] == []


def test_inline_tables_do_not_import_what_only_sources_and_examples_need(tmp_path: Path) -> None:
    # ``referencing`` (resolving $refs), PyYAML (reading YAML) and ``jsonschema`` (checking
    # examples) cost tens of milliseconds to import; a build whose tables are all inline,
    # an edit loop included, should not pay for them. The root's one explicit, typed
    # :example: is checked with jsonschema (which imports referencing), so a page without
    # one is built apart.
    source = Path(__file__).parent / "roots" / "test-inline"
    srcdir = tmp_path / "src"
    shutil.copytree(source, srcdir, ignore=shutil.ignore_patterns("_build"))
    for page in srcdir.glob("*.rst"):
        text = page.read_text(encoding="utf-8")
        page.write_text(
            "\n".join(line for line in text.splitlines() if ":example:" not in line) + "\n",
            encoding="utf-8",
        )
    script = (
        "import sys\n"
        "from sphinx.cmd.build import main\n"
        f"rc = main(['-q', '-E', '-b', 'html', {str(srcdir)!r}, {str(tmp_path / 'out')!r}])\n"
        "print(rc, sorted(m for m in ('referencing', 'yaml', 'jsonschema') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr
