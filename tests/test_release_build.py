"""Reproducible builds: the same commit gives the same bytes, with its version on every page.

Built from a commit of the working tree as it is, so that what is tested is
what is about to be committed, not the last commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project


# A commit of the working tree, dated in the past: at 20:30 UTC it is already
# the next day in China Standard Time, so a date taken from the clock, or in
# the build machine's time zone, cannot pass.
COMMIT_DATE = "2024-03-09T20:30:00+00:00"
DATE_IN_CHINA = "2024-03-10"
DATE_IN_UTC = "2024-03-09"
# What CI or a release script may set; the builds here must read the commit.
RELEASE_VARIABLES = ("SOURCE_DATE_EPOCH", "COURSE_COMMIT", "CI_COMMIT_SHA", "GITHUB_SHA")


def commit_working_tree(dest: Path) -> Path:
    """What a build reads, as it is now (committed or not), committed on COMMIT_DATE."""
    copy_project(dest)
    shutil.copy2(ROOT / ".gitignore", dest / ".gitignore")
    dated = dict(os.environ, GIT_AUTHOR_DATE=COMMIT_DATE, GIT_COMMITTER_DATE=COMMIT_DATE)
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=test", "-c", "user.email=test@localhost", "-c", "commit.gpgsign=false",
                  "commit", "-q", "-m", "release under test"]):
        subprocess.run(["git", *args], cwd=dest, env=dated, check=True, capture_output=True)
    return dest


def clone(source: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(source), str(dest)], check=True)
    return dest


def build(project: Path, out: Path, **env: str) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in RELEASE_VARIABLES}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=project, capture_output=True, text=True, timeout=300,
        env=dict(clean, NO_MKDOCS_2_WARNING="1", **env),
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
    first = commit_working_tree(base / "first")
    second = clone(first, base / "elsewhere" / "second")
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
    assert git(project, "log", "-1", "--format=%cI") == COMMIT_DATE
    for out in ("out-first", "out-second"):  # built in UTC and in New York
        version = json.loads((base / out / "version.json").read_text(encoding="utf-8"))
        assert version == {"commit": git(project, "rev-parse", "HEAD"), "date": DATE_IN_CHINA,
                           "modified": False, "version": "1.0", "edition": "学员版"}
        for page in ("index.html", "topics/index.html"):
            html = (base / out / page).read_text(encoding="utf-8")
            assert f"版本 1.0 · {DATE_IN_CHINA}" in html, page
        # The sitemap is dated by the commit too (MkDocs writes it in UTC), not by the day of the build.
        sitemap = (base / out / "sitemap.xml").read_text(encoding="utf-8")
        assert f"<lastmod>{DATE_IN_UTC}</lastmod>" in sitemap
        assert sitemap.count("<lastmod>") == sitemap.count(f"<lastmod>{DATE_IN_UTC}</lastmod>")


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
