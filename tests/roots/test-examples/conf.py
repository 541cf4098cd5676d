# The test copies the docs' example specs (docs/examples) into examples/.
extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build", "examples"]
