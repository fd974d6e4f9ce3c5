"""Preparing the exercises in a second process while the site engine renders pages.

A site build is single-threaded; the exercises need none of its pages until
they are placed, so a second core can load, check and render them meanwhile.
Whatever goes wrong with the second process (it cannot start, it dies, its
answer cannot be read), the work is done again in this process: the build's
result never depends on it.

A second process costs a fraction of a second to start (Python and the
packages the exercises need), so it is used only for a bank large enough to
gain from it: the first page that places exercises waits for them, the
pages before it are rendered meanwhile.
COURSE_QUIZ_WORKER=1 always uses it, =0 never does.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import weakref
from pathlib import Path

from .bank import exercise_files as bank_files
from .prepare import Job, Prepared, prepare

SWITCH = "COURSE_QUIZ_WORKER"
# About a thousand exercises: below this the work takes less time than starting on it elsewhere.
WORTH_A_PROCESS_BYTES = 1_000_000
# The folder that holds the quiz package, for the second process's imports,
# and the module the second process runs.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
WORKER_MODULE = "quiz.prepare"


class Preparation:
    """A Prepared that is being made; result() waits for it."""

    def __init__(self, job: Job, background: bool | None = None):
        self.job = job
        self.fallback_reason = ""  # why the work was redone here, if it was
        self._result: Prepared | None = None
        self._process = None
        if background is None:
            background = _wanted(job)
        if background:
            self._start()

    def _start(self) -> None:
        self._output = tempfile.TemporaryFile()
        self._errors = tempfile.TemporaryFile()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")])))
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", WORKER_MODULE],
                stdin=subprocess.PIPE, stdout=self._output, stderr=self._errors, env=env,
            )
            self._process.stdin.write(pickle.dumps(self.job))
            self._process.stdin.close()
        except OSError as error:  # cannot start, or died before reading its job
            self.fallback_reason = f"cannot start: {error}"
            if self._process:
                _kill(self._process)
            self._stop()
            return
        # A build that stops early must not leave the second process behind.
        weakref.finalize(self, _kill, self._process)

    def ready(self) -> bool:
        """Whether result() would return without waiting for the second process."""
        return self._result is not None or self._process is None or self._process.poll() is not None

    def result(self) -> Prepared:
        if self._result is None:
            self._result = self._collect() if self._process else None
            if self._result is None:
                self._result = prepare(self.job)
        return self._result

    def _collect(self) -> Prepared | None:
        code = self._process.wait()
        try:
            if code == 0:
                self._output.seek(0)
                return pickle.load(self._output)
            self._errors.seek(0)
            self.fallback_reason = f"exit {code}: {self._errors.read()[-2000:].decode('utf-8', 'replace')}"
        except Exception as error:  # any unreadable answer: redo the work here
            self.fallback_reason = f"unreadable result: {error!r}"
        finally:
            self._stop()
        return None

    def _stop(self) -> None:
        self._process = None
        for handle in (self._output, self._errors):
            handle.close()


def _wanted(job: Job) -> bool:
    switch = os.environ.get(SWITCH, "")
    if switch in ("0", "1"):
        return switch == "1"
    files = bank_files(job.project_dir / job.exercises_dir)
    return sum(f.stat().st_size for f in files) >= WORTH_A_PROCESS_BYTES


def _kill(process) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()
