"""Chinese search: jieba with the course dictionary, and a search box that
reacts to text arriving without key presses."""

from __future__ import annotations

import json
import re
import sys
from urllib.parse import unquote

import pytest

import search_terms
import search_worker
from conftest import ROOT

# What a trainee types, and where the section that teaches it lives.
EXPECTED_FIRST = {
    "信息报送": ("introduction/", "#什么是信息报送"),
    "为谁报": ("positioning/", "#为谁报报什么"),
    "报什么": ("positioning/", "#为谁报报什么"),
    "本末倒置": ("positioning/", "#为什么说是本末倒置"),
    "坐等信息": ("topics/", "#坐等信息"),
    "提前谋划": ("topics/", "#提前谋划"),
    "以小见大": ("topics/", "#小处着手"),
    "第一来源": ("research/", "#第一来源最可靠来源"),
    "观点要明": ("research/", "#观点要明"),
    "有情况有分析有观点": ("research/", "#有情况有分析有观点"),
}
# The issue's own examples, also entered by pasting with the mouse.
PASTED = ["信息报送", "为谁报"]
# Terms the course pages must carry as single search tokens.
CORE_TERMS = ["信息报送", "党委信息", "为谁报", "报什么", "服务大局", "科学决策", "参谋助手"]


def index_tokens(site_dir) -> tuple[set[str], str]:
    """Tokens the browser will index, split exactly as the worker splits them."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    text = re.sub(r"<[^>]+>", " ", text)
    return set(separator.split(text)), text.replace("\u200b", "")


def test_course_terms_are_single_tokens(served_site):
    tokens, plain_text = index_tokens(served_site.directory)
    terms = search_terms.read_terms(ROOT / search_terms.DICTIONARY_PATH)
    present = [term for term in terms if term in plain_text]
    assert set(CORE_TERMS) <= set(present)
    split = [term for term in present if term not in tokens]
    assert split == [], f"被拆开的术语：{split}"


def test_dictionary_skips_notes_and_blank_lines(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("# 说明\n\n为谁报\n  报什么  \n", encoding="utf-8")
    assert search_terms.read_terms(path) == ["为谁报", "报什么"]


def test_dictionary_saved_as_gbk_is_reported_with_its_line(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_bytes("ok\n为谁报\n".encode("gbk"))
    with pytest.raises(search_terms.SearchSetupError, match=r"terms.txt:2：.*UTF-8"):
        search_terms.read_terms(path)


def test_missing_jieba_is_an_error_not_a_silent_downgrade(monkeypatch):
    monkeypatch.setitem(sys.modules, "jieba", None)
    with pytest.raises(search_terms.SearchSetupError, match="jieba"):
        search_terms.require_jieba()


def test_worker_fix_lets_a_whole_query_match():
    loop = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)"
    fixed = search_worker.fix_query_segmentation("a;" + loop + ";b")
    assert "o<=t.length" in fixed and fixed.startswith("a;") and fixed.endswith(";b")


def test_worker_fix_refuses_an_unknown_worker():
    with pytest.raises(search_worker.WorkerPatchError, match="mkdocs-material"):
        search_worker.fix_query_segmentation("function other(){}")


def test_the_course_search_refuses_a_worker_it_cannot_wrap():
    with pytest.raises(search_worker.WorkerPatchError, match="mkdocs-material"):
        search_worker.with_course_search("onmessage=e=>postMessage(e.data)")
    wrapped = search_worker.with_course_search('addEventListener("message",t=>0)')
    assert wrapped.startswith(search_worker.COURSE_SEARCH.read_text(encoding="utf-8"))


def test_built_worker_is_fixed(served_site):
    worker = next(served_site.directory.glob(search_worker.WORKER_GLOB))
    source = worker.read_text(encoding="utf-8")
    assert "o<=t.length" in source and not search_worker.SHORT_LOOP.search(source)


SEARCH_FIELD = "input[data-md-component=search-query]"


def enter_like_an_input_method(page, text):
    page.click(SEARCH_FIELD)
    page.keyboard.insert_text(text)


def paste_with_the_mouse(page, text):
    # A paste from the context menu: a right click puts the caret in the
    # field, the value changes and an input event follows, with no key event.
    page.click(SEARCH_FIELD, button="right")
    page.evaluate(
        """([selector, text]) => {
            const field = document.querySelector(selector);
            field.value = text;
            field.dispatchEvent(new InputEvent("input", {
                bubbles: true, inputType: "insertFromPaste", data: text }));
        }""",
        [SEARCH_FIELD, text],
    )


def first_result(page) -> tuple[str, list[str]]:
    page.wait_for_selector(".md-search-result__item")
    first_group = page.locator(".md-search-result__item").first
    links = [unquote(a.get_attribute("href")) for a in first_group.locator("a").all()]
    return links[0], links


@pytest.mark.parametrize(
    "query,enter",
    [(q, enter_like_an_input_method) for q in EXPECTED_FIRST] + [(q, paste_with_the_mouse) for q in PASTED],
)
def test_search_lists_the_teaching_page_first(served_site, page, query, enter):
    page.goto(served_site.base_url, wait_until="networkidle")
    page.evaluate("window.__keys = []; addEventListener('keydown', e => __keys.push(e.key), true)")
    enter(page, query)
    top, links = first_result(page)
    expected_page, expected_section = EXPECTED_FIRST[query]
    assert top.split("?")[0] == served_site.base_url + expected_page
    assert any(link.endswith(expected_section) for link in links), links
    keys = page.evaluate("window.__keys")
    assert keys == [], "the text must arrive without key presses"
