"""Readers: a directive body or a data file in, model objects and problems out.

Pure Python, testable without Sphinx. ``files`` loads YAML, JSON and TOML safely and
parses each file once per build; ``sources`` is the entry point that selects a part of
a file and hands it to the reader the registry picks. A new source format is one
module here plus one line in ``registry``.
"""
