"""What release of the course a build is: version, commit and commit date.

The date is the commit's, never the clock's, so that the same commit builds
the same bytes on any machine and any day (SOURCE_DATE_EPOCH, as the
reproducible-builds convention has it). Imports nothing from MkDocs.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

# Dates are shown as the course's readers keep them: China Standard Time.
CHINA_TIME = timezone(timedelta(hours=8), "UTC+08:00")
EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
# Commit ids CI systems hand to a job, for builds from an export without .git.
COMMIT_VARIABLES = ("COURSE_COMMIT", "CI_COMMIT_SHA", "GITHUB_SHA")
VERSION_FILE = "version.json"
# What a site is built from: a change here is a change to the site.
SOURCES = ("mkdocs.yml", "mkdocs-instructor.yml", "docs", "exercises", "hooks", "search", "overrides")


@dataclass(frozen=True)
class Release:
    version: str
    commit: str  # full commit id, or "" when unknown
    date: str  # commit date, YYYY-MM-DD in China Standard Time, or "" when unknown
    modified: bool  # built from a working tree with uncommitted changes
    edition: str = ""  # which edition the site is (editions.LABELS), "" when not said

    def footer(self) -> str:
        """E.g. 版本 1.3 · 2026-11-20 · 学员版."""
        parts = [f"版本 {self.version}"]
        if self.date:
            parts.append(self.date)
        if self.edition:
            parts.append(self.edition)
        if self.modified:
            parts.append("含未提交的修改")
        return " · ".join(parts)

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _git(project_dir: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=project_dir, capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def source_date_epoch(project_dir: Path) -> str:
    """SOURCE_DATE_EPOCH if set, else the last commit's time; "" if neither is known."""
    return os.environ.get(EPOCH_VARIABLE) or _git(project_dir, "log", "-1", "--format=%ct")


def read_release(project_dir: Path, version: str, edition: str = "") -> Release:
    commit = next((os.environ[v] for v in COMMIT_VARIABLES if os.environ.get(v)), "")
    commit = commit or _git(project_dir, "rev-parse", "HEAD")
    epoch = source_date_epoch(project_dir)
    date = datetime.fromtimestamp(int(epoch), CHINA_TIME).strftime("%Y-%m-%d") if epoch.isdigit() else ""
    # Only what the site is built from counts; build output and caches are no change.
    status = _git(project_dir, "status", "--porcelain", "--", *SOURCES)
    return Release(version=str(version), commit=commit, date=date, modified=bool(status), edition=edition)


def write_version_file(site_dir: Path, release: Release) -> Path:
    path = site_dir / VERSION_FILE
    path.write_text(release.as_json(), encoding="utf-8")
    return path
