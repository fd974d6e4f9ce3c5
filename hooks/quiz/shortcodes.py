"""Where exercises appear: HTML-comment shortcodes in lesson Markdown.

    <!-- exercises: positioning -->     every exercise of exercises/positioning.yml
    <!-- exercise: positioning-01 -->   one exercise (several: separate ids with commas)
    <!-- exercise-coverage -->          the bank's coverage table, for instructors
    <!-- exercise-answers -->           the answer key (quiz.answer_key), on a page under
                                        docs/instructors/ only: the trainee edition leaves that folder out
    <!-- exercise-workbook -->          every exercise as questions on paper, no answers (quiz.workbook)

Any other Markdown viewer shows nothing for them. The check finds them in
the Markdown (for line numbers); the build (quiz.extension) replaces them
where Python-Markdown keeps the comments aside as raw HTML. A comment that
resembles one but does not parse (a full-width colon, a misspelled keyword,
no colon, split over lines) would place nothing without a word: it is reported.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass

from .fences import prose_lines
from .policy import POLICY_NAME
from .problems import Problem

# On one line, in the Markdown the check reads as in the HTML the build fills in.
SHORTCODE = re.compile(r"<!--[ \t]*(exercises|exercise)[ \t]*:[ \t]*(.*?)[ \t]*-->")
# The instructors' coverage table: <!-- exercise-coverage -->
COVERAGE = re.compile(r"<!--[ \t]*exercise-coverage[ \t]*-->")
# The answer key: <!-- exercise-answers -->
ANSWERS = re.compile(r"<!--[ \t]*exercise-answers[ \t]*-->")
# The printable workbook: <!-- exercise-workbook -->
WORKBOOK = re.compile(r"<!--[ \t]*exercise-workbook[ \t]*-->")
# The folders of docs/ (relative, with a trailing slash) the trainee edition leaves out: the only
# places an answer key may stand. The same as the editions' INSTRUCTOR_ONLY (hooks/editions.py).
ANSWERS_ONLY_IN = ("instructors/",)


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


def find_answers(markdown: str) -> list[tuple[int, int]]:
    """(line, column) of every answer-key shortcode outside code, where Python-Markdown would expand it."""
    found = []
    for number, line in prose_lines(markdown):
        if "exercise-answers" not in line:
            continue
        if "`" in line:
            line = INLINE_CODE.sub(lambda code: " " * len(code.group(0)), line)
        found += [(number, match.start() + 1) for match in ANSWERS.finditer(line)]
    return found


def answers_allowed(page: str) -> bool:
    """Whether an answer key may stand on a page (path relative to docs/)."""
    return page.startswith(ANSWERS_ONLY_IN)


# -- comments that look like shortcodes but are none --------------------------

KEYWORDS = ("exercises", "exercise")
# The keywords that stand alone, without their punctuation, and what to say when one is misspelled.
STANDALONE = {
    "exercise-coverage": ("exercisecoverage", "覆盖情况表的短代码是 exercise-coverage，全部小写、用连字符连接，后面不写别的"),
    "exercise-answers": ("exerciseanswers", "答案页的短代码是 exercise-answers，全部小写、用连字符连接，后面不写别的"),
    "exercise-workbook": ("exerciseworkbook", "练习册的短代码是 exercise-workbook，全部小写、用连字符连接，后面不写别的"),
}
COMMENT = re.compile(r"<!--(.*?)(-->|\Z)", re.S)
INLINE_CODE = re.compile(r"(`+).+?\1")
LEAD_WORD = re.compile(r"\s*([A-Za-z][A-Za-z_\-]*)")
# What a Chinese keyboard or a pasted text puts in place of ":".
WIDE_COLONS = "：﹕︰꞉∶"
# Without a colon, only names can follow the keyword: a note such as <!-- exercise 待补充 --> is no shortcode.
BARE_NAMES = re.compile(r"\s*[A-Za-z0-9][\w\-]*(?:[,，、\s]+[A-Za-z0-9][\w\-]*)*\s*")


@dataclass(frozen=True)
class NearMiss:
    """An HTML comment that looks like a shortcode but is none, so it places nothing."""

    written: str  # the comment as written (shortened)
    keyword: str  # the keyword it resembles: exercises, exercise, exercise-coverage or exercise-answers
    names: tuple
    reasons: tuple  # what is wrong, in words for the message
    line: int
    column: int


def near_misses(markdown: str) -> list[NearMiss]:
    """Comments outside code that resemble a shortcode, with what keeps each from being one.

    Read over the prose as a whole, so that a comment spread over lines is seen too.
    """
    numbers, lines = [], []
    for number, line in prose_lines(markdown):
        numbers.append(number)
        lines.append(INLINE_CODE.sub(lambda code: " " * len(code.group(0)), line) if "`" in line else line)
    prose = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for match in COMMENT.finditer(prose):
        row = bisect_right(starts, match.start()) - 1
        miss = _near_miss(match, numbers[row], match.start() - starts[row] + 1)
        if miss is not None:
            found.append(miss)
    return found


def _near_miss(match, line: int, column: int) -> NearMiss | None:
    body, closed = match.group(1), bool(match.group(2))
    text = match.group(0)
    one_line = "\n" not in text
    if closed and one_line and (SHORTCODE.fullmatch(text) or COVERAGE.fullmatch(text) or ANSWERS.fullmatch(text)
                                   or WORKBOOK.fullmatch(text)):
        return None
    lead = LEAD_WORD.match(body)
    if lead is None:
        return None
    word, rest = lead.group(1), body[lead.end():]
    if not closed:
        rest = rest.split("\n", 1)[0]  # the rest of the page is no part of it
    reasons = []
    if not closed:
        reasons.append("没有在同一行用 --> 结束")
    elif not one_line:
        reasons.append("分成了几行写，短代码要写在同一行内")
    compact = re.sub(r"[\s_\-]", "", word + rest[:40]).lower()  # enough to tell; a long comment is no keyword
    alike = {kw: difflib.SequenceMatcher(None, compact, bare).ratio() for kw, (bare, _) in STANDALONE.items()}
    standalone = max(alike, key=alike.get)
    if alike[standalone] >= 0.85:
        keyword, names = standalone, ()
        if not reasons:
            reasons.append(STANDALONE[standalone][1])
    else:
        close = difflib.get_close_matches(word.lower(), KEYWORDS, n=1, cutoff=0.75)
        if not close:
            return None
        keyword = close[0]
        after = rest.lstrip()
        if after[:1] == ":":
            names = parse_names(after[1:])
        elif after[:1] and after[0] in WIDE_COLONS:
            names = parse_names(after[1:])
            reasons.append(f"冒号写成了全角的“{after[0]}”，要用半角的 :")
        elif not after or BARE_NAMES.fullmatch(rest):
            names = parse_names(rest)
            reasons.append(f"关键字 {keyword} 后面少了半角冒号 :")
        else:
            return None  # a note that starts with the word, not a shortcode
        if word.lower() == keyword and word != keyword:
            reasons.insert(0, f"关键字要全部小写：{keyword}")
        elif word != keyword:
            reasons.insert(0, f"关键字“{word}”拼写不对，应为 {keyword}")
    if not reasons:
        return None
    shown = " ".join((text if closed else text.split("\n", 1)[0]).split())  # on one line, as in the log
    written = shown if len(shown) <= 60 else shown[:59] + "…"
    return NearMiss(written, keyword, names, tuple(reasons), line, column)


# -- checks ------------------------------------------------------------------------


def check(codes: list[Shortcode], bank, page_path: str, shown: set[str] = frozenset(),
          near: list[NearMiss] = ()) -> tuple[list[Problem], set[str]]:
    """Every shortcode of a page places exercises that exist, once; every near miss reported.

    Returns the problems and the exercises they leave on no page (`shown`:
    those some page places), so that these are not reported one by one too.
    """
    problems, left_out = [], set()
    for code in codes:
        if not code.names:
            problems.append(Problem(
                page_path, code.line, code.column, "", code.kind,
                "短代码没有写练习文件名或题目编号。",
                "写成 <!-- exercises: 文件名 --> 或 <!-- exercise: 题目编号 -->。",
            ))
        for name in code.names:
            if code.kind == "exercises" and name not in bank.groups and name not in bank.unreadable:
                consequence, ids = _consequence("exercises", (name,), bank, shown)
                if bank.known(name):
                    message = f"没有练习文件 exercises/{name}.yml：{name} 是题目编号。"
                    fix = f"放入这道题要写 <!-- exercise: {name} -->。"
                elif f"{name}.yml" == POLICY_NAME:
                    message = f"exercises/{POLICY_NAME} 是课程规则文件，不是练习文件，不能放进课文。"
                    fix = _suggest(name, list(bank.groups), "现有的练习文件：")
                else:
                    message = f"没有练习文件 exercises/{name}.yml。"
                    fix = _suggest(name, list(bank.groups), "现有的练习文件：")
                problems.append(Problem(page_path, code.line, code.column, "", code.kind, message + consequence, fix))
                left_out |= ids
            if code.kind == "exercise" and not bank.known(name):
                consequence, ids = _consequence("exercise", (name,), bank, shown)
                if name in bank.groups:
                    message = f"没有编号为 {name} 的练习：{name} 是练习文件名。"
                    fix = f"放入整个文件要写 <!-- exercises: {name} -->。"
                else:
                    message = f"没有编号为 {name} 的练习。"
                    fix = _suggest(name, bank.all_ids(), "检查编号拼写；相近的编号：")
                problems.append(Problem(page_path, code.line, code.column, name, code.kind, message + consequence, fix))
                left_out |= ids
    problems += _placed_twice(codes, bank, page_path)
    for miss in near:
        problem, ids = _near_miss_problem(miss, bank, shown, page_path)
        problems.append(problem)
        left_out |= ids
    return [problem.in_shortcode() for problem in problems], left_out


def check_answers(places: list[tuple[int, int]], page: str, docs_shown: str = "docs") -> list[Problem]:
    """An answer key stands only where the trainee edition does not go, and once on its page (its ids are unique)."""
    page_path = f"{docs_shown}/{page}"
    folders = "、".join(f"{docs_shown}/{folder}" for folder in ANSWERS_ONLY_IN)
    problems = []
    for number, (line, column) in enumerate(places):
        if not answers_allowed(page):
            problems.append(Problem(
                page_path, line, column, "", "exercise-answers",
                f"答案页短代码 <!-- exercise-answers --> 写在了 {folders} 以外的页面上："
                "学员版网站也有这一页，放在这里会把全部练习的答案和解析给学员看，所以这一页只显示一条提示。",
                f"把它移到 {folders} 下的页面（例如 {docs_shown}/instructors/answers.md），"
                "只有这个文件夹不进学员版；这一页上删去它。",
            ).in_shortcode())
        elif number > 0:
            problems.append(Problem(
                page_path, line, column, "", "exercise-answers",
                f"答案页短代码在本页第 {places[0][0]} 行已经放过，这里又放了一次：全部答案会出现两遍，网页 id 重复。",
                "删去这一处，每页只放一次。",
            ).in_shortcode())
    return problems


def _near_miss_problem(miss: NearMiss, bank, shown: set[str], page_path: str) -> tuple[Problem, set[str]]:
    what = f"这条 HTML 注释像是练习短代码，但{'，'.join(miss.reasons)}，所以这里什么也不会显示：{miss.written}。"
    if miss.keyword == "exercise-coverage":
        return Problem(page_path, miss.line, miss.column, "", "exercise-coverage", what,
                       "放入覆盖情况表要写 <!-- exercise-coverage -->。"), set()
    if miss.keyword == "exercise-answers":
        return Problem(page_path, miss.line, miss.column, "", "exercise-answers", what,
                       "放入答案页要写 <!-- exercise-answers -->（只能写在 docs/instructors/ 下的页面上）。"), set()
    if miss.keyword == "exercise-workbook":
        return Problem(page_path, miss.line, miss.column, "", "exercise-workbook", what,
                       "放入练习册要写 <!-- exercise-workbook -->。"), set()
    kind = _meant_kind(miss.keyword, miss.names, bank)
    consequence, ids = _consequence(kind, miss.names, bank, shown)
    if miss.names:
        fix = f"应写成 <!-- {kind}: {', '.join(miss.names[:5])} -->（关键字小写，半角冒号，写在同一行）。"
    else:
        fix = "写成 <!-- exercises: 文件名 -->（放入整个文件）或 <!-- exercise: 题目编号 -->（放入一道或几道）。"
    return Problem(page_path, miss.line, miss.column, "", kind, what + consequence, fix), ids


def _meant_kind(keyword: str, names: tuple, bank) -> str:
    """exercises or exercise: what the names are, if they say; else what the keyword resembles."""
    if names and all(name in bank.groups and not bank.known(name) for name in names):
        return "exercises"
    if names and all(bank.known(name) for name in names):
        return "exercise"
    return keyword


def _meant(kind: str, name: str, bank) -> tuple[str, str] | None:
    """The set or exercise a name that places nothing was most likely meant for: (kind, name)."""
    if name in bank.groups:
        return "exercises", name
    if bank.known(name):
        return "exercise", name
    known = list(bank.groups) if kind == "exercises" else bank.all_ids()
    close = difflib.get_close_matches(name, known, n=1, cutoff=SIMILAR)
    return (kind, close[0]) if close else None


def _consequence(kind: str, names: tuple, bank, shown: set[str]) -> tuple[str, set[str]]:
    """What placing nothing leaves on no page: words to add to the message, and those exercises."""
    notes, ids = [], set()
    for name in names:
        meant = _meant(kind, name, bank)
        if meant is None:
            continue
        if meant[0] == "exercises":
            missing = [i for i in bank.groups[meant[1]] if i in bank.exercises and i not in shown and i not in ids]
            if missing:
                path = bank.exercises[missing[0]].path
                notes.append(f"{path} 中的 {len(missing)} 道题因此没有任何页面显示")
        else:
            missing = [meant[1]] if meant[1] in bank.exercises and meant[1] not in shown | ids else []
            if missing:
                notes.append(f"练习 {meant[1]} 因此没有任何页面显示")
        ids.update(missing)
    return ("".join(f"{note}。" for note in notes), ids)


def _placed_twice(codes: list[Shortcode], bank, page_path: str) -> list[Problem]:
    """An exercise shown twice on one page: two copies under one HTML id."""
    # An id two exercises share is reported as such (rules.check_unique_ids), not here again.
    shared = bank.shared_ids()
    first: dict[str, Shortcode] = {}
    found = []
    for code in codes:
        again = []
        for exercise_id in _placed_ids(code, bank):
            if exercise_id in shared:
                continue
            if exercise_id in first:
                if exercise_id not in again:
                    again.append(exercise_id)
            else:
                first[exercise_id] = code
        if not again:
            continue
        lines = sorted({first[i].line for i in again})
        where = "、".join(str(line) for line in lines)
        listed = "、".join(again[:3]) + (f" 等 {len(again)} 道题" if len(again) > 3 else "")
        earlier = f"在本页第 {where} 行已经放过" if lines != [code.line] else "在这一行里写了两次"
        whole_set = any(first[i].kind == "exercises" for i in again) and code.kind == "exercise"
        fix = (
            f"删去这里的 {listed}：第 {where} 行放入的整组练习已经包含它。" if whole_set
            else f"删去这一处或第 {where} 行的那一处，每道题在一页上只放一次。"
        )
        found.append(Problem(
            page_path, code.line, code.column, "", code.kind,
            f"练习 {listed} {earlier}，这里又放了一次：页面上会出现两遍，两处的网页 id 相同。",
            fix,
        ))
    return found


def _placed_ids(code: Shortcode, bank) -> list[str]:
    if code.kind == "exercises":
        return [i for name in code.names for i in bank.groups.get(name, ())]
    return [name for name in code.names if bank.known(name)]


# How alike a name must be to an existing one to be suggested, and taken as meant.
SIMILAR = 0.5


def _suggest(name: str, known: list[str], lead: str) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=SIMILAR)
    choices = close or known[:5]
    return lead + ("、".join(choices) if choices else "（暂无）") + "。"


def shown_ids(codes: list[Shortcode], bank) -> set[str]:
    shown = set()
    for code in codes:
        for name in code.names:
            shown.update(bank.groups.get(name, ()) if code.kind == "exercises" else (name,))
    return shown
