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

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from sphinxext_callbacks.model.problems import WARNING_TYPE
from sphinxext_callbacks.readers.files import write_atomically
from sphinxext_callbacks.render.callback_nodes import callbacks_schema_link
from sphinxext_callbacks.sphinx_ext.build_cache import extension_version

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain

__all__ = [
    "FOLDER",
    "MAX_NAME_BYTES",
    "SchemaLinks",
    "published_files",
    "schema_file_name",
    "write_schemas",
]

logger = logging.getLogger(__name__)
_ = get_translation("sphinxext_callbacks")

#: The folder of the output the schemas are written to.
FOLDER = "_callbacks"
#: The builders whose output is a web site (epub is a book: no files beside its pages).
_BUILDERS = ("html", "dirhtml", "singlehtml")
_SUFFIX = ".schema.json"
#: What was written where (see the module's description), in the doctree folder.
MANIFEST = "callbacks-published.json"
#: The longest file name written, in bytes (file systems allow 255; a web server's path and
#: an archive's, less): a longer name is cut and ends with a hash of the whole.
MAX_NAME_BYTES = 120

#: Which definition of a table a file was written from: its name, document, order in the
#: document, and the time Sphinx read the document.
Token = list[object]


def _hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def schema_file_name(name: str, *, hashed: bool = False) -> str:
    """The file a table's schema is published as: its name, made safe for a path and at
    most :data:`MAX_NAME_BYTES` long. With *hashed* (or when the name is too long) a hash
    of the name is added, which tells apart names made safe alike."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip(".-") or "callback"
    if hashed or len(safe) + len(_SUFFIX) > MAX_NAME_BYTES:
        room = MAX_NAME_BYTES - len(_SUFFIX) - 11
        safe = safe[:room].rstrip(".-") + "-" + _hash(name)
    return safe + _SUFFIX


def published_files(names: Iterable[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The file of each table *name*, and the pairs of names made safe alike.

    In name order, the first name takes the plain file name; a later one that would share
    it (``orders/paid`` and ``orders-paid``; ``Orders`` and ``orders``, one file on macOS
    and Windows) gets the name with a hash. Depends on the set of names only, so that a
    page's link and the file written agree.
    """
    files: dict[str, str] = {}
    owners: dict[str, str] = {}
    clashes: list[tuple[str, str]] = []
    for name in sorted(names):
        file_name = schema_file_name(name)
        if file_name.lower() in owners:
            clashes.append((owners[file_name.lower()], name))
            file_name = schema_file_name(name, hashed=True)
        owners.setdefault(file_name.lower(), name)
        files[name] = file_name
    return files, clashes


def _schema_names(domain: CallbackDomain) -> list[str]:
    """The names of the tables that have a schema to publish, in order."""
    return [name for name in sorted(domain.tables) if _has_schema(domain, name)]


def _has_schema(domain: CallbackDomain, name: str) -> bool:
    entry = domain.get_table(name)
    return entry is not None and bool(entry.get("schema"))


def write_schemas(app: Sphinx, exception: BaseException | None) -> None:
    """Write the schema of every named table (``build-finished``)."""
    if exception is not None or app.builder.name not in _BUILDERS:
        return
    domain = cast("CallbackDomain", app.env.get_domain("callback"))
    folder = Path(app.outdir) / FOLDER
    manifest_path = Path(app.doctreedir) / MANIFEST
    manifest, current = _read_manifest(manifest_path)
    key = str(folder.resolve())
    written: dict[str, Token] = manifest.get(key, {})
    names = _schema_names(domain)
    files, clashes = published_files(names)
    _report_clashes(domain, files, clashes)
    wanted: dict[str, Token] = {}
    changed: dict[str, tuple[str, Any]] = {}
    for name in names:
        entry = domain.get_table(name)
        if entry is None:
            continue
        file_name = files[name]
        docname = entry["docname"]
        token: Token = [name, docname, entry["order"], app.env.all_docs.get(docname)]
        wanted[file_name] = token
        if not current or written.get(file_name) != token or not (folder / file_name).is_file():
            changed[file_name] = (entry["schema"], entry["location"])
    _remove_stale(folder, set(written) - set(wanted))
    for file_name in _publish(folder, changed, written):
        wanted.pop(file_name)
    if wanted != written or not current:
        manifest[key] = wanted
        _write_manifest(manifest_path, manifest)


