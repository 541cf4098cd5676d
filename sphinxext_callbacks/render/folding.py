"""Which rows of a callback table fold away in HTML, and the attributes that say so.

A nested object with more rows than a threshold (``callbacks_fold_rows``, or ``:fold:``)
starts folded in HTML: its own row stays, with a button that ``callbacks.js`` adds, and the
rows inside it are hidden until the button is pressed. The page itself holds every row:
the script hides them (a class it adds), so without JavaScript, in print and in every other
builder each row is shown.

The plan is made from the rows' keys (the ``callbacks-key`` attribute of each body row),
and written into the table's HTML as ``data-`` attributes on the body rows:
``data-callbacks-fold="N"`` and ``data-callbacks-fold-label`` on the row of the N-th folding
object of the table, ``data-callbacks-fold-in="N M"`` on each row inside folding objects
``N`` and ``M``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docutils import nodes
from markupsafe import escape
from sphinx.locale import get_translation

from sphinxext_callbacks.model.paths import Path, PathError, is_under, parse_path
from sphinxext_callbacks.render.table import (
    ALTERNATIVES_END_CLASS,
    FOLD_ATTRIBUTE,
    GROUP_ROW_CLASSES,
)

_ = get_translation("sphinxext_callbacks")


@dataclass
class RowFold:
    """What one body row is in the fold plan."""

    #: The number of the folding object this row opens, or ``None``.
    opens: int | None = None
    #: How many field rows the object it opens holds.
    count: int = 0
    #: The folding objects this row is inside, outermost first.
    inside: list[int] = field(default_factory=list)


def fold_plan(rows: Sequence[nodes.row], threshold: int) -> list[RowFold]:
    """For each body row, in order, what it opens and what it is inside.

    An object's rows are the rows after it whose keys extend its key (``a.b``, ``a[].c``),
    the label rows of alternatives between them, and the row that ends its alternatives;
    an object folds when it has more than ``threshold`` field rows. A row whose key cannot
    be read is inside nothing.
    """
    plan = [RowFold() for _row in rows]
    if threshold <= 0:
        return plan
    counts = [0] * len(rows)
    # The objects that the current row may be inside: (row index, key path).
    open_objects: list[tuple[int, Path]] = []
    inside: list[list[int]] = [[] for _row in rows]
    waiting: list[int] = []  # label rows, placed once the next field row is known
    previous: list[int] = []  # the objects the last field row is inside
    for index, row in enumerate(rows):
        if ALTERNATIVES_END_CLASS in row["classes"]:
            # It closes alternatives that the rows before it were in: it folds with them.
            inside[index] = previous
            continue
        if any(c in GROUP_ROW_CLASSES for c in row["classes"]):
            waiting.append(index)
            continue
        path = _path(row)
        if path is None:
            open_objects.clear()
            waiting.clear()
            previous = []
            continue
        while open_objects and not is_under(path, open_objects[-1][1]):
            open_objects.pop()
        owners = [owner for owner, _path_of in open_objects]
        for label in waiting:
            inside[label] = owners
        waiting.clear()
        inside[index] = previous = owners
        for owner in owners:
            counts[owner] += 1
        open_objects.append((index, path))
    number = 0
    numbers: dict[int, int] = {}
    for index, count in enumerate(counts):
        if count > threshold:
            numbers[index] = number
            plan[index].opens = number
            plan[index].count = count
            number += 1
    for index, owners in enumerate(inside):
        plan[index].inside = [numbers[owner] for owner in owners if owner in numbers]
    return plan


def _path(row: nodes.row) -> Path | None:
    key = row.get("callbacks-key")
    if not key:
        return None
    try:
        return parse_path(str(key))
    except PathError:
        return None


def fold_label(count: int) -> str:
    """The text of the button that shows or hides an object's rows."""
    # Translators: the button that shows or hides the rows inside an object of a
    # callback table; %s is how many rows it holds (always 2 or more).
    return _("%s fields inside") % count


def table_fold_plan(table: nodes.table) -> list[RowFold]:
    """The fold plan of a callback table's body rows (empty when nothing folds)."""
    threshold = int(table.get(FOLD_ATTRIBUTE) or 0)
    if threshold <= 0:
        return []
    tbody = next(iter(table.findall(nodes.tbody)), None)
    if tbody is None:
        return []
    rows = [row for row in tbody.children if isinstance(row, nodes.row)]
    plan = fold_plan(rows, threshold)
    return plan if any(fold.opens is not None for fold in plan) else []


# [^<>]: a tag ends before the next one starts, so a run of unclosed "<tr" stays linear.
_TAG = re.compile(r"<(/?)(table|tbody|tr)\b([^<>]*)>", re.IGNORECASE)


def add_fold_attributes(html: str, plan: Sequence[RowFold]) -> str:
    """The table ``html`` with the fold plan's ``data-`` attributes on its body rows.

    Rows are matched in order: the N-th ``<tr>`` of the outer table's body gets the N-th
    entry of ``plan``. Tables inside cells are left as they are.
    """
    if not plan:
        return html
    depth = 0
    in_body = False
    index = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal depth, in_body, index
        closing, tag, rest = match.group(1), match.group(2).lower(), match.group(3)
        if tag == "table":
            depth += -1 if closing else 1
            return match.group(0)
        if depth != 1:
            return match.group(0)
        if tag == "tbody":
            in_body = not closing
            return match.group(0)
        if closing or not in_body or index >= len(plan):
            return match.group(0)
        fold = plan[index]
        index += 1
        extra = ""
        if fold.opens is not None:
            label = escape(fold_label(fold.count))
            extra += f' data-callbacks-fold="{fold.opens}" data-callbacks-fold-label="{label}"'
        if fold.inside:
            extra += f' data-callbacks-fold-in="{" ".join(map(str, fold.inside))}"'
        return f"<{match.group(2)}{extra}{rest}>"

    return _TAG.sub(mark, html)
