extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "folding"
