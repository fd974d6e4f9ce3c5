"""Instructor-attached search questions (front matter `questions:`, hooks/search_questions.py) and the
search word lists (search/stopwords.txt, search/synonyms.txt, hooks/search_words.py): read with their
lines, every mistake reported by `check` and by the strict build, and what they add to the index."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import search_index
import search_questions
import search_words
from conftest import ROOT, copy_project, mkdocs_build
from quiz import anchors

PAGE = textwrap.dedent("""\
    ---
    search:
      boost: 1
    questions:
      信息量:
        - 什么是信息量
        - 一条信息有没有干货
      "#为谁报":
        - 信息写给谁看
    ---

    # 第一讲

    ## 为谁报

    正文。

    ### 信息量

    正文。

    ## 示例

    ## 示例
    """)


def read(markdown: str):
    return search_questions.read(markdown, "docs/lesson.md", anchors.outline(markdown))


def test_questions_attach_to_headings_by_title_or_anchor():
    attached, problems = read(PAGE)
    assert problems == []
    assert attached == {"信息量": ["什么是信息量", "一条信息有没有干货"], "为谁报": ["信息写给谁看"]}


def test_a_page_without_questions_has_none():
    assert read("# 标题\n\n正文。\n") == ({}, [])
    assert read("---\nsearch:\n  boost: 0.3\n---\n# 标题\n") == ({}, [])


@pytest.mark.parametrize("entry,line,words", [
    ("  信息亮:\n    - 问题", 3, ["本页没有“信息亮”这个标题", "信息量"]),
    ("  示例:\n    - 问题", 3, ["几个标题都叫“示例”", "#示例"]),
    ("  信息量:\n    - [1, 2]", 4, ["每个问题应当是一句话"]),
    ("  信息量:\n    - " + "很长" * 25, 4, ["太长了"]),
    ("  信息量: 问题: 又一个", 3, ["不是有效的 YAML"]),
])
def test_each_mistake_is_reported_with_its_line(entry, line, words):
    markdown = f"---\nquestions:\n{entry}\n---\n\n# 第一讲\n\n### 信息量\n\n## 示例\n\n## 示例\n"
    attached, problems = read(markdown)
    assert len(problems) == 1, problems
    text = problems[0].format()
    assert text.startswith(f"docs/lesson.md:{line}：[搜索问法]"), text
    assert all(word in text for word in words), text
    assert "修改方法" in text


def test_questions_become_a_field_of_their_section_in_the_index():
    index = {"config": {}, "docs": [{"location": "lesson/#信息量", "title": "信息量", "text": ""},
                                    {"location": "lesson/#练习", "title": "练习", "text": ""},
                                    {"location": "lesson/#小结", "title": "小结", "text": ""}]}
    enriched = search_index.enrich(index, questions={"lesson/#信息量": ["有没有干货"]}, practice={"lesson/#练习"},
                                   recap={"lesson/#小结"}, stopwords=["怎么"], synonyms=[["干货", "信息量"]],
                                   cut=lambda text: ["有没有", "干货"] if text == "有没有干货" else [text],
                                   known=lambda word: word == "干货")
    first, practice, recap = enriched["docs"]
    assert first["questions"] == ["有没有\u200b干货"]
    assert practice["weight"] == search_index.PRACTICE_WEIGHT and recap["weight"] == search_index.RECAP_WEIGHT
    assert "weight" not in first
    assert enriched["config"]["course"]["stopwords"] == ["怎么"]
    assert enriched["config"]["course"]["words"] == ["干货"]


def test_practice_sections_are_found_in_the_page():
    html = '<h2 id="a">A</h2><p>x</p><h2 id="练习">练习</h2><section class="quiz-set" data-quiz-set="s">'
    assert search_index.practice_anchors(html) == {"练习"}


def write(project, name, text):
    (project / "search" / name).write_text(text, encoding="utf-8")


def test_word_list_mistakes_are_reported_with_their_lines(tmp_path):
    project = copy_project(tmp_path / "p")
    write(project, "stopwords.txt", "# 说明\n怎么\n怎么 样\n")
    write(project, "synonyms.txt", "# 说明\n名次 排位\n病根\n排位 排行\n怎么 如何\n名次，次序!\n")
    words, problems = search_words.read(project)
    shown = [p.format() for p in problems]
    assert any(s.startswith("search/stopwords.txt:3：") and "不是一个词" in s for s in shown), shown
    assert any(s.startswith("search/synonyms.txt:3：") and "只有一个词" in s for s in shown), shown
    assert any(s.startswith("search/synonyms.txt:4：") and "第 2 行" in s for s in shown), shown
    assert any(s.startswith("search/synonyms.txt:5：") and "stopwords.txt" in s for s in shown), shown
    assert any(s.startswith("search/synonyms.txt:6：") and "标点" in s for s in shown), shown
    assert words.stopwords == ["怎么"] and ["名次", "排位"] in words.synonyms


def test_a_list_that_is_not_utf8_or_missing_is_named_with_its_line(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "search" / "synonyms.txt").write_bytes("名次 排位\n病根 症结\n".encode("gbk"))
    (project / "search" / "stopwords.txt").unlink()
    _, problems = search_words.read(project)
    shown = sorted(p.format() for p in problems)
    assert shown[0].startswith("search/stopwords.txt:1：[搜索词表] 找不到这个搜索词表"), shown
    assert shown[1].startswith("search/synonyms.txt:1：[搜索词表] 文件不是 UTF-8 编码"), shown
    assert str(project) not in "".join(shown)


def test_full_width_and_case_are_folded_in_the_lists(tmp_path):
    project = copy_project(tmp_path / "p")
    write(project, "synonyms.txt", "ＯＡ系统 办公系统\n")
    words, problems = search_words.read(project)
    assert problems == [] and words.synonyms == [["oa系统", "办公系统"]]


def test_check_and_the_strict_build_report_a_question_on_a_missing_heading(tmp_path):
    project = copy_project(tmp_path / "p")
    lesson = project / "docs" / "research.md"
    text = lesson.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text.replace("---\n", "---\nquestions:\n  找病根:\n    - 怎么找问题的病根\n", 1)
        line = 3
    else:
        text = "---\nquestions:\n  找病根:\n    - 怎么找问题的病根\n---\n" + text
        line = 3
    lesson.write_text(text, encoding="utf-8")
    checked = subprocess.run([sys.executable, str(ROOT / "hooks" / "course_check.py"), str(project)],
                             capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert checked.returncode != 0
    assert f"docs/research.md:{line}：[搜索问法] 本页没有“找病根”这个标题" in checked.stdout + checked.stderr
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode != 0
    assert "本页没有“找病根”这个标题" in built.stderr and "Traceback" not in built.stderr


def test_a_bad_word_list_stops_the_build_with_every_problem_listed(tmp_path):
    project = copy_project(tmp_path / "p")
    write(project, "synonyms.txt", "名次 排位\n病根\n")
    lesson = project / "docs" / "research.md"
    lesson.write_text("---\nquestions:\n  找病根:\n    - 病根在哪\n---\n" + lesson.read_text(encoding="utf-8").split("---\n", 2)[-1]
                      if lesson.read_text(encoding="utf-8").startswith("---\n") else lesson.read_text(encoding="utf-8"), encoding="utf-8")
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode != 0
    # The word list and the lesson's question, both: the build does not stop at the first.
    assert "search/synonyms.txt:2：[搜索词表]" in built.stderr and "Traceback" not in built.stderr
    assert "本页没有“找病根”这个标题" in built.stderr


def test_questions_are_in_the_index_and_not_on_the_page(served_site):
    """The real course: every attached question is a field of its section's entry, and no page shows one."""
    index = json.loads((served_site.directory / "search" / "search_index.json").read_text(encoding="utf-8"))
    asked = {doc["location"]: doc["questions"] for doc in index["docs"] if doc.get("questions")}
    assert len(asked) >= 20, "the lessons' teaching sections carry questions"
    assert all("#" in location for location in asked)
    from quiz.pages import FRONT_MATTER

    for location, questions in asked.items():
        page = location.split("#")[0]
        html = (served_site.directory / page / "index.html").read_text(encoding="utf-8")
        body = FRONT_MATTER.sub("", (ROOT / "docs" / f"{page.rstrip('/')}.md").read_text(encoding="utf-8"), count=1)
        for question in questions:
            question = question.replace("\u200b", "")
            if question not in body:  # a question the lesson itself asks may stand on the page
                assert question not in html, (location, question)
    # Nor the front matter's key.
    assert not any("questions:" in path.read_text(encoding="utf-8") for path in served_site.directory.rglob("*.html"))
