"""No regular expression of the package backtracks: each runs over 1 MB of adversarial text.

Every pattern the package writes (``re.compile``, ``re.sub``, ``re.search``... with a literal
pattern) is found in its source, and run with ``finditer`` over 1 MB made of repeats of short
pieces of its own characters (``"``a "`` for a literal pattern, ``"<td"`` for a tag): the
inputs on which a backtracking pattern tries every start and scans to the end from each. A
linear pattern reads the megabyte in milliseconds; a quadratic one never finishes, which the
subprocess's generous time limit turns into a failure instead of a hang.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "sphinxext_callbacks"
#: Modules being rewritten elsewhere, whose patterns are checked once that lands: the
#: jsonschema message parser of examples.py ("\((.*) (?:was|were) unexpected\)") and the
#: separator of json_schema.py ("\s+or\s+|\s*\|\s*|\s*,\s*") are quadratic when searched.
SKIPPED: tuple[str, ...] = ()
SIZE = 1_000_000
_FUNCTIONS = {
    "compile",
    "sub",
    "subn",
    "match",
    "fullmatch",
    "search",
    "split",
    "findall",
    "finditer",
}


def own_patterns() -> list[tuple[str, str, int]]:
    """``(where, pattern, flags)`` for every literal pattern of the package."""
    found: list[tuple[str, str, int]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).as_posix() in SKIPPED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in _FUNCTIONS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            flags = 0
            for argument in [*node.args[1:], *(k.value for k in node.keywords)]:
                if isinstance(argument, ast.Attribute) and argument.attr in ("MULTILINE", "M"):
                    flags |= re.MULTILINE
                if isinstance(argument, ast.Attribute) and argument.attr in ("IGNORECASE", "I"):
                    flags |= re.IGNORECASE
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            found.append((where, node.args[0].value, flags))
    return found


def pieces(pattern: str) -> list[str]:
    """Short texts whose repeats make *pattern* try many starts and scan far from each."""
    marks = sorted({c for c in pattern if c.isascii() and c.isprintable() and not c.isalnum()})
    words = sorted(set(re.findall(r"[A-Za-z]{2,}", pattern)))[:6]
    result = {"a", " ", "\n", "a ", "1", "\t"}
    for mark in marks:
        result |= {mark + "a ", mark * 2 + "a "}
        result |= {mark + word for word in words[:3]}
    result |= set(words)
    return sorted(result)


_RUNNER = """
import json, re, sys
size = int(sys.argv[1])
for where, pattern, flags, pieces in json.load(sys.stdin):
    compiled = re.compile(pattern, flags)
    for piece in pieces:
        text = (piece * (size // len(piece) + 1))[:size]
        compiled.subn("", text)  # every match, found as finditer finds them, in C
"""


def test_the_package_has_patterns_to_check() -> None:
    found = own_patterns()
    assert len(found) > 15
    assert any("facts.py" in where for where, _, _ in found)


def test_no_pattern_of_the_package_backtracks_on_a_megabyte() -> None:
    work = [(where, p, flags, pieces(p)) for where, p, flags in own_patterns()]
    for where, pattern, flags, texts in work:
        # One process per pattern: a pattern that does not finish is named.
        result = subprocess.run(
            [sys.executable, "-c", _RUNNER, str(SIZE)],
            input=json.dumps([[where, pattern, flags, texts]]),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, (where, pattern, result.stderr[-500:])


def test_the_runner_catches_a_quadratic_pattern() -> None:
    """The test above can fail: the old literal pattern of model/facts.py does not finish."""
    old = r"(?<!`)(?P<ticks>``?)(?!`)(?P<text>\S|\S.*?\S)(?<!`)(?P=ticks)(?!`)"
    assert "`a " in pieces(old)
    try:
        subprocess.run(
            [sys.executable, "-c", _RUNNER, str(SIZE)],
            input=json.dumps([["old", old, 0, ["`a "]]]),
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return
    raise AssertionError("a quadratic pattern finished on a megabyte")
