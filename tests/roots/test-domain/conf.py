"""Eleven documents whose tables reference each other across documents."""

from tests.testtable import setup  # noqa: F401

extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
