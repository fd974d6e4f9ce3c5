"""The exercise bank's coverage report, as instructors read it.

What the bank must hold (exercises per lesson, types, feedback, rubrics, the
final quiz) is the course policy in exercises/policy.yml, enforced by the
check: tests/test_course_policy.py tests those rules, and that the real
course passes them.
"""

from __future__ import annotations

import io

from conftest import ROOT
from quiz import check


def test_check_command_prints_the_coverage_table(capsys):
    out = io.StringIO()
    assert check.run(ROOT, out=out) == 0
    report = out.getvalue()
    assert "练习覆盖情况" in report and "所有讲授小节都有至少 2 道题" in report
    for title in ("第一讲", "第二讲", "第三讲", "单选题", "写作练习"):
        assert title in report


def test_coverage_names_a_thin_section(tmp_path):
    from test_quiz_validation import GOOD_SINGLE, make_project

    project = make_project(tmp_path, {"demo.yml": "exercises:\n" + GOOD_SINGLE}, policy=None)
    out = io.StringIO()
    check.run(project, out=out)
    report = out.getvalue()
    assert "lesson.md#为谁报报什么（为谁报、报什么）：1 道" in report
    assert "lesson.md#情况要新（情况要新）：0 道" in report


def test_instructors_notes_show_the_coverage(instructor_site):
    html = (instructor_site / "instructors" / "index.html").read_text(encoding="utf-8")
    assert 'class="quiz-coverage"' in html and "讲授小节" in html
    assert "<!-- exercise-coverage -->" not in html
