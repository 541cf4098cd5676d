/* sphinxext-callbacks: a callback table's scroll box is a tab stop only while it scrolls.
 *
 * The extension writes each box focusable (tabindex="0"), so that a keyboard can scroll
 * a table that is wider than its column; a box that does not scroll (a table that fits,
 * or a narrow screen's one-row-per-block layout) would be a tab stop that does nothing.
 * Without this script, or without ResizeObserver, every box stays focusable. */
(() => {
  "use strict";

  const update = (box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
    } else if (document.activeElement !== box) {
      box.removeAttribute("tabindex");
    }
  };

  const start = () => {
    if (!("ResizeObserver" in window)) return;
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const box = entry.target.closest("[data-callbacks-scroll]");
        if (box) update(box);
      }
    });
    for (const box of document.querySelectorAll(".callbacks-scroll[tabindex]")) {
      box.setAttribute("data-callbacks-scroll", "");
      observer.observe(box);
      const table = box.querySelector("table");
      if (table) observer.observe(table);
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
