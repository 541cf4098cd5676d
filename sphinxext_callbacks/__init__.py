"""Sphinx directives that document the callbacks and webhooks an API sends."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Not at run time: importing a reader or the model must not import Sphinx.
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

#: Bump when what the extension keeps in the environment changes shape.
ENV_VERSION = 8


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the directives, nodes, configuration values and static files."""
    from sphinxext_callbacks.render import callback_nodes as nodes
    from sphinxext_callbacks.render import html_template as templates
    from sphinxext_callbacks.render import man, transforms
    from sphinxext_callbacks.sphinx_ext import (
        build_cache,
        catalogue_directive,
        catalogue_pages,
        config,
        domain,
        example_directive,
        export,
        request_directive,
        spec_tracking,
        tracking,
    )
    from sphinxext_callbacks.sphinx_ext import table_directive as directives

    config.add_config_values(app)
    app.add_message_catalog("sphinxext_callbacks", str(Path(__file__).parent / "locale"))
    app.add_node(
        nodes.callbacks_entry,
        html=(nodes.visit_callbacks_entry_html, nodes.depart_callbacks_entry_html),
        man=(man.visit_callbacks_entry_man, man.depart_callbacks_entry_man),
    )
    # Enumerable like the nodes.table it extends, so that numfig and :ref: still find it.
    app.add_enumerable_node(
        nodes.callbacks_table,
        "table",
        html=(templates.visit_callbacks_table_html, templates.depart_callbacks_table_html),
        man=(man.visit_callbacks_table_man, man.depart_callbacks_table_man),
    )
    app.add_node(
        nodes.callbacks_schema_link,
        html=(nodes.visit_callbacks_schema_link_html, nodes.depart_callbacks_schema_link_html),
    )
    app.add_directive("callback-table", directives.CallbackTableDirective)
    domain.setup_domain(app)
    example_directive.setup_example(app)
    request_directive.setup_request(app)
    catalogue_directive.setup_catalogue(app)
    catalogue_pages.setup_pages(app)
    spec_tracking.setup_spec_tracking(app)
    app.connect("build-finished", export.write_schemas)
    app.add_post_transform(transforms.HideForPrint)
    app.add_post_transform(transforms.WidenForText)
    app.add_post_transform(transforms.FlattenNestedTables)
    app.add_post_transform(transforms.UnspanForMan)
    app.add_post_transform(export.SchemaLinks)
    app.connect("builder-inited", build_cache.forget_files)
    app.connect("env-get-outdated", tracking.on_env_get_outdated)
    app.connect("env-purge-doc", tracking.on_env_purge_doc)
    app.connect("env-merge-info", tracking.on_env_merge_info)
    app.connect("source-read", tracking.on_source_read)
    app.connect("env-before-read-docs", build_cache.on_env_before_read_docs)
    app.connect("env-updated", build_cache.on_env_updated)
    app.connect("build-finished", build_cache.on_build_finished)
    app.connect("builder-inited", _copy_static)
    app.connect("builder-inited", templates.load_configured_template)
    app.add_css_file("callbacks.css")
    app.add_js_file("callbacks.js", loading_method="defer")
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _copy_static(app: Sphinx) -> None:
    """Put the stylesheet and script in the output's ``_static``, where ``add_css_file`` and
    ``add_js_file`` link to them.

    Not by adding a folder to ``html_static_path``: a value changed after the configuration
    was read makes every incremental build report that the configuration has changed.
    """
    if app.builder.format != "html":
        return
    for source in sorted((Path(__file__).parent / "render" / "static").iterdir()):
        target = Path(app.builder.outdir) / "_static" / source.name
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
