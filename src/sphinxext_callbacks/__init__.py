"""Sphinx directives that document the callbacks and webhooks an API sends."""

from __future__ import annotations

__version__ = "0.1.0"
