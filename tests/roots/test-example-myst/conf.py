"""callback-example in MyST Markdown: warnings at the lines of the body."""

from tests.testtable import setup  # noqa: F401

extensions = ["myst_parser", "sphinxext_callbacks"]
exclude_patterns = ["_build"]
