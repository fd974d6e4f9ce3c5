"""Exercises are read, checked and rendered once per content: each input changes exactly what depends on it.

The cache (quiz.cache, quiz.exercise_file) keeps one piece per exercise file,
in memory and in .exercise-cache/; search_segments keeps jieba's answers per
dictionary. Each test edits one input and watches which pieces are made anew
(a spy on exercise_file._make) and what the pages show.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, mkdocs_build, unpacked
from quiz import cache, exercise_file
from quiz.bank import load_bank
from quiz.session import QuizSession

FOLDER = cache.DEFAULT_FOLDER


@pytest.fixture
def made(monkeypatch):
    """The stems of the exercise files read and rendered anew (not taken from the cache), in order."""
    stems: list[str] = []
    real = exercise_file._make

    def spy(stem, *args):
        stems.append(stem)
        return real(stem, *args)

    monkeypatch.setattr(exercise_file, "_make", spy)
    return stems


def load(project: Path, memory: bool = False):
    """The project's bank, from disk only (memory cleared) unless `memory`."""
    if not memory:
        cache.clear_memory()
    return load_bank(project / "exercises", project, project / FOLDER)


def stems(project: Path) -> list[str]:
    return sorted(p.stem for p in (project / "exercises").glob("*.yml") if p.name != "policy.yml")


def test_a_second_load_reads_no_file_and_gives_the_same_bank(project_copy, made):
    first = load(project_copy)
    assert sorted(made) == stems(project_copy)
    made.clear()
    again = load(project_copy)
    assert made == [], "every file came from the cache on disk"
    assert again.sets == first.sets and again.problems == first.problems
    assert again.exercises == first.exercises and again.groups == first.groups
    assert {i: e.mark("section") for i, e in again.exercises.items()} == {i: e.mark("section") for i, e in first.exercises.items()}


def test_memory_serves_a_rebuild_even_without_the_folder(project_copy, made):
    load(project_copy)
    made.clear()
    import shutil

    shutil.rmtree(project_copy / FOLDER)
    load(project_copy, memory=True)
    assert made == []


def test_editing_one_exercise_file_remakes_that_file_only(project_copy, made):
    before = load(project_copy)
    path = project_copy / "exercises" / "research.yml"
    text = path.read_text(encoding="utf-8")
    prompt = re.search(r"prompt: (\S+)", text).group(1)
    path.write_text(text.replace(prompt, prompt + "（改）", 1), encoding="utf-8")
    made.clear()
    after = load(project_copy)
    assert made == ["research"]
    assert "（改）" in after.sets["research"] and "（改）" not in before.sets["research"]
    assert {n: s for n, s in after.sets.items() if n != "research"} == {n: s for n, s in before.sets.items() if n != "research"}
    # The entry of the old content is gone from the folder: nothing of it can be served again.
    entries = list((project_copy / FOLDER).rglob("*.json"))
    assert len([e for e in entries if "exercise-files" in e.parts]) == len(stems(project_copy))


def test_a_heading_an_exercise_links_to_changes_the_page_not_the_pieces(project_copy, made):
    load(project_copy)
    lesson = project_copy / "docs" / "research.md"
    text = lesson.read_text(encoding="utf-8")
    assert "### 第一来源、最可靠来源\n" in text
    lesson.write_text(text.replace("### 第一来源、最可靠来源\n", "### 第一来源与最可靠来源 {#第一来源最可靠来源}\n"), encoding="utf-8")
    made.clear()
    session = QuizSession(project_copy)
    page = session.expand("<!-- exercises: research -->", lambda target: "../research/")
    assert made == [], "the exercises did not change: their pieces are reused"
    links = re.findall(r'#第一来源最可靠来源">([^<]+)</a>', unpacked(page))
    assert links and set(links) == {"第一来源与最可靠来源"}, links
    assert session.finish() == []


def test_a_new_engine_version_remakes_every_file(project_copy, made, monkeypatch):
    load(project_copy)
    monkeypatch.setattr(cache, "engine_version", lambda: "another-version")
    made.clear()
    load(project_copy)
    assert sorted(made) == stems(project_copy)


