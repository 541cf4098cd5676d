"""Imported only if automodule runs: the marker file says that it did."""

from pathlib import Path

Path(__file__).with_name("MARKER-automodule").touch()
