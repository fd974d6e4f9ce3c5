"""Publishing releases to a folder: atomic switch, rollback, interruption, retention."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from hosting import PUBLISH, publish


def make_site(folder: Path, name: str, files: int = 20, size: int = 2000) -> Path:
    """A stand-in for a built site: every file names its release."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(f"<!doctype html><title>{name}</title>", encoding="utf-8")
    (folder / "version.json").write_text(json.dumps({"version": name, "commit": "", "date": "2026-11-20"}))
    for number in range(files):
        (folder / f"page{number:03d}.html").write_text(f"{name}\n" + "课" * size, encoding="utf-8")
    return folder


def live(target: Path) -> str:
    return json.loads((target / "current" / "version.json").read_text())["version"]


def history(target: Path) -> list[str]:
    return (target / "history").read_text().split()


def ok(*args: str, **env: str) -> str:
    done = publish(*args, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def sites(tmp_path):
    return {name: make_site(tmp_path / "sites" / name, name) for name in ("A", "B", "C", "D")}


def test_two_releases_in_a_row_and_the_same_one_twice(tmp_path, sites):
    target = tmp_path / "srv"
    ok("publish", "--target", str(target), "--site", str(sites["A"]))
    assert live(target) == "A" and (target / "current").is_symlink()
    ok("publish", "--target", str(target), "--site", str(sites["B"]))
    assert live(target) == "B" and len(history(target)) == 2
    before = sorted(p.name for p in (target / "releases").iterdir())
    out = ok("publish", "--target", str(target), "--site", str(sites["B"]))
    assert "已上线" in out and live(target) == "B"
    assert sorted(p.name for p in (target / "releases").iterdir()) == before
    assert len(history(target)) == 2, "publishing the same release again changes nothing"


def test_a_reader_never_sees_a_missing_or_mixed_release(tmp_path, sites):
    target = tmp_path / "srv"
    ok("publish", "--target", str(target), "--site", str(sites["A"]))
    problems, seen, stop = [], set(), threading.Event()

    def read_continuously():
        while not stop.is_set():
            try:
                # As a web server does: resolve the live folder, then read a whole page set from it.
                folder = Path(os.path.realpath(target / "current"))
                names = {(folder / f"page{n:03d}.html").read_text(encoding="utf-8").split("\n", 1)[0] for n in range(20)}
                seen.update(names)
                if len(names) != 1:
                    problems.append(f"mixed: {names}")
                live(target)  # the live version file is always there and whole
            except (OSError, ValueError) as error:
                problems.append(repr(error))

    reader = threading.Thread(target=read_continuously)
    reader.start()
    try:
        for name in ("B", "C", "A", "D", "B"):
            ok("publish", "--target", str(target), "--site", str(sites[name]), "--keep", "2")
    finally:
        stop.set()
        reader.join()
    assert problems == []
    assert seen >= {"A", "B"}


def test_rollback_restores_the_previous_release(tmp_path, sites):
    target = tmp_path / "srv"
    for name in ("A", "B", "C"):
        ok("publish", "--target", str(target), "--site", str(sites[name]))
    assert "已回滚" in ok("rollback", "--target", str(target))
    assert live(target) == "B"
    ok("rollback", "--target", str(target))
    assert live(target) == "A"
    refused = publish("rollback", "--target", str(target))
    assert refused.returncode != 0 and "没有更早的版本" in refused.stderr
    assert live(target) == "A"
    status = ok("releases", "--target", str(target))
    assert "线上版本" in status


def test_only_the_last_n_releases_are_kept(tmp_path, sites):
    target = tmp_path / "srv"
    for name in ("A", "B", "C", "D"):
        ok("publish", "--target", str(target), "--site", str(sites[name]), "--keep", "2")
    releases = sorted(p.name for p in (target / "releases").iterdir())
    assert len(releases) == 2 and sorted(history(target)) == releases
    assert live(target) == "D"
    ok("rollback", "--target", str(target))
    assert live(target) == "C"


def test_an_interrupted_publish_leaves_the_live_site_as_it_was(tmp_path, sites):
    target = tmp_path / "srv"
    ok("publish", "--target", str(target), "--site", str(sites["A"]))
    before = {p.name: p.read_bytes() for p in (target / "current").iterdir()}
    big = make_site(tmp_path / "sites" / "big", "big", files=40, size=20_000)
    # Slow the copy down so that it can be killed half-way, as a cancelled CI job would be.
    process = subprocess.Popen(
        [sys.executable, str(PUBLISH), "publish", "--target", str(target), "--site", str(big)],
        env=dict(os.environ, PUBLISH_RSYNC_OPTIONS="--bwlimit=300"), start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    incoming = []
    while time.monotonic() < deadline and not incoming:
        incoming = [p for p in (target / "releases").glob(".incoming-*") if any(p.iterdir())]
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert incoming, "the copy never started"
    assert live(target) == "A"
    assert {p.name: p.read_bytes() for p in (target / "current").iterdir()} == before
    # The next publish goes through and clears what the killed one left.
    ok("publish", "--target", str(target), "--site", str(sites["B"]))
    assert live(target) == "B"
    assert not list((target / "releases").glob(".incoming-*"))


def test_a_site_that_is_not_a_whole_build_is_never_published(tmp_path, sites):
    target = tmp_path / "srv"
    ok("publish", "--target", str(target), "--site", str(sites["A"]))
    half = tmp_path / "half"
    half.mkdir()
    (half / "index.html").write_text("<!doctype html>")
    refused = publish("publish", "--target", str(target), "--site", str(half))
    assert refused.returncode == 1 and "version.json" in refused.stderr and "run.py build" in refused.stderr
    modified = make_site(tmp_path / "modified", "M")
    (modified / "version.json").write_text(json.dumps({"version": "M", "commit": "", "modified": True}))
    refused = publish("publish", "--target", str(target), "--site", str(modified))
    assert refused.returncode == 1 and "未提交" in refused.stderr
    stale = make_site(tmp_path / "stale", "S")
    (stale / "version.json").write_text(json.dumps({"version": "S", "commit": "0" * 40}))
    refused = publish("publish", "--target", str(target), "--site", str(stale))
    assert refused.returncode == 1 and "重新运行 python3 run.py build" in refused.stderr
    assert live(target) == "A"


def test_no_target_is_a_plain_message(tmp_path, sites):
    done = publish("publish", "--site", str(sites["A"]), env={"PUBLISH_TARGET": ""})
    assert done.returncode == 2 and "PUBLISH_TARGET" in done.stderr
    done = publish("publish", "--target", str(tmp_path / "srv"), "--site", str(sites["A"]), env={"PUBLISH_KEEP": "五"})
    assert done.returncode == 2 and "--keep" in done.stderr and "Traceback" not in done.stderr


def leftovers(target: Path) -> list[str]:
    """Temporary files of a publish: none may outlive it."""
    return sorted(p.name for p in target.rglob("*") if ".new." in p.name or p.name.startswith(".incoming-"))


def test_a_plain_current_folder_is_refused_and_leaves_nothing_behind(tmp_path, sites):
    target = tmp_path / "srv"
    (target / "current").mkdir(parents=True)
    (target / "current" / "index.html").write_text("copied by hand")
    for _ in range(2):
        refused = publish("publish", "--target", str(target), "--site", str(sites["A"]))
        assert refused.returncode == 1
        assert "current" in refused.stderr and "符号链接" in refused.stderr and "线上站点未改动" in refused.stderr
    assert leftovers(target) == []
    assert (target / "current" / "index.html").read_text() == "copied by hand"


def test_keep_zero_is_refused_before_anything_is_copied(tmp_path, sites):
    target = tmp_path / "srv"
    for keep_args, env in ((["--keep", "0"], {}), ([], {"PUBLISH_KEEP": "0"}), (["--keep", "-1"], {})):
        refused = publish("publish", "--target", str(target), "--site", str(sites["A"]), *keep_args, env=env)
        assert refused.returncode == 2, refused.stderr
        assert "--keep" in refused.stderr and "正整数" in refused.stderr and "Traceback" not in refused.stderr
    assert not target.exists()


def test_rollback_skips_releases_deleted_by_hand(tmp_path, sites):
    target = tmp_path / "srv"
    for name in ("A", "B", "C"):
        ok("publish", "--target", str(target), "--site", str(sites[name]))
    a, b, c = history(target)
    shutil.rmtree(target / "releases" / b)
    out = ok("rollback", "--target", str(target))
    assert live(target) == "A" and b in out and "已回滚" in out
    assert history(target) == [a]
    # Nothing older left at all: refused, and the site stays as it is.
    refused = publish("rollback", "--target", str(target))
    assert refused.returncode == 1 and "没有更早的版本" in refused.stderr and live(target) == "A"


def test_releases_says_when_the_live_folder_is_missing(tmp_path, sites):
    target = tmp_path / "srv"
    for name in ("A", "B"):
        ok("publish", "--target", str(target), "--site", str(sites[name]))
    a, b = history(target)
    assert "不存在" not in ok("releases", "--target", str(target))
    shutil.rmtree(target / "releases" / b)
    status = ok("releases", "--target", str(target))
    assert b in status and "不存在" in status and "rollback" in status
    # And rollback still gets the site back.
    ok("rollback", "--target", str(target))
    assert live(target) == "A"


def test_rollback_and_releases_never_create_a_mistyped_target(tmp_path):
    for command in ("rollback", "releases"):
        typo = tmp_path / "srv-typo" / "course"
        done = publish(command, "--target", str(typo))
        assert done.returncode == 1, done.stdout + done.stderr
        assert str(typo) in done.stderr and "不存在" in done.stderr and "--target" in done.stderr
        assert not (tmp_path / "srv-typo").exists()
    # A folder that exists but holds no releases is not made into one either.
    other = tmp_path / "other"
    other.mkdir()
    for command in ("rollback", "releases"):
        done = publish(command, "--target", str(other))
        assert done.returncode == 1 and "发布目录" in done.stderr
    assert list(other.iterdir()) == []


def test_a_host_whose_sh_is_bash(tmp_path, sites):
    # Some hosts' sh is bash, which runs each line of a script piped to it as soon as it has
    # read it: the answer publish.py sends after the copy must not be taken for script text.
    bash = shutil.which("bash")
    if not bash:
        pytest.skip("no bash here")
    shell = tmp_path / "bin"
    shell.mkdir()
    (shell / "sh").symlink_to(bash)
    path = {"PATH": f"{shell}{os.pathsep}{os.environ['PATH']}"}
    target = tmp_path / "srv"
    for name in ("A", "B"):
        ok("publish", "--target", str(target), "--site", str(sites[name]), **path)
        assert live(target) == name
    ok("rollback", "--target", str(target), **path)
    assert live(target) == "A" and leftovers(target) == []
