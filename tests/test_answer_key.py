"""The answer key (<!-- exercise-answers -->, quiz.answer_key): every exercise with its answer,
by lesson in the navigation's order, each linkable by its id; on no page the trainee edition has.

A small project shows each type's answer, the order and the links; the real bank shows that
every exercise of exercises/*.yml is in the key with its own answer. The check refuses the
shortcode outside docs/instructors/ and reports comments that resemble it.
"""

from __future__ import annotations

import logging
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from quiz import markup, pages, shortcodes
from quiz.session import QuizSession
from test_quiz_extension import LOGGER, convert, warnings_of
from test_quiz_hostile_text import as_shown, indexed
from test_quiz_validation import check, make_project

ANSWER_PAGE = "instructors/answers.md"
SHORTCODE = "<!-- exercise-answers -->"

LESSON = """# 示例课

## 为谁报、报什么

正文。

## 情况要新

正文。

<!-- exercises: demo -->
"""
SECOND = """# 第二课

## 第二课的小节

正文。

<!-- exercises: second -->
"""
# A page no navigation lists: its exercises come last.
NOTES = """# 附录

## 附录小节

正文。

<!-- exercise: notes-one -->
"""
ANSWERS = f"# 练习答案\n\n仅供讲师。\n\n{SHORTCODE}\n"
# The navigation lists the second lesson first.
CONFIG = """\
site_name: 示例
nav:
  - 第二课: second.md
  - 示例课: lesson.md
  - 答案: instructors/answers.md
"""

HOSTILE = "<img src=x onerror=alert(1)>"
DEMO = f"""\
exercises:
  - id: demo-single
    type: single
    section: lesson.md#为谁报报什么
    prompt: "哪一条值得报送？看 `{HOSTILE}` 怎样显示"
    options:
      - text: 会议简讯
      - text: "带倾向性的问题 &lt;script&gt;alert(1)&lt;/script&gt;"
      - text: 领导活动
    answer: B
    explanation: 选 B，因为领导用得上。
  - id: demo-multiple
    type: multiple
    section: lesson.md#情况要新
    prompt: 哪些是新情况？
    options:
      - text: 新出现的苗头
      - text: 去年的总结
      - text: 刚刚发生的变化
    answer: [A, C]
    explanation: 新，指新出现、新变化。
  - id: demo-judge
    type: true_false
    section: lesson.md#情况要新
    prompt: 旧闻也算新情况。
    answer: 错
    explanation: 旧闻不是新情况。
  - id: demo-fill
    type: fill
    section: lesson.md#为谁报报什么
    prompt: 信息要为____服务，讲究____。
    blanks:
      - [决策, 党委决策]
      - ["<b>时效</b>"]
    explanation: 为决策服务，讲究时效。
  - id: demo-order
    type: order
    section: lesson.md#情况要新
    prompt: 排出报送的顺序。
    items:
      - 核实
      - 发现线索
      - 上报
    answer: [B, A, C]
    explanation: 先发现，再核实，后上报。
  - id: demo-open
    type: open
    section: lesson.md#为谁报报什么
    prompt: 写一条信息的开头。
    reference: 某县三月份发现新情况。
    rubric:
      - 开门见山
      - 有具体数字
    explanation: 开头要直接。
"""
SECOND_FILE = """\
exercises:
  - id: second-one
    type: true_false
    section: second.md#第二课的小节
    prompt: 第二课讲的是小节。
    answer: 对
    explanation: 是的。
"""
NOTES_FILE = """\
exercises:
  - id: notes-one
    type: true_false
    section: notes.md#附录小节
    prompt: 附录也有练习。
    answer: 对
    explanation: 附录有一道。
"""


