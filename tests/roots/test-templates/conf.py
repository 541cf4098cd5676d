extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
templates_path = ["_templates"]
project = "templates"
author = "sphinxext-callbacks"
copyright = "2026, sphinxext-callbacks"
version = release = "1.0"
