"""The text of a Format cell when no source gives display text.

A Format cell is, in order, the source's display text, its enum values, its example, a
readable name of its JSON Schema ``format``, or its type (``docs/sources.rst``, "How the
Format cell is made"); this module names formats and writes values.
"""

from __future__ import annotations

import json
from typing import Any


def N_(message: str) -> str:
    """Mark ``message`` for the extension's message catalogue, and return it unchanged.

    The model has no translation in it: the renderer looks each name up in the catalogue
    of the page's language; this mark lets ``pybabel extract`` find the names.
    """
    return message


#: Readable names of JSON Schema ``format`` values; others are shown as they are.
FORMAT_NAMES: dict[str, str] = {
    "uuid": N_("UUID"),
    "date-time": N_("date and time (RFC 3339)"),
    "date": N_("date (RFC 3339)"),
    "time": N_("time (RFC 3339)"),
    "duration": N_("duration (ISO 8601)"),
    "email": N_("email address"),
    "idn-email": N_("email address"),
    "uri": N_("URI"),
    "uri-reference": N_("URI reference"),
    "uri-template": N_("URI template"),
    "iri": N_("IRI"),
    "url": N_("URL"),
    "hostname": N_("host name"),
    "idn-hostname": N_("host name"),
    "ipv4": N_("IPv4 address"),
    "ipv6": N_("IPv6 address"),
    "int32": N_("32-bit integer"),
    "int64": N_("64-bit integer"),
    "float": N_("floating-point number"),
    "double": N_("floating-point number"),
    "byte": N_("base64-encoded bytes"),
    "binary": N_("binary data"),
    "password": N_("password"),
    "unix-time": N_("Unix timestamp"),
    "regex": N_("regular expression"),
    "json-pointer": N_("JSON pointer"),
}


def format_name(json_format: str) -> str:
    """A readable name for a JSON Schema ``format`` keyword."""
    return FORMAT_NAMES.get(json_format, json_format)


def value_text(value: Any) -> str:
    """How a JSON value is shown in a cell: strings as they are, the rest as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
