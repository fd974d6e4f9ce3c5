"""The course's rules for its lessons (the `lessons:` part of exercises/policy.yml).

Which pages are lessons, the parts every lesson has (objectives, checklist,
summary, questions, practice), how long a lesson is, the key terms each
page must teach, and that the glossary lists them all. Checked by `python3 run.py check` and the build alike, with
the page's file and line; each message names the rule, so an instructor may
also change the rule.
"""

from __future__ import annotations

import re

from .course_rules import POLICY_FILE, relax
from .fences import prose_lines
from .pages import FRONT_MATTER, DocsPages
from .policy import LessonRules
from .problems import Problem

CJK = re.compile(r"[\u4e00-\u9fff]")
# Compared with punctuation and markup removed, so 从“新”谋划 and 从新谋划 are the same term.
PUNCTUATION = re.compile(r"[\s*_`“”‘’\"'、，。：；！？（）()·—…\-]+")
QUESTION = re.compile(r"^\d+\.\s")
# A Markdown table row, and the glossary's column of terms.
ROW = re.compile(r"^\s*\|(.*)\|\s*$")
TERM_COLUMN = "术语"
# A heading that starts so marks an example section (the search ranks it below what it illustrates).
EXAMPLE_HEADING = "示例"
EXAMPLE = re.compile(rf'^\s*[!?]{{3}}\+?\s+example\b|^#{{2,6}}\s+{EXAMPLE_HEADING}')


def _relax(rule: str) -> str:
    return relax(f"lessons.{rule}")


def sections(text: str) -> dict[str, tuple[int, list[str]]]:
    """`## heading` -> (its line, the prose lines of its body up to the next `##`)."""
    found: dict[str, tuple[int, list[str]]] = {}
    current = None
    for number, line in prose_lines(text):
        match = re.match(r"^##\s+(.+?)\s*#*\s*$", line)
        if match:
            current = match.group(1)
            found.setdefault(current, (number, []))
        elif current is not None:
            found[current][1].append(line)
    return found


def check(pages: DocsPages, rules: LessonRules, docs_shown: str = "docs") -> list[Problem]:
    """The lessons as the session read them; a page that is not UTF-8 is the lesson check's to report."""
    found: list[Problem] = []
    for page in rules.pages:
        shown = f"{docs_shown}/{page}"
        if page not in pages.texts:
            found.append(Problem(POLICY_FILE, 1, 1, "", "lessons.pages", f"课程规则列出的课文 {shown} 不存在。",
                                 "检查文件名，或从 lessons.pages 中删去它。"))
        elif page not in pages.unreadable:
            found += _check_lesson(pages.texts[page], shown, rules)
    for page, terms in rules.key_terms.items():
        if page not in pages.texts or page in pages.unreadable:
            continue
        text = pages.texts[page]
        plain = PUNCTUATION.sub("", text)
        for term in terms:
            if PUNCTUATION.sub("", term) not in plain:
                found.append(Problem(
                    f"{docs_shown}/{page}", 1, 1, "", "",
                    f"课程规则 lessons.key_terms：这一页没有讲到关键表述“{term}”。",
                    f"在讲授它的小节中写出这个表述（标点可以不同）。{_relax('key_terms')}",
                ))
    if rules.glossary:
        found += _check_glossary(pages, rules, docs_shown)
    return found


def glossary_terms(text: str) -> tuple[int, list[str]]:
    """The line of the first table headed 术语, and every cell of that column in the page's tables so headed."""
    first, terms = 0, []
    column = None  # the 术语 column of the table being read, if it has one
    for number, line in prose_lines(text):
        row = ROW.match(line)
        if not row:
            column = None
            continue
        cells = [cell.strip() for cell in row.group(1).split("|")]
        if column is None:
            if TERM_COLUMN in cells:
                column, first = cells.index(TERM_COLUMN), first or number
            else:
                column = -1  # a table of another kind: skip it to its end
        elif column >= 0 and column < len(cells) and not re.fullmatch(r":?-+:?", cells[column]):
            terms.append(cells[column])
    return first, terms


