"""The exercise validator: one small bad file per rule, the message checked for
file, line, exercise id, field and a fix."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from quiz.session import QuizSession

LESSON = """# 示例课

## 为谁报、报什么

正文。

## 情况要新

正文。

<!-- exercises: demo -->
"""

GOOD_SINGLE = """\
  - id: demo-single
    type: single
    section: lesson.md#为谁报报什么
    prompt: 哪一条值得报送？
    options:
      - text: 会议简讯
        feedback: 只说开了会。
      - text: 带倾向性的问题
        feedback: 领导用得上。
    answer: B
    explanation: 选 B。
"""


# The course's policy asks a lot of a whole course (15 exercises a lesson …); a test of
# one format rule on one small file relaxes it, and tests of the policy set their own.
RELAXED_POLICY = """\
option_feedback: false
true_false_feedback: false
rubric_minimum: 0
rubric_maximum: 100
section_minimum: 0
sets:
  default: {minimum: 0, every_type: false, open_minimum: 0}
"""


def make_project(tmp_path: Path, files: dict[str, str | bytes], lesson: str = LESSON,
                 policy: str | None = RELAXED_POLICY) -> Path:
    project = tmp_path / "course"
    (project / "docs").mkdir(parents=True)
    (project / "exercises").mkdir()
    shutil.copy(ROOT / "exercises" / "schema.json", project / "exercises" / "schema.json")
    if policy is not None:
        (project / "exercises" / "policy.yml").write_text(policy, encoding="utf-8")
    (project / "docs" / "lesson.md").write_text(lesson, encoding="utf-8")
    for name, content in files.items():
        target = project / "exercises" / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")
    return project


def check(project: Path) -> list:
    session = QuizSession(project)
    for page in sorted((project / "docs").rglob("*.md")):
        session.scan_page(page.relative_to(project / "docs").as_posix(), page.read_text(encoding="utf-8"))
    return session.finish()


def one_problem(project: Path):
    problems = check(project)
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


def demo(body: str) -> dict[str, str]:
    return {"demo.yml": "exercises:\n" + body}


def test_a_good_file_has_no_problem(tmp_path):
    assert check(make_project(tmp_path, demo(GOOD_SINGLE))) == []


def test_duplicate_key_is_reported_with_both_lines(tmp_path):
    body = GOOD_SINGLE.replace("    answer: B\n", "    answer: B\n    answer: A\n")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert (problem.path, problem.line, problem.field) == ("exercises/demo.yml", 12, "answer")
    assert "重复" in problem.message and "第 11 行" in problem.message
    assert problem.fix


def test_object_constructing_tag_is_refused(tmp_path):
    body = GOOD_SINGLE.replace("prompt: 哪一条值得报送？", "prompt: !!python/object/apply:os.system [echo]")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert (problem.line, problem.field) == (5, "prompt")
    assert "!!python/object/apply:os.system" in problem.message


def test_gbk_file_is_refused_with_advice_to_resave(tmp_path):
    files = {"demo.yml": ("exercises:\n" + GOOD_SINGLE).encode("gbk")}
    problems = check(make_project(tmp_path, files, lesson="# 空\n"))
    assert len(problems) == 1
    assert problems[0].path == "exercises/demo.yml"
    assert "UTF-8" in problems[0].message and "GBK" in problems[0].message
    assert "另存为" in problems[0].fix


def test_byte_order_mark_is_tolerated(tmp_path):
    files = {"demo.yml": "\ufeffexercises:\n".encode("utf-8") + GOOD_SINGLE.encode("utf-8")}
    assert check(make_project(tmp_path, files)) == []


def test_yaml_syntax_error_names_the_line(tmp_path):
    body = GOOD_SINGLE.replace("    answer: B\n", "    answer: [B\n")
    problem = one_problem(make_project(tmp_path, demo(body), lesson="# 空\n"))
    assert problem.path == "exercises/demo.yml" and problem.line >= 11
    assert "YAML 格式错误" in problem.message and "缩进" in problem.fix


def test_missing_required_field(tmp_path):
    body = GOOD_SINGLE.replace("    explanation: 选 B。\n", "")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert (problem.exercise_id, problem.line) == ("demo-single", 2)
    assert "explanation" in problem.message


def test_misspelt_field_gets_a_suggestion(tmp_path):
    body = GOOD_SINGLE.replace("    hint", "    hint").replace("    explanation:", "    explanatoin:")
    problems = check(make_project(tmp_path, demo(body)))
    unknown = [p for p in problems if "不认识" in p.message]
    assert unknown and unknown[0].field == "explanatoin" and unknown[0].line == 12
    assert "explanation" in unknown[0].fix


def test_unknown_type_lists_the_choices(tmp_path):
    body = GOOD_SINGLE.replace("type: single", "type: 单选")
    problem = check(make_project(tmp_path, demo(body)))[0]
    assert (problem.field, problem.line, problem.exercise_id) == ("type", 3, "demo-single")
    assert "single" in problem.fix and "multiple" in problem.fix


def test_bad_id_pattern(tmp_path):
    body = GOOD_SINGLE.replace("id: demo-single", "id: Demo Single")
    problems = check(make_project(tmp_path, demo(body)))
    assert any(p.field == "id" and "小写" in p.fix for p in problems)


def test_ids_are_unique_across_files(tmp_path):
    files = {"demo.yml": "exercises:\n" + GOOD_SINGLE, "other.yml": "exercises:\n" + GOOD_SINGLE}
    lesson = LESSON + "\n<!-- exercises: other -->\n"
    problem = one_problem(make_project(tmp_path, files, lesson=lesson))
    assert (problem.path, problem.field, problem.exercise_id) == ("exercises/other.yml", "id", "demo-single")
    assert "exercises/demo.yml:2" in problem.message


def test_single_answer_must_be_an_option(tmp_path):
    body = GOOD_SINGLE.replace("answer: B", "answer: E")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert (problem.field, problem.line, problem.column) == ("answer", 11, 5)
    assert "E" in problem.message and "A～B" in problem.fix


def test_single_choice_has_exactly_one_answer(tmp_path):
    body = GOOD_SINGLE.replace("answer: B", "answer: [A, B]")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert problem.field == "answer" and "单选题" in problem.fix


MULTIPLE = """\
  - id: demo-multiple
    type: multiple
    section: lesson.md#情况要新
    prompt: 哪些做法能让情况更新？
    options:
      - text: 深入一线
      - text: 大数据调查
      - text: 照抄去年材料
    answer: [A, D]
    explanation: A、B。
