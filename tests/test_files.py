"""Tests for readers/files.py: loading YAML/JSON/TOML once, and every way a file can be wrong."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from sphinxext_callbacks.readers.files import (
    MAX_DEPTH,
    FileCache,
    check_allowed,
    display_path,
    prune_folder,
)

from .helpers import calls_made


def write(path: Path, text: str | bytes) -> str:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.yaml", "a: 1\nb: [x, y]\n"),
        ("a.yml", "a: 1\nb: [x, y]\n"),
        ("a.json", '{"a": 1, "b": ["x", "y"]}'),
        ("a.toml", 'a = 1\nb = ["x", "y"]\n'),
    ],
)
def test_loads_each_format(tmp_path: Path, name: str, text: str) -> None:
    loaded = FileCache().load(write(tmp_path / name, text), srcdir=str(tmp_path))
    assert loaded.problem is None
    assert loaded.data == {"a": 1, "b": ["x", "y"]}


def test_parses_once_and_again_after_a_change(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", '{"a": 1}')
    cache = FileCache()
    first = cache.load(path)
    for _ in range(20):
        assert cache.load(path) is first
    assert cache.parse_count == {path: 1}
    write(tmp_path / "a.json", '{"a": 22}')
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    assert cache.load(path).data == {"a": 22}
    assert cache.parse_count == {path: 2}


def test_problems_are_cached_too(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", "{")
    cache = FileCache()
    assert cache.load(path).problem == cache.load(path).problem
    assert cache.parse_count == {path: 1}


def test_yaml_12_scalars_and_string_keys(tmp_path: Path) -> None:
    text = "on: yes\nwhen: 2017-05-14T12:15:30Z\n200: ok\ntrue: x\nflag: true\n~: n\n"
    data = FileCache().load(write(tmp_path / "a.yaml", text)).data
    assert data == {
        "on": "yes",
        "when": "2017-05-14T12:15:30Z",
        "200": "ok",
        "true": "x",
        "flag": True,
        "null": "n",
    }


def test_toml_dates_become_strings(tmp_path: Path) -> None:
    data = FileCache().load(write(tmp_path / "a.toml", "d = 2020-01-02\n")).data
    assert data == {"d": "2020-01-02"}


def test_yaml_syntax_error_has_the_files_line(tmp_path: Path) -> None:
    path = write(tmp_path / "x.yaml", "a: 1\nb: [1,\nc: }\n")
    problem = FileCache().load(path, srcdir=str(tmp_path)).problem
    assert problem is not None and problem.subtype == "source"
    assert problem.message.startswith("x.yaml:3:")
    assert "invalid YAML" in problem.message


def test_json_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "x.json", '{\n  "a": 1,\n  "b": }\n')
    problem = FileCache().load(path, srcdir=str(tmp_path)).problem
    assert problem is not None
    assert problem.message.startswith("x.json:3:8: invalid JSON")


def test_toml_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "x.toml", "a = 1\nb = = 2\n")
    problem = FileCache().load(path, srcdir=str(tmp_path)).problem
    assert problem is not None
    assert problem.message.startswith("x.toml:2:")
    assert "invalid TOML" in problem.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "the file is empty"),
        ("   \n\n", "the file is empty"),
        ("~\n", "the file is empty"),
        (b"\x89PNG\x00\x00", "binary"),
        (b"a: \xff\xfe caf\xe9\n", "not UTF-8"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: str | bytes | None, expected: str) -> None:
    path = str(tmp_path / "x.yaml")
    if content is not None:
        write(tmp_path / "x.yaml", content)
    problem = FileCache().load(path, srcdir=str(tmp_path)).problem
    assert problem is not None and problem.subtype == "source"
    assert expected in problem.message
    assert "x.yaml" in problem.message


def test_directory_and_unknown_type(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").mkdir()
    cache = FileCache()
    problem = cache.load(str(tmp_path / "d.yaml")).problem
    assert problem is not None and "directory" in problem.message
    problem = cache.load(write(tmp_path / "a.txt", "a: 1")).problem
    assert problem is not None and "unknown file type" in problem.message


def test_bom_is_accepted(tmp_path: Path) -> None:
    assert FileCache().load(write(tmp_path / "a.json", b'\xef\xbb\xbf{"a": 1}')).data == {"a": 1}


def test_outside_srcdir_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    outside = write(tmp_path / "other.json", '{"a": 1}')
    cache = FileCache()
    problem = cache.load(outside, srcdir=str(src)).problem
    assert problem is not None and problem.subtype == "source"
    assert "callbacks_allowed_paths" in problem.message
    assert cache.parse_count == {}
    assert cache.load(outside, srcdir=str(src), allowed_paths=[str(tmp_path)]).problem is None


def test_symlink_out_of_srcdir_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    target = write(tmp_path / "secret.json", "{}")
    (src / "link.json").symlink_to(target)
    assert check_allowed(str(src / "link.json"), str(src)) is not None
    assert check_allowed(str(src / "link.json"), "") is None


def test_display_path(tmp_path: Path) -> None:
    assert display_path(str(tmp_path / "a" / "b.json"), str(tmp_path)) == "a/b.json"
    assert display_path("/elsewhere/b.json", str(tmp_path)) == "/elsewhere/b.json"


def billion_laughs(levels: str = "bcdefghij") -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in levels:
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
        previous = name
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    # Nine levels expand to 9**9 strings, three to 729: refused before expansion, the
    # work grows with the text (three times as long), not with what it would expand to.
    path = write(tmp_path / "bomb.yaml", billion_laughs())
    small = write(tmp_path / "small.yaml", billion_laughs("bcd"))
    FileCache().load(write(tmp_path / "warm.yaml", "a: 1\n"))  # imports PyYAML: not counted
    _, small_work = calls_made(FileCache().load, small)
    loaded, work = calls_made(FileCache().load, path)
    problem = loaded.problem
    assert problem is not None and problem.subtype == "source"
    assert "aliases" in problem.message
    assert work < 5 * small_work


def test_harmless_aliases_are_fine(tmp_path: Path) -> None:
    data = FileCache().load(write(tmp_path / "a.yaml", "x: &x {a: 1}\ny: *x\n")).data
    assert data == {"x": {"a": 1}, "y": {"a": 1}}


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    problem = FileCache().load(write(tmp_path / "r.yaml", "a: &a [1, *a]\n")).problem
    assert problem is not None and "contains it" in problem.message


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", "[" * 5000 + "]" * 5000),
        ("deep2.json", "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)),
        (
            "deep.yaml",
            "a:\n" + "".join("  " * i + "- \n" for i in range(1, 400)) + "  " * 400 + "x",
        ),
        ("deep2.yaml", "[" * 5000 + "]" * 5000),
        ("deep.toml", "a = " + "[" * 5000 + "]" * 5000),
    ],
)
def test_deep_nesting_is_a_problem(tmp_path: Path, name: str, text: str) -> None:
    problem = FileCache().load(write(tmp_path / name, text)).problem
    assert problem is not None and problem.subtype == "source"


def test_loaded_data_is_shared_not_copied(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps({"a": [1]}))
    cache = FileCache()
    assert cache.load(path).data is cache.load(path).data


def test_a_cache_folder_serves_the_next_cache(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", "a: 1\na: 2\nb: [x, y]\n")
    folder = str(tmp_path / "cache")
    first = FileCache(folder=folder, salt="1.0").load(path)
    cache = FileCache(folder=folder, salt="1.0")
    again = cache.load(path)
    assert (cache.parse_count, cache.hit_count) == ({}, {path: 1})
    assert again.data == first.data == {"a": 2, "b": ["x", "y"]}
    # The duplicate key is still reported when the data comes from the folder.
    assert again.warnings == first.warnings
    assert len(again.warnings) == 1
    # Another version of the extension, or another suffix, never reads this entry.
    other = FileCache(folder=folder, salt="1.1")
    other.load(path)
    assert other.parse_count == {path: 1}


def test_release_drops_only_what_the_folder_holds(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", '{"a": 1}')
    cache = FileCache(folder=str(tmp_path / "cache"))
    cache.load(path)
    cache.release()
    cache.load(path)
    assert (cache.parse_count, cache.hit_count) == ({path: 1}, {path: 1})
    # Without a folder nothing is dropped: it would only be parsed again.
    plain = FileCache()
    first = plain.load(path)
    plain.release()
    assert plain.load(path) is first


def test_prune_keeps_the_most_recently_used_entries(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    for age, name in enumerate(["new", "middle", "old"]):
        entry = folder / f"{name}.json"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, (time.time() - 100 * age, time.time() - 100 * age))
    (folder / ".tmp-left-behind").write_bytes(b"x")
    (folder / "unrelated.txt").write_bytes(b"x" * 1000)
    prune_folder(str(folder), max_bytes=250)
    assert sorted(p.name for p in folder.iterdir()) == [
        "middle.json",
        "new.json",
        "unrelated.txt",
    ]
