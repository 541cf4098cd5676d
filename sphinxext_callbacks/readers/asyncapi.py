"""Finding a message's payload (or headers) in an AsyncAPI 2.x or 3.x document.

AsyncAPI 2.x puts messages under ``channels → subscribe/publish → message`` (a
message, a ``$ref`` to one, or a ``oneOf`` of them); 3.x under ``channels → messages``
and ``operations → messages``, usually as ``$ref``s to ``components/messages``. Both
are read here into :class:`Message` values; the schema walk then turns their payloads
into rows. Several messages (``oneOf``, an operation or channel with more than one)
are shown as alternatives, each row labelled with the message it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sphinxext_callbacks.model.fields import Note, localised
from sphinxext_callbacks.model.problems import Problem, did_you_mean
from sphinxext_callbacks.readers import pointers
from sphinxext_callbacks.readers.bundle import bundle
from sphinxext_callbacks.readers.listing import Listed, group_of
from sphinxext_callbacks.readers.reader import Reading, RequestFacts, Selection, SourceRequest
from sphinxext_callbacks.readers.refs import Location, Refs, deref
from sphinxext_callbacks.readers.schema import alternatives_fields, walk_options
from sphinxext_callbacks.readers.spec_examples import message_examples, schema_examples

__all__ = [
    "AsyncApiReader",
    "Message",
    "find_message",
    "is_asyncapi",
    "is_message_like",
    "list_asyncapi",
    "message_names",
    "messages_of",
    "payload_of",
    "version_problem",
]

#: Schema formats whose payloads are JSON Schema (or a superset of it) and so can be shown.
_JSON_SCHEMA_FORMATS = (
    "application/vnd.aai.asyncapi",
    "application/schema+json",
    "application/schema+yaml",
    "application/vnd.oai.openapi",
)


@dataclass
class Message:
    """One message: its label (for alternatives), the message object and where it is."""

    label: str
    value: Mapping[str, Any]
    at: Location


def is_asyncapi(doc: Any) -> bool:
    """Whether *doc* is an AsyncAPI document."""
    return isinstance(doc, Mapping) and "asyncapi" in doc


def version_problem(doc: Any) -> Problem | None:
    """Why an AsyncAPI document of another major version than 2 or 3 cannot be read."""
    version = str(doc.get("asyncapi", "")).strip() if is_asyncapi(doc) else ""
    if not version or version.startswith(("2.", "3.")):
        return None
    return Problem(
        "schema",
        f"this is an AsyncAPI {version} document; only AsyncAPI 2.x and 3.x are read "
        "(convert it with the AsyncAPI converter: https://github.com/asyncapi/converter-js)",
    )


def is_message_like(value: Any) -> bool:
    """Whether *value* is an AsyncAPI message, a ``oneOf`` of them, an operation or a channel."""
    if not isinstance(value, Mapping):
        return False
    if isinstance(value.get("payload"), Mapping):
        return True
    one_of = value.get("oneOf")
    if isinstance(one_of, list) and one_of:
        first = one_of[0]
        return isinstance(first, Mapping) and (
            "payload" in first or "/messages/" in str(first.get("$ref", ""))
        )
    if isinstance(value.get("message"), Mapping):  # a 2.x operation
        return True
    if "action" in value and ("messages" in value or "channel" in value):  # a 3.x operation
        return True
    if any(isinstance(value.get(word), Mapping) for word in ("subscribe", "publish")):
        return True  # a 2.x channel item
    return isinstance(value.get("messages"), Mapping) and "address" in value  # a 3.x channel


def _label(message: Mapping[str, Any], fallback: str) -> str:
    for word in ("name", "title", "messageId"):
        text = message.get(word)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return fallback


def _ref_label(value: Any, fallback: str) -> str:
    ref = value.get("$ref") if isinstance(value, Mapping) else None
    if isinstance(ref, str) and "/" in ref:
        return pointers.last(ref)
    return fallback


#: How many steps (operation to channel to oneOf to message) a walk to messages may take.
_MAX_STEPS = 8


def messages_of(value: Any, at: Location, refs: Refs, steps: int = 0) -> list[Message] | Problem:
    """The messages that *value* (a message, ``oneOf``, operation or channel) stands for."""
    if steps > _MAX_STEPS:
        # Only a loop of $refs (a oneOf that contains itself, say) gets this far.
        return Problem("ref", f"{refs.origin(at)}: messages nested too deeply, or in a loop")
    followed = deref(value, at, refs)
    if isinstance(followed, Problem):
        return followed
    target, target_at = followed
    if not isinstance(target, Mapping):
        return Problem("schema", f"{refs.origin(target_at)} is not an AsyncAPI message")
    # A message without a name of its own is known by its $ref, else by its payload's.
    label = _ref_label(value, _ref_label(target.get("payload"), "message"))
    if "payload" in target or "headers" in target:
        return [Message(_label(target, label), target, target_at)]
    one_of = target.get("oneOf")
    if isinstance(one_of, list):
        return _each(
            [
                (item, target_at.child("oneOf", i), f"message {i + 1}")
                for i, item in enumerate(one_of)
            ],
            refs,
            target_at,
            steps,
        )
    if isinstance(target.get("message"), Mapping):  # 2.x operation
        return messages_of(target["message"], target_at.child("message"), refs, steps + 1)
    listed = target.get("messages")
    if isinstance(listed, list):  # 3.x operation: $refs to its channel's messages
        return _each(
            [
                (item, target_at.child("messages", i), f"message {i + 1}")
                for i, item in enumerate(listed)
            ],
            refs,
            target_at,
            steps,
        )
    if isinstance(listed, Mapping):  # 3.x channel
        return _each(
            [(item, target_at.child("messages", name), str(name)) for name, item in listed.items()],
            refs,
            target_at,
            steps,
        )
    if "channel" in target and "action" in target:  # 3.x operation without messages
        return messages_of(target["channel"], target_at.child("channel"), refs, steps + 1)
    for word in ("subscribe", "publish"):  # 2.x channel: what the application sends first
        if isinstance(target.get(word), Mapping):
            return messages_of(target[word], target_at.child(word), refs, steps + 1)
    return Problem(
        "schema",
        f"{refs.origin(target_at)} is not an AsyncAPI message, operation or channel",
    )


def _each(
    items: list[tuple[Any, Location, str]], refs: Refs, where: Location, steps: int
) -> list[Message] | Problem:
    messages: list[Message] = []
    for item, at, fallback in items:
        found = messages_of(item, at, refs, steps + 1)
        if isinstance(found, Problem):
            return found
        for message in found:
            if message.label == "message":
                message.label = _ref_label(item, fallback)
            messages.append(message)
    if not messages:
        return Problem("schema", f"{refs.origin(where)} has no messages")
    return messages


def payload_of(
    message: Message, refs: Refs, part: str = "payload"
) -> tuple[Any, Location] | Problem:
    """A message's payload (or ``headers``) schema, or why it cannot be shown."""
    value = message.value
    if part not in value:
        return Problem("schema", f"{refs.origin(message.at)} has no {part}")
    schema, at = value[part], message.at.child(part)
    schema_format = value.get("schemaFormat")
    # 3.x wraps a schema in another format as {schemaFormat, schema}.
    if isinstance(schema, Mapping) and "schemaFormat" in schema and "schema" in schema:
        schema_format, schema, at = schema["schemaFormat"], schema["schema"], at.child("schema")
    if (
        part == "payload"
        and isinstance(schema_format, str)
        and not schema_format.startswith(_JSON_SCHEMA_FORMATS)
    ):
        return Problem(
            "schema",
            f"{refs.origin(at)} is a {schema_format} schema; only JSON Schema payloads "
            "can be shown in a table",
        )
    return schema, at


