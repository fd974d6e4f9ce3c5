"""MkDocs' own English warnings, each given a Chinese line with file and line number.

Instructors meet a handful of MkDocs' messages: a broken link, a missing
anchor, a page left out of the nav, a nav entry with no page, and the strict
abort. `ChineseLines` is a filter for the console handler: it keeps MkDocs'
line (administrators search for it) and adds the same finding as
`python3 run.py check` words it, from lesson_check. Nothing here imports MkDocs.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import lesson_check

LINK = re.compile(r"^Doc file '(?P<page>[^']+)' contains (?:a|an unrecognized relative|an absolute) link '(?P<url>[^']*)'")
OMITTED = re.compile(r"^The following pages exist in the docs directory, but are not included in the \"nav\" configuration:\n(?P<pages>(?:  - .+\n?)+)")
NAV_MISSING = re.compile(r"^A reference to '(?P<url>[^']+)' is included in the 'nav' configuration, which is not found")
STRICT_ABORT = re.compile(r"^Aborted with (?P<count>\d+) warnings? in strict mode!")


class ChineseLines(logging.Filter):
    """Adds the Chinese line under each MkDocs warning it knows; passes every record on."""

    def __init__(self, project_dir: Path, docs_dir: Path):
        super().__init__()
        self.project_dir = project_dir
        self.docs_dir = docs_dir
        self._findings = None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING and not getattr(record, "course_chinese", False):
            lines = self.chinese(record.getMessage())
            if lines:
                record.msg = record.getMessage() + "".join(f"\n{line}" for line in lines)
                record.args = ()
                record.course_chinese = True
        return True

    def chinese(self, message: str) -> list[str]:
        link = LINK.match(message)
        if link:
            return self._for_link(link["page"], link["url"])
        omitted = OMITTED.match(message)
        if omitted:
            pages = [line[4:].strip() for line in omitted["pages"].splitlines() if line.strip()]
            return [f"docs/{page}:1:1：[课文] 这一页没有列入 mkdocs.yml 的 nav（导航），学员在网站上找不到它。"
                    f" 修改方法：在 mkdocs.yml 的 nav 中加一行，或删去这个文件。" for page in pages]
        missing = NAV_MISSING.match(message)
        if missing:
            return [f"mkdocs.yml:1:1：[课文] nav（导航）中的 {missing['url']} 在 docs/ 中不存在。 修改方法：检查文件名拼写，或删去这一项。"]
        return []

    def _for_link(self, page: str, url: str) -> list[str]:
        for problem in self.findings():
            if problem.path == f"docs/{page}" and f"“{url}”" in problem.message:
                return [problem.format()]
        line = self._line_of(page, url)
        return [f"docs/{page}:{line}:1：[课文] 链接“{url}”有问题（见上一行英文提示）。 修改方法：检查链接的文件名、相对路径和 # 后的锚点。"]

    def findings(self):
        """The lesson check's link problems, worked out once, when the first link warning comes."""
        if self._findings is None:
            texts, _ = lesson_check.read_lessons(self.docs_dir, self.project_dir)
            self._findings = lesson_check.check_links(texts, self.docs_dir)
        return self._findings

    def _line_of(self, page: str, url: str) -> int:
        try:
            text = (self.docs_dir / page).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            return 1
        at = text.find(f"({url}")
        return text.count("\n", 0, at) + 1 if at >= 0 else 1


def install(project_dir: Path, docs_dir: Path, console_handlers) -> None:
    """Put a fresh ChineseLines on each console handler (a preview rebuilds: replace, not add)."""
    for handler in console_handlers:
        for old in [f for f in handler.filters if isinstance(f, ChineseLines)]:
            handler.removeFilter(old)
        handler.addFilter(ChineseLines(project_dir, docs_dir))


def strict_abort_line(message: str) -> str | None:
    """The Chinese line for MkDocs' "Aborted with N warnings in strict mode!"."""
    match = STRICT_ABORT.match(message)
    if not match:
        return None
    return f"严格模式：有 {match['count']} 条警告（见上面各行），构建中止。请逐条修改后重新构建。"
