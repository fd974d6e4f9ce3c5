"""Publishing into a target whose disk is full: refused with the live site as it was, or truthful."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hosting import publish
from test_publish import make_site


@contextlib.contextmanager
def tmpfs(mount_point: Path, size: str):
    """A small file system of its own at mount_point, unmounted whatever happens."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("挂载 tmpfs 需要 root（CI 与 python3 run.py test 都以 root 运行）")
    mount_point.mkdir(exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(mount_point)], check=True)
    try:
        yield mount_point
    finally:
        if subprocess.run(["umount", str(mount_point)]).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], check=True)


@pytest.fixture
def small_disk(tmp_path):
    with tmpfs(tmp_path / "disk", "2m") as mount_point:
        yield mount_point


def fill(disk: Path) -> Path:
    """Write one file until the disk has no room left, not even for a byte."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for chunk in (b"\0" * 65536, b"\0"):
            try:
                while os.write(descriptor, chunk):
                    pass
            except OSError as error:
                assert error.errno == errno.ENOSPC
    finally:
        os.close(descriptor)
    return filler


def state(target: Path) -> dict:
    return {
        "live": os.readlink(target / "current"),
        "history": (target / "history").read_text(),
        "entries": sorted(p.relative_to(target).as_posix() for p in target.rglob("*")
                          if not p.is_relative_to(target / "current")),
    }


def test_a_full_disk_leaves_the_live_site_and_no_stray_files(tmp_path, small_disk):
    target = small_disk / "srv"
    site_a = make_site(tmp_path / "sites" / "A", "A", files=10, size=200)
    done = publish("publish", "--target", str(target), "--site", str(site_a))
    assert done.returncode == 0, done.stderr
    before = state(target)
    filler = fill(small_disk)

    # A with one page less: every file can be hard-linked from the live release, so the copy
    # needs no room and what fails is writing the new history.
    smaller = tmp_path / "sites" / "A-smaller"
    shutil.copytree(site_a, smaller)
    (smaller / "page009.html").unlink()
    refused = publish("publish", "--target", str(target), "--site", str(smaller))
    # One page changed: now the copy itself runs out of room.
    changed = tmp_path / "sites" / "A-changed"
    shutil.copytree(site_a, changed)
    (changed / "page000.html").write_text("改过的一页\n" + "课" * 2000, encoding="utf-8")
    refused_copy = publish("publish", "--target", str(target), "--site", str(changed))

    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "线上站点未改动" in refused.stderr and "磁盘" in refused.stderr, refused.stderr
    assert "已上线" not in refused.stdout
    assert refused_copy.returncode == 1 and "线上站点未改动" in refused_copy.stderr, refused_copy.stderr
    # Nothing switched, nothing half-written, nothing left to clean by hand.
    assert state(target) == before

    filler.unlink()
    done = publish("publish", "--target", str(target), "--site", str(smaller))
    assert done.returncode == 0, done.stderr
    assert json.loads((target / "current" / "version.json").read_text())["version"] == "A"
    assert not (target / "current" / "page009.html").exists()
    assert len((target / "history").read_text().split()) == 2


def test_a_problem_after_the_switch_is_reported_with_the_release_that_is_live(tmp_path):
    target = tmp_path / "srv"
    site_a, site_b = (make_site(tmp_path / "sites" / name, name, files=3) for name in ("A", "B"))
    assert publish("publish", "--target", str(target), "--site", str(site_a)).returncode == 0
    old = next((target / "releases").iterdir())
    # A mount point inside the old release: pruning it fails (EBUSY) once the new one is live.
    with tmpfs(old / "mounted", "64k"):
        done = publish("publish", "--target", str(target), "--site", str(site_b), "--keep", "1")
    assert done.returncode == 1
    assert "已上线" in done.stdout and "发布失败" not in done.stderr, done.stdout + done.stderr
    assert "线上已经是上面这个版本" in done.stderr and old.name in done.stderr
    assert json.loads((target / "current" / "version.json").read_text())["version"] == "B"
    assert (target / "history").read_text().split() == [os.readlink(target / "current").split("/")[-1]]
