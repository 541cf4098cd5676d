"""The ``callback-example`` directive: a JSON example payload, made or checked against the fields.

With a callback name the fields live in the ``callback`` domain, complete only once every
document is read, so the directive leaves a :class:`callback_example_pending` node and
:class:`ResolveCallbackExamples` replaces it when the document is written. With ``:source:``
(and ``:webhook:``, ``:callback:``, ``:message:``) the fields are read at once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import container_wrapper
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from sphinxext_callbacks.model.fields import Callback, SpecExample
from sphinxext_callbacks.model.json_schema import fields_schema
from sphinxext_callbacks.model.plain import escape_hidden_json
from sphinxext_callbacks.model.problems import WARNING_TYPE, Problem, did_you_mean
from sphinxext_callbacks.readers.files import check_allowed, read_regular_file
from sphinxext_callbacks.render.callback_nodes import callback_example_pending
from sphinxext_callbacks.sphinx_ext.base import CallbacksDirective, report_internal_error
from sphinxext_callbacks.sphinx_ext.build_cache import file_cache
from sphinxext_callbacks.sphinx_ext.options import ReportingOptionSpec, check_options
from sphinxext_callbacks.sphinx_ext.tracking import note_reading, read_remembered

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import OptionSpec

    from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain

__all__ = [
    "CallbackExampleDirective",
    "ResolveCallbackExamples",
    "setup_example",
]

logger = logging.getLogger(__name__)

#: The options that name a source file and what to pick from it, as ``callback-table`` has them.
SOURCE_OPTIONS = ("source", "webhook", "callback", "message", "part")


def _literal_block(text: str, like: nodes.Element) -> nodes.literal_block:
    block = nodes.literal_block(text, text, language="json")
    # An author's invalid JSON was reported already; Pygments should not warn about it again.
    block["force"] = True
    for attribute in ("ids", "names", "classes"):
        block[attribute] = list(like.get(attribute, []))
    block.source, block.line = like.source, like.line
    return block


def report(
    problems: Sequence[Problem],
    node: callback_example_pending,
    domain: CallbackDomain | None = None,
    origin: str | None = None,
) -> None:
    """Log ``problems`` of the example ``node``: at their line in the directive body, where known.

    Problems in a ``:file:`` are logged at the directive, their file and line in the message.
    With a ``domain``, each is logged once per build (some builders resolve a page twice).
    """
    # One of the source's examples is named by *origin*; the author's by the node.
    origin = node["origin"] if origin is None else origin
    body_source, body_line = node["body_source"], node["body_line"]
    for problem in problems:
        where: Any = node
        message = problem.message
        if origin:
            if problem.line is not None:
                message = f"{origin}, line {problem.line + 1}: {message}"
            else:
                message = f"{origin}: {message}"
        elif problem.line is not None and body_source and body_line is not None:
            where = f"{body_source}:{body_line + problem.line}"
        key = (node["docname"], node["serial"])
        if domain is None or domain.first_time("example", key, problem, message):
            logger.warning(message, location=where, type=WARNING_TYPE, subtype=problem.subtype)


def example_text(text: str | None, schema: Mapping[str, Any]) -> tuple[str | None, list[Problem]]:
    """The JSON to show, and what is wrong with it: the author's ``text``, or one made
    (``None`` when no valid example can be made: the problem says why)."""
    # Here, not at the top: jsonschema takes 40 ms to import, which every build would
    # pay, and a build that shows no example (a touch of a page without one) needs none.
    from sphinxext_callbacks.model.examples import check_example, try_example

    unchecked = unchecked_pattern_problems(schema)
    if text is None:
        made, why = try_example(schema)
        if why is not None:
            # At the directive: the made JSON has no lines the author could go to.
            return None, [
                *unchecked,
                Problem(
                    "example",
                    f"no example is shown: cannot make one that the schema accepts ({why}); "
                    "give a payload in the directive's body",
                ),
            ]
        shown, hidden = visible_json(json.dumps(made, indent=2, ensure_ascii=False))
        return shown, [*unchecked, *hidden]
    shown, hidden = visible_json(text)
    return shown, [*unchecked, *hidden, *check_example(text, schema)]


def visible_json(text: str) -> tuple[str, list[Problem]]:
    """JSON *text* as shown: invisible and bidirectional controls (U+202E, which shows
    text that is not there) as the ``\\u202e`` escapes JSON reads back as the same value;
    with a problem when there were any."""
    shown = escape_hidden_json(text)
    if shown == text:
        return text, []
    return shown, [
        Problem(
            "example",
            "the example holds invisible or bidirectional control characters; "
            "they are shown as \\u escapes",
        )
    ]


def unchecked_pattern_problems(schema: Mapping[str, Any]) -> list[Problem]:
    """One problem for each regular expression of *schema* that cannot be checked."""
    from sphinxext_callbacks.model.patterns import unchecked_patterns

    return [
        Problem("schema", f"the pattern {pattern!r} at {pointer} is not checked: {why}")
        for pointer, pattern, why in unchecked_patterns(schema)
    ]


def schema_of(callback: Callback) -> dict[str, Any]:
    """The JSON Schema an example of *callback* is checked against: the source's, or made."""
    return callback.schema or fields_schema(callback.fields)


