"""The workbook: every exercise of the bank as questions on paper, without answers.

`<!-- exercise-workbook -->` becomes this (quiz.session wires it; it may stand
on any page, since it holds nothing a trainee may not see). Lessons come in
the navigation's order as the answer key orders them (quiz.answer_key), each
its own section that the print stylesheet starts on a new sheet; questions
are numbered through the whole workbook. What a trainee writes goes on paper:
a letter for a choice, a line for each blank, a box of lines for an open
item, a number in the box before each item to put in order.

Only what a trainee reads before answering is here: the prompt, the options
and the items. No answer, feedback, explanation, hint, reference or rubric.
Text from YAML reaches it only through markup.esc, markup.block and markup.inline.
"""

from __future__ import annotations

import re

from . import answer_key, markup
from .model import LETTERS, Exercise

esc = markup.esc
LESSON_ID = "workbook-{}"
# The ruled lines an open item leaves to write on.
OPEN_LINES = 8
# How the paper asks for each type's answer.
ASK = {
    "single": "（选一项，把字母写在括号里）",
    "multiple": "（选出全部正确的，把字母写在括号里）",
    "true_false": "（在对应的方框里打 √）",
    "fill": "（在横线上填写）",
    "order": "（在方框里写上 1、2、3……排出先后）",
    "open": "（写在方框内）",
}


def render_html(bank, outlines: dict, page_order: list[str], placed_on: dict[str, str]) -> str:
    """The whole workbook; `placed_on` is exercise id -> the page that shows it (the order within a lesson)."""
    grouped = answer_key.lessons(answer_key.entries(bank), outlines, page_order, placed_on)
    total = sum(len(lesson.entries) for lesson in grouped)
    parts = [
        '<div class="quiz-workbook">',
        f'<p class="quiz-workbook__summary">共 {len(grouped)} 讲、{total} 道练习，按课文顺序排列。'
        "姓名：<span class=\"quiz-workbook__name\"></span></p>",
    ]
    number, taken = 0, set()
    for lesson in grouped:
        parts.append(
            f'<section class="quiz-workbook__lesson" id="{esc(answer_key.lesson_anchor(LESSON_ID, lesson.page, taken))}">'
            f"<h2>{esc(lesson.title)}</h2>"
        )
        for entry in lesson.entries:
            number += 1
            parts.append(_question(entry.exercise, number))
        parts.append("</section>")
    parts.append("</div>")
    return "".join(parts)


def _question(ex: Exercise, number: int) -> str:
    slot = '<span class="quiz-workbook__slot">（　　　）</span>' if ex.type in ("single", "multiple") else ""
    return (
        f'<div class="quiz-workbook__question" data-workbook-type="{esc(ex.type)}">'
        f'<p class="quiz-workbook__head"><strong>{number}．</strong>{esc(ex.kind)}'
        f'<span class="quiz-workbook__ask">{ASK[ex.type]}</span>{slot}</p>'
        f'<div class="quiz-workbook__prompt">{_prompt(ex)}</div>'
        f"{SPACES[ex.type](ex)}</div>"
    )


def _prompt(ex: Exercise) -> str:
    # Each blank a line to write on, numbered where it stands.
    return answer_key.prompt_on_paper(ex, lambda number: f'<span class="quiz-workbook__blank">（{number}）</span>')


def _choices(ex: Exercise) -> str:
    rows = "".join(f"<li>{LETTERS[i]}．{markup.inline(option.text)}</li>" for i, option in enumerate(ex.options))
    return f'<ul class="quiz-workbook__options">{rows}</ul>'


def _true_false(ex: Exercise) -> str:
    return '<p class="quiz-workbook__options"><span class="quiz-workbook__box"></span>对　　<span class="quiz-workbook__box"></span>错</p>'


def _nothing(ex: Exercise) -> str:
    return ""


def _order(ex: Exercise) -> str:
    rows = "".join(
        f'<li><span class="quiz-workbook__box"></span>{LETTERS[i]}．{markup.inline(item)}</li>'
        for i, item in enumerate(ex.items)
    )
    return f'<ul class="quiz-workbook__items">{rows}</ul>'


def _open(ex: Exercise) -> str:
    lines = '<span class="quiz-workbook__line"></span>' * OPEN_LINES
    return f'<div class="quiz-workbook__lines">{lines}</div>'


SPACES = {
    "single": _choices,
    "multiple": _choices,
    "true_false": _true_false,
    "fill": _nothing,  # the lines stand in the prompt
    "order": _order,
    "open": _open,
}
