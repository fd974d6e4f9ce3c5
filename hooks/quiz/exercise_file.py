"""One exercise file's share of the bank: read, checked and rendered once, then kept (quiz.cache).

A FilePiece holds what the bank needs of a file once its YAML is gone: its
exercises with the few positions later checks point at, every problem
found in it, its set's title, score and shuffle switches, and its set of exercises
rendered (prepare.set_template's markup). The YAML's position maps are
dropped as soon as the file is checked, so a bank of many files never
holds more than one file's.

What the piece depends on is all in its key: the file's bytes, its path as
messages name it, the course policy, the schema and the engine's version.
The sections its exercises link to are not: their titles and hrefs are
filled in where the set is placed.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, fields, replace
from pathlib import Path

from . import cache, course_rules, render, rules, schema, yamlsource
from .model import Exercise, Option, from_raw
from .policy import Policy
from .problems import Problem
from .yamlsource import Document

KIND = "exercise-files"
# The positions a check made after loading may still point at.
PINNED_FIELDS = (("id",), ("section",))
# Exercise fields that are tuples in the model and lists in JSON.
TUPLE_FIELDS = ("tags", "items", "rubric")


@dataclass(frozen=True)
class FilePiece:
    stem: str
    path: str  # as messages show it
    problems: tuple = ()
    readable: bool = False  # whether it gave a list of exercises
    ids: tuple = ()  # every exercise's id (or stand-in name), in file order
    broken: frozenset = frozenset()  # ids whose exercise has problems of its format
    exercises: tuple = ()  # the checked ones, positions pinned, in file order
    title: str | None = None
    scored: bool = False
    set_mark: tuple | None = None  # (path, line, column) of its list of exercises
    template: str = ""  # its whole set, as if every exercise checked here stays usable
    shuffled: bool = True  # its `shuffle`: whether its choice items' options may be shuffled


def store(folder: Path | None, exercises_shown: str) -> cache.Store:
    """The pieces of one exercise folder (named as messages show it): each folder prunes only its own."""
    return cache.Store(folder, f"{KIND}/{exercises_shown.replace('/', '_')}", decode=from_payload)


def shared_inputs(schema_path: Path, policy: Policy) -> str:
    """What every file's piece depends on besides the file: the engine, the policy, the schema. Hashed once a load."""
    return cache.key_of(cache.engine_version(), repr(policy), _bytes_of(schema_path))


def load(file: Path, shown: str, root: Path, schema_path: Path, policy: Policy, kept: cache.Store,
         shared: str) -> FilePiece:
    """The piece of `file`, from `kept` when the same inputs (`shared`: shared_inputs) made one before."""
    raw, problems = yamlsource.read(file, root, shown)
    if raw is None:
        return FilePiece(file.stem, shown, tuple(problems))
    key = cache.key_of(shared, shown, raw)  # the stem is part of the shown path
    piece = kept.get(key)
    if piece is None:
        piece = _make(file.stem, shown, raw, schema_path, policy)
        kept.put(key, piece, to_payload(piece))
    return piece


def _bytes_of(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _make(stem: str, shown: str, raw: bytes, schema_path: Path, policy: Policy) -> FilePiece:
    text, yaml_problems = yamlsource.decode(raw, shown)
    document = None
    if text is not None:
        document, yaml_problems = yamlsource.parse(text, shown)
    if document is None:
        return FilePiece(stem, shown, tuple(yaml_problems))
    # A refused tag or key leaves a gap the schema would report again: say it once.
    covered = {p.line for p in yaml_problems}
    problems = [p for p in schema.validate(document, shown, schema_path) if p.line not in covered]
    starts = _starts(document)
    problems += [_with_id(p, document, starts) for p in yaml_problems]
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), list):
        return FilePiece(stem, shown, tuple(problems))
    bad_indexes = {_index_at(p, starts) for p in problems} - {None}
    shuffled = data.get("shuffle") is not False
    ids, broken, exercises = [], set(), []
    for index, item in enumerate(data["exercises"]):
        raw_id = item.get("id") if isinstance(item, dict) else None
        name = raw_id if isinstance(raw_id, str) else f"{stem}-{index + 1}"
        ids.append(name)
        if index in bad_indexes or not isinstance(item, dict):
            broken.add(name)
            continue
        exercise = from_raw(item, shown, index, document, shuffled)
        found = rules.check_exercise(exercise, item)
        problems += found
        if found:
            broken.add(name)
        else:  # the course's rules on top of the format's; a shortfall still shows the exercise
            problems += course_rules.check_exercise(exercise, policy)
        exercises.append(exercise.pinned(*PINNED_FIELDS))
    title = data["title"] if isinstance(data.get("title"), str) else None
    scored = data.get("score") is True
    usable = {e.id: e for e in exercises if e.id not in broken}
    bodies = [
        render.slot_item(render.render_item(usable[i]), position) if i in usable else render.render_broken(i, position + 1)
        for position, i in enumerate(ids)
    ]
    return FilePiece(
        stem, shown, tuple(problems), True, tuple(ids), frozenset(broken), tuple(exercises), title, scored,
        (shown, *document.mark(("exercises",))), render.render_set(stem, title or "", bodies, scored), shuffled,
    )


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
    item = document.data["exercises"][index]
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return replace(problem, exercise_id=item["id"])
    return problem


