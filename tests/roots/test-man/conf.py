extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "man"
man_pages = [("index", "callbacks", "Callbacks", [], 7)]
