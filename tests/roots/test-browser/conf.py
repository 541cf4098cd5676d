# The browser test copies docs/notify.rst next to this file and builds it once per theme
# (html_theme is set by the test).
extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "Notify callbacks"
author = "sphinxext-callbacks"
copyright = "2026, sphinxext-callbacks"
version = release = "1.0"
html_permalinks = True
html_title = "Notify callbacks"