def _candidates(doc: Any, at: Location, refs: Refs) -> Iterator[tuple[str, Any, Location]]:
    """Every ``(name, value, location)`` a ``:message:`` name may select."""
    if not isinstance(doc, Mapping):
        return
    components = doc.get("components")
    shared = components.get("messages") if isinstance(components, Mapping) else None
    if isinstance(shared, Mapping):
        for name, message in shared.items():
            yield str(name), message, at.child("components", "messages", name)
    channels = doc.get("channels")
    for channel, item in channels.items() if isinstance(channels, Mapping) else ():
        if not isinstance(item, Mapping):
            continue
        for word in ("subscribe", "publish"):  # 2.x
            operation = item.get(word)
            if not isinstance(operation, Mapping):
                continue
            op_at = at.child("channels", channel, word)
            if isinstance(operation.get("operationId"), str):
                yield operation["operationId"], operation, op_at
            message = operation.get("message")
            if isinstance(message, Mapping):
                members = message.get("oneOf")
                if isinstance(members, list):
                    for index, member in enumerate(members):
                        yield "", member, op_at.child("message", "oneOf", index)
                else:
                    yield "", message, op_at.child("message")
        listed = item.get("messages")  # 3.x
        if isinstance(listed, Mapping):
            for name, message in listed.items():
                yield str(name), message, at.child("channels", channel, "messages", name)
    operations = doc.get("operations")  # 3.x
    if isinstance(operations, Mapping):
        for name, operation in operations.items():
            yield str(name), operation, at.child("operations", name)


