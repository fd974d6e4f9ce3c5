"""Options shown in an order of each browser's own, in a real browser.

quiz.js draws the order of a choice item's options from a seed it keeps in
localStorage and the exercise's id: two seeds give two orders, a reload the
same one. Inputs keep the YAML letters, so the key and saved answers hold;
the letters shown (options, feedback, the key in the result, the letters the
texts name options by) follow the shown order. Pinned options and
`shuffle: false` keep their places; a writing exercise's ticked rubric gives
a level.
"""

from __future__ import annotations

import json
import string
from urllib.parse import urlsplit

import pytest

from conftest import served_course_with_set

LESSON = "positioning/"
SEEDS = ("seed-one", "seed-two")

EXERCISES = """\
title: 打乱顺序测试
exercises:
  - id: shuffle-six
    type: single
    section: positioning.md#为谁报报什么
    prompt: 六个选项中，除了 A 以外哪一个对？
    options:
      - text: 第一项
        feedback: 错，C 才对。
      - text: 第二项
        feedback: 错，与 A 一样。
      - text: 第三项
        feedback: 对。
      - text: 第四项
        feedback: 错。
      - text: 第五项
        feedback: 错。
      - text: 第六项
        feedback: 错。
    answer: C
    explanation: C 对；A、B、F 都错。
  - id: shuffle-many
    type: multiple
    section: positioning.md#为谁报报什么
    prompt: 哪两项对？
    options:
      - text: 甲项
        feedback: 说明甲项。
      - text: 乙项
        feedback: 说明乙项。
      - text: 丙项
        feedback: 说明丙项。
      - text: 丁项
        feedback: 说明丁项。
      - text: 戊项
        feedback: 说明戊项。
    answer: [A, D]
    explanation: A、D 对。
  - id: shuffle-pinned
    type: single
    section: positioning.md#为谁报报什么
    prompt: 哪一项对？
    options:
      - text: 子项
        feedback: 说明子项。
      - text: 丑项
        feedback: 说明丑项。
      - text: 寅项
        feedback: 说明寅项。
      - text: 卯项
        feedback: 说明卯项。
      - text: 以上都不对
        feedback: 说明以上都不对。
        pin: true
    answer: A
    explanation: 子项对。
  - id: shuffle-off
    type: single
    section: positioning.md#为谁报报什么
    shuffle: false
    prompt: 按书写顺序的一题。
    options:
      - text: 一月
        feedback: 说明一月。
      - text: 二月
        feedback: 说明二月。
      - text: 三月
        feedback: 说明三月。
      - text: 四月
        feedback: 说明四月。
      - text: 五月
        feedback: 说明五月。
    answer: D
    explanation: 四月。
  - id: shuffle-judge
    type: true_false
    section: positioning.md#为谁报报什么
    prompt: 判断题不打乱。
    answer: 对
    feedback:
      对: 选对了。
      错: 选错了。
    explanation: 对。
  - id: shuffle-open
    type: open
    section: positioning.md#为谁报报什么
    prompt: 写一段话。
    reference: 参考答案。
    rubric:
      - 要点一
      - 要点二
      - 要点三
      - 要点四
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served_course_with_set(tmp_path_factory.mktemp("shuffle"), "shuffle", EXERCISES) as served:
        yield served


def seed_key(site) -> str:
    """Where quiz.js keeps the seed: beside the progress, under the site's base path."""
    return urlsplit(site.base_url).path + ".course-quiz-seed"


