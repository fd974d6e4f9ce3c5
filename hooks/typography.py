"""Chinese typography check of the lesson Markdown, by autocorrect.

autocorrect (a maintained CJK copywriting linter) knows the rules:
full-width punctuation between Chinese characters, one space between
Chinese and Latin text or digits, and so on. This module only turns its
findings into messages an instructor can act on: file:line:column, the
spot that is wrong and what it should read.

A passage that must stay as written (a quoted title, say) can be wrapped
in `<!-- autocorrect-disable -->` … `<!-- autocorrect-enable -->`.
"""

from __future__ import annotations

from dataclasses import dataclass

import autocorrect_py

CONTEXT = 6  # characters shown on each side of a change
# How the strict verdict names what this check found.
FOUND = "中文排版问题"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    old: str
    new: str

    def message(self) -> str:
        before, after = changed_span(self.old, self.new)
        return (
            f"{self.path}:{self.line}:{self.column}：中文排版问题："
            f"“{before}”应改为“{after}”（全角标点、中英文之间的空格等）。"
        )


def changed_span(old: str, new: str) -> tuple[str, str]:
    """The differing middle of two lines, with a little context around it."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    left = max(0, start - CONTEXT)
    return (
        old[left : min(len(old), end_old + CONTEXT)].strip(),
        new[left : min(len(new), end_new + CONTEXT)].strip(),
    )


def check_markdown(text: str, path: str) -> list[Finding]:
    """Every typography finding in one Markdown document."""
    result = autocorrect_py.lint_for(text, path)
    return [
        Finding(path=path, line=item.line, column=item.col, old=item.old, new=item.new)
        for item in result.lines
    ]
