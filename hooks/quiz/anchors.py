"""Heading anchors of lesson Markdown, as the site's table of contents makes them.

Exercises name the section they train as `page.md#anchor`. The build and the
standalone check both read anchors from here, so they agree; a test holds
this against the ids of the built pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from pymdownx.slugs import slugify

from .fences import prose_lines

# Mirrors the toc slugify in mkdocs.yml: Chinese kept, punctuation dropped.
default_slugify = slugify(case="lower")

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
ATTR_ID = re.compile(r"\s*\{[:\s]*[^}]*#([\w\-\u4e00-\u9fff]+)[^}]*\}\s*$")
# attr_list's block at a heading's end without an id ({ .class }): not part of the title or its slug.
ATTR_LIST = re.compile(r"\s*\{:?[ \t]*[.\w][^}]*\}\s*$")
INLINE_MARKUP = re.compile(r"[*_`]|\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Heading:
    anchor: str
    title: str
    level: int
    line: int = 0  # 1-based line of the heading in the Markdown, for messages


def outline(markdown: str, slug: Callable[[str, str], str] = default_slugify) -> list[Heading]:
    """Headings in document order, ids numbered for duplicates as the toc does."""
    found: list[Heading] = []
    taken: set[str] = set()
    for number, line in prose_lines(markdown):
        match = HEADING.match(line)
        if not match:
            continue
        text = match.group(2)
        custom = ATTR_ID.search(text)
        if custom:
            text = text[: custom.start()]
            anchor = custom.group(1)
        else:
            listed = ATTR_LIST.search(text)
            text = text[: listed.start()] if listed else text
            plain = INLINE_MARKUP.sub(lambda m: m.group(1) or "", text)
            anchor = slug(plain, "-")
        title = INLINE_MARKUP.sub(lambda m: m.group(1) or "", text).strip()
        unique, counter = anchor, 0
        while unique in taken:
            counter += 1
            unique = f"{anchor}_{counter}"
        taken.add(unique)
        found.append(Heading(unique, title, len(match.group(1)), number))
    return found


def headings(markdown: str, slug: Callable[[str, str], str] = default_slugify) -> dict[str, str]:
    """anchor -> heading text, in document order."""
    return {h.anchor: h.title for h in outline(markdown, slug)}
