"""These docs, gallery included, in headless Chromium: every theme, a phone and a laptop.

The whole of ``docs/`` is built once per gallery theme, and opened 375 and 1280 pixels
wide: every page in the docs' own theme, the pages with callback tables in the others. The
test checks that:

- no page scrolls sideways (a code block may scroll inside its own box);
- every callback table fits its column: its box does not scroll, no cell's content is
  clipped or wider than its cell, and no key breaks inside a word at 1280 pixels (only
  at the dots between its names, or after a hyphen of one);
- axe-core finds no violations in the callback tables;
- on the gallery, a folded object opens and closes with a click and from the keyboard,
  a link to a row inside it opens it, and every row is there in print and without
  JavaScript.

Themes that are not installed are skipped; ``pip install -e ".[browser]"`` installs them all.
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from typing import Any

import pytest

from .browser import BROWSER_MARKS, THEMES, Browser, Page, chromium

pytestmark = BROWSER_MARKS

DOCS = Path(__file__).parents[1] / "docs"
WIDTHS = (375, 1280)
#: The theme of these docs (docs/conf.py): every page is checked in it.
DOCS_THEME = "alabaster"
#: The table of the gallery whose objects fold, and a row inside its folded ``issue``.
FOLDING = "table#callback-github-issues-opened"
INSIDE = "callback-github-issues-opened-issue-title"


def build_docs(outdir: Path, theme: str) -> Path:
    """Build ``docs/`` with ``theme`` into ``outdir``; return the HTML folder."""
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    overrides: dict[str, Any] = {"html_theme": theme}
    if theme != "alabaster":
        overrides["html_theme_options"] = {}  # the docs' options are alabaster's
    warnings = io.StringIO()
    with patch_docutils(DOCS), docutils_namespace():
        app = Sphinx(
            str(DOCS),
            str(DOCS),
            str(outdir / "html"),
            str(outdir / "doctrees"),
            "html",
            confoverrides=overrides,
            status=io.StringIO(),
            warning=warnings,
            freshenv=True,
        )
        app.build()
    ours = [line for line in warnings.getvalue().splitlines() if "callbacks" in line]
    assert ours == [], ours
    return outdir / "html"


def _has_tables(path: Path) -> bool:
    return "callbacks-scroll" in path.read_text(encoding="utf-8")


def pages(html: Path) -> list[Path]:
    """Every page of a built site."""
    skip = {"_static", "_sources", "_images", "_callbacks"}
    return sorted(p for p in html.rglob("*.html") if not skip & set(p.relative_to(html).parts))


MEASURE = """((width) => {
    const problems = [];
    const where = (el) => (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    for (const box of document.querySelectorAll(".callbacks-scroll")) {
        const table = box.querySelector("table.callbacks-table");
        if (!table || box.offsetParent === null) continue;
        const edge = box.getBoundingClientRect();
        if (box.scrollWidth > box.clientWidth + 1) {
            problems.push(`table scrolls: ${box.getAttribute("aria-label") || where(table)}`);
        }
        for (const cell of table.querySelectorAll(":scope > tbody > tr > *")) {
            if (cell.offsetParent === null) continue;  // a folded row
            const r = cell.getBoundingClientRect();
            if (cell.scrollWidth > cell.clientWidth + 1) {
                problems.push(`content wider than its cell: ${where(cell)}`);
            } else if (r.left < edge.left - 1 || r.right > edge.right + 1) {
                problems.push(`cell outside its table's box: ${where(cell)}`);
            }
        }
        if (width < 1000) continue;
        // A key breaks at its <wbr>s, or after a hyphen of a name (X-Github-Hook-Id), never
        // inside a word: each character on a new line follows a hyphen.
        for (const code of table.querySelectorAll("th[scope=row] code")) {
            const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
            for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                const value = text.textContent;
                let top = null;
                for (let i = 0; i < value.length; i++) {
                    const range = document.createRange();
                    range.setStart(text, i);
                    range.setEnd(text, i + 1);
                    const y = Math.round(range.getBoundingClientRect().top);
                    if (top !== null && y > top + 1 && value[i - 1] !== "-") {
                        problems.push(`a name breaks inside a word: ${code.textContent}`);
                        break;
                    }
                    top = y;
                }
            }
        }
    }
    return {page: document.documentElement.scrollWidth, problems};
})"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with chromium(tmp_path_factory.mktemp("chromium")) as running:
        yield running


@pytest.mark.parametrize("theme", THEMES)
def test_docs_fit_every_screen(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, theme: str
) -> None:
    if importlib.util.find_spec(theme) is None:
        pytest.skip(f"{theme} is not installed (pip install -e '.[browser]')")
    html = build_docs(tmp_path_factory.mktemp(f"docs-{theme}"), theme)
    failures: list[str] = []
    page = Page(browser)
    try:
        for width in WIDTHS:
            for path in pages(html):
                if theme != DOCS_THEME and not _has_tables(path):
                    # Other themes: the pages with callback tables (the docs are built
                    # with their own theme, where every page is checked).
                    continue
                name = f"{path.relative_to(html)} at {width}px"
                page.open(path.as_uri(), width)
                # Every fold open: the rows inside must fit too.
                page.evaluate(
                    """document.querySelectorAll("button.callbacks-fold-button")
                        .forEach(b => b.getAttribute("aria-expanded") === "true" || b.click())"""
                )
                measured = page.evaluate(f"({MEASURE})({width})")
                if measured["page"] > width:
                    failures.append(f"{name}: the page scrolls sideways ({measured['page']}px)")
                failures.extend(f"{name}: {problem}" for problem in measured["problems"][:5])
                if page.evaluate("document.querySelector('.callbacks-scroll') !== null"):
                    violations = page.axe(".callbacks-scroll", every=True)
                    failures.extend(
                        f"{name}: axe {v['id']}: {v['help']} {v['nodes'][:2]}" for v in violations
                    )
    finally:
        page.close()
    _check_folding(browser, html / "gallery.html")
    assert failures == [], "\n".join(failures)


