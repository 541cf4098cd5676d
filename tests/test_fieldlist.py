"""Tests for readers/fieldlist.py: hand-written field lists in YAML, JSON or TOML."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sphinxext_callbacks.model.fields import MISSING, Field, Origin
from sphinxext_callbacks.readers.fieldlist import field_list_fields, is_field_list, named_entries
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, SourceResult, read_source
from tests.helpers import typed

NOTIFY = """\
callbacks:
  delivery-receipt:
    caption: Callback message format
    fields:
      - key: id
        description: Notify's id for the status receipts
        format: UUID
        type: string
        required: true
      - key: status
        enum: [delivered, permanent-failure]
        description: The status of the notification
      - key: sent_at
        example: "2017-05-14T12:15:30.000000Z"
        nullable: true
        deprecated: Use completed_at
        since: 2.0
      - key: meta
        type: object
        fields:
          - key: source
            default: api
          - key: tags
            fields:
              - {key: name}
  other:
    fields: [{key: x}]
"""


def read(tmp_path: Path, text: str, name: str = "fields.yaml", **options: Any) -> SourceResult:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_source(SourceRequest(str(path), srcdir=str(tmp_path), **options), FileCache())


def test_named_entry_by_pointer(tmp_path: Path) -> None:
    result = read(tmp_path, NOTIFY, pointer="/callbacks/delivery-receipt")
    assert result.problems == []
    assert result.callback is not None
    assert result.callback.caption == "Callback message format"
    got = {f.key: f for f in result.callback.fields}
    assert list(got) == [
        "id",
        "status",
        "sent_at",
        "meta",
        "meta.source",
        "meta.tags",
        "meta.tags.name",
    ]
    assert got["id"] == Field(
        path=("id",),
        description="Notify's id for the status receipts",
        markup="document",
        format="UUID",
        **typed("string"),
        json_format="uuid",  # what the format text states
        required=True,
        origin=Origin("fields.yaml", "/callbacks/delivery-receipt/fields/0"),
    )
    assert got["status"].enum == ("delivered", "permanent-failure")
    assert got["sent_at"].example == "2017-05-14T12:15:30.000000Z"
    assert got["sent_at"].nullable and got["sent_at"].deprecated == "Use completed_at"
    assert got["sent_at"].since == "2.0"
    assert got["meta.source"].default == "api" and got["meta.source"].example is MISSING
    assert got["meta.tags.name"].depth == 2


def test_depth_applies_to_field_lists(tmp_path: Path) -> None:
    result = read(tmp_path, NOTIFY, pointer="/callbacks/delivery-receipt", depth=0)
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == ["id", "status", "sent_at", "meta"]


def test_whole_file_with_entries_asks_for_a_pointer(tmp_path: Path) -> None:
    result = read(tmp_path, NOTIFY)
    assert result.callback is None
    (problem,) = result.problems
    assert problem.subtype == "source"
    assert (
        "#/callbacks/delivery-receipt" in problem.message and "#/callbacks/other" in problem.message
    )


def test_plain_list_and_fields_mapping(tmp_path: Path) -> None:
    result = read(tmp_path, '[{"key": "a"}, {"key": "b", "required": true}]', name="f.json")
    assert result.callback is not None
    assert [f.key for f in result.callback.fields] == ["a", "b"]
    result = read(tmp_path, 'caption = "C"\n[[fields]]\nkey = "a"\n', name="f.toml")
    assert result.callback is not None
    assert result.callback.caption == "C"
    assert str(result.callback.fields[0].origin) == "f.toml#/fields/0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- description: no key\n", "/0 (line 1, column 3): the field has no key"),
        ("- key: ''\n", "the field has no key"),
        ("- key: a\n  colour: red\n", "(a): unknown key(s) colour"),
        ("- just a string\n", "must be a mapping"),
        ("- key: a\n  enum: red\n", "enum must be a list"),
        ("- key: a\n  required: maybe\n", "required must be true or false"),
        ("- key: a\n  fields: nope\n", "fields must be a list"),
        ("fields: []\ncolour: red\n", "unknown key(s) colour"),
    ],
)
def test_malformed_entries(tmp_path: Path, text: str, expected: str) -> None:
    result = read(tmp_path, text)
    assert result.problems
    assert all(p.subtype == "schema" for p in result.problems)
    assert expected in result.problems[0].message
    assert "fields.yaml#" in result.problems[0].message


def test_empty_field_list(tmp_path: Path) -> None:
    result = read(tmp_path, "fields: []\n")
    assert result.callback is None
    assert "has no fields" in result.problems[0].message


def test_per_language_description_and_odd_scalars() -> None:
    fields, _, problems = field_list_fields(
        [{"key": 7, "description": {"cy": "Helo", "en": "Hello"}, "deprecated": 1, "type": True}],
        "x.yaml#",
    )
    # ``type: true`` names no JSON type: it is said, and shown as the format.
    assert [p.subtype for p in problems] == ["field"]
    assert fields[0].key == "7" and fields[0].description == "Hello"
    assert fields[0].deprecated == "1" and fields[0].types is None and fields[0].format == "true"


def test_detection_helpers() -> None:
    assert is_field_list([{"key": "a"}])
    assert is_field_list({"fields": []})
    assert not is_field_list({"properties": {}})
    assert not is_field_list([{"properties": {}}])
    assert named_entries({"a": {"fields": []}, "b": {"c": [{"key": "x"}]}, "d": 1}) == ["a", "b/c"]


def test_deep_children_are_bounded() -> None:
    entry: dict[str, Any] = {"key": "leaf"}
    for _ in range(40):
        entry = {"key": "k", "fields": [entry]}
    fields, _, problems = field_list_fields([entry], "x.yaml#")
    assert problems and "nested more than" in problems[0].message
    assert len(fields) == 33
