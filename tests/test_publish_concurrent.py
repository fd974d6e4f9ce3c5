"""Two publishes of the same target at the same time, and a run that finds the target locked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from hosting import PUBLISH, publish

ROUNDS = 20
KEEP = 2
PAGES = 20


def make_variant(folder: Path, name: str) -> Path:
    """A site that differs from every other variant by one file only: its version.json."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>课程</title>", encoding="utf-8")
    for number in range(PAGES):
        (folder / f"page{number:03d}.html").write_text(f"第 {number} 页\n" + "课" * 2000, encoding="utf-8")
    (folder / "version.json").write_text(json.dumps({"version": name, "commit": "", "date": "2026-11-20"}))
    return folder


def start_publish(target: Path, site: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(PUBLISH), "publish", "--target", str(target), "--site", str(site), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, **(env or {})),
    )


def broken_state(target: Path, names: set[str], keep: int) -> list[str]:
    """What is wrong with the target after a round whose publishes both reported success."""
    problems = []
    current = target / "current"
    if not current.is_symlink():
        return ["current is not a symlink"]
    live_id = os.path.basename(os.readlink(current))
    folder = target / "releases" / live_id
    expected = {"index.html", "version.json", *(f"page{n:03d}.html" for n in range(PAGES))}
    present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    if present != expected:
        problems.append(f"current -> {live_id}, which holds {len(present)} of {len(expected)} files")
    else:
        version = json.loads((folder / "version.json").read_text())["version"]
        if version not in names:
            problems.append(f"live release is {version}, not one of {sorted(names)}")
    history = (target / "history").read_text().split() if (target / "history").exists() else []
    if not history or history[-1] != live_id:
        problems.append(f"history ends with {history[-1:]} but {live_id} is live")
    releases = [p.name for p in (target / "releases").iterdir() if not p.name.startswith(".")]
    if len(releases) > keep:
        problems.append(f"{len(releases)} releases kept, --keep {keep}")
    if len(set(history[-2:])) != 2 or not set(history[-2:]) <= set(releases):
        problems.append(f"history {history[-3:]} does not end with both releases of the round")
    leftovers = [p.name for p in target.rglob("*") if ".new." in p.name or p.name.startswith(".incoming-")]
    if leftovers:
        problems.append(f"left behind: {leftovers}")
    return problems


def test_two_publishes_at_the_same_time_leave_one_whole_release_live(tmp_path):
    target = tmp_path / "srv"
    seed = make_variant(tmp_path / "sites" / "seed", "seed")
    assert publish("publish", "--target", str(target), "--site", str(seed)).returncode == 0
    failures = []
    for round_number in range(ROUNDS):
        names = {f"r{round_number}a", f"r{round_number}b"}
        sites = [make_variant(tmp_path / "sites" / name, name) for name in sorted(names)]
        runs = [start_publish(target, site, "--keep", str(KEEP)) for site in sites]
        outcomes = [(run.wait(timeout=120), *run.communicate()) for run in runs]
        # Both report success (the later one waits for the earlier one), and both are true.
        problems = [f"exit {code}: {(out + err).strip()}" for code, out, err in outcomes
                    if code != 0 or "已上线" not in out]
        problems += broken_state(target, names, KEEP)
        if problems:
            failures.append(f"round {round_number}: {'; '.join(problems)}")
    assert not failures, f"{len(failures)} of {ROUNDS} rounds broken:\n" + "\n".join(failures)


def hold_lock(target: Path, seconds: float) -> subprocess.Popen:
    """An administrator's maintenance, or another run, holding the target's lock."""
    holder = subprocess.Popen(["flock", str(target / ".publish.lock"), "sleep", str(seconds)])
    lock = target / ".publish.lock"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # flock -n fails while the holder has it: then it is really held.
        if lock.exists() and subprocess.run(["flock", "-n", str(lock), "true"]).returncode != 0:
            return holder
        time.sleep(0.02)
    holder.kill()
    raise AssertionError("the lock was never taken")


def test_a_run_that_finds_the_target_locked_waits_then_refuses(tmp_path):
    target = tmp_path / "srv"
    first, second = (make_variant(tmp_path / "sites" / name, name) for name in ("A", "B"))
    assert publish("publish", "--target", str(target), "--site", str(first)).returncode == 0
    before = (target / "history").read_text()
    holder = hold_lock(target, 30)
    try:
        started = time.monotonic()
        refused = publish("publish", "--target", str(target), "--site", str(second), "--wait", "1")
        waited = time.monotonic() - started
        rollback = publish("rollback", "--target", str(target), env={"PUBLISH_LOCK_WAIT": "1"})
    finally:
        holder.kill()
        holder.wait()
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "正在进行" in refused.stderr and "线上站点未改动" in refused.stderr and "--wait" in refused.stderr
    assert 1 <= waited < 20
    assert rollback.returncode == 1 and "正在进行" in rollback.stderr
    assert json.loads((target / "current" / "version.json").read_text())["version"] == "A"
    assert (target / "history").read_text() == before
    assert [p.name for p in (target / "releases").iterdir()] == [os.readlink(target / "current").split("/")[-1]]


def test_a_run_that_finds_the_target_locked_goes_ahead_once_it_is_free(tmp_path):
    target = tmp_path / "srv"
    first, second = (make_variant(tmp_path / "sites" / name, name) for name in ("A", "B"))
    assert publish("publish", "--target", str(target), "--site", str(first)).returncode == 0
    holder = hold_lock(target, 1.5)
    try:
        started = time.monotonic()
        done = publish("publish", "--target", str(target), "--site", str(second), "--wait", "30")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 0, done.stderr
    assert waited >= 1, "it did not wait for the lock"
    assert json.loads((target / "current" / "version.json").read_text())["version"] == "B"
