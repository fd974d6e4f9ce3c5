"""The course policy (exercises/policy.yml): each rule enforced by the check, with its
place and the rule's name; the real course passes its own policy; and an exercise
written as the README says passes the check and CI's content tests alike."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, copy_project
from quiz import check
from quiz.policy import Policy, load
from test_quiz_validation import GOOD_SINGLE, LESSON, make_project

COURSE_POLICY = (ROOT / "exercises" / "policy.yml").read_text(encoding="utf-8")

# One exercise of each type, on the test lesson's two sections, as the README writes them.
SIX = "exercises:\n" + GOOD_SINGLE + """\
  - id: demo-multiple
    type: multiple
    section: lesson.md#为谁报报什么
    prompt: 哪些值得报送？
    options:
      - text: 新情况
        feedback: 值得。
      - text: 新问题
        feedback: 值得。
      - text: 评功摆好
        feedback: 不值得。
    answer: [A, B]
    explanation: 选 A、B。
  - id: demo-true-false
    type: true_false
    section: lesson.md#为谁报报什么
    prompt: 信息越长越好。
    answer: 错
    feedback:
      对: 不对，长短要看内容。
      错: 对，长短要看内容。
    explanation: 长短要看内容。
  - id: demo-fill
    type: fill
    section: lesson.md#情况要新
    prompt: 调研要到____去。
    blanks: [[第一来源]]
    explanation: 第一来源。
  - id: demo-order
    type: order
    section: lesson.md#情况要新
    prompt: 排出先后。
    items: [调研, 成文, 报送]
    answer: [A, B, C]
    explanation: 先调研。
  - id: demo-open
    type: open
    section: lesson.md#情况要新
    prompt: 写一条信息。
    reference: 参考答案。
    rubric: [有情况, 有分析, 有观点, 用数据说话]
"""

# The course's rules for the test lesson's set, as an instructor would write them.
POLICY = """\
section_minimum: 2
sets:
  default: {minimum: 6, every_type: true, open_minimum: 1}
