"""Reproducible builds: the same commit gives the same bytes, with its version on every page."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import ROOT


def clone(dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    return dest


def build(project: Path, out: Path, **env: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=project, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env),
    )
    assert done.returncode == 0, done.stderr[-3000:]


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def git(project: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def two_clones(tmp_path_factory):
    base = tmp_path_factory.mktemp("reproducible")
    if not (ROOT / ".git").exists():
        pytest.fail("这个测试要从 git 仓库中运行：版本号和日期取自提交。")
    first, second = clone(base / "first"), clone(base / "elsewhere" / "second")
    # Different paths, hash seeds and time zones: nothing of the machine may show in the output.
    build(first, base / "out-first", PYTHONHASHSEED="1", TZ="UTC")
    build(second, base / "out-second", PYTHONHASHSEED="4242", TZ="America/New_York")
    return base, first


def test_the_same_commit_builds_identical_trees(two_clones):
    base, _ = two_clones
    first, second = tree_hashes(base / "out-first"), tree_hashes(base / "out-second")
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"files differ between two builds of one commit: {differing[:10]}"


def test_version_file_and_footer_name_the_commit_and_its_date(two_clones):
    base, project = two_clones
    version = json.loads((base / "out-first" / "version.json").read_text(encoding="utf-8"))
    commit_time = int(git(project, "log", "-1", "--format=%ct"))
    date = datetime.fromtimestamp(commit_time, timezone(timedelta(hours=8))).strftime("%Y-%m-%d")
    assert version == {"commit": git(project, "rev-parse", "HEAD"), "date": date, "modified": False, "version": "1.0"}
    for page in ("index.html", "topics/index.html"):
        html = (base / "out-first" / page).read_text(encoding="utf-8")
        assert f"版本 1.0 · {date}" in html, page
    # The sitemap is dated by the commit too, not by the day of the build.
    sitemap = (base / "out-first" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<lastmod>{datetime.fromtimestamp(commit_time, timezone.utc):%Y-%m-%d}</lastmod>" in sitemap


def test_a_build_with_uncommitted_changes_says_so(two_clones, tmp_path):
    _, project = two_clones
    lesson = project / "docs" / "topics.md"
    original = lesson.read_text(encoding="utf-8")
    lesson.write_text(original + "\n补充一句。\n", encoding="utf-8")
    try:
        build(project, tmp_path / "out")
    finally:
        lesson.write_text(original, encoding="utf-8")
    version = json.loads((tmp_path / "out" / "version.json").read_text(encoding="utf-8"))
    assert version["modified"] is True
    assert "含未提交的修改" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
