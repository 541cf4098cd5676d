extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "groups"
author = "sphinxext-callbacks"
copyright = "2026, sphinxext-callbacks"
version = release = "1.0"
