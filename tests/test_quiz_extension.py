"""The exercises' Python-Markdown extension (quiz.extension): on its own, and in the built site.

On its own, as any engine that runs Python-Markdown extensions would use it:
a page's shortcodes become exercises linked to their sections relative to
the page, and the page's problems are logged with its file and line. In the
built site: what Material's indexer makes of the pages holds the exercises'
prompts and options and nothing a trainee only sees after answering.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from html import unescape
from pathlib import Path

import markdown
import pytest
import yaml
from pymdownx.slugs import slugify

from conftest import ROOT, copy_project, mkdocs_build, unpacked
from quiz import pages, session as sessions
from quiz.extension import ExercisesExtension
from test_quiz_validation import GOOD_SINGLE, LESSON, demo, make_project

LOGGER = "quiz.extension"
# The course's anchors (mkdocs.yml): Chinese kept. The session takes the slugify of the page's toc.
SLUGIFY = slugify(case="lower")


def convert(project: Path, text: str, **options) -> str:
    """A page's Markdown through a fresh Markdown instance, as both engines make one per page."""
    options.setdefault("project_dir", str(project))
    md = markdown.Markdown(extensions=["toc", "pymdownx.superfences", ExercisesExtension(**options)],
                           extension_configs={"toc": {"slugify": SLUGIFY}})
    return md.convert(text)


def section_links(html: str) -> list[str]:
    """The links from each placed exercise to the section it trains (they travel in the solution's data)."""
    return re.findall(r'相关小节：<a href="([^"]*)"', unpacked(html))


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING]


def test_a_shortcode_becomes_the_exercises_of_its_file(tmp_path):
    project = make_project(tmp_path, demo(GOOD_SINGLE))
    html = convert(project, LESSON)
    assert '<section class="quiz-set" data-quiz-set="demo"' in html
    assert 'data-quiz-id="demo-single"' in html and "<!-- exercises" not in html
    # Raw HTML of a block of its own: not wrapped in a paragraph.
    assert "<p><section" not in html
    assert section_links(html) == ["./#为谁报报什么"]


def test_an_unknown_id_is_reported_with_the_page_and_its_line(tmp_path, caplog):
    front = "---\ntitle: 示例\n---\n\n"
    lesson = front + LESSON + "\n<!-- exercise: demo-singel -->\n"
    project = make_project(tmp_path, demo(GOOD_SINGLE), lesson=lesson)
    line = lesson.splitlines().index("<!-- exercise: demo-singel -->") + 1
    caplog.set_level(logging.WARNING, logger=LOGGER)
    # Both engines take the front matter off before converting: the line is still the file's.
    html = convert(project, LESSON + "\n<!-- exercise: demo-singel -->\n")
    said = warnings_of(caplog)
    assert len(said) == 1, said
    assert said[0].startswith(f"docs/lesson.md:{line}:1：[练习 demo-singel] 没有编号为 demo-singel 的练习。")
    assert "demo-single" in said[0]  # the closest id, as the check suggests it
    assert "<!-- exercise: demo-singel -->" in html  # nothing placed, nothing invented


def test_a_page_problem_is_said_once_a_session(tmp_path, caplog):
    lesson = LESSON + "\n<!-- exercise: nope -->\n"
    project = make_project(tmp_path, demo(GOOD_SINGLE), lesson=lesson)
    caplog.set_level(logging.WARNING, logger=LOGGER)
    convert(project, lesson)
    convert(project, lesson)
    assert len(warnings_of(caplog)) == 1


def test_a_placed_exercise_with_a_bad_section_is_said_with_the_page_that_shows_it(tmp_path, caplog):
    body = GOOD_SINGLE.replace("section: lesson.md#为谁报报什么", "section: lesson.md#为谁报")
    project = make_project(tmp_path, demo(body))
    caplog.set_level(logging.WARNING, logger=LOGGER)
    convert(project, LESSON)
    [said] = warnings_of(caplog)
    assert said.startswith("exercises/demo.yml:4:5：[练习 demo-single] 字段 section：页面 lesson.md 中没有锚点 #为谁报。")
    assert "为谁报报什么" in said  # the real anchor, offered as the fix


def test_what_no_page_shows_is_left_to_the_whole_course_check(tmp_path, caplog):
    broken = GOOD_SINGLE.replace("demo-single", "spare-single").replace("answer: B", "answer: Z")
    project = make_project(tmp_path, {**demo(GOOD_SINGLE), "spare.yml": "exercises:\n" + broken})
    caplog.set_level(logging.WARNING, logger=LOGGER)
    convert(project, LESSON)
    assert warnings_of(caplog) == []
    session = sessions.for_project(project, project / "docs")
    left = [p.format() for p in session.unreported()]
    assert [line for line in left if "spare" in line] == [
        "exercises/spare.yml:11:5：[练习 spare-single] 字段 answer：答案 Z 不在选项中（共 2 个选项，A～B）。"
        " 修改方法：答案应为 A～B 中的字母。"
    ]
    assert not [line for line in left if "demo" in line]


