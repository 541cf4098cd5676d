"""``callback-catalogue`` and the pages it writes: GitHub's, Adyen's, Notify's and AsyncAPI's
callbacks, filters and groups, generated pages written only on change and never in the way
of a file the extension did not write, odd names, incremental and parallel builds."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinxext_callbacks.sphinx_ext.catalogue_pages import MARKER, file_name

from .helpers import (
    BUILDERS,
    EXAMPLES,
    ROOTS,
    WARNING_TYPES,
    copy_root,
    plain_output,
    warnings_of,
)

GITHUB = ROOTS / "test-catalogue" / "specs" / "github-webhooks.json"
ADYEN = Path(__file__).parent / "vendor" / "adyen" / "Webhooks-v1.json"


def build(
    srcdir: Path, parallel: int = 1, freshenv: bool = False, **overrides: Any
) -> SphinxTestApp:
    app = SphinxTestApp(
        "html",
        srcdir=srcdir,
        freshenv=freshenv,
        parallel=parallel,
        confoverrides={**WARNING_TYPES, **overrides},
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def project(srcdir: Path, index: str, specs: dict[str, Path] | None = None) -> Path:
    """A project whose index holds *index*, with each spec copied to ``specs/NAME``."""
    (srcdir / "specs").mkdir(parents=True, exist_ok=True)
    for name, spec in (specs or {}).items():
        if spec.is_dir():
            shutil.copytree(spec, srcdir / "specs" / name)
        else:
            shutil.copy(spec, srcdir / "specs" / name)
    (srcdir / "conf.py").write_text(
        "extensions = ['sphinxext_callbacks']\nexclude_patterns = ['_build', 'specs']\n",
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text(f"Callbacks\n=========\n\n{index}\n", encoding="utf-8")
    return srcdir


def overview(app: SphinxTestApp, page: str = "index") -> list[tuple[str, list[str]]]:
    """Each overview table of *page*: its caption and the names of its rows."""
    soup = BeautifulSoup((app.outdir / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    found = []
    for table in soup.select("table.callbacks-catalogue"):
        caption = table.find("caption")
        names = [row.find("td").get_text(strip=True) for row in table.select("tbody > tr")]
        text = caption.select_one(".caption-text") if caption else None
        found.append((text.get_text(strip=True) if text else "", names))
    return found


def generated(srcdir: Path, folder: str = "webhooks") -> list[str]:
    return sorted(path.stem for path in (srcdir / folder).glob("*.rst"))


# -- GitHub's webhooks (an excerpt) --------------------------------------------------------------


def test_github_catalogue_writes_a_page_per_webhook(tmp_path: Path) -> None:
    srcdir = copy_root("catalogue", tmp_path / "src")
    app = build(srcdir)
    assert warnings_of(app) == []
    webhooks = sorted(json.loads(GITHUB.read_text(encoding="utf-8"))["webhooks"])
    assert generated(srcdir) == webhooks
    # One table per x-github subcategory, by name (none is in the spec's tags).
    assert overview(app) == [
        ("deploy_key", ["deploy-key-created", "deploy-key-deleted"]),
        ("label", ["label-created", "label-deleted"]),
        ("star", ["star-created", "star-deleted"]),
    ]
    # Each row links to its page, which Sphinx built.
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("table.callbacks-catalogue td:first-child a")]
    assert links == [f"webhooks/{name}.html" for name in webhooks]
    page = (srcdir / "webhooks" / "label-created.rst").read_text(encoding="utf-8")
    assert page.startswith(MARKER + "index.rst;")
    # No text of the spec in the page: its name (escaped) and where to read it.
    assert "This event occurs" not in page
    assert ":webhook: label-created" in page
    html = (app.outdir / "webhooks" / "label-created.html").read_text(encoding="utf-8")
    assert "A label was created." in html
    assert "Return a 200 status" in html


def test_github_indexes_hold_one_entry_per_webhook(tmp_path: Path) -> None:
    srcdir = copy_root("catalogue", tmp_path / "src")
    app = build(srcdir)
    index = (app.outdir / "genindex.html").read_text(encoding="utf-8")
    assert index.count("(callback)") == 6
    assert "field of callback" not in index
    from .test_search import search_objects

    found = search_objects(app.outdir)
    assert sorted(result.title for result in found) == generated(srcdir)
    from .test_domain import inventory

    names = {name for name, *_ in inventory(app.outdir / "objects.inv")}
    assert "label-created" in names
    assert "label-created.label.name" in names  # fields are still in objects.inv


def test_include_and_exclude_take_globs(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/github.json\n   :include: label-*, star-*\n"
        "   :exclude: *-deleted\n",
        {"github.json": GITHUB},
    )
    app = build(srcdir)
    # Without :toctree:, the rows link to tables of the same name: there are none here.
    rows = overview(app)
    assert rows == [("", ["label-created", "star-created"])]
    assert not (srcdir / "webhooks").exists()


def test_a_pattern_that_matches_nothing_is_reported(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/github.json\n   :exclude: issue-*\n",
        {"github.json": GITHUB},
    )
    app = build(srcdir)
    assert any(
        ":exclude: 'issue-*' matches no callback" in line and "[callbacks.option]" in line
        for line in warnings_of(app)
    ), warnings_of(app)


# -- other specs ---------------------------------------------------------------------------------


def test_adyen_webhooks_have_safe_file_names_and_tag_groups(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/adyen.json\n   :toctree: hooks\n"
        "   :include: /AUTHORISATION*, /CHARGEBACK, /REPORT_AVAILABLE\n",
        {"adyen.json": ADYEN},
    )
    app = build(srcdir)
    assert warnings_of(app) == []
    # Adyen names its webhooks /AUTHORISATION: not a file name.
    pages = generated(srcdir, "hooks")
    assert len(pages) == 4
    assert file_name("/AUTHORISATION") in pages
    assert all(page.startswith("AUTHORISATION") or "-" in page for page in pages)
    # Groups in the order of the spec's tags.
    tags = [tag["name"] for tag in json.loads(ADYEN.read_text(encoding="utf-8"))["tags"]]
    shown = [caption for caption, _ in overview(app)]
    assert shown == sorted(shown, key=tags.index)
    html = (app.outdir / "hooks" / f"{file_name('/AUTHORISATION')}.html").read_text(
        encoding="utf-8"
    )
    assert "<h1>/AUTHORISATION" in html


def test_adyen_catalogue_lists_every_webhook(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/adyen.json\n",
        {"adyen.json": ADYEN},
    )
    app = build(srcdir)
    webhooks = json.loads(ADYEN.read_text(encoding="utf-8"))["webhooks"]
    assert sum(len(names) for _, names in overview(app)) == len(webhooks)


def test_notify_callbacks_of_operations(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/notify/publicapi_spec.json\n"
        "   :toctree: callbacks\n",
        {"notify": EXAMPLES / "notify-published"},
    )
    app = build(srcdir)
    assert warnings_of(app) == []
    assert generated(srcdir, "callbacks") == ["onEmailSend", "onSmsSend", "returnedLetter"]
    assert overview(app) == [("Send a message", ["onEmailSend", "onSmsSend", "returnedLetter"])]
    html = (app.outdir / "callbacks" / "onSmsSend.html").read_text(encoding="utf-8")
    line = BeautifulSoup(html, "html.parser").select_one(".callbacks-request-line")
    assert line is not None
    assert line.get_text() == "POST {$callback_url}"


@pytest.mark.parametrize(
    ("spec", "messages"),
    [
        ("simple.asyncapi26.yml", ["UserSignedUp"]),
        ("simple.asyncapi31.yml", ["UserSignedUp"]),
        ("oneof.asyncapi26.yml", None),
    ],
)
def test_asyncapi_messages(tmp_path: Path, spec: str, messages: list[str] | None) -> None:
    srcdir = project(
        tmp_path / "src",
        f".. callback-catalogue::\n   :source: specs/{spec}\n   :toctree: messages\n",
        {spec: EXAMPLES / "asyncapi" / spec},
    )
    app = build(srcdir)
    # A made example of the oneOf payload matches both of its alternatives: the example
    # maker's to fix, and said as callback-example says it on its own.
    assert [w for w in warnings_of(app) if "[callbacks.example]" not in w] == []
    pages = generated(srcdir, "messages")
    shown = [name for _, names in overview(app) for name in names]
    assert len(pages) == len(shown) >= 1
    if messages is not None:
        assert shown == messages
    else:
        assert len(shown) == 5  # two messages of a oneOf, and the other channel's
    for page in pages:
        html = (app.outdir / "messages" / f"{page}.html").read_text(encoding="utf-8")
        assert "callbacks-table" in html


def test_a_file_without_callbacks_says_so(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/none.yaml\n   :toctree: x\n",
    )
    (srcdir / "specs" / "none.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", encoding="utf-8"
    )
    app = build(srcdir)
    assert any(
        "index.rst:4" in line
        and "specs/none.yaml holds no callbacks: the OpenAPI document has no webhooks" in line
        for line in warnings_of(app)
    ), warnings_of(app)


TWO_CALLBACKS = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      responses: {'200': {description: ok}}
      callbacks:
        onEvent: &callback
          '{$request.body#/url}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {id: {type: string}}}
              responses: {'200': {description: ok}}
  /b:
    post:
      responses: {'200': {description: ok}}
      callbacks:
        onEvent: *callback
  /c:
    post:
      operationId: third
      responses: {'200': {description: ok}}
      callbacks:
        onOther: *callback
"""


