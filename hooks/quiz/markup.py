"""Instructor-written Markdown to safe HTML, and what that HTML holds.

Prompts, options and explanations are Markdown. Whatever raw HTML they carry
is cleaned by nh3 (the Ammonia sanitiser), so a pasted <script> or an
onclick never reaches a trainee's browser. Plain text, the common case,
skips the Markdown parser altogether.

The cleaned HTML never holds a control character (not even one written as
&#31;): the renderer marks places in its own markup with them. Reading it
back (`walk`) gives its text, for the search index, and the addresses it
would load, for the check that nothing comes from outside the site.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from typing import Iterator

import markdown
import nh3

# Characters that can make Markdown do something; text without them is plain.
# `&` too: Markdown reads &lt; as a character, the plain path would show it as written.
MARKDOWN_SIGNS = re.compile(r"[*_`\[\]<>#|\\!~&\n]|^\s*([-+]|\d+\.)\s", re.M)
# C0 and C1 control characters but tab and newline: no text needs them, and
# the renderer's placement marks are made of them.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def without_controls(text: str) -> str:
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def esc(text) -> str:
    """Text for HTML, as element content or a quoted attribute value."""
    return html.escape(without_controls(str(text)), quote=True)


@lru_cache(maxsize=4096)
def block(text: str) -> str:
    """Markdown that may hold paragraphs, lists and tables."""
    text = text.strip()
    if not MARKDOWN_SIGNS.search(text):
        return f"<p>{html.escape(without_controls(text), quote=False)}</p>"
    _converter.reset()
    return without_controls(nh3.clean(_converter.convert(text)))


@lru_cache(maxsize=4096)
def inline(text: str) -> str:
    """Markdown for a single line (an option, an item): no wrapping paragraph."""
    rendered = block(text)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


# -- reading cleaned HTML back --------------------------------------------------

# Elements that never hold content, so never enclose what follows them.
VOID = {"area", "br", "col", "hr", "img", "input", "wbr"}
# Attributes of what nh3 lets through that make the browser fetch something
# as the page loads (a test holds this against nh3's list).
RESOURCE_ATTRIBUTES = {("img", "src")}
ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("tag", tag, attrs, tuple(self.open)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.events.append(("tag", tag, attrs, tuple(self.open)))

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        self.events.append(("text", data, tuple(self.open)))


def walk(cleaned: str) -> Iterator[tuple]:
    """("tag", name, [(attribute, value)], enclosing) and ("text", text, enclosing), in order.

    Values come decoded, as the browser reads them; `enclosing` names the open elements.
    """
    walker = _Walker()
    walker.feed(cleaned)
    walker.close()
    return iter(walker.events)


def text(cleaned: str) -> str:
    """The words of cleaned HTML, as plain text on one line."""
    if cleaned.startswith("<p>") and cleaned.count("<") == 2 and cleaned.endswith("</p>"):
        words = html.unescape(cleaned[3:-4])  # the plain path's output
    else:
        words = "".join(event[1] for event in walk(cleaned) if event[0] == "text")
    return ASCII_SPACE.sub(" ", words).strip()


def resources(cleaned: str) -> list[str]:
    """Every address cleaned HTML makes the browser fetch as the page loads."""
    if "<img" not in cleaned:
        return []
    return [
        value or ""
        for event in walk(cleaned) if event[0] == "tag"
        for name, value in event[2] if (event[1], name) in RESOURCE_ATTRIBUTES
    ]


SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
EDGES = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")


def is_outside(url: str) -> bool:
    """Whether the browser would fetch `url` from another host (or another kind of place).

    Read as a browser reads it: tabs and newlines dropped anywhere, spaces and
    control characters at the ends, and a backslash taken for a slash. What is
    left is ours only as a path: no scheme, no //host.
    """
    url = EDGES.sub("", re.sub(r"[\t\n\r]", "", url)).replace("\\", "/")
    return url.startswith("//") or bool(SCHEME.match(url))
