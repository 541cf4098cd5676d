extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
callbacks_null_text = "or nil"