def _names(
    value: Any, at: Location, refs: Refs, name: str
) -> tuple[set[str], tuple[str, ...]] | None:
    """The names *value* is known by, and the messages it leads to.

    An operation and a message that share a name and lead to the same one message are
    one choice, not two (AsyncAPI's own examples name them alike).
    """
    names = {name} if name else set()
    followed = deref(value, at, refs)
    if isinstance(followed, Problem):
        return None
    target, target_at = followed
    if isinstance(target, Mapping):
        for word in ("name", "messageId", "operationId"):
            if isinstance(target.get(word), str):
                names.add(target[word])
    ref = _ref_label(value, "")
    if ref:
        names.add(ref)
    messages = messages_of(value, at, refs)
    if isinstance(messages, Problem) or not messages:
        return names, (refs.origin(target_at),)
    return names, tuple(sorted({refs.origin(message.at) for message in messages}))


def message_names(doc: Any, at: Location, refs: Refs) -> dict[str, list[Location]]:
    """Each name a message (or operation) is known by, and the distinct places it selects."""
    return {name: [place for place, _ in found] for name, found in _choices(doc, at, refs).items()}


def _choices(
    doc: Any, at: Location, refs: Refs
) -> dict[str, list[tuple[Location, tuple[str, ...]]]]:
    """Each name, with the places it selects and the messages each place leads to."""
    by_name: dict[str, list[tuple[Location, tuple[str, ...]]]] = {}
    for name, value, where in _candidates(doc, at, refs):
        known = _names(value, where, refs, name)
        if known is None:
            continue
        names, leads_to = known
        for each in names:
            places = by_name.setdefault(each, [])
            if all(other != leads_to for _, other in places):
                places.append((where, leads_to))
    return by_name


def find_message(doc: Any, at: Location, name: str, refs: Refs) -> Location | Problem:
    """The location of the message (or operation) called *name*.

    A name is a ``components/messages`` key, a channel's message key (3.x), a message's
    ``name`` or ``messageId``, or an operation's id (2.x) or key (3.x).
    """
    by_name = _choices(doc, at, refs)
    places = by_name.get(name)
    if places is None:
        names = sorted(by_name)
        message = f"no message {name!r}{did_you_mean(name, names)}"
        shown = ", ".join(names[:30]) + (", ..." if len(names) > 30 else "")
        message += f" (the file has: {shown})" if names else " (the file has no messages)"
        return Problem("option", message)
    if len(places) > 1:
        meant = sorted({origin.partition("#")[2] for _, leads_to in places for origin in leads_to})
        listed = ", ".join(f"#{pointer}" for pointer in meant)
        return Problem(
            "option",
            f"{name!r} names several messages ({listed}); select one with a pointer",
        )
    return places[0][0]


