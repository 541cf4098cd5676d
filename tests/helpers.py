"""Helpers to read what a test build produced."""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

from bs4 import BeautifulSoup, Tag

if TYPE_CHECKING:
    from sphinx.testing.util import SphinxTestApp

#: Terminal control sequences: colours, and the line erasing Sphinx's progress lines begin with
#: (CI hosts set ``FORCE_COLOR``, so the tests' output may carry them).
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def plain_output(text: str) -> str:
    """Sphinx's status or warning output without terminal control sequences."""
    return _ANSI.sub("", text)


#: The small Sphinx projects the tests build, one ``test-NAME`` folder each.
ROOTS = Path(__file__).parent.resolve() / "roots"

#: The example specs: the docs show them and the tests read the same files.
EXAMPLES = Path(__file__).parent.parent.resolve() / "docs" / "examples"

#: Overrides every build test uses, so that warnings carry their ``[type.subtype]``.
WARNING_TYPES = {"show_warning_types": True}

#: The keys of GOV.UK Notify's delivery receipt, in the order of its documentation.
NOTIFY_KEYS = [
    "id",
    "reference",
    "to",
    "status",
    "created_at",
    "completed_at",
    "sent_at",
    "notification_type",
]

#: The keys of today's SMS and email receipts: two more since the 2019 page.
NOTIFY_RECEIPT_KEYS = [*NOTIFY_KEYS, "template_id", "template_version"]

#: Every builder Sphinx ships: each must build a callback table without a warning.
BUILDERS = [
    "html",
    "dirhtml",
    "singlehtml",
    "latex",
    "text",
    "man",
    "texinfo",
    "epub",
    "gettext",
    "xml",
]


def copy_root(name: str, dest: Path) -> Path:
    """A fresh copy of the root ``test-{name}`` at *dest*, for a test that writes into it.

    Sphinx 8.2 builds in place from the test root, so a test that edits files, or builds one
    root twice with different settings, works on a copy.
    """
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(ROOTS / f"test-{name}", dest, ignore=shutil.ignore_patterns("_build"))
    return dest


def in_copy(kwargs: dict[str, Any], srcdir: Path, **more: Any) -> dict[str, Any]:
    """``make_app``'s keyword arguments for a copy of its root at *srcdir*.

    The fixture's ``builddir`` is the shared root's: a copy needs a build folder of its own,
    or its doctrees (and the parse cache in them) are another test's.
    """
    return {**kwargs, "srcdir": srcdir, "builddir": srcdir / "_build", **more}


def build_project(srcdir: Path, files: dict[str, str]) -> SphinxTestApp:
    """Write a one-extension project of *files* into *srcdir* and build it to HTML."""
    from sphinx.testing.util import SphinxTestApp

    srcdir.mkdir(parents=True, exist_ok=True)
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    for name, text in files.items():
        (srcdir / name).write_text(text, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=WARNING_TYPES)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def warnings_of(app: object) -> list[str]:
    """The build's warning lines, without colour codes."""
    text = plain_output(app._warning.getvalue())  # type: ignore[attr-defined]
    return [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]


def tables(path: Path) -> list[Tag]:
    """The callback tables of an HTML page."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return soup.select("table.callbacks-table")


def rows(table: Tag) -> list[list[str]]:
    """The text of each body row's cells."""
    return [
        [_text(cell) for cell in row.find_all(["th", "td"])] for row in table.select("tbody > tr")
    ]


#: GOV.UK Notify's whole published multi-file spec (the docs' copy).
NOTIFY_PUBLISHED = EXAMPLES / "notify-published"


def _text(cell: Tag) -> str:
    # A key is one word that HTML splits into elements (its path, then its last segment).
    separator = "" if cell.name == "th" else " "
    return " ".join(cell.get_text(separator, strip=True).split())


def typed(text: str) -> dict[str, Any]:
    """``Field`` keyword arguments for a type as people write it: ``types`` and ``nullable``."""
    from sphinxext_callbacks.model.jsontypes import parse_types

    parsed = parse_types(text)
    if parsed is None:
        return {}
    types, nullable = parsed
    return {"types": types, **({"nullable": True} if nullable else {})}


def type_text(field: Any) -> str | None:
    """A field's types as the Format cell writes them (``array of object``), or ``None``."""
    from sphinxext_callbacks.render.table import types_text

    return types_text(field.types) if field.types is not None else None


_T = TypeVar("_T")


def calls_made(function: Callable[..., _T], *args: Any, **kwargs: Any) -> tuple[_T, int]:
    """``function(*args, **kwargs)`` and the number of Python and C function calls it made.

    A count of work: unlike a clock, the same on a loaded machine and a fast one, so a test
    can compare the work of two inputs (linear growth, no exponential expansion). Work done
    inside one C call (a regular expression, ``str.count``) counts once: such costs are
    measured by ``bench/hostile.py`` instead.
    """
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = function(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return result, count
