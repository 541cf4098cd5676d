"""Every webhook, callback and message of the real specs: no row missing, every example valid.

The specs are the docs' examples (``docs/examples``) and excerpts of GitHub's webhook specs
(``tests/specs``, see its README). For each callback, a page holds its ``callback-table`` and
its ``callback-example``; the whole project is built once. A plain walk of the callback's
schema (:class:`~tests.schemabuild.Walker`) says which keys the table must have, and
``jsonschema`` judges each example the page shows: one the extension made must be valid; one
the spec gives must be valid or warned about.

With ``CALLBACKS_BENCH_DATA`` naming a copy of the benchmark data (the folder with
``github-openapi-webhooks/`` and ``octokit-webhooks/``), the whole of GitHub's specs is tested
too (some 260 webhooks and 220 events: minutes, not seconds).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import pytest
import referencing
import yaml

from .helpers import EXAMPLES
from .schemabuild import (
    Built,
    Walker,
    build,
    errors_of,
    key_text,
    openapi30_as_json_schema,
    registry_of,
    validator_for,
)

SPECS = Path(__file__).parent.resolve() / "specs"

DRAFT_4 = "http://json-schema.org/draft-04/schema#"
DRAFT_7 = "http://json-schema.org/draft-07/schema#"
DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema"

#: Where each folder of specs is copied in the project, and where it is read from.
FOLDERS: dict[str, Path] = {"examples": EXAMPLES, "specs": SPECS}
_BENCH = os.environ.get("CALLBACKS_BENCH_DATA")
if _BENCH:
    FOLDERS["bench"] = Path(_BENCH)

JSON_MEDIA = "application/json"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Case:
    """One callback: how a page asks for it, and where its schema is."""

    id: str
    source: str
    options: tuple[str, ...]
    #: The schema's URI (file and pointer) in the project.
    schema_uri: str
    dialect: str
    #: The examples the spec gives for it (the extension shows them instead of making one).
    examples: tuple[str, ...] = ()

    @property
    def docname(self) -> str:
        return "case-" + "".join(c if c.isalnum() else "-" for c in self.id)

    def page(self) -> str:
        options = "".join(f"   {option}\n" for option in self.options)
        directive = f"   :source: {self.source}\n{options}"
        return f".. callback-table::\n{directive}\n.. callback-example::\n{directive}\n"


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


class Specs:
    """Every spec file of the project, by URI, and the callbacks found in them."""

    def __init__(self, folders: dict[str, Path]) -> None:
        self.documents: dict[str, Any] = {}
        self.dialects: dict[str, str] = {}
        self.cases: list[Case] = []
        for name, folder in folders.items():
            for path in sorted(folder.rglob("*")):
                if path.suffix not in (".json", ".yaml", ".yml"):
                    continue
                relative = f"{name}/{path.relative_to(folder).as_posix()}"
                try:
                    document = _load(path)
                except (ValueError, yaml.YAMLError):
                    continue
                uri = f"file:///{relative}"
                self.documents[uri] = document
                self.dialects[uri] = _dialect(document)
        for uri, document in list(self.documents.items()):
            self.cases.extend(self._cases(uri, document))

    def lookup(self, uri: str) -> tuple[str, Any]:
        """The object at *uri* (file and pointer), following ``$ref``\\ s of non-schema objects
        (path items, request bodies, callbacks, messages), with the URI it is really at."""
        while True:
            file, fragment = urldefrag(uri)
            node = self.documents[file]
            for segment in fragment.split("/")[1:] if fragment else []:
                segment = segment.replace("~1", "/").replace("~0", "~")
                node = node[int(segment)] if isinstance(node, list) else node[segment]
            if isinstance(node, dict) and isinstance(node.get("$ref"), str):
                uri = urljoin(file, node["$ref"])
                if "#" not in uri:
                    uri += "#"
                continue
            return uri, node

    def _cases(self, uri: str, document: Any) -> Iterator[Case]:
        source = uri.removeprefix("file:///")
        if not isinstance(document, dict):
            return
        if "openapi" in document or "swagger" in document or _is_path_item(document):
            yield from self._openapi(uri, source, document)
        elif "asyncapi" in document:
            messages = (document.get("components") or {}).get("messages") or {}
            for name in messages:
                message_uri, message = self.lookup(f"{uri}#/components/messages/{_escape(name)}")
                if "payload" in message:
                    yield Case(
                        f"{source}:{name}",
                        source,
                        (f":message: {name}",),
                        f"{message_uri}/payload",
                        DRAFT_7,
                        _examples(message.get("examples"), "payload"),
                    )
        elif "/octokit-webhooks/" in uri and "/common/" not in uri and "$id" in document:
            # Its $refs are by $id (common/user.schema.json), not by the file's place.
            yield Case(source, source, (), document["$id"], DRAFT_7)

    def _openapi(self, uri: str, source: str, document: dict[str, Any]) -> Iterator[Case]:
        dialect = self.dialects[uri]
        webhooks_key = "webhooks" if "webhooks" in document else "x-webhooks"
        for name in document.get(webhooks_key) or {}:
            base = f"{uri}#/{webhooks_key}/{_escape(name)}"
            for method, body_uri, examples in self._bodies(base):
                yield Case(
                    f"{source}:{name}:{method}",
                    source,
                    (f":webhook: {name}",),
                    body_uri,
                    dialect,
                    examples,
                )
        if "paths" in document:
            items = [f"{uri}#/paths/{_escape(path)}" for path in document["paths"] or {}]
        elif _is_path_item(document):
            items = [uri + "#"]
        else:
            items = []
        for item in items:
            item_uri, path_item = self.lookup(item)
            if urldefrag(item_uri).url != uri:
                continue  # a Path Item in a file of its own is a spec of its own too
            for method in METHODS:
                operation = path_item.get(method)
                if not isinstance(operation, dict):
                    continue
                for name in operation.get("callbacks") or {}:
                    callback_uri = f"{item_uri}/{method}/callbacks/{_escape(name)}"
                    callback_uri, callback = self.lookup(callback_uri)
                    for expression in callback:
                        expression_uri = f"{callback_uri}/{_escape(expression)}"
                        for cb_method, body_uri, examples in self._bodies(expression_uri):
                            pick = " ".join(filter(None, (operation.get("operationId"), name)))
                            yield Case(
                                f"{source}:{name}:{expression}:{cb_method}",
                                source,
                                (f":callback: {pick}",),
                                body_uri,
                                self.dialects[urldefrag(body_uri).url],
                                examples,
                            )

        for name in (document.get("components") or {}).get("callbacks") or {}:
            callback_uri, callback = self.lookup(f"{uri}#/components/callbacks/{_escape(name)}")
            for expression in callback:
                expression_uri = f"{callback_uri}/{_escape(expression)}"
                for cb_method, body_uri, examples in self._bodies(expression_uri):
                    yield Case(
                        f"{source}:{name}:{cb_method}",
                        source,
                        (f":callback: {name}",),
                        body_uri,
                        dialect,
                        examples,
                    )

    def _bodies(self, item: str) -> Iterator[tuple[str, str, tuple[str, ...]]]:
        item_uri, path_item = self.lookup(item)
        for method in METHODS:
            if not isinstance(path_item.get(method), dict):
                continue
            if "requestBody" not in path_item[method]:
                continue
            body_uri, request_body = self.lookup(f"{item_uri}/{method}/requestBody")
            content = request_body.get("content") or {}
            media = JSON_MEDIA if JSON_MEDIA in content else None
            media = media or next((m for m in content if m.endswith("+json")), None)
            if media is None or "schema" not in content[media]:
                continue
            media_object = content[media]
            examples = _examples(media_object.get("examples"), "value")
            if "example" in media_object:
                examples = (json.dumps(media_object["example"]), *examples)
            resolved = tuple(
                json.dumps(self._resolve_example(body_uri, example)) for example in examples
            )
            yield method, f"{body_uri}/content/{_escape(media)}/schema", resolved

    def _resolve_example(self, base: str, text: str) -> Any:
        example = json.loads(text)
        if isinstance(example, dict) and isinstance(example.get("$ref"), str):
            _, target = self.lookup(urljoin(base, example["$ref"]))
            return target.get("value", target)
        return example


def _examples(examples: Any, key: str) -> tuple[str, ...]:
    if isinstance(examples, dict):
        examples = list(examples.values())
    if not isinstance(examples, list):
        return ()
    found = []
    for example in examples:
        if isinstance(example, dict) and "$ref" in example:
            found.append(json.dumps(example))
        elif isinstance(example, dict) and key in example:
            found.append(json.dumps(example[key]))
    return tuple(found)


def _is_path_item(document: dict[str, Any]) -> bool:
    return any(isinstance(document.get(method), dict) for method in METHODS)


def _dialect(document: Any) -> str:
    if not isinstance(document, dict):
        return DRAFT_2020
    version = str(document.get("openapi", ""))
    if version.startswith("3.0") or "swagger" in document:
        return DRAFT_4
    if version.startswith("3.1"):
        return DRAFT_2020
    if "asyncapi" in document:
        return DRAFT_7
    schema = document.get("$schema")
    if isinstance(schema, str) and "draft-07" in schema:
        return DRAFT_7
    if isinstance(schema, str) and "draft-04" in schema:
        return DRAFT_4
    if "openapi" not in document and _is_path_item(document):
        # An OpenAPI fragment of its own (a Path Item file): Notify's are OpenAPI 3.0.
        return DRAFT_4
    return DRAFT_2020


SPEC_SET = Specs(FOLDERS)

#: What the walk of the files does not find: a schema in a document with no callbacks, and a
#: callback reached from the root of a multi-file spec, through a Path Item ``$ref``.
EXTRA = [
    Case(
        "examples/stripe/event.excerpt.oas30.json#/components/schemas/event",
        "examples/stripe/event.excerpt.oas30.json#/components/schemas/event",
        (),
        "file:///examples/stripe/event.excerpt.oas30.json#/components/schemas/event",
        DRAFT_4,
    ),
    Case(
        "examples/notify-published/publicapi_spec.json:returnedLetter",
        "examples/notify-published/publicapi_spec.json",
        (":callback: sendLetter returnedLetter",),
        "file:///examples/notify-published/POST_notification_letter.json#/post/callbacks/"
        "returnedLetter/{$callback_url}/post/requestBody/content/application~1json/schema",
        DRAFT_4,
    ),
]
# Shorter test ids: pytest numbers the ids it finds too long.
CASES = {
    case.id.replace("payload-schemas/api.github.com/", ""): case
    for case in [*SPEC_SET.cases, *EXTRA]
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    srcdir = tmp_path_factory.mktemp("specs")
    for name, folder in FOLDERS.items():
        shutil.copytree(folder, srcdir / name)
    pages = {case.docname: case.page() for case in CASES.values()}
    return build(srcdir, pages)


def _walker() -> Walker:
    return Walker(registry_of(SPEC_SET.documents, DRAFT_2020))


def _validator(case: Case) -> Any:
    documents = {
        uri: openapi30_as_json_schema(document) if SPEC_SET.dialects[uri] == DRAFT_4 else document
        for uri, document in SPEC_SET.documents.items()
    }
    registry: referencing.Registry[Any] = registry_of(documents, case.dialect)
    return validator_for({"$ref": case.schema_uri}, registry, case.dialect)


def test_the_specs_give_cases() -> None:
    sources = {case.source.split("/")[1] for case in CASES.values()}
    assert {"asyncapi", "openapi", "notify", "notify-published", "stripe", "adyen"} <= sources
    assert "github-openapi-webhooks" in sources and "octokit-webhooks" in sources
    assert len(CASES) >= 40


@pytest.mark.parametrize("case_id", list(CASES))
def test_every_property_has_a_row(built: Built, case_id: str) -> None:
    case = CASES[case_id]
    file, fragment = urldefrag(case.schema_uri)
    expected = [key_text(path) for path in _walker().keys({"$ref": case.schema_uri})]
    page = built[case.docname]
    if not expected:
        return  # an empty schema ({}): nothing a table must show
    assert page.tables, page.warnings
    shown = set(page.tables[0].keys)
    missing = [key for key in expected if key not in shown]
    assert missing == [], (
        f"{len(missing)} of {len(expected)} keys have no row: {missing[:20]}",
        file,
        fragment,
    )


@pytest.mark.parametrize("case_id", list(CASES))
def test_every_example_shown_validates(built: Built, case_id: str) -> None:
    case = CASES[case_id]
    page = built[case.docname]
    validator = _validator(case)
    given = [json.loads(example) for example in case.examples]
    example_warnings = [w for w in page.warnings if "[callbacks.example]" in w]
    # When no valid example can be made, none is shown, and a warning says why (an empty
    # schema, {}, has no table either: that warning is enough).
    assert page.examples or page.warnings
    for text in page.examples:
        example = json.loads(text)
        errors = errors_of(validator, example)
        if example in given:
            # The spec's own example: if it is wrong, the page must say so.
            assert not errors or example_warnings, errors
        else:
            assert errors == [], (errors[:5], text[:2000])
