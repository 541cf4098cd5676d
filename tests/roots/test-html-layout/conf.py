"""One table of dotted keys, for the markup of narrow screens and deep keys."""

extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
