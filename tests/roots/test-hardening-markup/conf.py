extensions = ["sphinxext_callbacks", "myst_parser"]
exclude_patterns = ["_build"]
