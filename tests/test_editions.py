"""Editions from one source: the trainee site (the default, what CI publishes) holds nothing of the
instructors' notes; the instructor edition has them; a link from a lesson to the notes fails."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest

from conftest import ROOT, copy_project, mkdocs_build

import course_check
import editions

sys.path.insert(0, str(ROOT))
import run  # noqa: E402

NOTES = ROOT / "docs" / "instructors"


def sentences_of_the_notes() -> list[str]:
    """Runs of twelve Chinese characters from every sentence of the notes' prose, markup taken out."""
    found = []
    for page in sorted(NOTES.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)  # front matter
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their words
        text = re.sub(r"<!--.*?-->|[*_`#>|]", "", text, flags=re.S)
        for sentence in re.split(r"[。！？\n]", text):
            run_ = max(re.findall(r"[\u4e00-\u9fff，、；：“”]{12,}", sentence), key=len, default="")
            if run_:
                found.append(run_[:12])
    return found


def site_text(site) -> str:
    """Everything the site serves, as text: HTML, the search index, the sitemap; words unsegmented."""
    parts = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".js", ".txt"}:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    text = "\n".join(parts).replace("\u200b", "")
    return re.sub(r"<[^>]+>", "", text)


@pytest.fixture(scope="module")
def trainee_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("trainee") / "site"
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_the_trainee_site_holds_no_sentence_of_the_notes(trainee_site):
    notes = sentences_of_the_notes()
    assert len(notes) >= 30, "the notes are long enough for the test to mean something"
    text = site_text(trainee_site)
    assert [n for n in notes if n in text] == []
    assert not (trainee_site / "instructors").exists()
    index = json.loads((trainee_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if "instructors" in d["location"]]
    assert "instructors" not in (trainee_site / "sitemap.xml").read_text(encoding="utf-8")


def test_no_trainee_page_links_to_the_notes(trainee_site):
    linked = [
        (path.relative_to(trainee_site).as_posix(), href)
        for path in trainee_site.rglob("*.html")
        for href in re.findall(r'href="([^"]*)"', path.read_text(encoding="utf-8"))
        if "instructors" in href
    ]
    assert linked == []
    footer = (trainee_site / "index.html").read_text(encoding="utf-8")
    assert "学员版" in footer and "讲师版" not in footer
    assert json.loads((trainee_site / "version.json").read_text(encoding="utf-8"))["edition"] == "学员版"
    assert 'name="course-edition"' not in footer, "trainees' saved progress keeps its keys"


def test_the_instructor_edition_has_the_notes_and_says_so(instructor_site):
    notes = sentences_of_the_notes()
    text = site_text(instructor_site)
    assert [n for n in notes if n not in text] == []
    page = (instructor_site / "instructors" / "index.html").read_text(encoding="utf-8")
    assert "讲师版" in page and '<meta name="course-edition" content="instructor">' in page
    assert json.loads((instructor_site / "version.json").read_text(encoding="utf-8"))["edition"] == "讲师版"


def test_a_link_from_a_lesson_to_the_notes_fails_the_build_and_the_check(tmp_path):
    project = copy_project(tmp_path / "project")
    lesson = project / "docs" / "positioning.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n讲师请看[教学提示](instructors/index.md)。\n",
                      encoding="utf-8")
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode != 0
    assert "instructors/index.md" in built.stderr and "Traceback" not in built.stderr
    out = io.StringIO()
    assert course_check.run(project, out=out) == 1
    said = out.getvalue()
    assert "docs/positioning.md:" in said and "讲师手册" in said and "学员版没有这一页" in said
    # The instructor edition has the page, so its build alone would not notice: check comes first in CI.
    assert mkdocs_build(project, tmp_path / "instructor", config="mkdocs-instructor.yml").returncode == 0


def test_the_notes_may_link_to_the_lessons(tmp_path):
    project = copy_project(tmp_path / "project")
    notes = project / "docs" / "instructors" / "index.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n见[第一讲](../positioning.md#为谁报报什么)。\n", encoding="utf-8")
    out = io.StringIO()
    assert course_check.run(project, out=out) == 0, out.getvalue()


def test_the_nav_loses_only_what_the_edition_lacks():
    nav = [{"首页": "index.md"}, {"讲师手册": [{"教学": "instructors/index.md"}, {"答案": "instructors/answers.md"}]},
           {"工具": [{"术语表": "glossary.md"}, {"讲师": "instructors/index.md"}]}]
    assert editions.prune_nav(nav, "trainee") == [{"首页": "index.md"}, {"工具": [{"术语表": "glossary.md"}]}]
    assert editions.prune_nav(nav, "instructor") == nav


def test_an_unknown_edition_is_refused_plainly(tmp_path):
    with pytest.raises(editions.EditionError, match="没有这个版本"):
        editions.edition_of({"course_edition": "student"})
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("course_edition: trainee", "course_edition: student"),
                      encoding="utf-8")
    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode != 0 and "没有这个版本" in built.stderr and "Traceback" not in built.stderr


def test_run_py_names_the_editions(capsys):
    assert run.edition_args(["--edition", "instructor", "-v"]) == ("instructor", ["-v"])
    assert run.edition_args([]) == ("trainee", [])
    with pytest.raises(SystemExit):
        run.edition_args(["--edition=teacher"])
    assert "--edition instructor" in capsys.readouterr().err


def test_the_instructor_edition_answers_every_exercise_and_the_trainees_none(instructor_site, trainee_site):
    import yaml

    ids = [item["id"] for path in sorted((ROOT / "exercises").glob("*.yml")) if path.name != "policy.yml"
           for item in yaml.safe_load(path.read_text(encoding="utf-8"))["exercises"]]
    page = (instructor_site / "instructors" / "answers" / "index.html").read_text(encoding="utf-8")
    assert len(ids) >= 90 and [i for i in ids if f'id="answer-{i}"' not in page] == []
    assert page.count("（正确答案）") >= 30
    served = site_text(trainee_site)
    assert "（正确答案）" not in served
    assert not any(f'id="answer-' in p.read_text(encoding="utf-8") for p in trainee_site.rglob("*.html"))