def _message_candidates(doc: Any, at: Location) -> Iterator[tuple[str, Any, Location]]:
    """Each message a document defines or sends, with the name it is known by there:
    ``components/messages`` first, then the messages of each channel (3.x) or of each
    channel's operations (2.x)."""
    components = doc.get("components")
    shared = components.get("messages") if isinstance(components, Mapping) else None
    for name, message in shared.items() if isinstance(shared, Mapping) else ():
        yield str(name), message, at.child("components", "messages", name)
    channels = doc.get("channels")
    for channel, item in channels.items() if isinstance(channels, Mapping) else ():
        if not isinstance(item, Mapping):
            continue
        listed = item.get("messages")  # 3.x
        for name, message in listed.items() if isinstance(listed, Mapping) else ():
            yield str(name), message, at.child("channels", channel, "messages", name)
        for word in ("subscribe", "publish"):  # 2.x
            operation = item.get(word)
            if isinstance(operation, Mapping) and isinstance(operation.get("message"), Mapping):
                op_id = operation.get("operationId")
                name = op_id if isinstance(op_id, str) else ""
                yield name, operation["message"], at.child("channels", channel, word, "message")


def _message_name(message: Message, given: str, value: Any) -> str:
    own = message.value
    for word in ("messageId", "name"):
        if isinstance(own.get(word), str) and own[word].strip():
            return str(own[word]).strip()
    return _ref_label(value, "") or given or message.label


def list_asyncapi(doc: Any, at: Location, refs: Refs, group_by: str | None) -> list[Listed]:
    """Every message of an AsyncAPI 2.x/3.x document, each once, however many channels
    send it. A message is selected by ``:message:`` where its name selects it alone,
    else by a pointer."""
    if not is_asyncapi(doc):
        return []
    choices = _choices(doc, at, refs)
    listed: list[Listed] = []
    seen: set[str] = set()
    for given, value, where in _message_candidates(doc, at):
        found = messages_of(value, where, refs)
        if isinstance(found, Problem):
            continue
        single = len(found) == 1
        for message in found:
            origin = refs.origin(message.at)
            if origin in seen:
                continue
            seen.add(origin)
            name = _message_name(message, given if single else "", value)
            places = choices.get(name, [])
            by_name = len(places) == 1 and places[0][1] == (origin,)
            same_file = message.at.uri == at.uri
            summary = next(
                (
                    str(message.value[word]).strip()
                    for word in ("summary", "title")
                    if isinstance(message.value.get(word), str)
                ),
                "",
            )
            listed.append(
                Listed(
                    name=name,
                    option="message",
                    value=name if by_name or not same_file else "",
                    pointer="" if by_name or not same_file else message.at.pointer,
                    summary=summary,
                    deprecated=message.value.get("deprecated") is True,
                    group=group_of([message.value], group_by),
                    origin=origin,
                )
            )
    return listed