"""


def test_multiple_answers_must_be_options(tmp_path):
    problem = one_problem(make_project(tmp_path, demo(MULTIPLE)))
    assert (problem.field, problem.line, problem.exercise_id) == ("answer", 10, "demo-multiple")
    assert "D" in problem.message


def test_multiple_choice_needs_two_options(tmp_path):
    body = MULTIPLE.replace("      - text: 大数据调查\n      - text: 照抄去年材料\n", "").replace("[A, D]", "[A]")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert problem.field == "options" and "至少要有 2 项" in problem.message


def test_multiple_choice_needs_an_answer(tmp_path):
    problem = one_problem(make_project(tmp_path, demo(MULTIPLE.replace("[A, D]", "[]"))))
    assert problem.field == "answer" and "至少要有 1 项" in problem.message


ORDER = """\
  - id: demo-order
    type: order
    section: lesson.md#情况要新
    prompt: 排出顺序。
    items: [调研, 分析, 成稿]
    answer: [A, B, B]
    explanation: 先调研。
"""


def test_order_answer_is_a_permutation(tmp_path):
    problem = one_problem(make_project(tmp_path, demo(ORDER)))
    assert (problem.field, problem.line) == ("answer", 7)
    assert "缺少 C" in problem.message and "重复 B" in problem.message


FILL = """\
  - id: demo-fill
    type: fill
    section: lesson.md#情况要新
    prompt: 信息要有情况、有____、有观点。
    blanks: [[分析], [观点]]
    explanation: 三要素。
