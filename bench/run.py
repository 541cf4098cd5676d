"""Benchmark ``callback-table`` against hand-written ``list-table``s.

Generates synthetic projects (see ``projects.py``) under ``bench/_work/``, builds each
with ``python -m sphinx`` in a fresh child process per build, and prints Markdown
tables of medians, ratios against list-table, peak memory, ``-j`` speed-ups and
incremental builds. Standard library only (matplotlib for ``--plot``).

    python bench/run.py --quick                 # smoke test: N=50, one repetition
    python bench/run.py                         # N = 200 and 2,000, serial and -j 2, 3 reps
    python bench/run.py --sizes 2000 --variants a b e --jobs 1 --repeat 3
    python bench/run.py --variants catalogue --catalogue-events 20   # GitHub's webhooks
    python bench/run.py --variants catalogue --repeat 1   # all 261 of them (the catalogue's goals)

See bench/README.md for the method.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from projects import (  # noqa: E402 - after the path set-up above
    BASELINES,
    CATALOGUE,
    LETTERS,
    SHARED_FILES,
    SYNTHETIC,
    VARIANTS,
    catalogue_events,
    edit_shared_file,
    expected_tables,
    generate,
    page_name,
)

__all__ = ["VARIANTS", "generate", "main"]

BASELINE = "list-table"
WORK = HERE / "_work"
#: Events of the catalogue that ``--quick`` builds.
QUICK_EVENTS = 5
#: Clean-build ratios at N = 2,000 published before the scale work (docs/performance.rst),
#: which must not regress; a run may exceed them by this much noise.
PUBLISHED = {"inline": 0.77, "fieldlist": 0.84, "openapi": 0.91}
NOISE = 1.05

# Runs one command in a fresh process and reports its wall time and peak RSS: the
# RUSAGE_CHILDREN maximum of a process that has only ever had this one child.
_MEASURE = r"""
import json, resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
rc = subprocess.call(cmd)
end = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    json.dump({"rc": rc, "seconds": end - start, "cpu": usage.ru_utime + usage.ru_stime,
               "maxrss_kib": usage.ru_maxrss, "launched": start, "exited": end}, f)
"""

# Runs Sphinx in this process (the one the wrapper above measures) and writes, to the
# file named by $BENCH_PHASES, when each phase of the build ended and the main process's CPU
# time then, and how long the main process spent collecting garbage. With -j the readers
# and writers are forked from it: what their phase takes is the wall time the main process
# waited, and its CPU time is what could not be handed to them.
_PHASES = r"""
import gc, json, os, sys, time
from sphinx.builders import Builder
from sphinx.cmd.build import main
marks, collecting = [("start", time.perf_counter(), time.process_time())], [0.0, 0.0]
def timed(name):
    original = getattr(Builder, name)
    def wrapper(self, *args, **kwargs):
        marks.append((name + "-start", time.perf_counter(), time.process_time()))
        try:
            return original(self, *args, **kwargs)
        finally:
            marks.append((name + "-end", time.perf_counter(), time.process_time()))
    setattr(Builder, name, wrapper)
timed("read"); timed("write")
pid = os.getpid()
def collected(phase, info):
    if os.getpid() != pid:
        return
    if phase == "start":
        collecting[1] = time.perf_counter()
    else:
        collecting[0] += time.perf_counter() - collecting[1]
gc.callbacks.append(collected)
sys.argv[0] = "sphinx-build"
try:
    rc = main(sys.argv[1:])
finally:
    marks.append(("end", time.perf_counter(), time.process_time()))
    with open(os.environ["BENCH_PHASES"], "w") as out:
        json.dump({"marks": marks, "gc": collecting[0]}, out)
sys.exit(rc)
"""

#: The phases reported, each between two of the marks ``_PHASES`` writes, or those of the
#: measuring wrapper (``time.perf_counter`` is the system's monotonic clock, the same in
#: both processes): "start" is Python starting and importing Sphinx, "exit" is Python
#: shutting down, with the last garbage collection of what the build left.
PHASES = {
    "start": ("launched", "start"),
    "set-up": ("start", "read-start"),
    "read": ("read-start", "read-end"),
    "write": ("write-start", "write-end"),
    "finish": ("write-end", "end"),
    "exit": ("end", "exited"),
}

_UPDATED = re.compile(r"(\d+) added, (\d+) changed, (\d+) removed")
_EXCEPTION = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception|Warning)\b.*)$")


@dataclass
class Build:
    """One build's outcome."""

    seconds: float
    maxrss_mib: float
    #: User plus system CPU time of Sphinx and its workers: steadier than wall time on a
    #: busy machine.
    cpu: float
    rc: int
    warnings: int
    error: str | None = None
    reread: int | None = None
    #: Wall and main-process CPU seconds of each of :data:`PHASES`, and ``"gc"``: the
    #: wall seconds the main process spent collecting garbage.
    phases: dict[str, Any] = field(default_factory=dict)
    #: Bytes of the largest page, ``searchindex.js`` and ``genindex.html`` (clean builds).
    sizes: dict[str, int] = field(default_factory=dict)


@dataclass
class Results:
    """Everything measured, keyed ``"<variant>|<n>|<jobs>"`` for clean builds."""

    machine: dict[str, str] = field(default_factory=dict)
    clean: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    incremental: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


# -- running -------------------------------------------------------------------------


