"""The pages ``callback-catalogue :toctree: DIR`` writes: one per callback, before reading.

As ``autosummary`` does, on ``builder-inited`` the extension looks through the project's
documents for catalogues with ``:toctree:``, lists each one's callbacks and writes
``DIR/NAME.rst`` for each: a title and a ``callback-request``, from a Jinja template the
project may override (``templates_path``, ``callbacks/request-page.rst``). Nothing the spec
says is written into a page except the callback's name, escaped; its words come in when
the page is read, through the gate.

A page is written only when its text changes, so that Sphinx reads again only what
changed. Pages of callbacks that left the spec are removed, but only files whose first
line says that this catalogue wrote them: nothing else is ever overwritten or removed.
When neither the catalogue's options, nor the spec, nor the template changed since the
last build, the spec is not even listed (a touch of one page costs nothing here).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils.utils import column_width
from sphinx.application import Sphinx
from sphinx.util import logging

from sphinxext_callbacks.model.problems import WARNING_TYPE, Problem
from sphinxext_callbacks.readers.catalogue import CatalogueRequest, list_callbacks
from sphinxext_callbacks.readers.files import FileCache, write_atomically
from sphinxext_callbacks.readers.listing import Listed
from sphinxext_callbacks.sphinx_ext.build_cache import file_cache

__all__ = [
    "MARKER",
    "TEMPLATE",
    "CatalogueOptions",
    "catalogue_request",
    "page_docname",
    "page_files",
    "setup_pages",
]

logger = logging.getLogger(__name__)

#: How every generated page starts: a reST comment naming the catalogue that wrote it.
MARKER = ".. Written by sphinxext-callbacks for the callback-catalogue in "
#: The template a project may override in its ``templates_path``.
TEMPLATE = "callbacks/request-page.rst"
#: The package's own page template.
DEFAULT_TEMPLATE = """\
{{ name | heading }}

.. callback-request:: {{ name }}
   :source: {{ source }}
{%- if selector %}
   {{ selector }}
{%- endif %}
"""
#: Longest file name written, in bytes (the suffix included).
MAX_NAME_BYTES = 120
#: Where the last build's catalogues are remembered, in the doctree folder.
MANIFEST = "callbacks-catalogue-pages.json"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# A catalogue directive in reST, or in MyST (a fence of backticks or colons).
_DIRECTIVE = re.compile(
    r"^([ \t]*)(?:\.\.[ \t]+callback-catalogue::|[`:]{3,}\{callback-catalogue\})"
)
_OPTION = re.compile(r"^[ \t]*:([\w-]+):(?:[ \t]+(.*?))?[ \t]*$")


@dataclass(frozen=True)
class CatalogueOptions:
    """The options of one ``callback-catalogue`` as written, and where it is."""

    docname: str
    lineno: int
    options: tuple[tuple[str, str], ...]

    def get(self, name: str, default: str = "") -> str:
        """The value of option *name*, or *default*."""
        return dict(self.options).get(name, default)


def split_list(value: str) -> tuple[str, ...]:
    """A comma-separated option value, as a tuple of stripped items."""
    return tuple(item.strip() for item in value.split(",") if item.strip())


def catalogue_request(path: str, srcdir: str, allowed: Sequence[str], get: Any) -> CatalogueRequest:
    """The request a catalogue's options make (*get* reads an option, ``""`` when absent)."""
    group_by = get("group-by") or None
    return CatalogueRequest(
        path=path,
        srcdir=srcdir,
        allowed_paths=tuple(allowed),
        include=split_list(get("include")),
        exclude=split_list(get("exclude")),
        group_by=group_by.lstrip("#") if group_by else None,
    )


def rst_escape(text: object) -> str:
    """*text* with every ASCII punctuation character escaped: reST shows it as it is."""
    return _PUNCTUATION.sub(r"\\\1", str(text))


def heading(text: str, underline: str = "=") -> str:
    """*text* as a reST section title: every punctuation character escaped, underlined."""
    escaped = rst_escape(text)
    return f"{escaped}\n{underline * max(column_width(escaped), 4)}"


def file_name(name: str) -> str:
    """A safe file name (without suffix) for the callback *name*: the name itself when it
    is made of letters, digits, ``.``, ``_`` and ``-`` only, else a readable version with a
    hash of the name after it, so that two names never share one."""
    safe = _UNSAFE.sub("-", name).strip(".-")
    limit = MAX_NAME_BYTES - len(".rst")
    if safe == name and len(safe.encode()) <= limit:
        return safe
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
    return f"{(safe or 'callback')[: limit - 11]}-{digest}"


