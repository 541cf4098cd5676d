"""Directive options that report their own mistakes as ``callbacks.option`` warnings.

docutils (and MyST-Parser) refuse an unknown option name with an error of their own, with
no suggestion and no ``callbacks`` subtype. A :class:`ReportingOptionSpec` accepts any name
instead, so that the directive can say what is wrong in the words and the warning type of
every other option problem, and still render its output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sphinx.util import logging

from sphinxext_callbacks.model.problems import WARNING_TYPE, did_you_mean


def text(argument: str | None) -> str:
    """Any text, checked by the directive itself (a bad value is a warning, not an error)."""
    return (argument or "").strip()


class ReportingOptionSpec(dict[str, Callable[[str], Any]]):
    """An option spec that accepts unknown names, as plain text, for the directive to report.

    docutils and MyST-Parser both look an option up with ``spec[name]``, which reaches
    ``__missing__``; ``name in spec`` and iterating still see only the real options.
    """

    def __missing__(self, name: str) -> Callable[[str], Any]:
        return text


def check_options(
    options: dict[str, Any],
    spec: ReportingOptionSpec,
    flags: Iterable[str],
    directive: str,
    location: Any,
) -> None:
    """Warn about, and drop, unknown options; warn about flags given a value (and drop them).

    A flag with a value is dropped because the author's intent is unclear: ``:hide-caption: no``
    most likely means "don't hide it".
    """
    logger = logging.getLogger(__name__)
    for name in [name for name in options if name not in spec]:
        del options[name]
        logger.warning(
            "unknown option :%s: of %s%s",
            name,
            directive,
            did_you_mean(name, spec),
            location=location,
            type=WARNING_TYPE,
            subtype="option",
        )
    for name in flags:
        value = options.get(name)
        if value:
            del options[name]
            logger.warning(
                ":%s: is a flag and takes no value (remove %r, or the option); ignored",
                name,
                value,
                location=location,
                type=WARNING_TYPE,
                subtype="option",
            )
