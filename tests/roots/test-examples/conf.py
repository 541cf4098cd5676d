# The example files are copied into examples/ by the test (tests/data/examples).
extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build", "examples"]
