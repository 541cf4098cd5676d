"""Eleven documents whose tables reference each other across documents."""

from tests.testtable import setup  # noqa: F401

exclude_patterns = ["_build"]
