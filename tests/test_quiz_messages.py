"""Messages of the YAML layer point at the line of the mistake and name its cause in Chinese.

Each case is one small exercise file with one typical slip; the test asserts
the line reported (where the mistake is, not where the parser noticed it),
the cause in Chinese and the fix.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_quiz_fuzz import problems_of as problems_of_text
from test_quiz_hostile_files import TARGET_EXTRA_MB, TARGET_SECONDS, bank_with, load_in_child, write
from test_quiz_validation import GOOD_SINGLE, LESSON, check, make_project

TRUE_FALSE = """\
  - id: demo-judge
    type: true_false
    section: lesson.md#为谁报报什么
    prompt: 会议简讯值得报送。
    answer: 错
    explanation: 只说开了会。
"""


def problems_of(tmp_path, body: str, lesson: str = LESSON) -> list:
    """The problems of a project whose one exercise file is `exercises:` followed by `body`."""
    return check(make_project(tmp_path, {"demo.yml": "exercises:\n" + body}, lesson=lesson))


def only(tmp_path, body: str):
    problems = problems_of(tmp_path, body)
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


# -- syntax errors: the line of the mistake -------------------------------------

def test_missing_colon_is_reported_on_its_line_not_where_the_parser_stops(tmp_path):
    # The prompt runs on to a second line: the parser notices two lines further down.
    body = GOOD_SINGLE.replace("    prompt: 哪一条值得报送？\n", "    prompt 哪一条\n      值得报送？\n")
    problem = only(tmp_path, body)
    assert (problem.line, problem.column) == (5, 5)
    assert problem.format().startswith("exercises/demo.yml:5:5：[文件] YAML 格式错误：")
    assert "漏了冒号" in problem.message and "第 7 行" in problem.message
    assert "半角冒号" in problem.fix and "prompt: 哪一条" in problem.fix


def test_missing_colon_after_the_first_field_of_an_item(tmp_path):
    # `- id demo-single` runs on into `type: single`: PyYAML complains at line 3.
    problem = only(tmp_path, GOOD_SINGLE.replace("  - id: demo-single", "  - id demo-single"))
    assert (problem.line, problem.column) == (2, 5)
    assert "漏了冒号" in problem.message and "第 3 行" in problem.message


def test_missing_colon_on_the_top_level_field(tmp_path):
    problem = check(make_project(tmp_path, {"demo.yml": "exercises\n" + GOOD_SINGLE}))[0]
    assert problem.line == 1 and "漏了冒号" in problem.message


def test_unclosed_quote_is_reported_where_it_opens_and_names_the_end(tmp_path):
    body = GOOD_SINGLE.replace("prompt: 哪一条值得报送？", 'prompt: "哪一条值得报送？')
    problem = only(tmp_path, body)
    assert (problem.line, problem.column) == (5, 13)
    assert '引号 " 没有配对' in problem.message and "文件末尾（第 13 行）" in problem.message
    assert '补上配对的 "' in problem.fix


def test_unclosed_quote_that_a_later_quote_closes(tmp_path):
    body = GOOD_SINGLE.replace("prompt: 哪一条值得报送？", "prompt: '哪一条值得报送？").replace(
        "answer: B", "answer: 'B'")
    problem = only(tmp_path, body)
    assert (problem.line, problem.column) == (5, 13)
    assert "第 11 行的 ' 才结束" in problem.message


def test_quote_that_ends_inside_the_text(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("prompt: 哪一条值得报送？", 'prompt: "哪一条"值得报送？'))
    assert problem.line == 5 and "引号在文字中间就结束了" in problem.message and "中文引号" in problem.fix


def test_tab_indentation_is_named(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("    type: single", "\ttype: single"))
    assert (problem.line, problem.column) == (3, 1)
    assert "制表符（Tab）缩进，YAML 只能用空格" in problem.message


@pytest.mark.parametrize("old, new, line, column", [
    ("    prompt: 哪一条值得报送？", "    prompt：哪一条值得报送？", 5, 11),
    ("  - id: demo-single", "  - id：demo-single", 2, 7),
    ("      - text: 会议简讯", "      - text：会议简讯", 7, 13),
])
def test_full_width_colon_after_a_field_name(tmp_path, old, new, line, column):
    problem = only(tmp_path, GOOD_SINGLE.replace(old, new))
    assert (problem.line, problem.column) == (line, column)
    assert "全角冒号“：”，应改为半角冒号“:”加一个空格" in problem.message


def test_full_width_colon_in_a_value_that_stays_valid_yaml(tmp_path):
    # An option without feedback: `- text：会议简讯` is a list item holding a text, not a field.
    body = GOOD_SINGLE.replace("      - text: 会议简讯\n        feedback: 只说开了会。\n", "      - text：会议简讯\n")
    problem = only(tmp_path, body)
    assert (problem.line, problem.field) == (7, "options")
    assert "全角冒号" in problem.message


def test_full_width_colon_on_a_line_read_as_the_text_before_it(tmp_path):
    # One line too far right and with "：", explanation runs on from the answer: no YAML error.
    body = GOOD_SINGLE.replace("    explanation: 选 B。\n", "").replace("    answer: B\n", "    answer: B\n      explanation：选 B。\n")
    problems = problems_of(tmp_path, body)
    assert [(p.line, p.field) for p in problems] == [(2, "exercises"), (11, "answer")], [p.format() for p in problems]
    assert all("全角冒号" in p.message for p in problems)
    assert "缺少必填字段 explanation" in problems[0].message


def test_unquoted_colon_in_text(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("prompt: 哪一条值得报送？", "prompt: 注意: 哪一条值得报送？"))
    assert (problem.line, problem.column) == (5, 15)
    assert "“: ”（冒号加空格）" in problem.message
    assert 'prompt: "注意: 哪一条值得报送？"' in problem.fix


def test_text_that_starts_with_a_bracket(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("prompt: 哪一条值得报送？", "prompt: [重要] 哪一条值得报送？"))
    assert problem.line == 5 and "以“[”开头" in problem.message
    assert 'prompt: "[重要] 哪一条值得报送？"' in problem.fix


@pytest.mark.parametrize("sign", ["@", "`", "|", "!"])
def test_text_that_starts_with_a_reserved_sign(tmp_path, sign):
    problem = only(tmp_path, GOOD_SINGLE.replace("prompt: 哪一条值得报送？", f"prompt: {sign}领导 哪一条？"))
    assert (problem.line, problem.column) == (5, 13)
    assert f"以“{sign}”开头" in problem.message and "加上引号" in problem.fix


def test_unclosed_bracket_is_reported_where_it_opens(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("answer: B", "answer: [B"))
    assert (problem.line, problem.column) == (11, 13)
    assert "“[”没有配对的“]”" in problem.message and "第 12 行" in problem.message


def test_list_item_out_of_line(tmp_path):
    body = GOOD_SINGLE.replace("      - text: 带倾向性的问题", "     - text: 带倾向性的问题")
    problem = only(tmp_path, body)
    assert problem.line == 9 and "没有对齐" in problem.message and "左端对齐" in problem.fix


def test_control_character_the_reader_refuses(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("哪一条值得报送？", "哪一条\x0c值得报送？"))
    assert (problem.line, problem.column) == (5, 16)
    assert "控制字符 U+000C" in problem.message


# -- values YAML reads as something else than text ------------------------------

@pytest.mark.parametrize("written, read_as", [
    ("yes", "布尔值 true（是）"),
    ("no", "布尔值 false（否）"),
    ("on", "布尔值 true（是）"),
    ("010", "数字 8"),
    ("1:30", "数字 90"),
    ("0.5", "数字 0.5"),
    ("2024-01-01", "日期"),
])
def test_value_read_as_another_type_says_what_and_how_to_quote(tmp_path, written, read_as):
    problem = only(tmp_path, GOOD_SINGLE.replace("explanation: 选 B。", f"explanation: {written}"))
    assert (problem.line, problem.field, problem.exercise_id) == (12, "explanation", "demo-single")
    assert f"“{written}”被 YAML 读成了{read_as}" in problem.message
    assert "标签" not in problem.message
    assert f'"{written}"' in problem.fix


def test_date_in_a_list_of_texts(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE + "    tags: [要素, 2024-01-01]\n")
    assert (problem.line, problem.field) == (13, "tags")
    assert "“2024-01-01”被 YAML 读成了日期" in problem.message


def test_explicit_timestamp_tag_is_still_a_tag(tmp_path):
    body = GOOD_SINGLE.replace("explanation: 选 B。", "explanation: !!timestamp 2024-01-01")
    problem = only(tmp_path, body)
    assert problem.line == 12 and "!!timestamp" in problem.message


def test_true_false_answer_read_as_a_boolean(tmp_path):
    problem = only(tmp_path, TRUE_FALSE.replace("answer: 错", "answer: yes"))
    assert (problem.line, problem.field) == (6, "answer")
    assert "“yes”被 YAML 读成了布尔值 true（是）" in problem.message and "对 或 错" in problem.message
    assert "对" in problem.fix


def test_empty_value_says_nothing_is_written(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("explanation: 选 B。", "explanation:"))
    assert (problem.line, problem.field) == (12, "explanation")
    assert "没有填写内容" in problem.message and "null" not in problem.message


def test_text_cut_by_a_comment_sign(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("section: lesson.md#为谁报报什么", "section: lesson.md #为谁报报什么"))
    assert (problem.line, problem.field) == (4, "section")
    assert "“#为谁报报什么”被 YAML 当成了注释" in problem.message


def test_answer_cut_by_a_comment_sign(tmp_path):
    problem = only(tmp_path, GOOD_SINGLE.replace("answer: B", "answer: #B"))
    assert (problem.line, problem.field) == (11, "answer")
    assert "当成了注释" in problem.message


# -- answer letters ---------------------------------------------------------------

@pytest.mark.parametrize("written", ["b", "Ｂ", "ｂ"])
def test_answer_letter_in_lower_case_or_full_width(tmp_path, written):
    problem = only(tmp_path, GOOD_SINGLE.replace("answer: B", f"answer: {written}"))
    assert (problem.line, problem.field) == (11, "answer")
    assert "大写半角字母" in problem.message and "B" in problem.fix


def test_multiple_choice_letters_in_lower_case(tmp_path):
    body = GOOD_SINGLE.replace("type: single", "type: multiple").replace("answer: B", "answer: [a, B]")
    problem = only(tmp_path, body)
    assert (problem.line, problem.field) == (11, "answer")
    assert "“a”" in problem.message and "大写半角字母" in problem.message and "A" in problem.fix


# -- what reaches the terminal ------------------------------------------------------

def test_escape_sequences_in_values_never_reach_the_terminal(tmp_path):
    body = GOOD_SINGLE.replace("type: single", 'type: "\\e[2J\\e[31msingle"') + '    "\\e]0;x\\a": 1\n'
    problems = problems_of(tmp_path, body)
    assert len(problems) == 2, [p.format() for p in problems]
    for problem in problems:
        assert "\x1b" not in problem.format() and "\x07" not in problem.format()
    assert "[2J[31msingle" in problems[0].format()


def test_a_problem_with_the_exercises_field_is_no_shortcode_problem(tmp_path):
    problem = check(make_project(tmp_path, {"demo.yml": "exercises: [1]\n"}, lesson="# 空\n"))[0]
    assert problem.format().startswith("exercises/demo.yml:1:13：[文件] 字段 exercises：")


def test_shortcode_problems_keep_their_marker(tmp_path):
    lesson = LESSON.replace("exercises: demo", "exercises: dmeo")
    problems = check(make_project(tmp_path, {"demo.yml": "exercises:\n" + GOOD_SINGLE}, lesson=lesson))
    shortcode = [p for p in problems if p.path == "docs/lesson.md"]
    assert shortcode and shortcode[0].format().startswith("docs/lesson.md:11:1：[短代码] 没有练习文件")


# -- any slip: a problem inside the file, never a crash ------------------------------

# The line breaks YAML counts (libyaml: NEL, LS and PS too), to bound the lines reported.
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
SLIPS = [":", '"', "'", "\t", "[", "]", "{", "#", " #", "：", " ", "  ", "\n", "- ", "@", "|", "\\", "\x0c", "---\n", ""]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10**4), st.sampled_from(SLIPS), st.booleans()), min_size=1, max_size=3))
def test_any_slip_in_a_good_file_gives_problems_that_point_into_it(slips):
    text = "exercises:\n" + GOOD_SINGLE
    for position, slip, replace in slips:
        at = position % (len(text) + 1)
        text = text[:at] + slip + text[at + (1 if replace else 0):]
    lines = len(LINE_BREAK.split(text))
    for problem in problems_of_text(text):
        assert 1 <= problem.line <= lines and problem.column >= 1
        assert "\x1b" not in problem.format() and "\x0c" not in problem.format()


# -- a slip in a large file: diagnosed within the targets of the hostile-file tests -------

LONG = 900_000
LARGE_SLIPS = {
    "colon-in-text-then-spaces": ("exercises:\n  - prompt: 注意: a" + " " * LONG + "b\n", 2, "“: ”（冒号加空格）"),
    "missing-colon-then-spaces": ("exercises:\n  - id: a\n    prompt 这" + " " * LONG + "b\n    type: x\n", 3, "漏了冒号"),
    "text-running-on": ("exercises:\n" + "  a\n" * (LONG // 4) + "  b: c\n", 2, "漏了冒号"),
    "quote-swallowing-fields": (
        'exercises:\n  - prompt: "题干\n' + "    type: single\n" * (LONG // 17) + '    answer: "B"\n', 2, "才结束"),
    "control-character-late": ("exercises:\n" + "# 注\n" * (LONG // 6) + "  - prompt: \x0c\n", LONG // 6 + 2, "U+000C"),
}


@pytest.mark.parametrize("case", sorted(LARGE_SLIPS))
def test_a_slip_in_a_large_file_is_found_within_the_targets(case, tmp_path):
    text, line, expected = LARGE_SLIPS[case]
    assert len(text.encode()) < 1_000_000
    report = load_in_child(bank_with(tmp_path, {"x.yml": write(text)}))
    print(f"{case}: {report['seconds']:.3f} s CPU, +{report['extra_mb']:.1f} MB")
    assert len(report["problems"]) == 1, report["problems"][:3]
    assert report["problems"][0].startswith(f"exercises/x.yml:{line}:") and expected in report["problems"][0]
    assert report["seconds"] < TARGET_SECONDS and report["extra_mb"] < TARGET_EXTRA_MB
