"""Enforcing the course's policy: each rule a Problem an instructor can act on.

Three levels: an exercise (checked while its file is read, where every field
still has its position), a set (one exercise file), and a lesson section
(the headings of the page it teaches on). Each message names the rule in
exercises/policy.yml, so an instructor may also change the rule itself.
"""

from __future__ import annotations

from collections import Counter

from .model import LETTERS, TYPE_NAMES, Exercise
from .policy import POLICY_NAME, Policy
from .problems import Problem

POLICY_FILE = f"exercises/{POLICY_NAME}"


def relax(rule: str) -> str:
    return f"确实不需要时，可在 {POLICY_FILE} 中修改 {rule}。"


def check_exercise(ex: Exercise, policy: Policy) -> list[Problem]:
    """The policy's rules within one exercise."""
    found = []

    def problem(where: tuple, message: str, fix: str, rule: str) -> None:
        line, column = ex.mark(*where)
        name = next((str(f) for f in reversed(where) if not isinstance(f, int)), "")
        found.append(Problem(ex.path, line, column, ex.id, name, message, f"{fix}{relax(rule)}"))

    if policy.option_feedback and ex.type in ("single", "multiple"):
        for index, option in enumerate(ex.options):
            if not option.feedback:
                problem(
                    ("options", index),
                    f"选项 {LETTERS[index]} 没有写 feedback。课程规则要求每个选项都说明为什么对、为什么错。",
                    "在这个选项的 text 下面加一行 feedback: 说明文字。",
                    "option_feedback",
                )
    if policy.true_false_feedback and ex.type == "true_false":
        missing = [side for side in ("对", "错") if not ex.feedback.get(side)]
        if missing:
            where = ("feedback",) if ex.feedback else ()
            problem(
                where,
                f"判断题缺少学员选“{'”“'.join(missing)}”时的说明。课程规则要求“对”“错”两种作答各有一条 feedback。",
                "写成 feedback: {对: 说明, 错: 说明}，两条都要有。",
                "true_false_feedback",
            )
    if ex.type == "open":
        count = len(ex.rubric)
        low, high = policy.rubric_minimum, policy.rubric_maximum
        if count < low or count > high:
            problem(
                ("rubric",),
                f"评分要点有 {count} 条，课程规则要求 {low}～{high} 条。",
                "增删评分要点，让学员能逐条对照自评。",
                "rubric_minimum 和 rubric_maximum",
            )
    return found


def check_sets(bank, policy: Policy) -> list[Problem]:
    """Every exercise file against its set's rules."""
    found = []
    for name, ids in bank.groups.items():
        if name in bank.unreadable:
            continue
        rules = policy.for_set(name)
        path, line, column = bank.set_marks.get(name, (f"exercises/{name}.yml", 1, 1))
        usable = [bank.exercises[i] for i in ids if i in bank.exercises]
        types = Counter(ex.type for ex in usable)

        def problem(message: str, fix: str, option: str) -> None:
            rule = policy.rule_name(name, option)
            found.append(Problem(path, line, column, "", "", f"课程规则 {rule}：{message}", f"{fix}{relax(rule)}"))

        if len(ids) < rules.minimum:
            problem(f"本组有 {len(ids)} 道题，要求至少 {rules.minimum} 道。", f"再写 {rules.minimum - len(ids)} 道题。", "minimum")
        if rules.every_type:
            absent = [TYPE_NAMES[t] for t in TYPE_NAMES if t not in types and t not in rules.excluded_types]
            if absent:
                problem(f"本组缺少这些题型：{'、'.join(absent)}。", "每种题型至少写 1 道。", "every_type")
        if types["open"] < rules.open_minimum:
            problem(
                f"本组有 {types['open']} 道写作练习（type: open），要求至少 {rules.open_minimum} 道。",
                f"再写 {rules.open_minimum - types['open']} 道带参考答案和评分要点的写作练习。",
                "open_minimum",
            )
        for kind in rules.excluded_types:
            if types[kind]:
                problem(f"本组不应有{TYPE_NAMES[kind]}（type: {kind}），现有 {types[kind]} 道。", "把这些题移到别的练习文件。", "excluded_types")
        if rules.score and name not in bank.scored:
            problem("本组应显示得分。", "在文件顶部写 score: true。", "score")
        pages = Counter(ex.section_page for ex in usable)
        for page, least in rules.per_page_minimum.items():
            if pages[page] < least:
                problem(
                    f"训练 {page} 的题有 {pages[page]} 道，要求至少 {least} 道。",
                    f"再写 {least - pages[page]} 道 section 指向 {page} 的题。",
                    "per_page_minimum",
                )
    return found


def check_sections(lessons, outlines: dict, policy: Policy, docs_shown: str = "docs") -> list[Problem]:
    """Every teaching section of a lesson trained by enough exercises (the coverage table's count)."""
    least = policy.section_minimum
    found = []
    for lesson in lessons:
        lines = {h.anchor: h.line or 1 for h in outlines.get(lesson.page, [])}
        for anchor, title, count in lesson.sections:
            if count < least:
                found.append(Problem(
                    f"{docs_shown}/{lesson.page}", lines.get(anchor, 1), 1, "", "",
                    f"课程规则 section_minimum：讲授小节“{title}”只有 {count} 道练习，要求至少 {least} 道。",
                    f"再写 {least - count} 道 section: {lesson.page}#{anchor} 的题。{relax('section_minimum')}",
                ))
    return found
