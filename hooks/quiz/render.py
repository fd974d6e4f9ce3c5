"""Exercises as accessible HTML, to the contract that quiz.js and quiz.css follow.

The site's search indexes the page with its exercises, and so would any
indexer: the only text of an exercise is what a trainee reads before
answering and may search for (its set's title, its number, its prompt and
options), in a stand-in of a few elements (`_readable`). The exercise
itself travels as raw text (`as_raw_text`) that quiz.js puts in
place of the stand-in when the page loads: its buttons, hint, answer key,
feedback and explanation are in no indexer's text. Only the set's own
button, outside any exercise, carries its words in a data-content
attribute (`_later`).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from . import markup
from .model import BLANK, LETTERS, Exercise

# section ("page.md#anchor") -> (href relative to the current page, heading text)
SectionLinker = Callable[[str], tuple[str, str]]

CHECK_LABEL = {"open": "查看参考答案"}
# What a set of exercises is called when its file gives no title.
DEFAULT_SET_TITLE = "练习"


# Text for HTML; it never carries a control character, so never a placement mark.
esc = markup.esc


def _as_attribute(own_markup: str) -> str:
    """Markup of our own, marks and all, as the value of an attribute."""
    return html.escape(own_markup, quote=True)


def _later(own_markup: str) -> str:
    """An element's content as data, for quiz.js to put in place: no text to an indexer."""
    return f' data-content="{_as_attribute(own_markup)}"'


# The element that holds a lesson's practice (the search ranks its section below the teaching ones).
SET_OPENING = '<section class="quiz-set"'


def render_set(name: str, title: str, bodies: list[str], score: bool = False) -> str:
    """A lesson's practice block: a progress summary, a reset, then each exercise's markup."""
    heading = f'<p class="quiz-set__title">{esc(title)}</p>' if title else ""
    score_attr = " data-quiz-score" if score else ""
    return (
        f'{SET_OPENING} data-quiz-set="{esc(name)}"{score_attr} aria-label="{esc(title or DEFAULT_SET_TITLE)}">'
        f"{heading}"
        '<div class="quiz-set__summary">'
        '<p class="quiz-set__progress" role="status" aria-live="polite"></p>'
        f'<button type="button" class="md-button quiz-set__reset"{_later("清除本组作答记录")}></button>'
        "</div>"
        f"{''.join(bodies)}</section>"
    )


def render_broken(exercise_id: str, number: int, problems: list | None = None) -> str:
    """Stands in, while previewing, for an exercise that has problems, and says the first of them.

    Without `problems` (a file's set made before it is placed), a slot that
    fill_set fills with them.
    """
    notes = f"\x1fnotice:{number - 1}\x1f" if problems is None else problem_notes(problems)
    return (
        f'<div class="quiz quiz--broken" role="note"><p class="quiz__head">第 {number} 题</p>'
        f"<p>练习 {esc(exercise_id)} 有错误，暂不显示。</p>{notes}</div>"
    )


def render_unreadable(path: str, problems: list) -> str:
    """Stands in, while previewing, for the set of a file that could not be read."""
    return (
        f'<div class="quiz quiz--broken" role="note"><p class="quiz__head">练习文件 {esc(path)}</p>'
        f"<p>练习文件 {esc(path)} 有错误，无法读取，这组练习暂不显示。</p>{problem_notes(problems)}</div>"
    )


# How many of an exercise's problems its notice shows; the build log has them all.
NOTICE_PROBLEMS = 2


def problem_notes(problems: list) -> str:
    """The first problems, worded as the build log words them; their text comes from YAML, so escaped."""
    if not problems:
        return "<p>请查看构建日志中的提示并修改。</p>"
    items = "".join(f"<li>{esc(_problem_note(p))}</li>" for p in problems[:NOTICE_PROBLEMS])
    more = len(problems) - NOTICE_PROBLEMS
    rest = f"<p>另有 {more} 个问题，见构建日志。</p>" if more > 0 else ""
    return f'<ul class="quiz__problems">{items}</ul>{rest}'


