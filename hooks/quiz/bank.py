"""All exercise files of a course, loaded and checked together."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import exercise_file, rules, yamlsource
from .policy import POLICY_NAME, Policy, load as load_policy
from .model import Exercise
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
    # file stem -> its set's markup (prepare.set_template's), where the file's own rendering still holds
    sets: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    _shared: set | None = field(default=None, init=False, repr=False, compare=False)

    def known(self, exercise_id: str) -> bool:
        return exercise_id in self.exercises or exercise_id in self.broken

    def all_ids(self) -> list[str]:
        return [i for ids in self.groups.values() for i in ids]

    def shared_ids(self) -> set[str]:
        """Ids two or more exercises use; asked for by every page's check, so counted once."""
        if self._shared is None:
            self._shared = {i for i, count in Counter(self.all_ids()).items() if count > 1}
        return self._shared


def candidates(folder: Path) -> list[Path]:
    """Every entry whose name says exercise file, whatever it is (a directory, a FIFO, a dangling link …).

    The course policy sits beside the exercises under a reserved name: it is no exercise file.
    """
    return sorted({p for pattern in PATTERNS for p in folder.glob(pattern) if p.name != POLICY_NAME})


def exercise_files(folder: Path, root: Path | None = None) -> list[Path]:
    """The entries load_bank reads: regular files inside `root` (default: the folder's parent, the project)."""
    root = root if root is not None else folder.parent
    return [p for p in candidates(folder) if yamlsource.locate(p, root, p.name)[1] is None]


def load_bank(folder: Path, display_root: Path, cache_folder: Path | None = None) -> Bank:
    """Read every exercise file in `folder`; collect every problem, never stop at the first.

    `display_root` is the project: paths are shown relative to it, and no file outside it is read.
    Each file is read, checked and rendered once for the same inputs: the pieces are kept in memory
    and, with `cache_folder`, on disk (quiz.exercise_file, quiz.cache).
    """
    bank = Bank()
    bank.policy, bank.problems = load_policy(folder, display_root)
    schema_path = folder / SCHEMA_NAME
    kept = exercise_file.store(cache_folder, folder.relative_to(display_root).as_posix() if folder.is_relative_to(display_root) else folder.name)
    shared = exercise_file.shared_inputs(schema_path, bank.policy)
    pieces = [
        exercise_file.load(file, file.relative_to(display_root).as_posix(), display_root, schema_path, bank.policy, kept,
                           shared)
        for file in candidates(folder)
    ]
    loaded: list[Exercise] = []
    for piece in pieces:
        bank.problems += piece.problems
        if not piece.readable:
            bank.unreadable.add(piece.stem)
            continue
        if piece.title is not None:
            bank.titles[piece.stem] = piece.title
        if piece.scored:
            bank.scored.add(piece.stem)
        bank.set_marks[piece.stem] = piece.set_mark
        bank.groups.setdefault(piece.stem, []).extend(piece.ids)
        bank.broken |= piece.broken
        loaded += piece.exercises
    duplicates = rules.check_unique_ids(loaded, display_root)  # the project: git there tells old from new
    bank.problems += duplicates
    duplicated = {(p.path, p.line) for p in duplicates}
    for exercise in loaded:
        first_use = (exercise.path, exercise.mark("id")[0]) not in duplicated
        if exercise.id not in bank.broken and first_use:
            bank.exercises.setdefault(exercise.id, exercise)
    bank.sets = {piece.stem: piece.template for piece in pieces if piece.readable and _as_checked(piece, bank)}
    kept.prune()
    return bank


def _as_checked(piece: exercise_file.FilePiece, bank: Bank) -> bool:
    """Whether the piece's set still holds: each exercise it shows is the bank's (no id used twice, one file per name)."""
    if bank.groups[piece.stem] != list(piece.ids):
        return False
    return all(bank.exercises.get(e.id) is e for e in piece.exercises if e.id not in piece.broken)
