extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "welsh"
language = "cy"
