"""What ``callback-table`` and ``callback-example`` share: the source request, located
warnings, and the guard that turns a bug in the extension into one warning."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import Any

from docutils import nodes
from docutils.statemachine import StateMachine
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_callbacks.model.problems import WARNING_TYPE, Problem
from sphinxext_callbacks.readers.sources import SourceRequest

__all__ = ["CallbacksDirective", "report_internal_error"]

logger = logging.getLogger(__name__)

ISSUES = "https://github.com/sphinxext-callbacks/sphinxext-callbacks/issues"


def report_internal_error(directive: str, error: Exception, location: Any) -> None:
    """Report an exception that escaped the extension as one ``callbacks.internal`` warning.

    Bad input is reported where it is found; reaching this is a bug in the extension. The
    author still gets a located warning and the rest of the page.
    """
    logger.warning(
        "internal error in %s (%s: %s); please report it at " + ISSUES,
        directive,
        type(error).__name__,
        error,
        location=location,
        type=WARNING_TYPE,
        subtype="internal",
    )
    # The traceback, for a bug report, with -v. Not as exc_info: Sphinx would print it at
    # every verbosity, and a record holding a traceback cannot cross -j's pipe.
    logger.verbose(
        "traceback of the internal error:\n%s",
        "".join(traceback.format_exception(error)),
        location=location,
    )


class CallbacksDirective(SphinxDirective):
    """A directive of this extension: subclasses write :meth:`_run` instead of ``run``."""

    def run(self) -> list[nodes.Node]:
        """:meth:`_run`, with any exception it raises reported as ``callbacks.internal``."""
        try:
            return self._run()
        except Exception as error:
            report_internal_error(self.name, error, self.get_location())
            return []

    def _run(self) -> list[nodes.Node]:
        raise NotImplementedError

    # -- where the body stands ----------------------------------------------------------------

    def body_position(self) -> tuple[str | None, int | None]:
        """The source and 1-based line of the body's first line (its line 0)."""
        if isinstance(self.state_machine, StateMachine):
            # reST: content_offset is the 0-based offset in the input, included files and all.
            return self.state_machine.get_source_and_line(self.content_offset + 1)
        # MyST's mock state machine numbers the body's lines from 0, and its content_offset
        # counts from the directive's first line.
        source, _line = self.get_source_info()
        return source, self.lineno + self.content_offset + 1

    def body_location(self, line: int | None) -> Any:
        """The location of the body's 0-based ``line``, or of the directive when it is unknown."""
        if line is None or not 0 <= line < len(self.content):
            return self.get_location()
        source, first = self.body_position()
        if not source or first is None:
            return self.get_location()
        return f"{source}:{first + line}"

    # -- warnings -----------------------------------------------------------------------------

    def report(self, problems: Sequence[Problem]) -> None:
        """Log each problem as a ``callbacks`` warning, at its line in the body where known."""
        for problem in problems:
            logger.warning(
                problem.message,
                location=self.body_location(problem.line),
                type=WARNING_TYPE,
                subtype=problem.subtype,
            )

    def warn(self, subtype: str, message: str) -> None:
        """Log a ``callbacks.<subtype>`` warning at the directive.

        Unlike docutils' ``Directive.warning``, which returns a system message to insert.
        """
        self.report([Problem(subtype, message)])

    # -- sources ------------------------------------------------------------------------------

    def relfn2path(self, path: str) -> tuple[str, str] | None:
        """``env.relfn2path`` from this document; ``None`` after a ``callbacks.source`` warning."""
        try:
            return self.env.relfn2path(path, self.env.docname)
        except (OSError, RuntimeError):
            # Path.resolve() on a symbolic link loop (a RuntimeError before Python 3.13).
            self.warn("source", f"cannot read {path}: it is a loop of symbolic links")
            return None

    def source_request(self, depth: int | None = None) -> SourceRequest | str | None:
        """What ``:source:`` and its friends ask for, or why the options make no sense.

        ``None`` when the path cannot be resolved, which was reported.
        """
        options = self.options
        path, _, pointer = options["source"].partition("#")
        paths = self.relfn2path(path.strip())
        if paths is None:
            return None
        absolute = paths[1]
        callback: tuple[str | None, str] | None = None
        if options.get("callback"):
            parts = options["callback"].split()
            if len(parts) > 2:
                # Guessing which words are meant would give a second, confusing warning.
                return ":callback: takes OPERATION_ID NAME, or NAME alone"
            callback = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
        config = self.config
        return SourceRequest(
            path=absolute,
            pointer=pointer,
            srcdir=str(self.env.srcdir),
            allowed_paths=tuple(config.callbacks_allowed_paths),
            webhook=options.get("webhook") or None,
            callback=callback,
            message=options.get("message") or None,
            part=options.get("part") or "body",
            depth=depth,
            max_rows=config.callbacks_max_rows,
            language=config.language or "en",
            default_language=config.callbacks_default_language,
        )