STATE = f"""(() => {{
    const table = document.querySelector("{FOLDING}");
    const button = table.querySelector("button.callbacks-fold-button");
    const number = button.getAttribute("data-callbacks-fold");
    const inside = [...table.querySelectorAll("tr[data-callbacks-fold-in]")]
        .filter(row => row.getAttribute("data-callbacks-fold-in").split(" ").includes(number));
    const r = button.getBoundingClientRect();
    return {{
        expanded: button.getAttribute("aria-expanded"),
        shown: inside.filter(row => row.getBoundingClientRect().height > 0).length,
        inside: inside.length,
        rows: table.tBodies[0].rows.length,
        visible: [...table.tBodies[0].rows]
            .filter(r => r.getBoundingClientRect().height > 0).length,
        centre: [r.left + r.width / 2, r.top + r.height / 2],
        focused: document.activeElement === button,
        tag: button.tagName, name: button.textContent,
    }};
}})()"""


def _state(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(STATE)
    return state


def _check_folding(browser: Browser, gallery: Path) -> None:
    page = Page(browser)
    try:
        _click_and_keyboard(page, gallery)
    finally:
        page.close()
    # Each in a tab of its own: a URL that differs only in its fragment loads nothing.
    for check in (_link_opens, _print_shows_all, _without_javascript):
        page = Page(browser)
        try:
            check(page, gallery)
        finally:
            page.close()


def _click_and_keyboard(page: Page, gallery: Path) -> None:
    page.open(gallery.as_uri(), 1280)
    # In the middle of the window: a theme's sticky header may cover the top of it.
    page.evaluate(
        f"""document.querySelector("{FOLDING} button.callbacks-fold-button")
            .scrollIntoView({{block: "center", behavior: "instant"}})"""
    )
    state = _state(page)
    assert state["tag"] == "BUTTON" and state["expanded"] == "false", state
    assert "fields inside" in state["name"], state
    assert state["inside"] > 10 and state["shown"] == 0, state
    # A click opens it, and a second one folds it again.
    _click(page, state["centre"])
    opened = _state(page)
    assert opened["expanded"] == "true" and opened["shown"] == opened["inside"], opened
    _click(page, opened["centre"])
    assert _state(page)["shown"] == 0
    # From the keyboard: Tab reaches the button (from the element before it), Enter opens.
    page.evaluate(
        f"""(() => {{
            const button = document.querySelector("{FOLDING} button.callbacks-fold-button");
            const before = document.createElement("a");
            before.href = "#"; before.textContent = "before";
            button.before(before);
            before.focus();
        }})()"""
    )
    _key(page, "Tab", "Tab", 9)
    assert _state(page)["focused"], "Tab does not reach the button"
    _key(page, "Enter", "Enter", 13)
    opened = _state(page)
    assert opened["expanded"] == "true" and opened["shown"] == opened["inside"], opened
    _key(page, " ", "Space", 32)
    assert _state(page)["expanded"] == "false"


def _link_opens(page: Page, gallery: Path) -> None:
    # A link to a row inside a folded object opens it and shows the row.
    page.open(f"{gallery.as_uri()}#{INSIDE}", 1280)
    row = page.evaluate(
        f"""(() => {{
            const r = document.getElementById("{INSIDE}").getBoundingClientRect();
            return [r.height, r.top, window.innerHeight];
        }})()"""
    )
    assert row[0] > 0 and -2 <= row[1] < row[2], f"the linked row is not in view: {row}"


def _print_shows_all(page: Page, gallery: Path) -> None:
    page.open(gallery.as_uri(), 1280)
    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    printed = _state(page)
    page.send("Emulation.setEmulatedMedia", {"media": ""})
    assert printed["visible"] == printed["rows"], printed


def _without_javascript(page: Page, gallery: Path) -> None:
    # Every row is there, and there is no button that would do nothing.
    page.send("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        page.open(gallery.as_uri(), 1280, settle=False)
        counted = page.send(
            "Runtime.evaluate",
            {
                "expression": f"""JSON.stringify((() => {{
                    const table = document.querySelector("{FOLDING}");
                    return [table.tBodies[0].rows.length,
                            [...table.tBodies[0].rows].filter(
                                r => r.getBoundingClientRect().height > 0).length,
                            table.querySelectorAll("button").length];
                }})())""",
                "returnByValue": True,
            },
        )
    finally:
        page.send("Emulation.setScriptExecutionDisabled", {"value": False})
    rows, visible, buttons = json.loads(counted["result"]["value"])
    assert rows == visible and buttons == 0, (rows, visible, buttons)


def _click(page: Page, centre: list[float]) -> None:
    for kind in ("mousePressed", "mouseReleased"):
        page.send(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": centre[0], "y": centre[1], "button": "left", "clickCount": 1},
        )


def _key(page: Page, key: str, code: str, keycode: int) -> None:
    text = {"Enter": "\r", " ": " "}.get(key, "")
    page.send(
        "Input.dispatchKeyEvent",
        {
            "type": "keyDown",
            "key": key,
            "code": code,
            "windowsVirtualKeyCode": keycode,
            **({"text": text} if text else {}),
        },
    )
    page.send(
        "Input.dispatchKeyEvent",
        {"type": "keyUp", "key": key, "code": code, "windowsVirtualKeyCode": keycode},
    )
