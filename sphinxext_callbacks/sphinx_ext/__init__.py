"""The Sphinx glue: directives, the ``callback`` domain, configuration and the
bookkeeping that lets incremental and parallel builds re-read only what changed."""
