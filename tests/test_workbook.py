"""The workbook (<!-- exercise-workbook -->, quiz.workbook): every exercise of the bank as
questions on paper, by lesson in the navigation's order, and none of their answers.

The real bank is rendered through a QuizSession of the project (no build): every prompt,
option and item is there, numbered, and no answer, feedback, explanation, hint, reference
or rubric. Then the built page is printed by Chromium on A4: each lesson starts a sheet,
every question is on paper, and none of the site's navigation is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from quiz import markup, render, workbook
from quiz.model import LETTERS, TYPE_NAMES
from quiz.session import QuizSession
from test_print_pages import MM, page_count, printed, visible_navigation

SHORTCODE = "<!-- exercise-workbook -->"
WORKBOOK_PAGE = "workbook.md"


class WorkbookPage(HTMLParser):
    """The workbook as a reader sees it: its text, its lesson headings, the numbers of its questions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.lessons: list[str] = []
        self.numbers: list[str] = []
        self.classes: set[str] = set()
        self.attributes: set[str] = set()
        self._in = None
        self._paragraph = ""  # the class of the paragraph being read: a question's head holds its number

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.classes.update((attrs.get("class") or "").split())
        self.attributes.update(attrs)
        if tag == "h2":
            self._in = "h2"
            self.lessons.append("")
        elif tag == "strong" and "quiz-workbook__head" in self._paragraph:
            self._in = "number"
            self.numbers.append("")
        if tag == "p":
            self._paragraph = attrs.get("class") or ""

    def handle_endtag(self, tag):
        if tag in ("h2", "strong"):
            self._in = None
        if tag == "p":
            self._paragraph = ""

    def handle_data(self, data):
        self.text += data
        if self._in == "h2":
            self.lessons[-1] += data
        elif self._in == "number":
            self.numbers[-1] += data


def read(html: str) -> WorkbookPage:
    page = WorkbookPage()
    page.feed(html)
    page.close()
    return page


def bare(text: str) -> str:
    """Text without white space: the page and the YAML break lines in different places."""
    return re.sub(r"\s+", "", text)


def seen(text: str) -> str:
    """Instructor Markdown as its words read on a page, without white space."""
    return bare(markup.text(markup.block(text)))


def bank() -> list[dict]:
    files = [p for p in sorted((ROOT / "exercises").glob("*.yml")) if p.name != "policy.yml"]
    return [item for path in files for item in yaml.safe_load(path.read_text(encoding="utf-8"))["exercises"]]


def workbook_html() -> tuple[QuizSession, str]:
    session = QuizSession(ROOT, cache_dir="")
    return session, session.expand(f"<p>导语。</p>\n{SHORTCODE}", lambda target: target, WORKBOOK_PAGE)


def shown_words(item: dict) -> list[str]:
    """What a trainee reads of an exercise before answering: its prompt, its options, its items."""
    if item["type"] == "fill":  # the blanks are lines to write on: the words around them
        words = [bare(piece) for piece in render.fill_prompt(item["prompt"]).text.split("____")]
    else:
        words = [seen(item["prompt"])]
    words += [f"{LETTERS[i]}．{seen(o['text'])}" for i, o in enumerate(item.get("options", ()))]
    words += [f"{LETTERS[i]}．{seen(text)}" for i, text in enumerate(item.get("items", ()))]
    return [word for word in words if word]


# What the workbook itself writes around the exercises.
OWN_WORDS = [bare(words) for words in workbook.ASK.values()] + list(TYPE_NAMES.values()) + ["导语。", "按课文顺序排列。姓名：", "对", "错"]


def hidden_words(item: dict) -> list[str]:
    """What a trainee must not find on the paper: every answer and what explains it."""
    texts = [item.get("explanation", ""), item.get("hint", ""), item.get("reference", "")]
    texts += list(item.get("rubric", ()))
    texts += [option.get("feedback", "") for option in item.get("options", ())]
    texts += [str(value) for value in (item.get("feedback") or {}).values()]
    words = [seen(text) for text in texts if text]
    for accepted in item.get("blanks", ()):
        words += [bare(str(answer)) for answer in accepted]
    if item["type"] == "order":
        words.append("→".join(item["answer"]))
    return [word for word in words if word]