def _report_clashes(
    domain: CallbackDomain, files: dict[str, str], clashes: list[tuple[str, str]]
) -> None:
    for first, second in clashes:
        entry = domain.get_table(second)
        logger.warning(
            "the callback names %r and %r are both published as %s; %r is published as %s",
            first,
            second,
            f"{FOLDER}/{schema_file_name(first)}",
            second,
            f"{FOLDER}/{files[second]}",
            location=entry["location"] if entry else None,
            type=WARNING_TYPE,
            subtype="output",
        )


def _remove_stale(folder: Path, stale: set[str]) -> None:
    """Remove files this extension wrote and no table publishes now: an author's own file
    in the folder (through ``html_extra_path``) is never in *stale*."""
    for old in sorted(stale):
        path = folder / old
        if path.is_file():
            try:
                path.unlink()
            except OSError as err:
                _cannot_write(path, f"cannot remove it: {err.strerror}", None)


def _publish(
    folder: Path, changed: dict[str, tuple[str, Any]], written: dict[str, Token]
) -> list[str]:
    """Write each changed schema; the files that could not be written (each reported)."""
    failed: list[str] = []
    for file_name, (text, location) in changed.items():
        path = folder / file_name
        if path.is_file():
            if _holds(path, text):
                continue  # unchanged files keep their time stamp, as Sphinx's copies do
            if file_name not in written:
                _cannot_write(
                    path,
                    "a file that this extension did not write is there (html_extra_path?); "
                    "it is left as it is",
                    location,
                )
                failed.append(file_name)
                continue
        errors: list[str] = []
        if not write_atomically(str(path), text.encode("utf-8"), errors):
            _cannot_write(path, errors[0] if errors else "unknown error", location)
            failed.append(file_name)
    return failed


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _cannot_write(path: Path, why: str, location: Any) -> None:
    logger.warning(
        "cannot publish %s/%s: %s",
        FOLDER,
        path.name,
        why,
        location=location,
        type=WARNING_TYPE,
        subtype="output",
    )


def _read_manifest(path: Path) -> tuple[dict[str, dict[str, Token]], bool]:
    """The manifest, and whether this version of the extension wrote it (else every file
    it lists is written again, since another version may write another text). Nothing
    when it is missing or unreadable: then every file is compared with its table again."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, True
    if not isinstance(data, dict):
        return {}, True
    folders = data.get("folders")
    if not isinstance(folders, dict) or not all(
        isinstance(files, dict) and all(isinstance(name, str) for name in files)
        for files in folders.values()
    ):
        return {}, True
    return folders, data.get("version") == extension_version()


def _write_manifest(path: Path, folders: dict[str, dict[str, Token]]) -> None:
    text = json.dumps({"version": extension_version(), "folders": folders}, sort_keys=True)
    # Without a manifest (a read-only doctree folder) the next build only does more work.
    write_atomically(str(path), text.encode("utf-8"))


class SchemaLinks(SphinxPostTransform):
    """Put a link to its published schema under each named table, in web builders.

    ``callbacks_schema_links = False`` leaves them out. The link names the same file that
    :func:`write_schemas` writes: both ask :func:`published_files`.
    """

    default_priority = 210
    builders = _BUILDERS

    def run(self, **kwargs: Any) -> None:
        if not self.config.callbacks_schema_links:
            return
        domain = cast("CallbackDomain", self.env.get_domain("callback"))
        files: dict[str, str] | None = None
        for table in list(self.document.findall(nodes.table)):
            name = table.get("callbacks-name")
            entry = domain.get_table(name) if name else None
            if entry is None or entry["anchor"] not in table["ids"]:
                continue  # not indexed, or another definition of the name is the one shown
            if files is None:
                files = published_files(_schema_names(domain))[0]
            if name not in files or self._shipped(files[name]):
                continue
            # Translators: the link under a table to the JSON Schema file it is published as.
            text = _("JSON Schema")
            link = callbacks_schema_link(text, text, target=f"{FOLDER}/{files[name]}")
            link.source, link.line = table.source, table.line
            parent = table.parent
            parent.insert(parent.index(table) + 1, link)

    def _shipped(self, file_name: str) -> bool:
        """Whether the author ships a file of that name (``html_extra_path``): it is theirs,
        :func:`write_schemas` leaves it, and the table's schema is not published."""
        extra = getattr(self.config, "html_extra_path", None) or ()
        # Relative to the configuration folder, which is the source folder in nearly every
        # project (the environment knows only the latter).
        root = Path(self.env.srcdir)
        return any((root / folder / FOLDER / file_name).is_file() for folder in extra)
