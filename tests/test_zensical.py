"""The course built by Zensical (python3 run.py zensical's build, in .venv-zensical),
served under /training/ and used in Chromium: every exercise type answered,
progress kept across a reload, and Zensical's own search finding an
exercise's prompt but never its explanation."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

from conftest import ROOT, BuiltSite, copy_project
from test_quiz_browser import (
    answer_choice, answer_fill, answer_order, exercise, open_lesson, press_check, result_text, summary_counts,
)

sys.path.insert(0, str(ROOT))
import run  # noqa: E402

sys.path.remove(str(ROOT))

# Words of a prompt on the first lesson (exercises/positioning.yml, positioning-value-pick) ...
PROMPT_WORDS = "哪一条最值得作为"
# ... and of an explanation there (positioning-view-behind-activity), found nowhere in a page's text.
EXPLANATION_WORDS = "混装混运"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory):
    """A copy of the course built by run.py's Zensical build and served by nginx on 127.0.0.1."""
    from hosting import Nginx

    work = tmp_path_factory.mktemp("zensical")
    project = copy_project(work / "project")
    nginx = Nginx(work / "srv", work / "nginx")
    assert run.zensical_build(project, site_url=nginx.base_url) == 0
    assert not (project / "site").exists(), "Zensical must not build into MkDocs' site/"
    # The trainee edition, though Zensical runs no hook: no instructors' page, no answer key.
    built = project / run.ZENSICAL_SITE
    assert not (built / "instructors").exists() and (built / "positioning" / "index.html").exists()
    shutil.copytree(project / run.ZENSICAL_SITE, work / "srv" / "current")
    nginx.start()
    try:
        yield BuiltSite(base_url=nginx.base_url, directory=work / "srv" / "current")
    finally:
        nginx.stop()


def test_every_exercise_type_answered_and_progress_kept(zensical_site, page):
    open_lesson(page, zensical_site)
    line = page.locator('.quiz-set[data-quiz-set="positioning"] .quiz-set__progress .quiz-set__line').first
    expected = summary_counts(page, "positioning")
    assert line.inner_text() == expected(0, 0)
    for kind in ("single", "multiple", "true_false"):
        quiz, key = exercise(page, kind)
        answer_choice(page, quiz, key["answer"] if isinstance(key["answer"], list) else [key["answer"]])
        assert result_text(quiz).startswith("✓"), kind
    quiz, key = exercise(page, "fill")
    answer_fill(page, quiz, [accepted[0] for accepted in key["blanks"]])
    assert result_text(quiz).startswith("✓")
    quiz, key = exercise(page, "order")
    answer_order(page, quiz, key["answer"])
    assert result_text(quiz).startswith("✓")
    quiz, _ = exercise(page, "open")
    quiz.locator(".quiz__answer").focus()
    page.keyboard.insert_text("某县农村集体经济发展情况……")
    press_check(page, quiz)
    assert quiz.locator(".quiz__reference").is_visible()
    # Six checked, five scored right: a writing exercise is self-assessed.
    assert line.inner_text() == expected(6, 5)

    page.reload(wait_until="networkidle")
    assert line.inner_text() == expected(6, 5)
    for kind in ("single", "multiple", "true_false", "fill", "order"):
        assert result_text(exercise(page, kind)[0]).startswith("✓"), kind
    assert page.script_errors == []


def test_search_finds_a_prompt_and_not_an_explanation(zensical_site, page):
    page.goto(zensical_site.base_url + "positioning/", wait_until="networkidle")
    page.click(".md-search__button")
    # Zensical's search is a dialog in an open shadow root (Playwright's locators reach into it).
    dialog = page.locator("dialog[aria-label=Search]")
    box = dialog.get_by_role("combobox")
    status = dialog.locator("[role=status]")
    options = dialog.locator("[role=listbox] [role=option]")

    box.click()
    # As an input method commits Chinese text: an input event, no key presses.
    page.keyboard.insert_text(PROMPT_WORDS)
    options.first.wait_for()
    found = [
        (option.get_attribute("href"), "".join(option.inner_text().split()))
        for option in options.all()
    ]
    assert any(
        href.split("?")[0].startswith(zensical_site.base_url + "positioning/") and PROMPT_WORDS in text
        for href, text in found
    ), found

    box.fill(EXPLANATION_WORDS)
    page.wait_for_function(
        "status => status.textContent.trim() === 'No results'", arg=status.element_handle(), timeout=10_000
    )
    assert options.count() == 0


def test_an_edited_exercise_file_alone_is_rebuilt(tmp_path):
    """Zensical's cache is keyed on a page's Markdown and on the whole-second mtimes of the
    files under mkdocs.yml's watch: an exercise file edited within the second, or copied
    with its times kept (cp -p, rsync -t, an unpacked archive), would keep its old exercises."""
    project = copy_project(tmp_path / "project")
    assert run.zensical_build(project) == 0
    lesson = project / run.ZENSICAL_SITE / "positioning" / "index.html"
    assert PROMPT_WORDS in lesson.read_text(encoding="utf-8")
    exercises = project / "exercises" / "positioning.yml"
    times = exercises.stat()
    exercises.write_text(
        exercises.read_text(encoding="utf-8").replace(PROMPT_WORDS, "哪一条最应当作为"), encoding="utf-8"
    )
    os.utime(exercises, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert run.zensical_build(project) == 0
    text = lesson.read_text(encoding="utf-8")
    assert "哪一条最应当作为" in text and PROMPT_WORDS not in text
