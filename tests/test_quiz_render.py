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


# -- the order of the options, and the self-assessment levels ---------------------------

def four(**changes) -> Exercise:
    options = (Option("甲", "与 B 相反"), Option("乙"), Option("丙"), Option("以上都对", pin=True))
    return single(options=options, answer="D", **changes)


def test_choice_items_are_marked_for_shuffling_with_their_pinned_options():
    html = unpacked(render.render_exercise(four(), 1, link))
    assert re.search(r'<div class="quiz"[^>]* data-quiz-shuffle>', html)
    assert re.findall(r'<label class="quiz__option"( data-pin)?>', html) == ["", "", "", " data-pin"]
    for unshuffled in (four(shuffle=False), single(type="true_false", options=(), answer="对")):
        plain = unpacked(render.render_exercise(unshuffled, 1, link))
        assert "data-quiz-shuffle" not in plain and "data-pin" not in plain and "quiz__ref" not in plain


def test_the_stand_in_keeps_the_yaml_order():
    texts = [event[1] for event in markup.walk(visible(render.render_exercise(four(), 1, link))) if event[0] == "text"]
    assert [t for t in texts if "．" in t] == ["A．甲", "B．乙", "C．丙", "D．以上都对"]


def test_letters_that_name_options_are_marked_for_quiz_js_in_runs():
    explanation = "A、B、D 都对，选 C。`A` 是代码，PM2.5、AB、E 与 A1 不是选项；[B](x.md \"C\") 是链接。"
    html = unpacked(render.render_exercise(four(explanation=explanation, hint="想想 C"), 1, link))
    refs = re.findall(r'<span class="quiz__ref" data-ref="([A-Z]+)">([^<]*)</span>', html)
    # The hint, the feedback of A, then the explanation: a run of 、-joined letters is one mark.
    assert refs == [("C", "C"), ("B", "B"), ("ABD", "A、B、D"), ("C", "C"), ("B", "B")]
    assert "<code>A</code>" in html and 'title="C"' in html


def test_letters_in_the_prompt_and_options_follow_too_but_not_in_the_stand_in():
    options = (Option("甲"), Option("乙"), Option("A 和 B 都对", pin=True))
    html = render.render_exercise(single(prompt="除了 C，哪一项对？", options=options, answer="C"), 1, link)
    refs = re.findall(r'<span class="quiz__ref" data-ref="([A-Z]+)">', unpacked(html))
    assert refs == ["C", "A", "B"]
    assert "quiz__ref" not in visible(html) and "C．A 和 B 都对" in visible(html)


def test_a_letter_inside_an_attribute_is_left_alone():
    cleaned = '<p><a href="#" title="x &gt; A">C</a> 与 <img alt="B" src="b.png"></p>'
    assert render._naming_options(four(), cleaned) == (
        '<p><a href="#" title="x &gt; A"><span class="quiz__ref" data-ref="C">C</span></a> 与 '
        '<img alt="B" src="b.png"></p>'
    )


def test_a_writing_exercise_carries_its_levels_and_says_them():
    ex = single(type="open", options=(), answer=None, reference="参考", rubric=("一", "二", "三", "四"))
    html = unpacked(render.render_exercise(ex, 1, link))
    assert 'data-levels="90:优,70:良,50:合格,0:需改进"' in html
    assert '<p class="quiz__level" hidden></p>' in html
    assert "90% 及以上为优，70% 及以上为良，50% 及以上为合格，不足 50% 为需改进。" in html


def test_the_guide_states_the_levels_the_page_gives():
    from conftest import ROOT

    guide = (ROOT / "exercises" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\s*\| (优|良|合格|需改进) \| (\d+)% 及以上|^\s*\| (需改进) \| 不足 (\d+)% \|", guide, re.M)
    stated = [(int(least), name) for name, least, *_ in rows if name] + [(0, name) for *_, name, _ in rows if name]
    assert stated == list(render.RUBRIC_LEVELS)


def test_arranging_the_options_leaves_the_saved_answers_version_alone():
    from quiz.model import from_raw

    raw = {"id": "a", "type": "single", "section": "a.md#b", "prompt": "题", "answer": "A", "explanation": "解析",
           "options": [{"text": "甲"}, {"text": "乙"}, {"text": "以上都对"}]}
    arranged = dict(raw, shuffle=False, options=raw["options"][:2] + [{"text": "以上都对", "pin": True}])
    edited = dict(raw, options=raw["options"][:2] + [{"text": "以上都不对"}])
    version = from_raw(raw, "x.yml", 0, None).version
    assert from_raw(arranged, "x.yml", 0, None).version == version
    assert from_raw(edited, "x.yml", 0, None).version != version
