"""The source readers, in the order they are asked, and how to add one.

:func:`reader_for` asks each reader in :data:`READERS` whether it recognises the
selected value, most specific first: an AsyncAPI message or document, an OpenAPI
operation, path item or callback, a field list, and last a JSON Schema (almost any
mapping with ``type`` or ``properties`` looks like one). What none recognises gets a
problem that says what the value is not.

Adding a format is one module with a :class:`~sphinxext_callbacks.readers.reader.Reader`
and one line: in :data:`READERS` for a format of the extension, or, from outside::

    from sphinxext_callbacks.readers.registry import register_reader

    register_reader(MyReader(), before="jsonschema")
"""

from __future__ import annotations

from sphinxext_callbacks.readers.asyncapi import AsyncApiReader
from sphinxext_callbacks.readers.fieldlist import FieldListReader
from sphinxext_callbacks.readers.openapi import OpenApiReader
from sphinxext_callbacks.readers.reader import Reader, Selection
from sphinxext_callbacks.readers.schema import JsonSchemaReader

__all__ = ["READERS", "reader_for", "register_reader"]

#: Every reader, most specific first. The first that recognises a selection reads it.
READERS: list[Reader] = [AsyncApiReader(), OpenApiReader(), FieldListReader(), JsonSchemaReader()]


def register_reader(reader: Reader, *, before: str | None = None) -> None:
    """Add *reader* before the reader named *before* (``None``: after every other one).

    Call it at import time of the code that defines the reader (an extension's ``setup()``
    will do); a name already registered is replaced.
    """
    names = [r.name for r in READERS]
    if reader.name in names:
        del READERS[names.index(reader.name)]
        names.remove(reader.name)
    if before is None:
        READERS.append(reader)
    elif before in names:
        READERS.insert(names.index(before), reader)
    else:
        raise ValueError(f"no reader {before!r}; the readers are {', '.join(names)}")


def reader_for(selection: Selection) -> Reader | None:
    """The first reader that recognises *selection*, or ``None``."""
    return next((r for r in READERS if r.recognises(selection)), None)
