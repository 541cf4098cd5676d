"""The Notify page in headless Chromium, in every supported theme, wide and narrow.

Each theme's build of ``docs/notify.rst`` is opened at 1280 and 360 pixels wide. The test
saves a screenshot of the delivery-receipt table at each width under its temporary folder
(and into ``$CALLBACKS_SCREENSHOTS`` when that is set: ``docs/_tools/screenshots.py`` uses
it for the docs' theme gallery), and checks that:

- the caption is hidden on screen but is the table's accessible name, in the accessibility tree;
- the page does not scroll sideways: the table fits, or scrolls inside its own box, which
  is a tab stop only while it scrolls;
- at 1280 pixels each row's key, description and format sit side by side; at 360 pixels
  they are stacked, one under the other, and nothing scrolls sideways;
- the cells keep their table roles (row, row header, cell) in the accessibility tree,
  wide and narrow;
- axe-core (vendored in ``tests/vendor/axe-core``) finds no violations in the table.

Themes that are not installed are skipped; ``pip install -e ".[browser]"`` installs them all.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from .browser import BROWSER_MARKS, THEMES, Browser, Page, chromium

pytestmark = BROWSER_MARKS

WIDTHS = (1280, 360)
CAPTION = "Delivery receipt callback message"
TABLE = "table#callback-delivery-receipt"
#: (theme, callbacks_html_template): every theme as it is, and the GOV.UK template once.
CASES = [(theme, None) for theme in THEMES] + [("alabaster", "govuk.html")]

MEASURE = f"""(() => {{
    const table = document.querySelector("{TABLE}");
    const caption = table.querySelector("caption");
    const box = table.closest(".callbacks-scroll");
    const captionBox = caption.getBoundingClientRect();
    const boxRect = box.getBoundingClientRect();
    return {{
        caption: [captionBox.width, captionBox.height],
        page: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        box: [boxRect.left, boxRect.right],
        boxWidth: box.clientWidth,
        boxScrolls: box.scrollWidth > box.clientWidth,
        boxOverflow: getComputedStyle(box).overflowX,
        table: table.getBoundingClientRect().width,
        focusable: box.hasAttribute("tabindex"),
        // The first row's cells: key, description, format.
        cells: [...table.tBodies[0].rows[0].cells].map(cell => {{
            const r = cell.getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom];
        }}),
    }};
}})()"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with chromium(tmp_path_factory.mktemp("chromium")) as running:
        yield running


def _name(theme: str, template: str | None) -> str:
    return theme if template is None else f"{theme}-{Path(template).stem}"


@pytest.mark.parametrize(
    ("theme", "template"), CASES, ids=[_name(theme, template) for theme, template in CASES]
)
def test_notify_table_in_chromium(
    browser: Browser, tmp_path: Path, theme: str, template: str | None
) -> None:
    if importlib.util.find_spec(theme) is None:
        pytest.skip(f"{theme} is not installed (pip install -e '.[browser]')")
    from .browser import build_notify

    overrides = {"callbacks_html_template": template} if template else {}
    html = build_notify(tmp_path / "build", theme, overrides)
    gallery = os.environ.get("CALLBACKS_SCREENSHOTS")
    for width in WIDTHS:
        page = Page(browser)
        try:
            page.open(html.as_uri(), width)
            shot = page.screenshot(
                tmp_path / f"{_name(theme, template)}-{width}.png", ".callbacks-scroll"
            )
            if gallery:
                Path(gallery).mkdir(parents=True, exist_ok=True)
                shutil.copy(shot, Path(gallery) / shot.name)
            _check_layout(page.evaluate(MEASURE), width)
            _check_accessibility_tree(page)
            violations = page.axe(".callbacks-scroll")
            assert violations == [], f"axe at {width}px: {violations}"
        finally:
            page.close()


def _check_layout(measured: dict[str, Any], width: int) -> None:
    where = f"at {width}px: {measured}"
    # Hidden the GOV.UK way: a 1-pixel clipped box, not display: none.
    assert measured["caption"][0] <= 1 and measured["caption"][1] <= 1, where
    assert measured["viewport"] == width, where
    assert measured["page"] <= width, f"the page scrolls sideways {where}"
    left, right = measured["box"]
    assert left >= 0 and right <= width + 0.5, where
    fits = measured["table"] <= measured["boxWidth"] + 1
    scrolls = measured["boxScrolls"] and measured["boxOverflow"] in ("auto", "scroll")
    assert fits or scrolls, f"the table neither fits nor scrolls {where}"
    assert measured["focusable"] == scrolls, f"a tab stop only while it scrolls {where}"
    key, description, form = measured["cells"]
    if width >= 1000:
        # Three columns, side by side.
        assert key[1] == description[1] == form[1], where
        assert key[2] <= description[0] + 0.5 and description[2] <= form[0] + 0.5, where
    else:
        # One block per row: the key, then the description, then the format, full width.
        assert not scrolls, f"a narrow screen scrolls sideways {where}"
        assert key[3] <= description[1] + 0.5 and description[3] <= form[1] + 0.5, where
        for cell in (key, description, form):
            assert left - 0.5 <= cell[0] and cell[2] <= right + 0.5, where


def _check_accessibility_tree(page: Page) -> None:
    table = page.accessible_node(TABLE)
    assert table["role"] == "table", table
    # The caption names the table (sphinx_rtd_theme adds its permalink icon to the name).
    assert (table["name"] or "").startswith(CAPTION), table
    caption = page.accessible_node(f"{TABLE} > caption")
    assert not caption["ignored"], caption
    # Narrow screens show rows as blocks; explicit roles keep them a table's rows and cells.
    row = f"{TABLE} > tbody > tr:first-child"
    assert page.accessible_node(row)["role"] == "row"
    assert page.accessible_node(f"{row} > th")["role"] == "rowheader"
    assert page.accessible_node(f"{row} > td")["role"] == "cell"
    assert page.accessible_node(f"{TABLE} > thead th")["role"] == "columnheader"
