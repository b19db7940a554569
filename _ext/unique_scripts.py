"""Sphinx extension: drop repeated <script> entries from each page.

sphinx-thebe and sphinx-togglebutton (loaded by Jupyter Book) register their inline scripts
twice (once with the file name ``None``, once with ``""``), so every page declares
``const THEBE_JS_URL = ...`` twice and the browser reports "Identifier 'THEBE_JS_URL' has
already been declared". The browser test of the book catches that; this keeps one copy.
"""

from __future__ import annotations


def _key(script) -> tuple:
    # the same inline script is registered once with filename None and once with "": same script
    filename = getattr(script, "filename", script) or ""
    attributes = getattr(script, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def unique_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