def _sphinx(srcdir: Path, outdir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-c", _PHASES, *extra, "-b", "html", str(srcdir), str(outdir)]


def _build_environment(**extra: str) -> dict[str, str]:
    """The environment of a build: this one, except that Python may write bytecode.

    An installed package has its ``.pyc`` files; an editable install under
    ``PYTHONDONTWRITEBYTECODE`` (set on some CI machines) would compile the extension's
    modules from source in every build, a cost no user pays. The warm-up build writes them.
    """
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**env, **extra}


def read_phases(path: Path, launched: float, exited: float) -> dict[str, Any]:
    """The phases of a build from what ``_PHASES`` wrote, and when the wrapper launched it
    and saw it exit; empty when it wrote nothing. Each phase is its wall time and the main
    process's CPU time in it (``None`` for "start" and "exit")."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    marks = {name: (wall, cpu) for name, wall, cpu in data["marks"]}
    marks["launched"], marks["exited"] = (launched, None), (exited, None)
    phases: dict[str, Any] = {"gc": data["gc"]}
    for phase, (start, end) in PHASES.items():
        if start in marks and end in marks:
            (wall0, cpu0), (wall1, cpu1) = marks[start], marks[end]
            cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
            phases[phase] = [wall1 - wall0, cpu]
    return phases


def run_build(cmd: list[str], log: Path) -> tuple[Build, str, str]:
    """Run *cmd* through the measuring wrapper; return the build, stdout and stderr."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        phases_path = Path(handle.name)
    out_path, err_path = log.with_suffix(".out"), log.with_suffix(".err")
    with out_path.open("w") as out, err_path.open("w") as err:
        subprocess.run(
            [sys.executable, "-c", _MEASURE, str(report), *cmd],
            stdout=out,
            stderr=err,
            check=False,
            env=_build_environment(BENCH_PHASES=str(phases_path)),
        )
    try:
        data = json.loads(report.read_text())
        phases = read_phases(phases_path, data["launched"], data["exited"])
    finally:
        report.unlink(missing_ok=True)
        phases_path.unlink(missing_ok=True)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    warnings = sum(1 for line in stderr.splitlines() if "WARNING" in line or "ERROR" in line)
    build = Build(
        seconds=data["seconds"],
        maxrss_mib=data["maxrss_kib"] / 1024,
        cpu=data["cpu"],
        rc=data["rc"],
        warnings=warnings,
        phases=phases,
    )
    build.error = _error_of(build, stderr)
    match = _UPDATED.search(stdout)
    if match:
        build.reread = int(match.group(1)) + int(match.group(2))
    return build, stdout, stderr


def _error_of(build: Build, stderr: str) -> str | None:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if build.rc != 0:
        exceptions = [m.group(1) for line in lines if (m := _EXCEPTION.match(line))]
        if exceptions:
            return exceptions[-1][:160]
        return (lines[-1] if lines else f"exit code {build.rc}")[:160]
    if build.warnings:
        first = next(line for line in lines if "WARNING" in line or "ERROR" in line)
        return f"{build.warnings} warning(s), first: {first}"[:200]
    return None


def count_tables(outdir: Path, variant: str = "") -> int:
    """The tables of the synthetic pages, or the catalogue's pages that show a table."""
    if variant in CATALOGUE:
        return sum(
            "<table" in page.read_text(encoding="utf-8")
            for page in (outdir / "webhooks").glob("*.html")
        )
    return sum(
        page.read_text(encoding="utf-8").count("<table") for page in outdir.glob("page-*.html")
    )


def output_sizes(outdir: Path) -> dict[str, int]:
    """What a reader downloads: the largest page, the search index and the general index."""
    pages = [page.stat().st_size for page in outdir.rglob("*.html")]
    sizes = {"largest page": max(pages, default=0)}
    for name in ("searchindex.js", "genindex.html"):
        path = outdir / name
        sizes[name] = path.stat().st_size if path.exists() else 0
    return sizes


def project_root(variant: str, n: int) -> Path:
    """Where *variant* at size *n* (tables, or events for the catalogue) is built."""
    return WORK / (f"events{n}" if variant in CATALOGUE else f"n{n}") / variant


def size_text(variant: str, n: int) -> str:
    return f"{n} events" if variant in CATALOGUE else f"N={n}"


def clean_build(variant: str, n: int, jobs: int, rep: int, quiet: bool = True) -> Build:
    """A clean ``-E -q`` build into an empty output folder."""
    root = project_root(variant, n)
    outdir = root / "build"
    shutil.rmtree(outdir, ignore_errors=True)
    extra = ["-E", "-q"] if quiet else ["-E"]
    if jobs > 1:
        extra += ["-j", str(jobs)]
    build, _out, _err = run_build(
        _sphinx(root / "src", outdir, *extra), root / "logs" / f"clean-j{jobs}-{rep}"
    )
    if build.error is None:
        found, wanted = count_tables(outdir, variant), expected_tables(variant, n)
        if found != wanted:
            build.error = f"expected {wanted} tables in the HTML, found {found}"
        build.sizes = output_sizes(outdir)
    return build


def incremental_build(variant: str, n: int, label: str) -> Build:
    """An incremental build (no ``-E``, not quiet, so Sphinx says how many it re-read)."""
    root = project_root(variant, n)
    build, _out, _err = run_build(
        _sphinx(root / "src", root / "build"), root / "logs" / f"incremental-{label}"
    )
    if build.reread is None and build.error is None:
        build.error = "no 'N added, N changed, N removed' line in Sphinx's output"
    return build


def _touch(path: Path) -> None:
    # Sphinx compares modification times with the time it read each document: make sure
    # the new time is later than the last build's, without setting one in the future.
    time.sleep(0.05)
    os.utime(path, None)


