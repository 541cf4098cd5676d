"""Example payloads: made from fields, or the author's checked against them."""

from tests.testtable import setup  # noqa: F401

extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
