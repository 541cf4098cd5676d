"""The text of a Format cell when no source gives display text.

A Format cell is, in order, the source's display text, its enum values, its example, a
readable name of its JSON Schema ``format``, or its type (``docs/sources.rst``, "How the
Format cell is made"); this module names formats and writes values.
"""

from __future__ import annotations

import json
from typing import Any

#: Readable names of JSON Schema ``format`` values; others are shown as they are.
FORMAT_NAMES: dict[str, str] = {
    "uuid": "UUID",
    "date-time": "date and time (RFC 3339)",
    "date": "date (RFC 3339)",
    "time": "time (RFC 3339)",
    "duration": "duration (ISO 8601)",
    "email": "email address",
    "idn-email": "email address",
    "uri": "URI",
    "uri-reference": "URI reference",
    "iri": "IRI",
    "url": "URL",
    "hostname": "host name",
    "idn-hostname": "host name",
    "ipv4": "IPv4 address",
    "ipv6": "IPv6 address",
    "int32": "32-bit integer",
    "int64": "64-bit integer",
    "float": "floating-point number",
    "double": "floating-point number",
    "byte": "base64-encoded bytes",
    "binary": "binary data",
    "password": "password",
    "unix-time": "Unix timestamp",
    "regex": "regular expression",
    "json-pointer": "JSON pointer",
}


def format_name(json_format: str) -> str:
    """A readable name for a JSON Schema ``format`` keyword."""
    return FORMAT_NAMES.get(json_format, json_format)


def value_text(value: Any) -> str:
    """How a JSON value is shown in a cell: strings as they are, the rest as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