class AsyncApiReader:
    """An AsyncAPI 2.x/3.x message, ``oneOf`` of messages, operation or channel."""

    name = "asyncapi"
    parts = frozenset({"body", "headers"})

    def recognises(self, selection: Selection) -> bool:
        """``:message:`` given, an AsyncAPI document, or a message-like part of one."""
        target = selection.target
        if selection.request.message is not None or is_asyncapi(target):
            return True
        return is_message_like(target) and (is_asyncapi(selection.doc) or "payload" in target)

    def read(self, selection: Selection) -> Reading:
        """The payload (or headers) of the message(s), as alternatives when several."""
        found = _selected(selection)
        if isinstance(found, Problem):
            return Reading(problems=[found])
        return _read(selection, *found)

    def facts(self, selection: Selection) -> RequestFacts | Problem:
        """A single message's summary (or title) and description: a message has no request
        line and no responses."""
        found = _selected(selection)
        if isinstance(found, Problem):
            return found
        messages = messages_of(*found, selection.refs)
        if isinstance(messages, Problem):
            return messages
        own = messages[0].value if len(messages) == 1 else {}
        request = selection.request

        def text(word: str) -> str:
            value = localised(own.get(word), request.language, request.default_language)
            return value.strip() if isinstance(value, str) else ""

        return RequestFacts(
            summary=text("summary") or text("title"),
            description=text("description"),
            method="",
            url="",
            responses=(),
            deprecated=own.get("deprecated") is True,
            has_body="payload" in own,
            has_headers="headers" in own,
        )


def _selected(selection: Selection) -> tuple[Any, Location] | Problem:
    """The message(s) that ``:message:`` or the pointer selects."""
    request, rel = selection.request, selection.rel
    target, target_at = selection.target, selection.target_at
    too_old = version_problem(selection.doc)
    if too_old is not None:
        return selection.in_file(too_old)
    if request.message is not None:
        if not is_asyncapi(target):
            return Problem("option", f":message: needs an AsyncAPI document; {rel} is not one")
        found = find_message(target, target_at, request.message, selection.refs)
        if isinstance(found, Problem):
            return selection.in_file(found)
        below = found.pointer[len(target_at.pointer) :]
        return pointers.value_at(target, below), found
    if is_message_like(target) and (is_asyncapi(selection.doc) or "payload" in target):
        return selection.value, selection.at
    names = ", ".join(sorted(message_names(target, target_at, selection.refs)))
    return Problem(
        "option",
        f"{rel} is an AsyncAPI document: pick a message with :message: or a pointer"
        + (f" (messages: {names})" if names else ""),
    )


def _read(selection: Selection, value: Any, at: Location) -> Reading:
    messages = messages_of(value, at, selection.refs)
    if isinstance(messages, Problem):
        return Reading(problems=[messages])
    part = "headers" if selection.request.part == "headers" else "payload"
    schemas: list[tuple[str, Any, Location]] = []
    reading = Reading()
    for message in messages:
        payload = payload_of(message, selection.refs, part)
        if isinstance(payload, Problem):
            reading.problems.append(payload)
            continue
        schemas.append((message.label, *payload))
        content_type = message.value.get("contentType")
        if isinstance(content_type, str) and not _is_json(content_type):
            note = Note("Content type: %s", content_type)
            if note not in reading.notes:
                reading.notes.append(note)
    if schemas:
        fields, title, walk_problems, walk_notes = alternatives_fields(
            schemas, selection.refs, walk_options(selection.request, "markdown")
        )
        reading.fields = fields
        reading.schema = bundle([(schema, at) for _, schema, at in schemas], selection.refs)
        reading.examples = tuple(
            example for message in messages for example in message_examples(message.value, part)
        ) or tuple(
            example
            for _, schema, at in schemas
            for example in schema_examples(schema, at, selection.refs)
        )
        reading.problems.extend(walk_problems)
        reading.notes.extend(walk_notes)
        if len(messages) == 1:
            reading.caption = _caption(messages[0].value, selection.request) or title
    if len(messages) == 1:
        own = messages[0].value
        text = localised(
            own.get("description"),
            selection.request.language,
            selection.request.default_language,
        )
        reading.description = text.strip() if isinstance(text, str) else ""
        reading.deprecated = own.get("deprecated") is True
    return reading


def _caption(message: Mapping[str, Any], request: SourceRequest) -> str | None:
    for word in ("title", "summary"):
        text = localised(message.get(word), request.language, request.default_language)
        if isinstance(text, str) and text.strip():
            return text.strip()
    return None


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")
