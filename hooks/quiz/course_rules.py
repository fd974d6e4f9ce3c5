"""Enforcing the course's policy: each rule a Problem an instructor can act on.

Four levels: an exercise (checked while its file is read, where every field
still has its position), a set (one exercise file), the bank (every file
together: the answer keys' balance), and a lesson section (the headings of
the page it teaches on). Each message names the rule in exercises/policy.yml,
so an instructor may also change the rule itself.
"""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction

from .model import LETTERS, TYPE_NAMES, Exercise
from .policy import POLICY_NAME, Policy
from .problems import Problem

POLICY_FILE = f"exercises/{POLICY_NAME}"
# An option's length as a reader sees it: without spaces and emphasis marks.
UNSEEN = re.compile(r"[\s*_`]+")
# How many exercises a message names before it says "等".
NAMED = 8


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
    """Every exercise file against its set's rules; then the whole bank against the top-level balance rules."""
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
        for message, fix, option in balance(usable, rules):
            problem(message, fix, option)
    whole = [bank.exercises[i] for name, ids in bank.groups.items() if name not in bank.unreadable
             for i in ids if i in bank.exercises]
    for message, fix, option in balance(whole, policy, "全部练习中"):
        line = policy.lines.get(option, 1)
        found.append(Problem(POLICY_FILE, line, 1, "", "", f"课程规则 {option}：{message}", f"{fix}{relax(option)}"))
    return found


def balance(exercises: list[Exercise], rules, scope: str = "本组") -> list[tuple[str, str, str]]:
    """(message, fix, option) for each way the answer keys give a trainee a cue.

    `rules` is a SetRules or the Policy: both carry the four balance options.
    Shares are compared exactly (0.35 of 20 is 7, not 7.000000000000001).
    A trainee who guesses 错, picks the longest option or the letter most often
    keyed should do no better than one who reads the question.
    """
    found = []
    judged = [ex for ex in exercises if ex.type == "true_false"]
    low, high = (Fraction(str(v)) for v in rules.true_answer_share)
    if judged and (low > 0 or high < 1):
        true = [ex for ex in judged if ex.answer == "对"]
        share = Fraction(len(true), len(judged))
        if not low <= share <= high:
            many, few = ("对", "错") if share > high else ("错", "对")
            need = _at_least(low * len(judged)) - len(true) if share < low else len(true) - int(high * len(judged))
            keyed = [ex for ex in judged if ex.answer == many]
            found.append((
                f"{scope}判断题 {len(judged)} 道，答案为“对”的 {len(true)} 道（{_percent(share)}），"
                f"要求占 {_percent(low)}～{_percent(high)}；学员一律答“{many}”就能得大半的分。",
                f"把至少 {need} 道答案为“{many}”的题改写成答案为“{few}”的说法（同时改 answer 和两条 feedback），"
                f"如 {_named(keyed)}。",
                "true_answer_share",
            ))
    chosen = [ex for ex in exercises if ex.type == "single" and ex.options and ex.answer in LETTERS[: len(ex.options)]]
    if not chosen:
        return found
    limit = Fraction(str(rules.longest_answer_share))
    if limit < 1:
        longest = [ex for ex in chosen if _keyed_longest(ex)]
        share = Fraction(len(longest), len(chosen))
        if share > limit:
            found.append((
                f"{scope}单选题 {len(chosen)} 道，答案恰是最长选项的 {len(longest)} 道（{_percent(share)}），"
                f"要求不超过 {_percent(limit)}；学员只挑最长的选项也能答对。",
                f"把至少 {len(longest) - int(limit * len(chosen))} 道题的干扰项写得和答案一样具体、一样长，"
                f"或把答案写得更简练，如 {_named(longest)}。",
                "longest_answer_share",
            ))
    letters = Counter(ex.answer for ex in chosen)
    limit = Fraction(str(rules.answer_letter_share))
    for letter, count in sorted(letters.items()):
        share = Fraction(count, len(chosen))
        if limit < 1 and share > limit:
            keyed = [ex for ex in chosen if ex.answer == letter]
            found.append((
                f"{scope}单选题 {len(chosen)} 道，答案为 {letter} 的 {count} 道（{_percent(share)}），"
                f"要求每个字母不超过 {_percent(limit)}；学员一律选 {letter} 就能答对不少。",
                f"调换至少 {count - int(limit * len(chosen))} 道题的选项顺序，让答案落在别的字母上"
                f"（同时改 answer 和 feedback、explanation 中提到的字母），如 {_named(keyed)}。",
                "answer_letter_share",
            ))
    if rules.every_answer_letter:
        # The letters most exercises offer: one odd two-option exercise does not excuse D.
        sizes = sorted((len(ex.options) for ex in chosen), reverse=True)
        offered = LETTERS[: sizes[len(sizes) // 2]]
        unused = [letter for letter in offered if letter not in letters]
        if unused:
            found.append((
                f"{scope}单选题大多有 {offered[0]}～{offered[-1]} 这些选项，但答案从来不是 {'、'.join(unused)}；"
                "学员会排除从不作答案的字母。",
                f"调换几道题的选项顺序，让 {'、'.join(unused)} 也做答案（同时改 answer 和 feedback、explanation 中提到的字母）。",
                "every_answer_letter",
            ))
    return found


def _keyed_longest(ex: Exercise) -> bool:
    """Whether the key is longer than every other option (a tie gives no cue)."""
    lengths = [len(UNSEEN.sub("", option.text)) for option in ex.options]
    key = LETTERS.index(ex.answer)
    return all(lengths[key] > length for i, length in enumerate(lengths) if i != key)


def _at_least(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def _percent(share: Fraction) -> str:
    return f"{round(share * 100)}%"


def _named(exercises: list[Exercise]) -> str:
    """The first few exercises by file: "exercises/a.yml 的 x、y；exercises/b.yml 的 z 等 9 道"."""
    by_file: dict[str, list[str]] = {}
    for ex in exercises[:NAMED]:
        by_file.setdefault(ex.path, []).append(ex.id)
    shown = "；".join(f"{path} 的 {'、'.join(ids)}" for path, ids in by_file.items())
    return shown + (f" 等 {len(exercises)} 道" if len(exercises) > NAMED else "")


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
