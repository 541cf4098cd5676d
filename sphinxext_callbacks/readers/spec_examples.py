"""The example payloads a source gives itself, for ``callback-example`` to show.

An OpenAPI media type has an ``example`` or named ``examples`` (each an Example Object with
a ``summary`` and a ``value``, or a ``$ref`` to one); a schema has ``examples`` (a list) or
OpenAPI's ``example``; an AsyncAPI message has ``examples`` with a ``name``, a ``summary``
and a ``payload``. ``externalValue`` examples (a URL) are not fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sphinxext_callbacks.model.fields import SpecExample
from sphinxext_callbacks.model.problems import Problem
from sphinxext_callbacks.readers.refs import Location, Refs, deref

__all__ = ["media_examples", "message_examples", "schema_examples"]


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def media_examples(media: Any, at: Location, refs: Refs) -> tuple[SpecExample, ...]:
    """The ``examples`` (or ``example``) of an OpenAPI media type object."""
    if not isinstance(media, Mapping):
        return ()
    named = media.get("examples")
    if isinstance(named, Mapping) and named:
        found: list[SpecExample] = []
        for name, item in named.items():
            followed = deref(item, at.child("examples", str(name)), refs)
            if isinstance(followed, Problem) or not isinstance(followed[0], Mapping):
                continue
            example = followed[0]
            if "value" in example:
                found.append(
                    SpecExample(example["value"], str(name), _text(example.get("summary")))
                )
        return tuple(found)
    if "example" in media:
        return (SpecExample(media["example"]),)
    return ()


def schema_examples(schema: Any, at: Location, refs: Refs) -> tuple[SpecExample, ...]:
    """The ``examples`` (or OpenAPI's ``example``) of a schema, through its ``$ref``."""
    followed = deref(schema, at, refs)
    if isinstance(followed, Problem) or not isinstance(followed[0], Mapping):
        return ()
    schema = followed[0]
    listed = schema.get("examples")
    if isinstance(listed, list) and listed:
        return tuple(SpecExample(value, str(index + 1)) for index, value in enumerate(listed))
    if "example" in schema:
        return (SpecExample(schema["example"]),)
    return ()


def message_examples(message: Mapping[str, Any], part: str) -> tuple[SpecExample, ...]:
    """The ``examples`` of an AsyncAPI message: their ``payload`` (or ``headers``)."""
    found: list[SpecExample] = []
    listed = message.get("examples")
    for index, example in enumerate(listed if isinstance(listed, list) else ()):
        if isinstance(example, Mapping) and part in example:
            name = _text(example.get("name")) or str(index + 1)
            found.append(SpecExample(example[part], name, _text(example.get("summary"))))
    return tuple(found)
