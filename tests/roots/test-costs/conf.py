extensions = ["sphinxext_callbacks"]
exclude_patterns = ["_build"]
# A schema the author ships: the extension must neither delete nor overwrite it.
html_extra_path = ["extra"]
latex_documents = [("index", "costs.tex", "Costs", "Tests", "manual")]
man_pages = [("index", "costs", "Costs", ["Tests"], 1)]
