"""The environment's version follows the shape of what the extension pickles into it.

Sphinx throws a saved environment away when an extension's ``env_version`` changes. If the
model changes shape without a new version, an incremental build after an upgrade unpickles
old objects that lack the new attributes, and crashes (seen: ``'Field' object has no
attribute 'min_length'``).
"""

from __future__ import annotations

import dataclasses
import hashlib

from sphinxext_callbacks import ENV_VERSION
from sphinxext_callbacks.model.fields import Callback, Choice, Field, Origin
from sphinxext_callbacks.model.jsontypes import JsonTypes
from sphinxext_callbacks.readers.reader import SourceRequest
from sphinxext_callbacks.readers.sources import SourceResult
from sphinxext_callbacks.sphinx_ext.tracking import Reading

#: ENV_VERSION -> the shape it was released with. Changing a pickled class needs a new line.
SHAPES = {
    4: "f2f875b009e26999",
    5: "af62c2c7de8e8d89",
    6: "aeb3c6846a72e27a",
    7: "ac1373762d37a6c5",
    8: "bd341e4d14b08e4c",
}


def shape() -> str:
    names = []
    for kind in (Field, Choice, Callback, SourceRequest, SourceResult, Reading):
        names.append(kind.__name__ + ":" + ",".join(f.name for f in dataclasses.fields(kind)))
    # Since 7, the typed values a field holds are part of its shape.
    if ENV_VERSION >= 7:
        for kind in (JsonTypes, Origin):
            names.append(kind.__name__ + ":" + ",".join(f.name for f in dataclasses.fields(kind)))
    return hashlib.sha256(";".join(names).encode()).hexdigest()[:16]


def test_a_new_shape_has_a_new_env_version() -> None:
    assert SHAPES.get(ENV_VERSION) == shape(), (
        f"the pickled model changed: bump ENV_VERSION in sphinxext_callbacks/__init__.py and "
        f"add {ENV_VERSION + 1}: {shape()!r} to SHAPES"
    )
