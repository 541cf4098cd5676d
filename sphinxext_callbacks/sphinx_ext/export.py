"""Publish each named table's JSON Schema next to the HTML: ``_callbacks/NAME.schema.json``.

API consumers validate what they receive against the docs with it. The files are written
once every document is read (on ``build-finished``, from the ``callback`` domain's data,
which ``-j`` merges and incremental builds keep), so their bytes depend only on the
sources; a file of a table that no longer exists is removed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain

__all__ = ["FOLDER", "schema_file_name", "schema_text", "write_schemas"]

#: The folder of the output the schemas are written to.
FOLDER = "_callbacks"
#: The builders whose output is a web site (epub is a book: no files beside its pages).
_BUILDERS = ("html", "dirhtml", "singlehtml")
_SUFFIX = ".schema.json"


def schema_file_name(name: str) -> str:
    """The file a table's schema is published as: its name, made safe for a path."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip(".-") or "callback"
    return safe + _SUFFIX


def schema_text(schema: dict[str, Any]) -> str:
    """The published bytes of *schema*: indented, with ``$defs`` in name order."""
    if isinstance(schema.get("$defs"), dict):
        schema = {**schema, "$defs": dict(sorted(schema["$defs"].items()))}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(app: Sphinx, exception: BaseException | None) -> None:
    """Write the schema of every named table (``build-finished``)."""
    if exception is not None or app.builder.name not in _BUILDERS:
        return
    domain = cast("CallbackDomain", app.env.get_domain("callback"))
    folder = Path(app.outdir) / FOLDER
    wanted: dict[str, str] = {}
    for name in sorted(domain.tables):
        entry = domain.get_table(name)
        if entry is None or not entry.get("schema"):
            continue
        wanted.setdefault(schema_file_name(name), schema_text(entry["schema"]))
    if folder.is_dir():
        for old in folder.glob("*" + _SUFFIX):
            if old.name not in wanted:
                old.unlink()
    if not wanted:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, text in wanted.items():
        path = folder / file_name
        # Unchanged files keep their time stamp, as Sphinx's own copied files do.
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
