"""Builds beyond OpenAPI: AsyncAPI, notes, enum meanings, headers, Welsh, and every example spec."""

from __future__ import annotations

import re
import shutil

import pytest

from .helpers import EXAMPLES, WARNING_TYPES, copy_root, rows, tables, warnings_of


@pytest.mark.sphinx("html", testroot="beyond", freshenv=True, confoverrides=WARNING_TYPES)
def test_asyncapi_notes_enum_meanings_and_headers(app):
    app.build()
    assert warnings_of(app) == []
    page = app.outdir / "index.html"
    receipt, form, headers, welsh = tables(page)

    assert receipt.select_one("caption .caption-text").get_text() == "Delivery receipt"
    keys = [row[0].replace(" ", "") for row in rows(receipt)]
    # writeOnly is what the user sends, never what the provider sends: hidden.
    assert keys == [
        "id",
        "status",
        "metadata",
        "metadata.source",
        "tags",
        "tags.{key}",
        "created_by",
    ]
    assert rows(receipt)[5][1:] == ["A tag’s value", "string"]
    status_cell = receipt.select("tbody > tr")[1].find_all("td")[0]
    meanings = status_cell.select_one("dl.callbacks-enum-descriptions")
    assert meanings is not None
    assert [dt.get_text() for dt in meanings.find_all("dt")] == ["delivered", "permanent-failure"]
    assert meanings.find("dd").get_text(strip=True) == "The message was delivered"

    html = page.read_text(encoding="utf-8")
    notes = re.findall(r'<p class="callbacks-note">(.*?)</p>', html)
    assert notes == [
        "Other keys may appear in metadata.",
        "Content type: application/x-www-form-urlencoded",
    ]
    assert [row[0] for row in rows(form)] == ["id", "channel"]
    channel_meanings = form.select_one("dl.callbacks-enum-descriptions")
    assert [dd.get_text(strip=True) for dd in channel_meanings.find_all("dd")] == [
        "A text message",
        "An email",
    ]

    assert rows(headers) == [
        ["X-Notify-Signature", "The HMAC of the body", "string"],
        ["Content-Type", "", "application/json"],
        [
            "Authorization",
            "The bearer token you gave when you set up the callback",
            "Bearer <token>",
        ],
    ]
    assert rows(welsh)[0][1].startswith("The status of the notification delivered")
    assert rows(welsh)[0][2] == "delivered | permanent-failure"
    assert welsh.select_one("caption .caption-text").get_text() == "Delivery receipt"


@pytest.mark.sphinx(
    "html",
    testroot="beyond",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "language": "cy"},
)
def test_welsh_build_shows_welsh_text(app):
    app.build()
    # docutils itself has no Welsh translation of its own labels, and says so.
    assert [w for w in warnings_of(app) if "[docutils]" not in w] == []
    receipt, _form, _headers, welsh = tables(app.outdir / "index.html")
    assert receipt.select_one("caption .caption-text").get_text() == "Derbynneb danfon"
    assert rows(receipt)[0][1] == "ID Notify ar gyfer y derbynebau statws"
    # A text with no Welsh falls back to callbacks_default_language (en).
    assert rows(receipt)[1][1].startswith("The status of the notification")
    assert welsh.select_one("caption .caption-text").get_text() == "Derbynneb danfon"
    status = welsh.select("tbody > tr")[0].find_all("td")[0]
    assert status.find("p").get_text() == "Statws yr hysbysiad"
    assert [dd.get_text(strip=True) for dd in status.find_all("dd")] == [
        "Cafodd y neges ei danfon",
        "The provider could not deliver the message",
    ]
    assert rows(welsh)[1][1] == "The reference sent by the service"


@pytest.mark.sphinx(
    "html",
    testroot="beyond",
    freshenv=True,
    confoverrides={**WARNING_TYPES, "language": "fr", "callbacks_default_language": "cy"},
)
def test_default_language_is_the_fallback(app):
    app.build()
    welsh = tables(app.outdir / "index.html")[3]
    assert rows(welsh)[0][1].startswith("Statws yr hysbysiad")
    # No Welsh either: the first text.
    assert rows(welsh)[1][1] == "The reference sent by the service"


@pytest.mark.parametrize("builder", ["html", "latex", "text"])
def test_every_example_spec_renders_without_warnings(make_app, tmp_path, builder):
    srcdir = tmp_path / "examples-root"
    copy_root("examples", srcdir)
    shutil.copytree(EXAMPLES, srcdir / "examples")
    index = (srcdir / "index.rst").read_text(encoding="utf-8")
    shown = (
        {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.json")}
        | {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.yml")}
        | {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.yaml")}
    )
    # Files reached only through $refs are rendered with the file that refers to them.
    referenced = {"notify/schema.json"} | {
        name
        for name in shown
        if name.startswith(("octokit-webhooks/common/", "notify-published/"))
        and name != "notify-published/publicapi_spec.json"
    }
    assert {name for name in shown - referenced if f"examples/{name}" not in index} == set()

    app = make_app(builder, srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    app.build()
    assert warnings_of(app) == []
    if builder == "html":
        found = tables(app.outdir / "index.html")
        # Two of them are the headers and body of GitHub's callback-request, last.
        assert len(found) == 15
        issues = {row[0].replace(" ", "") for row in rows(found[10])}
        assert {"issue.number", "issue.user", "repository.full_name", "sender.login"} <= issues
    elif builder == "text":
        text = (app.outdir / "index.txt").read_text(encoding="utf-8")
        assert "displayName" in text and "webhook_message_id" in text
    else:
        (tex,) = app.outdir.glob("*.tex")
        assert "displayName" in tex.read_text(encoding="utf-8")


@pytest.mark.parametrize("builder", ["latex", "text"])
def test_enum_meanings_and_notes_in_other_builders(make_app, tmp_path, builder):
    srcdir = tmp_path / "beyond"
    copy_root("beyond", srcdir)
    app = make_app(builder, srcdir=srcdir, freshenv=True, confoverrides=WARNING_TYPES)
    app.build()
    assert warnings_of(app) == []
    out = next(app.outdir.glob("*.tex" if builder == "latex" else "index.txt"))
    text = out.read_text(encoding="utf-8")
    # Table cells wrap in the text builder: look for words that stay on one line.
    assert "message was delivered" in text
    assert "Other keys may appear in metadata." in text
