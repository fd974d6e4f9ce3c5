"""Hostile or odd entries in exercises/: each refused in bounded time and memory, as one line naming it.

Each case is loaded in a child process that measures itself (CPU seconds,
growth of its peak resident memory) under an address-space cap, so that a
blow-up ends there as a MemoryError instead of taking the machine, and a
hang ends at the timeout. The targets from the issue: under 5 s and under
200 MB more memory for any bad file under 1 MB, and never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build
from quiz.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES

TARGET_SECONDS = 5
TARGET_EXTRA_MB = 200
HANG_GUARD_SECONDS = 60  # far above the target: only a hang reaches it
ADDRESS_SPACE_CAP = 2 * 1024**3  # a blow-up stops here, in the child

CHILD = r"""
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from quiz.bank import load_bank
project = Path(sys.argv[2])
# Growth of the peak over the memory in use now (not over the peak of the imports, which may be higher).
with open("/proc/self/statm") as statm:
    before = int(statm.read().split()[1]) * resource.getpagesize() / 1024
start = time.process_time()
bank = load_bank(project / "exercises", project)
seconds = time.process_time() - start
# The peak of this process image (VmHWM): ru_maxrss would carry the parent's peak across exec.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
extra = (peak - before) / 1024
print(json.dumps({"seconds": seconds, "extra_mb": extra, "exercises": len(bank.exercises),
                  "problems": [p.format() for p in bank.problems]}, ensure_ascii=False))