def _problem_note(problem) -> str:
    field = f"字段 {problem.field}：" if problem.field else ""
    fix = f"修改方法：{problem.fix}" if problem.fix else ""
    return f"第 {problem.line} 行：{field}{problem.message}{fix}"


# Stand-ins for what depends on where an exercise is placed: its number in
# the set and the link to its section, relative to the page that shows it.
# Text reaches the markup only through esc() and markup.block(), which drop
# every control character, so no exercise can forge them.
NUMBER_SLOT = "\x1fnumber\x1f"
# The section link is an attribute and the text of an element of the exercise's markup: escaped once.
LINK_DEPTH = 1
HREF_SLOT = "\x1fhref\x1f"
TITLE_SLOT = "\x1ftitle\x1f"


def render_exercise(ex: Exercise, number: int, link: SectionLinker) -> str:
    """One exercise, placed: render_item and place in one step."""
    return place(render_item(ex), number, *link(ex.section))


def place(item: str, number: int, href: str, title: str) -> str:
    """Fill in an exercise's placement; the link lies in the solution's attribute."""
    return (
        item.replace(NUMBER_SLOT, str(number))
        .replace(HREF_SLOT, _in_link(href), 1)
        .replace(TITLE_SLOT, _in_link(title), 1)
    )


def _in_link(text: str) -> str:
    """Text for the section link, which lies LINK_DEPTH attributes deep."""
    for _ in range(LINK_DEPTH):
        text = esc(text)
    return text


# The same stand-ins once an exercise has its place in a file's set: k is its
# position there, so that one pass fills in every link of the set, and the
# notice of each broken exercise (render_broken).
SET_SLOT = re.compile("\x1f(href|title|notice):(\\d+)\x1f")


def slot_item(item: str, position: int) -> str:
    """An exercise's markup numbered for its place in a set, its link slots keyed by that place."""
    return (
        item.replace(NUMBER_SLOT, str(position + 1))
        .replace(HREF_SLOT, f"\x1fhref:{position}\x1f", 1)
        .replace(TITLE_SLOT, f"\x1ftitle:{position}\x1f", 1)
    )


def fill_set(template: str, links: dict[int, tuple[str, str]], notices: dict[int, str] | None = None) -> str:
    """Put each exercise's (href, section title) in its slots, escaped as place() does,
    and each broken one's problem_notes markup in its notice."""
    def fill(match) -> str:
        if match.group(1) == "notice":
            return (notices or {}).get(int(match.group(2))) or problem_notes([])
        href, title = links[int(match.group(2))]
        return _in_link(href if match.group(1) == "href" else title)

    return SET_SLOT.sub(fill, template)


def render_item(ex: Exercise) -> str:
    """One exercise's markup, independent of the page that will show it."""
    qid = f"quiz-{ex.id}"
    difficulty = f' <span class="quiz__difficulty">{esc(ex.difficulty)}</span>' if ex.difficulty else ""
    hint = (
        f'<details class="quiz__hint"><summary>提示</summary>{_naming_options(ex, markup.block(ex.hint))}</details>'
        if ex.hint else ""
    )
    prompt = _prompt_with_blanks(ex) if ex.type == "fill" else markup.block(ex.prompt)
    interactive = (
        f'<p class="quiz__head"><span class="quiz__number">第 {NUMBER_SLOT} 题</span> '
        f'<span class="quiz__kind">{esc(ex.kind)}</span>{difficulty}</p>'
        '<form class="quiz__form" novalidate>'
        f'<fieldset class="quiz__body" aria-labelledby="{esc(qid)}-prompt">'
        f'<div class="quiz__prompt" id="{esc(qid)}-prompt">{_naming_options(ex, prompt)}</div>'
        f"{CONTROLS[ex.type](ex, qid)}"
        "</fieldset>"
        '<div class="quiz__actions">'
        f'<button type="submit" class="md-button md-button--primary quiz__check">{CHECK_LABEL.get(ex.type, "检查答案")}</button>'
        '<button type="button" class="md-button quiz__retry" hidden>重新作答</button>'
        "</div>"
        f"{hint}"
        "</form>"
        '<div class="quiz__result" role="status" aria-live="polite"></div>'
        f"{_solution(ex)}"
    )
    shuffle = " data-quiz-shuffle" if ex.shuffled else ""
    return (
        f'<div class="quiz" id="{esc(qid)}" data-quiz-id="{esc(ex.id)}" '
        f'data-quiz-type="{ex.type}" data-quiz-version="{ex.version}"{shuffle}>'
        f"{_readable(ex, prompt)}"
        f'<style type="{EXERCISE_DATA}" media="not all" class="quiz__data">{as_raw_text(interactive)}</style></div>'
    )


