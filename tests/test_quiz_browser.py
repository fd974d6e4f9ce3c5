"""Exercises in a real browser: every type answered right and wrong by keyboard,
feedback checked, progress kept across a reload, and an accessibility audit."""

from __future__ import annotations

import json

import pytest

from conftest import served_course_with_set

LESSON = "positioning/"
TYPES = ["single", "multiple", "true_false", "fill", "order", "open"]


def open_lesson(page, served_site, clear=True):
    page.goto(served_site.base_url + LESSON, wait_until="networkidle")
    if clear:
        page.evaluate("localStorage.clear()")
        page.reload(wait_until="networkidle")


def exercise(page, kind):
    quiz = page.locator(f'.quiz[data-quiz-type="{kind}"]').first
    quiz.scroll_into_view_if_needed()
    key = json.loads(quiz.locator(".quiz__key").text_content())
    return quiz, key


def press_check(page, quiz):
    quiz.locator(".quiz__check").focus()
    page.keyboard.press("Enter")


def answer_choice(page, quiz, wanted: list[str]):
    inputs = quiz.locator(".quiz__options input")
    values = [inputs.nth(i).get_attribute("value") for i in range(inputs.count())]
    kind = inputs.first.get_attribute("type")
    inputs.first.focus()
    if kind == "radio":
        # Arrow keys move the selection within a radio group.
        target = values.index(wanted[0])
        page.keyboard.press("Space")
        for _ in range(target):
            page.keyboard.press("ArrowDown")
    else:
        for index, value in enumerate(values):
            if index:
                page.keyboard.press("Tab")
            if value in wanted:
                page.keyboard.press("Space")
    press_check(page, quiz)


def answer_fill(page, quiz, texts: list[str]):
    blanks = quiz.locator(".quiz__blank")
    for index, text in enumerate(texts):
        blanks.nth(index).focus()
        page.keyboard.insert_text(text)
    page.keyboard.press("Enter")


def answer_order(page, quiz, wanted: list[str]):
    # Selection sort with the "up" buttons, pressed by keyboard.
    for position, letter in enumerate(wanted):
        current = quiz.locator(".quiz__item").evaluate_all("items => items.map(i => i.dataset.item)")
        steps = current.index(letter) - position
        if steps:
            quiz.locator(f'.quiz__item[data-item="{letter}"] [data-move="up"]').focus()
            for _ in range(steps):
                page.keyboard.press("Enter")
    press_check(page, quiz)


def result_text(quiz) -> str:
    return quiz.locator(".quiz__result").inner_text()


def wrong_choice(key, values):
    answer = key["answer"]
    if isinstance(answer, list):
        return [answer[0]] if len(answer) > 1 else [v for v in values if v not in answer][:1]
    return [next(v for v in values if v != answer)]


@pytest.mark.parametrize("kind", ["single", "multiple", "true_false"])
def test_choice_types_right_and_wrong_by_keyboard(served_site, page, kind):
    open_lesson(page, served_site)
    quiz, key = exercise(page, kind)
    values = quiz.locator(".quiz__options input").evaluate_all("inputs => inputs.map(i => i.value)")

    answer_choice(page, quiz, wrong_choice(key, values))
    assert result_text(quiz).startswith("✗")
    assert quiz.locator(".quiz__solution").is_visible()
    # Every option's feedback is shown, each with a word, not only a colour.
    badges = quiz.locator(".quiz__feedback .quiz__badge").all_inner_texts()
    assert len(badges) == len(values) and all(("正确" in b or "错误" in b) for b in badges)
    assert quiz.locator(".quiz__section a").get_attribute("href")

    quiz.locator(".quiz__retry").focus()
    page.keyboard.press("Enter")
    assert not quiz.locator(".quiz__solution").is_visible()
    answer = key["answer"] if isinstance(key["answer"], list) else [key["answer"]]
    answer_choice(page, quiz, answer)
    assert result_text(quiz).startswith("✓")
    assert page.script_errors == []


def test_fill_accepts_full_width_and_punctuation_variants(served_site, page):
    open_lesson(page, served_site)
    quiz, key = exercise(page, "fill")
    answer_fill(page, quiz, ["错误答案"] * len(key["blanks"]))
    assert result_text(quiz).startswith("✗")
    assert quiz.locator(".quiz__blank[aria-invalid=true]").count() == len(key["blanks"])
    quiz.locator(".quiz__retry").focus()
    page.keyboard.press("Enter")
    # The accepted answer, wrapped in quotes, padded and with a full-width comma.
    variants = [f"  “{accepted[-1]}”。" for accepted in key["blanks"]]
    answer_fill(page, quiz, variants)
    assert result_text(quiz).startswith("✓")


# Blanks whose accepted answers are half-width letters and digits: the course's
# own blanks are all Chinese, where width never matters.
WIDTH_EXERCISES = """\
title: 全角半角
exercises:
  - id: width-fill
    type: fill
    section: positioning.md#为谁报报什么
    prompt: 办公自动化系统常简称____系统；本课程修订于____年。
    blanks: [[OA], ["2026"]]
    explanation: 字母和数字不分全角半角。
"""


@pytest.fixture(scope="module")
def width_site(tmp_path_factory):
    """The course plus one fill exercise keyed in half-width, served by nginx."""
    with served_course_with_set(tmp_path_factory.mktemp("width"), "width", WIDTH_EXERCISES) as site:
        yield site


