"""The part of a build that needs no page: every exercise loaded, checked and rendered.

Each exercise file's share is kept by the content it was made from
(quiz.exercise_file, quiz.cache), so a build pays only for the files that
changed since the last one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import cache, render
from .bank import Bank, load_bank

EXERCISES_DIR = "exercises"


@dataclass(frozen=True)
class Job:
    project_dir: Path
    exercises_dir: str = EXERCISES_DIR  # the exercise files' folder, relative to the project
    # Where work done is kept between builds, relative to the project; "" keeps it in memory only.
    cache_dir: str = cache.DEFAULT_FOLDER

    @property
    def cache_folder(self) -> Path | None:
        return self.project_dir / self.cache_dir if self.cache_dir else None


def prepare(job: Job) -> Bank:
    """The bank, each file's set of exercises rendered (bank.sets) unless an id it uses is another file's too."""
    return load_bank(job.project_dir / job.exercises_dir, job.project_dir, job.cache_folder)


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
