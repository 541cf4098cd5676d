extensions = ["sphinxext_callbacks"]
numfig = True
exclude_patterns = ["_build"]
callbacks_headings = ["Name", "Meaning", "Looks like"]
callbacks_null_text = "or nil"
callbacks_enum_separator = ", "
