"""Lines of Markdown that are prose, not the inside of a fenced code block."""

from __future__ import annotations

import re
from typing import Iterator

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def prose_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) for every line outside ``` and ~~~ fences."""
    fence = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        opener = FENCE.match(line)
        if opener:
            marker = opener.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            continue
        if not fence:
            yield number, line
