"""A strict build fails on every problem, whatever verbosity flag CI adds.

MkDocs 1.6 drops warnings before strict mode counts them under -q
(mkdocs#4126) and skips anchor validation under -v (mkdocs#3991); the
course's hooks restore both, and abort by themselves on exercise and
typography problems.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project

FLAGS = {"no flag": [], "-q": ["-q"], "-v": ["-v"]}


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def answer_not_among_options(project: Path) -> str:
    path = project / "exercises" / "positioning.yml"
    text = path.read_text(encoding="utf-8")
    assert "answer: B" in text
    path.write_text(text.replace("answer: B", "answer: Z", 1), encoding="utf-8")
    return "答案 Z 不在选项中"


def link_to_missing_anchor(project: Path) -> str:
    append(project / "docs" / "index.md", "\n[坏锚点](introduction.md#并不存在的小节)\n")
    return "并不存在的小节"


def link_to_missing_page(project: Path) -> str:
    append(project / "docs" / "introduction.md", "\n[坏链接](no-such-page.md)\n")
    return "no-such-page.md"


def half_width_comma(project: Path) -> str:
    append(project / "docs" / "introduction.md", "\n信息工作,要求很高。\n")
    return "中文排版问题"


DEFECTS = {
    "answer not among options": answer_not_among_options,
    "link to a missing anchor": link_to_missing_anchor,
    "link to a missing page": link_to_missing_page,
    "half-width comma": half_width_comma,
}


def strict_build(project: Path, out: Path, flags: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *flags, "-d", str(out)],
        cwd=project,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("clean") / "project")


@pytest.mark.parametrize("flag", FLAGS)
def test_clean_course_passes_under_every_flag(clean_copy, tmp_path, flag):
    result = strict_build(clean_copy, tmp_path / "site", FLAGS[flag])
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").exists()
    if flag == "-q":  # quiet means quiet: a passing build shows nothing
        assert result.stderr.strip() == "" and result.stdout.strip() == "", result.stderr


@pytest.mark.parametrize("flag", FLAGS)
@pytest.mark.parametrize("defect", DEFECTS)
def test_each_defect_fails_under_every_flag(tmp_path, defect, flag):
    project = copy_project(tmp_path / "project")
    named = DEFECTS[defect](project)
    result = strict_build(project, tmp_path / "site", FLAGS[flag])
    assert result.returncode != 0, f"{defect} passed a strict build with {flag}:\n{result.stderr}"
    assert named in result.stderr
    assert "Traceback" not in result.stderr