@pytest.mark.parametrize("directory_urls,expected", [(True, "../../lesson/#为谁报报什么"),
                                                     (False, "../lesson.html#为谁报报什么")])
def test_links_are_relative_to_a_nested_page(tmp_path, directory_urls, expected):
    project = make_project(tmp_path, demo(GOOD_SINGLE), lesson=LESSON.replace("<!-- exercises: demo -->", ""))
    nested = "# 复习\n\n<!-- exercises: demo -->\n"
    (project / "docs" / "guide").mkdir()
    (project / "docs" / "guide" / "review.md").write_text(nested, encoding="utf-8")
    html = convert(project, nested, directory_urls=directory_urls)
    assert section_links(html) == [expected]


def test_urls_follow_mkdocs(tmp_path):
    from mkdocs.structure.files import File
    from mkdocs.utils import get_relative_url

    names = ["index.md", "lesson.md", "README.md", "guide/index.md", "guide/review.md", "a/b/c.md", "课程/第一讲.md"]
    for directory_urls in (True, False):
        for page in names:
            file = File(page, str(tmp_path), str(tmp_path / "site"), directory_urls)
            assert pages.page_url(page, directory_urls) == file.url, page
            for other in names:
                there = File(other, str(tmp_path), str(tmp_path / "site"), directory_urls)
                assert pages.relative_url(there.url, file.url) == get_relative_url(there.url, file.url)


def test_a_shortcode_shown_as_code_stays_as_written(tmp_path):
    # Only what Python-Markdown takes for an HTML comment is expanded.
    lesson = LESSON + (
        "\n写法：`<!-- exercises: demo -->`\n\n```\n<!-- exercises: demo -->\n```\n\n"
        "示例：\n\n    <!-- exercises: demo -->\n"
    )
    project = make_project(tmp_path, demo(GOOD_SINGLE), lesson=lesson)
    html = convert(project, lesson)
    assert html.count('data-quiz-set="demo"') == 1
    assert html.count("&lt;!-- exercises: demo --&gt;") == 3


def test_a_shortcode_inside_an_admonition_is_placed(tmp_path):
    lesson = LESSON.replace("<!-- exercises: demo -->", '!!! note "练一练"\n\n    <!-- exercises: demo -->\n')
    project = make_project(tmp_path, demo(GOOD_SINGLE), lesson=lesson)
    md = markdown.Markdown(extensions=["toc", "admonition", ExercisesExtension(project_dir=str(project))])
    html = md.convert(lesson)
    assert re.search(r'<div class="admonition note">.*data-quiz-set="demo"', html, re.S)


def test_a_text_of_no_page_is_still_expanded_and_said(tmp_path, caplog):
    project = make_project(tmp_path, demo(GOOD_SINGLE))
    caplog.set_level(logging.WARNING, logger=LOGGER)
    html = convert(project, "# 别处\n\n<!-- exercises: demo -->\n")
    assert 'data-quiz-id="demo-single"' in html
    [said] = warnings_of(caplog)
    assert "docs/" in said and "run.py check" in said
    assert section_links(html) == ["lesson/#为谁报报什么"]  # as if at the site's root


def test_pages_without_comments_cost_no_session(tmp_path, monkeypatch):
    project = make_project(tmp_path, demo(GOOD_SINGLE))

    def refuse(*args, **kwargs):
        pytest.fail("a page with no HTML comment needs no session")

    monkeypatch.setattr(sessions, "for_project", refuse)
    assert convert(project, "# 标题\n\n正文。\n") == '<h1 id="标题">标题</h1>\n<p>正文。</p>'


def test_without_hooks_the_session_is_renewed_when_an_exercise_file_changes(tmp_path):
    project = make_project(tmp_path, demo(GOOD_SINGLE))
    docs = project / "docs"
    first = sessions.for_project(project, docs)
    assert sessions.for_project(project, docs) is first
    path = project / "exercises" / "demo.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("哪一条值得报送？", "哪一条最值得报送？"), encoding="utf-8")
    renewed = sessions.for_project(project, docs)
    assert renewed is not first
    html = convert(project, LESSON)
    assert "哪一条最值得报送？" in html


def test_a_hook_that_starts_each_build_keeps_one_session_for_it(tmp_path):
    project = make_project(tmp_path, demo(GOOD_SINGLE))
    docs = project / "docs"
    started = sessions.begin_build(project, docs)
    (project / "docs" / "lesson.md").write_text(LESSON + "\n正文。\n", encoding="utf-8")
    assert sessions.for_project(project, docs) is started  # until the next build starts
    assert sessions.begin_build(project, docs) is not started


