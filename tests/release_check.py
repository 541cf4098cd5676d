"""Check a release: the sdist and wheel build, pass ``twine check``, and work once installed.

Run by ``.ci/run`` and ``tox -e release``, or by hand with the ``release`` extra installed
(``build`` and ``twine``): ``python tests/release_check.py``. The wheel is built from the
sdist, so a file missing from the sdist fails too, and must hold the package's modules and
declared data and nothing else. The wheel is then installed into a fresh virtual
environment, away from the source tree, which builds ``tests/roots/test-release``: a page
with the GOV.UK template, the extension's stylesheet and ``callback-example``, in English
and in Welsh (the translations must be in the wheel).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "tests" / "roots" / "test-release"

#: Files that must be inside the package, in the wheel and in the sdist.
PACKAGE_FILES = (
    "sphinxext_callbacks/__init__.py",
    "sphinxext_callbacks/py.typed",
    "sphinxext_callbacks/render/static/callbacks.css",
    "sphinxext_callbacks/render/static/callbacks.js",
    "sphinxext_callbacks/render/templates/govuk.html",
    "sphinxext_callbacks/locale/sphinxext_callbacks.pot",
    "sphinxext_callbacks/locale/cy/LC_MESSAGES/sphinxext_callbacks.po",
    "sphinxext_callbacks/locale/cy/LC_MESSAGES/sphinxext_callbacks.mo",
)


def run(*command: str | Path, cwd: Path | None = None) -> str:
    """Run a command, echoing it; stop the check when it fails."""
    print("$", " ".join(str(part) for part in command), flush=True)
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def check(condition: bool, message: str) -> None:
    if not condition:
        sys.exit(f"release check failed: {message}")


def clean_copy(target: Path) -> Path:
    """The files a fresh clone would have (with uncommitted work), and nothing ignored.

    A build in the checkout itself would see its leftovers: a stale ``*.egg-info`` lists
    files that ``package-data`` no longer includes, and they would end up in the sdist.
    """
    listed = run("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def package_files(source: Path) -> set[str]:
    """What the wheel must hold, no more and no less: the package's modules and the files
    that ``[tool.setuptools.package-data]`` declares, as a clean clone has them."""
    config = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["sphinxext_callbacks"]
    package = source / "sphinxext_callbacks"
    found = {path for path in package.rglob("*.py")}
    found.update(path for pattern in globs for path in package.glob(pattern))
    return {path.relative_to(source).as_posix() for path in found if path.is_file()}


def check_wheel_files(in_wheel: set[str], expected: set[str], wheel: Path) -> None:
    """The wheel holds the package and its data, and nothing else (no tests, no docs, no
    build output, no caches)."""
    files = {name for name in in_wheel if ".dist-info/" not in name}
    for name in sorted(files):
        check(
            name.startswith("sphinxext_callbacks/"),
            f"{wheel.name} holds {name}, outside the package",
        )
        check("__pycache__" not in name and "_build/" not in name, f"{wheel.name} holds {name}")
    check(not (expected - files), f"{wheel.name} lacks {sorted(expected - files)}")
    check(not (files - expected), f"{wheel.name} holds undeclared {sorted(files - expected)}")
    check(
        any(name.endswith(".dist-info/LICENSE") or "/licenses/" in name for name in in_wheel),
        f"{wheel.name} has no licence file",
    )


def build(dist: Path) -> tuple[Path, Path]:
    """The sdist and the wheel built from it, checked with twine."""
    source = clean_copy(dist.parent / "source")
    run(sys.executable, "-m", "build", "--outdir", dist, source)
    (sdist,) = dist.glob("*.tar.gz")
    (wheel,) = dist.glob("*.whl")
    run(sys.executable, "-m", "twine", "check", "--strict", sdist, wheel)
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    with tarfile.open(sdist) as archive:
        # Members are "sphinxext_callbacks-0.1.0/PATH".
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for path in PACKAGE_FILES:
        check(path in in_wheel, f"{path} is not in {wheel.name}")
        check(path in in_sdist, f"{path} is not in {sdist.name}")
    for path in ("LICENSE", "README.md", "pyproject.toml"):
        check(path in in_sdist, f"{path} is not in {sdist.name}")
    check(not any(name.startswith("tests/") for name in in_wheel), "the wheel holds the tests")
    check_wheel_files(in_wheel, package_files(source), wheel)
    return sdist, wheel


def install(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment with the wheel (and its dependencies) installed."""
    run(sys.executable, "-m", "venv", venv)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)
    # From a folder away from the source tree, so that the import cannot find the checkout.
    where = run(
        python, "-c", "import sphinxext_callbacks; print(sphinxext_callbacks.__file__)", cwd=venv
    )
    check(
        Path(where.strip()).resolve().is_relative_to(venv.resolve()),
        f"imported from {where.strip()}, not from the virtual environment",
    )
    return python


