"""Render: model objects to docutils nodes.

``table`` builds the real ``table`` node every builder knows; ``markup`` parses the
text of a cell (and keeps data-file text to its allowlist); ``callback_nodes``,
``html_template`` and ``transforms`` decide how the table looks in HTML and in print.
The CSS (``static/``) and the GOV.UK template (``templates/``) live beside them.
"""
