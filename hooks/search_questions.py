"""Questions an instructor attaches to a lesson's sections: the ways trainees ask about them.

In a lesson's front matter (which other Markdown viewers hide or show as
metadata, never as text), under `questions:`, each key names a heading of
that page as written, or its anchor after `#`; its value lists the questions:

    ---
    questions:
      信息量:
        - 什么是信息量
        - 怎么看一条信息有没有干货
      "#为谁报":
        - 信息是写给谁看的
    ---

They are indexed with that section only (hooks/search_index.py) and weigh as
much as its heading. A key that names no heading of the page, a heading
written twice, a question that is not text, too many or too long: each is a
problem with its line, reported by `check` and the build.

It imports nothing from MkDocs.
"""

from __future__ import annotations

import yaml

from quiz.pages import FRONT_MATTER
from quiz.rules import closest_first
from search_words import SearchProblem

FIELD = "questions"
# Enough for the ways people ask; more would drown the section's own words.
MOST_PER_SECTION = 12
LONGEST = 40


KIND = "搜索问法"


def read(markdown: str, shown: str, headings) -> tuple[dict[str, list[str]], list[SearchProblem]]:
    """anchor -> the questions attached to that heading, and the problems; `headings` is the page's outline."""
    found = FRONT_MATTER.match(markdown)
    if not found or f"{FIELD}:" not in found.group(1):
        return {}, []
    offset = 1  # the front matter's YAML starts on the line after ---
    problems: list[SearchProblem] = []

    def problem(node, message: str, fix: str = "") -> None:
        problems.append(SearchProblem(shown, offset + node.start_mark.line + 1, message, fix, KIND))

    try:
        root = yaml.compose(found.group(1), Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = offset + (mark.line + 1 if mark else 1)
        return {}, [SearchProblem(shown, line, "页面开头的设置（front matter）不是有效的 YAML。",
                                  "检查缩进和冒号：每个标题后写冒号，问题各占一行，以“- ”开头。", KIND)]
    node = _value(root, FIELD)
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        problem(node, f"{FIELD} 下面应当按标题列出问题。", f"写成 {FIELD}: 换行后缩进写“标题:”，再逐行写“- 问题”。")
        return {}, problems
    by_title: dict[str, list] = {}
    for heading in headings:
        by_title.setdefault(heading.title, []).append(heading)
    anchors = {heading.anchor for heading in headings}
    attached: dict[str, list[str]] = {}
    for key, value in node.value:
        name = str(key.value).strip() if isinstance(key, yaml.ScalarNode) else ""
        anchor = _anchor(name, by_title, anchors)
        if not name:
            problem(key, "这里应当写一个标题。", "写成“标题: ”，标题和课文里的一样。")
            continue
        if anchor is None:
            close = closest_first(name.lstrip("#"), list(by_title))[:3]
            hint = f"本页的标题有：{'、'.join(close)}。" if close else ""
            problem(key, f"本页没有“{name}”这个标题，问题无处可挂。{hint}",
                    "照课文里的写法抄标题（不带 #），或写成 \"#锚点\"。")
            continue
        if anchor == "":
            problem(key, f"本页有几个标题都叫“{name}”，不知道挂在哪一个上。",
                    f"改用锚点，写成 \"#{by_title[name][0].anchor}\"（带引号）。")
            continue
        questions = _questions(value, problem)
        if anchor in attached:
            problem(key, f"“{name}”的问题写了两遍。", "把两处的问题合在一起。")
        attached.setdefault(anchor, []).extend(questions)
    return attached, problems


def _value(root, name: str):
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == name:
            return value
    return None


def _anchor(name: str, by_title: dict, anchors: set[str]) -> str | None:
    """The heading's anchor; "" when several headings have that title; None when none has."""
    if name.startswith("#"):
        return name[1:] if name[1:] in anchors else None
    matches = by_title.get(name)
    if not matches:
        return None
    return matches[0].anchor if len(matches) == 1 else ""


def _questions(node, problem) -> list[str]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    kept = []
    for item in items:
        text = str(item.value).strip() if isinstance(item, yaml.ScalarNode) else ""
        if not text or item.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int"):
            problem(item, "每个问题应当是一句话。", "每行写“- 问题”，问题里不要再用冒号开头或方括号。")
        elif len(text) > LONGEST:
            problem(item, f"问题“{text[:12]}……”有 {len(text)} 个字，太长了（至多 {LONGEST} 个）。", "写成学员会输入的短问句。")
        else:
            kept.append(text)
    if len(kept) > MOST_PER_SECTION:
        problem(node, f"一个小节挂了 {len(kept)} 个问题，至多 {MOST_PER_SECTION} 个。", "留下最常见的问法。")
        kept = kept[:MOST_PER_SECTION]
    return kept