"""


def run_check(project) -> tuple[int, str]:
    out = io.StringIO()
    code = check.run(project, out=out)
    return code, out.getvalue()


def line_of(text: str, needle: str, after: str = "") -> int:
    start = text.index(after) if after else 0
    return text[: text.index(needle, start)].count("\n") + 1


def test_six_good_exercises_pass_the_policy(tmp_path):
    project = make_project(tmp_path, {"demo.yml": SIX}, policy=POLICY)
    code, out = run_check(project)
    assert code == 0, out


@pytest.mark.parametrize(
    "needle,replacement,after,rule,words",
    [
        ("        feedback: 领导用得上。\n", "", "demo-single", "option_feedback", "选项 B 没有写 feedback"),
        ("      错: 对，长短要看内容。\n", "", "demo-true-false", "true_false_feedback", "缺少学员选“错”时的说明"),
        ("rubric: [有情况, 有分析, 有观点, 用数据说话]", "rubric: [有情况, 有分析]", "demo-open",
         "rubric_minimum", "评分要点有 2 条，课程规则要求 4～6 条"),
    ],
)
def test_an_exercise_rule_broken_is_named_at_its_place(tmp_path, needle, replacement, after, rule, words):
    text = SIX.replace(needle, replacement, 1) if needle in SIX else pytest.fail(needle)
    project = make_project(tmp_path, {"demo.yml": text}, policy=POLICY)
    code, out = run_check(project)
    assert code == 1
    problems = [line for line in out.splitlines() if words in line]
    assert len(problems) == 1, out
    assert rule in problems[0] and "exercises/policy.yml" in problems[0]
    where = "options" if rule == "option_feedback" else ("feedback" if rule == "true_false_feedback" else "rubric")
    expected = line_of(text, f"{where}", after)
    if rule == "option_feedback":
        expected = line_of(text, "- text: 带倾向性的问题", after)
    assert problems[0].startswith(f"exercises/demo.yml:{expected}:"), problems[0]


def drop_exercise(text: str, exercise_id: str) -> str:
    blocks = re.split(r"(?m)^(?=  - id: )", text)
    return "".join(b for b in blocks if not b.startswith(f"  - id: {exercise_id}\n"))


@pytest.mark.parametrize(
    "policy,dropped,words",
    [
        (POLICY.replace("minimum: 6", "minimum: 7"), None, "sets.default.minimum：本组有 6 道题，要求至少 7 道"),
        (POLICY, "demo-order", "sets.default.every_type：本组缺少这些题型：排序题"),
        (POLICY.replace("open_minimum: 1", "open_minimum: 2"), None, "sets.default.open_minimum：本组有 1 道写作练习"),
        (POLICY + "  demo: {minimum: 0, excluded_types: [open]}\n", None, "sets.demo.excluded_types：本组不应有写作练习"),
        (POLICY + "  demo: {score: true}\n", None, "sets.demo.score：本组应显示得分"),
        (POLICY + "  demo: {per_page_minimum: {lesson.md: 7}}\n", None, "sets.demo.per_page_minimum：训练 lesson.md 的题有 6 道"),
    ],
)
def test_a_set_rule_broken_is_named_at_the_file(tmp_path, policy, dropped, words):
    text = drop_exercise(SIX, dropped) if dropped else SIX
    project = make_project(tmp_path, {"demo.yml": text}, policy=policy)
    code, out = run_check(project)
    assert code == 1
    problems = [line for line in out.splitlines() if words in line]
    assert len(problems) == 1, out
    assert problems[0].startswith("exercises/demo.yml:1:"), problems[0]
    assert "修改方法" in problems[0]


def test_a_thin_section_is_named_at_its_heading(tmp_path):
    text = drop_exercise(drop_exercise(SIX, "demo-fill"), "demo-order")
    project = make_project(tmp_path, {"demo.yml": text}, policy=POLICY.replace("every_type: true", "every_type: false")
                           .replace("minimum: 6", "minimum: 1"))
    code, out = run_check(project)
    assert code == 1
    problems = [line for line in out.splitlines() if "section_minimum" in line and "情况要新" in line]
    assert len(problems) == 1, out
    assert problems[0].startswith(f"docs/lesson.md:{line_of(LESSON, '## 情况要新')}:"), problems[0]
    assert "只有 1 道练习，要求至少 2 道" in problems[0]


def test_relaxing_a_rule_in_the_policy_lets_the_exercise_pass(tmp_path):
    text = SIX.replace("        feedback: 领导用得上。\n", "", 1)
    project = make_project(tmp_path, {"demo.yml": text}, policy=POLICY + "option_feedback: false\n")
    assert run_check(project)[0] == 0


@pytest.mark.parametrize(
    "policy,words",
    [
        ("section_minimun: 2\n", "课程规则中没有 section_minimun 这一项。 修改方法：是不是 section_minimum？"),
        ("section_minimum: 两道\n", "section_minimum 应是 0 或正整数"),
        ("option_feedback: 要\n", "option_feedback 只能写 true（要求）或 false（不要求）"),
        ("sets:\n  demo: {excluded_types: [essay]}\n", "excluded_types 应是题型列表"),
        ("rubric_minimum: 7\nrubric_maximum: 6\n", "rubric_minimum 大于 rubric_maximum"),
    ],
)
def test_a_mistake_in_the_policy_file_is_reported_with_its_line(tmp_path, policy, words):
    project = make_project(tmp_path, {"demo.yml": SIX}, policy=policy)
    code, out = run_check(project)
    assert code == 1
    problems = [line for line in out.splitlines() if words in line]
    assert len(problems) == 1, out
    assert problems[0].startswith("exercises/policy.yml:"), problems[0]


def test_defaults_are_the_course_values_and_the_course_file_declares_them():
    # The defaults in code and the course's file agree on every rule the file sets at the top.
    policy, problems = load(ROOT / "exercises", ROOT)
    assert problems == []
    defaults = Policy()
    for name in ("option_feedback", "true_false_feedback", "rubric_minimum", "rubric_maximum", "section_minimum"):
        assert getattr(policy, name) == getattr(defaults, name), name
    assert policy.default_set == defaults.default_set


def test_the_real_course_passes_its_own_policy():
    code, out = run_check(ROOT)
    assert code == 0, out
    assert "练习题检查通过" in out


def test_an_exercise_that_passes_check_passes_ci_content_tests(tmp_path):
    """A README-conformant exercise of each type added to a copy: check and the content tests agree."""
    project = copy_project(tmp_path / "project")
    for name in ("tests", "pytest.ini", "deploy"):
        source = ROOT / name
        if source.is_dir():
            import shutil

            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (project / name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    extra = textwrap.indent(SIX.split("exercises:\n", 1)[1], "").replace("lesson.md#为谁报报什么", "positioning.md#为谁报报什么")
    extra = extra.replace("lesson.md#情况要新", "research.md#情况要新").replace("id: demo-", "id: extra-")
    path = project / "exercises" / "positioning.yml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra, encoding="utf-8")
    code, out = run_check(project)
    assert code == 0, out
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    content = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_exercise_bank.py", "tests/test_course_policy.py::test_the_real_course_passes_its_own_policy",
         "-k", "not instructors"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )
    assert content.returncode == 0, content.stdout[-3000:]


def test_one_mistake_in_the_policy_keeps_the_rest_of_it(project_copy):
    policy = project_copy / "exercises" / "policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8") + "section_minimun: 3\n", encoding="utf-8")
    code, out = run_check(project_copy)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith(("exercises/", "docs/"))]
    assert len(lines) == 1 and "section_minimun" in lines[0], out


def test_the_policy_file_cannot_be_placed_as_a_set(tmp_path):
    lesson = LESSON + "\n<!-- exercises: policy -->\n"
    project = make_project(tmp_path, {"demo.yml": SIX}, lesson=lesson, policy=POLICY)
    code, out = run_check(project)
    assert code == 1
    assert "exercises/policy.yml 是课程规则文件，不是练习文件" in out


def remove_section(text: str, heading: str) -> str:
    return re.sub(rf"^## {re.escape(heading)}\s*$.*?(?=^## |\Z)", "", text, count=1, flags=re.M | re.S)


@pytest.mark.parametrize(
    "page,edit,words",
    [
        ("topics.md", lambda t: remove_section(t, "小结"), "lessons.sections：这一讲缺少“## 小结”一节"),
        ("topics.md", lambda t: re.sub(r"(?m)^3\. ", "- ", t.split("## 思考与讨论", 1)[0]) + "## 思考与讨论"
         + re.sub(r"(?m)^[3-9]\. ", "- ", t.split("## 思考与讨论", 1)[1]), "lessons.discussion_questions"),
        ("research.md", lambda t: t.replace("症结", "问题"), "lessons.key_terms：这一页没有讲到关键表述“症结”"),
        ("positioning.md", lambda t: t[: len(t) // 3] + "\n\n## 练习\n\n<!-- exercises: positioning -->\n",
         "lessons.characters"),
    ],
)
def test_a_lesson_rule_broken_is_named_in_check(project_copy, page, edit, words):
    path = project_copy / "docs" / page
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, out = run_check(project_copy)
    assert code == 1
    found = [line for line in out.splitlines() if words in line]
    assert found and found[0].startswith(f"docs/{page}:"), out
    assert "exercises/policy.yml" in found[0]