def _check_glossary(pages: DocsPages, rules: LessonRules, docs_shown: str) -> list[Problem]:
    """Every key term of every page in the glossary's 术语 column: equal to a cell or inside one."""
    page = rules.glossary
    shown = f"{docs_shown}/{page}"
    if page not in pages.texts:
        return [Problem(POLICY_FILE, 1, 1, "", "lessons.glossary", f"课程规则指定的术语表 {shown} 不存在。",
                        "检查文件名，或删去 lessons.glossary。")]
    if page in pages.unreadable:
        return []
    line, cells = glossary_terms(pages.texts[page])
    if not line:
        return [Problem(shown, 1, 1, "", "", f"课程规则 lessons.glossary：术语表中没有表头含“{TERM_COLUMN}”一栏的表格。",
                        f"用“| {TERM_COLUMN} | 释义 | 出处 |”这样的表格列出术语。{_relax('glossary')}")]
    listed = [PUNCTUATION.sub("", cell) for cell in cells]
    found = []
    for lesson, terms in rules.key_terms.items():
        for term in terms:
            plain = PUNCTUATION.sub("", term)
            if not any(plain in cell for cell in listed):
                found.append(Problem(
                    shown, line, 1, "", "",
                    f"课程规则 lessons.glossary：术语表的“{TERM_COLUMN}”一栏没有“{term}”，{docs_shown}/{lesson} 要求讲到它（lessons.key_terms）。",
                    f"在术语表中加一行“| {term} | 释义 | 出处 |”（标点可以不同，也可以写在含它的术语里）。{_relax('glossary')}",
                ))
    return found


def _check_lesson(text: str, shown: str, rules: LessonRules) -> list[Problem]:
    found = []
    parts = sections(text)

    def problem(line: int, message: str, fix: str, rule: str) -> None:
        found.append(Problem(shown, line, 1, "", "", f"课程规则 lessons.{rule}：{message}", f"{fix}{_relax(rule)}"))

    for name in rules.sections:
        if name not in parts:
            problem(1, f"这一讲缺少“## {name}”一节。", f"加上“## {name}”标题和内容。", "sections")
    if "学习目标" in parts and not any(re.match(r"^\s*(- |\d+\. )", line) for line in parts["学习目标"][1]):
        problem(parts["学习目标"][0], "“学习目标”一节没有列出目标。", "用列表（- 或 1.）逐条写出学习目标。", "sections")
    if "自查清单" in parts and not any("- [ ]" in line for line in parts["自查清单"][1]):
        problem(parts["自查清单"][0], "“自查清单”一节没有可勾选的条目。", "用“- [ ] 条目”写出自查条目。", "sections")
    if "小结" in parts and not "".join(parts["小结"][1]).strip():
        problem(parts["小结"][0], "“小结”一节是空的。", "写出本讲的小结。", "sections")
    if "思考与讨论" in parts:
        count = sum(1 for line in parts["思考与讨论"][1] if QUESTION.match(line))
        if count < rules.discussion_questions:
            problem(parts["思考与讨论"][0], f"“思考与讨论”有 {count} 个编号的问题，要求至少 {rules.discussion_questions} 个。",
                    "用“1. 问题”的写法补足问题。", "discussion_questions")
    if "练习" in parts and not any(re.search(r"<!--\s*exercises?\s*:", line) for line in parts["练习"][1]):
        problem(parts["练习"][0], "“练习”一节没有放入练习。", "写一行 <!-- exercises: 练习文件名 -->。", "sections")
    examples = sum(1 for _, line in prose_lines(text) if EXAMPLE.search(line))
    if examples < rules.examples:
        problem(1, f"这一讲有 {examples} 个示例（example 提示框或“示例”小标题），要求至少 {rules.examples} 个。",
                "补充示例，如“!!! example \"示例：……\"”。", "examples")
    # The lesson's own words: not its front matter (search questions, boosts).
    length = len(CJK.findall(FRONT_MATTER.sub("", text, count=1)))
    low, high = rules.characters
    if not low <= length <= high:
        problem(1, f"这一讲约 {length} 个汉字，要求 {low}～{high} 个。", "增删内容，让篇幅在要求的范围内。", "characters")
    return found
