"""The answer key: every exercise of the bank with its answer, for the instructors' edition.

`<!-- exercise-answers -->` on a page under docs/instructors/ becomes this
page (quiz.session wires it; quiz.shortcodes refuses it anywhere else, since
only that folder is left out of the trainee edition). Lessons come in the
navigation's order, each a `##` heading; each exercise is an `h3` whose id is
`answer-<exercise id>`, so that a link or the instructor edition's search
lands on it. Unlike a lesson's exercises (quiz.render) it is plain visible
HTML: no data-content, nothing for quiz.js, the keys marked in words, not
only by colour, so that it reads the same printed. Text from YAML reaches
it only through markup.esc, markup.block and markup.inline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import markup, render
from .model import LETTERS, Exercise

esc = markup.esc
ANSWER_ID = "answer-{}"
LESSON_ID = "answers-{}"
# How a key is told in words beside its option: the page may be printed in black and white.
KEY_MARK = "（正确答案）"
# A blank's input as render.fill_prompt makes it (only our own markup spells it): its index.
BLANK_INPUT = re.compile(r'<input type="text" class="quiz__blank" data-blank="(\d+)"[^>]*>')
# While previewing a course with errors: the exercises and files that have no answer here, and why.
BROKEN_TITLE = "有错误、暂不列出答案的练习"
# Its heading's id: a double hyphen, which no lesson's id (_lesson_anchor) has.
BROKEN_ID = "answers--broken"


@dataclass(frozen=True)
class Entry:
    exercise: Exercise
    stem: str  # its file's set
    number: int  # its number in that set, as the lesson page shows it


@dataclass
class Lesson:
    page: str
    title: str
    anchor: str
    entries: list


def entries(bank) -> list[Entry]:
    """Every usable exercise, in file order, numbered as its file's set numbers it."""
    found, seen = [], set()
    for stem, ids in bank.groups.items():
        for position, exercise_id in enumerate(ids):
            exercise = bank.exercises.get(exercise_id)
            # An id two exercises share is the first one's (bank.load_bank); the check reports the other.
            if exercise is None or exercise_id in seen or Path(exercise.path).stem != stem:
                continue
            seen.add(exercise_id)
            found.append(Entry(exercise, stem, position + 1))
    return found


def lessons(found: list[Entry], outlines: dict, page_order: list[str], placed_on: dict[str, str] | None = None) -> list[Lesson]:
    """The entries by the page of the section they train: the navigation's order, then the other pages.

    Within a lesson, in the order a trainee meets them: by the page that shows
    each (`placed_on`: id -> page) in the navigation's order, then as numbered
    in its set. So a lesson's own practice comes before the final quiz's questions on it.
    """
    rank = {page: index for index, page in enumerate(page_order)}

    def met(entry: Entry) -> tuple:
        shown = (placed_on or {}).get(entry.exercise.id, "")
        return (rank.get(shown, len(rank)), shown, files[entry.stem], entry.number)

    files = {stem: index for index, stem in enumerate(dict.fromkeys(entry.stem for entry in found))}
    by_page: dict[str, list[Entry]] = {}
    for entry in sorted(found, key=met):
        by_page.setdefault(entry.exercise.section_page, []).append(entry)
    ordered = sorted(by_page, key=lambda page: (rank.get(page, len(rank)), page))
    taken: set[str] = set()
    result = []
    for page in ordered:
        headings = outlines.get(page, [])
        title = next((h.title for h in headings if h.level == 1), page)
        result.append(Lesson(page, title, lesson_anchor(LESSON_ID, page, taken), by_page[page]))
    return result


def lesson_anchor(template: str, page: str, taken: set[str]) -> str:
    """An id for a lesson's heading (template "prefix-{}"), from its file name: the same from build to build."""
    base = template.format(re.sub(r"[^A-Za-z0-9]+", "-", page.removesuffix(".md")).strip("-").lower() or "page")
    anchor, count = base, 1
    while anchor in taken:
        count += 1
        anchor = f"{base}-{count}"
    taken.add(anchor)
    return anchor


def render_html(bank, outlines: dict, page_order: list[str], href_for_page: Callable[[str], str],
                titles: dict[str, dict[str, str]], placed_on: dict[str, str],
                exercise_problems: Callable[[str], list], file_problems: Callable[[str], tuple[str, list]]) -> str:
    """The whole answer key.

    `href_for_page(page.md)` is the page's URL relative to the answer page;
    `titles` is page -> {anchor: heading text}; `placed_on` is exercise id -> the
    page that shows it; the two problem callbacks say why an exercise or a file
    has no answer here (a preview of a course with errors).
    """
    found = entries(bank)
    grouped = lessons(found, outlines, page_order, placed_on)
    contents = "".join(
        f'<li><a href="#{esc(lesson.anchor)}">{esc(lesson.title)}</a>（{len(lesson.entries)} 道）</li>'
        for lesson in grouped
    )
    parts = [
        '<div class="quiz-answers">',
        f'<p class="quiz-answers__summary">共 {len(found)} 道练习，按所训练的课文排列；'
        f"每道题注明所在练习文件、题号和编号，可用“#{ANSWER_ID.format('编号')}”直接链接到这道题。</p>",
        f'<ul class="quiz-answers__lessons">{contents}</ul>' if contents else "",
    ]
    # The workbook (quiz.workbook) numbers the same entries in the same order: its number is given too.
    running = 0
    for lesson in grouped:
        parts.append(f'<h2 id="{esc(lesson.anchor)}">{esc(lesson.title)}</h2>')
        for entry in lesson.entries:
            running += 1
            parts.append(_entry(entry, href_for_page, titles, running))
    parts.append(_broken(bank, exercise_problems, file_problems))
    parts.append("</div>")
    return "".join(parts)


