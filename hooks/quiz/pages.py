"""The lesson pages of a build: read once, told apart by their text, linked by their URLs.

A Markdown extension is handed the text of a page but not its name. Both
site engines give it the page's own text with the front matter taken off,
so the page is the docs file whose text, with or without its front matter,
is that text (whitespace normalised as Python-Markdown normalises it).

URLs follow MkDocs' rules (Zensical keeps them): `foo.md` is `foo/` with
directory URLs and `foo.html` without; `index.md` and `README.md` are
their folder's index.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import quote

from .yamlsource import decode

# MkDocs' front matter: YAML between --- and --- (or ...), from the first line.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
# Python-Markdown's placeholders' marks, which it removes from the text it is given.
STX, ETX = "\x02", "\x03"


def comparable(text: str, tab_length: int = 4) -> str:
    """Text as Python-Markdown's first preprocessor leaves it, without blank lines at either end."""
    text = text.replace(STX, "").replace(ETX, "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.expandtabs(tab_length).split("\n")
    return "\n".join(line.rstrip(" ") if not line.strip(" ") else line for line in lines).strip("\n")


class DocsPages:
    """Every Markdown page under a docs folder: its text, and which page a text is."""

    def __init__(self, docs_dir: Path):
        self.docs_dir = docs_dir
        self.texts: dict[str, str] = {}  # page (relative to docs/) -> its text
        self.unreadable: set[str] = set()  # pages that are not UTF-8 (read here with replacements)
        for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else ():
            if not path.is_file():
                continue
            page = path.relative_to(docs_dir).as_posix()
            raw = path.read_bytes()
            text, _ = decode(raw, page)
            if text is None:
                self.unreadable.add(page)
                text = raw.decode("utf-8", errors="replace")
            self.texts[page] = text
        self._by_text: dict[int, dict[str, str]] = {}  # tab length -> {comparable text: page}

    def find(self, markdown: str, tab_length: int = 4) -> str | None:
        """The page whose text (with or without its front matter) `markdown` is, or None."""
        if tab_length not in self._by_text:
            found: dict[str, str] = {}
            for page, text in self.texts.items():
                body = FRONT_MATTER.sub("", text.replace("\r\n", "\n"), count=1)
                # The first page of a text wins, in file order; a page's body before its whole text.
                found.setdefault(comparable(body, tab_length), page)
            for page, text in self.texts.items():
                found.setdefault(comparable(text, tab_length), page)
            self._by_text[tab_length] = found
        return self._by_text[tab_length].get(comparable(markdown, tab_length))


def page_url(page: str, directory_urls: bool = True) -> str:
    """A page's URL relative to the site's root, as MkDocs makes it."""
    parent, filename = posixpath.split(page)
    stem = posixpath.splitext(filename)[0]
    stem = "index" if stem == "README" else stem
    if not directory_urls:
        return quote(posixpath.join(parent, stem + ".html"))
    if stem == "index":
        return quote((parent or ".") + "/")
    return quote(posixpath.join(parent, stem) + "/")


def relative_url(url: str, other: str) -> str:
    """`url` as seen from the page at `other` (both relative to the root), as MkDocs words it."""
    directory, _, name = other.rpartition("/")
    if "." in name:
        other = directory
    here, there = _parts(other), _parts(url)
    common = 0
    for a, b in zip(here, there):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def _parts(path: str) -> list[str]:
    path = posixpath.normpath("/" + path)[1:]
    return path.split("/") if path else []
