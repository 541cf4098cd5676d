extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "inline"
author = "sphinxext-callbacks"
copyright = "2026, sphinxext-callbacks"
version = release = "1.0"
