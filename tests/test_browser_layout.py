"""Callback tables in headless Chromium: deep keys, printing, and the GOV.UK template.

- A 300-row table of keys six levels deep shows its three columns side by side in a
  1280-pixel-wide window, its Key column no wider than about a third of the table (or
  than its longest name, which never breaks), and
  its printed (PDF) form has every column.
- The ``govuk.html`` template's table fits its column at 1280 pixels, with the real GOV.UK
  Frontend stylesheet (installed from the npm registry, skipped without ``npm``) and
  without it.

Screenshots go into ``$CALLBACKS_SCREENSHOTS`` when it is set, as in ``test_browser.py``.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .browser import Browser, Page, build_notify, build_page, chromium, find_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None, reason="needs Chromium (apt-get install chromium)"),
]

ROWS = 300
WIDE = 1280
TABLE = "table#callback-deep"


def deep_key(index: int) -> str:
    """The key of row ``index``: six levels, as in a card payment's webhook."""
    return (
        f"data.categoryData{index // 100}.paymentMethodDetails{index // 25}"
        f".cardSchemeInformation{index // 5}.networkTokenData{index}"
        f".schemeUniqueTransactionId{index}"
    )


def deep_page() -> str:
    """A page with one 300-row table of six-level keys."""
    rows = "".join(
        f"   {deep_key(i)} : ``2017-05-14T12:15:30Z`` or null\n"
        f"      The time the card network saw transaction {i}, as it sent it to us\n"
        for i in range(ROWS)
    )
    return (
        ":orphan:\n\nDeep keys\n=========\n\n"
        ".. callback-table:: deep\n   :caption: Payment webhook\n\n" + rows
    )


#: Where each body cell of the table is, by column, and the table's scroll box.
CELLS = f"""(() => {{
    const table = document.querySelector("{TABLE}");
    const box = table.closest(".callbacks-scroll").getBoundingClientRect();
    const columns = [[], [], []];
    for (const row of table.tBodies[0].rows) {{
        [...row.cells].forEach((cell, i) => {{
            const r = cell.getBoundingClientRect();
            columns[i].push([r.left, r.right]);
        }});
    }}
    // The widest name of any key: a key breaks between its names, never inside one.
    let longest = 0;
    for (const code of table.querySelectorAll("tbody th code")) {{
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {{
            const range = document.createRange();
            range.selectNodeContents(text);
            longest = Math.max(longest, range.getBoundingClientRect().width);
        }}
    }}
    return {{box: [box.left, box.right], viewport: window.innerWidth,
             page: document.documentElement.scrollWidth, columns, longest}};
}})()"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with chromium(tmp_path_factory.mktemp("chromium")) as running:
        yield running


@pytest.fixture(scope="module")
def deep_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_page(tmp_path_factory.mktemp("deep"), "alabaster", "deep", deep_page())


def _check_columns_in_view(measured: dict[str, Any], where: str) -> None:
    left, right = measured["box"]
    assert measured["page"] <= measured["viewport"], f"the page scrolls sideways {where}"
    for index, cells in enumerate(measured["columns"]):
        assert len(cells) == ROWS, where
        outside = [cell for cell in cells if cell[0] < left - 0.5 or cell[1] > right + 0.5]
        assert not outside, f"column {index + 1} is outside {left}-{right} {where}: {outside[:3]}"
    key_left, key_right = measured["columns"][0][0]
    # A third of the table, or the longest name when that is wider (plus the cell's padding).
    widest = max((right - left) / 3, measured["longest"]) + 30
    assert key_right - key_left <= widest, f"the Key column is too wide {where}"


def test_deep_keys_leave_room_for_the_other_columns(
    browser: Browser, deep_html: Path, tmp_path: Path
) -> None:
    page = Page(browser)
    try:
        page.open(deep_html.as_uri(), WIDE)
        _gallery(page.screenshot(tmp_path / "deep-keys-1280.png", ".callbacks-scroll", height=600))
        _check_columns_in_view(page.evaluate(CELLS), f"at {WIDE}px")
        # Last segment emphasised, its parent path quieter; the text is the key unchanged.
        key = page.evaluate(
            f"""(() => {{
                const code = document.querySelector("{TABLE} tbody th code");
                const name = code.querySelector(".callbacks-key-name");
                const parent = code.querySelector(".callbacks-key-parent");
                return {{text: code.textContent, name: name.textContent,
                         weight: getComputedStyle(name).fontWeight,
                         opacity: getComputedStyle(parent).opacity,
                         breaks: code.querySelectorAll("wbr").length}};
            }})()"""
        )
        assert key == {
            "text": deep_key(0),
            "name": "schemeUniqueTransactionId0",
            "weight": "700",
            "opacity": "0.8",
            "breaks": 5,
        }
        # In print media nothing scrolls, and every column is on the page.
        page.send("Emulation.setEmulatedMedia", {"media": "print"})
        _check_columns_in_view(page.evaluate(CELLS), "in print media")
        page.send("Emulation.setEmulatedMedia", {"media": ""})
        pdf = tmp_path / "deep.pdf"
        pdf.write_bytes(base64.b64decode(page.send("Page.printToPDF", {})["data"]))
    finally:
        page.close()
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The last row's key, description and format are all printed.
    assert "networkTokenData299." in text
    assert "transaction 299" in text
    assert text.count("2017-05-14T12:15:30Z") == ROWS


def _gallery(shot: Path) -> None:
    gallery = os.environ.get("CALLBACKS_SCREENSHOTS")
    if gallery:
        Path(gallery).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(gallery) / shot.name)


@pytest.fixture(scope="module")
def govuk_frontend(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """GOV.UK Frontend's stylesheet, installed from the npm registry into a temporary folder."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("needs npm to install govuk-frontend")
    folder = tmp_path_factory.mktemp("govuk-frontend")
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", "govuk-frontend"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    found = sorted(folder.glob("node_modules/govuk-frontend/dist/govuk/govuk-frontend*.min.css"))
    if result.returncode or not found:
        pytest.skip(f"npm could not install govuk-frontend: {result.stderr[-500:]}")
    return found[0]


