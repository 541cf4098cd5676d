"""The model: what every source is read into and what every renderer reads.

Plain, picklable dataclasses and pure functions, with no docutils or Sphinx in sight:
fields and callbacks (``fields``), the problems readers report and the registry of
warning subtypes (``problems``), readable names of formats (``formats``), and example
payloads made from or checked against fields (``examples``).
"""