def test_two_callbacks_with_one_name_is_a_located_warning(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/two.yaml\n   :toctree: cb\n",
    )
    (srcdir / "specs" / "two.yaml").write_text(TWO_CALLBACKS, encoding="utf-8")
    app = build(srcdir)
    warnings = warnings_of(app)
    assert any(
        "index.rst:4" in line
        and "two callbacks are named 'onEvent'" in line
        and "[callbacks.schema]" in line
        for line in warnings
    ), warnings
    assert generated(srcdir, "cb") == ["onEvent", "onOther"]


def test_unsafe_names_get_safe_file_names(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "webhooks": {
            name: {
                "post": {"summary": f"About {name}", "responses": {"200": {"description": "ok"}}}
            }
            for name in ("a/b c", "*emphasis*", "../up", "x" * 300, "line\nbreak")
        },
    }
    srcdir = project(
        tmp_path / "src", ".. callback-catalogue::\n   :source: specs/odd.json\n   :toctree: w\n"
    )
    (srcdir / "specs" / "odd.json").write_text(json.dumps(spec), encoding="utf-8")
    app = build(srcdir)
    pages = list((srcdir / "w").glob("*.rst"))
    assert len(pages) == 4  # the name with a line break gets none, and a warning
    assert all(len(path.name.encode()) <= 120 for path in pages)
    assert all(path.parent == srcdir / "w" for path in pages)
    assert not (srcdir / "up.rst").exists()
    assert any("no page for the callback 'line\\nbreak'" in w for w in warnings_of(app))
    html = (app.outdir / "w" / f"{file_name('*emphasis*')}.html").read_text(encoding="utf-8")
    assert "<h1>*emphasis*" in html


