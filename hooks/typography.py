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

import re

import autocorrect_py

from quiz.pages import FRONT_MATTER

CONTEXT = 6  # characters shown on each side of a change
# A front matter line's words: a list item's, a key's value (quoted or not), a note's.
FRONT_MATTER_WORDS = re.compile(
    r"""^\s*(?:-\s+|#\s*|(?:"[^"]*"|'[^']*'|[^:#"']+):\s+)["']?(?P<words>[^"'#]*?)["']?\s*$""")
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
    """Every typography finding in one Markdown document.

    Its front matter is YAML: the colon after a key is syntax, not a half-width
    colon in Chinese text, so only the words in it are checked (what follows
    "- ", a key's value, a # note), each where it stands."""
    found = FRONT_MATTER.match(text)
    if not found:
        return _lint(text, path)
    head = found.group(0)
    findings = _lint("\n" * head.count("\n") + text[found.end():], path)
    for number, line in enumerate(head.splitlines(), start=1):
        words = FRONT_MATTER_WORDS.match(line)
        if words and words.group("words"):
            for item in autocorrect_py.lint_for(words.group("words"), "front-matter.txt").lines:
                findings.append(Finding(path, number, words.start("words") + item.col, item.old, item.new))
    return sorted(findings, key=lambda f: (f.line, f.column))


def _lint(text: str, path: str) -> list[Finding]:
    result = autocorrect_py.lint_for(text, path)
    return [
        Finding(path=path, line=item.line, column=item.col, old=item.old, new=item.new)
        for item in result.lines
    ]
