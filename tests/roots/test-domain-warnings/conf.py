"""References that resolve nowhere, and a name defined twice."""

from tests.testtable import setup  # noqa: F401

exclude_patterns = ["_build"]
