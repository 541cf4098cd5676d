"""What a whole spec lists: one :class:`Listed` value per callback, for ``callback-catalogue``.

The OpenAPI and AsyncAPI readers each list their own kind of callback into these values;
:mod:`~sphinxext_callbacks.readers.catalogue` puts the lists together. Everything here is
a plain value, so that a listing can be digested and compared between builds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sphinxext_callbacks.readers import pointers

__all__ = ["Listed", "group_of", "tag_names"]


@dataclass(frozen=True, slots=True)
class Listed:
    """One callback of a spec, as the catalogue's overview and its generated page need it."""

    #: The callback's name: a webhook key, ``OPERATION_ID.NAME``, a message name.
    name: str
    #: ``webhook``, ``callback`` or ``message``: the option that selects it.
    option: str
    #: The option's value (``issues-opened``, ``sendSms onSmsSend``); ``""`` when
    #: :attr:`pointer` selects it instead.
    value: str
    #: A pointer into the file that selects it when no option can (``""``: none).
    pointer: str = ""
    #: The spec's own summary (Markdown), ``""`` when it gives none.
    summary: str = ""
    deprecated: bool = False
    #: Its group in the overview (a tag, or the value at ``:group-by:``), ``""``: none.
    group: str = ""
    #: Where it is, ``file#/pointer``, for warnings.
    origin: str = ""

    @property
    def selector(self) -> str:
        """The directive option line that selects it (``:webhook: issues-opened``), or ``""``."""
        return f":{self.option}: {self.value}" if self.value else ""


def tag_names(tags: Any) -> list[str]:
    """The names in a ``tags`` list: OpenAPI's are strings or objects, AsyncAPI's objects."""
    names: list[str] = []
    for tag in tags if isinstance(tags, list) else []:
        name = tag.get("name") if isinstance(tag, Mapping) else tag
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


def group_of(objects: Sequence[Any], group_by: str | None) -> str:
    """The group of a callback described by *objects* (its operation first, then others).

    With *group_by* (a JSON pointer), the first scalar found there; else the first tag.
    """
    for value in objects:
        if not isinstance(value, Mapping):
            continue
        if group_by is not None:
            found = pointers.value_at(value, group_by)
            if isinstance(found, (str, int, float)) and not isinstance(found, bool):
                return str(found)
            continue
        names = tag_names(value.get("tags"))
        if names:
            return names[0]
    return ""