# The exercise itself travels as the raw text of an element whose text no HTML
# parser looks into (an indexer skips it whole, at the cost of finding its
# end) and quiz.js reads back with as_raw_text's inverse. A style element of a
# type no browser applies, not a script: Material's instant navigation
# re-creates every script of a page it loads, without its type, and runs it.
EXERCISE_DATA = "text/x-quiz-exercise"


def as_raw_text(own_markup: str) -> str:
    """Markup of our own as the raw text of an element: nothing in it can end the element early.

    Only `</` (which could spell </style>) and `<!--` (which changes how the
    end is found) need to change. Every `<` in the markup is the renderer's
    own: text from YAML reaches it escaped (&lt;), so no text can spell
    either sequence, nor the stand-ins that take their place.
    """
    return own_markup.replace("</", "<\\/").replace("<!--", "<\\!--")


def _readable(ex: Exercise, prompt: str) -> str:
    """What stands in the page until quiz.js puts the exercise in place: what an indexer, a printout
    and a reader without scripts get. Few elements: an indexer pays for each one, on every page."""
    if ex.type in ("single", "multiple"):
        choices = [f"{LETTERS[i]}．{markup.inline(o.text)}" for i, o in enumerate(ex.options)]
    elif ex.type == "order":
        choices = [markup.inline(item) for item in ex.items]
    else:
        choices = []
    listed = f'<ul class="quiz__choices">{"".join(f"<li>{c}</li>" for c in choices)}</ul>' if choices else ""
    if ex.type == "fill":  # a gap to write in on paper, no input: the exercise's inputs come with it
        prompt = BLANK_IN_PROMPT.sub('<span class="quiz__gap"></span>', prompt)
    return f'<p class="quiz__head">第 {NUMBER_SLOT} 题</p><div class="quiz__prompt">{prompt}</div>{listed}'


def _options(ex: Exercise, qid: str, kind: str) -> str:
    labels = (
        [("对", "对", False), ("错", "错", False)]
        if ex.type == "true_false"
        else [(LETTERS[i], _naming_options(ex, markup.inline(o.text)), o.pin and ex.shuffled) for i, o in enumerate(ex.options)]
    )
    return '<div class="quiz__options">' + "".join(
        f'<label class="quiz__option"{" data-pin" if pin else ""}><input type="{kind}" name="{esc(qid)}" value="{value}"> '
        f'<span class="quiz__letter">{value}</span> <span class="quiz__text">{text}</span></label>'
        for value, text, pin in labels
    ) + "</div>"


# Where the text about a shuffled exercise's options names them by letter
# ("A、C 都是…"), quiz.js writes the letters the trainee sees instead. A run
# of letters is one mark, so that it can be put in the shown order.
_OWN_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')  # cleaned markup quotes every attribute value with "
_VERBATIM = re.compile(r"<(/?)(code|pre|kbd|samp)\b")


def _naming_options(ex: Exercise, cleaned: str) -> str:
    """Cleaned markup of a shuffled exercise, each run of option letters in its text marked for quiz.js."""
    if not ex.shuffled or not cleaned:
        return cleaned
    letter = f"[A-{LETTERS[len(ex.options) - 1]}]"
    run = re.compile(rf"(?<![A-Za-z0-9_&#]){letter}(?:、{letter})*(?![A-Za-z0-9_])")

    def mark(found) -> str:
        return f'<span class="quiz__ref" data-ref="{found.group(0).replace("、", "")}">{found.group(0)}</span>'

    parts, verbatim, start = [], 0, 0
    for tag in _OWN_TAG.finditer(cleaned):
        words = cleaned[start:tag.start()]
        parts.append(words if verbatim else run.sub(mark, words))
        parts.append(tag.group(0))
        inside = _VERBATIM.match(tag.group(0))
        if inside:
            verbatim = max(0, verbatim + (-1 if inside.group(1) else 1))
        start = tag.end()
    words = cleaned[start:]
    parts.append(words if verbatim else run.sub(mark, words))
    return "".join(parts)


