"""The package's data files: where the code looks for them, and declared so the wheel has them."""

from __future__ import annotations

import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest

import sphinxext_callbacks
from sphinxext_callbacks.render.html_template import PACKAGE_TEMPLATES

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PACKAGE = Path(sphinxext_callbacks.__file__).parent
PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"


def package_data() -> list[str]:
    """The globs of ``[tool.setuptools.package-data]``, relative to the package."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    globs: list[str] = config["tool"]["setuptools"]["package-data"]["sphinxext_callbacks"]
    return globs


@pytest.mark.sphinx("html", testroot="inline", freshenv=True)
def test_every_static_file_reaches_the_output(app) -> None:
    # builder-inited has run: the files are in _static before anything is written.
    static = PACKAGE / "render" / "static"
    names = sorted(path.name for path in static.iterdir())
    assert names == ["callbacks.css", "callbacks.js"]
    for name in names:
        assert (app.outdir / "_static" / name).read_bytes() == (static / name).read_bytes()


def test_the_govuk_template_is_where_the_renderer_looks() -> None:
    assert (PACKAGE_TEMPLATES / "govuk.html").is_file()


def test_the_package_is_marked_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()


def test_every_data_file_is_declared_for_the_wheel() -> None:
    globs = package_data()
    data = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    ]
    assert {"py.typed", "render/static/callbacks.css", "render/templates/govuk.html"} <= set(data)
    assert [name for name in data if not any(fnmatch(name, glob) for glob in globs)] == []


def test_every_folder_of_modules_is_a_package() -> None:
    # setuptools' find_packages skips a folder without __init__.py, and its modules with it.
    folders = {path.parent for path in PACKAGE.rglob("*.py")}
    assert [folder for folder in folders if not (folder / "__init__.py").is_file()] == []


@pytest.mark.sphinx("html", testroot="inline", freshenv=True)
def test_setup_declares_its_version_and_parallel_safety(app) -> None:
    extension = app.extensions["sphinxext_callbacks"]
    assert extension.version == sphinxext_callbacks.__version__
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True
    assert extension.metadata == {"env_version": sphinxext_callbacks.ENV_VERSION}


def test_the_build_requirement_can_build_an_spdx_licence() -> None:
    # ``license = "MIT"`` (an SPDX expression) needs setuptools 77 or later.
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    assert isinstance(config["project"]["license"], str)
    assert "setuptools>=77" in config["build-system"]["requires"]


def test_the_release_check_knows_what_the_wheel_must_hold() -> None:
    from .release_check import package_files

    expected = package_files(PACKAGE.parent)
    assert "sphinxext_callbacks/py.typed" in expected
    assert "sphinxext_callbacks/render/templates/govuk.html" in expected
    assert "sphinxext_callbacks/locale/cy/LC_MESSAGES/sphinxext_callbacks.mo" in expected
    assert "sphinxext_callbacks/render/compat.py" in expected
    assert not [name for name in expected if not name.startswith("sphinxext_callbacks/")]


@pytest.mark.parametrize(
    "extra",
    [
        "tests/test_package.py",
        "docs/_build/html/index.html",
        "sphinxext_callbacks/__pycache__/__init__.cpython-311.pyc",
        "sphinxext_callbacks/notes.txt",
    ],
)
def test_the_release_check_refuses_a_wheel_with_more(extra: str) -> None:
    from .release_check import check_wheel_files

    expected = {"sphinxext_callbacks/__init__.py"}
    licence = "sphinxext_callbacks-0.1.0.dist-info/licenses/LICENSE"
    check_wheel_files({*expected, licence}, expected, Path("x.whl"))
    with pytest.raises(SystemExit):
        check_wheel_files({*expected, licence, extra}, expected, Path("x.whl"))
    with pytest.raises(SystemExit):
        check_wheel_files({licence}, expected, Path("x.whl"))


def _floors() -> dict[str, str]:
    """Each dependency's lowest allowed version, from ``pyproject.toml`` (extras included)."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    requirements = [*config["dependencies"], *config["optional-dependencies"]["markdown"]]
    floors = {}
    for requirement in requirements:
        name, _, rest = requirement.partition(">=")
        floors[name.strip().lower()] = rest.split(";")[0].split(",")[0].strip()
    return floors


def test_the_floor_environment_pins_every_declared_floor() -> None:
    pins = {}
    for line in (PYPROJECT.parent / ".ci" / "oldest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.strip().lower()] = version.strip()
    floors = _floors()
    assert floors["sphinx"] == "7.4" and floors["myst-parser"] == "3.0"
    for name, floor in floors.items():
        assert name in pins, f"{name} has no pin in .ci/oldest.txt"
        assert pins[name] in (floor, f"{floor}.0", f"{floor}.0.0"), (name, pins[name], floor)


def test_ci_runs_the_readme_quick_start_as_written() -> None:
    readme = (PYPROJECT.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "sphinx" in commands[0] and "pytest" in commands[1]
    ci = (PYPROJECT.parent / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert f"({command})" in ci, command
