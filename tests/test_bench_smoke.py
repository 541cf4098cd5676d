"""The bench's generated projects build cleanly and hold the same tables in every variant.

No timings here (the bench is not a test): each variant of ``bench/projects.py`` is
generated with three tables (three GitHub webhooks for the catalogue pair) and built once,
in a subprocess as the bench does.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from bs4 import BeautifulSoup
from docutils.core import publish_doctree

BENCH = Path(__file__).resolve().parent.parent / "bench"
COUNT = 3


def _load_projects() -> ModuleType:
    spec = importlib.util.spec_from_file_location("callbacks_bench_projects", BENCH / "projects.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


projects = _load_projects()


def _build(variant: str, root: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    srcdir = projects.generate(variant, COUNT, root / "src", per_page=2)
    outdir = root / "build"
    process = subprocess.run(
        [sys.executable, "-m", "sphinx", "-E", "-q", "-b", "html", str(srcdir), str(outdir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return process, outdir


def _tables(outdir: Path) -> list[list[str]]:
    """Each table's caption and cells as text, page by page."""
    tables = []
    for page in sorted(outdir.glob("page-*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for table in soup.find_all("table"):
            cells = table.find_all(["caption", "th", "td"])
            # A key cell is one word that HTML splits into its path and last segment.
            tables.append(
                [
                    cell.get_text("" if cell.name == "th" else " ", strip=True).rstrip("¶ ")
                    for cell in cells
                ]
            )
    return tables


@pytest.fixture(scope="module")
def baseline_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    return _build("list-table", tmp_path_factory.mktemp("list-table"))


@pytest.mark.parametrize(
    "variant",
    [
        "list-table",
        "inline",
        "fieldlist",
        "openapi",
        "floor",
    ],
)
def test_variant_builds_without_warnings(
    variant: str,
    tmp_path: Path,
    baseline_build: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    process, outdir = baseline_build if variant == "list-table" else _build(variant, tmp_path)
    assert process.returncode == 0, process.stderr
    assert process.stderr == ""
    tables = _tables(outdir)
    assert len(tables) == projects.expected_tables(variant, COUNT)
    if variant != "floor":
        # The same captions, headings, keys, descriptions and formats as the baseline.
        assert tables == _tables(baseline_build[1])
        assert len(tables[0]) == 1 + 3 * 9


def test_yaml_writer_round_trips() -> None:
    yaml = pytest.importorskip("yaml")
    for data in (projects.fieldlist_data(COUNT), projects.openapi_data(COUNT)):
        assert yaml.safe_load(projects.to_yaml(data)) == data


def test_shared_file_edit_changes_one_table(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    srcdir = projects.generate("openapi", COUNT, tmp_path)
    before = yaml.safe_load((srcdir / "spec.yaml").read_text(encoding="utf-8"))
    assert projects.edit_shared_file("openapi", COUNT, srcdir, 2, 1)
    after = yaml.safe_load((srcdir / "spec.yaml").read_text(encoding="utf-8"))
    hooks_before, hooks_after = before["webhooks"], after["webhooks"]
    changed = [name for name in hooks_before if hooks_before[name] != hooks_after[name]]
    assert changed == ["cb-2"]


@pytest.fixture(scope="module")
def catalogue_baseline(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    return _build("catalogue-list-table", tmp_path_factory.mktemp("catalogue-list-table"))


def _keys(outdir: Path) -> list[list[str]]:
    """The keys of each table of each webhook's page, page by page."""
    keys = []
    for page in sorted((outdir / "webhooks").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for table in soup.find_all("table"):
            rows = table.select("tbody > tr")
            # A key cell is one word that HTML splits into its path and last segment.
            cells = [row.find(["th", "td"]) for row in rows]
            keys.append([cell.get_text("", strip=True) for cell in cells if cell is not None])
    return keys


def test_catalogue_renders_the_rows_of_its_list_table_baseline(
    tmp_path: Path, catalogue_baseline: tuple[subprocess.CompletedProcess[str], Path]
) -> None:
    process, outdir = _build("catalogue", tmp_path)
    for built in (process, catalogue_baseline[0]):
        assert built.returncode == 0, built.stderr
        assert built.stderr == ""
    pages = sorted(path.stem for path in (outdir / "webhooks").glob("*.html"))
    assert pages == projects.catalogue_events(COUNT)
    assert len(pages) == projects.expected_tables("catalogue", COUNT) == COUNT
    keys = _keys(outdir)
    # Two tables a page (headers and body), with real rows read through the spec's $refs.
    assert len(keys) == 2 * COUNT
    assert sum(len(table) for table in keys) > 100
    assert any("X-GitHub-Delivery" in table for table in keys)
    assert keys == _keys(catalogue_baseline[1])


@pytest.mark.parametrize(
    "text",
    [
        "The `app_id`, **bold**, *em*, [a link](https://example.com) and node_id_ |sub|.",
        "- not a list item",
        "1. not an enumerated list",
        "#. nor an auto-enumerated one",
        "a) nor this; see :ref:`x` and mona@example.com",
        ".. not a comment",
        "Ends in a literal block marker::",
        "C:\\path\\with\\backslashes <and brackets> [1]_",
    ],
)
def test_rst_escape_shows_plain_text_as_it_is(text: str) -> None:
    doctree = publish_doctree(
        projects.rst_escape(text), settings_overrides={"report_level": 5, "smart_quotes": False}
    )
    paragraph = doctree.children[0]
    assert (paragraph.tagname, paragraph.astext()) == ("paragraph", text)
    assert len(paragraph.children) == 1  # one Text node: no markup was recognised


def _load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("callbacks_bench_run", BENCH / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_each_build_says_where_its_time_went(tmp_path: Path) -> None:
    run = _load_run()
    srcdir = projects.generate("inline", COUNT, tmp_path / "src", per_page=2)
    build, _out, err = run.run_build(
        run._sphinx(srcdir, tmp_path / "build", "-E", "-q"), tmp_path / "logs" / "clean"
    )
    assert build.rc == 0, err
    phases = build.phases
    assert set(phases) == {*run.PHASES, "gc"}
    for phase in run.PHASES:
        wall, cpu = phases[phase]
        assert wall >= 0, (phase, phases)
        assert (cpu is None) == (phase in ("start", "exit")) and (cpu is None or cpu >= 0)
    # Reading and writing a project take longer than nothing; the phases follow one another
    # from the launch of the build to its exit.
    assert phases["read"][0] > 0 and phases["write"][0] > 0
    # (Between reading and writing, Sphinx saves the environment: no phase has that.)
    total = sum(phases[phase][0] for phase in run.PHASES)
    assert build.seconds * 0.8 <= total <= build.seconds
    results = run.Results(clean={"inline|3|1": [{"rep": 0, **run.asdict(build)}]})
    args = run.argparse.Namespace(variants=["inline"], sizes=[3], jobs=[1], catalogue_events=0)
    rows = [line for line in run.phase_table(results, args) if line.startswith("| 3 |")]
    assert rows == [rows[0]] and "| clean, -j 1 | (b) inline |" in rows[0]
