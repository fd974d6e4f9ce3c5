"""Hostile exercise text in a real browser: on the lesson page and in the search results.

A temporary copy of the course gets an exercise file whose set title, prompts,
options and feedback carry markup (tags, entity-encoded tags, code spans,
attribute-breaking quotes). Every payload, if it ever became markup, would
record itself in window.xss. The site is built strictly, served by nginx with
the shipped configuration, and searched through the real search box.

Typing: Playwright's keyboard.insert_text (like fill/type for Chinese) sends
an input event and no key event; docs/javascripts/search-input.js turns that
input into the keyup Material's search waits for. That is how an input
method commits Chinese text, and how a trainee's query arrives here.
"""

from __future__ import annotations

import textwrap
from urllib.parse import quote

import pytest

from conftest import served_course_with_set

LESSON = "positioning/"
SECTION = "positioning.md#为谁报报什么"
SEARCH_FIELD = "input[data-md-component=search-query]"


def payload(name: str) -> str:
    # A failed image load runs onerror; the image is on the same host, so no outside request.
    return f"<img src=x onerror=xss.push('{name}')>"


QUOTES = "\" onmouseover=\"xss.push('quote')\" data-x=\""
TITLE = f"{payload('title')} 险恶标题 {QUOTES}"
# Each prompt: words a trainee searches for, then a payload that must stay text.
PROMPTS = {
    "hostile-code": ("琥珀鲸鱼", f"琥珀鲸鱼题干 `{payload('code')}` 之后"),
    "hostile-entity": ("珊瑚灯塔", "珊瑚灯塔**题干** &lt;img src=x onerror=xss.push('entity')&gt; 之后"),
    "hostile-numeric": ("翡翠峡谷", "翡翠峡谷题干 &#60;img src=x onerror=xss.push('numeric')&#62; 之后"),
}
# What the page and the search result must show, literally.
LITERAL = "<img src=x onerror=xss.push('{}')>"


def exercise_file() -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    entries = []
    for exercise_id, (_, prompt) in PROMPTS.items():
        entries.append(textwrap.dedent(f"""\
          - id: {exercise_id}
            type: single
            section: {SECTION}
            prompt: {quoted(prompt)}
            options:
              - text: {quoted(payload('option') + ' 甲 ' + QUOTES)}
                feedback: {quoted('`' + payload('feedback-code') + '` &lt;img src=x onerror=xss.push(' + "'feedback-entity'" + ')&gt;')}
              - text: 乙
                feedback: {quoted(payload('feedback') + ' 乙的说明 ' + QUOTES)}
            answer: B
            explanation: {quoted(payload('explanation') + ' 解析 `' + payload('explanation-code') + '`')}
        """))
    entries.append(textwrap.dedent(f"""\
      - id: hostile-order
        type: order
        section: {SECTION}
        prompt: 玳瑁排序题干
        items: [{quoted('第一步 ' + QUOTES)}, {quoted('第二步 `' + payload('item') + '`')}]
        answer: [A, B]
        explanation: 先后。
      - id: hostile-fill
        type: fill
        section: {SECTION}
        prompt: {quoted('砗磲填空：有情况、有____。`' + payload('fill') + '`')}
        blanks: [[分析, {quoted('分析' + QUOTES)}, {quoted(payload('blank'))}]]
        explanation: 三要素。
      - id: hostile-judge
        type: true_false
        section: {SECTION}
        prompt: 玛瑙判断题干
        answer: 对
        feedback:
          对: {quoted(payload('judge') + ' 对的说明')}
          错: {quoted('&#60;img src=x onerror=xss.push(' + "'judge-entity'" + ')&#62;')}
        explanation: 说明。
    """))
    return f"title: {quoted(TITLE)}\nexercises:\n" + textwrap.indent("".join(entries), "  ")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    with served_course_with_set(tmp_path_factory.mktemp("hostile"), "hostile", exercise_file()) as site:
        yield site


