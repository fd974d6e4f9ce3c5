"""The answer keys carry no cue (exercises/policy.yml's balance rules), and the glossary
lists every key term (lessons.glossary).

A trainee who answers 错 to every true/false item, picks the longest option or the
letter most often keyed must do no better than one who reads the question. The rules
live in the product (hooks/quiz/course_rules.py); here a bank that drifts fails
`check` with the message an instructor reads, and the real course passes.
"""

from __future__ import annotations

import io
import re

import pytest

from conftest import ROOT
from quiz import check
from quiz.policy import Policy, load
from test_quiz_validation import LESSON, RELAXED_POLICY, make_project

# Only the rule under test is on: the others take their defaults (off), as in the relaxed policy.
BASE = RELAXED_POLICY


def run_check(project) -> tuple[int, str]:
    out = io.StringIO()
    code = check.run(project, out=out)
    return code, out.getvalue()


def true_false(number: int, answer: str) -> str:
    return f"""\
  - id: tf-{number}
    type: true_false
    section: lesson.md#为谁报报什么
    prompt: 说法 {number}。
    answer: {answer}
    explanation: 说明。
"""


def single(number: int, answer: str, options: list[str]) -> str:
    listed = "".join(f"      - text: {text}\n" for text in options)
    return f"""\
  - id: single-{number}
    type: single
    section: lesson.md#情况要新
    prompt: 问题 {number}。
    options:
{listed}    answer: {answer}
    explanation: 说明。
"""


def bank(*items: str) -> dict:
    return {"demo.yml": "exercises:\n" + "".join(items)}


def problems_with(out: str, words: str) -> list[str]:
    return [line for line in out.splitlines() if words in line]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


EVEN = ["甲方案", "乙方案", "丙方案", "丁方案"]  # four options of one length: no longest


def test_true_false_keyed_mostly_wrong_fails_over_the_whole_bank(tmp_path):
    policy = BASE + "true_answer_share: [0.35, 0.65]\n"
    items = [true_false(n, "错") for n in range(9)] + [true_false(9, "对")]
    code, out = run_check(make_project(tmp_path, bank(*items), policy=policy))
    assert code == 1
    found = problems_with(out, "课程规则 true_answer_share：")
    assert len(found) == 1, out
    assert found[0].startswith(f"exercises/policy.yml:{line_of(policy, 'true_answer_share')}:"), found[0]
    assert "全部练习中判断题 10 道，答案为“对”的 1 道（10%），要求占 35%～65%" in found[0]
    # 0.35 of 10 is 3.5: four must be keyed 对, so three more; the message names some of the 错 ones.
    assert "把至少 3 道答案为“错”的题改写成答案为“对”的说法" in found[0]
    assert "exercises/demo.yml 的 tf-0、tf-1" in found[0]
    assert "确实不需要时，可在 exercises/policy.yml 中修改 true_answer_share" in found[0]


def test_true_false_keyed_too_often_right_fails_too(tmp_path):
    items = [true_false(n, "对") for n in range(7)] + [true_false(n, "错") for n in range(7, 10)]
    code, out = run_check(make_project(tmp_path, bank(*items), policy=BASE + "true_answer_share: [0.35, 0.65]\n"))
    assert code == 1
    found = problems_with(out, "答案为“对”的 7 道（70%），要求占 35%～65%")
    assert len(found) == 1, out
    assert "学员一律答“对”就能得大半的分" in found[0]
    assert "把至少 1 道答案为“对”的题改写成答案为“错”的说法" in found[0]


def test_shares_at_the_bounds_pass_exactly(tmp_path):
    # 7 of 20 is 0.35 exactly (a float product would make it 7.000000000000001).
    items = [true_false(n, "对") for n in range(7)] + [true_false(n, "错") for n in range(7, 20)]
    code, out = run_check(make_project(tmp_path, bank(*items), policy=BASE + "true_answer_share: [0.35, 0.65]\n"))
    assert code == 0, out


def test_a_key_that_is_the_longest_option_too_often_fails(tmp_path):
    items = [single(n, "B", ["短", "这个答案写得最长最具体", "也短", "短的"]) for n in range(3)]
    items += [single(n, "A", EVEN) for n in range(3, 6)]
    policy = BASE + "longest_answer_share: 0.35\n"
    code, out = run_check(make_project(tmp_path, bank(*items), policy=policy))
    assert code == 1
    found = problems_with(out, "课程规则 longest_answer_share：")
    assert len(found) == 1, out
    assert found[0].startswith(f"exercises/policy.yml:{line_of(policy, 'longest_answer_share')}:")
    assert "单选题 6 道，答案恰是最长选项的 3 道（50%），要求不超过 35%" in found[0]
    assert "把至少 1 道题的干扰项写得和答案一样具体、一样长" in found[0]
    assert "exercises/demo.yml 的 single-0、single-1、single-2" in found[0] and "single-3" not in found[0]


def test_a_tie_for_longest_and_emphasis_marks_give_no_cue(tmp_path):
    # The key ties with another option once spaces and ** are left out: not strictly longest.
    items = [single(n, "B", ["甲乙丙丁", "\"**甲乙 丙丁**\"", "甲", "乙"]) for n in range(4)]
    code, out = run_check(make_project(tmp_path, bank(*items), policy=BASE + "longest_answer_share: 0.35\n"))
    assert code == 0, out


