"""The exercise engine: YAML exercises checked against one schema and rendered
as self-check HTML. Nothing here imports MkDocs; `course_hooks.py` is the only
bridge, so another site engine would only need a new bridge.
"""
