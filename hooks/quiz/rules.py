"""What the schema cannot say: rules across fields, files and pages."""

from __future__ import annotations

from .model import BLANK, LETTERS, Exercise, normalize_answer
from .problems import Problem

# Fields each type uses beyond the common ones; any other type-specific field is a mistake.
TYPE_FIELDS = {
    "single": {"options", "answer"},
    "multiple": {"options", "answer"},
    "true_false": {"answer", "feedback"},
    "fill": {"blanks"},
    "order": {"items", "answer"},
    "open": {"reference", "rubric"},
}
SPECIFIC_FIELDS = set().union(*TYPE_FIELDS.values())


def problem(ex: Exercise, fields: tuple, message: str, fix: str) -> Problem:
    line, column = ex.mark(*fields)
    name = next((str(f) for f in reversed(fields) if not isinstance(f, int)), "")
    return Problem(ex.path, line, column, ex.id, name, message, fix)


def letters_for(count: int) -> str:
    return f"A～{LETTERS[count - 1]}" if count > 1 else "A"


def check_exercise(ex: Exercise, raw: dict) -> list[Problem]:
    """Rules within one exercise."""
    found = []
    for name in sorted(SPECIFIC_FIELDS & set(raw) - TYPE_FIELDS[ex.type]):
        found.append(problem(ex, (name,), f"{ex.kind}不用 {name} 字段。", f"删去 {name}，或把 type 改成用它的题型。"))
    found += CHECKS[ex.type](ex)
    return found


def _choice(ex: Exercise) -> list[Problem]:
    count = len(ex.options)
    answers = [ex.answer] if ex.type == "single" else list(ex.answer)
    found = []
    for position, letter in enumerate(answers):
        if LETTERS.index(letter) >= count:
            where = ("answer",) if ex.type == "single" else ("answer", position)
            found.append(problem(
                ex, where,
                f"答案 {letter} 不在选项中（共 {count} 个选项，{letters_for(count)}）。",
                f"答案应为 {letters_for(count)} 中的字母。",
            ))
    if ex.type == "multiple" and len(answers) == count:
        found.append(problem(ex, ("answer",), "全部选项都是答案，起不到辨析作用。", "至少放一个干扰项。"))
    return found


def _true_false(ex: Exercise) -> list[Problem]:
    return []


def _fill(ex: Exercise) -> list[Problem]:
    found = []
    holes = len(BLANK.findall(ex.prompt))
    if holes != len(ex.blanks):
        found.append(problem(
            ex, ("blanks",),
            f"题干中有 {holes} 个空（____），blanks 却给了 {len(ex.blanks)} 组答案。",
            "让题干中 4 个以上下划线标出的空与 blanks 的组数一致。",
        ))
    for i, accepted in enumerate(ex.blanks):
        for j, text in enumerate(accepted):
            if not normalize_answer(text):
                found.append(problem(
                    ex, ("blanks", i, j),
                    f"第 {i + 1} 空的答案“{text}”只有标点或空格，学员无法答对。",
                    "写出实际的文字答案。",
                ))
    return found


def _order(ex: Exercise) -> list[Problem]:
    count = len(ex.items)
    answer = list(ex.answer)
    expected = set(LETTERS[:count])
    if len(answer) == count and set(answer) == expected:
        return []
    missing = "、".join(sorted(expected - set(answer))) or "无"
    extra = "、".join(sorted(set(answer) - expected)) or "无"
    repeated = "、".join(sorted({a for a in answer if answer.count(a) > 1})) or "无"
    return [problem(
        ex, ("answer",),
        f"answer 必须把 {count} 个条目（{letters_for(count)}）各写一次：缺少 {missing}，多出 {extra}，重复 {repeated}。",
        f"按正确顺序列出 {letters_for(count)} 的全部字母，每个只写一次。",
    )]


def _open(ex: Exercise) -> list[Problem]:
    return []


CHECKS = {
    "single": _choice,
    "multiple": _choice,
    "true_false": _true_false,
    "fill": _fill,
    "order": _order,
    "open": _open,
}


def check_unique_ids(exercises: list[Exercise]) -> list[Problem]:
    seen: dict[str, Exercise] = {}
    found = []
    for ex in exercises:
        first = seen.setdefault(ex.id, ex)
        if first is not ex:
            line = first.mark("id")[0]
            found.append(problem(
                ex, ("id",),
                f"编号 {ex.id} 已被 {first.path}:{line} 的练习使用。",
                "给这道题换一个全课程唯一的编号。",
            ))
    return found


def check_sections(exercises, anchors: dict[str, set[str]]) -> list[Problem]:
    """Every section link names a real page and a heading on it."""
    found = []
    for ex in exercises:
        page = ex.section_page
        if page not in anchors:
            found.append(problem(
                ex, ("section",),
                f"页面 {page} 不存在。",
                "写 docs/ 下的页面文件名，例如 positioning.md#为谁报报什么。",
            ))
        elif ex.section_anchor not in anchors[page]:
            found.append(problem(
                ex, ("section",),
                f"页面 {page} 中没有锚点 #{ex.section_anchor}。",
                "锚点是小节标题去掉标点后的文字，例如“为谁报、报什么”→ 为谁报报什么；可在网页上点标题旁的链接符号查看。",
            ))
    return found


def check_unshown(exercises, shown: set[str]) -> list[Problem]:
    return [
        problem(
            ex, ("id",),
            "没有任何页面显示这道题。",
            f"在课文中加入 <!-- exercise: {ex.id} -->，或用 <!-- exercises: 文件名 --> 放入整个文件。",
        )
        for ex in exercises
        if ex.id not in shown
    ]