def page_files(callbacks: Sequence[Listed]) -> tuple[dict[str, str], list[Problem]]:
    """The file name of each callback's page, and the callbacks that get none (a name that
    cannot be written into a page, two names that make one file name)."""
    files: dict[str, str] = {}
    taken: dict[str, str] = {}
    problems: list[Problem] = []
    for listed in callbacks:
        name = listed.name
        if _CONTROL.search(name) or name != name.strip() or not name:
            problems.append(
                Problem(
                    "source",
                    f"no page for the callback {name!r}: its name has control "
                    "characters or spaces at either end",
                )
            )
            continue
        base = file_name(name)
        # Folded: a file system that ignores case would make two names one file.
        other = taken.get(base.casefold())
        if other is not None:
            problems.append(
                Problem(
                    "source",
                    f"no page for the callback {name!r}: its file name {base}.rst is the one "
                    f"of {other!r} on a file system that ignores case",
                )
            )
            continue
        taken[base.casefold()] = name
        files[name] = base
    return files, problems


def page_docname(docname: str, toctree: str, base: str) -> str:
    """The document name of a generated page: *toctree* is relative to the catalogue's
    document, or to the source folder when it starts with ``/``."""
    folder = (
        toctree.strip().strip("/")
        if toctree.startswith("/")
        else posixpath.join(posixpath.dirname(docname), toctree.strip())
    )
    return posixpath.normpath(posixpath.join(folder, base))


# -- finding the catalogues ----------------------------------------------------------------------


def find_catalogues(docname: str, text: str) -> Iterator[CatalogueOptions]:
    """Every ``callback-catalogue`` in a document's text, with the options written under it."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not _DIRECTIVE.match(line):
            continue
        options: list[tuple[str, str]] = []
        for following in lines[index + 1 :]:
            match = _OPTION.match(following)
            if match is None:
                break
            options.append((match.group(1), match.group(2) or ""))
        yield CatalogueOptions(docname, index + 1, tuple(options))


# -- writing the pages ---------------------------------------------------------------------------


def _template(app: Sphinx) -> tuple[Any, list[str]]:
    """The page template, and the files it may come from (a change to one rewrites pages)."""
    from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader
    from jinja2.sandbox import SandboxedEnvironment

    folders = [os.path.join(app.confdir, folder) for folder in app.config.templates_path]
    environment = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(folders), DictLoader({TEMPLATE: DEFAULT_TEMPLATE})]),
        keep_trailing_newline=True,
        autoescape=False,
    )
    environment.filters["heading"] = heading
    environment.filters["rst_escape"] = rst_escape
    files = [os.path.join(folder, TEMPLATE) for folder in folders]
    from jinja2 import TemplateError

    try:
        return environment.get_template(TEMPLATE), files
    except TemplateError as error:
        logger.warning(
            "cannot use the template %s (%s); the extension's own is used",
            TEMPLATE,
            error,
            type=WARNING_TYPE,
            subtype="config",
        )
        return environment.from_string(DEFAULT_TEMPLATE), files


def _page_text(template: Any, catalogue: str, values: dict[str, str]) -> str:
    from jinja2 import TemplateError

    try:
        text = template.render(**values)
    except TemplateError as error:
        logger.warning(
            "the template %s fails (%s); the extension's own is used",
            TEMPLATE,
            error,
            type=WARNING_TYPE,
            subtype="config",
            once=True,
        )
        text = template.environment.from_string(DEFAULT_TEMPLATE).render(**values)
    marker = f"{MARKER}{catalogue}; it is written again on every build, do not edit it."
    return f"{marker}\n\n{text.rstrip()}\n"


def _written_by(path: Path, catalogue: str) -> bool | None:
    """Whether *catalogue* wrote the file (``None``: another catalogue did)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            first = handle.readline()
    except OSError:
        return False
    if not first.startswith(MARKER):
        return False
    return True if first[len(MARKER) :].startswith(f"{catalogue};") else None


