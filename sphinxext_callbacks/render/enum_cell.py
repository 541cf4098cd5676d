"""The enum values a Format cell shows: the first :data:`MAX_ENUM_SHOWN`, then how many more.

A spec may list a hundred thousand values (every currency, every airport); the cell shows
enough to read, and the published schema keeps them all. The values are literals between
the configured separator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx.locale import get_translation

from sphinxext_callbacks.model.formats import value_text

__all__ = ["MAX_ENUM_SHOWN", "enum_nodes"]

_ = get_translation("sphinxext_callbacks")

#: The most enum values a Format cell shows.
MAX_ENUM_SHOWN = 50


def enum_nodes(values: Sequence[Any], separator: str) -> list[nodes.Node]:
    """A literal for each of the first :data:`MAX_ENUM_SHOWN` *values*, between
    *separator*, then "and N more" when there are more."""
    result: list[nodes.Node] = []
    for index, value in enumerate(values[:MAX_ENUM_SHOWN]):
        if index:
            result.append(nodes.Text(separator))
        text = value_text(value)
        result.append(nodes.literal(text, text))
    hidden = len(values) - MAX_ENUM_SHOWN
    if hidden > 0:
        # Translators: after the first 50 values of a list, "and 99,950 more".
        result.append(nodes.Text(" " + _("and %s more") % f"{hidden:,}"))
    return result
