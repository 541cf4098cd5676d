"""A schema is read as a schema: fragments in the shapes real specs have, built as a reader
would build them.

Each case is a page of one project (built once for the module): a ``callback-table`` and
``callback-example``\\ s with a ``:source:`` written here, in the shape of a real spec
(PagerDuty's reused ``$ref``\\ s, Deepgram's object-or-array, GitHub's ``forkee`` and requested
reviewer, AssemblyAI's closed ``allOf`` parts, Slack's AsyncAPI 1.2 file). The tests read the
rows, the example JSON and the warnings of the page; what a made example must be is judged by
``jsonschema`` against the schema the page was given.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import referencing

from .schemabuild import Built, Page, Table, build, errors_of, registry_of, validator_for

DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"


def schema_file(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A JSON Schema file of an object with *properties*."""
    return {"$schema": DRAFT_2020, "type": "object", "properties": properties, **extra}


def openapi31(webhooks: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.1 document of *webhooks* (name to operation) and component *schemas*."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fragments", "version": "1"},
        "webhooks": {name: {"post": operation} for name, operation in webhooks.items()},
        "components": {"schemas": schemas},
    }


def body(schema: Any, **operation: Any) -> dict[str, Any]:
    """An operation whose JSON request body is *schema*."""
    return {
        **operation,
        "requestBody": {"content": {"application/json": {"schema": schema}}},
        "responses": {"200": {"description": "OK"}},
    }


def table_and_example(source: str, *options: str, payloads: tuple[str, ...] = ()) -> str:
    """A page: the table of *source*, its made example, then one example per payload."""
    lines = "".join(f"   {option}\n" for option in options)
    text = f".. callback-table::\n   :source: {source}\n{lines}\n"
    text += f".. callback-example::\n   :source: {source}\n{lines}\n"
    for payload in payloads:
        text += f".. callback-example::\n   :source: {source}\n{lines}\n   {payload}\n\n"
    return text


# -- The fragments ------------------------------------------------------------------------------

REFERENCE = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "type": {"type": "string"},
        "summary": {"type": "string"},
    },
    "required": ["id", "type"],
}

#: PagerDuty's shape: one base object referenced as the base of every object, in siblings,
#: in array items and inside alternatives.
REUSED = {
    **schema_file(
        {
            "incident": {
                "allOf": [
                    {"$ref": "#/$defs/Reference"},
                    {
                        "type": "object",
                        "properties": {
                            "service": {"$ref": "#/$defs/Service"},
                            "assignee": {"$ref": "#/$defs/Reference"},
                            "log_entries": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "agent": {"$ref": "#/$defs/Agent"},
                                        "channel": {"$ref": "#/$defs/Reference"},
                                    },
                                },
                            },
                        },
                    },
                ]
            },
            "actor": {
                "oneOf": [
                    {
                        "title": "User",
                        "allOf": [
                            {"$ref": "#/$defs/Reference"},
                            {"properties": {"email": {"type": "string"}}, "required": ["email"]},
                        ],
                    },
                    {"title": "Service", "$ref": "#/$defs/Service"},
                ]
            },
        },
        required=["incident"],
    ),
    "$defs": {
        "Reference": REFERENCE,
        "Service": {
            "allOf": [
                {"$ref": "#/$defs/Reference"},
                {
                    "type": "object",
                    "properties": {"name": {"type": "string"}},
                    "required": ["name"],
                },
            ]
        },
        "Agent": {"$ref": "#/$defs/Reference"},
    },
}

#: Deepgram's ``think``: one provider object, or an array of them.
PROVIDER = {
    "type": "object",
    "properties": {
        "provider": {
            "type": "object",
            "properties": {"type": {"type": "string"}, "model": {"type": "string"}},
            "required": ["type"],
        },
        "prompt": {"type": "string"},
    },
    "required": ["provider"],
}
OBJECT_OR_ARRAY = {
    "asyncapi": "2.6.0",
    "info": {"title": "Agent", "version": "1"},
    "channels": {"agent": {"publish": {"message": {"$ref": "#/components/messages/Settings"}}}},
    "components": {
        "messages": {
            "Settings": {
                "payload": {
                    "type": "object",
                    "properties": {
                        "type": {"const": "Settings"},
                        "think": {
                            "oneOf": [
                                {"title": "One provider", **PROVIDER},
                                {"title": "Several providers", "type": "array", "items": PROVIDER},
                            ]
                        },
                    },
                    "required": ["type", "think"],
                }
            }
        }
    },
}