# -- pages written and removed -------------------------------------------------------------------


def test_pages_are_rewritten_only_when_they_change(tmp_path: Path) -> None:
    srcdir = copy_root("catalogue", tmp_path / "src")
    build(srcdir)
    page = srcdir / "webhooks" / "label-created.rst"
    before = page.stat().st_mtime_ns
    # Someone else's files in the folder: never touched.
    (srcdir / "webhooks" / "notes.rst").write_text(":orphan:\n\nNotes\n=====\n")
    time.sleep(0.01)
    app = build(srcdir)
    assert page.stat().st_mtime_ns == before
    assert read_again(app) == ["webhooks/notes"]
    # A webhook leaves the catalogue: its page goes, the other file stays.
    index = srcdir / "index.rst"
    index.write_text(index.read_text() + "   :exclude: star-deleted\n")
    build(srcdir)
    assert not (srcdir / "webhooks" / "star-deleted.rst").exists()
    assert (srcdir / "webhooks" / "notes.rst").exists()
    assert page.stat().st_mtime_ns == before


def test_a_file_in_the_way_is_never_overwritten(tmp_path: Path) -> None:
    srcdir = copy_root("catalogue", tmp_path / "src")
    (srcdir / "webhooks").mkdir()
    mine = srcdir / "webhooks" / "star-created.rst"
    mine.write_text("Mine\n====\n\nMy own page.\n")
    app = build(srcdir)
    assert mine.read_text() == "Mine\n====\n\nMy own page.\n"
    assert any(
        "star-created.rst is not written" in line and "index.rst:4" in line
        for line in warnings_of(app)
    ), warnings_of(app)


def test_the_template_can_be_overridden(tmp_path: Path) -> None:
    srcdir = copy_root("catalogue", tmp_path / "src")
    (srcdir / "_templates" / "callbacks").mkdir(parents=True)
    (srcdir / "_templates" / "callbacks" / "request-page.rst").write_text(
        "{{ name | heading }}\n\nIn group {{ group | rst_escape }}.\n\n"
        ".. callback-request:: {{ name }}\n   :source: {{ source }}\n   {{ selector }}\n"
        "   :parts: body\n",
        encoding="utf-8",
    )
    app = build(srcdir, templates_path=["_templates"])
    assert warnings_of(app) == []
    page = (srcdir / "webhooks" / "label-created.rst").read_text(encoding="utf-8")
    assert page.startswith(MARKER)  # the marker is the extension's, whatever the template
    assert "In group label." in page
    html = (app.outdir / "webhooks" / "label-created.html").read_text(encoding="utf-8")
    assert "Return a 200 status" not in html


