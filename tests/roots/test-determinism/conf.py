extensions = ["sphinxext_callbacks", "myst_parser"]
exclude_patterns = ["_build"]
project = "Determinism"
# The LaTeX title page would otherwise carry the day of the build.
today = "1 January 2026"