def test_one_letter_keyed_too_often_fails(tmp_path):
    items = [single(n, "C", EVEN) for n in range(5)] + [single(n, "ABD"[n % 3], EVEN) for n in range(5, 10)]
    policy = BASE + "answer_letter_share: 0.4\n"
    code, out = run_check(make_project(tmp_path, bank(*items), policy=policy))
    assert code == 1
    found = problems_with(out, "课程规则 answer_letter_share：")
    assert len(found) == 1, out
    assert "单选题 10 道，答案为 C 的 5 道（50%），要求每个字母不超过 40%" in found[0]
    assert "调换至少 1 道题的选项顺序" in found[0]


def test_a_letter_never_keyed_fails(tmp_path):
    items = [single(n, "ABC"[n % 3], EVEN) for n in range(9)]
    # One odd two-option item does not make D optional: most items offer A to D.
    items.append(single(9, "A", ["甲方案", "乙方案"]))
    policy = BASE + "every_answer_letter: true\n"
    code, out = run_check(make_project(tmp_path, bank(*items), policy=policy))
    assert code == 1
    found = problems_with(out, "课程规则 every_answer_letter：")
    assert len(found) == 1, out
    assert "单选题大多有 A～D 这些选项，但答案从来不是 D" in found[0]


def test_the_rules_hold_per_set_named_at_the_file(tmp_path):
    policy = BASE + "  demo: {true_answer_share: [0.35, 0.65], answer_letter_share: 0.4}\n"
    items = [true_false(n, "错") for n in range(4)] + [single(n, "A", EVEN) for n in range(3)]
    code, out = run_check(make_project(tmp_path, bank(*items), policy=policy))
    assert code == 1
    tf = problems_with(out, "课程规则 sets.demo.true_answer_share：本组判断题 4 道，答案为“对”的 0 道（0%）")
    letter = problems_with(out, "课程规则 sets.demo.answer_letter_share：本组单选题 3 道，答案为 A 的 3 道（100%）")
    assert len(tf) == 1 and len(letter) == 1, out
    assert tf[0].startswith("exercises/demo.yml:1:") and letter[0].startswith("exercises/demo.yml:1:")
    assert "确实不需要时，可在 exercises/policy.yml 中修改 sets.demo.true_answer_share" in tf[0]


def test_the_rules_are_off_by_default(tmp_path):
    items = [true_false(n, "错") for n in range(5)] + [single(n, "A", ["短", "长一些的选项", "中等"]) for n in range(5)]
    code, out = run_check(make_project(tmp_path, bank(*items), policy=BASE))
    assert code == 0, out
    defaults = Policy()
    assert defaults.true_answer_share == (0, 1) and defaults.every_answer_letter is False
    assert defaults.longest_answer_share == 1 and defaults.answer_letter_share == 1
    assert defaults.lessons.glossary == ""


@pytest.mark.parametrize(
    "policy,words",
    [
        ("true_answer_share: [0.7, 0.3]\n", "true_answer_share 应写成 [最低, 最高] 两个 0～1 之间的比例"),
        ("true_answer_share: 0.5\n", "true_answer_share 应写成 [最低, 最高] 两个 0～1 之间的比例"),
        ("answer_letter_share: 40%\n", "answer_letter_share 应是 0～1 之间的比例，如 0.4"),
        ("longest_answer_share: 2\n", "longest_answer_share 应是 0～1 之间的比例"),
        ("every_answer_letter: 是\n", "every_answer_letter 只能写 true（要求）或 false（不要求）"),
        ("lessons:\n  glossary: 术语表\n", "glossary 应是术语表页面的文件名"),
    ],
)
def test_a_mistake_in_a_balance_option_is_reported_with_its_line(tmp_path, policy, words):
    project = make_project(tmp_path, bank(true_false(0, "错")), policy=BASE + policy)
    code, out = run_check(project)
    assert code == 1
    found = problems_with(out, words)
    assert len(found) == 1, out
    assert found[0].startswith(f"exercises/policy.yml:{line_of(BASE + policy, policy.splitlines()[-1].strip())}:")


# --- the real course ---------------------------------------------------------------------

def test_the_course_policy_turns_the_balance_rules_on():
    policy, problems = load(ROOT / "exercises", ROOT)
    assert problems == []
    low, high = policy.true_answer_share
    assert 0 < low <= 0.4 and 0.6 <= high < 1
    assert 0 < policy.longest_answer_share <= 0.4
    assert 0 < policy.answer_letter_share <= 0.4
    assert policy.every_answer_letter
    # The scored final quiz is balanced on its own too.
    final = policy.for_set("final")
    assert final.true_answer_share == policy.true_answer_share and final.every_answer_letter
    # And the glossary is held to the key terms.
    assert policy.lessons.glossary == "glossary.md"


def test_the_real_course_passes_the_balance_rules():
    code, out = run_check(ROOT)
    assert not [line for line in out.splitlines() if "_answer_" in line], out