USER = {
    "type": "object",
    "properties": {"login": {"type": "string"}, "id": {"type": "integer"}},
    "required": ["login", "id"],
}

#: ``allOf`` whose one member is ``oneOf`` [User, null]: GitHub's nullable references.
NULLABLE_MEMBER = {
    **schema_file(
        {
            "closed_by": {
                "allOf": [{"oneOf": [{"$ref": "#/$defs/User"}, {"type": "null"}]}],
                "description": "Who closed it.",
            }
        },
        required=["closed_by"],
    ),
    "$defs": {"User": USER},
}

NUMBER_INTEGER = schema_file(
    {"count": {"allOf": [{"type": "number"}, {"type": "integer"}]}}, required=["count"]
)

#: ``allOf`` [Base, ``oneOf`` [A, B]]: each alternative is Base's keys and its own.
BASE_ONE_OF = schema_file(
    {},
    allOf=[
        {
            "type": "object",
            "properties": {"id": {"type": "string"}, "created_at": {"type": "string"}},
            "required": ["id"],
        },
        {
            "oneOf": [
                {
                    "title": "Created",
                    "type": "object",
                    "properties": {
                        "action": {"const": "created"},
                        "item": {"type": "object", "properties": {"name": {"type": "string"}}},
                    },
                    "required": ["action"],
                },
                {
                    "title": "Deleted",
                    "type": "object",
                    "properties": {
                        "action": {"const": "deleted"},
                        "reason": {"type": "string"},
                    },
                    "required": ["action"],
                },
            ]
        },
    ],
)

#: GitHub's requested reviewer: a User carries an optional ``name``, which a Team requires:
#: a User made with every key matches both alternatives.
OVERLAPPING = schema_file(
    {
        "requested_reviewer": {
            "oneOf": [
                {
                    "title": "User",
                    "type": "object",
                    "properties": {
                        "login": {"type": "string"},
                        "name": {"type": "string"},
                        "id": {"type": "integer"},
                    },
                    "required": ["login", "id"],
                },
                {
                    "title": "Team",
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "slug": {"type": "string"},
                        "id": {"type": "integer"},
                    },
                    "required": ["name", "id"],
                },
            ]
        }
    },
    required=["requested_reviewer"],
)

#: GitHub's ``fork`` webhook: ``forkee`` is a repository whose ``pushed_at`` the second part
#: narrows to a string.
FORKEE = openapi31(
    {
        "fork": body(
            {
                "type": "object",
                "properties": {
                    "forkee": {
                        "allOf": [
                            {"$ref": "#/components/schemas/repository"},
                            {
                                "type": "object",
                                "properties": {
                                    "fork": {"type": "boolean", "enum": [True]},
                                    "pushed_at": {"type": "string"},
                                },
                            },
                        ]
                    }
                },
                "required": ["forkee"],
            },
            operationId="fork",
        )
    },
    {
        "repository": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "fork": {"type": "boolean"},
                "pushed_at": {"type": ["string", "integer", "null"]},
            },
            "required": ["id", "name", "fork", "pushed_at"],
        }
    },
)

#: AssemblyAI's transcript: ``allOf`` parts that each close the object.
CLOSED_PARTS = schema_file(
    {},
    allOf=[
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"id": {"type": "string"}, "status": {"type": "string"}},
            "required": ["id"],
        },
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"text": {"type": "string"}},
        },
    ],
)

#: GitHub's summaries: two paragraphs with Markdown links, quotes and a list.
SUMMARY = (
    "This event occurs when there is a change to branch protection configurations for a "
    "repository.\n"
    'For more information, see "[About protected branches](https://docs.github.com/'
    'repositories/about-protected-branches)."\n\n'
    "To subscribe to this event, a GitHub App must have at least *read-level* access for the "
    '"Administration" repository permission:\n\n* `administration`\n* `metadata`'
)
CAPTION_TEXT = (
    "This event occurs when there is a change to branch protection configurations for a repository."
)
MULTI_LINE_SUMMARY = openapi31(
    {
        "branch-protection-configuration-disabled": body(
            schema_file({"action": {"const": "disabled"}}),
            summary=SUMMARY,
            description="All branch protections were disabled for a repository.",
        )
    },
    {},
)

