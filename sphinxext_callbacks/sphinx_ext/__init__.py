"""The Sphinx glue: directives, the ``callback`` domain, configuration and the
bookkeeping that lets incremental and parallel builds re-read only what changed.

``base`` holds what both directives share (source requests, located warnings, the guard
that turns a bug into one ``callbacks.internal`` warning); ``table_directive`` and
``example_directive`` are one directive each; ``domain`` keeps named tables for references;
``tracking`` decides which pages an incremental build reads again; ``build_cache`` holds each
build's parsed files; ``config`` declares and checks the ``callbacks_*`` values.
"""