def test_every_exercise_is_in_the_workbook_numbered_with_its_options_and_items():
    session, html = workbook_html()
    page = read(html)
    raw = bank()
    assert len(raw) > 50
    text = bare(page.text)
    for item in raw:
        for word in shown_words(item):
            assert word in text, (item["id"], word)
    # Numbered through the whole workbook, one number per exercise.
    assert page.numbers == [f"{n}．" for n in range(1, len(raw) + 1)]
    # Open items get a box of lines, order items a box each, fill-in items a line per blank.
    assert html.count('class="quiz-workbook__lines"') == sum(item["type"] == "open" for item in raw)
    assert html.count('<li><span class="quiz-workbook__box"></span>') == sum(
        len(item["items"]) for item in raw if item["type"] == "order")
    assert html.count('class="quiz-workbook__blank"') == sum(len(item["blanks"]) for item in raw if item["type"] == "fill")
    # Lessons in the navigation's order, each the title of its page.
    order = [p for p in session.page_order() if any(e.section_page == p for e in session.bank.exercises.values())]
    titles = [next(h.title for h in session.outlines()[p] if h.level == 1) for p in order]
    assert page.lessons == titles and len(titles) >= 4


def test_the_workbook_holds_no_answer_feedback_explanation_or_hint():
    _, html = workbook_html()
    page = read(html)
    text = bare(page.text)
    raw = bank()
    # A hidden word may also be a word of what the trainee reads ("每空填“情况”…"): what is left
    # once every readable word and the workbook's own words are taken out must hold none of them.
    readable = [word for item in raw for word in shown_words(item)] + [bare(t) for t in page.lessons] + OWN_WORDS
    for word in sorted(set(readable), key=len, reverse=True):
        text = text.replace(word, "|")
    # Then the question numbers, the blanks' numbers, the brackets for a letter, the counts.
    text = re.sub(r"\d+．|（\d*）|共\d+讲、\d+道练习，", "|", text)
    assert set(text) <= {"|"}, text
    for item in raw:
        for word in hidden_words(item):
            assert word not in text, (item["id"], word)
    for label in ("答案", "解析", "提示", "评分要点", "正确顺序"):
        assert label not in text
    # Nothing of the interactive exercise travels with it: no data for quiz.js, no key.
    assert not {"quiz", "quiz__data", "quiz-answer", "quiz-answer__key"} & page.classes
    assert not {"data-content", "data-quiz-id"} & page.attributes


def test_text_from_yaml_is_escaped_in_the_workbook(tmp_path):
    from test_quiz_validation import make_project

    hostile = "<img src=x onerror=alert(1)>"
    project = make_project(tmp_path, {"demo.yml": f"""\
exercises:
  - id: demo-order
    type: order
    section: lesson.md#为谁报报什么
    prompt: "排序 `{hostile}`"
    items: ["第一 <script>alert(1)</script>", "第二"]
    answer: [B, A]
    explanation: 先二后一。
"""})
    session = QuizSession(Path(project), cache_dir="")
    html = session.expand(SHORTCODE, lambda target: target, WORKBOOK_PAGE)
    assert "quiz-workbook__items" in html
    assert "<script" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "先二后一" not in html


# -- on paper ----------------------------------------------------------------------

