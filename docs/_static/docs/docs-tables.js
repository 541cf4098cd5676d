// The hand-written tables of these docs (the performance figures, the configuration
// reference) are wider than a phone. Alabaster lets them widen the page; each is put in a
// box of its own that scrolls sideways instead, as the extension does for its own tables.
// The box, not the table, scrolls: a table given display: block loses its table semantics
// in some screen readers.
document.addEventListener("DOMContentLoaded", () => {
  for (const table of document.querySelectorAll("div.body table.docutils")) {
    if (table.closest(".callbacks-scroll, .docs-scroll")) continue;
    const box = document.createElement("div");
    box.className = "docs-scroll";
    // A region needs a name; a table without a caption gets a plain box.
    const caption = table.querySelector(":scope > caption");
    if (caption) {
      box.setAttribute("aria-label", caption.textContent.trim());
      box.setAttribute("role", "region");
    }
    box.tabIndex = 0; // a keyboard can scroll it
    table.replaceWith(box);
    box.append(table);
  }
});