"""


def laughs(levels: int = 9, fan_out: int = 9) -> str:
    """Nested aliases: a few hundred bytes that expand to fan_out ** levels strings."""
    lines = [f"l0: &l0 [{', '.join(['lol'] * fan_out)}]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * fan_out)}]")
    return "\n".join(lines) + "\n"


def write(text: str):
    return lambda folder, name: (folder / name).write_text(text, encoding="utf-8")


def symlink_to(target):
    return lambda folder, name: os.symlink(target, folder / name)


def sparse(size: int):
    def make(folder, name):
        with open(folder / name, "wb") as handle:
            handle.truncate(size)
    return make


def fifo_behind_link(folder, name):
    os.mkfifo(folder.parent / "pipe")
    os.symlink("../pipe", folder / name)


def link_loop(folder, name):
    os.symlink(name, folder / "loop")
    os.symlink("loop", folder / name)


DEEP = f"超过了 {MAX_DEPTH} 层"
MANY = f"内容超过 {MAX_NODES} 项"
LARGE = f"超过 {MAX_FILE_BYTES // 1024**2} MB 的大小上限，没有读取"

# name -> (how to make it in exercises/ under a given name, what its one problem must say)
CASES = {
    "nested-aliases": (write(laughs()), "不支持 YAML 的锚点和引用（这里是 &l0）"),
    "anchor-alone": (write("title: &t 练习\nexercises: []\n"), "（这里是 &t）"),
    "alias-alone": (write("title: *t\nexercises: []\n"), "（这里是 *t）"),
    "nested-300-lists": (write("[" * 300 + "]" * 300), DEEP),
    "nested-1000-mappings": (write("{a: " * 1000 + "}" * 1000), DEEP),
    "nested-100000-lists": (write("[" * 100_000 + "]" * 100_000), DEEP),
    "unclosed-million": (write("[" * 999_999), DEEP),
    "nested-by-indent": (write("".join(" " * i + f"k{i}:\n" for i in range(1400))), DEEP),
    "many-values": (write("exercises: [" + "1, " * 330_000 + "]\n"), MANY),
    "many-empty-exercises": (write("exercises:\n" + "- {}\n" * 190_000), MANY),
    "many-duplicate-keys": (write("{" + "a: 1, " * 160_000 + "}"), MANY),
    "sparse-2-gib": (sparse(2 * 1024**3), LARGE),
    "just-over-the-size": (write("# " + "注" * 350_000 + "\nexercises: []\n"), LARGE),
    "directory": (lambda folder, name: (folder / name).mkdir(), "是目录，不是普通文件"),
    "fifo": (lambda folder, name: os.mkfifo(folder / name), "是命名管道（FIFO），不是普通文件"),
    "fifo-behind-link": (fifo_behind_link, "是指向命名管道（FIFO）的符号链接，不是普通文件"),
    "dangling-link": (symlink_to("nowhere.yml"), "是符号链接，指向的 nowhere.yml 不存在"),
    "link-loop": (link_loop, "无法读取（符号链接绕成了圈）"),
    "link-to-passwd": (symlink_to("/etc/passwd"), "是符号链接，指向项目以外的 /etc/passwd，没有读取"),
    "link-to-dev-zero": (symlink_to("/dev/zero"), "是符号链接，指向项目以外的 /dev/zero，没有读取"),
}


OVER_THE_SIZE = {"sparse-2-gib", "just-over-the-size"}


def bank_with(tmp_path: Path, entries: dict) -> Path:
    """A project whose exercises/ holds the real positioning.yml, the schema and `entries` (name -> maker)."""
    project = tmp_path / "project"
    folder = project / "exercises"
    folder.mkdir(parents=True)
    for name in ("schema.json", "positioning.yml"):
        shutil.copy(ROOT / "exercises" / name, folder / name)
    for name, make in entries.items():
        make(folder, name)
    return project


def load_in_child(project: Path) -> dict:
    try:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT / "hooks"), str(project), str(ADDRESS_SPACE_CAP)],
            capture_output=True, text=True, timeout=HANG_GUARD_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading did not end within {HANG_GUARD_SECONDS} s")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == ""
    return json.loads(result.stdout)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_entry_is_one_problem_within_the_targets(case, tmp_path):
    make, expected = CASES[case]
    project = bank_with(tmp_path, {"x.yml": make})
    entry = project / "exercises" / "x.yml"
    if entry.is_file() and not entry.is_symlink() and case not in OVER_THE_SIZE:
        assert entry.stat().st_size < 1_000_000  # the targets are for a bad file under 1 MB
    report = load_in_child(project)
    print(f"{case}: {report['seconds']:.3f} s CPU, +{report['extra_mb']:.1f} MB")
    assert len(report["problems"]) == 1, report["problems"][:5]
    line = report["problems"][0]
    assert line.startswith("exercises/x.yml:"), line
    assert expected in line
    assert "修改方法：" in line
    assert report["seconds"] < TARGET_SECONDS
    assert report["extra_mb"] < TARGET_EXTRA_MB
    # The other file of the bank is still loaded in full.
    assert report["exercises"] == 19


def test_nothing_outside_the_project_reaches_the_output(tmp_path):
    report = load_in_child(bank_with(tmp_path, {"x.yml": symlink_to("/etc/passwd")}))
    assert "root:" not in report["problems"][0]


def test_a_device_is_refused_unread():
    from quiz import yamlsource

    raw, problems = yamlsource.read(Path("/dev/zero"), Path("/dev"), "zero.yml")
    assert raw is None
    assert [p.format() for p in problems] == [
        "zero.yml:1:1：[文件] 是设备文件，不是普通文件，没有读取。"
        " 修改方法：练习题文件必须是项目中的普通文本文件：删去它，或换成普通文件。"
    ]


def test_a_link_to_a_regular_file_inside_the_project_is_followed(tmp_path):
    def shared_file(folder, name):
        shared = folder.parent / "shared"
        shared.mkdir()
        text = (folder / "positioning.yml").read_text(encoding="utf-8")
        (shared / "lesson.yml").write_text(re.sub(r"id: positioning-", "id: shared-", text), encoding="utf-8")
        os.symlink("../shared/lesson.yml", folder / name)

    report = load_in_child(bank_with(tmp_path, {"linked.yml": shared_file}))
    assert report["problems"] == []
    assert report["exercises"] == 38


def test_a_file_at_the_size_limit_is_read(tmp_path):
    lesson = (ROOT / "exercises" / "positioning.yml").read_text(encoding="utf-8").replace("id: positioning-", "id: big-")
    padding = "#" + " " * (MAX_FILE_BYTES - len(lesson.encode()) - 2) + "\n"
    text = padding + lesson
    assert len(text.encode()) == MAX_FILE_BYTES
    report = load_in_child(bank_with(tmp_path, {"x.yml": write(text)}))
    assert report["problems"] == []
    assert report["exercises"] == 38


def test_nesting_and_values_are_refused_just_past_their_limits(tmp_path):
    def deep(levels):  # exercises: [[…]]: the mapping and the outer list are two of the levels
        return "exercises: [" + "[" * (levels - 2) + "]" * (levels - 2) + "]\n"

    def wide(values):  # the mapping, its two keys, the list, its items and the empty list: `values` in all
        return "title: [" + ", ".join(["1"] * (values - 5)) + "]\nexercises: []\n"

    entries = {
        "deep-at.yml": write(deep(MAX_DEPTH)), "deep-past.yml": write(deep(MAX_DEPTH + 1)),
        "wide-at.yml": write(wide(MAX_NODES)), "wide-past.yml": write(wide(MAX_NODES + 1)),
    }
    problems = load_in_child(bank_with(tmp_path, entries))["problems"]
    by_file = {name: [p for p in problems if p.startswith(f"exercises/{name}:")] for name in entries}
    assert len(by_file["deep-past.yml"]) == 1 and DEEP in by_file["deep-past.yml"][0]
    assert len(by_file["wide-past.yml"]) == 1 and MANY in by_file["wide-past.yml"][0]
    # Within the limits the file is checked as usual: a list is no exercise, a title is text.
    assert not any("层" in p or "内容超过" in p for p in by_file["deep-at.yml"] + by_file["wide-at.yml"])
    assert any("应当是键值" in p for p in by_file["deep-at.yml"])
    assert any("字段 title：应当是文字" in p for p in by_file["wide-at.yml"])


def test_the_slowest_file_within_the_limits_stays_within_the_targets(tmp_path):
    # Every value an empty exercise: four problems each, the most work per value found.
    # The mapping, its key and the list are three of the values.
    text = "exercises:\n" + "- {}\n" * (MAX_NODES - 3)
    report = load_in_child(bank_with(tmp_path, {"x.yml": write(text)}))
    print(f"{MAX_NODES - 3} empty exercises: {report['seconds']:.2f} s CPU, +{report['extra_mb']:.1f} MB,"
          f" {len(report['problems'])} problems")
    assert not any(MANY in p for p in report["problems"])
    assert len(report["problems"]) >= 4 * (MAX_NODES - 3)
    assert report["seconds"] < TARGET_SECONDS
    assert report["extra_mb"] < TARGET_EXTRA_MB


# Every kind at once, in one project: the check and the build each give one line per bad entry.
END_TO_END = {
    "aliases.yml": write(laughs()),
    "deep.yml": write("[" * 100_000 + "]" * 100_000),
    "folder.yml": lambda folder, name: (folder / name).mkdir(),
    "pipe.yml": lambda folder, name: os.mkfifo(folder / name),
    "dangling.yml": symlink_to("nowhere.yml"),
    "passwd.yml": symlink_to("/etc/passwd"),
    "zero.yml": symlink_to("/dev/zero"),
    "huge.yml": sparse(2 * 1024**3),
}


def add_bad_entries(project: Path) -> None:
    for name, make in END_TO_END.items():
        make(project / "exercises", name)


def lines_naming(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if f"exercises/{name}:" in line]


def test_the_check_command_reports_each_bad_entry_in_one_line(project_copy):
    add_bad_entries(project_copy)
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "quiz.check", str(project_copy)],
        capture_output=True, text=True, env=env, timeout=HANG_GUARD_SECONDS,
    )
    assert result.returncode == 1
    assert result.stderr == ""
    for name in END_TO_END:
        found = lines_naming(result.stdout, name)
        assert len(found) == 1, (name, found)
        assert "修改方法：" in found[0]
    assert "root:" not in result.stdout


def test_the_build_reports_each_bad_entry_in_one_line(project_copy, tmp_path):
    add_bad_entries(project_copy)
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for name in END_TO_END:
        found = lines_naming(result.stderr, name)
        assert len(found) == 1, (name, found)
        assert found[0].startswith("WARNING")


def test_the_cache_reports_the_same(project_copy):
    from quiz import cache
    from quiz.bank import load_bank

    add_bad_entries(project_copy)
    made = load_bank(project_copy / "exercises", project_copy, project_copy / cache.DEFAULT_FOLDER).problems
    cache.clear_memory()
    kept = load_bank(project_copy / "exercises", project_copy, project_copy / cache.DEFAULT_FOLDER).problems
    assert kept == made == load_bank(project_copy / "exercises", project_copy).problems
    assert all(len(lines_naming("\n".join(p.format() for p in kept), name)) == 1 for name in END_TO_END)