def test_the_workbook_prints_each_lesson_on_new_sheets_without_navigation(served_site, page):
    session, html = workbook_html()
    lessons = read(html).lessons
    pdf = printed(page, served_site.base_url + "workbook/")
    assert visible_navigation(page) == []
    assert not page.locator(".md-content .screen-only").first.is_visible()
    # Every question is on paper.
    shown = page.locator(".quiz-workbook__question").evaluate_all(
        "items => items.filter(item => item.getClientRects().length > 0).length")
    assert shown == len(session.bank.exercises) > 50
    pages = page_count(pdf)
    assert pages >= len(lessons)
    # Each lesson after the first begins a sheet of its own, in order: its title under the top margin.
    starts = outline_pages_nested(pdf)
    numbers = [starts[title][0] for title in lessons]
    assert numbers == sorted(set(numbers)) and numbers[-1] <= pages, starts
    for title in lessons[1:]:
        assert starts[title][1] < 25 * MM, (title, starts[title])


PAGES_NODE = re.compile(rb"(\d+)\s+0\s+obj\s*<<([^>]*?/Type\s*/Pages\b[^>]*?)>>")


def outline_pages_nested(pdf: bytes) -> dict[str, tuple[int, float]]:
    """As test_print_pages.outline_pages, for a PDF whose page tree has intermediate nodes
    (Chromium groups the pages of a long document)."""
    nodes = {}
    for number, body in PAGES_NODE.findall(pdf):
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        nodes[int(number)] = [int(kid) for kid in re.findall(rb"(\d+)\s+0\s+R", kids.group(1))] if kids else []
    children = {kid for kids in nodes.values() for kid in kids}
    roots = [number for number in nodes if number not in children]
    assert len(roots) == 1, roots

    def leaves(number: int) -> list[int]:
        return [leaf for kid in nodes[number] for leaf in (leaves(kid) if kid in nodes else [kid])]

    order = leaves(roots[0])
    height = float(re.search(rb"/MediaBox\s*\[\s*0\s+0\s+[\d.]+\s+([\d.]+)\s*\]", pdf).group(1))
    found = re.findall(rb"/Title\s*<([0-9A-Fa-f]+)>[^>]*?/Dest\s*\[\s*(\d+)\s+0\s+R\s*/XYZ\s+[\d.]+\s+([\d.]+)", pdf)
    return {bytes.fromhex(title.decode()).decode("utf-16"): (order.index(int(target)) + 1, height - float(top))
            for title, target, top in found}


def test_the_nested_page_tree_is_read_in_order():
    pdf = (b"1 0 obj\n<</Type /Pages /Count 3 /Kids [5 0 R 2 0 R]>>\nendobj\n"
           b"5 0 obj\n<</Type /Pages /Count 2 /Parent 1 0 R /Kids [9 0 R 3 0 R]>>\nendobj\n"
           b"9 0 obj\n<</Type /Page /MediaBox [0 0 595.9 842.88]>>\nendobj\n"
           b"<</Title <FEFF4E00> /Dest [3 0 R /XYZ 40 800.88 0]>> <</Title <FEFF4E8C> /Dest [2 0 R /XYZ 40 400.88 0]>>")
    assert outline_pages_nested(pdf) == {"一": (2, 42.0), "二": (3, 442.0)}


# -- comments that resemble it -------------------------------------------------------

@pytest.mark.parametrize("written, why", [
    ("<!-- exercise-workbooks -->", "exercise-workbook"),
    ("<!-- Exercise_Workbook -->", "exercise-workbook"),
    ("<!-- exercise-workbook", "同一行"),
])
def test_a_comment_that_resembles_it_is_reported(tmp_path, written, why):
    from test_quiz_validation import check, make_project

    project = make_project(tmp_path, {}, lesson=f"# 练习册\n\n前文 {written}\n")
    problems = check(project)
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert (problem.path, problem.line, problem.column) == ("docs/lesson.md", 3, 4)
    assert "像是练习短代码" in problem.message and why in problem.message
    assert "<!-- exercise-workbook -->" in problem.fix


def test_the_shortcode_itself_is_no_problem(tmp_path):
    from test_quiz_validation import check, make_project

    project = make_project(tmp_path, {}, lesson=f"# 练习册\n\n{SHORTCODE}\n")
    assert [p.format() for p in check(project)] == []
