"""Time the hostile inputs that the tests check by counting work, not by a clock.

The tests (``tests/test_positions.py``, ``test_files.py``, ``test_sources.py``,
``test_bounded_input.py``) compare the function calls two inputs cost, which is the same on
any machine; work inside one C call (a regular expression, ``str.count``) escapes that count,
so its cost is measured here, on this machine, as the median of a few runs::

    python bench/hostile.py            # five runs of each case
    python bench/hostile.py --repeat 9

Standard library and the installed package only. Each case prints its median in seconds; a
case that grows from one release to the next, or with the size of its input faster than the
input, is a regression to look at.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sphinxext_callbacks.model.examples import make_example
from sphinxext_callbacks.model.fields import Field
from sphinxext_callbacks.model.json_schema import fields_schema
from sphinxext_callbacks.model.positions import json_positions, yaml_positions
from sphinxext_callbacks.readers.files import FileCache
from sphinxext_callbacks.readers.sources import SourceRequest, read_source


def _laughs(levels: int) -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, levels + 1):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 9)}]")
    return "\n".join(lines) + "\n"


def cases(work: Path) -> dict[str, Callable[[], object]]:
    """Each hostile input, as a function that reads it once."""
    bomb = work / "bomb.yaml"
    bomb.write_text(_laughs(9), encoding="utf-8")
    payload = json.dumps(
        [{"id": i, "name": f"n{i}", "tags": ["a", "b"]} for i in range(25_000)], indent=2
    )
    huge_key = work / "huge-key.json"
    huge_key.write_text(
        json.dumps({"properties": {"k" * 100_000: {"$ref": "#/nowhere"}}}), encoding="utf-8"
    )
    fields = [Field(path=(f"group{i % 60}", f"key{i}")) for i in range(3000)]
    schema = fields_schema(fields)
    return {
        "YAML alias bomb, loaded": lambda: FileCache().load(str(bomb)),
        "YAML alias bomb, positions": lambda: yaml_positions(_laughs(9)),
        "YAML alias bomb, read_source": lambda: read_source(SourceRequest(str(bomb)), FileCache()),
        "1 MB JSON payload, positions": lambda: json_positions(payload),
        "100 KB key in a problem, located": lambda: read_source(
            SourceRequest(str(huge_key), srcdir=str(work)), FileCache()
        ),
        "example of 3,000 fields": lambda: make_example(schema),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each case (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print("| case | median (s) |\n|---|---:|")
        for name, run in cases(Path(folder)).items():
            run()  # imports and caches warm
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                run()
                times.append(time.perf_counter() - started)
            print(f"| {name} | {statistics.median(times):.3f} |")


if __name__ == "__main__":
    main()
