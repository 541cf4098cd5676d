"""What a ``-j`` reader process sends back to the main process: only what it read.

Sphinx forks each reader from the main process, with every table read so far, and pickles
the reader's whole environment back; the main process merges only the reader's own
documents. A reader that kept the rest would send more with every chunk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.sphinx_ext import tracking
from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain

from .helpers import WARNING_TYPES, warnings_of

FIELDS = """\
callbacks:
  inbound:
    fields:
      - key: id
        type: string
        description: The id.
      - key: content
        type: string
        example: Hello
"""
#: Enough documents for more chunks than processes: later readers fork after merges.
PAGES = 40


def project(srcdir: Path) -> None:
    (srcdir / "data").mkdir(parents=True)
    (srcdir / "data" / "fields.yaml").write_text(FIELDS, encoding="utf-8")
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    names = [f"p{n:02}" for n in range(PAGES)]
    for n, name in enumerate(names):
        other = names[(n + 1) % PAGES]
        (srcdir / f"{name}.rst").write_text(
            f"{name}\n===\n\n"
            f".. callback-table:: t{n:02}\n\n   id\n      The id of {n}.\n\n"
            f".. callback-table:: s{n:02}\n   :source: data/fields.yaml#/callbacks/inbound\n\n"
            f"See :callback:field:`t{(n + 1) % PAGES:02}.id` in :doc:`{other}`.\n",
            encoding="utf-8",
        )
    toctree = "\n".join(f"   {name}" for name in names)
    (srcdir / "index.rst").write_text(f"I\n=\n\n.. toctree::\n\n{toctree}\n", encoding="utf-8")


def test_readers_send_back_only_the_documents_they_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path / "src")
    extra_tables: list[list[str]] = []
    extra_readings: list[list[str]] = []
    merge_tables = CallbackDomain.merge_domaindata
    merge_readings = tracking.on_env_merge_info

    def tables_spy(self: CallbackDomain, docnames: Any, otherdata: dict[str, Any]) -> None:
        sent = {e["docname"] for entries in otherdata["tables"].values() for e in entries}
        extra_tables.append(sorted(sent - set(docnames)))
        merge_tables(self, docnames, otherdata)

    def readings_spy(app: Any, env: Any, docnames: Any, other: Any) -> None:
        extra_readings.append(sorted(set(tracking.readings(other)) - set(docnames)))
        merge_readings(app, env, docnames, other)

    # In the main process, where the merges run (setup() connects the patched function).
    monkeypatch.setattr(CallbackDomain, "merge_domaindata", tables_spy)
    monkeypatch.setattr(tracking, "on_env_merge_info", readings_spy)
    app = SphinxTestApp(
        "html", srcdir=tmp_path / "src", freshenv=True, confoverrides=WARNING_TYPES, parallel=2
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert warnings_of(app) == []
    assert len(extra_tables) > 2, "the build did not read in several chunks"
    assert extra_tables == [[]] * len(extra_tables)
    assert extra_readings == [[]] * len(extra_readings)
    # Nothing is lost in the merge: every table, every reading, every link.
    domain = app.env.get_domain("callback")
    assert isinstance(domain, CallbackDomain)
    assert len(domain.tables) == 2 * PAGES
    assert len(tracking.readings(app.env)) == PAGES
    html = (app.outdir / "p05.html").read_text(encoding="utf-8")
    assert 'href="p06.html#callback-t06-id"' in html
