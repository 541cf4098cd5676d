"""Publish each named table's JSON Schema next to the HTML: ``_callbacks/NAME.schema.json``.

API consumers validate what they receive against the docs with it. The files are written
once every document is read (on ``build-finished``, from the ``callback`` domain's data,
which ``-j`` merges and incremental builds keep), so their bytes depend only on the
sources; a file of a table that no longer exists is removed.

An incremental build writes only the files of tables whose documents it read again:
turning thousands of schemas into JSON on every build cost a touch of one page 0.1 to
0.15 s at 2,000 tables. ``callbacks-published.json`` in the doctree folder says, per
output folder, which definition (document, order, time it was read) each file was
written from; a file whose table comes from the same definition, and that still exists,
is left alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sphinxext_callbacks.readers.files import write_atomically
from sphinxext_callbacks.sphinx_ext.build_cache import extension_version

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain

__all__ = ["FOLDER", "schema_file_name", "write_schemas"]

#: The folder of the output the schemas are written to.
FOLDER = "_callbacks"
#: The builders whose output is a web site (epub is a book: no files beside its pages).
_BUILDERS = ("html", "dirhtml", "singlehtml")
_SUFFIX = ".schema.json"
#: What was written where (see the module's description), in the doctree folder.
MANIFEST = "callbacks-published.json"

#: Which definition of a table a file was written from: its name, document, order in the
#: document, and the time Sphinx read the document.
Token = list[object]


def schema_file_name(name: str) -> str:
    """The file a table's schema is published as: its name, made safe for a path."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip(".-") or "callback"
    return safe + _SUFFIX


def write_schemas(app: Sphinx, exception: BaseException | None) -> None:
    """Write the schema of every named table (``build-finished``)."""
    if exception is not None or app.builder.name not in _BUILDERS:
        return
    domain = cast("CallbackDomain", app.env.get_domain("callback"))
    folder = Path(app.outdir) / FOLDER
    manifest_path = Path(app.doctreedir) / MANIFEST
    manifest = _read_manifest(manifest_path)
    key = str(folder.resolve())
    written: dict[str, Token] = manifest.get(key, {})
    wanted: dict[str, Token] = {}
    changed: dict[str, str] = {}
    for name in sorted(domain.tables):
        entry = domain.get_table(name)
        if entry is None or not entry.get("schema"):
            continue
        file_name = schema_file_name(name)
        if file_name in wanted:
            continue  # two names made safe alike: the first in name order wins
        docname = entry["docname"]
        token: Token = [name, docname, entry["order"], app.env.all_docs.get(docname)]
        wanted[file_name] = token
        if written.get(file_name) != token or not (folder / file_name).is_file():
            changed[file_name] = entry["schema"]
    if folder.is_dir():
        for old in folder.glob("*" + _SUFFIX):
            if old.name not in wanted:
                old.unlink()
    if changed:
        folder.mkdir(parents=True, exist_ok=True)
    for file_name, text in changed.items():
        path = folder / file_name
        # Unchanged files keep their time stamp, as Sphinx's own copied files do.
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    if wanted != written:
        manifest[key] = wanted
        _write_manifest(manifest_path, manifest)


def _read_manifest(path: Path) -> dict[str, dict[str, Token]]:
    """The manifest, or nothing when it is missing, unreadable or from another version
    (then every file is compared with its table again, as on a first build)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != extension_version():
        return {}
    folders = data.get("folders")
    return folders if isinstance(folders, dict) else {}


def _write_manifest(path: Path, folders: dict[str, dict[str, Token]]) -> None:
    text = json.dumps({"version": extension_version(), "folders": folders}, sort_keys=True)
    # Without a manifest (a read-only doctree folder) the next build only does more work.
    write_atomically(str(path), text.encode("utf-8"))