#: A property named ``""``, in a schema referenced from three places.
EMPTY_NAME = {
    **schema_file(
        {
            "a": {"$ref": "#/$defs/Meta"},
            "b": {"$ref": "#/$defs/Meta"},
            "c": {"type": "array", "items": {"$ref": "#/$defs/Meta"}},
        }
    ),
    "$defs": {
        "Meta": {"type": "object", "properties": {"": {"type": "string"}, "ok": {"type": "string"}}}
    },
}

ARRAY_OF_INTERSECTION = schema_file(
    {
        "labels": {
            "type": "array",
            "minItems": 1,
            "items": {"allOf": [{"type": "string"}, {"type": ["string", "null"]}]},
        }
    },
    required=["labels"],
)

#: A field nullable in two ways at once, three times.
NULLABLE_TWICE = {
    **schema_file(
        {
            "a": {"anyOf": [{"type": ["string", "null"]}, {"type": "null"}]},
            "b": {"allOf": [{"type": ["integer", "null"]}, {"type": ["integer", "null"]}]},
            "c": {"anyOf": [{"$ref": "#/$defs/MaybeUser"}, {"type": "null"}]},
        }
    ),
    "$defs": {
        "MaybeUser": {
            "type": ["object", "null"],
            "properties": {"login": {"type": "string"}},
        }
    },
}

#: A schema that no value can match: an enum of words no longer than one character.
CONTRADICTION = schema_file(
    {"status": {"type": "string", "enum": ["sent", "failed"], "maxLength": 1}},
    required=["status"],
)

#: Slack's Events API is described in AsyncAPI 1.2: ``topics``, not ``channels``.
ASYNCAPI_12 = """\
asyncapi: '1.2.0'
info:
  title: Slack Events API
  version: 1.0.0
baseTopic: slack.events
topics:
  app_mention:
    subscribe:
      $ref: '#/components/messages/app_mention'
components:
  messages:
    app_mention:
      summary: Subscribe to only the message events that mention your app or bot.
      payload:
        type: object
        properties:
          token:
            type: string
          team_id:
            type: string
          event:
            type: object
            properties:
              type:
                type: string
              user:
                type: string
              text:
                type: string
"""

#: The same API with its message written where AsyncAPI 1.x put it: under its topic.
ASYNCAPI_12_INLINE = """\
asyncapi: '1.2.0'
info:
  title: Slack Events API
  version: 1.0.0
topics:
  app_mention:
    subscribe:
      summary: Subscribe to only the message events that mention your app or bot.
      payload:
        type: object
        properties:
          token:
            type: string
          event:
            type: object
"""

FILES: dict[str, Any] = {
    "reused.json": REUSED,
    "object-or-array.json": OBJECT_OR_ARRAY,
    "nullable-member.json": NULLABLE_MEMBER,
    "number-integer.json": NUMBER_INTEGER,
    "base-one-of.json": BASE_ONE_OF,
    "overlapping.json": OVERLAPPING,
    "forkee.json": FORKEE,
    "closed-parts.json": CLOSED_PARTS,
    "summary.json": MULTI_LINE_SUMMARY,
    "empty-name.json": EMPTY_NAME,
    "array-of-intersection.json": ARRAY_OF_INTERSECTION,
    "nullable-twice.json": NULLABLE_TWICE,
    "contradiction.json": CONTRADICTION,
    "slack.asyncapi.yaml": ASYNCAPI_12,
    "slack-inline.asyncapi.yaml": ASYNCAPI_12_INLINE,
}

INLINE_TYPES = """\
.. callback-table:: counts

   count : integer
      How many.
   ratio : number
      How much.
   done : boolean
      Whether it is done.
   tags : array
      Its tags.
   meta : object
      More about it.

.. callback-example:: counts

.. callback-example:: counts

   {"count": 5, "ratio": 1.5, "done": true, "tags": ["a"], "meta": {"k": "v"}}
"""

#: Each line of the payload has one value of the wrong type (a string), on a line of its own.
INLINE_TYPES_WRONG = """\
.. callback-example:: counts

   {
     "count": "5",
     "ratio": "1.5",
     "done": "true",
     "tags": "a",
     "meta": "k"
   }
"""