def _prompt_with_blanks(ex: Exercise) -> str:
    return fill_prompt(ex.prompt).html


# Where a blank's input cannot stand: code shows its text as written, and a
# link or a summary would take the click meant for the input.
NO_INPUT = ("code", "pre", "kbd", "samp", "a", "summary")
BLANK_INPUT = (
    '<input type="text" class="quiz__blank" data-blank="{index}" '
    'aria-label="第 {number} 空" autocomplete="off">'
)
BLANK_IN_PROMPT = re.compile(r'<input type="text" class="quiz__blank" data-blank="\d+" aria-label="第 \d+ 空" autocomplete="off">')


@dataclass(frozen=True)
class FillPrompt:
    html: str  # the cleaned prompt, an input in place of each blank that can hold one
    text: str  # its words, each blank written ____
    misplaced: dict  # blank index -> where it stands instead: "attribute", an element of NO_INPUT, "missing", "repeated"


@lru_cache(maxsize=4096)
def fill_prompt(prompt: str) -> FillPrompt:
    """A fill-in prompt rendered with its blanks, and the blanks that cannot take an input.

    Each blank becomes a word Markdown leaves alone, a prefix the prompt does
    not contain (not even as character references) and its index, so that
    after rendering each is found where it ended up: in text, in an
    attribute, in code, or gone.
    """
    prefix = "quizblank"
    while prefix in prompt or prefix in html.unescape(prompt):
        prefix += "q"
    token = re.compile(re.escape(prefix) + r"(\d+)x")
    counter = iter(range(1_000_000))
    marked = BLANK.sub(lambda _: f"{prefix}{next(counter)}x", prompt)
    rendered = markup.block(marked)
    holes = len(BLANK.findall(prompt))
    places, words = _token_places(rendered, token, plain=not markup.MARKDOWN_SIGNS.search(marked))
    misplaced = {}
    for index in range(holes):
        found = places.get(index, [])
        if len(found) != 1:
            misplaced[index] = "repeated" if found else "missing"
        elif found[0]:
            misplaced[index] = found[0]

    def swap(found) -> str:
        index = int(found.group(1))
        if index >= holes or index in misplaced:
            return "____"
        return BLANK_INPUT.format(index=index, number=index + 1)

    text = markup.ASCII_SPACE.sub(" ", token.sub("____", words)).strip()
    return FillPrompt(token.sub(swap, rendered), text, misplaced)


def _token_places(rendered: str, token, plain: bool) -> tuple[dict[int, list[str]], str]:
    """index -> where each of its copies stands ("" in text, "attribute", an element of NO_INPUT); and the words."""
    # Plain text, the common case, is one run of text: every blank stands in it.
    events = [("text", markup.text(rendered), ())] if plain else markup.walk(rendered)
    places: dict[int, list[str]] = {}
    words = []
    for event in events:
        if event[0] == "tag":
            for _, value in event[2]:
                for found in token.finditer(value or ""):
                    places.setdefault(int(found.group(1)), []).append("attribute")
            continue
        words.append(event[1])
        enclosing = next((tag for tag in reversed(event[2]) if tag in NO_INPUT), "")
        for found in token.finditer(event[1]):
            places.setdefault(int(found.group(1)), []).append(enclosing)
    return places, "".join(words)


def _order(ex: Exercise, qid: str) -> str:
    rows = []
    for index, item in enumerate(ex.items):
        text = markup.inline(item)
        plain = esc(markup.text(text))
        rows.append(
            f'<li class="quiz__item" data-item="{LETTERS[index]}"><span class="quiz__text">{text}</span> '
            '<span class="quiz__moves">'
            f'<button type="button" class="quiz__move" data-move="up" aria-label="上移：{plain}">↑</button>'
            f'<button type="button" class="quiz__move" data-move="down" aria-label="下移：{plain}">↓</button>'
            "</span></li>"
        )
    return f'<ol class="quiz__order">{"".join(rows)}</ol>'


