"""Rendering: safe Markdown, answers kept out of what search indexes, stable keys."""

from __future__ import annotations

import re
from html import unescape

from conftest import unpacked, visible
from quiz import markup, render
from quiz.model import Exercise, Option, fingerprint, normalize_answer


def link(section):
    return "../lesson/#" + section.split("#")[1], "小节标题"


def single(**changes) -> Exercise:
    fields = dict(
        id="demo-1", type="single", section="lesson.md#小节", prompt="题干 **加粗**",
        options=(Option("甲", "甲的说明"), Option("乙", "乙的说明")), answer="B",
        explanation="解析文字", version="v1",
    )
    fields.update(changes)
    return Exercise(**fields)


def test_raw_html_in_markdown_is_sanitised():
    html = markup.block('点这里<script>alert(1)</script><a href="#" onclick="steal()">链接</a>')
    assert "<script" not in html and "onclick" not in html and "链接" in html


def test_plain_text_skips_the_parser_but_is_escaped():
    assert markup.block("甲 < 乙 & 丙") == "<p>甲 &lt; 乙 &amp; 丙</p>"
    assert markup.block("甲乙丙") == "<p>甲乙丙</p>"


def test_a_character_reference_means_the_same_with_or_without_other_markdown():
    # Markdown reads &lt; as "<": the plain-text shortcut must not show it as written.
    assert markup.block("甲 &lt;乙&gt;") == "<p>甲 &lt;乙&gt;</p>"
    assert markup.block("甲 &lt;乙&gt; *丙*") == "<p>甲 &lt;乙&gt; <em>丙</em></p>"


def test_answers_feedback_and_explanations_travel_as_data_not_text():
    html = render.render_exercise(single(hint="提示文字"), 1, link)
    shown = visible(html)  # what the page holds as markup and text
    page = unpacked(html)  # as quiz.js puts it in place
    solution = re.search(r'<section class="quiz__solution" hidden>(.*?)</section>', page).group(1)
    for secret in ("甲的说明", "乙的说明", "解析文字", "&quot;answer&quot;: &quot;B&quot;", "提示文字"):
        assert secret in page
        assert secret not in shown
    for secret in ("甲的说明", "乙的说明", "解析文字", "&quot;answer&quot;: &quot;B&quot;"):
        assert secret in solution
    assert '<details class="quiz__hint"><summary>提示</summary><p>提示文字</p></details>' in page
    assert "<strong>加粗</strong>" in shown
    assert '相关小节：<a href="../lesson/#小节">小节标题</a>' in solution


def test_a_set_holds_no_text_but_its_title_the_numbers_prompts_and_options():
    # What a search indexer reads of the page: the rest (the exercise's controls, the buttons' words,
    # the kind, the difficulty, the hint) arrives as data for quiz.js to put in place.
    ordering = single(id="demo-2", type="order", prompt="排序", options=(), answer="BA", items=("先做", "后做"))
    body = render.render_exercise(single(hint="提示文字", difficulty="进阶"), 1, link)
    body += render.render_exercise(ordering, 2, link)
    html = render.render_set("demo", "本组标题", [body])
    texts = [event[1].strip() for event in markup.walk(visible(html)) if event[0] == "text" and event[1].strip()]
    assert texts == ["本组标题", "第 1 题", "题干", "加粗", "A．甲", "B．乙", "第 2 题", "排序", "先做", "后做"]
    assert indexed_text(html) == " ".join(texts)
    for words in ("清除本组作答记录", "单选题", "进阶", "检查答案", "重新作答", "提示文字", "↑"):
        assert words in unpacked(html) and words not in visible(html)


def indexed_text(html: str) -> str:
    """The words Material's search indexer takes from the markup, spaces collapsed."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(section.title + section.text) for section in parser.data)
    return " ".join(re.sub(r"</?\w+>", " ", text).split())


def test_an_exercise_stands_in_with_few_elements_until_it_is_unpacked():
    """An indexer pays for every element of every page: the stand-in has a handful, whatever the type."""
    for ex in (single(), single(type="order", options=(), answer="BA", items=("先做", "后做"))):
        html = render.render_exercise(ex, 1, link)
        shown = visible(html)
        assert shown.count("<") - shown.count("</") <= 6 + max(len(ex.options), len(ex.items))
        assert unpacked(html).count("<") > 3 * shown.count("<")


def test_controls_are_labelled_form_fields():
    html = unpacked(render.render_exercise(single(), 1, link))
    assert html.count('<label class="quiz__option"><input type="radio" name="quiz-demo-1"') == 2
    assert 'aria-labelledby="quiz-demo-1-prompt"' in html and 'aria-live="polite"' in html


def test_fill_blanks_become_labelled_inputs():
    ex = single(type="fill", prompt="有情况、有____、有____。", options=(), answer=None,
                blanks=(("分析",), ("观点", "看法")))
    html = render.render_exercise(ex, 1, link)
    assert html.count('class="quiz__blank"') == 2 and 'aria-label="第 2 空"' in html
    assert "第 2 空：观点（也可：看法）" in unescape(html)


def test_fingerprint_changes_with_content_only():
    raw = {"id": "a", "prompt": "题"}
    assert fingerprint(raw) == fingerprint(dict(reversed(list(raw.items()))))
    assert fingerprint(raw) != fingerprint({"id": "a", "prompt": "题干"})


def test_answers_compare_like_a_chinese_reader():
    assert normalize_answer("  有情况、有分析。") == normalize_answer("有情况有分析")
    assert normalize_answer("ＡＢＣ１２３") == normalize_answer("abc123")
    assert normalize_answer("“第一来源”") == "第一来源"
