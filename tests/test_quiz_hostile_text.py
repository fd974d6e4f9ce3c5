"""Text from exercise YAML never becomes markup: in the page, in the search index,
in the renderer's own placement marks; and it never loads anything from outside.

Each hostile text is checked where it lands (the search index Material's indexer
makes of the page, the rendered markup) and, where it cannot be made safe, refused
by the checker with file, line, field and fix.
"""

from __future__ import annotations

import html
import re

import pytest

from conftest import unpacked
from quiz import markup, render
from quiz import cache
from quiz.model import Exercise, Option
from quiz.session import QuizSession
from test_quiz_validation import GOOD_SINGLE, check, demo, make_project

SECTION = "lesson.md#为谁报报什么"


def single(prompt: str, title: str | None = None) -> dict[str, str]:
    """A file with one good single-choice exercise whose prompt is `prompt` (a YAML scalar)."""
    body = GOOD_SINGLE.replace("prompt: 哪一条值得报送？", f"prompt: {prompt}")
    head = f"title: {title}\n" if title else ""
    return {"demo.yml": head + "exercises:\n" + body}


# The two ways a session gets its exercises: read and rendered now, or taken from the cache on disk.
PREPARED = ("made", "cached")


def placed(project, how: str = "made") -> tuple[str, QuizSession]:
    cache.clear_memory()
    if how == "cached":
        QuizSession(project).bank  # fills .exercise-cache/
        cache.clear_memory()
    session = QuizSession(project, cache_dir="" if how == "made" else cache.DEFAULT_FOLDER)
    page = session.expand("<p>前文</p>\n<!-- exercises: demo -->", lambda page: "../lesson/")
    return page, session


# The only tags Material's indexer keeps in an entry's text.
KEPT_TAG = re.compile(r"</?(p|code|pre|li|ol|ul|sub|sup)>")