def test_the_environment_finds_the_extension_through_the_path_file(tmp_path):
    sys.path.insert(0, str(ROOT))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    run.link_hooks(venv)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    found = subprocess.run(
        [str(python), "-c", "import importlib.util; print(importlib.util.find_spec('quiz.extension').origin)"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == ROOT / "hooks" / "quiz" / "extension.py"
    # Written again only when it would say something else.
    (pth,) = venv.glob("**/site-packages/" + run.HOOKS_PATH_FILE)
    before = pth.stat().st_mtime_ns
    time.sleep(0.01)
    run.link_hooks(venv)
    assert pth.stat().st_mtime_ns == before


# -- in the MkDocs build --------------------------------------------------------


def test_the_build_says_which_extension_is_missing(project_copy, tmp_path):
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - quiz.extension\n" in text
    config.write_text(text.replace("  - quiz.extension\n", ""), encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "markdown_extensions 中没有 quiz.extension" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_page_problem_fails_the_strict_build_once_with_its_place(project_copy, tmp_path):
    lesson = project_copy / "docs" / "topics.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text + "\n<!-- exercise: topics-nope -->\n", encoding="utf-8")
    line = len((text + "\n<!-- exercise: topics-nope -->\n").splitlines())
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    said = [entry for entry in result.stderr.splitlines() if "topics-nope" in entry]
    assert len(said) == 1, said
    assert f"docs/topics.md:{line}:1：[练习 topics-nope] 没有编号为 topics-nope 的练习。" in said[0]
    assert "严格模式下构建中止：练习题问题 1 个" in result.stderr
    assert "Traceback" not in result.stderr


def index_by_page(site: Path) -> dict[str, list[str]]:
    """Page URL -> the texts of its search entries, zero-width spaces taken out."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for doc in index["docs"]:
        found.setdefault(doc["location"].split("#")[0], []).append(doc["text"].replace("\u200b", ""))
    return found


def distinctive(text: str, elsewhere: str, size: int = 8) -> str | None:
    """A run of Chinese characters (and ASCII digits) from `text` that `elsewhere` does not hold."""
    for run in re.findall(r"[\u4e00-\u9fff0-9]{%d,}" % size, text):
        for start in range(len(run) - size + 1):
            if run[start:start + size] not in elsewhere:
                return run[start:start + size]
    return None


def compact(text: str) -> str:
    """Only the Chinese characters and digits: a piece of them found here is found across markup too."""
    return re.sub(r"[^\u4e00-\u9fff0-9]", "", text)


def test_the_index_holds_prompts_and_options_under_their_lesson_and_nothing_hidden(served_site):
    by_page = index_by_page(served_site.directory)
    everything = " ".join(text for texts in by_page.values() for text in texts)
    placing = {}  # exercise file -> the page that places it
    for path in (ROOT / "docs").rglob("*.md"):
        for name in re.findall(r"<!-- exercises: (\S+) -->", path.read_text(encoding="utf-8")):
            placing[name] = pages.page_url(path.relative_to(ROOT / "docs").as_posix())
    banks = {name: yaml.safe_load((ROOT / "exercises" / f"{name}.yml").read_text(encoding="utf-8"))["exercises"]
             for name in placing}
    prose = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    visible = compact(prose) + compact(" ".join(
        e["prompt"] + " ".join(o["text"] for o in e.get("options", [])) + " ".join(e.get("items", []))
        for exercises in banks.values() for e in exercises
    ))
    seen = secrets = 0
    for name, exercises in banks.items():
        lesson = " ".join(by_page[placing[name]])
        elsewhere = " ".join(t for url, texts in by_page.items() if url != placing[name] for t in texts)
        for exercise in exercises:
            shown = [o["text"] for o in exercise.get("options", [])] + exercise.get("items", [])
            if exercise["type"] != "fill":  # a blank becomes an input, splitting the prompt's words
                shown.append(exercise["prompt"])
            for words in shown:
                piece = distinctive(words, compact(elsewhere + prose))
                if piece:  # a trainee typing these words finds them, under this lesson
                    assert piece in lesson, (exercise["id"], piece)
                    seen += 1
            hidden = [exercise.get("explanation", ""), exercise.get("reference", ""), exercise.get("hint", "")]
            hidden += [o.get("feedback", "") for o in exercise.get("options", [])]
            hidden += list((exercise.get("feedback") or {}).values()) + exercise.get("rubric", [])
            for words in filter(None, hidden):
                piece = distinctive(words, visible)
                if piece:
                    assert piece not in everything, (exercise["id"], piece)
                    secrets += 1
    assert seen >= 300 and secrets >= 300, (seen, secrets)
    # The controls' words are no text of the page either: a search for them finds no exercise.
    for texts in by_page.values():
        for text in texts:
            if 'quiz' in text or "第 1 题" in text:
                for label in ("检查答案", "重新作答", "清除本组作答记录", "查看参考答案", "单选题", "写作练习"):
                    assert label not in text, label
