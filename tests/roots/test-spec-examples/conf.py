"""The spec's own examples: named media-type examples, a schema's examples, one picked."""

extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