def open_with_seed(page, site, seed: str | None):
    """The lesson after a clean start, with `seed` stored (None: none, quiz.js draws one)."""
    page.goto(site.base_url + LESSON, wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    if seed is not None:
        page.evaluate("([key, seed]) => localStorage.setItem(key, seed)", [seed_key(site), seed])
    page.reload(wait_until="networkidle")


def quiz(page, exercise_id):
    found = page.locator(f'.quiz[data-quiz-id="{exercise_id}"]')
    found.scroll_into_view_if_needed()
    return found


def values(q) -> list[str]:
    """The options' YAML letters, in the order shown."""
    return q.locator(".quiz__option input").evaluate_all("inputs => inputs.map(i => i.value)")


def letters(q, where=".quiz__option") -> list[str]:
    return [t.strip() for t in q.locator(f"{where} .quiz__letter").all_inner_texts()]


def choose(q, wanted: list[str]):
    for value in wanted:
        q.locator(f'.quiz__options input[value="{value}"]').check()
    q.locator(".quiz__check").click()


def result(q) -> str:
    return q.locator(".quiz__result").inner_text()


def test_two_seeds_show_two_orders_and_both_grade_right(site, page):
    orders = {}
    for seed in SEEDS:
        open_with_seed(page, site, seed)
        q = quiz(page, "shuffle-six")
        orders[seed] = values(q)
        assert sorted(orders[seed]) == list("ABCDEF")
        assert letters(q) == list("ABCDEF"), "the letters shown run in the shown order"
        choose(q, ["C"])
        assert result(q).startswith("✓"), (seed, result(q))
        assert page.script_errors == []
    assert orders[SEEDS[0]] != orders[SEEDS[1]]


def test_the_feedback_and_the_key_use_the_shown_letters(site, page):
    open_with_seed(page, site, SEEDS[1])
    q = quiz(page, "shuffle-six")
    order = values(q)
    shown = dict(zip(order, string.ascii_uppercase))  # YAML letter -> letter shown
    assert shown["C"] != "C" and order != list("ABCDEF"), "this seed moves the key"
    wrong = next(v for v in order if v != "C")
    choose(q, [wrong])
    assert result(q) == f"✗ 回答错误。正确答案：{shown['C']}。"
    # The feedback list follows the options, lettered as shown.
    feedbacks = q.locator(".quiz__feedback").evaluate_all("items => items.map(i => i.dataset.option)")
    assert feedbacks == order and letters(q, ".quiz__feedback") == list("ABCDEF")
    # Letters the texts name options by: “C 才对” in A's feedback, the run “A、B、F” in the explanation.
    first = q.locator('.quiz__feedback[data-option="A"]').inner_text()
    assert f"错，{shown['C']} 才对。" in first
    expected = "、".join(sorted(shown[v] for v in "ABF"))
    assert q.locator(".quiz__explanation").inner_text().endswith(f"{shown['C']} 对；{expected} 都错。")
    assert q.locator(".quiz__prompt").inner_text() == f"六个选项中，除了 {shown['A']} 以外哪一个对？"

    many = quiz(page, "shuffle-many")
    shown_many = dict(zip(values(many), string.ascii_uppercase))
    choose(many, ["A"])
    assert result(many) == f"✗ 回答错误。正确答案：{'、'.join(sorted(shown_many[v] for v in 'AD'))}。"
    many.locator(".quiz__retry").click()
    choose(many, ["A", "D"])
    assert result(many).startswith("✓")


def test_a_reload_keeps_the_order_and_the_saved_answer(site, page):
    open_with_seed(page, site, SEEDS[1])
    q = quiz(page, "shuffle-six")
    before = values(q)
    assert before != list("ABCDEF"), "this seed shuffles"
    wrong = next(v for v in before if v != "C")
    choose(q, [wrong])
    assert result(q).startswith("✗")
    page.reload(wait_until="networkidle")
    q = quiz(page, "shuffle-six")
    assert values(q) == before
    assert q.locator(".quiz__options input:checked").evaluate_all("inputs => inputs.map(i => i.value)") == [wrong]
    assert result(q).startswith("✗") and q.locator(".quiz__solution").is_visible()


def test_a_seed_is_drawn_once_and_kept(site, page):
    open_with_seed(page, site, None)
    seed = page.evaluate("key => localStorage.getItem(key)", seed_key(site))
    assert seed
    first = values(quiz(page, "shuffle-six"))
    page.reload(wait_until="networkidle")
    assert page.evaluate("key => localStorage.getItem(key)", seed_key(site)) == seed
    assert values(quiz(page, "shuffle-six")) == first


def test_a_pinned_option_keeps_its_place_while_the_others_move(site, page):
    free_orders = set()
    for seed in SEEDS + ("seed-three", "seed-four"):
        open_with_seed(page, site, seed)
        q = quiz(page, "shuffle-pinned")
        order = values(q)
        assert order[-1] == "E" and letters(q)[-1] == "E"
        free_orders.add(tuple(order[:-1]))
        choose(q, ["A"])
        assert result(q).startswith("✓")
    assert len(free_orders) > 1


def test_shuffle_off_and_true_false_keep_the_yaml_order(site, page):
    for seed in SEEDS:
        open_with_seed(page, site, seed)
        off = quiz(page, "shuffle-off")
        assert values(off) == list("ABCDE") and letters(off) == list("ABCDE")
        assert off.locator(".quiz__text").all_inner_texts() == ["一月", "二月", "三月", "四月", "五月"]
        assert values(quiz(page, "shuffle-judge")) == ["对", "错"]


def test_blocked_storage_still_shows_every_option_and_grades(site, page):
    page.goto(site.base_url + "404.html")
    page.evaluate("localStorage.clear()")
    page.add_init_script("""
      Object.defineProperty(window, "localStorage", {
        configurable: true, get() { throw new DOMException("Access is denied", "SecurityError"); },
      });
    """)
    page.goto(site.base_url + LESSON, wait_until="networkidle")
    q = quiz(page, "shuffle-six")
    assert sorted(values(q)) == list("ABCDEF") and letters(q) == list("ABCDEF")
    choose(q, ["C"])
    assert result(q).startswith("✓")
    assert page.script_errors == []


def test_a_writing_exercise_shows_its_level_once_ticked_and_keeps_it(site, page):
    open_with_seed(page, site, SEEDS[0])
    q = quiz(page, "shuffle-open")
    q.locator(".quiz__answer").fill("我的答案")
    q.locator(".quiz__check").click()
    level = q.locator(".quiz__level")
    assert not level.is_visible() and "勾选符合的要点后显示等级" in result(q)
    criteria = q.locator(".quiz__criterion")
    for n in range(3):
        criteria.nth(n).check()
    assert level.inner_text() == "自评等级：良（符合 3 / 4 条要点）"
    assert "等级：良" in result(q)
    saved = page.evaluate("() => Object.entries(localStorage).filter(([k]) => k.endsWith(':shuffle-open'))")
    assert json.loads(saved[0][1])["level"] == "良"
    page.reload(wait_until="networkidle")
    q = quiz(page, "shuffle-open")
    assert q.locator(".quiz__level").inner_text() == "自评等级：良（符合 3 / 4 条要点）"
    criteria = q.locator(".quiz__criterion")
    criteria.nth(0).uncheck()
    criteria.nth(1).uncheck()
    assert q.locator(".quiz__level").inner_text() == "自评等级：需改进（符合 1 / 4 条要点）"
    criteria.nth(3).check()
    assert q.locator(".quiz__level").inner_text() == "自评等级：合格（符合 2 / 4 条要点）"
    for n in range(4):
        criteria.nth(n).check()
    assert q.locator(".quiz__level").inner_text() == "自评等级：优（符合 4 / 4 条要点）"
    assert page.script_errors == []