def pick_examples(
    examples: Sequence[SpecExample], pick: str
) -> tuple[list[SpecExample], list[Problem]]:
    """The source's examples to show: all of them, or the one ``:example:`` names."""
    if not pick:
        return list(examples), []
    names = [example.name for example in examples if example.name]
    chosen = [example for example in examples if example.name == pick]
    if chosen:
        return chosen[:1], []
    if not examples:
        return [], [Problem("option", f":example: {pick!r}: the source has no examples")]
    listed = ", ".join(repr(name) for name in names) or "none with a name"
    return list(examples), [
        Problem(
            "option",
            f"the source has no example named {pick!r} (it has {listed})"
            f"{did_you_mean(pick, names)}",
        )
    ]


def spec_example_nodes(
    examples: Sequence[SpecExample],
    schema: Mapping[str, Any],
    like: nodes.Element,
    own_caption: bool,
) -> tuple[list[nodes.Element], list[tuple[SpecExample, list[Problem]]]]:
    """A code block for each of the source's *examples*, under its summary (or name), and
    what is wrong with each: they are checked like the author's. With ``own_caption``
    (the author's ``:caption:``), a single example takes that caption instead."""
    from sphinxext_callbacks.model.examples import check_example  # see example_text

    blocks: list[nodes.Element] = []
    found: list[tuple[SpecExample, list[Problem]]] = []
    unchecked = unchecked_pattern_problems(schema)
    for index, example in enumerate(examples):
        made = json.dumps(example.value, indent=2, ensure_ascii=False)
        text, hidden = visible_json(made)
        found.append((example, [*unchecked, *hidden, *check_example(made, schema)]))
        unchecked = []
        block = _literal_block(text, like if index == 0 else nodes.Element())
        block.source, block.line = like.source, like.line
        caption = example.summary or example.name
        if (
            caption
            and not (own_caption and len(examples) == 1)
            and (len(examples) > 1 or example.summary)
        ):
            wrapper = nodes.container("", classes=["literal-block-wrapper"], literal_block=True)
            title = nodes.caption(caption, caption)
            title.source, title.line = like.source, like.line
            wrapper += [title, block]
            block["ids"], wrapper["ids"] = [], block["ids"]
            blocks.append(wrapper)
        else:
            blocks.append(block)
    return blocks, found


def example_origin(example: SpecExample) -> str:
    """How a warning names one of the source's examples."""
    return f"the source's example {example.name!r}" if example.name else "the source's example"


