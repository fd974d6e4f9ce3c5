"""Search answers trainees' questions (hooks/search_query.js in Material's worker), in the real
search box in Chromium: for a handful of queries of each kind the first result shown is the
section that teaches the answer, with its heading as the title; following it highlights the
query's words, whole, on the page. The full query set (tests/search/questions.tsv) is the
benchmark's (tests/bench/bench_search.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from test_search import SEARCH_FIELD, enter_like_an_input_method

# query -> (page, section anchor, words of the heading shown as the first result's title)
FIRST = {
    # Question forms: the question words carry nothing; the content words find the section.
    "什么是信息量": ("positioning/", "信息量", "信息量"),
    "怎么判断领导关注什么": ("positioning/", "围绕领导关注报送", "围绕领导关注报送"),
    "为什么要提前谋划": ("topics/", "提前谋划", "提前谋划"),
    # Trainees' own words, through search/synonyms.txt or an instructor's question.
    "问题的病根": ("research/", "找到问题的症结", "找到问题的症结"),
    "会议流水账": ("positioning/", "把信息等同于简讯和工作动态", "把信息等同于简讯和工作动态"),
    # Digits and Latin letters next to Chinese, full-width digits.
    "信息的4个作用": ("introduction/", "信息工作的四个作用", "信息工作的四个作用"),
    "３股力量": ("introduction/", "做好信息工作的三股力量", "做好信息工作的三股力量"),
    # A word that stands only inside a longer indexed word.
    "纽带": ("introduction/", "联系群众的桥梁纽带", "联系群众的桥梁纽带"),
    "篮子": ("topics/", "拣到篮子都是菜", "拣到篮子都是菜"),
    # A one-character slip of an input method.
    "以偏盖全": ("research/", "抽样与以偏概全", "抽样与以偏概全"),
}


def first_shown(page) -> tuple[str, str]:
    """The first result as a trainee sees it: where its link goes, and its title."""
    page.wait_for_selector(".md-search-result__item")
    link = page.locator(".md-search-result__item").first.locator("a.md-search-result__link").first
    return unquote(link.get_attribute("href")), link.locator("h1").inner_text()


@pytest.mark.parametrize("query", list(FIRST))
def test_the_first_result_is_the_section_that_teaches_it(served_site, page, query):
    page.goto(served_site.base_url, wait_until="networkidle")
    enter_like_an_input_method(page, query)
    href, title = first_shown(page)
    expected_page, anchor, heading = FIRST[query]
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == served_site.base_url + expected_page, href
    assert parts.fragment == anchor, href
    assert title.replace("\u200b", "").startswith(heading), title
    assert page.script_errors == []


def test_following_a_result_highlights_the_words_not_single_characters(served_site, page):
    page.goto(served_site.base_url, wait_until="networkidle")
    enter_like_an_input_method(page, "问题的病根怎么找")
    href, _ = first_shown(page)
    # The synonym that stands in the section (症结) is what the link asks the page to highlight.
    asked = parse_qs(urlsplit(href).query)["h"][0].split()
    assert "症结" in asked and all(len(word) >= 2 for word in asked), asked
    page.locator(".md-search-result__item").first.locator("a.md-search-result__link").first.click()
    page.wait_for_url("**/research/**")
    page.wait_for_selector("mark[data-md-highlight]")
    marked = page.locator("mark[data-md-highlight]").all_inner_texts()
    assert "症结" in marked
    assert all(len(text) >= 2 for text in marked), marked


def test_a_query_of_question_words_only_still_answers(served_site, page):
    # Nothing but 怎么、什么: searched as typed rather than dropped to nothing.
    page.goto(served_site.base_url, wait_until="networkidle")
    enter_like_an_input_method(page, "是什么")
    page.wait_for_selector(".md-search-result__meta")
    assert page.script_errors == []


def all_shown(page) -> list[str]:
    """Every result link in the order shown, as page#anchor relative to the site."""
    page.wait_for_selector(".md-search-result__item")
    return [unquote(a.get_attribute("href")) for a in page.locator("a.md-search-result__link").all()]


def test_exercise_prompts_stay_findable_below_the_teaching_section(served_site, page):
    page.goto(served_site.base_url, wait_until="networkidle")
    # Words only an exercise's prompt has: its lesson's practice section is found.
    enter_like_an_input_method(page, "农村自建房安全隐患排查")
    assert any(urlsplit(link).fragment == "练习" for link in all_shown(page)[:5])
    # A term the prompts use again and again: the section teaching it comes first, the practice after.
    page.fill(SEARCH_FIELD, "")
    enter_like_an_input_method(page, "信息量")
    page.wait_for_function("() => document.querySelector('.md-search-result__item a')?.href.includes('%E4%BF%A1%E6%81%AF%E9%87%8F')")
    fragments = [urlsplit(link).fragment for link in all_shown(page) if "/positioning/" in link]
    assert fragments[0] == "信息量"
    if "练习" in fragments:
        assert fragments.index("练习") > fragments.index("信息量")


def test_if_the_course_search_cannot_start_materials_search_answers(served_site, page):
    # The course's engine fails while setting up (as in a browser it does not support): the same
    # worker's own code, Material's, sets up and answers instead; the trainee still finds the term.
    def broken(route):
        response = route.fetch()
        body = response.text().replace("function Index(setup) {", 'function Index(setup) { throw new Error("不支持");', 1)
        assert "不支持" in body
        route.fulfill(response=response, body=body)

    page.route("**/workers/search.*.min.js", broken)
    page.goto(served_site.base_url, wait_until="networkidle")
    enter_like_an_input_method(page, "信息报送")
    links = all_shown(page)
    assert any("/introduction/" in link for link in links[:3]), links
    # Material's own grouping: the page itself heads its group.
    assert "#" not in links[0]
    assert page.script_errors == []
