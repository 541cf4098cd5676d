extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "welsh-formats"
language = "cy"