PAGES = {
    "reused": table_and_example("reused.json"),
    "object-or-array": table_and_example("object-or-array.json", ":message: Settings"),
    "nullable-member": table_and_example(
        "nullable-member.json",
        payloads=('{"closed_by": null}', '{"closed_by": {"login": "octocat", "id": 1}}'),
    ),
    "number-integer": table_and_example("number-integer.json", payloads=('{"count": 5}',)),
    "base-one-of": table_and_example(
        "base-one-of.json",
        payloads=(
            '{"id": "e1", "action": "created", "item": {"name": "n"}}',
            '{"id": "e2", "action": "deleted", "reason": "r"}',
        ),
    ),
    "overlapping": table_and_example(
        "overlapping.json",
        payloads=(
            '{"requested_reviewer": {"login": "octocat", "id": 1}}',
            '{"requested_reviewer": {"name": "Justice League", "slug": "jl", "id": 2}}',
        ),
    ),
    "forkee": table_and_example("forkee.json", ":webhook: fork"),
    "closed-parts": (
        ".. callback-table::\n   :source: closed-parts.json\n\n"
        ".. callback-example::\n   :source: closed-parts.json\n\n"
        '   {"id": "t1", "status": "completed", "text": "Hello"}\n'
    ),
    "summary": (
        ".. callback-table::\n   :source: summary.json\n"
        "   :webhook: branch-protection-configuration-disabled\n"
    ),
    "summary-replaced": (
        ".. callback-table::\n   :source: summary.json\n"
        "   :webhook: branch-protection-configuration-disabled\n"
        "   :caption: Branch protection disabled\n"
    ),
    "empty-name": ".. callback-table::\n   :source: empty-name.json\n",
    "array-of-intersection": table_and_example("array-of-intersection.json"),
    "nullable-twice": table_and_example("nullable-twice.json"),
    "contradiction": (
        "A schema that contradicts itself.\n\n"
        ".. callback-example::\n   :source: contradiction.json\n"
    ),
    "inline-types": INLINE_TYPES,
    "inline-types-wrong": INLINE_TYPES_WRONG,
    "asyncapi-1": (
        ".. callback-table::\n   :source: slack.asyncapi.yaml\n   :message: app_mention\n"
    ),
    "asyncapi-1-inline": (
        ".. callback-table::\n   :source: slack-inline.asyncapi.yaml\n   :message: app_mention\n"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("fragments"), PAGES, FILES)


# -- Reading back -----------------------------------------------------------------------------


def alternative(table: Table, title: str) -> list[str]:
    """The keys a reader of *table* sees for the alternative titled *title*: the rows outside
    every group (they hold for each alternative) and the rows of its own group (with the
    groups nested in it)."""
    keys: list[str] = []
    inside = False
    for row in table.rows:
        if row.is_label:
            label = row.text.split(" — ")[0]
            if label == title:
                inside = True
                depth = _depth(row.classes)
            elif inside and _depth(row.classes) <= depth:
                inside = False
            continue
        if row.is_end:
            inside = False
            continue
        assert row.key is not None
        if inside or "callbacks-in-alternative" not in row.classes:
            keys.append(row.key)
    return keys


def _depth(classes: tuple[str, ...]) -> int:
    for name in classes:
        if name.startswith("callbacks-alternative-depth-"):
            return int(name.rsplit("-", 1)[1])
    return 1


def body_validator(document: Any, pointer: str, dialect: str = DRAFT_2020) -> Any:
    """A validator of the schema at *pointer* of *document*, its ``$ref``\\ s resolved."""
    registry: referencing.Registry[Any] = registry_of({"file:///doc.json": document}, dialect)
    return validator_for({"$ref": f"file:///doc.json#{pointer}"}, registry, dialect)


WEBHOOK_BODY = "/webhooks/{}/post/requestBody/content/application~1json/schema"


def assert_valid(page: Page, validator: Any) -> None:
    """Every example the page shows is valid."""
    assert page.examples, f"{page.docname} shows no example"
    for text in page.examples:
        assert errors_of(validator, json.loads(text)) == [], text


# -- Reused $refs ---------------------------------------------------------------------------

REFERENCE_KEYS = ["id", "type", "summary"]


def _under(prefix: str, names: list[str]) -> list[str]:
    return [f"{prefix}.{name}" for name in names]


def test_a_ref_reused_in_siblings_is_expanded_in_each_place(built: Built) -> None:
    page = built["reused"]
    keys = set(page.table.keys)
    for place in (
        "incident",
        "incident.service",
        "incident.assignee",
        "incident.log_entries[].agent",
        "incident.log_entries[].channel",
    ):
        assert place in keys
        assert set(_under(place, REFERENCE_KEYS)) <= keys, place
    assert "incident.service.name" in keys
    assert not [note for note in page.notes if "shown above" in note]
    assert page.warnings == []


def test_a_ref_reused_inside_alternatives_keeps_its_rows_in_each(built: Built) -> None:
    table = built["reused"].table
    user, service = alternative(table, "User"), alternative(table, "Service")
    assert set(_under("actor", [*REFERENCE_KEYS, "email"])) <= set(user)
    assert set(_under("actor", [*REFERENCE_KEYS, "name"])) <= set(service)
    assert "actor.email" not in service and "actor.name" not in user


def test_a_reused_ref_gives_a_valid_example(built: Built) -> None:
    page = built["reused"]
    assert_valid(page, validator_for(REUSED))
    example = page.example()
    assert set(example["incident"]["service"]) >= {"id", "type", "name"}


# -- Alternatives of different kinds -----------------------------------------------------------


def test_object_or_array_of_objects_keeps_both_alternatives(built: Built) -> None:
    page = built["object-or-array"]
    table = page.table
    assert page.warnings == []
    labels = [label.split(" — ")[0] for label in table.labels()]
    assert labels == ["One provider", "Several providers"]
    one = alternative(table, "One provider")
    several = alternative(table, "Several providers")
    assert {"think.provider", "think.provider.type", "think.provider.model", "think.prompt"} <= set(
        one
    )
    assert {
        "think[].provider",
        "think[].provider.type",
        "think[].provider.model",
        "think[].prompt",
    } <= set(several)
    validator = body_validator(OBJECT_OR_ARRAY, "/components/messages/Settings/payload")
    assert_valid(page, validator)


# -- allOf is an intersection ---------------------------------------------------------------


def test_allof_with_a_nullable_oneof_member(built: Built) -> None:
    page = built["nullable-member"]
    assert page.warnings == []
    table = page.table
    assert {"closed_by", "closed_by.login", "closed_by.id"} <= set(table.keys)
    assert table.format("closed_by").count("null") == 1
    assert len(page.examples) == 3
    assert_valid(page, validator_for(NULLABLE_MEMBER))


def test_allof_of_number_and_integer_is_an_integer(built: Built) -> None:
    page = built["number-integer"]
    assert page.warnings == []
    assert page.table.format("count") == "integer"
    count = page.example()["count"]
    assert isinstance(count, int) and not isinstance(count, bool)
    assert_valid(page, validator_for(NUMBER_INTEGER))


def test_allof_base_and_oneof_keeps_both_alternatives_with_the_base(built: Built) -> None:
    page = built["base-one-of"]
    assert page.warnings == []
    table = page.table
    assert [label.split(" — ")[0] for label in table.labels()] == ["Created", "Deleted"]
    assert {"id", "created_at", "action", "item", "item.name"} <= set(alternative(table, "Created"))
    assert {"id", "created_at", "action", "reason"} <= set(alternative(table, "Deleted"))
    assert "reason" not in alternative(table, "Created")
    assert_valid(page, validator_for(BASE_ONE_OF))


def test_the_example_of_overlapping_alternatives_matches_exactly_one(built: Built) -> None:
    page = built["overlapping"]
    assert page.warnings == []
    table = page.table
    assert {"requested_reviewer.login", "requested_reviewer.name"} <= set(
        alternative(table, "User")
    )
    assert {"requested_reviewer.name", "requested_reviewer.slug"} <= set(alternative(table, "Team"))
    assert_valid(page, validator_for(OVERLAPPING))


def test_forkee_narrows_pushed_at_to_a_string(built: Built) -> None:
    page = built["forkee"]
    assert not [w for w in page.warnings if "contradict" in w]
    assert page.warnings == []
    table = page.table
    assert table.format("forkee.pushed_at") == "string"
    assert "forkee.id" in table.keys and "forkee.fork" in table.keys
    pushed_at = page.example()["forkee"]["pushed_at"]
    assert isinstance(pushed_at, str)
    assert_valid(page, body_validator(FORKEE, WEBHOOK_BODY.format("fork")))


def test_closed_allof_parts_are_a_spec_defect_not_unknown_keys(built: Built) -> None:
    page = built["closed-parts"]
    assert {"id", "status", "text"} <= set(page.table.keys)
    assert page.warnings, "jsonschema rejects this payload: the page must say why"
    assert not [w for w in page.warnings if "unknown key" in w]
    # The fix is in the spec: say that its own schema forbids a key it documents.
    assert [w for w in page.warnings if re.search(r"additionalProperties|forbid", w)]


# -- Text in its place ------------------------------------------------------------------------


def test_a_multi_line_summary_gives_its_first_sentence_as_caption(built: Built) -> None:
    page = built["summary"]
    assert page.warnings == []
    caption = page.table.caption
    assert caption == CAPTION_TEXT
    assert "␊" not in caption and "\n" not in caption


def test_a_caption_option_replaces_the_summary_without_a_word(built: Built) -> None:
    page = built["summary-replaced"]
    assert page.warnings == []
    assert page.table.caption == "Branch protection disabled"


def test_an_empty_property_name_reached_three_times_warns_once(built: Built) -> None:
    page = built["empty-name"]
    assert len(page.warnings) == 1, page.warnings
    assert {"a.ok", "b.ok", "c[].ok"} <= set(page.table.keys)


def test_inline_type_words_are_types(built: Built) -> None:
    page = built["inline-types"]
    assert page.warnings == []
    made = page.example()
    assert isinstance(made["count"], int) and not isinstance(made["count"], bool)
    assert isinstance(made["ratio"], (int, float)) and not isinstance(made["ratio"], bool)
    assert isinstance(made["done"], bool)
    assert isinstance(made["tags"], list)
    assert isinstance(made["meta"], dict)


def test_a_payload_of_the_wrong_type_for_an_inline_type_word_is_warned(built: Built) -> None:
    page = built["inline-types-wrong"]
    for key, line in FIELD_LINES.items():
        at_line = [w for w in page.warnings if f"inline-types-wrong.rst:{line}:" in w]
        assert [w for w in at_line if re.search(rf"\b{key}\b", w)], (key, page.warnings)


#: The line of each key of INLINE_TYPES_WRONG in its page (``:orphan:`` and a blank line
#: above it).
FIELD_LINES = {"count": 6, "ratio": 7, "done": 8, "tags": 9, "meta": 10}


def test_an_array_of_an_intersection_gives_its_type(built: Built) -> None:
    page = built["array-of-intersection"]
    assert page.warnings == []
    labels = page.example()["labels"]
    assert labels and all(isinstance(label, str) for label in labels)
    assert_valid(page, validator_for(ARRAY_OF_INTERSECTION))


def test_nullability_is_said_once(built: Built) -> None:
    page = built["nullable-twice"]
    assert page.warnings == []
    table = page.table
    for key in ("a", "b", "c"):
        assert table.format(key).count("null") == 1, table.format(key)
    assert_valid(page, validator_for(NULLABLE_TWICE))


def test_null_or_null_is_never_shown(built: Built) -> None:
    for page in built.pages.values():
        for table in page.tables:
            for row in table.rows:
                assert "null or null" not in row.text, (page.docname, row)


def test_a_schema_no_value_matches_shows_no_example_and_says_so_at_the_directive(
    built: Built,
) -> None:
    page = built["contradiction"]
    assert page.examples == []
    (warning,) = page.warnings
    # The directive is at line 5 of the page (after ":orphan:" and a paragraph).
    assert "contradiction.rst:5:" in warning and "contradict" in warning


@pytest.mark.parametrize("docname", ["asyncapi-1", "asyncapi-1-inline"])
def test_an_asyncapi_1_document_says_which_versions_are_read(built: Built, docname: str) -> None:
    page = built[docname]
    said = [w for w in page.warnings if "1.2" in w]
    assert said, page.warnings
    assert any("2.x" in w and "3.x" in w for w in said), said


def test_no_warning_strays_from_its_page(built: Built) -> None:
    assert built.warnings == []