GOVUK_MEASURE = """(() => {
    const tables = [...document.querySelectorAll("table.govuk-table")];
    return tables.map(table => {
        const box = table.closest(".callbacks-scroll");
        const cell = table.querySelector("td.govuk-table__cell");
        const style = getComputedStyle(cell);
        return {table: table.getBoundingClientRect().width, box: box.clientWidth,
                scrolls: box.scrollWidth > box.clientWidth + 1,
                border: style.borderBottomWidth + " " + style.borderBottomStyle,
                padding: style.paddingTop, focusable: box.hasAttribute("tabindex")};
    });
})()"""


def _add_stylesheet(page: Page, stylesheet: Path) -> None:
    page.evaluate(
        f"""new Promise((resolve, reject) => {{
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = {json.dumps(stylesheet.as_uri())};
            link.onload = () => setTimeout(resolve, 150);
            link.onerror = reject;
            document.head.append(link);
        }})"""
    )


@pytest.mark.parametrize("frontend", [False, True], ids=["own-css", "govuk-frontend"])
def test_govuk_template_fits_and_looks_finished(
    browser: Browser, request: pytest.FixtureRequest, tmp_path: Path, frontend: bool
) -> None:
    stylesheet = request.getfixturevalue("govuk_frontend") if frontend else None
    html = build_notify(tmp_path / "build", "alabaster", {"callbacks_html_template": "govuk.html"})
    page = Page(browser)
    try:
        page.open(html.as_uri(), WIDE)
        if stylesheet is not None:
            _add_stylesheet(page, stylesheet)
        shot = page.screenshot(
            tmp_path / f"alabaster-govuk-frontend-{WIDE}.png", ".callbacks-scroll"
        )
        if frontend:
            # test_browser.py photographs the template without GOV.UK Frontend.
            _gallery(shot)
        measured = page.evaluate(GOVUK_MEASURE)
    finally:
        page.close()
    assert len(measured) == 2
    for table in measured:
        assert table["table"] <= table["box"] + 0.5, table
        assert not table["scrolls"], table
        # Nothing to scroll, so no tab stop.
        assert not table["focusable"], table
        assert table["border"] == "1px solid", table
        assert table["padding"] == "10px", table


def test_scroll_box_is_a_tab_stop_only_while_it_scrolls(browser: Browser, tmp_path: Path) -> None:
    # A name that a key never breaks makes the first table wider than its column (values
    # wrap anywhere, names do not); the second fits.
    text = (
        ":orphan:\n\nScrolling\n=========\n\n"
        ".. callback-table:: wide\n   :caption: Wide\n\n"
        f"   token.{'x' * 150} : ``abc``\n      A token\n\n"
        ".. callback-table:: narrow\n   :caption: Narrow\n\n"
        "   id : UUID\n      An id\n"
    )
    html = build_page(tmp_path / "build", "alabaster", "scrolling", text)
    state = """[...document.querySelectorAll(".callbacks-scroll")].map(box =>
        [box.scrollWidth > box.clientWidth, box.getAttribute("tabindex")])"""
    page = Page(browser)
    try:
        page.open(html.as_uri(), WIDE)
        assert page.evaluate(state) == [[True, "0"], [False, None]]
        # When the table stops overflowing, its box leaves the tab order.
        page.evaluate(
            """new Promise(resolve => {
                document.querySelector("#callback-wide th[scope=row] code")
                    .style.display = "none";
                requestAnimationFrame(() => requestAnimationFrame(resolve));
            })"""
        )
        assert page.evaluate(state) == [[False, None], [False, None]]
    finally:
        page.close()


def test_a_code_block_in_a_description_wraps_in_its_cell(browser: Browser, tmp_path: Path) -> None:
    # Notify's security scheme shows a JSON sample in its description: a long line of code
    # pushed the Format column out of view at 1280 px.
    sample = '"Authorization" : "Bearer ' + "x" * 120 + '"'
    text = (
        ":orphan:\n\nCode\n====\n\n.. callback-table:: code\n\n"
        "   Authorization : ``Bearer <token>``\n"
        "      Sent with every request::\n\n         " + sample + "\n"
    )
    html = build_page(tmp_path, "alabaster", "code", text)
    page = Page(browser)
    try:
        page.open(html.as_uri(), WIDE)
        box, format_cell = page.evaluate(
            """(() => {
                const box = document.querySelector(".callbacks-scroll").getBoundingClientRect();
                const cell = document.querySelector("table#callback-code tbody td:last-child")
                    .getBoundingClientRect();
                return [[box.left, box.right], [cell.left, cell.right]];
            })()"""
        )
    finally:
        page.close()
    assert format_cell[1] <= box[1] + 0.5, (box, format_cell)
