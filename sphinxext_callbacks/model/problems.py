"""Problems found in the author's input, and the one registry of warning subtypes.

Readers return :class:`Problem` values instead of logging, so that they stay free
of Sphinx; the directives report them at the right ``docname:line``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

#: The ``type`` of every warning the extension emits (``suppress_warnings = ["callbacks"]``).
WARNING_TYPE = "callbacks"

#: Every warning subtype, with what it is about. The docs' warnings page is checked against it.
SUBTYPES: dict[str, str] = {
    "source": "A source file cannot be found, read or parsed, or is not allowed.",
    "schema": "A schema or spec selected by the directive cannot be turned into fields.",
    "ref": "A ``$ref`` or a cross-reference resolves nowhere, is remote, or loops.",
    "field": "An entry in the table body is malformed, duplicated or has a bad attribute.",
    "example": "An example payload is invalid JSON or does not match the fields.",
    "option": "A directive option has a bad value, or names something that does not exist.",
    "markup": "Text from a data file uses markup outside the allowlist; it is shown as text.",
    "config": "A ``callbacks_*`` configuration value is invalid; its default is used.",
    "output": "A published schema cannot be written, or two tables would share its file.",
    "internal": "A bug in the extension; the directive is skipped. Please report it.",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, and what the author should do about it."""

    subtype: str
    message: str
    #: Line offset within the directive body, when the problem is located there.
    line: int | None = None

    def __post_init__(self) -> None:
        if self.subtype not in SUBTYPES:
            raise ValueError(f"unknown warning subtype {self.subtype!r}")


def did_you_mean(name: str, names: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` when one of *names* is close to *name*, else ``""``."""
    close = difflib.get_close_matches(name, list(names), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
