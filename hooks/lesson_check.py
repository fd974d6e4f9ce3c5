"""The lessons' own checks, without building: encoding, links and anchors, the nav.

The strict build finds the same through MkDocs; `python3 run.py check` finds
them here in a second or two, worded for instructors with file and line.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import editions
from quiz import anchors
from quiz.fences import prose_lines
from quiz.pages import DocsPages
from quiz.rules import closest_first
from quiz.yamlsource import decode

DOCS_DIR = "docs"
# [text](target "title") and ![alt](target); reference definitions [name]: target.
INLINE_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+\1")
OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
# Ids a page carries besides its headings: attr_list {#id}, raw HTML id="…", footnotes.
EXPLICIT_ID = re.compile(r"\{[^}]*#([^\s}]+)[^}]*\}|\bid=[\"']([^\"']+)[\"']")
FOOTNOTE = re.compile(r"^\[\^([^\]]+)\]:", re.M)


@dataclass(frozen=True, order=True)
class LessonProblem:
    path: str
    line: int
    column: int
    message: str
    fix: str = ""

    def format(self) -> str:
        fix = f" 修改方法：{self.fix}" if self.fix else ""
        return f"{self.path}:{self.line}:{self.column}：[课文] {self.message}{fix}"


def read_lessons(docs_dir: Path, project_dir: Path, pages: DocsPages | None = None
                 ) -> tuple[dict[str, str | None], list[LessonProblem]]:
    """Every Markdown page under docs_dir as text (page path -> text, or None when it is not UTF-8), and
    a problem for each page that is not: the page still exists, so links to it are not reported again.

    `pages`: the docs as a session already read them, so that they are read once."""
    pages = pages or DocsPages(docs_dir)
    texts, problems = {}, []
    for page, text in pages.texts.items():
        if page in pages.unreadable:
            shown = (docs_dir / page).relative_to(project_dir).as_posix()
            _, found = decode((docs_dir / page).read_bytes(), shown)  # again, for where and what
            problems += [LessonProblem(p.path, p.line, p.column, p.message, p.fix) for p in found]
            text = None
        texts[page] = text
    return texts, problems


def page_ids(text: str, slug=anchors.default_slugify) -> set[str]:
    """The anchors a page offers: its headings, explicit ids and footnotes."""
    ids = {heading.anchor for heading in anchors.outline(text, slug)}
    for match in EXPLICIT_ID.finditer(text):
        ids.add(match.group(1) or match.group(2))
    for name in FOOTNOTE.findall(text):
        ids.update({f"fn:{name}", f"fnref:{name}"})
    return ids


def links(text: str):
    """(line, column, target) for every link and image outside code."""
    for number, line in prose_lines(text):
        plain = CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for match in INLINE_LINK.finditer(plain):
            yield number, match.start(1) + 1, match.group(1)
        reference = REFERENCE_LINK.match(plain)
        if reference and not plain.lstrip().startswith("[^"):
            yield number, reference.start(1) + 1, reference.group(1)


def check_links(texts: dict[str, str], docs_dir: Path, docs_shown: str = DOCS_DIR,
                slug=anchors.default_slugify) -> list[LessonProblem]:
    """Every link between lessons goes to a page that exists and an anchor it has."""
    ids = {page: page_ids(text, slug) for page, text in texts.items() if text is not None}
    problems = []
    for page, text in texts.items():
        if text is None:
            continue
        shown = f"{docs_shown}/{page}"
        for line, column, target in links(text):
            if OUTSIDE.match(target):
                continue
            path, _, anchor = unquote(target).partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
            if path and resolved not in texts:
                if not path.endswith(".md") and (docs_dir / resolved).exists():
                    continue  # an image or a download beside the lessons
                problems.append(LessonProblem(
                    shown, line, column,
                    f"链接“{target}”指向的页面 {docs_shown}/{resolved} 不存在。",
                    _closest("检查文件名；现有的页面：", resolved, list(texts)),
                ))
                continue
            if path and editions.instructor_only(resolved) and not editions.instructor_only(page):
                problems.append(LessonProblem(
                    shown, line, column,
                    f"链接“{target}”指向讲师手册的 {docs_shown}/{resolved}：学员版没有这一页，链接会失效，也会让学员去找讲师内容。",
                    "删去这个链接；讲师需要的说明写在讲师手册里，由讲师手册链接到课文，而不是反过来。",
                ))
                continue
            if anchor and resolved in ids and anchor not in ids[resolved]:
                problems.append(LessonProblem(
                    shown, line, column,
                    f"链接“{target}”中的锚点 #{anchor} 在 {docs_shown}/{resolved} 中不存在。",
                    _closest(f"改成 {resolved} 中实际有的锚点（最接近的在前）：", anchor,
                             [h.anchor for h in anchors.outline(texts[resolved], slug)], prefix="#"),
                ))
    return problems


def check_nav(texts: dict[str, str], nav_pages: list[str], docs_shown: str = DOCS_DIR) -> list[LessonProblem]:
    """Pages the nav leaves out (MkDocs' omitted_files), and nav entries with no page."""
    problems = []
    listed = set(nav_pages)
    for page in texts:
        if page not in listed:
            problems.append(LessonProblem(
                f"{docs_shown}/{page}", 1, 1,
                "这一页没有列入 mkdocs.yml 的 nav（导航），学员在网站上找不到它。",
                f"在 mkdocs.yml 的 nav 中加一行，例如“- 标题: {page}”；不需要这一页就删去文件。",
            ))
    for page in nav_pages:
        if page not in texts:
            problems.append(LessonProblem(
                "mkdocs.yml", 1, 1,
                f"nav（导航）中的 {page} 在 {docs_shown}/ 中不存在。",
                "检查文件名拼写，或删去这一项。",
            ))
    return problems


def _closest(lead: str, wrong: str, known: list[str], prefix: str = "") -> str:
    shown = "、".join(prefix + k for k in closest_first(wrong, known)[:5])
    return lead + (shown if shown else "（这一页没有小标题）") + "。"
