"""Messages about where exercises go: ids, sections and shortcodes.

Each case is a small temporary project; each asserts the file:line an
instructor must open and the Chinese advice they read there.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from quiz import render, rules
from quiz.session import QuizSession
from test_quiz_validation import GOOD_SINGLE, LESSON, check, make_project

# LESSON without its shortcode (line 11): each test places the exercises itself.
BARE_LESSON = LESSON.replace("<!-- exercises: demo -->\n", "")


def only(problems: list, **fields) -> list:
    return [p for p in problems if all(getattr(p, name) == value for name, value in fields.items())]


def exercise(number: int, section: str = "lesson.md#为谁报报什么") -> str:
    return GOOD_SINGLE.replace("demo-single", f"demo-{number}").replace("lesson.md#为谁报报什么", section)


# -- duplicate ids ----------------------------------------------------------------

def git(project, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=讲师", "-c", "user.email=teacher@example.invalid", "-c", "commit.gpgsign=false",
         *args],
        cwd=project, check=True, capture_output=True, timeout=60,
    )


def duplicate_project(tmp_path):
    """zeta.yml holds demo-single; alpha.yml, sorted before it, holds it again."""
    files = {"zeta.yml": "exercises:\n" + GOOD_SINGLE}
    lesson = BARE_LESSON + "\n<!-- exercises: zeta -->\n"
    project = make_project(tmp_path, files, lesson=lesson)
    (project / "docs" / "other.md").write_text("# 另一课\n\n<!-- exercises: alpha -->\n", encoding="utf-8")
    return project


def add_alpha(project) -> None:
    (project / "exercises" / "alpha.yml").write_text("exercises:\n" + GOOD_SINGLE, encoding="utf-8")


def test_duplicate_id_advice_names_the_uncommitted_exercise(tmp_path):
    project = duplicate_project(tmp_path)
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "published course")
    add_alpha(project)  # new, not committed, and first in file order
    session = QuizSession(project)
    problems = check(project)
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert (problem.path, problem.line, problem.field) == ("exercises/alpha.yml", 2, "id")
    assert "exercises/zeta.yml:2" in problem.message
    assert "尚未提交" in problem.fix and "不要改 exercises/zeta.yml:2" in problem.fix
    # The published exercise keeps its place meanwhile.
    assert session.bank.exercises["demo-single"].path == "exercises/zeta.yml"


def test_duplicate_id_committed_later_is_the_one_to_rename(tmp_path):
    project = duplicate_project(tmp_path)
    git(project, "init", "-q")
    git(project, "add", ".")
    old = dict(os.environ, GIT_COMMITTER_DATE="2024-01-02T10:00:00", GIT_AUTHOR_DATE="2024-01-02T10:00:00")
    subprocess.run(["git", "-c", "user.name=讲师", "-c", "user.email=teacher@example.invalid",
                    "commit", "-q", "-m", "first"], cwd=project, check=True, env=old, timeout=60)
    add_alpha(project)
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "second")
    problem = only(check(project), field="id")[0]
    assert (problem.path, problem.line) == ("exercises/alpha.yml", 2)
    assert "不要改 exercises/zeta.yml:2" in problem.fix and "2024-01-02" in problem.fix


def test_duplicate_id_without_git_advises_the_later_one_and_says_why(tmp_path, monkeypatch):
    project = duplicate_project(tmp_path)
    add_alpha(project)
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))  # git cannot be found
    problem = only(check(project), field="id")[0]
    assert (problem.path, problem.line) == ("exercises/zeta.yml", 2)
    assert "exercises/alpha.yml:2" in problem.message
    assert "排在后面" in problem.fix and "不要改 exercises/alpha.yml:2" in problem.fix


def test_a_hanging_git_is_given_up_on(tmp_path, monkeypatch):
    project = duplicate_project(tmp_path)
    add_alpha(project)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # Not exec: the child it leaves behind must not hold the check up either.
    (bin_dir / "git").write_text("#!/bin/sh\nsleep 60\n", encoding="utf-8")
    (bin_dir / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setattr(rules, "GIT_SECONDS", 0.5)
    started = time.monotonic()
    problem = only(check(project), field="id")[0]
    assert time.monotonic() - started < 5
    assert problem.path == "exercises/zeta.yml" and "排在后面" in problem.fix


# -- section anchors ------------------------------------------------------------------

def test_wrong_anchor_lists_the_page_anchors_closest_first(tmp_path):
    files = {"demo.yml": "exercises:\n" + exercise(1, "lesson.md#情况要薪")}
    problem = check(make_project(tmp_path, files, lesson=BARE_LESSON + "\n<!-- exercises: demo -->\n"))[0]
    assert (problem.path, problem.line, problem.field) == ("exercises/demo.yml", 4, "section")
    assert "#情况要薪" in problem.message
    listed = problem.fix
    assert "lesson.md#情况要新" in listed and "lesson.md#为谁报报什么" in listed and "lesson.md#示例课" in listed
    assert listed.index("#情况要新") < listed.index("#为谁报报什么")
    assert "去掉标点" in listed


def test_wrong_page_lists_the_closest_pages(tmp_path):
    files = {"demo.yml": "exercises:\n" + exercise(1, "lessen.md#情况要新")}
    problem = check(make_project(tmp_path, files, lesson=BARE_LESSON + "\n<!-- exercises: demo -->\n"))[0]
    assert (problem.path, problem.line, problem.field) == ("exercises/demo.yml", 4, "section")
    assert "lessen.md" in problem.message and "lesson.md" in problem.fix


# -- shortcodes that do not parse ---------------------------------------------------------

@pytest.mark.parametrize("written, why, meant, folded", [
    ("<!-- exercise：demo-1 -->", "全角", "<!-- exercise: demo-1 -->", "练习 demo-1 因此没有任何页面显示"),
    ("<!-- exercices: demo -->", "exercices", "<!-- exercises: demo -->", "exercises/demo.yml 中的 1 道题因此"),
    ("<!-- exercise demo-1 -->", "冒号", "<!-- exercise: demo-1 -->", "练习 demo-1 因此没有任何页面显示"),
    ("<!-- Exercises: demo -->", "小写", "<!-- exercises: demo -->", "exercises/demo.yml 中的 1 道题因此"),
    ("<!-- exercise: demo -->", "文件名", "<!-- exercises: demo -->", "exercises/demo.yml 中的 1 道题因此"),
    ("<!-- exercises: demo", "同一行", "<!-- exercises: demo -->", "exercises/demo.yml 中的 1 道题因此"),
    ("<!--\nexercises: demo\n-->", "同一行", "<!-- exercises: demo -->", "exercises/demo.yml 中的 1 道题因此"),
    ("<!-- exercise coverage -->", "exercise coverage", "<!-- exercise-coverage -->", None),
])
def test_a_comment_that_looks_like_a_shortcode_is_reported(tmp_path, written, why, meant, folded):
    lesson = BARE_LESSON + f"前文 {written}\n"
    files = {"demo.yml": "exercises:\n" + exercise(1)}
    problems = check(make_project(tmp_path, files, lesson=lesson))
    if folded is None:  # nothing was meant to be placed: the exercise is still unshown
        problems = [p for p in problems if p.path == "docs/lesson.md"]
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert (problem.path, problem.line, problem.column) == ("docs/lesson.md", 11, 4)
    assert why in problem.message and meant in problem.fix
    if folded:
        assert folded in problem.message


def test_a_shortcode_split_over_lines_is_not_placed_either(tmp_path):
    # The check reads shortcodes line by line; the page must not show what the check says it does not.
    session = QuizSession(make_project(tmp_path, {"demo.yml": "exercises:\n" + GOOD_SINGLE}))
    html = session.expand("<p>前文</p>\n<!--\nexercises: demo\n-->", lambda page: "../lesson/")
    assert "quiz-set" not in html


def test_ordinary_comments_and_code_are_not_shortcodes(tmp_path):
    lesson = LESSON + (
        "\n<!-- autocorrect-disable -->\n<!-- 本节例子待补充 -->\n"
        "在 Markdown 中写 `<!-- exercise：demo-single -->` 是错的。\n"
        "```\n<!-- exercices: demo -->\n```\n"
    )
    assert check(make_project(tmp_path, {"demo.yml": "exercises:\n" + GOOD_SINGLE}, lesson=lesson)) == []


# -- one cause, one line -------------------------------------------------------------------

def test_misspelled_set_name_is_reported_once_with_its_consequence(tmp_path):
    files = {
        "demo.yml": "exercises:\n" + "".join(exercise(n) for n in range(1, 4)),
        "spare.yml": "exercises:\n" + GOOD_SINGLE.replace("demo-single", "spare-one"),
    }
    lesson = BARE_LESSON + "<!-- exercises: dmeo -->\n"
    problems = check(make_project(tmp_path, files, lesson=lesson))
    assert [(p.path, p.line) for p in problems] == [("docs/lesson.md", 11), ("exercises/spare.yml", 2)], \
        [p.format() for p in problems]
    cause, unrelated = problems
    assert "dmeo" in cause.message and "exercises/demo.yml 中的 3 道题因此没有任何页面显示" in cause.message
    assert "demo" in cause.fix
    # An exercise the misspelling does not explain is still reported on its own.
    assert unrelated.exercise_id == "spare-one" and "没有任何页面显示" in unrelated.message


def test_same_exercise_placed_twice_on_a_page_is_reported_where_it_repeats(tmp_path):
    lesson = LESSON + "\n<!-- exercise: demo-single -->\n"  # line 13; the set on line 11 has it already
    problems = check(make_project(tmp_path, {"demo.yml": "exercises:\n" + GOOD_SINGLE}, lesson=lesson))
    assert len(problems) == 1, [p.format() for p in problems]
    problem = problems[0]
    assert (problem.path, problem.line) == ("docs/lesson.md", 13)
    assert "demo-single" in problem.message and "第 11 行" in problem.message and "两遍" in problem.message
    assert "删去" in problem.fix


def test_same_set_placed_twice_on_a_page_is_reported_once(tmp_path):
    lesson = LESSON + "\n<!-- exercises: demo -->\n"
    files = {"demo.yml": "exercises:\n" + exercise(1) + exercise(2)}
    problems = check(make_project(tmp_path, files, lesson=lesson))
    assert [(p.path, p.line) for p in problems] == [("docs/lesson.md", 13)], [p.format() for p in problems]
    assert "demo-1" in problems[0].message and "第 11 行" in problems[0].message


# -- what a preview shows --------------------------------------------------------------------

def test_an_unreadable_file_shows_its_problem_where_its_set_would_be(tmp_path):
    files = {"demo.yml": 'exercises: "<b>要列表</b>"\n'}
    session = QuizSession(make_project(tmp_path, files))
    html = session.expand("<p>前文</p>\n<!-- exercises: demo -->", lambda page: "../lesson/")
    assert 'class="quiz quiz--broken"' in html and "exercises/demo.yml" in html
    assert "第 1 行" in html and "&lt;b&gt;要列表&lt;/b&gt;" in html and "<b>" not in html


def test_a_yaml_syntax_error_shows_its_message_in_the_preview(tmp_path):
    files = {"demo.yml": "exercises:\n" + GOOD_SINGLE.replace("    answer: B\n", "    answer: [B\n")}
    session = QuizSession(make_project(tmp_path, files))
    html = session.expand("<!-- exercises: demo -->", lambda page: "../lesson/")
    problem = session.bank.problems[0]
    assert f"第 {problem.line} 行" in html and render.esc(problem.message) in html and "YAML 格式错误" in html


@pytest.mark.parametrize("shortcode", ["<!-- exercises: demo -->", "<!-- exercise: demo-single -->"])
def test_a_broken_exercise_notice_says_what_is_wrong(tmp_path, shortcode):
    files = {"demo.yml": "exercises:\n" + GOOD_SINGLE.replace("answer: B", "answer: E")}
    session = QuizSession(make_project(tmp_path, files))
    html = session.expand(f"<p>前文</p>\n{shortcode}", lambda page: "../lesson/")
    assert "demo-single 有错误" in html
    assert "第 11 行" in html and "答案 E 不在选项中" in html and "A～B" in html
    assert "\x1f" not in html
