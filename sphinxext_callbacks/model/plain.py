"""Values that every writer and every JSON reader accepts.

A spec can hold what no page and no JSON file can: ``NaN`` and ``Infinity`` (YAML's ``.nan``,
TOML's ``inf``, JSON's ``1e400``), numbers no float holds (a 400-digit integer, ``1e-400``,
which a float reads as 0), and lone surrogates (``"\\ud800"`` in JSON), which no writer can
encode. Where a file or an inline value is read, :func:`clean` drops the numbers (each with
a message naming its JSON Pointer) and replaces the surrogates with U+FFFD, so that nothing
further on meets them. :func:`escape_hidden_json` shows invisible and bidirectional
controls in JSON text as the ``\\uXXXX`` escapes JSON reads them back from.
"""

from __future__ import annotations

import math
import sys
import unicodedata
from typing import Any

__all__ = [
    "HIDDEN_CATEGORIES",
    "NotFinite",
    "Unfit",
    "clean",
    "escape_hidden_json",
    "fix_surrogates",
    "is_hidden",
    "parse_float",
    "parse_int",
]

#: Characters that must not reach any output unseen: controls (NUL, ESC), format characters
#: (the right-to-left override U+202E, zero-width spaces) and line and paragraph separators.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


class NotFinite(ValueError):
    """A number that no float holds (JSON's ``json.loads`` falls back on its ``ValueError``)."""


class Unfit:
    """A number read from a file that no float holds: :func:`clean` drops it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _why_unfit(text: str) -> str | None:
    """Why the number spelled *text* cannot be a float, or ``None``."""
    word = text.strip().lower().replace("_", "").lstrip("+-")
    if word in ("inf", ".inf", "infinity"):
        return "Infinity is not a number JSON can hold"
    if word in ("nan", ".nan"):
        return "NaN is not a number JSON can hold"
    try:
        value = float(text.replace("_", ""))
    except (ValueError, OverflowError):
        return "it is not a number"
    if math.isnan(value):
        return "NaN is not a number JSON can hold"
    if math.isinf(value):
        return "it is too large for a floating-point number"
    if value == 0 and any(digit in "123456789" for digit in text.lower().partition("e")[0]):
        return "it is too small for a floating-point number (it would read as 0)"
    return None


def parse_float(text: str) -> float:
    """``float(text)``, refusing what no float holds (a ``parse_float`` for ``json.loads``)."""
    why = _why_unfit(text)
    if why is not None:
        raise NotFinite(f"{text}: {why}")
    return float(text)


def parse_int(text: str) -> int:
    """``int(text)``, refusing an integer beyond the range of a float (``parse_int``)."""
    value = int(text)
    if abs(value) > sys.float_info.max:
        raise NotFinite(f"{text[:20]}...: it is too large for a floating-point number")
    return value


def marker_float(text: str) -> float | Unfit:
    """A ``parse_float`` that marks what no float holds, for :func:`clean` to report."""
    return Unfit(text) if _why_unfit(text) is not None else float(text)


def fix_surrogates(text: str) -> str:
    """*text* with each lone surrogate (which no UTF-8 text holds) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A surrogate left in a str is a lone one: JSON's parser joins the pairs.
        return "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
    return text


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _number_problem(value: Any) -> str | None:
    if isinstance(value, Unfit):
        return f"{_short(value.text)}: {_why_unfit(value.text)}"
    if isinstance(value, float) and not math.isfinite(value):
        word = "NaN" if math.isnan(value) else "Infinity"
        return f"{word} is not a number JSON can hold"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > sys.float_info.max:
        return (
            f"an integer of {len(str(abs(value)))} digits is too large for a floating-point number"
        )
    return None


def _short(text: str) -> str:
    return text if len(text) <= 24 else text[:20] + "..."


def clean(data: Any) -> tuple[Any, list[tuple[str, str]]]:
    """*data* (parsed JSON, YAML or TOML, not yet shared) made plain, in place, and what
    was left out: ``(pointer, why)`` for each number no float holds. Lone surrogates in keys
    and strings become U+FFFD. Iterative: the data may be nested as deep as its reader let it.
    """
    dropped: list[tuple[str, str]] = []
    why = _number_problem(data)
    if why is not None:
        return None, [("", why)]
    if isinstance(data, str):
        return fix_surrogates(data), dropped
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, pointer = stack.pop()
        if isinstance(value, dict):
            for key in list(value):
                child = value[key]
                where = f"{pointer}/{_escape(str(key))}"
                why = _number_problem(child)
                if why is not None:
                    del value[key]
                    dropped.append((where, why))
                    continue
                if isinstance(key, str) and fix_surrogates(key) != key:
                    del value[key]
                    key = fix_surrogates(key)
                    value[key] = child
                if isinstance(child, str):
                    value[key] = fix_surrogates(child)
                elif isinstance(child, (dict, list)):
                    stack.append((child, where))
        elif isinstance(value, list):
            kept: list[Any] = []
            changed = False
            for index, child in enumerate(value):
                why = _number_problem(child)
                if why is not None:
                    dropped.append((f"{pointer}/{index}", why))
                    changed = True
                    continue
                if isinstance(child, str):
                    fixed = fix_surrogates(child)
                    changed = changed or fixed is not child
                    child = fixed
                elif isinstance(child, (dict, list)):
                    stack.append((child, f"{pointer}/{index}"))
                kept.append(child)
            if changed:
                value[:] = kept
    dropped.sort()
    return data, dropped


def is_hidden(char: str) -> bool:
    """Whether *char* is invisible, or changes how the text around it reads (U+202E)."""
    return not char.isprintable() and unicodedata.category(char) in HIDDEN_CATEGORIES


def escape_hidden_json(text: str) -> str:
    """JSON *text* with its hidden characters (other than its own white space) written as
    ``\\uXXXX``: the value JSON reads is the same, and what the reader sees is all there is.

    Only valid JSON text holds such characters inside strings, where the escape means the
    character; text that is not JSON is shown the same way.
    """
    if text.isprintable() or not any(is_hidden(char) for char in text if char not in "\t\n\r"):
        return text
    return "".join(
        _json_escape(char) if char not in "\t\n\r" and is_hidden(char) else char for char in text
    )


def _json_escape(char: str) -> str:
    """``\\uXXXX``, as a UTF-16 surrogate pair beyond the first plane (as JSON writes it)."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
