"""The consolidated government portal generator.

The pipeline, one layer per sub-package; a layer imports only from the layers above it in this list
(tests/test_layers.py fails on an upward import, an import cycle or a private name taken from another module):

    util     leaf helpers: atomic writes, the build clock, GC pauses, Markdown → safe HTML, SVG charts
    model    the content model (content.py), its JSON Schema, normalizers, rule table and URL scheme
    stages   load → validate (+ normalize) → index; pipeline.check() strings them together
    checks   figures and verdicts over the index: statistics, the 19号 inspection, the link checker
    pages    emit(): every page as a PageSpec of a declared PageKind, plus static files (one module per family)
    render   MkDocs plugin, fast renderer, Pagefind search index, atomic `portal build`
    tools    the `portal` command line, the live preview, the importer, scaffolding, CODEOWNERS

See docs/architecture.md.
"""