"""


def test_fill_blank_count_matches_the_prompt(tmp_path):
    problem = one_problem(make_project(tmp_path, demo(FILL)))
    assert problem.field == "blanks" and "1 个空" in problem.message and "2 组" in problem.message


def test_field_of_another_type_is_reported(tmp_path):
    body = FILL.replace("[[分析], [观点]]", "[[分析]]") + "    options:\n      - text: 甲\n      - text: 乙\n"
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert problem.field == "options" and "填空题不用" in problem.message


def test_section_page_must_exist(tmp_path):
    body = GOOD_SINGLE.replace("lesson.md#", "lessons.md#")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert (problem.field, problem.line) == ("section", 4) and "lessons.md" in problem.message


def test_section_anchor_must_exist(tmp_path):
    body = GOOD_SINGLE.replace("#为谁报报什么", "#为谁报、报什么")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert problem.field == "section" and "#为谁报、报什么" in problem.message
    assert "去掉标点" in problem.fix


def test_shortcode_must_name_an_existing_file(tmp_path):
    lesson = LESSON.replace("exercises: demo", "exercises: dmeo")
    problems = check(make_project(tmp_path, demo(GOOD_SINGLE), lesson=lesson))
    shortcode = [p for p in problems if p.path == "docs/lesson.md"]
    assert shortcode and shortcode[0].line == 11 and "dmeo" in shortcode[0].message
    assert "demo" in shortcode[0].fix
    # …and the exercise is then shown nowhere.
    assert any("没有任何页面" in p.message for p in problems)


def test_shortcode_must_name_an_existing_exercise(tmp_path):
    lesson = LESSON + "\n<!-- exercise: demo-singel -->\n"
    problem = one_problem(make_project(tmp_path, demo(GOOD_SINGLE), lesson=lesson))
    assert problem.path == "docs/lesson.md" and "demo-singel" in problem.message
    assert "demo-single" in problem.fix


def test_shortcode_in_a_code_block_is_ignored(tmp_path):
    lesson = LESSON + "\n```\n<!-- exercise: nowhere -->\n```\n"
    assert check(make_project(tmp_path, demo(GOOD_SINGLE), lesson=lesson)) == []


def test_exercise_that_no_page_shows_is_reported(tmp_path):
    problem = one_problem(make_project(tmp_path, demo(GOOD_SINGLE), lesson="# 课\n\n## 为谁报、报什么\n"))
    assert problem.exercise_id == "demo-single" and "没有任何页面" in problem.message
    assert "<!-- exercise: demo-single -->" in problem.fix


def test_all_problems_are_reported_at_once_in_file_order(tmp_path):
    files = {
        "demo.yml": "exercises:\n" + GOOD_SINGLE.replace("answer: B", "answer: E") + MULTIPLE + ORDER,
    }
    problems = check(make_project(tmp_path, files))
    assert len(problems) == 3
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    for p in problems:
        text = p.format()
        assert text.startswith(f"exercises/demo.yml:{p.line}:{p.column}：[练习 {p.exercise_id}] 字段 {p.field}：")
        assert "修改方法：" in text


def test_a_broken_exercise_shows_as_a_notice_while_previewing(tmp_path):
    # mkdocs serve keeps going: the page shows where the broken exercise would be.
    body = GOOD_SINGLE.replace("answer: B", "answer: E")
    session = QuizSession(make_project(tmp_path, demo(body)))
    html = session.expand("<p>前文</p>\n<!-- exercises: demo -->", lambda page: "../lesson/")
    assert 'class="quiz quiz--broken"' in html and "demo-single 有错误" in html
    assert 'data-quiz-id="demo-single"' not in html


# -- the order of the options: shuffle and pin ------------------------------------------

SHUFFLED = """\
  - id: demo-pinned
    type: single
    section: lesson.md#为谁报报什么
    prompt: 哪些做法能让情况更新？
    options:
      - text: 深入一线
      - text: 用数据说话
      - text: 以上都对
        pin: true
    answer: C
    explanation: 都对。
