"""The instructors' guide, exercises/README.md, done exactly as it says.

The walkthrough "增加一讲新课" is applied step by step to a copy of the
project: the blocks it marks with `<!-- walkthrough: … -->` are the files and
lines an instructor writes. The check must then print the line the guide
shows, the strict build must pass, and the new page must hold the new
exercises. Each of the guide's "ten messages" (`<!-- message: … -->`) is
produced by making the mistake the guide describes on that same copy, and
must still read as quoted. The type examples must pass the check; the
tables of fields, policy options and limits must agree with the schema, the
policy's defaults and the loader's limits. So the guide cannot drift from
what the product accepts and says.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, mkdocs_build
from quiz import anchors, limits
from quiz.fences import prose_lines
from quiz.model import TYPE_NAMES
from quiz.policy import Policy, SetRules, LessonRules

GUIDE_PATH = ROOT / "exercises" / "README.md"
SCHEMA = json.loads((ROOT / "exercises" / "schema.json").read_text(encoding="utf-8"))

SECTIONS = [
    "目录",
    "题型与完整示例",
    "字段一览（必填/可选）",
    "课程规则（policy.yml）",
    "放进课文",
    "检查与预览",
    "最常见的十条提示",
    "增加一讲新课（逐步）",
    "文件的限制",
]

# A marker comment, then at once a fenced block: what the instructor types, or what they read.
BLOCK = re.compile(
    r"^<!--\s*(?P<kind>walkthrough|message|example):\s*(?P<args>.*?)\s*-->[ \t]*\n"
    r"(?P<fence>`{3,}|~{3,})[^\n]*\n(?P<body>.*?)\n(?P=fence)[ \t]*$",
    re.M | re.S,
)
# A quoted message starts where the check's does: the file, then its line and column (or … for them).
LOCATION = re.compile(r"^(?:exercises|docs)/[^:\s]+:(?:\d+:\d+：|…)")
ADDRESS = re.compile(r"http://127\.0\.0\.1:8000/(\S*)")


def guide() -> str:
    return GUIDE_PATH.read_text(encoding="utf-8")


def blocks(kind: str) -> list[tuple[str, str]]:
    """(arguments, body) of every block the guide marks as `kind`, in order."""
    return [(m["args"], m["body"]) for m in BLOCK.finditer(guide()) if m["kind"] == kind]


def headings() -> list[tuple[int, str]]:
    """(line number, title) of the guide's `##` headings, leaving out those inside its code blocks."""
    return [(number, line[3:].strip()) for number, line in prose_lines(guide()) if line.startswith("## ")]


def section(title: str) -> str:
    """The text under the guide's `## title`, up to the next `##`."""
    lines = guide().splitlines()
    starts = [number for number, _ in headings()] + [len(lines) + 1]
    index = [name for _, name in headings()].index(title)
    return "\n".join(lines[starts[index]: starts[index + 1] - 1])


def tables(text: str) -> dict[str, list[list[str]]]:
    """Markdown tables by the first cell of their header: the rows below the rule, as cells."""
    found, rows = {}, None
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if rows is None:
                rows = found.setdefault(cells[0], [])
            elif not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        else:
            rows = None
    return found


def names_in(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def run_check(project: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(project / "hooks"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, str(project / "hooks" / "course_check.py"), str(project)],
                          capture_output=True, text=True, env=env, timeout=120)


# -- the walkthrough --------------------------------------------------------------

def steps() -> list[tuple[str, str, str]]:
    """(verb, argument, body) of each walkthrough step, in the guide's order."""
    found = []
    for args, body in blocks("walkthrough"):
        verb, _, rest = args.partition(" ")
        found.append((verb, rest.strip(), body))
    return found


def apply(project: Path, verb: str, argument: str, body: str) -> None:
    """Do one file step as an instructor would: create a file, add to one, or add a nav line."""
    if verb == "create":
        path = project / argument
        assert not path.exists(), f"{argument} 已经存在：走查应新建它"
        path.write_text(body + "\n", encoding="utf-8")
    elif verb == "append":
        path = project / argument
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + body + "\n", encoding="utf-8")
    elif verb == "nav":
        after = re.fullmatch(r'after "(.+)"', argument)
        assert after, argument
        config = project / "mkdocs.yml"
        lines = config.read_text(encoding="utf-8").split("\n")
        places = [i for i, line in enumerate(lines) if line.strip() == f"- {after[1]}"]
        assert len(places) == 1, f"mkdocs.yml 中应恰好有一行“- {after[1]}”"
        lines[places[0] + 1: places[0] + 1] = body.split("\n")
        config.write_text("\n".join(lines), encoding="utf-8")
    elif verb == "expect":
        text = (project / argument).read_text(encoding="utf-8")
        assert f"\n{body}\n" in text, f"{argument} 中应有这几行：\n{body}\n实际是：\n{text}"
    else:
        raise AssertionError(f"走查步骤“{verb}”没有对应的操作")


FILE_STEPS = {"create", "append", "nav", "expect"}