# -- the bench ---------------------------------------------------------------------------


def groups(args: argparse.Namespace) -> list[tuple[int, list[str]]]:
    """What is built, size by size, baseline first: each N of the synthetic variants, then
    the catalogue pair at its number of events."""
    synthetic = [v for v in args.variants if v in SYNTHETIC]
    catalogue = [v for v in args.variants if v in CATALOGUE]
    return [(n, synthetic) for n in args.sizes if synthetic] + (
        [(args.catalogue_events, catalogue)] if catalogue else []
    )


def bench(args: argparse.Namespace) -> Results:
    results = Results(machine=machine())
    for n, variants in groups(args):
        for variant in variants:
            generate(variant, n, project_root(variant, n) / "src", per_page=args.per_page)
        # One untimed build first, so that no variant pays for cold caches (disk, .pyc).
        base = variants[0]
        _progress(f"{size_text(base, n)} warm-up (not counted)", clean_build(base, n, 1, -1))
        for jobs in args.jobs:
            broken: set[str] = set()
            for rep in range(args.repeat):
                # One round: the baseline first, then each variant (baseline, variant, ...):
                # each variant's ratio is taken against the baseline of the same round.
                for variant in variants:
                    key = f"{variant}|{n}|{jobs}"
                    if variant in broken:
                        continue
                    build = clean_build(variant, n, jobs, rep)
                    label = f"{size_text(variant, n)} -j {jobs} rep {rep + 1}/{args.repeat}"
                    _progress(f"{label} {variant}", build)
                    if build.error is not None:
                        broken.add(variant)
                        results.errors[key] = build.error
                        continue
                    results.clean.setdefault(key, []).append({"rep": rep, **asdict(build)})
        if args.incremental:
            incremental(results, variants, n, args.repeat, args.per_page)
    return results


