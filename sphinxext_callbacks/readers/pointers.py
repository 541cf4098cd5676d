"""JSON Pointers (RFC 6901): escaping, splitting, and walking a loaded document.

Every reader spells pointers with these helpers, so that ``~0``/``~1`` are written in
one place, and every "selects nothing" problem says the same useful things: where the
walk stopped, the closest key, and what is there instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote

from sphinxext_callbacks.model.jsontypes import a_json_type
from sphinxext_callbacks.model.problems import Problem, did_you_mean

__all__ = ["escape", "join", "last", "select", "split", "value_at"]

#: How many keys a "selects nothing" problem lists.
_SHOWN = 20


def escape(segment: str | int) -> str:
    """One pointer segment, escaped: ``~`` as ``~0`` and ``/`` as ``~1``."""
    return str(segment).replace("~", "~0").replace("/", "~1")


def join(segments: Iterable[str | int]) -> str:
    """The pointer made of *segments* (``""`` for none)."""
    return "".join("/" + escape(segment) for segment in segments)


def split(pointer: str) -> list[str]:
    """The unescaped segments of *pointer* (``[]`` for the whole document)."""
    return [segment.replace("~1", "/").replace("~0", "~") for segment in pointer.split("/")[1:]]


def last(pointer: str) -> str:
    """The last segment of *pointer*, unescaped (a schema's name in ``#/$defs/Name``)."""
    return split("/" + pointer.rsplit("/", 1)[-1])[0]


def child(value: Any, segment: str) -> tuple[bool, Any]:
    """``(True, the value)`` one (unescaped) *segment* below *value*, or ``(False, None)``."""
    if isinstance(value, Mapping) and segment in value:
        return True, value[segment]
    if isinstance(value, list) and segment.isdigit() and int(segment) < len(value):
        return True, value[int(segment)]
    return False, None


def value_at(value: Any, pointer: str) -> Any:
    """The value at *pointer* below *value*, or ``None`` when it selects nothing."""
    for segment in split(pointer):
        found, value = child(value, segment)
        if not found:
            return None
    return value


def select(doc: Any, pointer: str, rel: str) -> Any:
    """The mapping or list at *pointer* (percent-encoded or not) in *doc*, read from *rel*.

    Returns a ``source`` :class:`Problem` that says what exists where the walk stopped
    when the pointer selects nothing, or selects a scalar.
    """
    if pointer and not pointer.startswith("/"):
        return Problem("source", f"{rel}#{pointer}: a JSON pointer starts with '/'")
    value = doc
    walked: list[str] = []
    for segment in split(unquote(pointer)):
        here = f"{rel}#{join(walked)}" if walked else rel
        if isinstance(value, Mapping):
            if segment not in value:
                return Problem("source", _no_key(f"{rel}#{pointer}", here, segment, value))
            value = value[segment]
        elif isinstance(value, list):
            if not segment.isdigit() or int(segment) >= len(value):
                return Problem(
                    "source",
                    f"{rel}#{pointer} selects nothing: {here} is a list of {len(value)} "
                    f"items, indexed 0 to {len(value) - 1}",
                )
            value = value[int(segment)]
        else:
            return Problem(
                "source",
                f"{rel}#{pointer} selects nothing: {here} is {a_json_type(value)}, not a mapping",
            )
        walked.append(segment)
    if not isinstance(value, (Mapping, list)):
        where = f"{rel}#{pointer}" if pointer else rel
        return Problem(
            "source",
            f"{where} selects {a_json_type(value)}, not a schema, field list or OpenAPI object",
        )
    return value


def _no_key(where: str, here: str, segment: str, value: Mapping[Any, Any]) -> str:
    names = [str(key) for key in value]
    shown = ", ".join(names[:_SHOWN]) + (", ..." if len(names) > _SHOWN else "")
    return f"{where} selects nothing: {here} has no {segment!r}{did_you_mean(segment, names)}" + (
        f" (it has: {shown})" if names else " (it is empty)"
    )
