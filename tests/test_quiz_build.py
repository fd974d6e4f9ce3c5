"""The exercise hooks inside a real build, and the standalone check beside it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import ROOT, mkdocs_build

CHECK = [sys.executable, "-m", "quiz.check"]


def run_check(project):
    env = {"PYTHONPATH": str(ROOT / "hooks"), "PATH": "/usr/bin:/bin"}
    return subprocess.run(CHECK + [str(project)], capture_output=True, text=True, env=env, timeout=120)


def break_an_answer(project):
    path = project / "exercises" / "positioning.yml"
    text = path.read_text(encoding="utf-8")
    broken = text.replace("answer: B", "answer: Z", 1)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    line = text[: text.index("answer: B")].count("\n") + 1
    return f"exercises/positioning.yml:{line}:"


def test_real_exercises_pass_the_check():
    result = run_check(ROOT)
    assert result.returncode == 0, result.stdout
    assert "练习题检查通过" in result.stdout


def test_broken_exercise_fails_the_strict_build_with_its_place(project_copy, tmp_path):
    where = break_an_answer(project_copy)
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert where in result.stderr
    assert "[练习 positioning-value-pick] 字段 answer：" in result.stderr
    assert "修改方法" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_command_reports_what_the_build_reports(project_copy, tmp_path):
    break_an_answer(project_copy)
    (project_copy / "exercises" / "positioning.yml").open("a", encoding="utf-8").write("  - id: x\n")
    checked = run_check(project_copy)
    assert checked.returncode == 1
    built = mkdocs_build(project_copy, tmp_path / "site")
    from_check = {line for line in checked.stdout.splitlines() if line.startswith("exercises/")}
    from_build = {
        re.sub(r"^WARNING\s+-\s+", "", line) for line in built.stderr.splitlines() if "exercises/" in line
    }
    assert len(from_check) >= 2
    assert from_check == from_build


def distinctive(text: str, elsewhere: str, size: int = 6) -> str | None:
    """A run of Chinese characters from `text` that the lesson prose never uses."""
    for run in re.findall(r"[\u4e00-\u9fff]{%d,}" % size, text):
        for start in range(len(run) - size + 1):
            piece = run[start : start + size]
            if piece not in elsewhere:
                return piece
    return None


def test_search_indexes_prompts_but_not_answers(served_site):
    import yaml

    index = json.loads((served_site.directory / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = " ".join(doc["text"] for doc in index["docs"]).replace("\u200b", "")
    prose = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    bank = yaml.safe_load((ROOT / "exercises" / "positioning.yml").read_text(encoding="utf-8"))
    # What trainees see before answering is indexed; a hidden text's piece must not be.
    everything = [
        e for f in (ROOT / "exercises").glob("*.yml") if f.name != "policy.yml"
        for e in yaml.safe_load(f.read_text(encoding="utf-8"))["exercises"]
    ]
    visible = prose + " ".join(
        e["prompt"] + " ".join(o["text"] for o in e.get("options", [])) + " ".join(e.get("items", []))
        for e in everything
    )
    prompts = secrets = 0
    for exercise in bank["exercises"]:
        piece = distinctive(exercise["prompt"], prose)
        if piece and exercise["type"] != "fill":  # a blank splits the prompt's words
            assert piece in indexed, exercise["id"]
            prompts += 1
        hidden = [exercise.get("explanation", ""), exercise.get("reference", "")]
        hidden += [o.get("feedback", "") for o in exercise.get("options", [])]
        for text in filter(None, hidden):
            piece = distinctive(text, visible)
            if piece:
                assert piece not in indexed, (exercise["id"], piece)
                secrets += 1
    assert prompts >= 10 and secrets >= 30


def test_every_lesson_shows_its_exercises(served_site):
    for page in ("introduction", "positioning", "topics", "research"):
        html = (served_site.directory / page / "index.html").read_text(encoding="utf-8")
        assert f'data-quiz-set="{page}"' in html
        assert len(re.findall(r'class="quiz" id="quiz-', html)) >= 5


def test_serve_reports_problems_and_rebuilds_when_an_exercise_changes(project_copy):
    import os
    import socket
    import threading
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project_copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    seen: list[str] = []
    # A thread drains the output, so that a full pipe never stalls the server.
    def drain():
        for line in server.stdout:
            seen.append(line)

    threading.Thread(target=drain, daemon=True).start()

    def wait_for(text: str, seconds: float = 120) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(text in line for line in list(seen)):
                return True
            time.sleep(0.5)
        return False

    try:
        assert wait_for("Serving on"), "".join(seen)
        where = break_an_answer(project_copy)
        assert wait_for(where), "".join(seen)
        assert server.poll() is None, "serve must keep running after a problem"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_anchors_read_from_markdown_match_the_built_pages(instructor_site):
    # Exercises' section links are checked against anchors.py; it must agree with the toc
    # (the instructor edition: it has every page).
    from quiz import anchors
    from quiz.pages import DocsPages

    for page, text in DocsPages(ROOT / "docs").texts.items():
        headings = anchors.outline(text)
        built = instructor_site / (page[: -len("index.md")] if page.endswith("index.md") else page[:-3] + "/")
        html = (built / "index.html").read_text(encoding="utf-8")
        ids = set(re.findall(r'<h[1-6][^>]*\bid="([^"]+)"', html))
        assert {h.anchor for h in headings if h.level > 1} <= ids, page


def test_a_front_matter_note_is_not_a_heading():
    from quiz import anchors

    markdown = "---\n# 搜索问法的说明\nquestions:\n  信息量:\n    - 什么是信息量\n---\n\n# 第一讲\n\n## 信息量\n"
    assert [(h.title, h.level, h.line) for h in anchors.outline(markdown)] == [("第一讲", 1, 8), ("信息量", 2, 10)]
