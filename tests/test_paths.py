"""Keys are paths of segments: a name that holds a dot is one key, beside a nested object.

Payment specs have ``acsRenderingType.acsInterface`` beside real nested objects. Read as a
dotted string, both would render as the same row with the same id, ``:exclude:`` of the
parent would remove both, and the generated example would nest the literal name into a new
object.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from sphinxext_callbacks.model.fields import Field, select_fields
from sphinxext_callbacks.model.paths import (
    ITEMS,
    PathError,
    anchor_text,
    depth,
    format_path,
    parse_path,
    pieces,
    split_keys,
)

from .helpers import WARNING_TYPES, build_project, copy_root, rows, tables, warnings_of

#: Adyen's standard webhooks (MIT): ``additionalData`` has 200 names with dots in them.
ADYEN = Path(__file__).parent / "vendor" / "adyen" / "Webhooks-v1.json"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("id",), "id"),
        (("data", "items", ITEMS, "id"), "data.items[].id"),
        ((ITEMS, "a"), "[].a"),
        (("matrix", ITEMS, ITEMS), "matrix[][]"),
        (
            ("additionalData", "acsRenderingType.acsInterface"),
            'additionalData."acsRenderingType.acsInterface"',
        ),
        (("a", 'say "hi"'), 'a.say "hi"'),
        (("a", '"quoted'), 'a."\\"quoted"'),
        (("a", "tags[]"), 'a."tags[]"'),
        (("a", " padded "), 'a." padded "'),
        (("a", ""), 'a.""'),
        (("metadata", "{key}"), "metadata.{key}"),
    ],
)
def test_a_path_is_written_and_read_back(path: tuple[str, ...], text: str) -> None:
    assert format_path(path) == text
    assert parse_path(text) == path


_SEGMENTS = st.text(alphabet='ab."[] \\{}', min_size=0, max_size=6).filter(lambda s: s != ITEMS)


@given(st.lists(_SEGMENTS, min_size=1, max_size=4).map(tuple))
def test_every_path_reads_back_as_itself(path: tuple[str, ...]) -> None:
    assert parse_path(format_path(path)) == path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an empty key"),
        ("a..b", "empty part"),
        ("a.", "ends with a dot"),
        ('a."b', "not closed"),
        ('"a"b', "expected a dot"),
        ("a[]b", "expected a dot"),
    ],
)
def test_text_that_is_no_path_says_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(PathError, match=message):
        parse_path(text)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("a", "b", ITEMS, "c"), ["a.", "b[].", "c"]),
        (("matrix", ITEMS, ITEMS), ["matrix[]", "[]"]),
        ((ITEMS, "a"), ["[].", "a"]),
        (("additionalData", "acs.x"), ["additionalData.", '"acs.x"']),
    ],
)
def test_a_key_breaks_between_its_pieces_never_inside_quotes(
    path: tuple[str, ...], expected: list[str]
) -> None:
    assert pieces(path) == expected
    assert "".join(expected) == format_path(path)


def test_commas_inside_quotes_belong_to_the_name() -> None:
    assert split_keys('a, b."c,d" , e') == ["a", 'b."c,d"', "e"]


def test_depth_and_anchor_tell_a_literal_dot_from_nesting() -> None:
    assert depth(("a", "b")) == 1
    assert depth(("a.b",)) == 0
    assert depth(("a", ITEMS, "b")) == 1
    assert anchor_text(("a", "b")) != anchor_text(("a.b",))


def test_excluding_a_parent_keeps_a_literal_name_that_starts_like_it() -> None:
    fields = [Field(("a",)), Field(("a", "b")), Field(("a.b",)), Field(("a", ITEMS, "c"))]
    kept = select_fields(fields, exclude=(("a",),))
    assert [f.key for f in kept] == ['"a.b"']
    kept = select_fields(fields, include=(("a.b",),))
    assert [f.key for f in kept] == ['"a.b"']


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from sphinx.testing.util import SphinxTestApp

    srcdir = copy_root("paths", tmp_path_factory.mktemp("paths") / "src")
    shutil.copy(ADYEN, srcdir)
    (srcdir / "adyen.rst").write_text(
        ":orphan:\n\nAdyen\n=====\n\n"
        ".. callback-table:: authorisation\n   :source: Webhooks-v1.json\n"
        "   :webhook: /AUTHORISATION\n\n.. callback-example:: authorisation\n",
        encoding="utf-8",
    )
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides=WARNING_TYPES)
    app.build()
    yield app
    app.cleanup()


def _soup(app) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    return BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_a_literal_dotted_name_beside_a_nested_object_gives_four_rows(app) -> None:  # type: ignore[no-untyped-def]
    table = tables(app.outdir / "index.html")[0]
    assert [row[0] for row in rows(table)] == [
        "additionalData",
        'additionalData."a.b"',
        "additionalData.a",
        "additionalData.a.b",
    ]
    ids = [row["id"] for row in table.select("tbody > tr")]
    assert len(set(ids)) == 4
    assert ids[1] == "callback-payment-additionaldata-a-dot-b"
    assert ids[3] == "callback-payment-additionaldata-a-b"
    # The quieter parent path and the last segment: a quoted name is one segment.
    names = [row.select_one("th code").get_text("|") for row in table.select("tbody tr")]
    assert names == [
        "additionalData",
        'additionalData.|"a.b"',
        "additionalData.|a",
        "additionalData.|a.|b",
    ]


def test_exclude_and_include_tell_the_literal_name_from_the_parent(app) -> None:  # type: ignore[no-untyped-def]
    excluded, included = tables(app.outdir / "index.html")[1:3]
    assert [row[0] for row in rows(excluded)] == ["additionalData", 'additionalData."a.b"']
    assert [row[0] for row in rows(included)] == ['additionalData."a.b"']


def test_the_example_nests_only_the_real_object(app) -> None:  # type: ignore[no-untyped-def]
    blocks = _soup(app).select("div.highlight-json pre")
    generated = json.loads(blocks[0].get_text())
    assert generated == {"additionalData": {"a.b": "literal", "a": {"b": "nested"}}}
    inline = json.loads(blocks[-1].get_text())
    assert set(inline["order"]) == {"shop.id", "shop"}
    assert set(inline["order"]["shop"]) == {"id"}


def test_checks_tell_the_literal_name_from_the_nested_one(app) -> None:  # type: ignore[no-untyped-def]
    warnings = [w for w in warnings_of(app) if "callbacks.example" in w and "index.rst" in w]
    # The second hand-written payload swaps the two values: one warning for each.
    assert len(warnings) == 2, warnings
    assert any('additionalData."a.b"' in w and "'nested'" in w.replace('"', "'") for w in warnings)
    assert any("additionalData.a.b" in w and "literal" in w for w in warnings)


def test_field_references_land_on_their_own_rows(app) -> None:  # type: ignore[no-untyped-def]
    links = {
        a.get_text(): a["href"]
        for a in _soup(app).select("a.reference.internal")
        if "a.b" in a.get_text() or a.get_text().endswith("a.b")
    }
    assert links == {
        'additionalData."a.b"': "#callback-payment-additionaldata-a-dot-b",
        "additionalData.a.b": "#callback-payment-additionaldata-a-b",
    }


def test_the_build_has_no_other_warnings(app) -> None:  # type: ignore[no-untyped-def]
    assert [w for w in warnings_of(app) if "callbacks.example" not in w] == []


def test_a_real_payment_spec_keeps_its_dotted_names(app) -> None:  # type: ignore[no-untyped-def]
    html = app.outdir / "adyen.html"
    (table,) = tables(html)
    keys = [row[0] for row in rows(table)]
    additional = "notificationItems[].NotificationRequestItem.additionalData."
    assert f'{additional}"acsRenderingType.acsInterface"' in keys
    assert f'{additional}"billingAddress.city"' in keys
    ids = [row["id"] for row in table.select("tbody > tr")]
    assert len(ids) == len(set(ids))
    assert any(i.endswith("-additionaldata-acsrenderingtype-dot-acsinterface") for i in ids)
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    (example,) = [json.loads(pre.get_text()) for pre in soup.select("div.highlight-json pre")]
    item = example["notificationItems"][0]["NotificationRequestItem"]
    assert "acsRenderingType" not in item["additionalData"]  # the spec's own example


def _adyen_webhooks() -> list[str]:
    return list(json.loads(ADYEN.read_text(encoding="utf-8"))["webhooks"])


@pytest.mark.parametrize("webhook", _adyen_webhooks())
def test_adyen_examples_and_made_examples_agree_with_jsonschema(webhook: str) -> None:
    from jsonschema import Draft202012Validator

    from sphinxext_callbacks.model.examples import check_example, make_example
    from sphinxext_callbacks.readers.files import FileCache
    from sphinxext_callbacks.readers.sources import SourceRequest, read_source

    request = SourceRequest(str(ADYEN), webhook=webhook, srcdir=str(ADYEN.parent))
    result = read_source(request, FileCache())
    assert result.problems == [] and result.callback is not None
    schema = result.callback.schema
    assert schema is not None
    validator = Draft202012Validator(schema)
    for payload in [make_example(schema), *(e.value for e in result.callback.examples)]:
        assert (check_example(json.dumps(payload), schema) == []) is validator.is_valid(payload)
    keys = [field.key for field in result.callback.fields]
    assert len(keys) == len(set(keys))


def _fragment_tables(app):  # type: ignore[no-untyped-def]
    page = app.outdir / "fragments.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    examples = [pre.get_text() for pre in soup.select("div.highlight-json pre")]
    return tables(page), examples


def test_a_map_of_objects_has_a_key_row_and_accepts_any_key(app) -> None:  # type: ignore[no-untyped-def]
    (results, _heartbeat), examples = _fragment_tables(app)
    assert [
        (row["id"], cells[0])
        for row, cells in zip(results.select("tbody > tr"), rows(results), strict=True)
    ] == [
        ("callback-results-batch", "batch"),
        ("callback-results-results", "results"),
        ("callback-results-results-key", "results.{key}"),
        ("callback-results-results-key-status", "results.{key}.status"),
        ("callback-results-results-key-attempts", "results.{key}.attempts"),
    ]
    made = json.loads(examples[0])
    (value,) = made["results"].values()
    assert value["status"] == "delivered"
    warnings = [w for w in warnings_of(app) if "fragments.rst" in w]
    # m-1 is any key of the map, and valid; m-2's status is not one of the enum.
    assert len([w for w in warnings if "m-2" in w and '"lost"' in w]) == 1
    assert not any("m-1" in w for w in warnings)


def test_a_string_body_is_one_row(app) -> None:  # type: ignore[no-untyped-def]
    (_results, heartbeat), examples = _fragment_tables(app)
    assert rows(heartbeat) == [
        ["(body)", "Sent every minute to check that the endpoint is up.", "ping"]
    ]
    assert heartbeat.select("tbody > tr")[0]["id"] == "callback-heartbeat-body"
    assert json.loads(examples[2]) == "ping"
    assert any('"pong", not one of "ping"' in w for w in warnings_of(app))


def test_keys_that_are_no_paths_are_located_warnings(tmp_path: Path) -> None:
    index = (
        "T\n=\n\n.. callback-table::\n"
        '   :exclude: additionalData."acsRenderingType.acsInterface\n\n'
        "   additionalData..cardBin : ``411111``\n      The first digits\n"
        "   id\n      Kept\n"
    )
    app = build_project(tmp_path, {"index.rst": index})
    warnings = [w for w in warnings_of(app) if "index.rst" in w]
    assert [w.split(": ", 1)[1] for w in warnings] == [
        "WARNING: bad :exclude: key: key 'additionalData.\"acsRenderingType.acsInterface' "
        "has a quote that is not closed [callbacks.option]",
        "WARNING: key 'additionalData..cardBin' has an empty part; remove the extra dot "
        "[callbacks.field]",
    ]
    assert [w.split(": ", 1)[0].rsplit(":", 1)[1] for w in warnings] == ["4", "7"]
    assert [row[0] for row in rows(tables(app.outdir / "index.html")[0])] == ["id"]


def test_a_key_that_makes_no_id_does_not_take_the_tables(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {'"': {"type": "string"}, "id": {}}}
    index = "T\n=\n\n.. callback-table:: odd\n   :source: s.json\n\n:callback:ref:`odd`\n"
    app = build_project(tmp_path, {"s.json": json.dumps(schema), "index.rst": index})
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("table.callbacks-table")["id"] == "callback-odd"
    assert [row["id"] for row in soup.select("tbody > tr")] == ["callback-odd-2", "callback-odd-id"]
    assert soup.select_one("a.reference.internal")["href"] == "#callback-odd"