def flip_true_false(text: str, to: str) -> str:
    return re.sub(r"(?m)^(    answer: )[对错]$", rf"\g<1>{to}", text)


def test_the_real_bank_drifting_fails_check(project_copy):
    """Every true/false key of the course turned to 错, as the bank once was: check fails and says so."""
    for path in (project_copy / "exercises").glob("*.yml"):
        path.write_text(flip_true_false(path.read_text(encoding="utf-8"), "错"), encoding="utf-8")
    code, out = run_check(project_copy)
    assert code == 1
    found = problems_with(out, "课程规则 true_answer_share：全部练习中判断题")
    assert len(found) == 1 and "答案为“对”的 0 道（0%）" in found[0], out
    assert problems_with(out, "课程规则 sets.final.true_answer_share：本组判断题"), out


def test_the_real_bank_keyed_to_one_letter_fails_check(project_copy):
    """Every single-choice key moved to A (options left in place): the letter rules catch it."""
    for path in (project_copy / "exercises").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        blocks = re.split(r"(?m)^(?=  - id: )", text)
        blocks = [re.sub(r"(?m)^    answer: [B-H]$", "    answer: A", b) if "\n    type: single\n" in b else b
                  for b in blocks]
        path.write_text("".join(blocks), encoding="utf-8")
    code, out = run_check(project_copy)
    assert code == 1
    assert problems_with(out, "课程规则 answer_letter_share：全部练习中单选题"), out
    assert problems_with(out, "课程规则 every_answer_letter：全部练习中单选题大多有 A～D 这些选项，但答案从来不是 B、C、D"), out


# --- the glossary ------------------------------------------------------------------------

GLOSSARY = """\
# 术语表

| 术语 | 释义 | 出处 |
| --- | --- | --- |
| 为谁报、报什么 | 先想读者。 | [为谁报](lesson.md#为谁报报什么) |
| 第一 来源 | 亲历者。 | [情况要新](lesson.md#情况要新) |

| 缩写 | 全称 |
| --- | --- |
| 情况要新 | 不算：这一栏不是“术语” |
"""


def glossary_project(tmp_path, terms: str, glossary: str = GLOSSARY, named: str = "glossary.md"):
    policy = BASE + f"lessons:\n  key_terms: {{lesson.md: [{terms}]}}\n  glossary: {named}\n"
    project = make_project(tmp_path, {"demo.yml": "exercises:\n" + true_false(0, "错")}, policy=policy)
    (project / "docs" / "glossary.md").write_text(glossary, encoding="utf-8")
    return project


def test_every_key_term_in_the_glossary_passes(tmp_path):
    # 为谁报 is inside a listed term; 第一来源 equals one once spaces are ignored.
    lesson_terms = "为谁报, 第一来源"
    project = glossary_project(tmp_path, lesson_terms)
    (project / "docs" / "lesson.md").write_text(LESSON + "\n第一来源。\n", encoding="utf-8")
    code, out = run_check(project)
    assert code == 0, out


def test_a_key_term_missing_from_the_glossary_is_named_with_the_page_requiring_it(tmp_path):
    project = glossary_project(tmp_path, "为谁报, 情况要新")
    code, out = run_check(project)
    assert code == 1
    found = problems_with(out, "课程规则 lessons.glossary：")
    assert len(found) == 1, out
    assert found[0].startswith(f"docs/glossary.md:{line_of(GLOSSARY, '| 术语 |')}:"), found[0]
    assert "术语表的“术语”一栏没有“情况要新”，docs/lesson.md 要求讲到它" in found[0]
    assert "在术语表中加一行“| 情况要新 | 释义 | 出处 |”" in found[0]


def test_a_glossary_page_that_is_missing_or_has_no_term_column_is_said(tmp_path):
    code, out = run_check(glossary_project(tmp_path / "a", "为谁报", named="terms.md"))
    assert code == 1 and problems_with(out, "课程规则指定的术语表 docs/terms.md 不存在"), out
    code, out = run_check(glossary_project(tmp_path / "b", "为谁报", glossary="# 术语表\n\n没有表格。\n"))
    assert code == 1 and problems_with(out, "术语表中没有表头含“术语”一栏的表格"), out


def test_without_a_glossary_named_the_rule_is_off(tmp_path):
    project = glossary_project(tmp_path, "情况要新")
    policy = project / "exercises" / "policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("  glossary: glossary.md\n", ""), encoding="utf-8")
    code, out = run_check(project)
    assert code == 0, out


def test_the_real_glossary_losing_a_key_term_fails_check(project_copy):
    """症结 is a key term of 第三讲: its glossary row gone, check names the term and the page."""
    glossary = project_copy / "docs" / "glossary.md"
    lines = glossary.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("| 症结 |")]
    assert len(kept) == len(lines) - 1
    glossary.write_text("".join(kept), encoding="utf-8")
    code, out = run_check(project_copy)
    assert code == 1
    found = problems_with(out, "课程规则 lessons.glossary：")
    assert len(found) == 1, out
    assert found[0].startswith("docs/glossary.md:")
    assert "没有“症结”，docs/research.md 要求讲到它" in found[0]
