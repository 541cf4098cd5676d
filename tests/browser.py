"""A small headless-Chromium driver for the browser tests and the docs' theme gallery.

It speaks the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (file descriptors 3
and 4 of the browser, NUL-terminated JSON messages), so it needs no open port, no websocket
library and no browser download: only Debian's ``chromium`` package.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from .helpers import copy_root

#: Where the vendored axe-core script lives (see ``tests/vendor/axe-core/README.md``).
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

#: The flags that keep a headless Chromium quiet, offline and reproducible.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-color-profile=srgb",
    "--font-render-hinting=none",
    "--remote-debugging-pipe",
)


def find_chromium() -> str | None:
    """Debian's Chromium, another one on ``PATH``, or ``$CHROMIUM_BIN``; ``None`` if none."""
    for candidate in (os.environ.get("CHROMIUM_BIN"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


class BrowserError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


class Browser:
    """One headless Chromium process and a connection to it over the DevTools pipe."""

    def __init__(self, executable: str, profile: Path, log: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # Move the browser's ends above 3 and 4 first, so that the dup2() calls in the
        # child cannot overwrite one with the other.
        high_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
        high_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_browser_read)
        os.close(from_browser_write)

        def give_pipe() -> None:
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            close_fds=False,
            preexec_fn=give_pipe,
        )
        os.close(high_read)
        os.close(high_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        """Ask the browser to quit, and make sure that it does."""
        with suppress(BrowserError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            os.close(fd)
        self._log.close()

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30,
    ) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive(time.monotonic() + timeout, method)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_for(self, event: str, session: str, timeout: float = 30) -> dict[str, Any]:
        """Wait for an event of a session (and drop it from the kept events)."""
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(self.events):
                if message.get("method") == event and message.get("sessionId") == session:
                    return self.events.pop(index)
            self.events.append(self._receive(deadline, event))

    def _receive(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise BrowserError(f"no answer from Chromium to {waiting_for}")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium closed the pipe while waiting for {waiting_for}")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed


class Page:
    """A tab of the browser, with the few commands the tests use."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        self.target = target["targetId"]
        attached = browser.send("Target.attachToTarget", {"targetId": self.target, "flatten": True})
        self.session: str = attached["sessionId"]
        self.send("Page.enable")
        self.send("DOM.enable")
        self.send("Accessibility.enable")

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command to this tab."""
        return self.browser.send(method, params, session=self.session)

    def close(self) -> None:
        """Close the tab."""
        self.browser.send("Target.closeTarget", {"targetId": self.target})

    def open(self, url: str, width: int, height: int = 900, settle: bool = True) -> None:
        """Load ``url`` in a viewport ``width`` pixels wide; a phone's when it is narrow.

        ``settle=False`` does not wait for the page's scripts and fonts (a page whose
        scripts are disabled never finishes waiting).
        """
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )
        self.send("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired", self.session)
        if not settle:
            return
        # Themes finish their layout in scripts and web fonts after the load event.
        self.evaluate("document.fonts.ready.then(() => new Promise(r => setTimeout(r, 150)))")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (awaited when it is a promise)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(details.get("exception", {}).get("description", str(details)))
        return result["result"].get("value")

    def screenshot(
        self, path: Path, selector: str | None = None, margin: int = 16, height: int = 0
    ) -> Path:
        """Save a PNG of the viewport, or of the element ``selector`` and a margin around it.

        ``height``, when given, keeps only the top of a tall element.
        """
        params: dict[str, Any] = {"format": "png"}
        if selector:
            box = self.evaluate(
                f"""(() => {{
                    const element = document.querySelector({json.dumps(selector)});
                    // At the top of the page, a theme's sticky header covers itself only.
                    window.scrollTo(0, 0);
                    const r = element.getBoundingClientRect();
                    return {{x: r.left + scrollX, y: r.top + scrollY,
                             width: r.width, height: r.height}};
                }})()"""
            )
            params["clip"] = {
                "x": max(box["x"] - margin, 0),
                "y": max(box["y"] - margin, 0),
                "width": box["width"] + 2 * margin,
                "height": min(box["height"], height or box["height"]) + 2 * margin,
                "scale": 1,
            }
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def accessible_node(self, selector: str) -> dict[str, Any]:
        """The accessibility-tree node of the element ``selector``: its role and name."""
        root = self.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = self.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        tree = self.send(
            "Accessibility.getPartialAXTree", {"nodeId": node, "fetchRelatives": False}
        )
        found = tree["nodes"][0]
        return {
            "role": found.get("role", {}).get("value"),
            "name": found.get("name", {}).get("value"),
            "ignored": found.get("ignored", False),
        }

    def axe(self, selector: str, every: bool = False) -> list[dict[str, Any]]:
        """The axe-core violations inside the element ``selector`` (or, with ``every``,
        inside each element that ``selector`` matches)."""
        if not self.evaluate("typeof axe !== 'undefined'"):
            self.send("Runtime.evaluate", {"expression": AXE.read_text(encoding="utf-8")})
        context = (
            f"{{include: [{json.dumps(selector)}]}}"
            if every
            else f"document.querySelector({json.dumps(selector)})"
        )
        violations: list[dict[str, Any]] = self.evaluate(
            f"""axe.run({context},
                        {{resultTypes: ["violations"]}})
                .then(result => result.violations.map(v => ({{
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.html.slice(0, 200)),
                }})))"""
        )
        return violations


@contextmanager
def chromium(workdir: Path) -> Iterator[Browser]:
    """A headless Chromium for the duration of a ``with`` block."""
    executable = find_chromium()
    if executable is None:
        raise BrowserError("Chromium is not installed")
    workdir.mkdir(parents=True, exist_ok=True)
    browser = Browser(executable, workdir / "profile", workdir / "chromium.log")
    try:
        browser.send("Browser.getVersion", timeout=60)
        yield browser
    finally:
        browser.close()


#: The themes of the gallery, by the name ``html_theme`` takes.
THEMES = ("alabaster", "furo", "sphinx_rtd_theme", "pydata_sphinx_theme", "sphinx_book_theme")

#: The themes' own uses of deprecated Sphinx APIs are theirs to fix, not the tests'.
_THEME_MODULES = "(" + "|".join(THEMES) + ")"

#: The marks of every browser test: its own marker (``pytest -m browser``), the themes'
#: warnings ignored, and skipped without Chromium.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.filterwarnings(f"ignore::DeprecationWarning:{_THEME_MODULES}"),
    pytest.mark.filterwarnings(f"ignore::PendingDeprecationWarning:{_THEME_MODULES}"),
    pytest.mark.skipif(find_chromium() is None, reason="needs Chromium (apt-get install chromium)"),
]
#: The Notify page of the docs, which the browser test and the gallery build.
NOTIFY = Path(__file__).parents[1] / "docs" / "notify.rst"


def build_notify(workdir: Path, theme: str, overrides: dict[str, Any] | None = None) -> Path:
    """Build the Notify page with ``theme`` under ``workdir``; return its HTML file.

    Raises :class:`AssertionError` with the warnings if the build warns.
    """
    return build_page(workdir, theme, "notify", NOTIFY.read_text(encoding="utf-8"), overrides)


def build_page(
    workdir: Path, theme: str, name: str, text: str, overrides: dict[str, Any] | None = None
) -> Path:
    """Build the page ``name`` (reStructuredText ``text``) in ``tests/roots/test-browser``.

    Returns the page's HTML file; raises :class:`AssertionError` with the warnings if the
    build warns.
    """
    import io

    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    source = copy_root("browser", workdir / "source")
    shutil.copy(NOTIFY, source / "notify.rst")  # the root's table of contents names it
    (source / f"{name}.rst").write_text(text, encoding="utf-8")
    status, warnings = io.StringIO(), io.StringIO()
    # As sphinx-build does: several builds in one process must not share docutils' registries.
    with patch_docutils(source), docutils_namespace():
        app = Sphinx(
            str(source),
            str(source),
            str(workdir / "html"),
            str(workdir / "doctrees"),
            "html",
            confoverrides={"html_theme": theme, **(overrides or {})},
            status=status,
            warning=warnings,
            freshenv=True,
        )
        app.build()
    assert not warnings.getvalue(), warnings.getvalue()
    return workdir / "html" / f"{name}.html"
