# A project of its own, built by tests/release_check.py with the installed wheel (not the
# source tree): the GOV.UK template, the stylesheet and both directives must come from the wheel.
extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "release"
author = "sphinxext-callbacks"
copyright = "2026, sphinxext-callbacks"
version = release = "1.0"
callbacks_html_template = "govuk.html"
