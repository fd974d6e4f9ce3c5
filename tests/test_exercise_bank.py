"""The exercise bank: enough exercises of every type for every lesson section,
a final quiz, and a coverage report instructors can read."""

from __future__ import annotations

import io
from collections import Counter

import pytest

from conftest import ROOT
from quiz import check, coverage
from quiz.model import TYPE_NAMES
from quiz.session import QuizSession

LESSONS = {"positioning": 15, "topics": 15, "research": 15, "introduction": 5}


@pytest.fixture(scope="module")
def session():
    return QuizSession(ROOT)


def lesson_exercises(session, name):
    return [session.bank.exercises[i] for i in session.bank.groups[name] if i in session.bank.exercises]


@pytest.mark.parametrize("name,minimum", sorted(LESSONS.items()))
def test_each_lesson_has_enough_exercises_of_every_type(session, name, minimum):
    exercises = lesson_exercises(session, name)
    assert len(session.bank.groups[name]) == len(exercises), "every exercise must be valid"
    assert len(exercises) >= minimum
    assert set(Counter(e.type for e in exercises)) == set(TYPE_NAMES)


@pytest.mark.parametrize("name", ["positioning", "topics", "research"])
def test_each_lesson_has_two_writing_exercises_with_a_rubric(session, name):
    writing = [e for e in lesson_exercises(session, name) if e.type == "open"]
    assert len(writing) >= 2
    for exercise in writing:
        assert 4 <= len(exercise.rubric) <= 6, exercise.id
        assert exercise.reference.strip()


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_every_teaching_section_is_trained_twice_by_its_lesson(session, name):
    lessons = coverage.compute(lesson_exercises(session, name), session.outlines())
    assert len(lessons) == 1 and lessons[0].page == f"{name}.md"
    assert lessons[0].sections, "a lesson has teaching sections"
    assert lessons[0].thin() == []


def test_every_choice_option_says_why(session):
    for exercise in session.bank.exercises.values():
        if exercise.type in ("single", "multiple"):
            assert all(option.feedback for option in exercise.options), exercise.id
        if exercise.type == "true_false":
            assert set(exercise.feedback) == {"对", "错"}, exercise.id


def test_final_quiz_has_twenty_scored_exercises_across_the_principles(session):
    final = lesson_exercises(session, "final")
    assert len(final) >= 20 and "final" in session.bank.scored
    pages = Counter(e.section_page for e in final)
    assert all(pages[p] >= 3 for p in ("positioning.md", "topics.md", "research.md"))
    assert "open" not in {e.type for e in final}
    page = (ROOT / "docs" / "final-quiz.md").read_text(encoding="utf-8")
    assert "<!-- exercises: final -->" in page


def test_check_command_prints_the_coverage_table(capsys):
    out = io.StringIO()
    assert check.run(ROOT, out=out) == 0
    report = out.getvalue()
    assert "练习覆盖情况" in report and "所有讲授小节都有至少 2 道题" in report
    for title in ("第一讲", "第二讲", "第三讲", "单选题", "写作练习"):
        assert title in report


def test_coverage_names_a_thin_section(tmp_path):
    from test_quiz_validation import GOOD_SINGLE, make_project

    project = make_project(tmp_path, {"demo.yml": "exercises:\n" + GOOD_SINGLE})
    out = io.StringIO()
    check.run(project, out=out)
    report = out.getvalue()
    assert "lesson.md#为谁报报什么（为谁报、报什么）：1 道" in report
    assert "lesson.md#情况要新（情况要新）：0 道" in report


def test_instructors_notes_show_the_coverage(served_site):
    html = (served_site.directory / "instructors" / "index.html").read_text(encoding="utf-8")
    assert 'class="quiz-coverage"' in html and "讲授小节" in html
    assert "<!-- exercise-coverage -->" not in html
