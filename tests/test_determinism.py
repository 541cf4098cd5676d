"""Two builds of a project, and a ``-j 2`` build, give byte-identical HTML, LaTeX and inventory.

The ``determinism`` root has twelve documents (Sphinx reads in parallel only with more than
five to read): inline tables, tables from an OpenAPI spec and a field-list file, made and
checked examples, cross-references between the documents, and a MyST page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from .helpers import warnings_of

ROOT = Path(__file__).parent / "roots" / "test-determinism"

#: What is compared: every page, the inventory, the published schemas and the LaTeX sources.
PATTERNS = {"html": ("*.html", "objects.inv", "_callbacks/*.schema.json"), "latex": ("*.tex",)}


def build(srcdir: Path, builddir: Path, builder: str, parallel: int) -> dict[str, bytes]:
    app = SphinxTestApp(builder, srcdir=srcdir, builddir=builddir, freshenv=True, parallel=parallel)
    try:
        app.build()
        assert warnings_of(app) == []
        if parallel > 1:
            # Sphinx prints the chunks it reads in parallel ("chapter01 .. chapter03").
            assert " .. " in app._status.getvalue()
        return {
            path.relative_to(app.outdir).as_posix(): path.read_bytes()
            for pattern in PATTERNS[builder]
            for path in sorted(app.outdir.glob(pattern))
        }
    finally:
        app.cleanup()


@pytest.mark.parametrize("builder", ["html", "latex"])
def test_builds_are_byte_identical(tmp_path: Path, builder: str) -> None:
    # One source directory for all three builds: only the build directories differ.
    first = build(ROOT, tmp_path / "first", builder, 1)
    second = build(ROOT, tmp_path / "second", builder, 1)
    parallel = build(ROOT, tmp_path / "parallel", builder, 2)
    if builder == "html":
        assert "objects.inv" in first
        assert len([name for name in first if name.endswith(".html")]) >= 14
        # Each named table's JSON Schema is published, whichever process read it.
        schemas = sorted(name for name in first if name.startswith("_callbacks/"))
        assert [f"_callbacks/cb{n:02}.schema.json" for n in range(1, 11)] == [
            name for name in schemas if name.startswith("_callbacks/cb")
        ]
    else:
        assert first
    assert sorted(first) == sorted(second) == sorted(parallel)
    for name, content in first.items():
        assert second[name] == content, f"{name} differs between two builds"
        assert parallel[name] == content, f"{name} differs with -j 2"