def build_project(python: Path, work: Path, language: str) -> str:
    """Build the release project with ``-W``; the HTML of its page."""
    source = work / f"project-{language}"
    shutil.copytree(PROJECT, source)
    out = work / f"html-{language}"
    options = ["-D", f"language={language}"]
    if language == "cy":
        # docutils has no Welsh module and warns that its own few words stay English.
        options += ["-D", "suppress_warnings=docutils"]
    run(python, "-m", "sphinx", "-W", "--keep-going", "-b", "html", *options, source, out, cwd=work)
    check((out / "_static" / "callbacks.css").is_file(), "no _static/callbacks.css")
    html = (out / "index.html").read_text(encoding="utf-8")
    check('href="_static/callbacks.css' in html, "the page does not link callbacks.css")
    return html


def check_page(html: str, headings: list[str], deprecated: str) -> None:
    tables = re.findall(r'<table class="govuk-table .*?</table>', html, re.DOTALL)
    check(len(tables) == 1, f"expected one GOV.UK table, found {len(tables)}")
    (table,) = tables
    header = r'<th [^>]*scope="col"[^>]*>(.*?)</th>'
    found = [_text(h) for h in re.findall(header, table, re.DOTALL)]
    check(found == headings, f"headings {found}, not {headings}")
    stub = r'<th [^>]*scope="row"[^>]*>(.*?)</th>'
    keys = [_text(k) for k in re.findall(stub, table, re.DOTALL)]
    check(keys == ["id", "status", "sent_at"], f"rows {keys}")
    check("Callback message format" in table, "no caption")
    check(deprecated in table, f"no {deprecated!r} note")
    check("An example delivery receipt" in html, "no example caption")
    blocks = re.findall(
        r'<div class="highlight-json[^"]*"><div class="highlight"><pre>(.*?)</pre>', html, re.DOTALL
    )
    check(len(blocks) == 1, f"expected one JSON example, found {len(blocks)}")
    example = json.loads(_text(blocks[0]))
    check(
        example.get("id") == "740e5834-3a29-46b4-9a6f-16142fde533a",
        f"example payload {example}",
    )


def _text(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html)).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the work folder and say where")
    parser.add_argument(
        "--outdir", type=Path, help="copy the checked sdist and wheel to this folder (to upload)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="callbacks-release-"))
    try:
        sdist, wheel = build(work / "dist")
        python = install(wheel, work / "venv")
        check_page(
            build_project(python, work, "en"), ["Key", "Description", "Format"], "Deprecated"
        )
        check_page(
            build_project(python, work, "cy"),
            ["Allwedd", "Disgrifiad", "Fformat"],
            "Anghymeradwy",
        )
        if args.outdir:
            args.outdir.mkdir(parents=True, exist_ok=True)
            for archive in (sdist, wheel):
                shutil.copy2(archive, args.outdir / archive.name)
    finally:
        if args.keep:
            print(f"work folder: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"release check passed: {wheel.name}")


if __name__ == "__main__":
    main()