class CallbackExampleDirective(CallbacksDirective):
    """Show a JSON example payload of a callback, made from its fields or checked against them."""

    has_content = True
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = False
    # An unknown option name is a callbacks.option warning (check_options), not a docutils error.
    option_spec: ClassVar[OptionSpec] = ReportingOptionSpec(
        {
            "source": directives.unchanged_required,
            "webhook": directives.unchanged_required,
            "callback": directives.unchanged_required,
            "message": directives.unchanged_required,
            "file": directives.path,
            "caption": directives.unchanged_required,
            "name": directives.unchanged,
            "class": directives.class_option,
            "part": directives.unchanged_required,
            "example": directives.unchanged_required,
        }
    )

    def _run(self) -> list[nodes.Node]:
        check_options(
            self.options,
            cast("ReportingOptionSpec", self.option_spec),
            (),
            "callback-example",
            self.get_location(),
        )
        name = self.arguments[0] if self.arguments else None
        has_source = any(option in self.options for option in SOURCE_OPTIONS)
        if name and has_source:
            self.warn("option", f"give a callback name or a :source:, not both; using {name!r}")
        text, origin = self._example_text()
        if text is None and "file" in self.options:
            return []  # the file could not be read, which was reported

        body_source, body_line = self.body_position()
        node = callback_example_pending(
            "",
            callback=name or "",
            text=text,
            origin=origin,
            body_source=body_source or "",
            body_line=body_line,
            classes=list(self.options.get("class", [])),
            # Numbers the example in its document: its warnings are reported once per build.
            docname=self.env.docname,
            serial=self.env.new_serialno("callbacks-example"),
            pick=self.options.get("example", ""),
        )
        self.set_source_info(node)

        if name:
            return [self._wrap(node)]
        return self._from_source(text, node, has_source)

    def _from_source(
        self, text: str | None, node: callback_example_pending, has_source: bool
    ) -> list[nodes.Node]:
        """The example of a table read from ``:source:``: the author's, checked, or the
        source's own examples, or one made from the fields."""
        if not has_source:
            self.warn("option", "callback-example needs a callback name or a :source:")
            return [self._wrap(_literal_block(text, node))] if text is not None else []
        callback = self._read_source()
        if callback is None:
            return [self._wrap(_literal_block(text, node))] if text is not None else []
        if text is None and (callback.examples or node["pick"]):
            shown, wrong = pick_examples(callback.examples, node["pick"])
            for problem in wrong:
                self.warn(problem.subtype, problem.message)
            if shown:
                blocks, checked = spec_example_nodes(
                    shown, schema_of(callback), node, "caption" in self.options
                )
                for example, problems in checked:
                    report(problems, node, origin=example_origin(example))
                if len(blocks) == 1:
                    return [self._wrap(blocks[0])]
                # Several blocks under their own captions: :name: labels the first.
                self.add_name(blocks[0])
                return list(blocks)
        json_text, problems = example_text(text, schema_of(callback))
        report(problems, node)
        if json_text is None:
            return []
        return [self._wrap(_literal_block(json_text, node))]

    def _wrap(self, node: nodes.Element) -> nodes.Element:
        """Put ``node`` under its ``:caption:`` and give the whole its ``:name:``.

        As ``code-block`` does, so that ``:ref:`` and ``:numref:`` take the caption as text.
        """
        caption = self.options.get("caption")
        wrapped = node
        if caption:
            try:
                wrapped = container_wrapper(self, node, caption)
            except ValueError as err:
                self.warn("option", str(err))
        self.add_name(wrapped)
        return wrapped

    def _example_text(self) -> tuple[str | None, str]:
        """The author's JSON from the body or ``:file:`` (``None``: make one), and its origin."""
        body = "\n".join(self.content) if self.content else None
        path = self.options.get("file")
        if path is None:
            return body, ""
        if body is not None:
            self.warn("option", "give an example in the body or a :file:, not both; using the body")
            return body, ""
        paths = self.relfn2path(path)
        if paths is None:
            return None, path
        rel, absolute = paths
        # Before reading, so that a file that is missing now and fixed later rebuilds the page.
        self.env.note_dependency(absolute)
        # The file is shown as it is, even when it is not JSON: the same rule as :source:.
        refused = check_allowed(absolute, str(self.env.srcdir), self.config.callbacks_allowed_paths)
        if refused is not None:
            self.warn("source", f"cannot read {rel}: {refused.message}")
            return None, rel
        try:
            # A byte order mark (which some editors write) is not part of the JSON.
            return read_regular_file(absolute).decode("utf-8-sig"), rel
        except (OSError, UnicodeDecodeError) as err:
            reason = err.strerror if isinstance(err, OSError) and err.strerror else err
            self.warn("source", f"cannot read {rel}: {reason}")
            return None, rel

    def _read_source(self) -> Callback | None:
        """The callback named by ``:source:`` and friends, or ``None`` after a warning."""
        source = self.options.get("source")
        if not source:
            self.warn("option", ":webhook:, :callback:, :message: and :part: need a :source:")
            return None
        request = self.source_request()
        if request is None:
            return None
        if isinstance(request, str):
            self.warn("option", request)
            return None
        cache = file_cache(self.env)
        result = read_remembered(self.env, request, cache)
        # As callback-table does: the page is read again when what the source gives changes.
        note_reading(self.env, request, result, cache, payload=True)
        for problem in result.problems:
            self.warn(problem.subtype, problem.message)
        return result.callback


