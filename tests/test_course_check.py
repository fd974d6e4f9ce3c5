"""`python3 run.py check`: the strict build's checks without building, worded for instructors,
and the Chinese line the build adds under MkDocs' own English warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build

CHECK = ROOT / "hooks" / "course_check.py"


def run_check(project: Path, *flags: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(project / "hooks"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, str(project / "hooks" / "course_check.py"), str(project), *flags],
                          capture_output=True, text=True, env=env, timeout=120)


def append(path: Path, text: str) -> int:
    """Append text; the line number its first line lands on."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1 + (len(text) - len(text.lstrip("\n")))


def test_run_py_check_passes_the_course_with_one_line():
    result = subprocess.run([sys.executable, str(ROOT / "run.py"), "check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines[-1].startswith("检查通过：") and "篇课文" in lines[-1]
    assert "练习覆盖情况" not in result.stdout


def test_coverage_table_comes_with_the_flag(project_copy):
    result = run_check(project_copy, "--coverage")
    assert result.returncode == 0, result.stdout
    assert "练习覆盖情况" in result.stdout and "第一讲" in result.stdout


def test_an_unknown_option_is_named(project_copy):
    result = run_check(project_copy, "--coverag")
    assert result.returncode == 2
    assert "不认识的选项：--coverag" in result.stderr


def test_a_missing_anchor_is_found_by_check_and_build_alike(project_copy, tmp_path):
    line = append(project_copy / "docs" / "index.md", "\n[坏锚点](introduction.md#四个作用)\n")
    checked = run_check(project_copy)
    assert checked.returncode == 1
    expected = f"docs/index.md:{line}:"
    found = [x for x in checked.stdout.splitlines() if x.startswith(expected)]
    assert len(found) == 1, checked.stdout
    # The real anchors of that page, closest first.
    assert "最接近的在前）：#信息工作的四个作用" in found[0]
    assert checked.stdout.splitlines()[-1] == "检查发现 1 个问题，请逐条修改后重新检查（python3 run.py check）。"
    built = mkdocs_build(project_copy, tmp_path / "site")
    assert built.returncode != 0
    assert found[0] in built.stderr, built.stderr
    assert "严格模式：有 1 条警告" in built.stderr


def test_a_link_to_a_missing_page_and_a_page_left_out_of_the_nav(project_copy, tmp_path):
    line = append(project_copy / "docs" / "topics.md", "\n见[另一讲](../lesson-five.md)。\n")
    (project_copy / "docs" / "orphan.md").write_text("# 没有列入导航的页\n", encoding="utf-8")
    checked = run_check(project_copy)
    assert checked.returncode == 1
    assert f"docs/topics.md:{line}:" in checked.stdout and "lesson-five.md" in checked.stdout
    assert "docs/orphan.md:1:1：[课文] 这一页没有列入 mkdocs.yml 的 nav" in checked.stdout
    built = mkdocs_build(project_copy, tmp_path / "site")
    assert built.returncode != 0
    assert f"docs/topics.md:{line}:" in built.stderr
    assert "docs/orphan.md:1:1：[课文] 这一页没有列入 mkdocs.yml 的 nav" in built.stderr


@pytest.mark.parametrize("page", ["glossary.md", "instructors/index.md", "positioning.md"])
def test_a_lesson_saved_as_gbk_is_named_in_check_and_build(project_copy, tmp_path, page):
    path = project_copy / "docs" / page
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk", errors="replace"))
    checked = run_check(project_copy)
    assert checked.returncode == 1
    problems = [x for x in checked.stdout.splitlines() if x.startswith(f"docs/{page}:")]
    assert len(problems) == 1, checked.stdout
    assert "GBK" in problems[0] and "UTF-8" in problems[0] and "另存为" in problems[0]
    # One line for one cause: exercises training that page are not judged on a garbled reading.
    assert checked.stdout.splitlines()[-1].startswith("检查发现 1 个问题"), checked.stdout
    assert "Traceback" not in checked.stdout + checked.stderr
    built = mkdocs_build(project_copy, tmp_path / "site")
    assert built.returncode != 0
    assert problems[0] in built.stderr
    assert "Traceback" not in built.stderr


def test_typography_and_exercise_problems_are_in_check(project_copy):
    line = append(project_copy / "docs" / "research.md", "\n调研要深入,不能走过场。\n")
    path = project_copy / "exercises" / "positioning.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("answer: B", "answer: Z", 1), encoding="utf-8")
    checked = run_check(project_copy)
    assert checked.returncode == 1
    assert f"docs/research.md:{line}:" in checked.stdout and "中文排版问题" in checked.stdout
    assert "[练习 positioning-value-pick] 字段 answer：" in checked.stdout


def test_the_readme_pre_commit_hook_runs_the_check(tmp_path):
    import re
    import shutil

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hook = re.search(r"提交前自动检查.*?```sh\n(.*?)```", readme, re.S).group(1)
    project = copy_project(tmp_path / "repo")
    for name in ("run.py", "requirements.txt", "requirements-print.txt", "requirements-test.txt", "constraints.txt"):
        shutil.copy2(ROOT / name, project / name)
    (project / ".venv").symlink_to(ROOT / ".venv")  # the same pinned packages, already installed
    # run.py in the copy points the shared environment's hooks path at the copy: point it back after.
    hooks_paths = {path: path.read_bytes() for path in (ROOT / ".venv").glob("lib/python3*/site-packages/course-hooks.pth")}
    try:
        _commit_through_the_hook(project, hook, tmp_path)
    finally:
        for path, data in hooks_paths.items():
            path.write_bytes(data)


def _commit_through_the_hook(project, hook: str, tmp_path) -> None:

    def git(*args):
        return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, HOME=str(tmp_path), GIT_AUTHOR_NAME="t",
                                       GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
                                       GIT_COMMITTER_EMAIL="t@example.invalid"))

    git("init", "-q")
    path = project / ".git" / "hooks" / "pre-commit"
    path.write_text(hook, encoding="utf-8")
    path.chmod(0o755)
    append(project / "docs" / "index.md", "\n[坏锚点](introduction.md#四个作用)\n")
    git("add", "-A")
    refused = git("commit", "-q", "-m", "broken")
    assert refused.returncode != 0
    assert "#四个作用" in refused.stdout + refused.stderr
    fixed = project / "docs" / "index.md"
    fixed.write_text(fixed.read_text(encoding="utf-8").replace("#四个作用", "#信息工作的四个作用"), encoding="utf-8")
    git("add", "-A")
    accepted = git("commit", "-q", "-m", "fixed")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_a_file_name_after_check_is_said_to_be_ignored(project_copy):
    result = run_check(project_copy, "exercises/positioning.yml")
    assert result.returncode == 0, result.stdout
    assert "检查总是针对整门课程，不用写文件名（已忽略：exercises/positioning.yml）" in result.stderr
