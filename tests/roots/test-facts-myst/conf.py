extensions = ["myst_parser", "sphinxext_callbacks"]
exclude_patterns = ["_build"]