class ResolveCallbackExamples(SphinxPostTransform):
    """Replace each pending example by its JSON, now that every table has been read."""

    # Early, so that later post-transforms (and the highlighter) see an ordinary code block.
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = cast("CallbackDomain", self.env.get_domain("callback"))
        for node in list(self.document.findall(callback_example_pending)):
            try:
                self._resolve(node, domain)
            except Exception as error:
                # As in the directive (see CallbacksDirective.run): the rest of the page goes on.
                report_internal_error("callback-example", error, node)
                _drop(node)

    def _resolve(self, node: callback_example_pending, domain: CallbackDomain) -> None:
        name = node["callback"]
        text: str | None = node["text"]
        entry = domain.get_table(name)
        if entry is None:
            message = f"unknown callback {name!r}{domain.suggest_name(name)}"
            if domain.first_time("example", (node["docname"], node["serial"]), message):
                logger.warning(message, location=node, type=WARNING_TYPE, subtype="ref")
            if text is None:
                _drop(node)
            else:
                node.replace_self(_literal_block(text, node))
            return
        schema = json.loads(entry["schema"])
        examples = tuple(entry["examples"])
        key = (node["docname"], node["serial"])
        if (
            text is None
            and (examples or node.get("pick"))
            and self._show_spec_examples(node, schema, examples, domain, key)
        ):
            return
        json_text, problems = example_text(text, schema)
        report(problems, node, domain)
        if json_text is None:
            _drop(node)
        else:
            node.replace_self(_literal_block(json_text, node))

    @staticmethod
    def _show_spec_examples(
        node: callback_example_pending,
        schema: Mapping[str, Any],
        examples: Sequence[SpecExample],
        domain: CallbackDomain,
        key: tuple[str, int],
    ) -> bool:
        """Replace ``node`` by the source's examples; ``False`` when there is none to show."""
        shown, wrong = pick_examples(examples, node.get("pick", ""))
        for problem in wrong:
            if domain.first_time("example", key, problem):
                logger.warning(
                    problem.message, location=node, type=WARNING_TYPE, subtype=problem.subtype
                )
        if not shown:
            return False
        parent = node.parent
        own_caption = isinstance(parent, nodes.container) and bool(parent.get("literal_block"))
        blocks, checked = spec_example_nodes(shown, schema, node, own_caption)
        for example, problems in checked:
            report(problems, node, domain, origin=example_origin(example))
        document = node.document
        for block in blocks:
            if document is not None and not block["ids"] and isinstance(block, nodes.container):
                # A captioned block is numbered (numfig) and HTML wants an id for it; the
                # read-time transform that gives ids has run before this one.
                document.set_id(block)
        node.replace_self(blocks)
        return True


def _drop(node: nodes.Element) -> None:
    """Remove ``node``, with the container of its caption, or the caption would stand alone."""
    parent = node.parent
    if isinstance(parent, nodes.container) and parent.get("literal_block"):
        parent.parent.remove(parent)
    else:
        parent.remove(node)


def setup_example(app: Sphinx) -> None:
    """Register ``callback-example``, its pending node and the transform that resolves it."""
    app.add_node(callback_example_pending)
    app.add_directive("callback-example", CallbackExampleDirective)
    app.add_post_transform(ResolveCallbackExamples)