def test_the_engine_version_follows_its_source(tmp_path, monkeypatch):
    import shutil

    package = tmp_path / "quiz"
    shutil.copytree(cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", package)

    def version() -> str:
        cache.engine_version.cache_clear()
        return cache.engine_version()

    before = version()
    assert re.fullmatch(r"[0-9a-f]{16}", before) and version() == before
    render = package / "render.py"
    render.write_text(render.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert version() != before, "any edit of the engine's source is a new version"
    cache.engine_version.cache_clear()


def test_the_policy_is_part_of_the_key(project_copy, made):
    load(project_copy)
    policy = project_copy / "exercises" / "policy.yml"
    policy.write_text(policy.read_text(encoding="utf-8") + "\n# 只是注释：规则没变\n", encoding="utf-8")
    made.clear()
    load(project_copy)
    assert made == [], "a comment changes no rule: nothing to remake"
    text = policy.read_text(encoding="utf-8")
    assert re.search(r"^rubric_minimum: 4$", text, re.M)
    policy.write_text(text.replace("rubric_minimum: 4", "rubric_minimum: 3", 1), encoding="utf-8")
    made.clear()
    load(project_copy)
    assert sorted(made) == stems(project_copy), "a rule changed: every file is checked again"


def entry_of(project: Path, stem: str) -> Path:
    for path in (project / FOLDER).rglob("*.json"):
        if f'"stem":"{stem}"' in path.read_text(encoding="utf-8", errors="replace"):
            return path
    raise AssertionError(f"no cache entry for {stem}")


@pytest.mark.parametrize("damage", ["cut short", "one byte changed", "not json", "empty", "forged shape"])
def test_a_damaged_entry_is_ignored_and_made_anew(project_copy, made, damage):
    fresh = load(project_copy)
    entry = entry_of(project_copy, "research")
    data = entry.read_bytes()
    header, payload = data.split(b"\n", 1)
    if damage == "cut short":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "one byte changed":
        at = payload.index("第".encode()) + len(header) + 1
        entry.write_bytes(data[:at] + "笫".encode() + data[at + 3:])
    elif damage == "not json":
        entry.write_bytes(b"\x80\x81 not a cache file")
    elif damage == "empty":
        entry.write_bytes(b"")
    else:  # a checksum that matches, over a payload of the wrong shape: still refused
        import hashlib

        forged = json.loads(payload)
        forged["problems"] = [["x"]]
        body = json.dumps(forged).encode()
        key = header.split(b" ")[2]
        entry.write_bytes(b"course-cache 1 " + key + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    made.clear()
    again = load(project_copy)
    assert made == ["research"]
    assert again.sets == fresh.sets and again.problems == fresh.problems
    assert entry.read_bytes() == data, "the entry is written again, whole"


def test_scanning_pages_reads_no_exercise(monkeypatch):
    """scan_page only notes shortcodes: the exercises are needed first when placing them."""
    import quiz.session

    monkeypatch.setattr(quiz.session, "prepare", lambda job: pytest.fail("the session read the exercises to scan a page"))
    session = QuizSession(ROOT)
    for page in sorted((ROOT / "docs").rglob("*.md")):
        session.scan_page(page.relative_to(ROOT / "docs").as_posix(), page.read_text(encoding="utf-8"))


def test_the_cache_folder_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", f"{FOLDER}/exercise-files/x.json"], cwd=ROOT)
    assert ignored.returncode == 0


def test_an_unwritable_cache_folder_only_costs_time(project_copy, made):
    if os.geteuid() == 0:
        (project_copy / FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    else:
        (project_copy / FOLDER).mkdir()
        (project_copy / FOLDER).chmod(0o500)
    first = load(project_copy)
    assert first.sets and not first.problems
    made.clear()
    load(project_copy)
    assert sorted(made) == stems(project_copy), "nothing could be kept, so everything is made again"


# -- through the build ---------------------------------------------------------------


def search_words(out: Path) -> set[str]:
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {word for doc in index["docs"] for word in re.split(r"[\s\u200b]+", doc["text"]) if word}


def segment_tables(project: Path) -> list[Path]:
    return sorted((project / FOLDER / "search-segments").glob("*.json"))


def test_builds_share_the_cache_and_the_dictionary_keys_the_segments(tmp_path):
    project = copy_project(tmp_path / "project")
    first = mkdocs_build(project, tmp_path / "one")
    assert first.returncode == 0, first.stderr[-3000:]
    pieces = {p.name: p.stat().st_mtime_ns for p in (project / FOLDER / "exercise-files").rglob("*.json")}
    tables = segment_tables(project)
    assert len(pieces) == len(stems(project)) and len(tables) == 1

    second = mkdocs_build(project, tmp_path / "two")
    assert second.returncode == 0, second.stderr[-3000:]
    assert {p.name: p.stat().st_mtime_ns for p in (project / FOLDER / "exercise-files").rglob("*.json")} == pieces
    assert segment_tables(project) == tables and tables[0].stat().st_mtime_ns > 0
    assert (tmp_path / "one" / "search" / "search_index.json").read_bytes() == \
        (tmp_path / "two" / "search" / "search_index.json").read_bytes()

    # A new course term: the segments are made again with it, the exercises are not.
    word = "信息工作人员"
    assert word not in search_words(tmp_path / "two")
    terms = project / "search" / "course-terms.txt"
    terms.write_text(terms.read_text(encoding="utf-8") + f"\n{word}\n", encoding="utf-8")
    third = mkdocs_build(project, tmp_path / "three")
    assert third.returncode == 0, third.stderr[-3000:]
    assert {p.name: p.stat().st_mtime_ns for p in (project / FOLDER / "exercise-files").rglob("*.json")} == pieces
    new_tables = segment_tables(project)
    assert len(new_tables) == 1 and new_tables != tables, "one table, for the new dictionary"
    assert word in search_words(tmp_path / "three")

    # A damaged table is ignored; the build still segments right and writes it anew.
    new_tables[0].write_bytes(new_tables[0].read_bytes()[:100])
    fourth = mkdocs_build(project, tmp_path / "four")
    assert fourth.returncode == 0, fourth.stderr[-3000:]
    assert (tmp_path / "three" / "search" / "search_index.json").read_bytes() == \
        (tmp_path / "four" / "search" / "search_index.json").read_bytes()
    assert segment_tables(project)[0].stat().st_size > 1000


def test_the_site_is_the_same_without_any_cache(tmp_path):
    project = copy_project(tmp_path / "project")
    warm = mkdocs_build(project, tmp_path / "warm")
    warm = mkdocs_build(project, tmp_path / "warm")
    assert warm.returncode == 0, warm.stderr[-3000:]
    import shutil

    shutil.rmtree(project / FOLDER)
    cold = mkdocs_build(project, tmp_path / "cold")
    assert cold.returncode == 0, cold.stderr[-3000:]
    differ = [
        p.relative_to(tmp_path / "cold").as_posix() for p in (tmp_path / "cold").rglob("*")
        if p.is_file() and p.read_bytes() != (tmp_path / "warm" / p.relative_to(tmp_path / "cold")).read_bytes()
    ]
    assert differ == []
