"""All exercise files of a course, loaded and checked together."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import course_rules, rules, schema, yamlsource
from .policy import POLICY_NAME, Policy, load as load_policy
from .model import Exercise, from_raw
from .problems import Problem

SCHEMA_NAME = "schema.json"
PATTERNS = ("*.yml", "*.yaml")


@dataclass
class Bank:
    exercises: dict[str, Exercise] = field(default_factory=dict)  # usable ones, by id
    groups: dict[str, list[str]] = field(default_factory=dict)  # file stem -> ids, in order
    titles: dict[str, str] = field(default_factory=dict)  # file stem -> optional title
    broken: set[str] = field(default_factory=set)  # ids whose exercise has problems
    unreadable: set[str] = field(default_factory=set)  # file stems that could not be read
    scored: set[str] = field(default_factory=set)  # file stems whose set shows a score
    set_marks: dict[str, tuple] = field(default_factory=dict)  # file stem -> (path, line, column) of its list
    policy: Policy = field(default_factory=Policy)  # the course's rules (exercises/policy.yml)
    problems: list[Problem] = field(default_factory=list)

    def known(self, exercise_id: str) -> bool:
        return exercise_id in self.exercises or exercise_id in self.broken

    def all_ids(self) -> list[str]:
        return [i for ids in self.groups.values() for i in ids]


def candidates(folder: Path) -> list[Path]:
    """Every entry whose name says exercise file, whatever it is (a directory, a FIFO, a dangling link …).

    The course policy sits beside the exercises under a reserved name: it is no exercise file.
    """
    return sorted({p for pattern in PATTERNS for p in folder.glob(pattern) if p.name != POLICY_NAME})


def exercise_files(folder: Path, root: Path | None = None) -> list[Path]:
    """The entries load_bank reads: regular files inside `root` (default: the folder's parent, the project)."""
    root = root if root is not None else folder.parent
    return [p for p in candidates(folder) if yamlsource.locate(p, root, p.name)[1] is None]


def load_bank(folder: Path, display_root: Path) -> Bank:
    """Read every exercise file in `folder`; collect every problem, never stop at the first.

    `display_root` is the project: paths are shown relative to it, and no file outside it is read.
    """
    bank = Bank()
    bank.policy, bank.problems = load_policy(folder, display_root)
    schema_path = folder / SCHEMA_NAME
    loaded: list[Exercise] = []
    for file in candidates(folder):
        shown = file.relative_to(display_root).as_posix()
        document, yaml_problems = yamlsource.load(file, shown, display_root)
        if document is None:
            bank.problems += yaml_problems
            bank.unreadable.add(file.stem)
            continue
        # A refused tag or key leaves a gap the schema would report again: say it once.
        covered = {p.line for p in yaml_problems}
        problems = [p for p in schema.validate(document, shown, schema_path) if p.line not in covered]
        starts = _starts(document)
        problems += [_with_id(p, document, starts) for p in yaml_problems]
        bank.problems += problems
        if not isinstance(document.data, dict) or not isinstance(document.data.get("exercises"), list):
            bank.unreadable.add(file.stem)
            continue
        bad_indexes = {_index_at(p, starts) for p in problems} - {None}
        if isinstance(document.data.get("title"), str):
            bank.titles[file.stem] = document.data["title"]
        if document.data.get("score") is True:
            bank.scored.add(file.stem)
        bank.set_marks[file.stem] = (shown, *document.mark(("exercises",)))
        ids = bank.groups.setdefault(file.stem, [])
        for index, raw in enumerate(document.data["exercises"]):
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            name = raw_id if isinstance(raw_id, str) else f"{file.stem}-{index + 1}"
            ids.append(name)
            if index in bad_indexes or not isinstance(raw, dict):
                bank.broken.add(name)
                continue
            exercise = from_raw(raw, shown, index, document)
            found = rules.check_exercise(exercise, raw)
            bank.problems += found
            if found:
                bank.broken.add(name)
            else:  # the course's rules on top of the format's; a shortfall still shows the exercise
                bank.problems += course_rules.check_exercise(exercise, bank.policy)
            loaded.append(exercise)
    duplicates = rules.check_unique_ids(loaded, display_root)  # the project: git there tells old from new
    bank.problems += duplicates
    duplicated = {(p.path, p.line) for p in duplicates}
    for exercise in loaded:
        first_use = (exercise.path, exercise.mark("id")[0]) not in duplicated
        if exercise.id not in bank.broken and first_use:
            bank.exercises.setdefault(exercise.id, exercise)
    return bank


def _starts(document) -> list[int]:
    """The line each exercise of `document` starts on, in order (empty if it has no exercise list)."""
    items = document.data.get("exercises") if isinstance(document.data, dict) else None
    if not isinstance(items, list):
        return []
    return [document.marks[("exercises", index)][0] for index in range(len(items))]


def _index_at(problem: Problem, starts: list[int]) -> int | None:
    """The exercise a problem lies in: the last one starting on or before its line.

    A bisection, not a scan: a file of many broken exercises has as many problems.
    """
    index = bisect_right(starts, problem.line) - 1
    return index if index >= 0 else None


def _with_id(problem: Problem, document, starts: list[int]) -> Problem:
    """A YAML-level problem, given the id of the exercise it lies in."""
    index = _index_at(problem, starts)
    if index is None:
        return problem
    raw = document.data["exercises"][index]
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return replace(problem, exercise_id=raw["id"])
    return problem
