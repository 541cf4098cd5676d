/* sphinxext-callbacks: scroll boxes that are tab stops only while they scroll, and nested
 * objects that fold.
 *
 * The extension writes each box focusable (tabindex="0"), so that a keyboard can scroll
 * a table that is wider than its column; a box that does not scroll (a table that fits,
 * or a narrow screen's one-row-per-block layout) would be a tab stop that does nothing.
 * Without this script, or without ResizeObserver, every box stays focusable.
 *
 * A row with data-callbacks-fold="N" opens a nested object with many rows; each row inside
 * it lists N in data-callbacks-fold-in. This script adds a button to the object's row and
 * hides the rows inside (class callbacks-folded) until the button is pressed. Without the
 * script every row is shown; the stylesheet hides folded rows on screens only, so a
 * printed page has them all. A link to a row inside a folded object opens it. */
(() => {
  "use strict";

  const update = (box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
    } else if (document.activeElement !== box) {
      box.removeAttribute("tabindex");
    }
  };

  const watchScrollBoxes = () => {
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

  // -- folding ------------------------------------------------------------------------

  const folds = (row) => (row.getAttribute("data-callbacks-fold-in") || "").split(" ").filter(Boolean);

  /* Show or hide each row inside the table's folding objects, from their buttons' states. */
  const refresh = (table) => {
    const closed = new Set();
    for (const button of table.querySelectorAll("button.callbacks-fold-button")) {
      if (button.getAttribute("aria-expanded") !== "true") {
        closed.add(button.getAttribute("data-callbacks-fold"));
      }
    }
    for (const row of table.querySelectorAll("tr[data-callbacks-fold-in]")) {
      row.classList.toggle("callbacks-folded", folds(row).some((n) => closed.has(n)));
    }
  };

  const buttonOf = (table, number) =>
    table.querySelector(`button.callbacks-fold-button[data-callbacks-fold="${number}"]`);

  const setOpen = (button, open) => {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  };

  const addButtons = (table) => {
    for (const row of table.querySelectorAll("tr[data-callbacks-fold]")) {
      if (row.closest("table") !== table) continue;
      const cell = row.querySelector("th, td");
      if (!cell) continue;
      const number = row.getAttribute("data-callbacks-fold");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "callbacks-fold-button";
      button.setAttribute("data-callbacks-fold", number);
      button.textContent = row.getAttribute("data-callbacks-fold-label") || "…";
      setOpen(button, false);
      button.addEventListener("click", () => {
        setOpen(button, button.getAttribute("aria-expanded") !== "true");
        refresh(table);
      });
      cell.append(button);
    }
    table.classList.add("callbacks-foldable");
    refresh(table);
  };

  /* Open every object that hides the element of the URL's fragment, then show it. */
  const reveal = () => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (!target) return;
    const row = target.closest("tr[data-callbacks-fold-in]");
    if (!row || !row.classList.contains("callbacks-folded")) return;
    const table = row.closest("table");
    for (const number of folds(row)) {
      const button = buttonOf(table, number);
      if (button) setOpen(button, true);
    }
    refresh(table);
    target.scrollIntoView({ behavior: "instant" });
  };

  const foldTables = () => {
    const tables = new Set();
    for (const row of document.querySelectorAll("table.callbacks-table tr[data-callbacks-fold]")) {
      tables.add(row.closest("table"));
    }
    for (const table of tables) addButtons(table);
    reveal();
    window.addEventListener("hashchange", reveal);
  };

  const start = () => {
    foldTables();
    watchScrollBoxes();
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
