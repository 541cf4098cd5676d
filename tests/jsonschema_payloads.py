"""Payloads that a schema accepts, from ``hypothesis-jsonschema``, for the property tests.

``hypothesis-jsonschema`` 0.23.1 (its newest release) builds objects with
``hypothesis.internal.conjecture.utils.many.more()``, which Hypothesis 6.170.10 replaced by
iteration. Until it catches up, ``many`` gets back a ``more()`` that steps the new iterator:
that is all the old loop (``while elements.more(): ...``) asked of it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.internal.conjecture import utils as conjecture_utils
from hypothesis_jsonschema import from_schema


def _more(self: Any) -> bool:
    if self._depth is None:
        self.__enter__()
        self._iterated = True
        self._compat_elements = self._iterate()
    try:
        next(self._compat_elements)
    except StopIteration:
        self._closed = True
        return False
    return True


if not hasattr(conjecture_utils.many, "more"):
    conjecture_utils.many.more = _more  # type: ignore[attr-defined]


def payloads(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that *schema* accepts."""
    return from_schema(schema)


def documented_only(value: Any, keys: set[tuple[str, ...]], path: tuple[str, ...] = ()) -> Any:
    """*value* without the keys no row documents (a map's keys, ``{key}``, are documented).

    A schema that does not close its objects accepts any other key; whether the check should
    remark on one is not what these tests ask.
    """
    if isinstance(value, list):
        return [documented_only(item, keys, (*path, "[]")) for item in value]
    if not isinstance(value, dict):
        return value
    kept = {}
    for name, item in value.items():
        for segment in (name, "{key}"):
            if (*path, segment) in keys:
                kept[name] = documented_only(item, keys, (*path, segment))
                break
    return kept
