"""The ``callbacks_*`` configuration values: their defaults, types and checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging

from sphinxext_callbacks.model.problems import WARNING_TYPE
from sphinxext_callbacks.readers.reader import MAX_ROWS

logger = logging.getLogger(__name__)

MARKUPS = ("auto", "rst", "markdown", "text")


@dataclass(frozen=True)
class Setting:
    """One configuration value.

    ``rebuild`` is what Sphinx redoes when the value changes: ``"env"`` (read every page
    again) for a value that changes the doctree, ``"html"`` (write the HTML pages again)
    for one that only HTML builders read while writing.
    """

    name: str
    default: Any
    types: tuple[type, ...]
    description: str
    check: Callable[[Any], bool]
    rebuild: Literal["env", "html"] = "env"


def _strings(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _paths(value: Any) -> bool:
    # A NUL cannot be in a path: the operating system would refuse every use of it.
    return _strings(value) and all("\0" not in v for v in value)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "callbacks_headings",
        ("Key", "Description", "Format"),
        (tuple, list),
        "The headings of the key, description and format columns.",
        lambda v: _strings(v) and len(v) == 3,
    ),
    Setting(
        "callbacks_null_text",
        "or null",
        (str,),
        "Added to the format cell of a nullable field.",
        lambda v: isinstance(v, str),
    ),
    Setting(
        "callbacks_enum_separator",
        " | ",
        (str,),
        "Put between enum values in a format cell.",
        lambda v: isinstance(v, str),
    ),
    Setting(
        "callbacks_allowed_paths",
        [],
        (list, tuple),
        "Folders outside the source directory that :source: may read.",
        _paths,
    ),
    Setting(
        "callbacks_description_markup",
        "auto",
        (str,),
        "How descriptions from files are parsed: auto, rst, markdown or text.",
        lambda v: v in MARKUPS,
    ),
    Setting(
        "callbacks_default_language",
        "en",
        (str,),
        "The language of a per-language text to show when Sphinx's language has none.",
        lambda v: isinstance(v, str) and bool(v),
    ),
    Setting(
        "callbacks_link_base",
        None,
        (str, type(None)),
        "A URL that a spec's site-relative links (/errors/x) are placed under.",
        lambda v: v is None or (isinstance(v, str) and v.startswith(("https://", "http://"))),
    ),
    Setting(
        "callbacks_index_fields",
        False,
        (bool,),
        "Whether field rows get general-index entries (tables always do).",
        lambda v: isinstance(v, bool),
    ),
    Setting(
        "callbacks_fold_rows",
        10,
        (int,),
        "In HTML, a nested object with more rows than this starts folded (0: never).",
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    ),
    Setting(
        "callbacks_max_rows",
        MAX_ROWS,
        (int,),
        "The most rows a table read from a file or spec shows; past it, the table ends with "
        "a note.",
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    ),
    Setting(
        "callbacks_html_template",
        None,
        (str, type(None)),
        "A Jinja2 template that renders tables in HTML builders.",
        lambda v: v is None or (isinstance(v, str) and bool(v)),
        rebuild="html",
    ),
    Setting(
        "callbacks_schema_links",
        True,
        (bool,),
        "Whether each named table links to its published JSON Schema (HTML builders).",
        lambda v: isinstance(v, bool),
        rebuild="html",
    ),
)


def add_config_values(app: Sphinx) -> None:
    """Declare every setting, with its types."""
    for setting in SETTINGS:
        app.add_config_value(
            setting.name,
            setting.default,
            setting.rebuild,
            types=frozenset(setting.types),
            description=setting.description,
        )
    app.connect("config-inited", check_config)


def check_config(app: Sphinx, config: Config) -> None:
    """Replace each invalid value by its default, with a ``callbacks.config`` warning."""
    for setting in SETTINGS:
        value = config[setting.name]
        if not setting.check(value):
            logger.warning(
                "invalid %s = %r: %s Using the default, %r.",
                setting.name,
                value,
                setting.description,
                setting.default,
                type=WARNING_TYPE,
                subtype="config",
            )
            config[setting.name] = setting.default
    # Relative folders are relative to conf.py, as Sphinx's own paths are.
    allowed: list[str] = []
    for path in config.callbacks_allowed_paths:
        try:
            allowed.append(str((Path(app.confdir) / path).resolve()))
        except (OSError, RuntimeError, ValueError) as err:  # a loop of symbolic links
            logger.warning(
                "invalid callbacks_allowed_paths entry %r: %s; it is left out",
                path,
                err,
                type=WARNING_TYPE,
                subtype="config",
            )
    config.callbacks_allowed_paths = allowed
