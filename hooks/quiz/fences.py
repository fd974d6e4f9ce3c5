"""Lines of Markdown that are prose: not the inside of a fenced code block, nor the front matter."""

from __future__ import annotations

import re
from typing import Iterator

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def prose_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) for every line outside ``` and ~~~ fences and the front matter
    (whose YAML notes start with "# " as headings do)."""
    fence = None
    lines = markdown.splitlines()
    start = front_matter_end(lines)
    for number, line in enumerate(lines[start:], start=start + 1):
        opener = FENCE.match(line)
        if opener:
            marker = opener.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            continue
        if not fence:
            yield number, line


def front_matter_end(lines: list[str]) -> int:
    """How many of the first lines are the front matter: --- on the first, up to the next --- or ...."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index + 1
    return 0