@pytest.fixture
def watched(page, hostile_site):
    """The page, with window.xss ready on every document and every request recorded."""
    page.add_init_script("window.xss = [];")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.requests = requests
    return page


def inline_handlers(page) -> list[str]:
    """Every on* attribute in the document: none of ours or Material's markup has one."""
    return page.evaluate(
        """() => [...document.querySelectorAll('*')].flatMap(el =>
               [...el.attributes].filter(a => /^on/i.test(a.name)).map(a => el.tagName + ' ' + a.name))"""
    )


def search(page, words: str):
    page.click(SEARCH_FIELD)
    page.keyboard.insert_text(words)
    page.wait_for_selector(".md-search-result__item")


def test_hostile_text_on_the_lesson_page_stays_text(hostile_site, watched):
    page = watched
    page.goto(hostile_site.base_url + LESSON, wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    page.reload(wait_until="networkidle")
    block = page.locator('.quiz-set[data-quiz-set="hostile"]')
    assert block.locator(".quiz-set__title").inner_text() == TITLE
    assert block.get_attribute("aria-label") == TITLE
    first = block.locator('.quiz[data-quiz-id="hostile-code"]')
    assert LITERAL.format("code") in first.locator(".quiz__prompt").inner_text()
    # Reveal every solution: feedback and explanations are put in place as HTML.
    for quiz in block.locator(".quiz[data-quiz-type=single], .quiz[data-quiz-type=true_false]").all():
        quiz.locator(".quiz__options input").first.check()
        quiz.locator(".quiz__check").click()
    order = block.locator('.quiz[data-quiz-id="hostile-order"]')
    order.locator(".quiz__check").click()
    fill = block.locator('.quiz[data-quiz-id="hostile-fill"]')
    assert fill.locator(".quiz__blank").count() == 1
    fill.locator(".quiz__blank").fill("分析")
    fill.locator(".quiz__check").click()
    assert fill.locator(".quiz__result").inner_text().startswith("✓")
    assert LITERAL.format("feedback-code") in first.locator(".quiz__feedbacks").inner_text()
    assert "&lt;img" not in first.locator(".quiz__feedbacks").inner_text()
    labels = order.locator(".quiz__move").evaluate_all("buttons => buttons.map(b => b.getAttribute('aria-label'))")
    assert labels[0] == "上移：第一步 " + QUOTES
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.xss") == []
    assert inline_handlers(page) == []
    assert page.script_errors == []
    assert all(url.startswith(hostile_site.base_url) for url in page.requests), page.requests


@pytest.mark.parametrize("exercise_id", list(PROMPTS))
def test_a_search_for_a_hostile_prompt_shows_it_as_text(hostile_site, watched, exercise_id):
    page = watched
    words, _ = PROMPTS[exercise_id]
    page.goto(hostile_site.base_url, wait_until="networkidle")
    search(page, words)
    # The exercises are part of the lesson's text: found in its practice section (## 练习).
    link = page.locator(f'.md-search-result__link[href*="/{LESSON}?"][href$="#{quote("练习")}"]')
    article = link.locator("article")
    article.first.wait_for()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.xss") == []
    shown = article.first.inner_text().replace("\u200b", "")
    name = exercise_id.removeprefix("hostile-")
    assert LITERAL.format(name) in shown
    assert page.locator(".md-search-result img").count() == 0
    assert inline_handlers(page) == []
    # The query's words are still highlighted: escaping survived the <mark>s.
    assert article.first.locator("mark").count() >= 1
    # Following the result opens the lesson with the words highlighted there too (?h=…).
    article.first.click()
    prompt = page.locator(f'.quiz[data-quiz-id="{exercise_id}"] .quiz__prompt')
    prompt.locator("mark").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert "h=" in page.url
    assert LITERAL.format(name) in prompt.inner_text()
    assert page.evaluate("window.xss") == []
    assert inline_handlers(page) == []
