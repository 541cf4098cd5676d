"""The source readers, in the order they are asked, and how another package adds one.

:func:`reader_for` asks each reader of a :class:`Registry` whether it recognises the
selected value, most specific first: an AsyncAPI message or document, an OpenAPI
operation, path item or callback, a field list, and last a JSON Schema (almost any
mapping with ``type`` or ``properties`` looks like one). What none recognises gets a
problem that says what the value is not.

Adding a format of the extension is one module with a
:class:`~sphinxext_callbacks.readers.reader.Reader` and one line in :data:`READERS`.
Another package adds one through the entry-point group :data:`ENTRY_POINT_GROUP`, in its
``pyproject.toml``::

    [project.entry-points."sphinxext_callbacks.readers"]
    avro = "my_package.avro:AvroReader"

The entry point names a reader, or a class whose instances are readers; it goes before the
reader its ``before`` attribute names (``"jsonschema"`` when it has none). A registry never
changes once made: :func:`installed_registry` is made once, from the installed packages.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from sphinxext_callbacks.readers.asyncapi import AsyncApiReader
from sphinxext_callbacks.readers.fieldlist import FieldListReader
from sphinxext_callbacks.readers.openapi import OpenApiReader
from sphinxext_callbacks.readers.reader import Reader, Selection
from sphinxext_callbacks.readers.schema import JsonSchemaReader

__all__ = [
    "ENTRY_POINT_GROUP",
    "READERS",
    "Registry",
    "installed_registry",
    "reader_for",
]

#: The entry-point group through which another package registers a reader.
ENTRY_POINT_GROUP = "sphinxext_callbacks.readers"

#: The extension's own readers, most specific first.
READERS: tuple[Reader, ...] = (
    AsyncApiReader(),
    OpenApiReader(),
    FieldListReader(),
    JsonSchemaReader(),
)

#: Where a reader from another package goes when it names no place: before the reader
#: that takes almost any mapping.
DEFAULT_BEFORE = "jsonschema"


@dataclass(frozen=True)
class Registry:
    """Readers in the order they are asked; the first that recognises a selection reads it."""

    readers: tuple[Reader, ...] = READERS

    @property
    def names(self) -> tuple[str, ...]:
        """The readers' names, in order."""
        return tuple(reader.name for reader in self.readers)

    def with_reader(self, reader: Reader, *, before: str | None = DEFAULT_BEFORE) -> Registry:
        """A registry with ``reader`` before the reader named ``before`` (``None``: last).

        A reader of the same name is replaced.
        """
        readers = [r for r in self.readers if r.name != reader.name]
        names = [r.name for r in readers]
        if before is None:
            return Registry((*readers, reader))
        if before not in names:
            raise ValueError(f"no reader {before!r}; the readers are {', '.join(names)}")
        index = names.index(before)
        return Registry((*readers[:index], reader, *readers[index:]))

    def reader_for(self, selection: Selection) -> Reader | None:
        """The first reader that recognises *selection*, or ``None``."""
        return next((r for r in self.readers if r.recognises(selection)), None)


def registry_from(points: Iterable[EntryPoint], base: Registry | None = None) -> Registry:
    """``base`` (the extension's readers) with the readers ``points`` name, in name order.

    A point that does not load, or loads no reader, raises: it is the other package's bug,
    and a clear one at the first build beats a format that is silently never read.
    """
    registry = base or Registry()
    for point in sorted(points, key=lambda p: p.name):
        loaded = point.load()
        reader = loaded() if isinstance(loaded, type) else loaded
        if not all(hasattr(reader, name) for name in ("name", "parts", "recognises", "read")):
            raise TypeError(
                f"entry point {point.name!r} of {ENTRY_POINT_GROUP} ({point.value}) "
                "is not a reader: it needs name, parts, recognises() and read()"
            )
        registry = registry.with_reader(reader, before=getattr(reader, "before", DEFAULT_BEFORE))
    return registry


@functools.cache
def installed_registry() -> Registry:
    """The extension's readers and those of the installed packages' entry points."""
    return registry_from(entry_points(group=ENTRY_POINT_GROUP))


def reader_for(selection: Selection, registry: Registry | None = None) -> Reader | None:
    """The first reader of ``registry`` (the installed one) that recognises *selection*."""
    return (registry or installed_registry()).reader_for(selection)