def incremental(results: Results, variants: list[str], n: int, repeat: int, per_page: int) -> None:
    """Touch one page, then edit one webhook in the shared file; count what is re-read."""
    for variant in variants:
        key = f"{variant}|{n}"
        if f"{variant}|{n}|1" in results.errors or f"{variant}|{n}|1" not in results.clean:
            continue
        root = project_root(variant, n)
        src = root / "src"
        entry = results.incremental.setdefault(key, {})
        # Start from the last clean build (a fresh one if there is none), and let a first
        # no-change build settle it.
        if not (root / "build" / ".doctrees" / "environment.pickle").exists():
            first = clean_build(variant, n, 1, 99)
            if first.error is not None:
                results.errors[f"{key}|incremental"] = first.error
                continue
        settle = incremental_build(variant, n, "settle")
        entry["nothing"] = [asdict(settle)]
        pages = sorted(src.glob("page-*.rst")) or sorted(src.glob("webhooks/*.rst"))
        middle = pages[len(pages) // 2] if pages else src / f"{page_name(1)}.rst"
        size = size_text(variant, n)
        for rep in range(repeat):
            _touch(middle)
            build = incremental_build(variant, n, f"touch-{rep}")
            _progress(f"{size} touch one page rep {rep + 1}/{repeat} {variant}", build)
            entry.setdefault("touch", []).append(asdict(build))
        if variant in SHARED_FILES:
            table = max(1, n // 2)
            for rep in range(repeat):
                time.sleep(0.05)
                edit_shared_file(variant, n, src, table, rep + 1)
                build = incremental_build(variant, n, f"edit-{rep}")
                _progress(f"{size} edit one webhook rep {rep + 1}/{repeat} {variant}", build)
                entry.setdefault("edit", []).append(asdict(build))
            # Put the file back as generated, for the next run.
            generate(variant, n, src, per_page=per_page)


def _progress(label: str, build: Build) -> None:
    status = f"{build.seconds:7.2f} s {build.maxrss_mib:6.0f} MiB"
    if build.reread is not None:
        status += f" re-read {build.reread}"
    if build.error:
        status += f"  n/a (error: {build.error})"
    print(f"  {label:<48} {status}", file=sys.stderr, flush=True)


# -- reporting ---------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = {}
    for module in ("sphinx", "docutils", "yaml", "myst_parser"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:  # a missing optional module is just reported
            versions[module] = "-"
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sphinx": versions["sphinx"],
        "docutils": versions["docutils"],
        "pyyaml": versions["yaml"],
        "myst-parser": versions["myst_parser"],
        "commit": commit,
    }


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def clean_summary(results: Results, variant: str, n: int, jobs: int) -> dict[str, Any] | None:
    runs = results.clean.get(f"{variant}|{n}|{jobs}")
    if not runs:
        return None
    baseline = BASELINES[variant]
    base = {b["rep"]: b for b in results.clean.get(f"{baseline}|{n}|{jobs}") or []}
    paired = [(r, base[r["rep"]]) for r in runs if r["rep"] in base]
    pairs = [r["seconds"] / b["seconds"] for r, b in paired]
    mem_pairs = [r["maxrss_mib"] / b["maxrss_mib"] for r, b in paired]
    cpu_pairs = [r["cpu"] / b["cpu"] for r, b in paired if r.get("cpu") and b.get("cpu")]
    return {
        "median": _median([r["seconds"] for r in runs]),
        "ratio": _median(pairs),
        "mem": _median([r["maxrss_mib"] for r in runs]),
        "mem_ratio": _median(mem_pairs),
        "cpu": _median([r["cpu"] for r in runs if r.get("cpu")]),
        "cpu_ratio": _median(cpu_pairs),
        "runs": len(runs),
    }


def _fmt(value: float | None, spec: str, suffix: str = "") -> str:
    if value is None or value != value:  # None or NaN
        return "–"
    return f"{value:{spec}}{suffix}"


def _label(variant: str) -> str:
    letter = {v: k for k, v in LETTERS.items()}[variant]
    return f"({letter}) {variant}"


def _letter(variant: str) -> str:
    return {v: k for k, v in LETTERS.items()}[variant]


def _speedup(results: Results, variant: str, n: int, jobs: int) -> float | None:
    serial, parallel = (clean_summary(results, variant, n, j) for j in (1, jobs))
    return serial["median"] / parallel["median"] if serial and parallel else None


def phase_summary(builds: list[dict[str, Any]]) -> dict[str, float]:
    """Medians over *builds* of each phase's wall time, of the main process's CPU time
    while writing, and of its time collecting garbage; empty for builds without phases."""
    runs = [b["phases"] for b in builds if b.get("phases")]
    if not runs:
        return {}
    summary = {phase: _median([r[phase][0] for r in runs if phase in r]) for phase in PHASES}
    summary["write-cpu"] = _median([r["write"][1] for r in runs if "write" in r])
    summary["gc"] = _median([r["gc"] for r in runs])
    return summary


def phase_table(results: Results, args: argparse.Namespace) -> list[str]:
    """Where the time of each clean build and each touch goes, phase by phase."""
    rows: list[str] = []
    for n, variants in groups(args):
        size = f"{n} events" if variants[0] in CATALOGUE else str(n)
        builds = [
            (f"clean, -j {jobs}", variant, results.clean.get(f"{variant}|{n}|{jobs}", []))
            for jobs in args.jobs
            for variant in variants
        ]
        builds += [
            (
                "touch one page",
                variant,
                results.incremental.get(f"{variant}|{n}", {}).get("touch", []),
            )
            for variant in variants
        ]
        for kind, variant, runs in builds:
            s = phase_summary(runs)
            if not s:
                continue
            cells = [_fmt(s[phase], ".2f") for phase in PHASES]
            cells += [_fmt(s["write-cpu"], ".2f"), _fmt(s["gc"], ".2f")]
            rows.append(f"| {size} | {kind} | {_label(variant)} | " + " | ".join(cells) + " |")
    if not rows:
        return []
    return [
        "",
        "Where the time goes: medians of each phase's wall time (s): start (Python starting "
        "and importing Sphinx), set-up (Sphinx, extensions, loading the environment), "
        "reading, writing (resolving every page and writing it), finishing (indices, search "
        "index, `objects.inv`, static files, `build-finished`), exit (Python shutting down, "
        "with a last garbage collection of what the build left); the main process's CPU time "
        "while writing (with `-j` it resolves each page before a worker writes it: work no "
        "other core can take); and the wall time the main process spent collecting garbage "
        "before exit.",
        "",
        "| N | build | variant | " + " | ".join(PHASES) + " | main CPU writing | GC in main |",
        "|---:|---|---|" + "---:|" * (len(PHASES) + 2),
        *rows,
    ]


def report(results: Results, args: argparse.Namespace) -> str:
    out: list[str] = []
    m = results.machine
    out.append(
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['os']}; Python {m['python']}, "
        f"Sphinx {m['sphinx']}, docutils {m['docutils']}, PyYAML {m['pyyaml']}, "
        f"myst-parser {m['myst-parser']}; commit {m['commit']}."
    )
    out.append(
        f"Clean builds (`-E -q -b html`), {args.repeat} interleaved round(s); "
        "ratio = median of per-round ratios against the baseline: (a) for (b) to (e), "
        "(f) for (g). N is the number of tables, or of GitHub events (one a page) for the "
        "catalogue."
    )
    out.append("")
    out.append(
        "| N | -j | variant | wall (s) | × baseline | CPU (s) | × baseline "
        "| peak RSS (MiB) | × baseline |"
    )
    out.append("|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for n, variants in groups(args):
        for jobs in args.jobs:
            for variant in variants:
                summary = clean_summary(results, variant, n, jobs)
                error = results.errors.get(f"{variant}|{n}|{jobs}")
                size = f"{n} events" if variant in CATALOGUE else str(n)
                if summary is None and not error:
                    continue  # not measured (a --report of partial runs)
                if summary is None:
                    cells = f"n/a (error: {error})" if error else "n/a"
                    out.append(f"| {size} | {jobs} | {_label(variant)} | {cells} | | | | | |")
                    continue
                out.append(
                    f"| {size} | {jobs} | {_label(variant)} | {_fmt(summary['median'], '.2f')} | "
                    f"{_fmt(summary['ratio'], '.2f', '×')} | {_fmt(summary['cpu'], '.2f')} | "
                    f"{_fmt(summary['cpu_ratio'], '.2f', '×')} | {_fmt(summary['mem'], '.0f')} | "
                    f"{_fmt(summary['mem_ratio'], '.2f', '×')} |"
                )
    synthetic = [v for v in args.variants if v in SYNTHETIC]
    if len(args.sizes) > 1 and synthetic:
        small, large = min(args.sizes), max(args.sizes)
        out += ["", f"Growth: time(N={large}) / time(N={small}), serial and parallel.", ""]
        out.append("| variant | -j | growth | × list-table's growth |")
        out.append("|---|---:|---:|---:|")
        for jobs in args.jobs:
            base = _growth(results, BASELINE, small, large, jobs)
            for variant in synthetic:
                growth = _growth(results, variant, small, large, jobs)
                if growth is None:
                    continue
                relative = growth / base if growth and base else None
                out.append(
                    f"| {_label(variant)} | {jobs} | {_fmt(growth, '.2f', '×')} | "
                    f"{_fmt(relative, '.2f')} |"
                )
    parallel = [j for j in args.jobs if j > 1]
    if 1 in args.jobs and parallel:
        out += [
            "",
            "Speed-up of `-j` over serial (median serial wall time / median parallel), and "
            "the CPU time the parallel build spends against the serial one (above 1.00×: "
            "work done twice, or waiting).",
            "",
        ]
        heads = [f"-j {j} speed-up | -j {j} CPU × serial" for j in parallel]
        out.append("| N | variant | " + " | ".join(heads) + " |")
        out.append("|---:|---|" + "---:|---:|" * len(parallel))
        for n, variants in groups(args):
            for variant in variants:
                serial = clean_summary(results, variant, n, 1)
                speed_cells: list[str] = []
                for jobs in parallel:
                    par = clean_summary(results, variant, n, jobs)
                    speedup = _speedup(results, variant, n, jobs)
                    cpu = par["cpu"] / serial["cpu"] if serial and par else None
                    speed_cells += [_fmt(speedup, ".2f", "×"), _fmt(cpu, ".2f", "×")]
                size = f"{n} events" if variant in CATALOGUE else str(n)
                out.append(f"| {size} | {_label(variant)} | " + " | ".join(speed_cells) + " |")
    out += phase_table(results, args)
    if results.incremental:
        out += [
            "",
            "Incremental builds (serial, after a clean build): touch one page; edit one "
            "webhook's description in the shared file (for (g), one webhook's description in "
            "GitHub's spec). Re-read = added + changed documents; × baseline is "
            "against the baseline's touch.",
            "",
            "| N | variant | touch page (s) | CPU (s) | × baseline | re-read | edit one "
            "webhook (s) | CPU (s) | × baseline touch | re-read | of pages |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for n, variants in groups(args):
            for variant in variants:
                size = f"{n} events" if variant in CATALOGUE else str(n)
                base_touch = results.incremental.get(f"{BASELINES[variant]}|{n}", {}).get(
                    "touch", []
                )
                base_median = _median([b["seconds"] for b in base_touch])
                entry = results.incremental.get(f"{variant}|{n}")
                if not entry:
                    error = results.errors.get(f"{variant}|{n}|1") or results.errors.get(
                        f"{variant}|{n}|incremental"
                    )
                    out.append(
                        f"| {size} | {_label(variant)} | n/a"
                        + (f" (error: {error})" if error else "")
                        + " | | | | | | | | |"
                    )
                    continue
                touch = entry.get("touch", [])
                edit = entry.get("edit", [])
                t = _median([b["seconds"] for b in touch])
                t_cpu = _median([b["cpu"] for b in touch if b.get("cpu")])
                e = _median([b["seconds"] for b in edit]) if edit else None
                e_cpu = _median([b["cpu"] for b in edit if b.get("cpu")]) if edit else None
                e_ratio = e / base_median if e is not None and base_touch else None
                if variant in CATALOGUE:
                    pages = len(catalogue_events(n))
                else:
                    pages = (n + args.per_page - 1) // args.per_page
                out.append(
                    f"| {size} | {_label(variant)} | {_fmt(t, '.2f')} | {_fmt(t_cpu, '.2f')} | "
                    f"{_fmt(t / base_median if base_touch else None, '.2f', '×')} | "
                    f"{_rereads(touch)} | {_fmt(e, '.2f') if edit else 'n/a'} | "
                    f"{_fmt(e_cpu, '.2f') if edit else '–'} | "
                    f"{_fmt(e_ratio, '.2f', '×')} | "
                    f"{_rereads(edit) if edit else '–'} | {pages + 1} |"
                )
    return "\n".join(out)


def _rereads(builds: list[dict[str, Any]]) -> str:
    counts = sorted({b["reread"] for b in builds if b.get("reread") is not None})
    return "/".join(str(c) for c in counts) if counts else "–"


def _growth(results: Results, variant: str, small: int, large: int, jobs: int) -> float | None:
    a = clean_summary(results, variant, small, jobs)
    b = clean_summary(results, variant, large, jobs)
    if not a or not b:
        return None
    return float(b["median"] / a["median"])


def goals_tables(results: Results, args: argparse.Namespace) -> str:
    """Each goal for a clean build of tables, met or missed, where this run measured it."""
    lines = ["", "Goals: clean builds of tables, against list-table:"]
    if not any(v in SYNTHETIC[1:] for v in args.variants):
        return ""
    limits = {"inline": 1.00, "fieldlist": 1.10, "openapi": 1.25}
    large = max(args.sizes)
    for variant, limit in limits.items():
        if variant not in args.variants:
            continue
        s = clean_summary(results, variant, large, 1)
        if s is None:
            error = results.errors.get(f"{variant}|{large}|1", "not measured")
            lines.append(f"- {variant} at N={large}: n/a ({error})")
            continue
        verdict = "met" if s["ratio"] <= limit else f"MISSED by {s['ratio'] / limit - 1:.0%}"
        lines.append(
            f"- {variant} at N={large}: {s['ratio']:.2f}× (goal <= {limit:.2f}×): {verdict}"
            f" (CPU time: {_fmt(s['cpu_ratio'], '.2f', '×')})"
        )
        if s["mem_ratio"] == s["mem_ratio"]:
            mem = "met" if s["mem_ratio"] <= 1.3 else "MISSED"
            lines.append(f"  peak memory {s['mem_ratio']:.2f}× (goal <= 1.30×): {mem}")
    if len(args.sizes) > 1:
        small = min(args.sizes)
        for jobs in args.jobs:
            base = _growth(results, BASELINE, small, large, jobs)
            for variant in limits:
                growth = _growth(results, variant, small, large, jobs)
                if growth and base:
                    verdict = "met" if growth <= base * 1.10 else "MISSED"
                    lines.append(
                        f"- growth {variant} -j {jobs}: {growth:.2f}× vs list-table "
                        f"{base:.2f}× (goal within 10%): {verdict}"
                    )
    parallel = [j for j in args.jobs if j > 1]
    for jobs in parallel if 1 in args.jobs else []:
        speedups = {}
        for variant in (BASELINE, *limits):
            serial, par = (clean_summary(results, variant, large, j) for j in (1, jobs))
            if serial and par:
                speedups[variant] = serial["median"] / par["median"]
        base = speedups.pop(BASELINE, None)
        for variant, speedup in speedups.items():
            if base:
                verdict = "met" if speedup >= base else "MISSED"
                lines.append(
                    f"- -j {jobs} speed-up {variant} at N={large}: {speedup:.2f}× vs list-table "
                    f"{base:.2f}× (goal: at least list-table's): {verdict}"
                )
    for variant in limits:
        for key, label in (("touch", "touch one page"), ("edit", "edit one webhook")):
            builds = results.incremental.get(f"{variant}|{large}", {}).get(key)
            if builds:
                reread = max(b["reread"] or 0 for b in builds)
                verdict = "met" if reread <= 1 else "MISSED"
                lines.append(f"- {label}, {variant}: re-read {reread} (goal 1): {verdict}")
    return "\n".join(lines)


def _verdict(value: float | None, limit: float | None, at_most: bool = True) -> str:
    if value is None or limit is None or value != value or limit != limit:
        return "n/a (not measured)"
    met = value <= limit if at_most else value >= limit
    return "met" if met else "MISSED"


def goals_scale(results: Results, args: argparse.Namespace) -> str:
    """Each goal for parallel, incremental and regression-free builds, met or missed, where
    this run measured it."""
    lines = ["", "Goals: parallel builds, touches and edits, no regression:"]
    # The goals are set at -j 2; another -j is reported under its own number.
    parallel = 2 if 2 in args.jobs else max([j for j in args.jobs if j > 1] or [2])
    large = max(args.sizes)
    where = f"N={large}" + ("" if large == 2000 else " (the goals are set at N=2,000)")
    extension = [v for v in ("inline", "fieldlist", "openapi") if v in args.variants]
    checked = [(v, large) for v in extension]
    if "catalogue" in args.variants:
        checked.append(("catalogue", args.catalogue_events))

    def at(variant: str, n: int) -> str:
        return f"{n} events" if variant in CATALOGUE else where

    base_speedup = _speedup(results, BASELINE, large, parallel)
    for variant in extension:
        speedup = _speedup(results, variant, large, parallel)
        lines.append(
            f"- -j {parallel} speed-up, ({_letter(variant)}) {variant} at {where}: "
            f"{_fmt(speedup, '.2f', '×')} vs list-table {_fmt(base_speedup, '.2f', '×')} "
            f"(goal: at least list-table's): {_verdict(speedup, base_speedup, at_most=False)}"
        )
    for variant, n in checked:
        baseline = BASELINES[variant]
        touch = results.incremental.get(f"{variant}|{n}", {}).get("touch", [])
        base = results.incremental.get(f"{baseline}|{n}", {}).get("touch", [])
        ratio = None
        if touch and base:
            ratio = _median([b["seconds"] for b in touch]) / _median([b["seconds"] for b in base])
        lines.append(
            f"- touch one page, ({_letter(variant)}) {variant} at {at(variant, n)}: "
            f"{_fmt(ratio, '.2f', '×')} of ({_letter(baseline)})'s touch (goal <= 1.20×): "
            f"{_verdict(ratio, 1.2)}"
        )
    for variant, n in checked:
        summary = clean_summary(results, variant, n, parallel)
        memory = summary["mem_ratio"] if summary else None
        lines.append(
            f"- -j {parallel} peak memory, ({_letter(variant)}) {variant} at {at(variant, n)}: "
            f"{_fmt(memory, '.2f', '×')} of ({_letter(BASELINES[variant])})'s "
            f"(goal <= 1.30×): {_verdict(memory, 1.3)}"
        )
    if "catalogue" in args.variants:
        n = args.catalogue_events
        serial = clean_summary(results, "catalogue", n, 1)
        ratio = serial["ratio"] if serial else None
        cpu = serial["cpu_ratio"] if serial else None
        lines.append(
            f"- catalogue clean serial build, {n} events: {_fmt(ratio, '.2f', '×')} of the same "
            f"rows as list-tables (CPU time {_fmt(cpu, '.2f', '×')}) (goal <= 0.90×): "
            f"{_verdict(ratio, 0.9)}"
        )
        mine = _speedup(results, "catalogue", n, parallel)
        theirs = _speedup(results, CATALOGUE[0], n, parallel)
        lines.append(
            f"- catalogue -j {parallel} speed-up, {n} events: {_fmt(mine, '.2f', '×')} vs the "
            f"list-table catalogue's {_fmt(theirs, '.2f', '×')} (goal: at least as much): "
            f"{_verdict(mine, theirs, at_most=False)}"
        )
    for variant in extension:
        summary = clean_summary(results, variant, large, 1)
        ratio = summary["ratio"] if summary else None
        published = PUBLISHED[variant]
        verdict = _verdict(ratio, published * NOISE)
        if large != 2000:
            verdict = "n/a (the published ratio is at N=2,000)"
        lines.append(
            f"- no regression, ({_letter(variant)}) {variant} clean serial at {where}: "
            f"{_fmt(ratio, '.2f', '×')} vs {published:.2f}× published (goal <= "
            f"{published * NOISE:.2f}×, 5 % for noise): {verdict}"
        )
    return "\n".join(lines)


def _sizes(results: Results, variant: str, n: int) -> dict[str, float]:
    """Median bytes of the largest page, ``searchindex.js`` and ``genindex.html`` of the
    variant's serial clean builds."""
    runs = [r.get("sizes") or {} for r in results.clean.get(f"{variant}|{n}|1", [])]
    names = ("largest page", "searchindex.js", "genindex.html")
    return {name: _median([r[name] for r in runs if name in r]) for name in names}


def sizes_table(results: Results, args: argparse.Namespace) -> list[str]:
    """What a reader downloads, for each variant that was built."""
    rows = []
    for n, variants in groups(args):
        for variant in variants:
            sizes = _sizes(results, variant, n)
            if all(value != value for value in sizes.values()):
                continue
            cells = " | ".join(_fmt(value / 2**20, ".2f") for value in sizes.values())
            rows.append(f"| {size_text(variant, n)} | {_label(variant)} | {cells} |")
    if not rows:
        return []
    return [
        "",
        "Output (MiB, serial clean builds): the largest HTML page, `searchindex.js` (which a "
        "browser downloads on the first search) and `genindex.html`.",
        "",
        "| N | variant | largest page | searchindex.js | genindex.html |",
        "|---:|---|---:|---:|---:|",
        *rows,
    ]


#: The limits of issue 25 on what the catalogue's readers download, in bytes.
OUTPUT_LIMITS = {
    "largest page": 2_000_000,
    "searchindex.js": 10_000_000,
    "genindex.html": 1_000_000,
}


def goals_catalogue(results: Results, args: argparse.Namespace) -> str:
    """Each goal for a whole spec (GitHub's webhooks in one catalogue), met or missed."""
    if "catalogue" not in args.variants:
        return ""
    n = args.catalogue_events
    base = CATALOGUE[0]
    lines = ["", f"Goals: a whole spec, {n} webhooks, (g) against (f):"]
    serial = clean_summary(results, "catalogue", n, 1)
    ratio = serial["ratio"] if serial else None
    memory = serial["mem_ratio"] if serial else None
    lines.append(
        f"- clean serial build: {_fmt(ratio, '.2f', '×')} of (f) (goal <= 0.90×): "
        f"{_verdict(ratio, 0.9)}"
    )
    lines.append(
        f"- serial peak memory: {_fmt(memory, '.2f', '×')} of (f) (goal <= 1.30×): "
        f"{_verdict(memory, 1.3)}"
    )
    sizes = _sizes(results, "catalogue", n)
    for name, limit in OUTPUT_LIMITS.items():
        value = sizes[name]
        lines.append(
            f"- {name}: {_fmt(value / 1e6, '.2f')} MB (goal <= {limit / 1e6:.0f} MB): "
            f"{_verdict(value, limit)}"
        )
    entry = results.incremental.get(f"catalogue|{n}", {})
    touch = _median([b["seconds"] for b in entry.get("touch", [])])
    base_touch = _median(
        [b["seconds"] for b in results.incremental.get(f"{base}|{n}", {}).get("touch", [])]
    )
    edit = _median([b["seconds"] for b in entry.get("edit", [])])
    touch_ratio = touch / base_touch if touch == touch and base_touch == base_touch else None
    edit_ratio = edit / touch if edit == edit and touch == touch else None
    lines.append(
        f"- touch one page: {_fmt(touch_ratio, '.2f', '×')} of (f)'s touch (goal <= 1.20×): "
        f"{_verdict(touch_ratio, 1.2)}"
    )
    reread = {b.get("reread") for b in entry.get("edit", [])}
    lines.append(
        f"- edit one webhook: {_fmt(edit_ratio, '.2f', '×')} of the catalogue's touch, re-read "
        f"{'/'.join(str(r) for r in sorted(r for r in reread if r is not None)) or '–'} "
        f"(goal <= 2.00×): {_verdict(edit_ratio, 2.0)}"
    )
    parallel = 2 if 2 in args.jobs else max([j for j in args.jobs if j > 1] or [2])
    mine, theirs = _speedup(results, "catalogue", n, parallel), _speedup(results, base, n, parallel)
    lines.append(
        f"- -j {parallel} speed-up: {_fmt(mine, '.2f', '×')} vs (f)'s {_fmt(theirs, '.2f', '×')} "
        f"(goal: at least (f)'s): {_verdict(mine, theirs, at_most=False)}"
    )
    par = clean_summary(results, "catalogue", n, parallel)
    par_memory = par["mem_ratio"] if par else None
    lines.append(
        f"- -j {parallel} peak memory: {_fmt(par_memory, '.2f', '×')} of (f)'s (goal <= 1.30×): "
        f"{_verdict(par_memory, 1.3)}"
    )
    return "\n".join(lines)


def plot(results: Results, args: argparse.Namespace, path: Path) -> None:
    import matplotlib  # optional: only for --plot

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    variants = [v for v in args.variants if v not in BASELINES.values()]
    synthetic = any(v in SYNTHETIC for v in variants)
    large = max(args.sizes)
    groups = [(n, j) for n in (args.sizes if synthetic else [large]) for j in args.jobs]
    fig, ax = plt.subplots(figsize=(8, 4.2), dpi=120)
    width = 0.8 / max(1, len(groups))
    for g, (n, jobs) in enumerate(groups):
        values = []
        for variant in variants:
            # The catalogue has one size, its events: shown with the largest N's bars.
            if variant in CATALOGUE:
                s = clean_summary(results, variant, args.catalogue_events, jobs)
                s = s if n == large else None
            else:
                s = clean_summary(results, variant, n, jobs)
            values.append(s["ratio"] if s else 0.0)
        xs = [i + (g - (len(groups) - 1) / 2) * width for i in range(len(variants))]
        bars = ax.bar(
            xs, values, width, label=f"N = {n:,}, -j {jobs}" if synthetic else f"-j {jobs}"
        )
        for bar, value in zip(bars, values, strict=True):
            if value:
                ax.annotate(
                    f"{value:.2f}",
                    (bar.get_x() + bar.get_width() / 2, value),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                )
    ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
    ticks = [
        f"{_label(v)}\n{args.catalogue_events} events, × (f)" if v in CATALOGUE else _label(v)
        for v in variants
    ]
    ax.set_xticks(range(len(variants)), ticks)
    ax.set_ylabel("clean build time × list-table")
    ax.set_title("Clean HTML builds, median of per-round ratios against list-tables")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


# -- command line ------------------------------------------------------------------------


def _variant(value: str) -> str:
    value = LETTERS.get(value, value)
    if value not in VARIANTS:
        raise argparse.ArgumentTypeError(
            f"unknown variant {value!r}; choose from a-g or {', '.join(VARIANTS)}"
        )
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[200, 2000],
        help="numbers of tables (default: 200 2000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds of clean builds (3)")
    parser.add_argument(
        "--jobs", type=int, nargs="+", default=[1, 2], help="values of sphinx -j (default: 1 2)"
    )
    parser.add_argument(
        "--variants",
        type=_variant,
        nargs="+",
        default=list(VARIANTS),
        help="a/list-table b/inline c/fieldlist d/openapi e/floor f/catalogue-list-table "
        "g/catalogue (default: all)",
    )
    parser.add_argument(
        "--catalogue-events",
        type=int,
        metavar="K",
        help="build the catalogue from the first K of GitHub's 261 webhooks (default: all)",
    )
    parser.add_argument("--per-page", type=int, default=10, help="tables per page (10)")
    parser.add_argument(
        "--no-incremental",
        dest="incremental",
        action="store_false",
        help="skip the incremental builds",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke test: N=50, {QUICK_EVENTS} catalogue events, one repetition, serial",
    )
    parser.add_argument("--plot", type=Path, help="write a bar chart of the ratios (PNG)")
    parser.add_argument(
        "--json",
        type=Path,
        default=WORK / "results.json",
        help="where to save the raw results (bench/_work/results.json)",
    )
    parser.add_argument(
        "--report",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="build nothing: print the report of saved results (merged)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.jobs = [50], 1, [1]
        args.catalogue_events = min(args.catalogue_events or QUICK_EVENTS, QUICK_EVENTS)
    args.catalogue_events = len(catalogue_events(args.catalogue_events))
    # Each variant's baseline runs too, first in every round, whatever was asked for.
    asked = {*args.variants, *(BASELINES[v] for v in args.variants)}
    args.variants = [v for v in VARIANTS if v in asked]
    args.sizes = sorted(set(args.sizes))
    args.jobs = sorted(set(args.jobs))
    return args


def load(paths: list[Path], args: argparse.Namespace) -> Results:
    """Merge saved results; each file's rounds stay paired with that file's baseline."""
    merged = Results()
    sizes, jobs, variants = set(), set(), set()
    for number, path in enumerate(paths):
        data = json.loads(path.read_text())
        merged.machine = merged.machine or data["machine"]
        for key, runs in data["clean"].items():
            variant, n, j = key.split("|")
            variants.add(variant)
            if variant in CATALOGUE:
                args.catalogue_events = int(n)
            else:
                sizes.add(int(n))
            jobs.add(int(j))
            merged.clean.setdefault(key, []).extend(
                {**run, "rep": run["rep"] + 1000 * number} for run in runs
            )
        for key, entry in data["incremental"].items():
            mine = merged.incremental.setdefault(key, {})
            for kind, builds in entry.items():
                mine.setdefault(kind, []).extend(builds)
        for key, error in data["errors"].items():
            variants.add(key.split("|")[0])
            merged.errors.setdefault(key, error)
    args.sizes, args.jobs = sorted(sizes) or args.sizes, sorted(jobs)
    args.variants = [v for v in VARIANTS if v in variants]
    args.repeat = max(len(runs) for runs in merged.clean.values()) if merged.clean else 0
    return merged


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if args.report:
        results = load(args.report, args)
    else:
        WORK.mkdir(parents=True, exist_ok=True)
        results = bench(args)
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {"args": {k: str(v) for k, v in vars(args).items()}, **asdict(results)}, indent=1
            )
        )
    print(report(results, args))
    print("\n".join(sizes_table(results, args)))
    print(goals_tables(results, args))
    print(goals_scale(results, args))
    print(goals_catalogue(results, args))
    if args.plot:
        plot(results, args, args.plot)
        print(f"\nPlot written to {args.plot}.")
    if not args.report:
        print(f"\nBench took {time.perf_counter() - started:.0f} s; raw results in {args.json}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
