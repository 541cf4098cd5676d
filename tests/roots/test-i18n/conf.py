extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
project = "i18n"
author = "sphinxext-callbacks"
copyright = "2026, sphinxext-callbacks"
version = release = "1.0"
language = "cy"
locale_dirs = ["locales"]
gettext_compact = False