class _Writer:
    """Writes one build's pages, and remembers what each catalogue wrote."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.env = app.env
        self.cache: FileCache = file_cache(app.env)
        self.template, self.template_files = _template(app)
        manifest = Path(app.doctreedir) / MANIFEST
        try:
            self.before: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.before = {}
        self.after: dict[str, Any] = {}

    def warn(self, where: CatalogueOptions, message: str) -> None:
        logger.warning(
            message,
            location=(where.docname, where.lineno),
            type=WARNING_TYPE,
            subtype="source",
        )

    def _documents(self) -> set[str]:
        """The project's documents now: an environment loaded from the last build knows
        those of the last build only, and a document added since may hold a catalogue."""
        config = self.app.config
        exclude = [*config.exclude_patterns, *config.templates_path]
        try:
            exclude += list(self.app.builder.get_asset_paths())
            found = self.env.project.discover(exclude, config.include_patterns)
        except OSError:
            found = set()  # Sphinx says why when it looks for the documents itself
        return set(self.env.found_docs) | set(found)

    def write_all(self) -> None:
        for docname in sorted(self._documents()):
            try:
                path = self.env.doc2path(docname)
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # Sphinx reports it when it reads the document
            if "callback-catalogue" not in text:
                continue
            for found in find_catalogues(docname, text):
                if found.get("toctree") and found.get("source"):
                    self.write(found)
        manifest = Path(self.app.doctreedir) / MANIFEST
        data = json.dumps(self.after, indent=1, sort_keys=True).encode("utf-8")
        manifest.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(str(manifest), data)

    def _stamps(self, files: Sequence[str]) -> list[Any]:
        """Each file and its stamp, as JSON gives them back."""
        stamps = [(path, self.cache.stamp(path)) for path in sorted(files)]
        return [[path, list(stamp) if stamp is not None else None] for path, stamp in stamps]

    def write(self, found: CatalogueOptions) -> None:
        source = found.get("source").partition("#")[0].strip()
        try:
            rel, path = self.env.relfn2path(source, found.docname)
        except (OSError, RuntimeError):
            return  # the directive reports it
        key = json.dumps([found.docname, found.options])
        previous = self.before.get(key)
        stamps = self._stamps(self.template_files)
        if (
            previous is not None
            and previous["template"] == stamps
            and previous["files"] == self._stamps([p for p, _ in previous["files"]])
            and all(os.path.exists(page) for page in previous["pages"])
        ):
            self.after[key] = previous
            return
        config = self.app.config
        request = catalogue_request(
            path, str(self.env.srcdir), config.callbacks_allowed_paths, found.get
        )
        catalogue = list_callbacks(request, self.cache)
        files, problems = page_files(catalogue.callbacks)
        for problem in problems:
            self.warn(found, problem.message)
        written = self._pages(found, catalogue.groups, files, "/" + rel)
        self.after[key] = {
            "files": self._stamps(sorted(catalogue.files)),
            "template": stamps,
            "pages": sorted(written),
        }

    def _pages(
        self,
        found: CatalogueOptions,
        groups: list[tuple[str, list[Listed]]],
        files: dict[str, str],
        source: str,
    ) -> set[str]:
        catalogue = str(self.env.doc2path(found.docname, False))
        suffix = ".rst"
        toctree = found.get("toctree")
        written: set[str] = set()
        folders: set[Path] = set()
        for group, members in groups:
            for listed in members:
                base = files.get(listed.name)
                if base is None:
                    continue
                target = Path(self.env.srcdir) / (
                    page_docname(found.docname, toctree, base) + suffix
                )
                folders.add(target.parent)
                pointer = f"#{listed.pointer}" if listed.pointer else ""
                text = _page_text(
                    self.template,
                    catalogue,
                    {
                        "name": listed.name,
                        "source": source + pointer,
                        "selector": listed.selector,
                        "group": group,
                    },
                )
                if self._write(found, target, catalogue, text):
                    written.add(str(target))
        for folder in sorted(folders | {self._folder(found)}):
            self._remove_stale(folder, catalogue, written)
        return written

    def _folder(self, found: CatalogueOptions) -> Path:
        return (
            Path(self.env.srcdir) / page_docname(found.docname, found.get("toctree"), "x")
        ).parent

    def _write(self, found: CatalogueOptions, target: Path, catalogue: str, text: str) -> bool:
        data = text.encode("utf-8")
        if target.exists():
            if _written_by(target, catalogue) is not True:
                self.warn(
                    found,
                    f"{target.name} is not written: a file of that name, which the "
                    "extension did not write, is in the way (rename or remove it)",
                )
                return False
            try:
                if target.read_bytes() == data:
                    return True
            except OSError:
                pass
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.warn(found, f"cannot write {target.name}: {error.strerror or error}")
            return False
        if not write_atomically(str(target), data):
            self.warn(found, f"cannot write {target}")
            return False
        return True

    def _remove_stale(self, folder: Path, catalogue: str, written: set[str]) -> None:
        """Remove the pages this catalogue wrote before whose callbacks are gone."""
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.rst")):
            if str(path) not in written and _written_by(path, catalogue) is True:
                with contextlib.suppress(OSError):
                    path.unlink()


def _on_builder_inited(app: Sphinx) -> None:
    _Writer(app).write_all()


def setup_pages(app: Sphinx) -> None:
    """Write the catalogues' pages when the builder is ready, before anything is read."""
    # After the build cache is made afresh (build_cache.forget_files), so that the spec
    # parsed here is the one the pages read.
    app.connect("builder-inited", _on_builder_inited, priority=800)