CONTROLS = {
    "single": lambda ex, qid: _options(ex, qid, "radio"),
    "multiple": lambda ex, qid: _options(ex, qid, "checkbox"),
    "true_false": lambda ex, qid: _options(ex, qid, "radio"),
    "fill": lambda ex, qid: "",
    "order": _order,
    "open": lambda ex, qid: '<textarea class="quiz__answer" rows="6" aria-label="你的答案"></textarea>',
}


def _key(ex: Exercise) -> dict:
    if ex.type == "fill":
        return {"blanks": [list(b) for b in ex.blanks]}
    if ex.type == "open":
        return {}
    return {"answer": ex.answer}


def _solution_parts(ex: Exercise) -> str:
    if ex.type in ("single", "multiple", "true_false"):
        if ex.type == "true_false":
            entries = [(v, ex.feedback.get(v, "")) for v in ("对", "错")]
        else:
            entries = [(LETTERS[i], o.feedback) for i, o in enumerate(ex.options)]
        return '<ul class="quiz__feedbacks">' + "".join(
            f'<li class="quiz__feedback" data-option="{value}"><span class="quiz__letter">{value}</span> '
            f'{_naming_options(ex, markup.inline(text)) if text else ""}</li>'
            for value, text in entries
        ) + "</ul>"
    if ex.type == "fill":
        parts = []
        for index, accepted in enumerate(ex.blanks):
            others = f"（也可：{'、'.join(esc(a) for a in accepted[1:])}）" if len(accepted) > 1 else ""
            parts.append(f"第 {index + 1} 空：{esc(accepted[0])}{others}")
        return f'<p class="quiz__accepted">参考答案：{"；".join(parts)}。</p>'
    if ex.type == "order":
        steps = "".join(f"<li>{markup.inline(ex.items[LETTERS.index(letter)])}</li>" for letter in ex.answer)
        return f'<p class="quiz__label">正确顺序</p><ol class="quiz__correct-order">{steps}</ol>'
    criteria = "".join(
        f'<label><input type="checkbox" class="quiz__criterion"> {markup.inline(c)}</label>' for c in ex.rubric
    )
    return (
        f'<div class="quiz__reference"><p class="quiz__label">参考答案</p>{markup.block(ex.reference)}</div>'
        f'<fieldset class="quiz__rubric" data-levels="{LEVELS_DATA}"><legend>对照评分要点自评</legend>{criteria}'
        f'<p class="quiz__level" hidden></p><p class="quiz__levels">{LEVELS_NOTE}</p></fieldset>'
    )


# A writing exercise's self-assessment level: the least share of its rubric's
# criteria met (in %) for each, highest first. quiz.js reads them from the
# markup; the instructors' guide (exercises/README.md) states them.
RUBRIC_LEVELS = ((90, "优"), (70, "良"), (50, "合格"), (0, "需改进"))
LEVELS_DATA = ",".join(f"{least}:{name}" for least, name in RUBRIC_LEVELS)
LEVELS_NOTE = (
    "勾选后按符合的比例给出等级："
    + "，".join(f"{least}% 及以上为{name}" for least, name in RUBRIC_LEVELS[:-1])
    + f"，不足 {RUBRIC_LEVELS[-2][0]}% 为{RUBRIC_LEVELS[-1][1]}。"
)


def _solution(ex: Exercise) -> str:
    """The answer key, feedback and explanation: hidden until an answer is checked (quiz.js)."""
    key = esc(json.dumps(_key(ex), ensure_ascii=False))
    explanation = (
        f'<div class="quiz__explanation"><p class="quiz__label">解析</p>{_naming_options(ex, markup.block(ex.explanation))}</div>'
        if ex.explanation else ""
    )
    inner = (
        f'<div class="quiz__key" hidden>{key}</div>'
        f"{_solution_parts(ex)}{explanation}"
        f'<p class="quiz__section">相关小节：<a href="{HREF_SLOT}">{TITLE_SLOT}</a></p>'
    )
    return f'<section class="quiz__solution" hidden>{inner}</section>'
