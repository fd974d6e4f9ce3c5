"""The course's rules for its exercises: what the format allows, the course requires.

The schema says what an exercise file may contain; the policy says what this
course asks of it: feedback on every option, rubrics of a certain length, so
many exercises per lesson, every teaching section trained. The values are
declared in `exercises/policy.yml`, which instructors may tighten or relax;
whatever that file leaves out takes the default written here. This module is
the one place where the options and their defaults live (exercises/README.md
documents them in Chinese); `course_rules` enforces them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import ClassVar

from . import yamlsource
from .model import TYPE_NAMES
from .problems import Problem

POLICY_NAME = "policy.yml"
# The set name whose rules every set not named in `sets` follows.
DEFAULT_SET = "default"


@dataclass(frozen=True)
class SetRules:
    """What one exercise file (one lesson's set) must hold."""

    minimum: int = 6  # at least this many exercises
    every_type: bool = True  # at least one of each of the six types
    open_minimum: int = 1  # at least this many writing exercises (type: open)
    excluded_types: tuple = ()  # types the set must not use (e.g. open in a scored quiz)
    score: bool = False  # the set must show a score (score: true)
    per_page_minimum: dict = field(default_factory=dict)  # page.md -> exercises training it, at least
    # Answer-key balance within the set (a test-wise trainee must find no cue); off by default,
    # since a small set cannot be balanced. The same options at the top level hold for the whole bank.
    true_answer_share: tuple = (0, 1)  # share of true/false exercises keyed 对: at least, at most
    longest_answer_share: float = 1  # share of single-choice exercises keyed to their strictly longest option, at most
    answer_letter_share: float = 1  # share of single-choice exercises keyed to any one letter, at most
    every_answer_letter: bool = False  # every letter all single-choice exercises offer is some exercise's key


@dataclass(frozen=True)
class LessonRules:
    """What every lesson page must hold; pages not listed are not lessons (home, glossary …)."""

    pages: tuple = ()  # the lesson pages, e.g. (positioning.md, …)
    sections: tuple = ("学习目标", "自查清单", "小结", "思考与讨论", "练习")  # ## parts every lesson has
    discussion_questions: int = 3  # numbered questions under 思考与讨论, at least
    examples: int = 2  # example boxes or 示例 headings, at least
    characters: tuple = (3000, 7000)  # Chinese characters in a lesson: at least, at most
    key_terms: dict = field(default_factory=dict)  # page.md -> terms it must teach
    glossary: str = ""  # the glossary page (e.g. glossary.md) whose 术语 column lists every key term; "" = none


@dataclass(frozen=True)
class Policy:
    """The course's rules; a default is the course's present value, save the answer-balance options
    and the glossary, which are off unless policy.yml turns them on."""

    option_feedback: bool = True  # every option of a choice exercise says why (feedback)
    true_false_feedback: bool = True  # a true/false exercise has feedback for 对 and for 错
    rubric_minimum: int = 4  # a writing exercise's rubric has at least this many criteria
    rubric_maximum: int = 6  # and at most this many
    section_minimum: int = 2  # every teaching section (##) is trained by at least this many exercises
    # Answer-key balance over all exercise files together (the meaning of each: SetRules).
    true_answer_share: tuple = (0, 1)
    longest_answer_share: float = 1
    answer_letter_share: float = 1
    every_answer_letter: bool = False
    default_set: SetRules = field(default_factory=SetRules)
    sets: dict = field(default_factory=dict)  # file stem -> SetRules
    lessons: LessonRules = field(default_factory=LessonRules)
    # Where policy.yml writes each top-level option (name -> line), for messages; not an option itself.
    lines: ClassVar[dict] = {}

    def for_set(self, name: str) -> SetRules:
        return self.sets.get(name, self.default_set)

    def rule_name(self, name: str, option: str) -> str:
        """How an instructor finds the value in policy.yml: sets.<name>.<option>."""
        return f"sets.{name if name in self.sets else DEFAULT_SET}.{option}"


TOP_OPTIONS = {f.name for f in fields(Policy)} - {"default_set", "sets", "lessons"}
# Options that are a share (0 to 1), and those that are a range of shares [at least, at most].
SHARES = {"longest_answer_share", "answer_letter_share"}
RANGES = {"true_answer_share"}
SET_OPTIONS = {f.name for f in fields(SetRules)}
LESSON_OPTIONS = {f.name for f in fields(LessonRules)}


def load(folder: Path, display_root: Path) -> tuple[Policy, list[Problem]]:
    """The course's policy from folder/policy.yml, or the defaults when there is none."""
    path = folder / POLICY_NAME
    if not path.exists() and not path.is_symlink():
        return Policy(), []
    shown = path.relative_to(display_root).as_posix()
    document, problems = yamlsource.load(path, shown, display_root)
    if document is None or problems:
        return Policy(), problems
    reader = _Reader(shown, document)
    # A value that does not fit keeps its default; every other value stays as written.
    policy = reader.policy(document.data)
    if isinstance(document.data, dict):
        lines = {key: document.mark((key,))[0] for key in document.data if key in TOP_OPTIONS}
        object.__setattr__(policy, "lines", lines)  # frozen: set once, as it leaves the loader
    return policy, reader.problems


class _Reader:
    """Turns policy.yml's data into a Policy, with a message for every value that does not fit."""

    def __init__(self, shown: str, document):
        self.shown = shown
        self.document = document
        self.problems: list[Problem] = []

    def problem(self, where: tuple, message: str, fix: str) -> None:
        line, column = self.document.mark(where)
        name = ".".join(str(part) for part in where)
        self.problems.append(Problem(self.shown, line, column, "", name, message, fix))

    def policy(self, data) -> Policy:
        if data is None:
            return Policy()
        if not isinstance(data, dict):
            self.problem((), "课程规则文件应是“名称: 值”的列表。", "参照 exercises/README.md 中的“课程规则”一节改写。")
            return Policy()
        values = {}
        for key, value in data.items():
            if key in ("sets", "lessons"):
                continue
            if key not in TOP_OPTIONS:
                self._unknown((key,), key, TOP_OPTIONS | {"sets", "lessons"})
                continue
            values[key] = self.value((key,), value, getattr(Policy(), key))
        policy = Policy(**values, lessons=self.lesson_rules(data.get("lessons")))
        sets = data.get("sets") or {}
        if not isinstance(sets, dict):
            self.problem(("sets",), "sets 应是“练习文件名: 要求”的列表。", "例如 sets: {introduction: {minimum: 5}}。")
            return policy
        default = self.set_rules(("sets", DEFAULT_SET), sets.get(DEFAULT_SET), SetRules())
        named = {
            name: self.set_rules(("sets", name), rules, default)
            for name, rules in sets.items() if name != DEFAULT_SET
        }
        if policy.rubric_minimum > policy.rubric_maximum:
            self.problem(("rubric_minimum",), "rubric_minimum 大于 rubric_maximum，没有写作练习能同时满足。",
                         "让最少条数不大于最多条数。")
            defaults = Policy()
            policy = replace(policy, rubric_minimum=defaults.rubric_minimum, rubric_maximum=defaults.rubric_maximum)
        return replace(policy, default_set=default, sets=named)

    def lesson_rules(self, data) -> LessonRules:
        base = LessonRules()
        if data is None:
            return base
        if not isinstance(data, dict):
            self.problem(("lessons",), "lessons 应是“名称: 值”的列表。", "参照 exercises/README.md 中的“课程规则”一节改写。")
            return base
        values = {}
        for key, value in data.items():
            if key not in LESSON_OPTIONS:
                self._unknown(("lessons", key), key, LESSON_OPTIONS)
                continue
            values[key] = self.value(("lessons", key), value, getattr(base, key))
        return replace(base, **values)

    def set_rules(self, where: tuple, data, base: SetRules) -> SetRules:
        if data is None:
            return base
        if not isinstance(data, dict):
            self.problem(where, "每组的要求应是“名称: 值”的列表。", "例如 {minimum: 5, every_type: true}。")
            return base
        values = {}
        for key, value in data.items():
            if key not in SET_OPTIONS:
                self._unknown(where + (key,), key, SET_OPTIONS)
                continue
            values[key] = self.value(where + (key,), value, getattr(base, key))
        return replace(base, **values)

    def value(self, where: tuple, value, default):
        """`value` if it has the default's kind, else the default and a problem."""
        name = where[-1]
        if name in SHARES:
            if _is_number(value) and 0 <= value <= 1:
                return value
            self.problem(where, f"{name} 应是 0～1 之间的比例，如 0.4。", f"例如 {name}: 0.4；写 1 表示不限制。")
        elif name in RANGES:
            if (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)
                    and 0 <= value[0] <= value[1] <= 1):
                return tuple(value)
            self.problem(where, f"{name} 应写成 [最低, 最高] 两个 0～1 之间的比例。", f"例如 {name}: [0.35, 0.65]；写 [0, 1] 表示不限制。")
        elif name == "glossary":
            if isinstance(value, str) and (value == "" or value.endswith(".md")):
                return value
            self.problem(where, "glossary 应是术语表页面的文件名。", "例如 glossary: glossary.md；不检查时删去这一项。")
        elif isinstance(default, bool):
            if isinstance(value, bool):
                return value
            self.problem(where, f"{name} 只能写 true（要求）或 false（不要求）。", f"改成 {name}: true 或 {name}: false。")
        elif isinstance(default, int):
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return value
            self.problem(where, f"{name} 应是 0 或正整数。", f"例如 {name}: {default}；写 0 表示不要求。")
        elif name == "characters":
            if (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                    and 0 <= value[0] <= value[1]):
                return tuple(value)
            self.problem(where, "characters 应写成 [最少, 最多] 两个数。", "例如 characters: [3000, 7000]。")
        elif name in ("pages", "sections"):
            if isinstance(value, list) and all(isinstance(v, str) and v for v in value) and (
                    name != "pages" or all(v.endswith(".md") for v in value)):
                return tuple(value)
            example = "[positioning.md, topics.md]" if name == "pages" else "[学习目标, 小结]"
            self.problem(where, f"{name} 应是{'页面文件' if name == 'pages' else '标题'}的列表。", f"例如 {name}: {example}。")
        elif name == "key_terms":
            if isinstance(value, dict) and all(
                isinstance(k, str) and k.endswith(".md") and isinstance(v, list) and all(isinstance(t, str) and t for t in v)
                for k, v in value.items()
            ):
                return {k: tuple(v) for k, v in value.items()}
            self.problem(where, "key_terms 应是“页面文件: [表述, …]”的列表。", "例如 key_terms: {positioning.md: [为谁报, 报什么]}。")
        elif isinstance(default, tuple):
            if isinstance(value, list) and all(v in TYPE_NAMES for v in value):
                return tuple(value)
            self.problem(where, f"{name} 应是题型列表。", f"例如 {name}: [open]；题型有 {'、'.join(TYPE_NAMES)}。")
        elif isinstance(default, dict):
            if isinstance(value, dict) and all(
                isinstance(k, str) and k.endswith(".md") and isinstance(v, int) and not isinstance(v, bool) and v >= 0
                for k, v in value.items()
            ):
                return dict(value)
            self.problem(where, f"{name} 应是“页面文件: 题数”的列表。", f"例如 {name}: {{positioning.md: 3}}。")
        return default

    def _unknown(self, where: tuple, key, known: set) -> None:
        close = difflib.get_close_matches(str(key), sorted(known), n=1)
        hint = f"是不是 {close[0]}？" if close else f"可用的有：{'、'.join(sorted(known))}。"
        self.problem(where, f"课程规则中没有 {key} 这一项。", hint)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