def indexed(page: str) -> str:
    """The text Material's search indexer makes of a page, as its index holds it (HTML)."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(page)
    parser.close()
    return " ".join("".join(section.title + section.text) for section in parser.data)


def as_shown(index_html: str) -> str:
    """What Material shows for an index title or text: it is HTML (innerHTML), with only its own tags."""
    bare = KEPT_TAG.sub(" ", index_html)
    assert "<" not in bare and ">" not in bare, index_html
    return " ".join(html.unescape(bare).replace("\u200b", "").split())


# -- the search index ---------------------------------------------------------

TAG = "<img src=x onerror=alert(1)>"
HOSTILE_PROMPTS = {
    "code span": (f'"检查 `{TAG}` 写法"', f"检查 {TAG} 写法"),
    "entity-encoded tag": ('"**检查** &lt;img src=x onerror=alert(1)&gt; 写法"', f"检查 {TAG} 写法"),
    "entity-encoded tag, plain": ('"检查 &lt;img src=x onerror=alert(1)&gt; 写法"', f"检查 {TAG} 写法"),
    "numeric entities": ('"检查 &#60;img src=x onerror=alert(1)&#62; 写法"', f"检查 {TAG} 写法"),
    "hex entities": ('"检查 &#x3c;img src=x onerror=alert(1)&#x3e; 写法"', f"检查 {TAG} 写法"),
    "ampersand entity": ('"检查 &amp;lt;b&amp;gt; 写法"', "检查 &lt;b&gt; 写法"),
}


@pytest.mark.parametrize("how", list(PREPARED))
@pytest.mark.parametrize("name", list(HOSTILE_PROMPTS))
def test_a_prompt_reaches_the_index_as_text(tmp_path, name, how):
    prompt, shown = HOSTILE_PROMPTS[name]
    project = make_project(tmp_path, single(prompt))
    assert check(project) == []
    page, _ = placed(project, how)
    assert shown in as_shown(indexed(page))


@pytest.mark.parametrize("how", list(PREPARED))
def test_a_set_title_reaches_the_index_as_text(tmp_path, how):
    project = make_project(tmp_path, single("题干", title=f'"{TAG} & 练习"'))
    assert check(project) == []
    page, _ = placed(project, how)
    assert as_shown(indexed(page)).startswith(f"前文 {TAG} & 练习 第 1 题 题干")


def test_a_prompt_with_markup_keeps_its_words_and_nothing_of_its_attributes():
    # A '>' inside an attribute value is no end of a tag.
    shown = markup.text(markup.block('甲<abbr title="a>b">乙</abbr>丙 **丁**'))
    assert shown == "甲乙丙 丁"


# -- the renderer's placement marks -----------------------------------------------

# Marks written as character references pass the check of the YAML text: the renderer must hold.
FORGED = {"href:7": '"题干 &#31;href:7&#31; *之后*"', "title:0": '"题干 &#x1f;title:0&#x1f; *之后*"'}


@pytest.mark.parametrize("mark", list(FORGED))
def test_a_prompt_cannot_forge_a_placement_mark(tmp_path, mark):
    project = make_project(tmp_path, single(FORGED[mark]))
    assert check(project) == []
    page, _ = placed(project)
    assert "\x1f" not in page and f"题干 {mark} " in page
    solution = re.search(r'<section class="quiz__solution" hidden>(.*?)</section>', unpacked(page)).group(1)
    assert '相关小节：<a href="../lesson/#为谁报报什么">为谁报、报什么</a>' in solution
    assert solution.count("<a ") == 1


def test_one_exercise_cannot_forge_marks_directly():
    ex = Exercise(
        id="demo-1", type="single", section=SECTION, prompt="\x1fhref\x1f &#31;number&#31;",
        options=(Option("\x1ftitle\x1f"), Option("乙")), answer="A", explanation="解析", version="v1",
    )
    out = render.render_exercise(ex, 3, lambda section: ("../lesson/#x", "小节"))
    assert "\x1f" not in out and "第 3 题" in out
    assert '<a href="../lesson/#x">小节</a>' in unpacked(out)


CONTROL_FIELDS = {
    "prompt": ("    prompt: 哪一条值得报送？\n", '    prompt: "哪一条\\x1f值得报送？"\n', 5),
    "explanation": ("    explanation: 选 B。\n", '    explanation: "选 B\\u0007。"\n', 12),
    "option text": ("      - text: 会议简讯\n", '      - text: "会议\\r简讯"\n', 7),
    "option feedback": ("        feedback: 只说开了会。\n", '        feedback: "只说\\e开了会。"\n', 8),
    "section": ("    section: lesson.md#为谁报报什么\n", '    section: "lesson.md#为谁报\\x01报什么"\n', 4),
    "tags": ("    explanation: 选 B。\n", '    explanation: 选 B。\n    tags: ["辨\\x7f析"]\n', 13),
    "hint (C1)": ("    explanation: 选 B。\n", '    explanation: 选 B。\n    hint: "想\\x85一想"\n', 13),
}


@pytest.mark.parametrize("name", list(CONTROL_FIELDS))
def test_control_characters_are_refused_in_every_field(tmp_path, name):
    old, new, line = CONTROL_FIELDS[name]
    assert old in GOOD_SINGLE
    problems = check(make_project(tmp_path, demo(GOOD_SINGLE.replace(old, new))))
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    field = name.split()[-1] if name.startswith("option") else name.split()[0]
    assert (problem.line, problem.exercise_id, problem.field) == (line, "demo-single", field)
    assert "控制字符" in problem.message and "U+" in problem.message
    assert "删去" in problem.fix


def test_newline_and_tab_are_ordinary_text(tmp_path):
    body = GOOD_SINGLE.replace("prompt: 哪一条值得报送？", 'prompt: "哪一条\\t值得\\n报送？"')
    assert check(make_project(tmp_path, demo(body))) == []


def test_control_characters_in_the_set_title_are_refused_once(tmp_path):
    files = single("题干", title='"第一讲\\x1ftitle:0\\x1f练习"')
    files["demo.yml"] += GOOD_SINGLE.replace("demo-single", "demo-second")
    problems = check(make_project(tmp_path, files))
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert (problem.path, problem.line, problem.field) == ("exercises/demo.yml", 1, "title")
    assert "控制字符 U+001F" in problem.message


def test_control_characters_in_blanks_items_and_rubric_are_refused(tmp_path):
    body = (
        "  - id: demo-fill\n    type: fill\n    section: lesson.md#情况要新\n    prompt: 有情况、有____。\n"
        '    blanks: [[分析, "分\\x00析"]]\n    explanation: 三要素。\n'
        "  - id: demo-order\n    type: order\n    section: lesson.md#情况要新\n    prompt: 排出顺序。\n"
        '    items: [调研, "分\\x1b析"]\n    answer: [A, B]\n    explanation: 先调研。\n'
        "  - id: demo-open\n    type: open\n    section: lesson.md#情况要新\n    prompt: 写一段。\n"
        '    reference: 参考。\n    rubric: [要点一, "要点\\x08二"]\n'
    )
    problems = check(make_project(tmp_path, demo(body)))
    assert [(p.exercise_id, p.field) for p in problems] == [
        ("demo-fill", "blanks"), ("demo-order", "items"), ("demo-open", "rubric")
    ], [p.format() for p in problems]


# -- resources from outside hosts ----------------------------------------------------

OUTSIDE = {
    "markdown image": "'题干 ![](http://host/x.png)'",
    "https image": "'题干 ![图](https://host/x.png \"t\")'",
    "protocol-relative": "'题干 ![](//host/x.png)'",
    "backslashes": "'题干 <img src=\"\\\\host\\x.png\">'",
    "upper case scheme": "'题干 <img src=\"HTTP://host/x.png\">'",
    "tab in the scheme": "'题干 <img src=\"ht&#9;tp://host/x.png\">'",
    "leading spaces": "'题干 <img src=\"  http://host/x.png\">'",
    "reference image": "\"|\n      题干 ![图][a]\n\n      [a]: http://host/x.png\"",
}


@pytest.mark.parametrize("name", list(OUTSIDE))
def test_outside_images_are_refused(tmp_path, name):
    value = OUTSIDE[name]
    if value.startswith('"|'):
        value = value[1:-1]
    problem = check(make_project(tmp_path, single(value)))
    assert len(problem) == 1, [p.format() for p in problem]
    assert (problem[0].field, problem[0].line, problem[0].exercise_id) == ("prompt", 5, "demo-single")
    assert "host" in problem[0].message and "外部" in problem[0].message
    assert "docs/" in problem[0].fix


def test_outside_images_in_hidden_feedback_are_refused(tmp_path):
    body = GOOD_SINGLE.replace("feedback: 领导用得上。", "feedback: '领导用得上 ![](http://host/y.png)'")
    problem = check(make_project(tmp_path, demo(body)))
    assert [(p.field, p.line) for p in problem] == [("feedback", 10)]


def test_links_to_outside_pages_and_own_images_are_fine(tmp_path):
    prompt = "'见 [规定](http://host/rule.html) 和 <http://host/> ![](../img/x.png) <img src=\"img/y.png\">'"
    project = make_project(tmp_path, single(prompt))
    assert check(project) == []
    page, _ = placed(project)
    assert 'href="http://host/rule.html"' in page and 'src="../img/x.png"' in page


def test_every_attribute_the_sanitiser_lets_through_that_loads_something_is_checked():
    import nh3

    loading = {"src", "srcset", "poster", "background", "data", "lowsrc", "dynsrc", "longdesc", "formaction"}
    allowed = {(tag, name) for tag, names in nh3.ALLOWED_ATTRIBUTES.items() for name in names if name in loading}
    assert allowed == set(markup.RESOURCE_ATTRIBUTES)


# -- fill-in blanks --------------------------------------------------------------

def fill(prompt: str, blanks: str = "[[分析]]") -> dict[str, str]:
    return demo(
        "  - id: demo-fill\n    type: fill\n    section: lesson.md#情况要新\n"
        f"    prompt: {prompt}\n    blanks: {blanks}\n    explanation: 三要素。\n"
    )


UNPLACEABLE = {
    "attribute": ("'有情况、<img alt=\"____\" src=\"a.png\">。'", "属性"),
    "code span": ("'有情况、`有____`。'", "代码"),
    "code block": ("\"|\n      有情况：\n\n          有____\"", "代码"),
    "link text": ("'有情况、[有____](a.html)。'", "链接"),
    "link target": ("'有情况、[有](a____.html)。'", "属性"),
    "comment": ("'有情况、<!-- ____ -->。'", "不会显示"),
    "removed tag": ("'有情况、<script>____</script>。'", "不会显示"),
}


@pytest.mark.parametrize("name", list(UNPLACEABLE))
def test_a_blank_where_no_input_can_stand_is_refused(tmp_path, name):
    prompt, said = UNPLACEABLE[name]
    if prompt.startswith('"|'):
        prompt = prompt[1:-1]
    problems = check(make_project(tmp_path, fill(prompt)))
    assert len(problems) == 1, [p.format() for p in problems]
    assert (problems[0].field, problems[0].exercise_id, problems[0].line) == ("prompt", "demo-fill", 5)
    assert "第 1 个空" in problems[0].message and said in problems[0].message
    assert problems[0].fix


def test_a_prompt_cannot_forge_a_blank(tmp_path):
    # The renderer's own stand-in for a blank, written out, also as character references.
    project = make_project(tmp_path, fill("'有情况、有____。&#113;uizblank0x quizblankq0x'"))
    assert check(project) == []
    page, _ = placed(project)
    assert page.count('class="quiz__blank"') == 1 and "quizblank0x quizblankq0x" in page
    assert "有情况、有。quizblank0x quizblankq0x" in as_shown(indexed(page))
    ex = Exercise(id="f", type="fill", section=SECTION, prompt="有____ QUIZBLANK0X quizblank0x", blanks=(("分析",),))
    assert render.render_item(ex).count('class="quiz__blank"') == 1


def test_blanks_in_emphasis_tables_and_lists_are_placed(tmp_path):
    prompt = "|\n      **有____**\n\n      | 甲 | 乙 |\n      |---|---|\n      | ____ | x |\n\n      - ____"
    project = make_project(tmp_path, fill(prompt, "[[分析], [观点], [判断]]"))
    assert check(project) == []
    page, _ = placed(project)
    assert re.findall(r'class="quiz__blank" data-blank="(\d)"', page) == ["0", "1", "2"]
    shown = as_shown(indexed(page))
    assert "有" in shown and "甲 乙" in shown and "quizblank" not in shown and "____" not in shown


# -- the whole build ---------------------------------------------------------------

def test_a_forged_mark_fails_the_strict_build_with_a_message_not_a_traceback(tmp_path):
    from conftest import copy_project, mkdocs_build

    project = copy_project(tmp_path / "project")
    bank = project / "exercises" / "positioning.yml"
    text = bank.read_text(encoding="utf-8")
    old = "prompt: 下面四条材料，哪一条最值得作为**党委信息**报送？"
    assert old in text
    bank.write_text(text.replace(old, 'prompt: "下面四条材料\\x1fhref:99\\x1f哪一条最值得报送？"'), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"exercises/positioning.yml:{line}:5：[练习 positioning-value-pick] 字段 prompt：" in result.stderr
    assert "控制字符 U+001F" in result.stderr
