"""The workbook PDF (deploy/workbook_pdf.py, `python3 run.py workbook`): printed by headless
Chromium from a built edition, read back with poppler's pdftotext and pdffonts.

The trainee workbook holds every exercise's prompt, options and items, a lesson to a sheet
at least, and none of the answers; the instructor's adds the answers as an appendix on
sheets of their own. Each page's footer names the edition, the course version and the page.
The extracted text gives the prompts back character for character, so no glyph was missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from test_workbook import OWN_WORDS, bank, bare, hidden_words, seen, shown_words

SCRIPT = ROOT / "deploy" / "workbook_pdf.py"
FOOTER = re.compile(r"^\s*练习册（(学员版|讲师版)） · 版本 (\S+?)（[\d-]+） · 第 (\d+) / (\d+) 页\s*$", re.M)


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        pytest.fail(f"没有找到 {tool}：请用 README 中的测试命令（python3 run.py test）运行，它会安装 poppler-utils。")
    return found


def print_workbook(site: Path, page: str, out: Path, edition: str) -> subprocess.CompletedProcess:
    chromium = __import__("os").environ.get("COURSE_CHROMIUM") or shutil.which("chromium")
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(site), page, str(out), "--chromium", chromium, "--edition", edition],
        capture_output=True, text=True, encoding="utf-8", timeout=300)


def pages_of(pdf: Path) -> list[str]:
    """The PDF's text, a string per page (pdftotext ends each page with a form feed), in the order it was drawn."""
    text = subprocess.run([poppler("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, encoding="utf-8", check=True).stdout
    return text.split("\f")[:-1]


def body(page: str) -> str:
    """A page's text without its footer."""
    return FOOTER.sub("", page)


def words(text: str) -> str:
    """Text to compare: no white space, and no list numbers ("1."), which paper shows and the page's text does not."""
    return re.sub(r"\d+\.", "", bare(text))


def answer_words(item: dict) -> list[str]:
    """What the answer key says of an exercise: its answer, its explanation, its reference answer."""
    found = [seen(item[field]) for field in ("explanation", "reference") if item.get(field)]
    found += [bare(str(accepted[0])) for accepted in item.get("blanks", ())]
    if item["type"] == "order":
        found.append("正确顺序：" + "→".join(item["answer"]))
    if item["type"] == "true_false":
        found.append("答案：" + ("对" if item["answer"] in (True, "对") else "错"))
    return found


@pytest.fixture(scope="module")
def trainee_pdf(served_site, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("workbook-pdf")
    done = print_workbook(served_site.directory, "workbook/index.html", out, "trainee")
    assert done.returncode == 0, done.stderr
    assert "练习册 PDF 已生成" in done.stdout
    return out / "workbook-trainee-1.0.pdf"


@pytest.fixture(scope="module")
def instructor_pdf(instructor_site, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("workbook-pdf-instructor")
    done = print_workbook(instructor_site, "instructors/workbook/index.html", out, "instructor")
    assert done.returncode == 0, done.stderr
    return out / "workbook-instructor-1.0.pdf"


def lesson_titles(site: Path, page: str) -> list[str]:
    html = (site / page).read_text(encoding="utf-8")
    return [re.sub(r"<[^>]+>", "", title) for title in
            re.findall(r'<section class="quiz-workbook__lesson"[^>]*><h2>(.*?)</h2>', html)]


def test_trainee_workbook_has_every_prompt_and_no_answer(trainee_pdf, served_site):
    text = words("".join(body(page) for page in pages_of(trainee_pdf)))
    raw = bank()
    for item in raw:
        for word in shown_words(item):
            assert words(word) in text, (item["id"], word)
    # What is left once the questions are taken out holds no answer (an answer may be a word of another prompt).
    readable = [w for item in raw for w in shown_words(item)] + OWN_WORDS
    readable += lesson_titles(served_site.directory, "workbook/index.html")
    left = text
    for word in sorted({words(w) for w in readable}, key=len, reverse=True):
        left = left.replace(word, "|")
    # Then the question numbers, the blanks' numbers, the brackets for a letter, the counts: nothing else is left.
    left = re.sub(r"\d+．|（\d*）|共\d+讲、\d+道练习，|练习册（打印版）", "|", left)
    assert set(left) <= {"|"}, re.sub(r"\|+", "|", left)
    for item in raw:
        for word in hidden_words(item):
            assert words(word) not in left, (item["id"], word)
    assert "答案：" not in text and "解析：" not in text
    # No glyph fell back to a placeholder: nothing the text layer could not name.
    assert "\ufffd" not in text


def test_each_lesson_starts_a_sheet_and_every_page_has_its_footer(trainee_pdf, served_site):
    pages = pages_of(trainee_pdf)
    titles = lesson_titles(served_site.directory, "workbook/index.html")
    assert len(titles) >= 4
    assert len(pages) >= len(titles)
    # The first lesson follows the workbook's title on the first sheet; each other one starts a sheet.
    assert bare(titles[0]) in bare(pages[0])
    starts = [next((number for number, page in enumerate(pages) if bare(page).startswith(bare(title))), None)
              for title in titles[1:]]
    assert None not in starts and starts == sorted(starts) and starts[0] > 0, starts
    for number, page in enumerate(pages, start=1):
        footer = FOOTER.search(page)
        assert footer, f"第 {number} 页没有页脚：{page[-200:]!r}"
        assert footer.groups() == ("学员版", "1.0", str(number), str(len(pages)))


def test_fonts_are_embedded(trainee_pdf):
    listed = subprocess.run([poppler("pdffonts"), str(trainee_pdf)], capture_output=True, text=True, check=True).stdout
    rows = listed.splitlines()[2:]
    assert rows
    for row in rows:
        emb = row.split()[-5]
        assert emb == "yes", row


def test_instructor_workbook_adds_the_answers_as_an_appendix(instructor_pdf, instructor_site):
    pages = pages_of(instructor_pdf)
    raw = bank()
    text = words("".join(body(page) for page in pages))
    for item in raw:
        assert all(words(word) in text for word in shown_words(item)), item["id"]
    for item in raw:
        for word in answer_words(item):
            assert words(word) in text, (item["id"], word)
    # The appendix starts a sheet of its own, after the last question.
    appendix = next(number for number, page in enumerate(pages) if bare(page).startswith("附录"))
    assert "答案：" not in "".join(pages[:appendix])
    assert all(FOOTER.search(page).group(1) == "讲师版" for page in pages)
    # Its answers carry the numbers the questions have in the workbook.
    assert f"练习册第{len(raw)}题" in text


def test_a_page_that_asks_an_outside_host_is_not_printed(tmp_path):
    site = tmp_path / "site"
    (site / "workbook").mkdir(parents=True)
    (site / "version.json").write_text('{"version": "1.0", "edition": "学员版"}', encoding="utf-8")
    (site / "workbook" / "index.html").write_text(
        '<!doctype html><meta charset="utf-8"><p>练习</p><img src="http://198.51.100.7/logo.png">', encoding="utf-8")
    done = print_workbook(site, "workbook/index.html", tmp_path / "out", "trainee")
    assert done.returncode == 1
    assert "请求了站外地址" in done.stderr and "198.51.100.7" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_site_without_the_workbook_page_is_named(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    done = print_workbook(site, "workbook/index.html", tmp_path / "out", "trainee")
    assert done.returncode == 1 and "没有练习册页面" in done.stderr and "Traceback" not in done.stderr


def test_run_py_refuses_an_unknown_edition_or_argument():
    for args, message in ((["--edition", "guest"], "没有“guest”这个版本"), (["--pdf"], "workbook 命令只接受 --edition")):
        done = subprocess.run([sys.executable, str(ROOT / "run.py"), "workbook", *args], cwd=ROOT,
                              capture_output=True, text=True, encoding="utf-8", timeout=120)
        assert done.returncode == 1 and message in done.stderr, done.stderr