# -- incremental and parallel builds -------------------------------------------------------------


def status_of(app: SphinxTestApp) -> str:
    return plain_output(app._status.getvalue())


def read_again(app: SphinxTestApp) -> list[str]:
    """The documents the build read (Sphinx's 'reading sources... [n%] name' lines)."""
    return sorted(
        line.rsplit(" ", 1)[-1].strip()
        for line in re.split(r"[\r\n]+", status_of(app))
        if line.startswith("reading sources... [")
    )


def test_an_edit_of_one_webhook_reads_only_its_page_again(tmp_path: Path) -> None:
    srcdir = copy_root("catalogue", tmp_path / "src")
    build(srcdir)
    spec_path = srcdir / "specs" / "github-webhooks.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    operation = spec["webhooks"]["star-created"]["post"]
    operation["description"] = "A repository was starred (edited)."
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    time.sleep(0.01)
    spec_path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    app = build(srcdir)
    assert read_again(app) == ["webhooks/star-created"]
    html = (app.outdir / "webhooks" / "star-created.html").read_text(encoding="utf-8")
    assert "A repository was starred (edited)." in html
    assert "$ref" in body  # the body's schema is shared: what it says is tested below
    # An edit of a schema that only the star webhooks use reads their pages only.
    name = body["$ref"].rsplit("/", 1)[-1]
    spec["components"]["schemas"][name]["properties"]["action"]["description"] = "Starred."
    time.sleep(0.01)
    spec_path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    app = build(srcdir)
    assert read_again(app) == ["webhooks/star-created"]


def test_touching_one_page_reads_only_that_page(tmp_path: Path) -> None:
    srcdir = copy_root("catalogue", tmp_path / "src")
    build(srcdir)
    time.sleep(0.01)
    (srcdir / "webhooks" / "label-deleted.rst").touch()
    app = build(srcdir)
    assert read_again(app) == ["webhooks/label-deleted"]


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    serial = copy_root("catalogue", tmp_path / "serial")
    parallel = copy_root("catalogue", tmp_path / "parallel")
    one = build(serial, freshenv=True)
    two = build(parallel, parallel=2, freshenv=True)
    assert warnings_of(one) == warnings_of(two) == []
    pages = sorted(path.relative_to(one.outdir) for path in one.outdir.rglob("*.html"))
    assert len(pages) == 6 + 3  # the pages, genindex, search and the index
    assert pages == sorted(path.relative_to(two.outdir) for path in two.outdir.rglob("*.html"))
    for page in pages:
        assert (one.outdir / page).read_bytes() == (two.outdir / page).read_bytes(), page


def test_an_edit_elsewhere_in_the_spec_reads_no_table_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinxext_callbacks.sphinx_ext import spec_tracking, tracking

    srcdir = copy_root("catalogue", tmp_path / "src")
    build(srcdir)
    spec_path = srcdir / "specs" / "github-webhooks.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    spec["webhooks"]["star-created"]["post"]["description"] = "Edited."
    time.sleep(0.01)
    spec_path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    asked: list[str] = []
    read_table, read_facts = tracking.read_remembered, spec_tracking.read_facts
    monkeypatch.setattr(
        tracking,
        "read_remembered",
        lambda env, request, cache: (
            asked.append(request.webhook) or read_table(env, request, cache)
        ),
    )
    monkeypatch.setattr(
        spec_tracking,
        "read_facts",
        lambda request, cache: asked.append(request.webhook) or read_facts(request, cache),
    )
    app = build(srcdir)
    assert read_again(app) == ["webhooks/star-created"]
    # Only the edited webhook's headers, body and words are read again to compare them: the
    # other five pages' fingerprints say that their part of the spec is as it was.
    assert set(asked) == {"star-created"}