"""


def bank_of(project: Path, cache_folder: Path | None = None):
    from quiz.bank import load_bank

    return load_bank(project / "exercises", project, cache_folder)


def test_shuffle_and_pin_are_read_and_kept_by_the_cache(tmp_path):
    from quiz import cache

    files = {"demo.yml": "shuffle: false\nexercises:\n" + SHUFFLED + GOOD_SINGLE.replace(
        "    answer: B\n", "    answer: B\n    shuffle: true\n")}
    project = make_project(tmp_path, files)
    assert check(project) == []
    for fresh in (True, False):  # made, then read back from the cache on disk
        cache.clear_memory()
        bank = bank_of(project, project / ".exercise-cache")
        pinned, own = bank.exercises["demo-pinned"], bank.exercises["demo-single"]
        assert [o.pin for o in pinned.options] == [False, False, True]
        assert (pinned.shuffled, own.shuffled) == (False, True), "the file's switch, unless the exercise says"
        assert 'data-quiz-id="demo-single" data-quiz-type="single" ' in bank.sets["demo"]
        assert bank.sets["demo"].count("data-quiz-shuffle") == 1


def test_a_file_without_shuffle_shuffles_and_the_piece_says_so(tmp_path):
    from quiz import exercise_file

    project = make_project(tmp_path, demo(SHUFFLED))
    bank = bank_of(project)
    assert bank.exercises["demo-pinned"].shuffled and "data-pin" in bank.sets["demo"]
    piece = exercise_file._make("demo", "exercises/demo.yml", (project / "exercises" / "demo.yml").read_bytes(),
                                project / "exercises" / "schema.json", bank.policy)
    assert piece.shuffled and exercise_file.from_payload(exercise_file.to_payload(piece)) == piece
    off = exercise_file._make("demo", "exercises/demo.yml", b"shuffle: false\n" + (project / "exercises" / "demo.yml").read_bytes(),
                              project / "exercises" / "schema.json", bank.policy)
    assert not off.shuffled and exercise_file.from_payload(exercise_file.to_payload(off)) == off


def test_pinning_every_option_is_refused(tmp_path):
    body = SHUFFLED.replace("      - text: 深入一线\n", "      - text: 深入一线\n        pin: true\n").replace(
        "      - text: 用数据说话\n", "      - text: 用数据说话\n        pin: true\n")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert (problem.path, problem.line, problem.field, problem.exercise_id) == ("exercises/demo.yml", 12, "pin", "demo-pinned")
    assert "全部 3 个选项" in problem.message and "shuffle: false" in problem.fix
    assert problem.format().startswith("exercises/demo.yml:12:9：[练习 demo-pinned] 字段 pin：")


def test_an_option_that_points_back_must_be_pinned(tmp_path):
    body = SHUFFLED.replace("        pin: true\n", "")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert (problem.line, problem.field) == (9, "text")
    assert "“以上都对”" in problem.message and "pin: true" in problem.fix
    # Unshuffled, it stays last anyway.
    unshuffled = body.replace("    answer: C\n", "    answer: C\n    shuffle: false\n")
    assert check(make_project(tmp_path / "off", demo(unshuffled))) == []


def test_pin_belongs_to_an_option_and_shuffle_to_a_choice_item(tmp_path):
    misplaced = SHUFFLED.replace("    answer: C\n", "    answer: C\n    pin: true\n")
    problem = one_problem(make_project(tmp_path, demo(misplaced)))
    assert (problem.field, problem.line) == ("pin", 12) and "不认识的字段 pin" in problem.message
    true_false = """\
  - id: demo-tf
    type: true_false
    section: lesson.md#情况要新
    prompt: 照抄材料就是情况要新。
    answer: 错
    shuffle: false
    explanation: 不是。
"""
    problem = one_problem(make_project(tmp_path / "tf", demo(true_false)))
    assert (problem.field, problem.line) == ("shuffle", 7) and "判断题不用 shuffle 字段" in problem.message


def test_shuffle_and_pin_take_true_or_false(tmp_path):
    body = SHUFFLED.replace("pin: true", "pin: 是")
    problem = one_problem(make_project(tmp_path, demo(body)))
    assert (problem.field, problem.line) == ("pin", 10) and "true 或 false" in problem.message
    problem = one_problem(make_project(tmp_path / "file", {"demo.yml": "shuffle: 不\nexercises:\n" + SHUFFLED}))
    assert (problem.field, problem.line) == ("shuffle", 1) and "true 或 false" in problem.message
