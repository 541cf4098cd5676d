"""Sphinx configuration for the sphinxext-callbacks documentation."""

from __future__ import annotations

from sphinxext_callbacks import __version__

project = "sphinxext-callbacks"
author = "sphinxext-callbacks contributors"
copyright = "2026, sphinxext-callbacks contributors"
release = __version__
version = ".".join(__version__.split(".")[:2])

extensions = ["sphinxext_callbacks", "myst_parser"]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
language = "en"

nitpicky = True

html_theme = "alabaster"
html_title = f"sphinxext-callbacks {release}"
html_theme_options = {
    "description": "Callback and webhook tables for Sphinx",
    "fixed_sidebar": True,
}

# Code colours with a contrast of at least 4.5:1 (WCAG AA), on a light background.
pygments_style = "a11y-light"

html_static_path = ["_static/docs"]
html_css_files = ["docs-tables.css"]
html_js_files = ["docs-tables.js"]

myst_heading_anchors = 3
