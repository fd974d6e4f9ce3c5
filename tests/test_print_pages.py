"""The pages meant for paper, printed by Chromium as a trainee would print them.

The checklist is one A4 sheet without the site's navigation; the blank
templates page gives each template a sheet of its own. Chromium prints with
print media, so what is checked is the print stylesheet as it really applies.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT

# The site's chrome that must not reach paper: header, tabs, the navigation
# and table-of-contents sidebars, search, footer, back-to-top button.
NAVIGATION = [".md-header", ".md-tabs", ".md-sidebar", ".md-search", ".md-footer", ".md-top"]
# A page object of the PDF (not the /Pages tree that holds them).
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: bytes) -> int:
    return len(PAGE_OBJECT.findall(pdf))


# Without a Chinese font every character is a narrow placeholder box, and a page
# that fits on paper here may not fit on a trainee's computer.
CJK_WIDTH = """() => {
  const probe = document.createElement("span");
  probe.style.cssText = "font-size: 100px; position: absolute; white-space: nowrap";
  probe.textContent = "信息报送";
  document.body.append(probe);
  const width = probe.getBoundingClientRect().width;
  probe.remove();
  return width / 4;
}"""


def printed(page, url: str) -> bytes:
    """The page as Chromium prints it on A4, with its print media in force for inspection."""
    response = page.goto(url)
    assert response and response.ok, url
    page.wait_for_load_state("load")
    if page.evaluate(CJK_WIDTH) < 90:
        pytest.fail("本机没有中文字体，量出的打印页数不可信。"
                    "Debian/Ubuntu 上请以 root 运行：apt-get install fonts-wqy-microhei（或 fonts-noto-cjk）。")
    page.emulate_media(media="print")
    # The outline (bookmarks of the headings) is only written into a tagged PDF.
    return page.pdf(format="A4", outline=True, tagged=True)


def visible_navigation(page) -> list[str]:
    return [selector for selector in NAVIGATION
            if any(element.is_visible() for element in page.query_selector_all(selector))]


def test_page_count_reads_page_objects_not_the_page_tree():
    pdf = b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >> << /Type /Page >> << /Type/Page /Parent 2 0 R >>"
    assert page_count(pdf) == 2


def test_outline_pages_follow_the_page_tree_order():
    pdf = (b"<</Type /Pages /Count 2 /Kids [8 0 R 2 0 R]>> <</Type /Page /MediaBox [0 0 595.9 842.88]>>"
           b"<</Title <FEFF4E00> /Dest [2 0 R /XYZ 40 800.88 0] /Parent 9 0 R>>"
           b"<</Title <FEFF4E8C> /Dest [8 0 R /XYZ 40 400.88 0]>>")
    assert outline_pages(pdf) == {"一": (2, 42.0), "二": (1, 442.0)}


def test_checklist_prints_on_one_a4_sheet_without_navigation(served_site, page):
    pdf = printed(page, served_site.base_url + "checklist/")
    assert visible_navigation(page) == []
    # Every question is on the sheet: one page is not got by leaving some out.
    questions = sum(line.startswith("- [ ]") for line in (ROOT / "docs" / "checklist.md").read_text(encoding="utf-8").splitlines())
    shown = page.locator(".md-content li.task-list-item").evaluate_all(
        "items => items.filter(item => item.getClientRects().length > 0).length"
    )
    assert questions >= 20 and shown == questions
    # What is for the screen only (how to use the page online) stays off paper.
    assert not page.locator(".md-content .screen-only").first.is_visible()
    assert page.locator(".md-content .print-only").first.is_visible()
    assert page_count(pdf) == 1


# --- the templates -------------------------------------------------------------------

TEMPLATES = ["选题计划表", "选题本页", "标题改写卡"]
MM = 72 / 25.4  # PDF points in a millimetre


def outline_pages(pdf: bytes) -> dict[str, tuple[int, float]]:
    """Each outline (bookmark) title of a Chromium PDF, the page number (from 1) it points to
    and how far below the top of that page, in points.

    Chromium writes the page objects, the page tree and the outline items as
    plain dictionaries; titles are UTF-16 hex strings, destinations name a
    page object and a point on it (/XYZ left top zoom, from the bottom).
    """
    kids = re.search(rb"/Type\s*/Pages\b[^>]*?/Kids\s*\[([^\]]*)\]", pdf)
    assert kids, "the PDF has a page tree"
    order = [int(number) for number in re.findall(rb"(\d+)\s+0\s+R", kids.group(1))]
    height = float(re.search(rb"/MediaBox\s*\[\s*0\s+0\s+[\d.]+\s+([\d.]+)\s*\]", pdf).group(1))
    pages = {}
    found = re.findall(rb"/Title\s*<([0-9A-Fa-f]+)>[^>]*?/Dest\s*\[\s*(\d+)\s+0\s+R\s*/XYZ\s+[\d.]+\s+([\d.]+)", pdf)
    for title, target, top in found:
        text = bytes.fromhex(title.decode()).decode("utf-16")
        pages[text] = (order.index(int(target)) + 1, height - float(top))
    return pages


def test_each_template_prints_on_a_sheet_of_its_own(served_site, page):
    pdf = printed(page, served_site.base_url + "templates/")
    assert visible_navigation(page) == []
    # The page's own title and introduction are for the screen: no sheet is spent on them.
    assert not page.locator(".md-content h1").first.is_visible()
    assert page_count(pdf) == len(TEMPLATES)
    starts = outline_pages(pdf)
    assert {title: starts.get(title, (None,))[0] for title in TEMPLATES} == {
        title: number for number, title in enumerate(TEMPLATES, 1)
    }, starts
    # Each one begins its sheet: its title sits under the top margin, nothing above it.
    for title in TEMPLATES:
        assert starts[title][1] < 25 * MM, (title, starts[title])
    # Each template's blank table, with room to write, is on its sheet.
    for title in TEMPLATES:
        template = page.locator(".print-template", has=page.get_by_role("heading", name=title))
        assert template.locator("table").count() >= 1, title


# What a lesson's exercises show on screen only: buttons, results, solutions, hints, progress.
SCREEN_ONLY = [".quiz__actions", ".quiz__result", ".quiz__solution", ".quiz__hint", ".quiz-set__summary",
               ".quiz__moves", ".quiz__feedbacks"]


def test_a_lesson_prints_as_a_handout_with_its_exercises_as_questions(served_site, page):
    from test_quiz_browser import answer_choice, answer_fill, exercise

    page.goto(served_site.base_url + "positioning/")
    page.wait_for_selector(".quiz .quiz__form")
    # A trainee who answered on screen first: paper shows none of it.
    quiz, key = exercise(page, "single")
    answer_choice(page, quiz, key["answer"] if isinstance(key["answer"], list) else [key["answer"]])
    page.wait_for_selector(".quiz__result:not(:empty)")
    filled, key = exercise(page, "fill")
    answer_fill(page, filled, ["试写的答案"] * filled.locator(".quiz__blank").count())
    page.emulate_media(media="print")

    assert visible_navigation(page) == []
    quizzes = page.locator(".quiz")
    assert quizzes.count() >= 5
    for index in range(quizzes.count()):
        one = quizzes.nth(index)
        assert one.locator(".quiz__prompt").is_visible(), index
        assert [s for s in SCREEN_ONLY if any(e.is_visible() for e in one.locator(s).all())] == [], index
    style = """element => { const s = getComputedStyle(element);
        return {color: s.color, appearance: s.appearance, height: element.getBoundingClientRect().height,
                border: s.borderBottomStyle}; }"""
    # A box to tick for every option, blank whatever was chosen.
    for box in page.locator(".quiz__option input").all():
        assert box.evaluate(style)["appearance"] == "none"
    # A line for every blank and a box for every open answer, with nothing written in them.
    for blank in page.locator(".quiz__blank").all():
        seen = blank.evaluate(style)
        assert seen["color"] == "rgba(0, 0, 0, 0)" and seen["border"] == "solid", seen
    answers = page.locator(".quiz__answer").all()
    assert answers
    for box in answers:
        assert box.evaluate(style)["height"] > 150
    # Links read as text: the colour of the words around them.
    link, paragraph = page.locator(".md-content p a").first, page.locator(".md-content p").first
    assert link.evaluate("a => getComputedStyle(a).color") == paragraph.evaluate("p => getComputedStyle(p).color")
    pdf = page.pdf(format="A4")
    assert page_count(pdf) >= 3