def test_fingerprints_follow_what_a_webhook_reaches(tmp_path: Path) -> None:
    from sphinxext_callbacks.readers.files import FileCache
    from sphinxext_callbacks.readers.fingerprint import fingerprint
    from sphinxext_callbacks.readers.reader import SourceRequest

    path = tmp_path / "spec.json"
    spec = json.loads(GITHUB.read_text(encoding="utf-8"))

    def prints() -> dict[str, str | None]:
        path.write_text(json.dumps(spec), encoding="utf-8")
        return {
            name: fingerprint(
                SourceRequest(str(path), srcdir=str(tmp_path), webhook=name), FileCache()
            )
            for name in spec["webhooks"]
        }

    before = prints()
    assert None not in before.values()
    star = spec["webhooks"]["star-created"]["post"]["requestBody"]["content"]
    schema = star["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    spec["components"]["schemas"][schema]["description"] = "Edited."
    after = prints()
    assert [name for name in before if before[name] != after[name]] == ["star-created"]
    # A schema of another file has no fingerprint: such a reading is read again.
    star["application/json"]["schema"] = {"$ref": "other.json#/Star"}
    assert prints()["star-created"] is None


def test_without_pages_a_row_links_to_a_table_of_its_name(tmp_path: Path) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/github.json\n   :include: label-*\n\n"
        ".. callback-request:: label-created\n   :source: specs/github.json\n"
        "   :webhook: label-created\n   :parts: body\n",
        {"github.json": GITHUB},
    )
    app = build(srcdir)
    assert warnings_of(app) == []  # label-deleted has no table: its name stays text
    soup = BeautifulSoup((app.outdir / "index.html").read_text(encoding="utf-8"), "html.parser")
    cells = soup.select("table.callbacks-catalogue td:first-child")
    assert [cell.get_text(strip=True) for cell in cells] == ["label-created", "label-deleted"]
    assert [a["href"] for cell in cells for a in cell.select("a")] == ["#callback-label-created"]


def test_the_listing_of_an_asyncapi_1_document_names_its_version(tmp_path: Path) -> None:
    srcdir = project(tmp_path / "src", ".. callback-catalogue::\n   :source: specs/slack.yml\n")
    (srcdir / "specs" / "slack.yml").write_text(
        "asyncapi: 1.2.0\ninfo: {title: Slack, version: '1'}\ntopics: {}\n", encoding="utf-8"
    )
    app = build(srcdir)
    assert any(
        "specs/slack.yml: this is an AsyncAPI 1.2.0 document; only AsyncAPI 2.x and 3.x" in line
        for line in warnings_of(app)
    ), warnings_of(app)


def test_a_catalogue_added_since_the_last_build_writes_its_pages(tmp_path: Path) -> None:
    srcdir = copy_root("catalogue", tmp_path / "src")
    build(srcdir)
    (srcdir / "stars.rst").write_text(
        "Stars\n=====\n\n.. callback-catalogue::\n   :source: specs/github-webhooks.json\n"
        "   :toctree: stars\n   :include: star-*\n",
        encoding="utf-8",
    )
    app = build(srcdir)
    assert generated(srcdir, "stars") == ["star-created", "star-deleted"]
    assert "stars/star-created" in read_again(app)


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_builder_builds_a_catalogue(tmp_path: Path, builder: str) -> None:
    srcdir = project(
        tmp_path / "src",
        ".. callback-catalogue::\n   :source: specs/github.json\n   :toctree: hooks\n"
        "   :include: star-created\n   :group-by: /x-github/subcategory\n",
        {"github.json": GITHUB},
    )
    app = SphinxTestApp(builder, srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    try:
        app.build()
    finally:
        app.cleanup()
    # EPUB asks for configuration values that this project has no reason to set.
    assert [w for w in warnings_of(app) if "for EPUB3" not in w] == []
    assert any(app.outdir.rglob("*"))


def test_the_whole_of_githubs_file_lists_261_webhooks() -> None:
    from sphinxext_callbacks.readers.catalogue import CatalogueRequest, list_callbacks
    from sphinxext_callbacks.readers.files import FileCache

    whole = Path(__file__).parent.parent / "bench" / "data" / "github-openapi-webhooks"
    spec = json.loads((whole / "api.github.com.json").read_text(encoding="utf-8"))
    catalogue = list_callbacks(
        CatalogueRequest(
            str(whole / "api.github.com.json"), srcdir=str(whole), group_by="/x-github/subcategory"
        ),
        FileCache(),
    )
    assert catalogue.problems == []
    assert len(catalogue.callbacks) == len(spec["webhooks"]) == 261
    subcategories = {hook["post"]["x-github"]["subcategory"] for hook in spec["webhooks"].values()}
    assert [group for group, _ in catalogue.groups][:1] == ["issues"]  # first of the spec's tags
    assert {group for group, _ in catalogue.groups} == subcategories
