"""The part of a build that needs no page: load, check and render every exercise.

It can run in the build's own process or, through quiz.background, in a
second one while the site engine renders the pages. Run as a module it reads
a pickled Job on standard input and writes the pickled Prepared on standard
output.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, render
from .bank import Bank, load_bank

EXERCISES_DIR = "exercises"


@dataclass(frozen=True)
class Job:
    project_dir: Path
    render: bool = True  # render each exercise's markup ahead of placing it
    exercises_dir: str = EXERCISES_DIR  # the exercise files' folder, relative to the project
    # Where work done is kept between builds, relative to the project; "" keeps it in memory only.
    cache_dir: str = cache.DEFAULT_FOLDER

    @property
    def cache_folder(self) -> Path | None:
        return self.project_dir / self.cache_dir if self.cache_dir else None


@dataclass
class Prepared:
    bank: Bank
    # Whole files come ready, as set templates; exercises placed one by one
    # (<!-- exercise: id -->) are few and rendered where they are placed.
    sets: dict[str, str] = field(default_factory=dict)  # file stem -> set_template markup


def prepare(job: Job) -> Prepared:
    bank = load_bank(job.project_dir / job.exercises_dir, job.project_dir, job.cache_folder)
    prepared = Prepared(bank, dict(bank.sets))
    if job.render:  # the sets a file's own rendering does not hold for (an id used twice)
        for name in bank.groups:
            if name not in prepared.sets:
                prepared.sets[name] = set_template(bank, name)
    return prepared


def set_template(bank: Bank, name: str) -> str:
    """A file's whole set of exercises, numbered, with slots for their section links (render.fill_set)."""
    bodies = []
    for position, exercise_id in enumerate(bank.groups[name]):
        exercise = bank.exercises.get(exercise_id)
        if exercise is None:
            bodies.append(render.render_broken(exercise_id, position + 1))
        else:
            bodies.append(render.slot_item(render.render_item(exercise), position))
    return render.render_set(name, bank.titles.get(name, ""), bodies, name in bank.scored)


def main() -> int:
    job = pickle.load(sys.stdin.buffer)
    pickle.dump(prepare(job), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    # Through the package, so that the pickled classes name quiz.prepare, not __main__.
    from quiz.prepare import main as package_main

    sys.exit(package_main())
