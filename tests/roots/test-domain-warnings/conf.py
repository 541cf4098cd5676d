"""References that resolve nowhere, and a name defined twice."""

from tests.testtable import setup  # noqa: F401

extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
