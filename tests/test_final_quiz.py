"""The final quiz in a real browser: a few right, a few wrong, and the score."""

from __future__ import annotations

import json
import re


def test_final_quiz_scores_right_and_wrong_answers(served_site, page):
    page.goto(served_site.base_url + "final-quiz/", wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    page.reload(wait_until="networkidle")
    quizzes = page.locator('.quiz-set[data-quiz-score] .quiz[data-quiz-type="single"]')
    total = page.locator(".quiz-set[data-quiz-score] .quiz[data-quiz-id]").count()
    assert total >= 20 and quizzes.count() >= 3
    plan = [True, True, False]  # two right, one wrong
    for index, right in enumerate(plan):
        quiz = quizzes.nth(index)
        key = json.loads(quiz.locator(".quiz__key").text_content())["answer"]
        values = quiz.locator("input[type=radio]").evaluate_all("xs => xs.map(x => x.value)")
        choice = key if right else next(v for v in values if v != key)
        quiz.locator(f'input[value="{choice}"]').check()
        quiz.locator(".quiz__check").click()
        assert quiz.locator(".quiz__result").inner_text().startswith("✓" if right else "✗")
    summary = page.locator(".quiz-set[data-quiz-score] .quiz-set__progress").inner_text()
    assert re.search(rf"已完成 3 / {total} 题，答对 2 题", summary), summary
    assert re.search(rf"得分：2 / \d+", summary), summary
    page.reload(wait_until="networkidle")
    again = page.locator(".quiz-set[data-quiz-score] .quiz-set__progress").inner_text()
    assert "答对 2 题" in again
