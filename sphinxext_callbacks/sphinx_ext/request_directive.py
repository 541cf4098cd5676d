"""The ``callback-request`` directive: everything a spec says about one callback request.

Its parts are the summary and description, the request line, the headers table, the body
table, an example payload and the responses, each under a rubric (not a section, so that
it sits in any page). The tables and the example are made by ``callback-table`` and
``callback-example`` themselves, run from here, so that they look, link, index and warn
exactly as they do on their own; the spec's own words go through the gate for data-file
text. The argument names the body table in the ``callback`` domain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.locale import get_translation

from sphinxext_callbacks.model.problems import did_you_mean
from sphinxext_callbacks.readers.reader import RequestFacts
from sphinxext_callbacks.readers.sources import read_facts
from sphinxext_callbacks.render.gate import Gate
from sphinxext_callbacks.render.table import deprecated_label
from sphinxext_callbacks.sphinx_ext.base import CallbacksDirective
from sphinxext_callbacks.sphinx_ext.build_cache import file_cache
from sphinxext_callbacks.sphinx_ext.catalogue_pages import rst_escape
from sphinxext_callbacks.sphinx_ext.example_directive import CallbackExampleDirective
from sphinxext_callbacks.sphinx_ext.options import ReportingOptionSpec, check_options, text
from sphinxext_callbacks.sphinx_ext.spec_tracking import note_facts
from sphinxext_callbacks.sphinx_ext.table_directive import (
    SELECTING,
    SHAPING,
    CallbackTableDirective,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

__all__ = ["PARTS", "CallbackRequestDirective", "setup_request"]

_ = get_translation("sphinxext_callbacks")

#: Every part, in the order shown when ``:parts:`` is not given.
PARTS = ("description", "request", "headers", "body", "example", "responses")

_HEADERS_TABLE = ("headings", "hide-headings", "columns", "width", "align", "class")
_FLAGS = ("hide-caption", "hide-headings", "no-index", "no-index-entry")


def _rubric_text(part: str) -> str:
    # Each message is written out so that ``pybabel extract`` finds it.
    texts = {
        "description": _("Description"),
        "request": _("Request"),
        "headers": _("Headers"),
        "body": _("Body"),
        "example": _("Example"),
        "responses": _("Responses"),
    }
    return texts[part]


class CallbackRequestDirective(CallbacksDirective):
    """Show one callback request: its words, request line, headers, body, example, responses."""

    has_content = False
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[OptionSpec] = ReportingOptionSpec.fromkeys(
        (*SELECTING, "parts", *SHAPING), text
    )

    def _run(self) -> list[nodes.Node]:
        check_options(
            self.options,
            cast("ReportingOptionSpec", self.option_spec),
            _FLAGS,
            "callback-request",
            self.get_location(),
        )
        if not self.options.get("source"):
            self.warn("option", "callback-request needs a :source:")
            return []
        parts, chosen = self._parts()
        self._shown = parts
        request = self.source_request()
        if request is None:
            return []
        if isinstance(request, str):
            self.warn("option", request)
            return []
        cache = file_cache(self.env)
        result = read_facts(request, cache)
        note_facts(self.env, request, result, cache)
        if result.facts is None:
            self.report(result.problems)
            return []
        facts = result.facts
        shown: list[nodes.Node] = []
        for part in parts:
            made = self._part(part, facts, chosen)
            if made:
                rubric = nodes.rubric(_rubric_text(part), _rubric_text(part))
                self.set_source_info(rubric)
                shown += [rubric, *made]
        container = nodes.container("", *shown, classes=["callbacks-request"])
        self.set_source_info(container)
        return [container]

    def _parts(self) -> tuple[tuple[str, ...], bool]:
        """The parts asked for, in order, and whether the author chose them."""
        value = self.options.get("parts")
        if not value:
            return PARTS, False
        parts: list[str] = []
        for part in (word.strip() for word in value.split(",")):
            if part not in PARTS:
                self.warn(
                    "option",
                    f"unknown part {part!r} in :parts:{did_you_mean(part, PARTS)} "
                    f"(choose from {', '.join(PARTS)})",
                )
            elif part not in parts:
                parts.append(part)
        return (tuple(parts) or PARTS), bool(parts)

    def _part(self, part: str, facts: RequestFacts, chosen: bool) -> list[nodes.Node]:
        """The nodes of one part; none (and a warning when the author asked for it) when
        the spec does not say."""
        made: list[nodes.Node]
        if part == "description":
            made = self._description(facts)
        elif part == "request":
            made = self._request_line(facts)
        elif part == "responses":
            made = self._responses(facts)
        elif part == "headers":
            made = self._table("headers") if facts.has_headers else []
        elif not facts.has_body:
            made = []
        elif part == "body":
            made = self._table("body")
        else:
            made = self._example("body" in self._shown)
        if not made and chosen and (part != "body" or not facts.has_body):
            self.warn("option", f"the callback has no {part} to show (:parts:)")
        return made

    # -- the spec's own words ---------------------------------------------------------------

    def _gate(self) -> Gate:
        return Gate(self, self.options["source"].partition("#")[0])

    def _description(self, facts: RequestFacts) -> list[nodes.Node]:
        made: list[nodes.Node] = []
        if facts.deprecated:
            note = nodes.paragraph("", "", classes=["callbacks-deprecated"])
            note += nodes.strong("", deprecated_label())
            made.append(note)
        gate = self._gate()
        if facts.summary:
            made += gate.blocks(facts.summary, "markdown")
        if facts.description and facts.description != facts.summary:
            made += gate.blocks(facts.description, "markdown")
        for node in made:
            self.set_source_info(node)
        return made

    def _request_line(self, facts: RequestFacts) -> list[nodes.Node]:
        if not facts.method:
            return []
        line = f"{facts.method} {self._gate().visible(facts.url)}".strip()
        paragraph = nodes.paragraph("", "", classes=["callbacks-request-line"])
        paragraph += nodes.literal(line, line)
        self.set_source_info(paragraph)
        return [paragraph]

    def _responses(self, facts: RequestFacts) -> list[nodes.Node]:
        if not facts.responses:
            return []
        gate = self._gate()
        listing = nodes.definition_list(classes=["callbacks-responses"])
        for code, words in facts.responses:
            shown = gate.visible(code)
            term = nodes.term("", "", nodes.literal(shown, shown))
            definition = nodes.definition("", *(gate.blocks(words, "markdown") if words else []))
            listing += nodes.definition_list_item("", term, definition)
        self.set_source_info(listing)
        return [listing]

    # -- tables and example, made by their own directives -----------------------------------

    def _options(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: self.options[name] for name in (*SELECTING, *names) if name in self.options}

    def _table(self, part: str) -> list[nodes.Node]:
        options = self._options(SHAPING if part == "body" else _HEADERS_TABLE)
        arguments = list(self.arguments) if part == "body" else []
        if part == "headers":
            options["part"] = "headers"
        elif "caption" not in options:
            # The summary is shown above; as a caption it would be said twice. The name
            # stays for assistive technology and is the text of links to the table.
            name = self.arguments[0] if self.arguments else _rubric_text("body")
            options.update({"caption": rst_escape(name), "hide-caption": ""})
        return self._run_directive(CallbackTableDirective, "callback-table", arguments, options)

    def _example(self, with_body: bool) -> list[nodes.Node]:
        if with_body and self.arguments and "no-index" not in self.options:
            # The body table's name: the example is made from what the domain holds.
            return self._run_directive(
                CallbackExampleDirective, "callback-example", list(self.arguments), {}
            )
        return self._run_directive(
            CallbackExampleDirective, "callback-example", [], self._options(())
        )

    def _run_directive(
        self, kind: type[CallbacksDirective], name: str, arguments: list[str], options: Any
    ) -> list[nodes.Node]:
        directive = kind(
            name,
            arguments,
            options,
            StringList([], source=""),
            self.lineno,
            self.content_offset,
            self.block_text,
            self.state,
            self.state_machine,
        )
        return directive.run()


def setup_request(app: Sphinx) -> None:
    """Register ``callback-request``."""
    app.add_directive("callback-request", CallbackRequestDirective)
