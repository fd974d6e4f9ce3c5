"""Where exercises appear: HTML-comment shortcodes in lesson Markdown.

    <!-- exercises: positioning -->     every exercise of exercises/positioning.yml
    <!-- exercise: positioning-01 -->   one exercise (several: separate ids with commas)
    <!-- exercise-coverage -->          the bank's coverage table, for instructors

Any other Markdown viewer shows nothing for them. The build finds them in
the Markdown (for line numbers) and replaces them in the rendered HTML,
where Markdown has passed the comments through untouched.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .fences import prose_lines
from .problems import Problem

SHORTCODE = re.compile(r"<!--\s*(exercises|exercise)\s*:\s*(.*?)\s*-->")
# The instructors' coverage table: <!-- exercise-coverage -->
COVERAGE = re.compile(r"<!--\s*exercise-coverage\s*-->")


@dataclass(frozen=True)
class Shortcode:
    kind: str  # "exercises" (a whole file) or "exercise" (ids)
    names: tuple
    line: int
    column: int


def parse_names(text: str) -> tuple:
    return tuple(name for name in re.split(r"[,，、\s]+", text) if name)


def find(markdown: str) -> list[Shortcode]:
    """Shortcodes outside fenced code blocks, with their positions."""
    found = []
    for number, line in prose_lines(markdown):
        for match in SHORTCODE.finditer(line):
            found.append(Shortcode(match.group(1), parse_names(match.group(2)), number, match.start() + 1))
    return found


def check(codes: list[Shortcode], bank, page_path: str) -> list[Problem]:
    """Every shortcode names exercises that exist."""
    problems = []
    for code in codes:
        if not code.names:
            problems.append(Problem(
                page_path, code.line, code.column, "", code.kind,
                "短代码没有写练习文件名或题目编号。",
                "写成 <!-- exercises: 文件名 --> 或 <!-- exercise: 题目编号 -->。",
            ))
        for name in code.names:
            if code.kind == "exercises" and name not in bank.groups and name not in bank.unreadable:
                problems.append(Problem(
                    page_path, code.line, code.column, "", code.kind,
                    f"没有练习文件 exercises/{name}.yml。",
                    _suggest(name, list(bank.groups), "现有的练习文件："),
                ))
            if code.kind == "exercise" and not bank.known(name):
                problems.append(Problem(
                    page_path, code.line, code.column, name, code.kind,
                    f"没有编号为 {name} 的练习。",
                    _suggest(name, bank.all_ids(), "检查编号拼写；相近的编号："),
                ))
    return problems


def _suggest(name: str, known: list[str], lead: str) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    choices = close or known[:5]
    return lead + ("、".join(choices) if choices else "（暂无）") + "。"


def shown_ids(codes: list[Shortcode], bank) -> set[str]:
    shown = set()
    for code in codes:
        for name in code.names:
            shown.update(bank.groups.get(name, ()) if code.kind == "exercises" else (name,))
    return shown
