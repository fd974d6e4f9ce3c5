"""Exercises prepared in a second process: the site is the same either way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from quiz import background
from quiz.background import Preparation
from quiz.prepare import Job, prepare


def build(project: Path, out: Path, worker: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", COURSE_QUIZ_WORKER=worker)
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-v", "-d", str(out)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )


def site_texts(out: Path) -> dict[str, str]:
    files = sorted(out.rglob("*.html")) + [out / "search" / "search_index.json"]
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in files}


def test_second_process_and_build_process_make_the_same_site(tmp_path):
    results = {}
    for worker in ("1", "0"):
        done = build(ROOT, tmp_path / f"site-{worker}", worker)
        assert done.returncode == 0, done.stderr[-3000:]
        results[worker] = done
    # The second process really did the work, and said nothing about falling back.
    assert "exercises prepared in the build process" not in results["1"].stderr
    first, second = site_texts(tmp_path / "site-1"), site_texts(tmp_path / "site-0")
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"pages differ between the two ways: {different[:5]}"
    assert 'class="quiz"' in first["positioning/index.html"]


def test_a_second_process_that_fails_leaves_the_work_to_this_one(tmp_path, monkeypatch):
    # A second process that cannot even start its work (here: no such module) exits with an error.
    monkeypatch.setattr(background, "WORKER_MODULE", "quiz.no_such_module")
    job = Job(ROOT)
    preparation = Preparation(job, background=True)
    result = preparation.result()
    assert "exit" in preparation.fallback_reason and "quiz" in preparation.fallback_reason
    assert result.sets == prepare(job).sets and len(result.sets) >= 5


def test_the_second_process_answers_with_the_same_work(tmp_path):
    job = Job(ROOT)
    preparation = Preparation(job, background=True)
    result = preparation.result()
    assert preparation.fallback_reason == ""
    expected = prepare(job)
    assert result.sets == expected.sets and 'class="quiz"' in result.sets["positioning"]
    assert sorted(result.bank.exercises) == sorted(expected.bank.exercises)


def test_nothing_in_the_exercise_core_waits_while_pages_are_scanned():
    """scan_page only notes shortcodes: the bank is needed first when placing exercises."""
    from quiz.session import QuizSession

    class NotYet:
        job = Job(ROOT)

        def result(self):
            pytest.fail("the session asked for the exercises before placing any")

    session = QuizSession(ROOT, preparation=NotYet())
    for page in sorted((ROOT / "docs").rglob("*.md")):
        session.scan_page(page.relative_to(ROOT / "docs").as_posix(), page.read_text(encoding="utf-8"))


def test_a_small_bank_is_prepared_in_the_build_process_unless_asked(monkeypatch):
    monkeypatch.delenv(background.SWITCH, raising=False)
    small = Preparation(Job(ROOT))
    assert small.ready() and small._process is None, "the course's own bank is too small to gain from a process"
    monkeypatch.setenv(background.SWITCH, "1")
    forced = Preparation(Job(ROOT))
    assert forced._process is not None
    assert forced.result().sets == prepare(Job(ROOT)).sets