class AnswerPage(HTMLParser):
    """The answer key as a reader sees it: lesson headings, and each exercise's text and links by its id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lessons: list[str] = []
        self.order: list[str] = []  # exercise ids, as listed
        self.lesson_of: dict[str, str] = {}
        self.text: dict[str, str] = {}
        self.links: dict[str, list[str]] = {}
        self.heading = None
        self.current = None
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "h2":
            self.heading, self.current = "h2", None
            self.lessons.append("")
        elif tag == "h3" and attrs.get("id", "").startswith("answer-"):
            self.current = attrs["id"].removeprefix("answer-")
            self.order.append(self.current)
            self.lesson_of[self.current] = self.lessons[-1]
            self.text[self.current], self.links[self.current] = "", []
        elif tag == "a" and self.current:
            self.links[self.current].append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "h2":
            self.heading = None

    def handle_data(self, data):
        if self.heading == "h2":
            self.lessons[-1] += data
        elif self.current:
            self.text[self.current] += data


def read(html: str) -> AnswerPage:
    page = AnswerPage()
    page.feed(html)
    page.close()
    return page


def small_project(tmp_path: Path, answers_page: str = ANSWERS) -> Path:
    project = make_project(tmp_path, {"demo.yml": DEMO, "second.yml": SECOND_FILE, "notes.yml": NOTES_FILE})
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    docs = project / "docs"
    (docs / "second.md").write_text(SECOND, encoding="utf-8")
    (docs / "notes.md").write_text(NOTES, encoding="utf-8")
    (docs / "instructors").mkdir()
    (docs / ANSWER_PAGE).write_text(answers_page, encoding="utf-8")
    return project


def href_from(session: QuizSession, here_page: str):
    """Links relative to `here_page`, as the extension makes them (directory URLs)."""
    here = pages.page_url(here_page)
    return lambda target: pages.relative_url(pages.page_url(target), here) if target in session.pages().texts else target


def answer_key(project: Path) -> str:
    session = QuizSession(project, cache_dir="")
    return session.expand(f"<p>仅供讲师。</p>\n{SHORTCODE}", href_from(session, ANSWER_PAGE), ANSWER_PAGE)


# -- a small project ---------------------------------------------------------------

def test_the_answer_page_lists_every_exercise_by_lesson_in_the_navigations_order(tmp_path):
    page = read(answer_key(small_project(tmp_path)))
    assert page.lessons == ["第二课", "示例课", "附录"]  # notes.md is in no navigation: last
    assert page.order == ["second-one", "demo-single", "demo-multiple", "demo-judge", "demo-fill",
                          "demo-order", "demo-open", "notes-one"]
    assert page.lesson_of["demo-open"] == "示例课" and page.lesson_of["notes-one"] == "附录"
    assert len(page.ids) == len(set(page.ids))  # every id once: each exercise linkable


def test_each_exercise_shows_its_answer_in_words(tmp_path):
    page = read(answer_key(small_project(tmp_path)))
    single = page.text["demo-single"]
    assert "demo 第 1 题（单选题）" in single and "exercises/demo.yml" in single and "demo-single" in single
    assert "B．带倾向性的问题 <script>alert(1)</script>（正确答案）" in single
    assert "A．会议简讯（正确答案）" not in single and "A．会议简讯" in single
    assert "答案：B" in single and "选 B，因为领导用得上。" in single
    multiple = page.text["demo-multiple"]
    assert "demo 第 2 题（多选题）" in multiple
    assert "A．新出现的苗头（正确答案）" in multiple and "C．刚刚发生的变化（正确答案）" in multiple
    assert "B．去年的总结（正确答案）" not in multiple and "答案：A、C" in multiple
    assert "答案：错" in page.text["demo-judge"] and "旧闻不是新情况。" in page.text["demo-judge"]
    fill = page.text["demo-fill"]
    assert "信息要为____（1）服务，讲究____（2）。" in fill
    assert "第 1 空：决策（也可：党委决策）" in fill and "第 2 空：<b>时效</b>" in fill
    order = page.text["demo-order"]
    assert "正确顺序：B→A→C" in order
    assert order.index("B．发现线索", order.index("正确顺序")) < order.index("A．核实", order.index("正确顺序"))
    written = page.text["demo-open"]
    assert "参考答案：某县三月份发现新情况。" in written
    assert "评分要点：开门见山有具体数字" in written and "开头要直接。" in written
    assert "second 第 1 题（判断题）" in page.text["second-one"] and "答案：对" in page.text["second-one"]


def test_each_exercise_links_to_the_section_it_trains_relative_to_the_answer_page(tmp_path):
    page = read(answer_key(small_project(tmp_path)))
    assert page.links["demo-single"] == ["../../lesson/#为谁报报什么"]
    assert page.links["demo-multiple"] == ["../../lesson/#情况要新"]
    assert page.links["second-one"] == ["../../second/#第二课的小节"]
    assert "情况要新" in page.text["demo-multiple"]  # the section's heading, as the link's words


def test_text_from_yaml_is_data_never_markup(tmp_path):
    html = answer_key(small_project(tmp_path))
    assert "<img" not in html and "<script" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the code span, shown as written
    assert f"看 {HOSTILE} 怎样显示" in read(html).text["demo-single"]
    assert "&lt;b&gt;时效&lt;/b&gt;" in html


def test_the_key_is_plain_text_a_search_index_reads(tmp_path):
    # The instructor edition's search finds answers: nothing hidden, nothing for quiz.js to put in place.
    html = answer_key(small_project(tmp_path))
    assert "data-content" not in html and "quiz__data" not in html and " hidden" not in html
    words = as_shown(indexed(f"<h1>练习答案</h1>{html}"))
    assert "先发现，再核实，后上报。" in words and "（正确答案）" in words and "某县三月份发现新情况。" in words


def test_the_answer_page_through_the_extension(tmp_path, caplog):
    project = small_project(tmp_path)
    caplog.set_level(logging.WARNING, logger=LOGGER)
    html = convert(project, ANSWERS)
    assert warnings_of(caplog) == []
    found = read(html)
    assert found.order[0] == "second-one" and len(found.order) == 8
    assert found.links["demo-single"] == ["../../lesson/#为谁报报什么"]
    assert SHORTCODE not in html


def test_an_exercise_with_problems_is_named_with_them_while_previewing(tmp_path):
    project = small_project(tmp_path)
    broken = DEMO.replace("    answer: [B, A, C]\n", "    answer: [B, A, Z]\n")
    (project / "exercises" / "demo.yml").write_text(broken, encoding="utf-8")
    html = answer_key(project)
    page = read(html)
    assert "demo-order" not in page.order and "demo-open" in page.order
    assert "有错误、暂不列出答案的练习" in html and "demo 第 5 题（编号 <code>demo-order</code>）有错误" in html


# -- the real bank -----------------------------------------------------------------

def bank_files() -> list[Path]:
    return [p for p in sorted((ROOT / "exercises").glob("*.yml")) if p.name != "policy.yml"]


def seen(text: str) -> str:
    """Instructor Markdown as its words read on the page."""
    return markup.text(markup.block(text))


def test_every_exercise_of_the_bank_is_in_the_answer_key_with_its_answer():
    session = QuizSession(ROOT, cache_dir="")
    page = read(session.expand(SHORTCODE, href_from(session, ANSWER_PAGE), ANSWER_PAGE))
    raw = [(path.stem, number, item) for path in bank_files()
           for number, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["exercises"], start=1)]
    assert len(raw) > 50
    assert sorted(page.order) == sorted(item["id"] for _, _, item in raw)
    for stem, number, item in raw:
        text = " ".join(page.text[item["id"]].split())
        assert f"{stem} 第 {number} 题" in text, item["id"]
        assert " ".join(seen(item["prompt"]).split())[:30] in text, item["id"]
        if item["type"] in ("single", "multiple"):
            keys = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
            for index, option in enumerate(item["options"]):
                letter = chr(ord("A") + index)
                marked = f"{letter}．{seen(option['text'])}（正确答案）"
                assert (marked in text) == (letter in keys), (item["id"], letter)
            assert "答案：" + "、".join(sorted(keys)) in text, item["id"]
        elif item["type"] == "true_false":
            assert f"答案：{item['answer']}" in text, item["id"]
        elif item["type"] == "fill":
            for index, accepted in enumerate(item["blanks"], start=1):
                assert f"第 {index} 空：{accepted[0]}" in text, item["id"]
        elif item["type"] == "order":
            assert "正确顺序：" + "→".join(item["answer"]) in text, item["id"]
        else:
            assert " ".join(seen(item["reference"]).split())[:40] in text, item["id"]
            assert all(seen(c) in text for c in item["rubric"]), item["id"]
        if item.get("explanation"):
            assert " ".join(seen(item["explanation"]).split())[:40] in text, item["id"]
        assert page.links[item["id"]][0].startswith("../../" + item["section"].split("#")[0].removesuffix(".md"))


def test_the_lessons_come_in_the_courses_navigation_order():
    session = QuizSession(ROOT, cache_dir="")
    page = read(session.expand(SHORTCODE, href_from(session, ANSWER_PAGE), ANSWER_PAGE))
    order = [p for p in session.page_order() if any(e.section_page == p for e in session.bank.exercises.values())]
    titles = {p: next(h.title for h in session.outlines()[p] if h.level == 1) for p in order}
    assert page.lessons == [titles[p] for p in order]


# -- only where the trainee edition does not go ------------------------------------

def test_the_answer_key_on_a_lesson_page_is_refused(tmp_path):
    project = small_project(tmp_path)
    lesson = LESSON + f"\n{SHORTCODE}\n"
    (project / "docs" / "lesson.md").write_text(lesson, encoding="utf-8")
    problems = [p for p in check(project) if p.path == "docs/lesson.md"]
    assert len(problems) == 1, [p.format() for p in problems]
    said = problems[0].format()
    assert said.startswith("docs/lesson.md:13:1：[短代码] ")
    assert "docs/instructors/ 以外" in said and "学员版" in said and "全部练习的答案" in said
    assert "修改方法：把它移到 docs/instructors/ 下的页面" in said
    # The page does not show the answers either, while previewing.
    session = QuizSession(project, cache_dir="")
    shown = session.expand(SHORTCODE, href_from(session, "lesson.md"), "lesson.md")
    assert "answer-demo-single" not in shown and "docs/instructors/" in shown
    assert "answer-demo-single" not in session.expand(SHORTCODE, lambda page: page)  # a page not told apart


@pytest.mark.parametrize("page", ["notes/answers.md", "instructors.md", "instructorsx/answers.md",
                                  "lessons/instructors/answers.md"])
def test_only_the_instructors_folder_itself_may_hold_it(tmp_path, page):
    project = small_project(tmp_path)
    target = project / "docs" / page
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(ANSWERS, encoding="utf-8")
    problems = [p for p in check(project) if p.path == f"docs/{page}"]
    assert [(p.line, p.field) for p in problems] == [(5, "exercise-answers")], [p.format() for p in problems]


def test_on_the_instructors_page_it_is_no_problem(tmp_path):
    assert check(small_project(tmp_path)) == []


def test_the_extension_says_the_problem_with_the_page_and_line(tmp_path, caplog):
    project = small_project(tmp_path)
    lesson = LESSON + f"\n{SHORTCODE}\n"
    (project / "docs" / "lesson.md").write_text(lesson, encoding="utf-8")
    caplog.set_level(logging.WARNING, logger=LOGGER)
    html = convert(project, lesson)
    said = warnings_of(caplog)
    assert len(said) == 1 and said[0].startswith("docs/lesson.md:13:1：[短代码] 答案页短代码"), said
    assert "answer-demo-single" not in html


def test_a_shortcode_shown_as_code_on_a_lesson_is_no_answer_key(tmp_path):
    project = small_project(tmp_path)
    lesson = LESSON + f"\n讲师版用 `{SHORTCODE}` 放入答案页。\n\n```\n{SHORTCODE}\n```\n"
    (project / "docs" / "lesson.md").write_text(lesson, encoding="utf-8")
    assert check(project) == []


def test_twice_on_the_answer_page_is_reported(tmp_path):
    project = small_project(tmp_path, ANSWERS + f"\n{SHORTCODE}\n")
    problems = check(project)
    assert [(p.path, p.line) for p in problems] == [("docs/instructors/answers.md", 7)], [p.format() for p in problems]
    assert "第 5 行已经放过" in problems[0].message


def test_the_folder_agrees_with_the_editions():
    editions = pytest.importorskip("editions")
    assert shortcodes.ANSWERS_ONLY_IN == editions.INSTRUCTOR_ONLY


# -- comments that resemble it -----------------------------------------------------

@pytest.mark.parametrize("written, why", [
    ("<!-- exercise-answer -->", "exercise-answers"),
    ("<!-- exercise answers -->", "exercise-answers"),
    ("<!-- Exercise-Answers -->", "exercise-answers"),
    ("<!-- exercise_answers -->", "exercise-answers"),
    ("<!-- exercise-answers", "同一行"),
])
def test_a_comment_that_resembles_it_is_reported(tmp_path, written, why):
    project = small_project(tmp_path, textwrap.dedent(f"""\
        # 练习答案

        仅供讲师。

        前文 {written}
        """))
    problems = check(project)
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert (problem.path, problem.line, problem.column) == ("docs/instructors/answers.md", 5, 4)
    assert "像是练习短代码" in problem.message and why in problem.message
    assert "<!-- exercise-answers -->" in problem.fix
