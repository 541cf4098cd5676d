"""Tests for model/positions.py and FileCache.position: where a key stands in a file."""

from __future__ import annotations

import json
from pathlib import Path

from sphinxext_callbacks.model.positions import json_positions, lookup, yaml_positions
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, read_source

from .helpers import calls_made

TEXT = '{\n  "a": {\n    "b/c": [\n      1,\n      {"d": 2}\n    ]\n  },\n  "e": 3\n}'


def test_json_positions() -> None:
    found = json_positions(TEXT)
    assert found[()] == (0, 0)
    assert found[("a",)] == (1, 2)
    assert found[("a", "b/c")] == (2, 4)
    assert found[("a", "b/c", 0)] == (3, 6)
    assert found[("a", "b/c", 1, "d")] == (4, 7)
    assert found[("e",)] == (7, 2)
    assert lookup(found, ["a", "b/c", "1", "d"]) == (4, 7)
    assert lookup(found, ["a", "x"]) is None


def test_yaml_positions_and_aliases() -> None:
    text = "base: &base\n  x: 1\nitems:\n  - *base\n  - y: 2\n"
    found = yaml_positions(text)
    assert found is not None
    assert found[("base", "x")] == (1, 2)
    assert found[("items", 1, "y")] == (4, 4)
    assert yaml_positions("a: [") is None


def _laughs(levels: int) -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, levels + 1):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 9)}]")
    return "\n".join(lines)


def test_a_billion_laughs_is_mapped_without_expanding_it() -> None:
    # Nine levels of aliases stand for 9**10 strings: the work grows with the text.
    yaml_positions(_laughs(1))  # the first call imports PyYAML: not part of the count
    _, small_work = calls_made(yaml_positions, _laughs(3))
    found, work = calls_made(yaml_positions, _laughs(9))
    assert found is not None and found[("j",)] == (9, 0)
    assert work < 5 * small_work


def test_a_large_payload_is_mapped_in_linear_work() -> None:
    # Counting lines from the start for every key made this quadratic; that count is one C
    # call a key, which calls_made does not see, so bench/hostile.py times this payload.
    def payload(count: int) -> str:
        items = [{"id": i, "name": f"n{i}", "tags": ["a", "b"]} for i in range(count)]
        return json.dumps(items, indent=2)

    json_positions(payload(1))  # the first call may import what it needs: not counted
    _, half = calls_made(json_positions, payload(12_500))
    text = payload(25_000)
    assert len(text) > 1_000_000
    found, work = calls_made(json_positions, text)
    assert found[(24_999, "tags")][0] == text.count("\n", 0, text.rindex('"tags"'))
    assert work < 2.5 * half


def test_file_position_for_json_and_yaml(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.yaml").write_text("a:\n  b/c:\n    - 1\n    - d: 2\n", encoding="utf-8")
    (tmp_path / "a.toml").write_text("a = 1\n", encoding="utf-8")
    cache = FileCache()
    assert cache.position(str(tmp_path / "a.json"), "/a/b~1c/1/d") == (5, 8)
    assert cache.position(str(tmp_path / "a.yaml"), "/a/b~1c/1/d") == (4, 7)
    assert cache.position(str(tmp_path / "a.yaml"), "") == (1, 1)
    assert cache.position(str(tmp_path / "a.yaml"), "/nope") is None
    assert cache.position(str(tmp_path / "a.toml"), "/a") is None


def test_a_problem_about_a_huge_key_is_located_quickly(tmp_path: Path) -> None:
    # A backtracking pattern took 12 s over a message with a 40 KB key.
    key = "k" * 100_000
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"properties": {key: {"$ref": "#/nowhere"}}}), encoding="utf-8")
    # A backtracking pattern's cost is inside one C call: bench/hostile.py times this case.
    result = read_source(SourceRequest(str(path), srcdir=str(tmp_path)), FileCache())
    assert result.problems
    assert "s.json#/properties/" + key in result.problems[0].message
    assert "(line 1, column " in result.problems[0].message


def test_problems_name_line_and_column_of_each_pointer(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("properties:\n  a:\n    $ref: '#/nowhere'\n", encoding="utf-8")
    result = read_source(SourceRequest(str(path), srcdir=str(tmp_path)), FileCache())
    messages = [p.message for p in result.problems]
    assert any("s.yaml#/properties/a (line 2, column 3)" in m for m in messages), messages


def test_very_deep_json_gives_the_positions_it_can() -> None:
    text = "[" * 5000 + "]" * 5000
    found = json_positions(text)
    assert found[()] == (0, 0) and found[(0,)] == (0, 1)