def walk(project: Path) -> None:
    """Every file step of the walkthrough, in order."""
    for verb, argument, body in steps():
        if verb in FILE_STEPS:
            apply(project, verb, argument, body)


def summary_numbers(line: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", line)]


def test_the_guide_has_its_sections_in_order_and_a_working_table_of_contents():
    assert [title for _, title in headings()] == SECTIONS
    contents = section("目录")
    targets = re.findall(r"\]\(#([^)]+)\)", contents)
    assert targets == [anchors.default_slugify(title, "-") for title in SECTIONS[1:]]


def test_the_walkthrough_adds_a_lesson_that_checks_builds_and_shows_its_exercises(tmp_path):
    found = steps()
    # New lesson file, nav entry (and how the nav then reads), exercise file, shortcode, check, preview.
    assert [verb for verb, _, _ in found] == ["create", "nav", "expect", "create", "append", "check", "open"]
    lesson, exercise_file = found[0][1], found[3][1]
    assert lesson.startswith("docs/") and lesson.endswith(".md") and found[2][1] == "mkdocs.yml"
    assert exercise_file.startswith("exercises/") and exercise_file.endswith(".yml")
    assert found[4][1] == lesson and found[4][2].strip() == f"<!-- exercises: {Path(exercise_file).stem} -->"

    before = run_check(copy_project(tmp_path / "before"))
    assert before.returncode == 0, before.stdout
    project = copy_project(tmp_path / "project")
    for verb, argument, body in found:
        if verb in FILE_STEPS:
            apply(project, verb, argument, body)
        elif verb == "check":
            result = run_check(project)
            assert result.returncode == 0, result.stdout + result.stderr
            printed = result.stdout.strip().splitlines()
            shown = body.strip()
            # The guide's line, its counts being whatever this course has today.
            pattern = re.sub(r"\d+", r"\\d+", re.escape(shown))
            assert len(printed) == 1 and re.fullmatch(pattern, printed[0]), (shown, result.stdout)
            exercises = yaml.safe_load((project / exercise_file).read_text(encoding="utf-8"))["exercises"]
            lessons, files, count = summary_numbers(before.stdout.strip())
            assert summary_numbers(printed[0]) == [lessons + 1, files + 1, count + len(exercises)]
        elif verb == "open":
            address = ADDRESS.search(body)
            assert address, body
            page = address[1]
        else:
            raise AssertionError(verb)

    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    html = (tmp_path / "site" / page / "index.html").read_text(encoding="utf-8")
    shown_ids = re.findall(r'data-quiz-id="([^"]+)"', html)
    assert shown_ids == [exercise["id"] for exercise in exercises]
    assert sorted(re.findall(r'data-quiz-type="([^"]+)"', html)) == sorted(TYPE_NAMES)
    # The page is the nav's new entry, between the lessons it was put among.
    assert f'href="../{page}"' in (tmp_path / "site" / "research" / "index.html").read_text(encoding="utf-8")


# -- the ten messages ---------------------------------------------------------------

LESSON = "docs/case-study.md"
EXERCISES = "exercises/case-study.yml"


def replace(path: str, old: str, new: str):
    def mistake(project: Path) -> None:
        file = project / path
        text = file.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{path} 中找不到（或不止一处）：{old!r}"
        file.write_text(text.replace(old, new), encoding="utf-8")
    return mistake


def delete_exercise(exercise_id: str):
    """Drop one exercise (from its `- id:` line to the next one, or the end of the file)."""
    def mistake(project: Path) -> None:
        file = project / EXERCISES
        text = file.read_text(encoding="utf-8")
        start = text.index(f"  - id: {exercise_id}\n")
        end = text.find("  - id: ", start + 1)
        file.write_text(text[:start] + (text[end:] if end != -1 else ""), encoding="utf-8")
    return mistake


def save_as_gbk(path: str):
    def mistake(project: Path) -> None:
        file = project / path
        file.write_bytes(file.read_text(encoding="utf-8").encode("gbk"))
    return mistake


# The mistakes the guide describes, each made on the walkthrough's files.
MISTAKES = {
    "yaml-indent": replace(EXERCISES, "\n    prompt: 群众已经", "\n   prompt: 群众已经"),
    "yaml-colon": replace(EXERCISES, "explanation: 紧急信息要有始有终：", "explanation: 紧急信息要有始有终: "),
    "number": replace(EXERCISES, '- ["30", 三十]', "- [30, 三十]"),
    "answer": replace(EXERCISES, "    answer: B\n", "    answer: D\n"),
    "blanks": replace(EXERCISES, '      - ["1", 一]\n', ""),
    "section": replace(EXERCISES, "section: case-study.md#案例一汛期险情的快报\n    difficulty: 基础\n    prompt: 值班",
                       "section: case-study.md#案例一：汛期险情的快报\n    difficulty: 基础\n    prompt: 值班"),
    "shortcode": replace(LESSON, "<!-- exercises: case-study -->", "<!-- exercises: case_study -->"),
    "shortcode-colon": replace(LESSON, "<!-- exercises: case-study -->", "<!-- exercises：case-study -->"),
    "duplicate": replace(EXERCISES, "id: case-study-follow-up", "id: case-study-flash-report"),
    "policy-feedback": replace(EXERCISES, "        feedback: 原样转报既慢，又不一定回答领导最关心的问题。\n", ""),
    "policy-counts": delete_exercise("case-study-rewrite"),
    "yes-no": replace(EXERCISES, "answer: 错", "answer: no"),
    "unplaced": replace(LESSON, "\n<!-- exercises: case-study -->", ""),
    "policy-typo": replace("exercises/policy.yml", "\nsection_minimum:", "\nsection_minimun:"),
    "encoding": save_as_gbk(EXERCISES),
    "link": replace(LESSON, "(research.md#用数据说话用事例佐证)", "(research.md#用数据说话、用事例佐证)"),
}


def says(lines: list[str], quoted: str) -> bool:
    """Whether one line reads as quoted: its parts between … in order."""
    parts = [part.strip() for part in quoted.split("…") if part.strip()]
    for line in lines:
        position = 0
        for part in parts:
            position = line.find(part, position)
            if position < 0:
                break
            position += len(part)
        else:
            return True
    return False


def test_every_quoted_message_has_its_mistake_made_on_the_walkthroughs_files():
    assert sorted(name for name, _ in blocks("message")) == sorted(MISTAKES)
    created = [argument for verb, argument, _ in steps() if verb == "create"]
    assert created == [LESSON, EXERCISES]


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_quoted_message_is_what_the_check_says_for_that_mistake(tmp_path, name):
    quoted = dict(blocks("message"))[name]
    project = copy_project(tmp_path / "project")
    walk(project)
    MISTAKES[name](project)
    result = run_check(project)
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for line in (line for line in quoted.splitlines() if line.strip()):
        assert LOCATION.match(line), f"引用的提示应以“文件:行:列：”开头：{line}"
        assert says(lines, line), f"指南引用的提示：\n{line}\n检查实际输出：\n{result.stdout}"


# -- the examples and the tables --------------------------------------------------------

def test_each_type_has_an_example_and_together_they_pass_the_check(tmp_path):
    examples = blocks("example")
    assert sorted(name for name, _ in examples) == sorted(TYPE_NAMES)
    items = []
    for name, body in examples:
        head, _, rest = body.partition("\n")
        assert head == "exercises:", f"{name} 的示例应是一个完整的练习文件"
        assert yaml.safe_load(body)["exercises"][0]["type"] == name
        items.append(rest)
    project = copy_project(tmp_path / "project")
    (project / "exercises" / "guide-examples.yml").write_text("exercises:\n" + "\n".join(items) + "\n",
                                                              encoding="utf-8")
    apply(project, "append", "docs/instructors/index.md", "<!-- exercises: guide-examples -->")
    result = run_check(project)
    assert result.returncode == 0, result.stdout


def required_column(name: str, required: set, by_type: set) -> str:
    return "必填" if name in required else "按题型" if name in by_type else "可选"


def test_the_field_tables_name_every_field_and_say_which_are_required():
    found = tables(section("字段一览（必填/可选）"))
    exercise = SCHEMA["$defs"]["exercise"]
    by_type = {t["if"]["properties"]["type"]["const"]: set(t["then"]["required"]) for t in exercise["allOf"]}
    expected = {
        "文件的字段": (SCHEMA["properties"], set(SCHEMA["required"]), set()),
        "题目的字段": (exercise["properties"], set(exercise["required"]), set().union(*by_type.values())),
        "选项的字段": (SCHEMA["$defs"]["option"]["properties"], set(SCHEMA["$defs"]["option"]["required"]), set()),
    }
    for header, (properties, required, typed) in expected.items():
        rows = {names_in(row[0])[0]: row for row in found[header]}
        assert sorted(rows) == sorted(properties), header
        for name, row in rows.items():
            assert row[1] == required_column(name, required, typed), (header, name, row[1])
    per_type = {names_in(row[0])[0]: set(names_in(row[1])) for row in found["题型"]}
    assert per_type == by_type


def shown(value) -> str:
    """A default as policy.yml writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


def test_the_policy_tables_give_every_option_with_its_default():
    found = tables(section("课程规则（policy.yml）"))
    expected = {
        "全课程的规则": {f.name: getattr(Policy(), f.name) for f in fields(Policy)
                    if f.name not in ("default_set", "sets", "lessons")},
        "每组的规则": {f.name: getattr(SetRules(), f.name) for f in fields(SetRules)},
        "课文的规则": {f.name: getattr(LessonRules(), f.name) for f in fields(LessonRules)},
    }
    for header, defaults in expected.items():
        rows = {names_in(row[0])[0]: row for row in found[header]}
        assert sorted(rows) == sorted(defaults), header
        for name, default in defaults.items():
            assert rows[name][1] == f"`{shown(default)}`", (name, rows[name][1])


def test_the_limits_are_the_loaders():
    text = section("文件的限制")
    assert f"{limits.MAX_FILE_BYTES // (1024 * 1024)} MB" in text
    assert f"{limits.MAX_DEPTH} 层" in text
    assert f"{limits.MAX_NODES} 项" in text