@pytest.mark.parametrize("typed", [["ＯＡ", "２０２６"], ["ｏａ", "2026"]])
def test_fill_accepts_full_width_letters_and_digits(width_site, page, typed):
    open_lesson(page, width_site)
    quiz = page.locator('.quiz[data-quiz-id="width-fill"]')
    quiz.scroll_into_view_if_needed()
    answer_fill(page, quiz, typed)
    assert result_text(quiz).startswith("✓"), result_text(quiz)
    # Still a check, not a pass for anything: a wrong digit is wrong.
    quiz.locator(".quiz__retry").focus()
    page.keyboard.press("Enter")
    answer_fill(page, quiz, [typed[0], "２０２５"])
    assert result_text(quiz).startswith("✗")
    assert quiz.locator(".quiz__blank[aria-invalid=true]").count() == 1


def test_order_by_move_buttons(served_site, page):
    open_lesson(page, served_site)
    quiz, key = exercise(page, "order")
    wrong = list(reversed(key["answer"]))
    answer_order(page, quiz, wrong)
    assert result_text(quiz).startswith("✗")
    quiz.locator(".quiz__retry").focus()
    page.keyboard.press("Enter")
    answer_order(page, quiz, key["answer"])
    assert result_text(quiz).startswith("✓")


def test_open_answer_shows_reference_and_rubric(served_site, page):
    open_lesson(page, served_site)
    quiz, _ = exercise(page, "open")
    quiz.locator(".quiz__answer").focus()
    page.keyboard.insert_text("某县农村集体经济发展情况……")
    press_check(page, quiz)
    assert quiz.locator(".quiz__reference").is_visible()
    criteria = quiz.locator(".quiz__criterion")
    assert criteria.count() >= 2
    criteria.first.focus()
    page.keyboard.press("Space")
    assert "1 /" in result_text(quiz)
    # Retrying a writing exercise keeps the draft to revise.
    quiz.locator(".quiz__retry").focus()
    page.keyboard.press("Enter")
    assert quiz.locator(".quiz__answer").input_value().startswith("某县")


def summary_counts(page, set_id: str):
    """How the set's summary line reads with `done` exercises checked, `right` of them right."""
    quizzes = page.locator(f'.quiz-set[data-quiz-set="{set_id}"] .quiz[data-quiz-id]')
    writing = page.locator(f'.quiz-set[data-quiz-set="{set_id}"] .quiz[data-quiz-type="open"]').count()
    note = "（写作练习自评，不计对错）" if writing else ""
    return lambda done, right: f"已完成 {done} / {quizzes.count()} 题，答对 {right} 题{note}"


def test_progress_survives_a_reload_and_the_summary_counts_it(served_site, page):
    open_lesson(page, served_site)
    line = page.locator('.quiz-set[data-quiz-set="positioning"] .quiz-set__progress .quiz-set__line').first
    expected = summary_counts(page, "positioning")
    assert line.inner_text() == expected(0, 0)
    quiz, key = exercise(page, "single")
    answer_choice(page, quiz, [key["answer"]])
    assert line.inner_text() == expected(1, 1)
    # One answered wrong as well: done and right are counted apart.
    judge, judge_key = exercise(page, "true_false")
    values = judge.locator(".quiz__options input").evaluate_all("inputs => inputs.map(i => i.value)")
    answer_choice(page, judge, wrong_choice(judge_key, values))
    assert line.inner_text() == expected(2, 1)
    page.reload(wait_until="networkidle")
    quiz, _ = exercise(page, "single")
    assert result_text(quiz).startswith("✓")
    assert quiz.locator(".quiz__solution").is_visible()
    judge, _ = exercise(page, "true_false")
    assert result_text(judge).startswith("✗")
    # Counted from what was restored, not only from answers given on this visit.
    assert line.inner_text() == expected(2, 1)


def test_editing_an_exercise_resets_only_that_exercise(served_site, page):
    open_lesson(page, served_site)
    for kind in ("single", "true_false"):
        quiz, key = exercise(page, kind)
        answer_choice(page, quiz, [key["answer"]])
    single_id = page.locator('.quiz[data-quiz-type="single"]').first.get_attribute("data-quiz-id")
    # What a rebuild after an edit does: the exercise's version changes.
    page.evaluate(
        """id => { const key = Object.keys(localStorage).find(k => k.endsWith('course-quiz:' + id));
                   const saved = JSON.parse(localStorage.getItem(key));
                   saved.v = 'older'; localStorage.setItem(key, JSON.stringify(saved)); }""",
        single_id,
    )
    page.reload(wait_until="networkidle")
    single, _ = exercise(page, "single")
    true_false, _ = exercise(page, "true_false")
    assert result_text(single) == ""
    assert result_text(true_false).startswith("✓")


def test_reset_clears_the_lesson(served_site, page):
    open_lesson(page, served_site)
    quiz, key = exercise(page, "single")
    answer_choice(page, quiz, [key["answer"]])
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('.quiz-set[data-quiz-set="positioning"] .quiz-set__reset').click()
    assert result_text(quiz) == ""
    page.reload(wait_until="networkidle")
    quiz, _ = exercise(page, "single")
    assert result_text(quiz) == ""


def test_exercises_work_after_instant_navigation(served_site, page):
    page.goto(served_site.base_url, wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    page.click("article a[href$='/introduction/']")
    page.wait_for_selector('.quiz-set[data-quiz-set="introduction"]')
    quiz, key = exercise(page, "single")
    answer_choice(page, quiz, [key["answer"]])
    assert result_text(quiz).startswith("✓")


@pytest.mark.parametrize("width", [1280, 360])
def test_lesson_with_exercises_has_no_serious_accessibility_violation(served_site, page, width):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size({"width": width, "height": 900})
    open_lesson(page, served_site)
    # Audit the answered state too: feedback and solutions are part of the page.
    quiz, key = exercise(page, "single")
    answer_choice(page, quiz, [key["answer"]])
    results = Axe().run(page, context=".md-content")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