# -- the piece as JSON, and back -------------------------------------------------

PROBLEM_FIELDS = [f.name for f in fields(Problem)]
EXERCISE_FIELDS = [f.name for f in fields(Exercise) if f.name != "document"]


def to_payload(piece: FilePiece) -> dict:
    return {
        "stem": piece.stem, "path": piece.path, "readable": piece.readable,
        "problems": [[getattr(p, name) for name in PROBLEM_FIELDS] for p in piece.problems],
        "ids": list(piece.ids), "broken": sorted(piece.broken),
        "exercises": [_exercise_data(e) for e in piece.exercises],
        "title": piece.title, "scored": piece.scored,
        "set_mark": list(piece.set_mark) if piece.set_mark else None, "template": piece.template,
        "shuffled": piece.shuffled,
    }


def from_payload(data: dict) -> FilePiece:
    """The piece a payload describes; any payload of the wrong shape raises (the cache then ignores it)."""
    problems = tuple(Problem(**_typed(dict(zip(PROBLEM_FIELDS, row, strict=True)), Problem)) for row in data["problems"])
    return FilePiece(
        _text(data["stem"]), _text(data["path"]), problems, _flag(data["readable"]),
        tuple(_text(i) for i in data["ids"]), frozenset(_text(i) for i in data["broken"]),
        tuple(_exercise(e) for e in data["exercises"]),
        None if data["title"] is None else _text(data["title"]), _flag(data["scored"]),
        None if data["set_mark"] is None else (_text(data["set_mark"][0]), int(data["set_mark"][1]), int(data["set_mark"][2])),
        _text(data["template"]), _flag(data["shuffled"]),
    )


def _exercise_data(exercise: Exercise) -> dict:
    data = {name: getattr(exercise, name) for name in EXERCISE_FIELDS}
    data["options"] = [[o.text, o.feedback, o.pin] for o in exercise.options]
    data["marks"] = [[list(path), line, column] for path, (line, column) in exercise.document.marks.items()]
    return data


def _exercise(data: dict) -> Exercise:
    values = {name: data[name] for name in EXERCISE_FIELDS}
    values["options"] = tuple(Option(_text(text), _text(feedback), _flag(pin)) for text, feedback, pin in data["options"])
    values["blanks"] = tuple(tuple(_text(answer) for answer in blank) for blank in data["blanks"])
    for name in TUPLE_FIELDS:
        values[name] = tuple(data[name])
    values["shuffle"] = _flag(data["shuffle"])
    if not isinstance(values["feedback"], dict):
        raise ValueError("feedback")
    marks = {tuple(path): (int(line), int(column)) for path, line, column in data["marks"]}
    return Exercise(**values, document=Document(None, marks))


def _typed(values: dict, kind) -> dict:
    for f in fields(kind):
        expected = {"str": str, "int": int, "bool": bool}[f.type]
        if type(values[f.name]) is not expected:
            raise ValueError(f.name)
    return values


def _text(value) -> str:
    if not isinstance(value, str):
        raise ValueError("text expected")
    return value


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError("flag expected")
    return value
