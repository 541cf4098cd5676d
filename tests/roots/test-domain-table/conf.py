"""The real callback-table as a target of the domain."""

extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
