"""The exercise engine: YAML exercises checked against one schema and rendered
as self-check HTML. Nothing here imports a site engine: `extension.py` plugs it
into Python-Markdown, which MkDocs, its forks and Zensical all run, and
`exercise_hooks.py` beside this package adds what only MkDocs' hooks can (a
session per build, the whole-course checks at its end).
"""
