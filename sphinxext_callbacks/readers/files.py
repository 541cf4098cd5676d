"""Loading source files (YAML, JSON, TOML) once per build, safely.

Everything here is plain Python: no docutils, no Sphinx. :class:`FileCache` parses
each file at most once for a given (path, mtime, size), keeps what it parsed in a
folder keyed by the file's content (so that the next build, or another ``-j`` reader,
loads it instead of parsing it again), and turns every way a file can be wrong
(missing, outside the source directory, not UTF-8, a syntax error, a YAML alias
bomb, nesting too deep) into a :class:`~sphinxext_callbacks.problems.Problem`
instead of an exception.

YAML is read with the YAML 1.2 view of scalars that OpenAPI expects: ``yes``/``on``
stay strings and timestamps stay strings (a payload example must stay JSON), and
mapping keys are always strings (``200:`` becomes ``"200"``, so JSON pointers work).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import json
import math
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from sphinxext_callbacks.model.plain import Unfit, clean, marker_float
from sphinxext_callbacks.model.positions import (
    Positions,
    json_positions,
    lookup,
    node_kind,
    yaml_positions,
)
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers import pointers

if TYPE_CHECKING:
    # PyYAML is imported when a YAML file is first read: a project whose tables are all
    # inline never pays for importing it.
    import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "SUFFIXES",
    "FileCache",
    "Loaded",
    "check_allowed",
    "display_path",
    "prune_folder",
    "read_regular_file",
    "write_atomically",
]

#: File name endings this module can read.
SUFFIXES = (".yaml", ".yml", ".json", ".toml")

#: A YAML document whose aliases expand to more nodes than this is refused (billion laughs).
MAX_NODES = 2_000_000
#: Deeper nesting than this is refused: every later walk can then recurse safely.
MAX_DEPTH = 200
#: What a YAML document with aliases may expand to, in bytes of JSON: this multiple of the
#: file's size, plus a floor. A few hundred bytes of aliases must not become a page of
#: hundreds of megabytes; a spec without aliases is never bigger than its text.
MAX_ALIAS_GROWTH = 4
MAX_ALIAS_FLOOR = 1_000_000
#: Integers longer than this many bits (about 4,000 digits) are refused: Python cannot
#: print them, and no real spec holds one.
MAX_INT_BITS = 13_000
#: Problems in files larger than this name the JSON pointer only, not a line and column.
MAX_POSITION_BYTES = 4_000_000
#: The on-disk cache keeps its most recently used entries up to this many bytes.
MAX_DISK_BYTES = 256 * 1024 * 1024
#: Bump when what a parse gives changes without a new release (the key holds both).
DISK_FORMAT = 2


@dataclass(frozen=True)
class Loaded:
    """What loading a file gave: its data, or the problem that stopped it."""

    path: str
    data: Any = None
    problem: Problem | None = None
    #: What was read but may not mean what the author thinks (duplicate keys).
    warnings: tuple[Problem, ...] = ()


def display_path(path: str, srcdir: str) -> str:
    """The path as an author knows it: relative to the source directory when inside it."""
    if srcdir:
        try:
            rel = os.path.relpath(path, srcdir)
        except ValueError:  # another drive on Windows
            return path
        if not rel.startswith(os.pardir):
            return rel.replace(os.sep, "/")
    return path


def _inside(path: str, folder: str) -> bool:
    folder = os.path.realpath(folder)
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:
        return False


def check_allowed(path: str, srcdir: str, allowed_paths: Iterable[str] = ()) -> Problem | None:
    """Refuse a path outside the source directory and the allowed folders.

    Symlinks are resolved first, so that a link inside the source directory cannot
    reach out of it. An empty *srcdir* switches the check off (unit tests, scripts).
    """
    if not srcdir:
        return None
    real = os.path.realpath(path)
    if _inside(real, srcdir) or any(_inside(real, folder) for folder in allowed_paths):
        return None
    return Problem(
        "source",
        f"{path} is outside the source directory; "
        "add its folder to callbacks_allowed_paths to read it",
    )


# -- YAML ---------------------------------------------------------------------------------

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_BOOL_12 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


def _json_key(key: Any) -> str:
    """A mapping key as JSON spells it (YAML allows ints, bools and null as keys)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key)


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    """The loader class: made on first use, since it subclasses PyYAML's (see above)."""
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[valid-type,misc]
        """Safe loading with YAML 1.2 scalars and string keys; duplicate keys are noted."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicates: list[str] = []

        yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
            first: [
                (tag, _BOOL_12 if tag == _BOOL else regexp)
                for tag, regexp in resolvers
                if tag != _TIMESTAMP
            ]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
            seen: dict[str, int] = {}
            for key_node, _ in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    line = key_node.start_mark.line + 1
                    if key_node.value in seen:
                        self.duplicates.append(
                            f"line {line}: duplicate key {key_node.value!r} (first on line "
                            f"{seen[key_node.value]}); the last one is used"
                        )
                    seen.setdefault(key_node.value, line)
            mapping = super().construct_mapping(node, deep=deep)
            return {_json_key(key): value for key, value in mapping.items()}

        def construct_as_text(self, node: yaml.Node) -> str:
            """An explicit ``!!binary`` or ``!!timestamp``: the text as written, as JSON has it."""
            return str(self.construct_scalar(node))

        def construct_as_list(self, node: yaml.MappingNode) -> list[str]:
            """A ``!!set``: its members, in order, as a JSON array."""
            return list(self.construct_mapping(node, deep=True))

        def construct_float(self, node: yaml.ScalarNode) -> float | Unfit:
            """A float, or a mark on one that no float holds (``.inf``, ``1e400``), which
            is left out with a warning (see ``model.plain``)."""
            value: float = self.construct_yaml_float(node)
            if math.isfinite(value) and (value != 0 or marker_float(str(node.value)) == 0):
                return value
            return Unfit(str(node.value))

    # Every value loaded must be JSON (bytes, sets and datetimes break json.dumps and the
    # example checker further on), whatever tag the author wrote.
    Loader.add_constructor("tag:yaml.org,2002:binary", Loader.construct_as_text)
    Loader.add_constructor(_TIMESTAMP, Loader.construct_as_text)
    Loader.add_constructor("tag:yaml.org,2002:set", Loader.construct_as_list)
    Loader.add_constructor("tag:yaml.org,2002:float", Loader.construct_float)
    return Loader


def _check_yaml_graph(root: yaml.Node, max_bytes: int) -> str | None:
    """Count the nodes the document expands to, without expanding it.

    Aliases make the node graph a DAG; the size of each node is memoised on its
    identity, so a billion-laughs document is measured in a few hundred steps.
    Returns why the document is refused, or ``None``.
    """
    sizes: dict[int, int] = {}
    lengths: dict[int, int] = {}
    depths: dict[int, int] = {}
    on_path: set[int] = set()
    # Iterative post-order walk: recursion would fail on the deep documents we refuse.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            size = 1 + sum(sizes[id(child)] for child in children)
            # Bytes of the JSON the node becomes: a scalar's text and quotes, and for a
            # container its brackets and a comma (or colon) per child.
            length = sum(lengths[id(child)] for child in children) + 2 + len(children)
            if node_kind(node) == "scalar":
                length += len(node.value)
            depth = 1 + max((depths[id(child)] for child in children), default=0)
            if size > MAX_NODES:
                return f"it expands to more than {MAX_NODES:,} values (YAML aliases)"
            if length > max_bytes:
                return (
                    f"its YAML aliases expand it to more than {max_bytes:,} bytes of JSON "
                    f"(the limit: {MAX_ALIAS_GROWTH} times the file's size plus "
                    f"{MAX_ALIAS_FLOOR:,} bytes)"
                )
            if depth > MAX_DEPTH:
                return f"it is nested more than {MAX_DEPTH} levels deep"
            sizes[key] = size
            lengths[key] = length
            depths[key] = depth
            continue
        if key in sizes:
            continue
        if key in on_path:
            return "a YAML alias refers to the node that contains it"
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                return "a YAML alias refers to the node that contains it"
            if id(child) not in sizes:
                stack.append((child, False))
        if len(on_path) > MAX_DEPTH:
            return f"it is nested more than {MAX_DEPTH} levels deep"
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    kind = node_kind(node)
    if kind == "sequence":
        return list(node.value)
    if kind == "mapping":
        return [item for pair in node.value for item in pair]
    return []


class _Refused(Exception):
    """A document that parses but that we will not load."""


def _load_yaml(text: str) -> tuple[Any, list[str]]:
    """The document and the duplicate keys found in it."""
    loader: Any = _loader()(text)  # the subclass made in _loader(), with its duplicates
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        if "&" in text:
            reason = _check_yaml_graph(node, MAX_ALIAS_GROWTH * len(text) + MAX_ALIAS_FLOOR)
            if reason:
                raise _Refused(reason)
        # Without an anchor there is no alias: the document is a tree no bigger than its
        # text. With one, the graph check above bounds the walk of the values.
        data = loader.construct_document(node)
        _check_values(data)
        return data, loader.duplicates
    finally:
        loader.dispose()


def _yaml_problem(rel: str, err: yaml.YAMLError) -> Problem:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    where = f"{rel}:{mark.line + 1}:{mark.column + 1}" if mark is not None else rel
    what = getattr(err, "problem", None) or str(err)
    context = getattr(err, "context", None)
    if context:
        what = f"{what} ({context})"
    return Problem("source", f"{where}: invalid YAML: {what}")


# -- JSON and TOML --------------------------------------------------------------------------


def _check_values(data: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and integers too long to print (iteratively,
    to never recurse)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _Refused(f"it is nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value)
        elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise _Refused("an integer in it is too large (more than 4,000 digits)")


def _toml_plain(value: Any) -> Any:
    """TOML dates and times become ISO strings, as they would be in JSON."""
    if isinstance(value, dict):
        return {key: _toml_plain(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_toml_plain(child) for child in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _json_object(pairs: list[tuple[str, Any]], duplicates: list[str]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            duplicates.append(f"duplicate key {key!r}; the last one is used")
        obj[key] = value
    return obj


def _parse(path: str, rel: str, text: str) -> tuple[Any, list[str]]:
    """The file's data and what it holds twice (duplicate keys, which parsers keep quiet)."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in (".yaml", ".yml"):
        return _load_yaml(text)
    if suffix == ".json":
        duplicates: list[str] = []
        data = json.loads(
            text,
            object_pairs_hook=lambda pairs: _json_object(pairs, duplicates),
            parse_float=marker_float,
            parse_constant=Unfit,
        )
        _check_values(data)
        return data, duplicates
    # TOML itself refuses duplicate keys; its inf and nan come through parse_float too.
    data = tomllib.loads(text, parse_float=marker_float)
    _check_values(data)
    return _toml_plain(data), []


