"""``callback-request``: one callback's words, request line, headers, body, example and
responses, each under a rubric, picked and ordered with ``:parts:``."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .helpers import EXAMPLES, WARNING_TYPES, warnings_of

OAS30 = EXAMPLES / "openapi" / "callback-example.oas30.yaml"
ASYNCAPI = EXAMPLES / "asyncapi" / "simple.asyncapi31.yml"


def build(srcdir: Path, text: str) -> tuple[SphinxTestApp, BeautifulSoup]:
    srcdir.mkdir(parents=True)
    shutil.copy(OAS30, srcdir / "spec.yaml")
    shutil.copy(ASYNCAPI, srcdir / "events.yml")
    (srcdir / "conf.py").write_text("extensions = ['sphinxext_callbacks']\n", encoding="utf-8")
    (srcdir / "index.rst").write_text(f"Callbacks\n=========\n\n{text}\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    try:
        app.build()
    finally:
        app.cleanup()
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    return app, BeautifulSoup(html, "html.parser")


def rubrics(soup: BeautifulSoup) -> list[str]:
    return [p.get_text(strip=True) for p in soup.select(".callbacks-request p.rubric")]


def test_every_part_of_an_openapi_3_0_callback(tmp_path: Path) -> None:
    app, soup = build(
        tmp_path / "src",
        ".. callback-request:: on-data\n   :source: spec.yaml\n   :callback: onData\n\n"
        "See :callback:ref:`on-data` and :callback:field:`on-data.timestamp`.\n",
    )
    assert warnings_of(app) == []
    assert rubrics(soup) == ["Description", "Request", "Headers", "Body", "Example", "Responses"]
    # The operation has no summary: its request body's description is its words.
    assert soup.select(".callbacks-request > p")[1].get_text() == "subscription payload"
    line = soup.select_one(".callbacks-request-line")
    assert line is not None
    assert line.get_text() == "POST {$request.query.callbackUrl}/data"
    tables = soup.select(".callbacks-request table.callbacks-table")
    assert len(tables) == 2
    assert "Content-Type" in tables[0].get_text()
    assert "timestamp" in tables[1].get_text()
    assert "timestamp" in soup.select_one(".callbacks-request pre").get_text()
    responses = soup.select_one("dl.callbacks-responses")
    assert responses is not None
    assert [dt.get_text(strip=True) for dt in responses.select("dt")] == ["202", "204"]
    assert "no longer interested" in responses.get_text()
    # The argument names the body table: links reach it and its rows.
    links = [a["href"] for a in soup.select("div.body > section > p a")]
    assert links == ["#callback-on-data", "#callback-on-data-timestamp"]


def test_parts_picks_and_orders(tmp_path: Path) -> None:
    app, soup = build(
        tmp_path / "src",
        ".. callback-request::\n   :source: spec.yaml\n   :callback: onData\n"
        "   :parts: responses, body, bogus\n",
    )
    assert rubrics(soup) == ["Responses", "Body"]
    warnings = warnings_of(app)
    assert len(warnings) == 1
    assert "index.rst:4" in warnings[0]
    assert "unknown part 'bogus' in :parts:" in warnings[0]
    assert "[callbacks.option]" in warnings[0]


def test_an_asyncapi_message_has_no_request_line(tmp_path: Path) -> None:
    app, soup = build(
        tmp_path / "src",
        ".. callback-request:: signed-up\n   :source: events.yml\n   :message: UserSignedUp\n\n"
        ".. callback-request::\n   :source: events.yml\n   :message: UserSignedUp\n"
        "   :parts: request, body\n",
    )
    first, second = soup.select(".callbacks-request")
    assert [p.get_text(strip=True) for p in first.select("p.rubric")] == ["Body", "Example"]
    assert [p.get_text(strip=True) for p in second.select("p.rubric")] == ["Body"]
    warnings = warnings_of(app)
    assert len(warnings) == 1, warnings
    assert "index.rst:8" in warnings[0]
    assert "the callback has no request to show (:parts:)" in warnings[0]


def test_a_request_needs_a_source(tmp_path: Path) -> None:
    app, soup = build(tmp_path / "src", ".. callback-request:: x\n   :webhook: x\n")
    assert soup.select(".callbacks-request") == []
    assert any(
        "callback-request needs a :source:" in line and "[callbacks.option]" in line
        for line in warnings_of(app)
    )


def test_a_bad_selection_is_one_warning(tmp_path: Path) -> None:
    app, _soup = build(
        tmp_path / "src", ".. callback-request::\n   :source: spec.yaml\n   :callback: onDat\n"
    )
    warnings = warnings_of(app)
    assert len(warnings) == 1, warnings
    assert "no callback 'onDat'; did you mean 'onData'?" in warnings[0]
