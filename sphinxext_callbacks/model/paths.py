"""Key paths: what a field's key is, and how it is written and read back.

A key is a sequence of segments, ``("data", "items", "[]", "id")``, never a dotted string:
a property whose name holds a dot (``acsRenderingType.acsInterface``) is one segment beside
a real nested object, and everything that compares keys (selection, row ids, references,
examples) compares paths. The text form is for people: segments joined by dots, ``[]``
after an array, and a segment that a dot would split written in double quotes
(``additionalData."acsRenderingType.acsInterface"``). :func:`parse_path` reads that form
back, so the spelling a table shows is the spelling ``:exclude:`` and ``:callback:field:``
accept.
"""

from __future__ import annotations

from functools import lru_cache

#: A key: its segments, outermost first.
Path = tuple[str, ...]

#: The segment that stands for the items of an array: ``tags[]``.
ITEMS = "[]"


def needs_quotes(segment: str) -> bool:
    """Whether *segment* must be quoted to be read back as one segment.

    Only what :func:`parse_path` would split or change: a dot, ``[]``, a leading quote,
    whitespace at either end, nothing at all. Other quotes and backslashes are plain.
    """
    return (
        not segment
        or "." in segment
        or ITEMS in segment
        or segment.startswith('"')
        or segment != segment.strip()
    )


def quote(segment: str) -> str:
    """*segment* in double quotes, with ``"`` and ``\\`` escaped by a backslash."""
    return '"' + segment.replace("\\", "\\\\").replace('"', '\\"') + '"'


@lru_cache(maxsize=65536)
def format_path(path: Path) -> str:
    """The text of a key: ``data.items[].id``, ``additionalData."a.b"``."""
    parts: list[str] = []
    for segment in path:
        if segment == ITEMS:
            parts.append(ITEMS)
            continue
        if parts:
            parts.append(".")
        parts.append(quote(segment) if needs_quotes(segment) else segment)
    return "".join(parts)


def pieces(path: Path) -> list[str]:
    """The text of *path* in the pieces a line may break between: after each dot, and
    between two ``[]``. ``a.b[].c`` is ``["a.", "b[].", "c"]``; ``"".join`` gives the key."""
    result: list[str] = []
    for segment in path:
        if segment == ITEMS:
            if result and not result[-1].endswith(ITEMS):
                result[-1] += ITEMS
            else:
                result.append(ITEMS)
        else:
            if result:
                result[-1] += "."
            result.append(quote(segment) if needs_quotes(segment) else segment)
    return result


class PathError(ValueError):
    """A key text that does not read as a path; the message says what to fix."""


@lru_cache(maxsize=16384)
def parse_path(text: str) -> Path:
    """The path a key text names: the inverse of :func:`format_path`.

    Unquoted segments are split at dots, ``[]`` ends a segment and stands for an array's
    items, and a segment that starts with ``"`` runs to the closing quote, whatever it
    holds (``\\"`` and ``\\\\`` inside it).
    Raises :class:`PathError` for text that cannot be read.
    """
    text = text.strip()
    if not text:
        raise PathError("an empty key")
    segments: list[str] = []
    position, end = 0, len(text)
    # After a segment or "[]" comes the end, a dot or another "[]".
    while True:
        if text.startswith(ITEMS, position):
            segments.append(ITEMS)
            position += len(ITEMS)
        elif text.startswith('"', position):
            segment, position = _quoted(text, position)
            segments.append(segment)
        else:
            stop = position
            while stop < end and text[stop] != "." and not text.startswith(ITEMS, stop):
                stop += 1
            if stop == position:
                raise PathError(f"key {text!r} has an empty part; remove the extra dot")
            segments.append(text[position:stop])
            position = stop
        while text.startswith(ITEMS, position):
            segments.append(ITEMS)
            position += len(ITEMS)
        if position == end:
            return tuple(segments)
        if text[position] != ".":
            raise PathError(
                f"key {text!r}: expected a dot after {text[:position]!r}; quote a name that "
                'holds dots or quotes ("a.b")'
            )
        position += 1
        if position == end:
            raise PathError(f"key {text!r} ends with a dot")


def _quoted(text: str, start: int) -> tuple[str, int]:
    chars: list[str] = []
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == "\\" and position + 1 < len(text):
            chars.append(text[position + 1])
            position += 2
        elif char == '"':
            return "".join(chars), position + 1
        else:
            chars.append(char)
            position += 1
    raise PathError(f"key {text!r} has a quote that is not closed")


def split_keys(text: str) -> list[str]:
    """The keys of a comma-separated list (``:exclude: a, b."c,d"``): a comma inside
    quotes is part of a name."""
    keys: list[str] = []
    start, quoted, escaped = 0, False, False
    for position, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            keys.append(text[start:position])
            start = position + 1
    keys.append(text[start:])
    return [key.strip() for key in keys if key.strip()]


def depth(path: Path) -> int:
    """How deep *path* is nested: 0 for a top-level key, 1 for ``a.b`` and ``a[].b``."""
    return sum(1 for segment in path[1:] if segment != ITEMS)


def is_under(path: Path, parent: Path) -> bool:
    """Whether *path* is a child (at any depth) of *parent*, ``a[]`` and ``a[].b`` of ``a``."""
    return len(path) > len(parent) and path[: len(parent)] == parent


def anchor_text(path: Path) -> str:
    """The text a row's HTML id is made from: different for ``a.b`` and ``"a.b"``.

    Ids keep only letters, digits and hyphens, so the dot inside a quoted name is
    spelled ``-dot-``: the nested ``a`` → ``b`` is ``a-b``, the name ``a.b`` is ``a-dot-b``.
    """
    return ".".join(segment.replace(".", "-dot-") for segment in path if segment != ITEMS)
