"""A stand-in for ``callback-table`` in test roots: ``test-table NAME``, one field a line.

Body lines are ``key [type] [required] [nullable] [enum=a|b] [format=F] [example=V]`` (an
underscore in the type stands for a space). It calls ``note_table`` and ``make_index_node``
exactly as the real directive does, so that the domain is tested on its own.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from sphinxext_callbacks.model.fields import Field
from sphinxext_callbacks.model.paths import parse_path
from sphinxext_callbacks.sphinx_ext.domain import CallbackDomain, make_index_node
from tests.helpers import typed


def parse_field(line: str) -> Field:
    key, *words = line.split()
    attrs: dict[str, Any] = {}
    for word in words:
        if word == "required":
            attrs["required"] = True
        elif word == "nullable":
            attrs["nullable"] = True
        elif word.startswith("enum="):
            attrs["enum"] = tuple(word[5:].split("|"))
        elif word.startswith("format="):
            attrs["json_format"] = word[7:]
        elif word.startswith("example="):
            attrs["example"] = word[8:]
        else:
            attrs.update(typed(word.replace("_", " ")))
    return Field(parse_path(key), **attrs)


class TestTable(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"caption": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        fields = [parse_field(line) for line in self.content if line.strip()]
        anchor = nodes.make_id(f"callback-{name}")
        row_anchors = {f.key: nodes.make_id(f"callback-{name}-{f.key}") for f in fields}
        container = nodes.container(ids=[anchor], classes=["test-table"])
        for field in fields:
            container += nodes.paragraph(field.key, field.key, ids=[row_anchors[field.key]])
        self.set_source_info(container)
        domain = self.env.get_domain("callback")
        assert isinstance(domain, CallbackDomain)
        domain.note_table(
            name,
            docname=self.env.docname,
            anchor=anchor,
            caption=self.options.get("caption"),
            fields=fields,
            row_anchors=row_anchors,
            location=self.get_location(),
        )
        index = make_index_node(name, [f.key for f in fields], row_anchors, anchor)
        return [index, container]


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("test-table", TestTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