def _entry(entry: Entry, href_for_page, titles: dict, running: int) -> str:
    ex = entry.exercise
    page, anchor = ex.section_page, ex.section_anchor
    href = f"{href_for_page(page)}#{anchor}"
    section = titles.get(page, {}).get(anchor, anchor)
    difficulty = f"，难度：{esc(ex.difficulty)}" if ex.difficulty else ""
    explanation = (
        f'<div class="quiz-answer__explanation"><p><strong>解析：</strong></p>{markup.block(ex.explanation)}</div>'
        if ex.explanation else ""
    )
    return (
        f'<div class="quiz-answer" data-answer-type="{esc(ex.type)}">'
        f'<h3 id="{esc(ANSWER_ID.format(ex.id))}">{esc(entry.stem)} 第 {entry.number} 题（{esc(ex.kind)}）'
        f'<span class="quiz-answer__workbook">练习册第 {running} 题</span></h3>'
        f'<p class="quiz-answer__source">练习文件 <code>{esc(ex.path)}</code>，编号 <code>{esc(ex.id)}</code>{difficulty}；'
        f'训练的小节：<a href="{esc(href)}">{esc(section)}</a>（<code>{esc(ex.section)}</code>）</p>'
        f'<div class="quiz-answer__prompt">{_prompt(ex)}</div>'
        f"{ANSWERS[ex.type](ex)}{explanation}</div>"
    )


def prompt_on_paper(ex: Exercise, blank) -> str:
    """An exercise's prompt without inputs: each fill-in blank's input becomes blank(its 1-based number)."""
    if ex.type != "fill":
        return markup.block(ex.prompt)
    return BLANK_INPUT.sub(lambda found: blank(int(found.group(1)) + 1), render.fill_prompt(ex.prompt).html)


def _prompt(ex: Exercise) -> str:
    # Each blank numbered where it stands, to be read against the accepted answers below.
    return prompt_on_paper(ex, lambda number: f"____（{number}）")


def _choices(ex: Exercise) -> str:
    keys = set(ex.answer) if isinstance(ex.answer, list) else {ex.answer}
    rows = []
    for index, option in enumerate(ex.options):
        letter = LETTERS[index]
        if letter in keys:
            rows.append(f'<li class="quiz-answer__key"><strong>{letter}．{markup.inline(option.text)}{KEY_MARK}</strong></li>')
        else:
            rows.append(f"<li>{letter}．{markup.inline(option.text)}</li>")
    listed = "、".join(letter for letter in LETTERS[:len(ex.options)] if letter in keys)
    return (
        f'<ul class="quiz-answer__options">{"".join(rows)}</ul>'
        f'<p class="quiz-answer__answer"><strong>答案：{listed}</strong></p>'
    )


def _true_false(ex: Exercise) -> str:
    return f'<p class="quiz-answer__answer"><strong>答案：{esc(ex.answer)}</strong></p>'


def _fill(ex: Exercise) -> str:
    rows = []
    for index, accepted in enumerate(ex.blanks):
        others = f"（也可：{'、'.join(esc(a) for a in accepted[1:])}）" if len(accepted) > 1 else ""
        rows.append(f"<li>第 {index + 1} 空：<strong>{esc(accepted[0])}</strong>{others}</li>")
    return f'<p class="quiz-answer__answer"><strong>答案：</strong></p><ul class="quiz-answer__blanks">{"".join(rows)}</ul>'


def _order(ex: Exercise) -> str:
    listed = "".join(f"<li>{LETTERS[i]}．{markup.inline(item)}</li>" for i, item in enumerate(ex.items))
    steps = "".join(f"<li>{letter}．{markup.inline(ex.items[LETTERS.index(letter)])}</li>" for letter in ex.answer)
    return (
        f'<p>条目（按题目中的字母）：</p><ul class="quiz-answer__items">{listed}</ul>'
        f'<p class="quiz-answer__answer"><strong>正确顺序：{"→".join(ex.answer)}</strong></p>'
        f'<ol class="quiz-answer__order">{steps}</ol>'
    )


def _open(ex: Exercise) -> str:
    criteria = "".join(f"<li>{markup.inline(c)}</li>" for c in ex.rubric)
    return (
        f'<div class="quiz-answer__reference"><p><strong>参考答案：</strong></p>{markup.block(ex.reference)}</div>'
        f'<p><strong>评分要点：</strong></p><ol class="quiz-answer__rubric">{criteria}</ol>'
    )


ANSWERS = {
    "single": _choices,
    "multiple": _choices,
    "true_false": _true_false,
    "fill": _fill,
    "order": _order,
    "open": _open,
}


def _broken(bank, exercise_problems, file_problems) -> str:
    """What a course with errors leaves out, and why: only while previewing, the strict build stops first."""
    rows = []
    for stem in sorted(bank.unreadable):
        path, problems = file_problems(stem)
        rows.append(f"<li>练习文件 <code>{esc(path)}</code> 无法读取。{render.problem_notes(problems)}</li>")
    for stem, ids in bank.groups.items():
        for position, exercise_id in enumerate(ids):
            if exercise_id in bank.broken and exercise_id not in bank.exercises:
                rows.append(
                    f"<li>{esc(stem)} 第 {position + 1} 题（编号 <code>{esc(exercise_id)}</code>）有错误。"
                    f"{render.problem_notes(exercise_problems(exercise_id))}</li>"
                )
    if not rows:
        return ""
    return f'<h2 id="{BROKEN_ID}">{BROKEN_TITLE}</h2><ul class="quiz-answers__broken">{"".join(rows)}</ul>'
