"""All exercise files of a course, loaded and checked together."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import rules, schema, yamlsource
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
    problems: list[Problem] = field(default_factory=list)

    def known(self, exercise_id: str) -> bool:
        return exercise_id in self.exercises or exercise_id in self.broken

    def all_ids(self) -> list[str]:
        return [i for ids in self.groups.values() for i in ids]


def exercise_files(folder: Path) -> list[Path]:
    return sorted({p for pattern in PATTERNS for p in folder.glob(pattern)})


def load_bank(folder: Path, display_root: Path) -> Bank:
    """Read every exercise file in `folder`; collect every problem, never stop at the first."""
    bank = Bank()
    schema_path = folder / SCHEMA_NAME
    loaded: list[Exercise] = []
    for file in exercise_files(folder):
        shown = file.relative_to(display_root).as_posix()
        document, yaml_problems = yamlsource.load(file, shown)
        if document is None:
            bank.problems += yaml_problems
            bank.unreadable.add(file.stem)
            continue
        # A refused tag or key leaves a gap the schema would report again: say it once.
        covered = {p.line for p in yaml_problems}
        problems = [p for p in schema.validate(document, shown, schema_path) if p.line not in covered]
        problems += [_with_id(p, document) for p in yaml_problems]
        bank.problems += problems
        if not isinstance(document.data, dict) or not isinstance(document.data.get("exercises"), list):
            bank.unreadable.add(file.stem)
            continue
        bad_indexes = {
            index for index, raw in enumerate(document.data["exercises"])
            if any(_is_at(p, document, index) for p in problems)
        }
        if isinstance(document.data.get("title"), str):
            bank.titles[file.stem] = document.data["title"]
        if document.data.get("score") is True:
            bank.scored.add(file.stem)
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
            loaded.append(exercise)
    duplicates = rules.check_unique_ids(loaded)
    bank.problems += duplicates
    duplicated = {(p.path, p.line) for p in duplicates}
    for exercise in loaded:
        first_use = (exercise.path, exercise.mark("id")[0]) not in duplicated
        if exercise.id not in bank.broken and first_use:
            bank.exercises.setdefault(exercise.id, exercise)
    return bank


def _with_id(problem: Problem, document) -> Problem:
    """A YAML-level problem, given the id of the exercise it lies in."""
    items = document.data.get("exercises") if isinstance(document.data, dict) else None
    if not isinstance(items, list):
        return problem
    for index, raw in enumerate(items):
        if _is_at(problem, document, index) and isinstance(raw, dict) and isinstance(raw.get("id"), str):
            return replace(problem, exercise_id=raw["id"])
    return problem


def _is_at(problem: Problem, document, index: int) -> bool:
    """Whether a schema problem lies inside exercise `index` of `document`."""
    if ("exercises", index) not in document.marks:
        return False
    start = document.marks[("exercises", index)][0]
    following = document.marks.get(("exercises", index + 1))
    end = following[0] if following else float("inf")
    return start <= problem.line < end
