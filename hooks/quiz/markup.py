"""Instructor-written Markdown to safe HTML.

Prompts, options and explanations are Markdown. Whatever raw HTML they carry
is cleaned by nh3 (the Ammonia sanitiser), so a pasted <script> or an
onclick never reaches a trainee's browser. Plain text, the common case,
skips the Markdown parser altogether.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import markdown
import nh3

# Characters that can make Markdown do something; text without them is plain.
MARKDOWN_SIGNS = re.compile(r"[*_`\[\]<>#|\\!~\n]|^\s*([-+]|\d+\.)\s", re.M)
_converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


@lru_cache(maxsize=4096)
def block(text: str) -> str:
    """Markdown that may hold paragraphs, lists and tables."""
    text = text.strip()
    if not MARKDOWN_SIGNS.search(text):
        return f"<p>{html.escape(text, quote=False)}</p>"
    _converter.reset()
    return nh3.clean(_converter.convert(text))


@lru_cache(maxsize=4096)
def inline(text: str) -> str:
    """Markdown for a single line (an option, an item): no wrapping paragraph."""
    rendered = block(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered
