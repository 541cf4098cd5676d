import os
import sys
from pathlib import Path

# The module automodule imports: it writes a marker file when it is imported.
sys.path.insert(0, str(Path(__file__).parent))
# Where a data file's code would leave its marker files, if it ever ran.
os.environ["GATE_MARKERS"] = str(Path(__file__).parent)

extensions = [
    "sphinxext_callbacks",
    "myst_parser",
    "sphinx.ext.ifconfig",
    "sphinx.ext.autodoc",
    "sphinx.ext.graphviz",
]
myst_enable_extensions = ["substitution", "dollarmath"]
myst_substitutions = {"name": "world"}
exclude_patterns = ["_build"]