def _positions(path: str, suffix: str) -> Positions | None:
    try:
        text = read_regular_file(path).decode("utf-8-sig")
        return json_positions(text) if suffix == ".json" else yaml_positions(text)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None


def _not_a_regular_file(path: str) -> str | None:
    """Why *path* is not a file to read: a directory, a FIFO, a device, a symlink loop."""
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "it is a loop of symbolic links"
        return None  # a missing file is reported as such by the caller
    if stat.S_ISDIR(mode):
        return "it is a directory"
    if not stat.S_ISREG(mode):
        return "it is not a regular file (a FIFO, a device or a socket)"
    return None


def read_regular_file(path: str) -> bytes:
    """The bytes of *path*, which must be a regular file.

    Opened without blocking and checked on the open descriptor, so that a FIFO swapped in
    after a check cannot hang the build.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise OSError(errno.EINVAL, "it is not a regular file (a FIFO, a device or a socket)")
        return stream.read()


# -- The cache -----------------------------------------------------------------------------


@dataclass
class FileCache:
    """Parsed files for one build, each parsed once per (path, mtime_ns, size).

    Create one per build (for instance on ``builder-inited``) and keep it off the
    pickled environment. Loaded data is shared by every caller and must not be
    mutated; nothing in this package does.

    With a *folder*, what a parse gave is also written there as plain JSON, keyed by the
    SHA-256 of the file's bytes, the *salt* (the extension's version) and PyYAML's version:
    a later build, or a ``-j`` reader process, loads it (``json.loads``, many times faster
    than parsing YAML) instead of parsing the file again. An edited file has other bytes
    and so another key. Each entry holds its key, and is used only when that is the key
    asked for and its values have the shapes written: a planted, truncated or swapped
    entry is ignored and written again. Nothing in the folder is ever unpickled or run.
    """

    folder: str | None = None
    salt: str = ""
    #: How many times each absolute path was parsed (tests assert "once").
    parse_count: dict[str, int] = field(default_factory=dict)
    #: How many times each absolute path was loaded from *folder* instead.
    hit_count: dict[str, int] = field(default_factory=dict)
    _loaded: dict[tuple[Any, ...], Loaded] = field(default_factory=dict, repr=False)
    _positions: dict[tuple[Any, ...], Positions | None] = field(default_factory=dict, repr=False)
    #: The paths whose parsed data *folder* holds: cheap to load again.
    _stored: set[str] = field(default_factory=set, repr=False)

    @staticmethod
    def stamp(path: str) -> tuple[int, ...] | None:
        """What changes when *path*'s content may have: ``None`` when it cannot be stat'ed.

        The change time and the inode are in it, not only the modification time and the
        size: an edit that keeps both (a tool that restores the mtime, a same-size
        rewrite) still changes the ctime, which no user can set back.
        """
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode)

    def release(self) -> None:
        """Drop from memory the parsed data that *folder* holds (the counts stay).

        What could not be written there is kept: dropping it would mean parsing it again.
        """
        for key in [key for key in self._loaded if key[0] in self._stored]:
            del self._loaded[key]
        self._positions.clear()

    def load(self, path: str, *, srcdir: str = "", allowed_paths: Sequence[str] = ()) -> Loaded:
        """Read and parse *path* (absolute), or say why not."""
        path = os.path.abspath(path)
        rel = display_path(path, srcdir)
        refused = check_allowed(path, srcdir, allowed_paths)
        if refused is not None:
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: {refused.message}"))
        not_regular = _not_a_regular_file(path)
        if not_regular is not None:
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: {not_regular}"))
        stamp = self.stamp(path)
        if stamp is None:
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: no such file"))
        suffix = os.path.splitext(path)[1].lower()
        if suffix not in SUFFIXES:
            return Loaded(
                path,
                problem=Problem(
                    "source",
                    f"cannot read {rel}: unknown file type {suffix or '(none)'!r}; "
                    f"use one of {', '.join(SUFFIXES)}",
                ),
            )
        key = (path, *stamp)
        cached = self._loaded.get(key)
        if cached is None:
            cached = self._loaded[key] = self._read(path, rel)
        return cached

    def position(self, path: str, pointer: str) -> tuple[int, int] | None:
        """The 1-based ``(line, column)`` where the JSON *pointer* points in *path*.

        For YAML and JSON files; ``None`` for TOML, for a pointer that selects nothing,
        or when the file cannot be read. Only problems ask, so the positions of a file
        are found on demand, then kept for the build like its data.
        """
        stamp = self.stamp(path)
        suffix = os.path.splitext(path)[1].lower()
        if stamp is None or suffix not in (".yaml", ".yml", ".json"):
            return None
        if stamp[2] > MAX_POSITION_BYTES:
            return None  # mapping a huge spec would cost more than the hint is worth
        key = (path, *stamp)
        if key not in self._positions:
            self._positions[key] = _positions(path, suffix)
        positions = self._positions[key]
        where = lookup(positions, pointers.split(pointer)) if positions is not None else None
        return (where[0] + 1, where[1] + 1) if where is not None else None

    def _read(self, path: str, rel: str) -> Loaded:
        try:
            raw = read_regular_file(path)
        except OSError as err:
            self.parse_count[path] = self.parse_count.get(path, 0) + 1
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: {err.strerror}"))
        key = self._key(path, raw)
        entry = os.path.join(self.folder, key + _ENTRY_SUFFIX) if self.folder else None
        stored = _load_entry(entry, key) if entry else None
        self._stored.discard(path)
        if stored is not None:
            self.hit_count[path] = self.hit_count.get(path, 0) + 1
            self._stored.add(path)
            data, duplicates, dropped = stored
        else:
            self.parse_count[path] = self.parse_count.get(path, 0) + 1
            parsed = self._parse(path, rel, raw)
            if isinstance(parsed, Loaded):
                return parsed
            data, duplicates, dropped = parsed
            if entry and _store_entry(entry, key, data, duplicates, dropped):
                self._stored.add(path)
        warnings = [Problem("source", f"{rel}: {text}") for text in duplicates[:20]]
        for pointer, why in dropped[:20]:
            where = self.position(path, pointer)
            at = f"{rel}:{where[0]}:{where[1]}" if where else rel
            warnings.append(
                Problem("source", f"{at}: the value at {pointer or '/'} is left out: {why}")
            )
        return Loaded(path, data=data, warnings=tuple(warnings))

    def _key(self, path: str, raw: bytes) -> str:
        """What *raw* parses to is known by: its bytes, its kind of file, and the versions
        of everything that reads it."""
        key = hashlib.sha256()
        for part in (_disk_version(), self.salt, os.path.splitext(path)[1].lower()):
            key.update(part.encode("utf-8") + b"\0")
        key.update(raw)
        return key.hexdigest()

    def _parse(
        self, path: str, rel: str, raw: bytes
    ) -> tuple[Any, list[str], list[tuple[str, str]]] | Loaded:
        """The data of *raw*, its duplicate keys and the values left out of it (numbers
        that no float holds), or the :class:`Loaded` problem."""
        if b"\x00" in raw:
            return Loaded(
                path, problem=Problem("source", f"cannot read {rel}: it is a binary file")
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            return Loaded(
                path,
                problem=Problem(
                    "source", f"cannot read {rel}: not UTF-8 text (bad byte at offset {err.start})"
                ),
            )
        if not text.strip():
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: the file is empty"))
        import yaml  # as _disk_version() does for every file the cache folder keeps

        try:
            data, duplicates = _parse(path, rel, text)
        except yaml.YAMLError as err:
            return Loaded(path, problem=_yaml_problem(rel, err))
        except json.JSONDecodeError as err:
            return Loaded(
                path,
                problem=Problem(
                    "source", f"{rel}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}"
                ),
            )
        except tomllib.TOMLDecodeError as err:
            message = str(err)
            found = _TOML_WHERE.search(message)
            where = f"{rel}:{found[1]}:{found[2]}" if found else rel
            message = _TOML_WHERE.sub("", message).strip()
            return Loaded(path, problem=Problem("source", f"{where}: invalid TOML: {message}"))
        except _Refused as err:
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: {err}"))
        except RecursionError:
            return Loaded(
                path, problem=Problem("source", f"cannot read {rel}: it is nested too deeply")
            )
        except ValueError as err:  # e.g. JSON numbers too long to convert
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: {err}"))
        if data is None:
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: the file is empty"))
        data, dropped = clean(data)
        if data is None:
            return Loaded(path, problem=Problem("source", f"cannot read {rel}: {dropped[0][1]}"))
        return data, duplicates, dropped


# -- The on-disk cache -----------------------------------------------------------------------

_ENTRY_SUFFIX = ".json"


@functools.cache
def _disk_version() -> str:
    """What an entry was written by: a PyYAML release may read a file differently, so an
    entry written by another version is never found."""
    import yaml

    return f"{DISK_FORMAT} yaml{yaml.__version__}"


def _load_entry(entry: str, key: str) -> tuple[Any, list[str], list[tuple[str, str]]] | None:
    """What *entry* holds, or ``None`` when it is missing, corrupt, of another shape, or
    written for another file (its *key* is not the one asked for).

    An entry is two lines of JSON, read with ``json.loads`` (nothing in the folder is ever
    run): the key it was written for and the SHA-256 of the second line, then the data.
    """
    try:
        with open(entry, "rb") as stream:
            head, _, body = stream.read().partition(b"\n")
        header = json.loads(head)
        if (
            not isinstance(header, dict)
            or header.get("key") != key
            or header.get("sha256") != hashlib.sha256(body).hexdigest()
        ):
            return None
        stored = json.loads(body)
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(stored, dict) or "data" not in stored:
        return None
    duplicates, dropped = stored.get("duplicates"), stored.get("dropped")
    if not (
        isinstance(duplicates, list)
        and all(isinstance(text, str) for text in duplicates)
        and isinstance(dropped, list)
        and all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)
            for pair in dropped
        )
    ):
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # recently used: kept by prune_folder
    return stored["data"], duplicates, [(pointer, why) for pointer, why in dropped]


def _store_entry(
    entry: str, key: str, data: Any, duplicates: list[str], dropped: list[tuple[str, str]]
) -> bool:
    """Write *entry* (atomically: ``-j`` readers may write the same one at once)."""
    try:
        body = json.dumps(
            {"data": data, "duplicates": duplicates, "dropped": dropped},
            allow_nan=False,
            separators=(",", ":"),
        ).encode("utf-8")
    except (ValueError, TypeError, RecursionError):  # pragma: no cover - data is plain JSON
        return False
    head = json.dumps({"key": key, "sha256": hashlib.sha256(body).hexdigest()})
    return write_atomically(entry, head.encode("utf-8") + b"\n" + body)


def write_atomically(path: str, data: bytes, errors: list[str] | None = None) -> bool:
    """Write *data* to *path* through a temporary file beside it, so that no reader (and
    no build stopped half-way) ever sees half of it; ``False`` when it cannot be written
    (a read-only folder, a full disk, a folder where the file should be), with the reason
    appended to *errors* when given: the caller does without, or says so."""
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        # Not tempfile.mkstemp: its file is private (0600), and a published schema must be
        # as readable as every other file of the site. os.open applies the umask.
        tmp = os.path.join(folder, f".tmp-{secrets.token_hex(8)}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(tmp, flags, 0o666)
    except OSError as err:
        if errors is not None:
            errors.append(err.strerror or str(err))
        return False
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, path)
    except OSError as err:
        if errors is not None:
            errors.append(err.strerror or str(err))
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    return True


def prune_folder(folder: str, max_bytes: int = MAX_DISK_BYTES) -> None:
    """Keep the most recently used entries of *folder* up to *max_bytes*.

    Also removes what a killed writer left behind. Call it when no reader is writing
    (at the end of a build).
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return
    entries: list[tuple[int, int, str]] = []
    for name in names:
        path = os.path.join(folder, name)
        try:
            st = os.stat(path)
        except OSError:
            continue
        if name.startswith(".tmp-"):
            entries.append((-1, st.st_size, path))
        elif name.endswith((_ENTRY_SUFFIX, ".marshal")):
            entries.append((st.st_mtime_ns, st.st_size, path))
    kept = 0
    for mtime, size, path in sorted(entries, reverse=True):
        kept += size
        if mtime < 0 or kept > max_bytes:
            with contextlib.suppress(OSError):
                os.unlink(path)
