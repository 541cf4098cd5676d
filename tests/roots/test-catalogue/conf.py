extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build", "specs"]
show_warning_types = True
