"""Browser storage that is blocked or dirty, and progress kept apart per site.

Some locked-down office browsers and private modes refuse site storage: then
Chromium throws a SecurityError as soon as a page reads `localStorage` or
`sessionStorage`. A theme entry left unreadable (invalid JSON) made the
theme's own storage helper throw too. Search, the light/dark toggle, content
tabs and the exercises must keep working in both cases.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from urllib.parse import urlsplit

import pytest

from conftest import copy_project, mkdocs_build

LESSON = "positioning/"
SEARCH_FIELD = "input[data-md-component=search-query]"

# What Chromium does with site data blocked (checked against a profile that
# blocks it): reading either property throws this SecurityError.
BLOCK_STORAGE = """
for (const name of ["localStorage", "sessionStorage"]) {
  Object.defineProperty(window, name, {
    configurable: true, enumerable: true,
    get() {
      throw new DOMException(
        `Failed to read the '${name}' property from 'Window': Access is denied for this document.`,
        "SecurityError");
    },
  });
}
"""

# One theme entry holding invalid JSON, put back before every page's scripts run.
CORRUPT_ENTRY = """
try { localStorage.setItem(%s, "{not json"); } catch (e) {}
"""


def site_path(served_site) -> str:
    return urlsplit(served_site.base_url).path


def blocked(page, served_site):
    page.add_init_script(BLOCK_STORAGE)


def corrupt(entry):
    def arrange(page, served_site):
        # The theme's keys are its scope (the site's base path) + "." + name.
        page.add_init_script(CORRUPT_ENTRY % json.dumps(site_path(served_site) + "." + entry))
    arrange.__name__ = f"corrupt{entry}"
    return arrange


CASES = [blocked, corrupt("__palette"), corrupt("__tabs")]


def open_lesson(page, served_site, arrange):
    # A clean start: no progress left by another test on this origin.
    page.goto(served_site.base_url + "404.html")
    page.evaluate("localStorage.clear()")
    page.script_errors.clear()  # only what the arranged storage does counts
    arrange(page, served_site)
    page.goto(served_site.base_url + LESSON, wait_until="networkidle")


@pytest.mark.parametrize("arrange", CASES, ids=lambda c: c.__name__)
def test_page_loads_without_script_errors(served_site, page, arrange):
    open_lesson(page, served_site, arrange)
    assert page.script_errors == []


@pytest.mark.parametrize("arrange", CASES, ids=lambda c: c.__name__)
def test_search_finds_a_course_term(served_site, page, arrange):
    open_lesson(page, served_site, arrange)
    page.click(SEARCH_FIELD)
    page.keyboard.insert_text("信息报送")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    assert page.locator(".md-search-result__item").count() >= 1
    assert page.script_errors == []


@pytest.mark.parametrize("arrange", CASES, ids=lambda c: c.__name__)
def test_palette_toggle_switches_the_scheme(served_site, page, arrange):
    open_lesson(page, served_site, arrange)
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== {json.dumps(before)}", timeout=5_000)
    after = body.get_attribute("data-md-color-scheme")
    assert {before, after} == {"default", "slate"}
    # And back again.
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme === {json.dumps(before)}", timeout=5_000)
    assert page.script_errors == []


@pytest.mark.parametrize("arrange", CASES, ids=lambda c: c.__name__)
def test_content_tabs_switch(served_site, page, arrange):
    open_lesson(page, served_site, arrange)
    tabbed = page.locator(".tabbed-set").first
    tabbed.scroll_into_view_if_needed()
    labels = tabbed.locator(".tabbed-labels > label")
    assert labels.count() >= 2
    labels.nth(1).click()
    assert tabbed.locator(".tabbed-content > .tabbed-block").nth(1).is_visible()
    assert not tabbed.locator(".tabbed-content > .tabbed-block").nth(0).is_visible()
    assert page.script_errors == []


@pytest.mark.parametrize("arrange", CASES, ids=lambda c: c.__name__)
def test_an_exercise_can_be_answered(served_site, page, arrange):
    open_lesson(page, served_site, arrange)
    quiz = page.locator('.quiz[data-quiz-type="single"]').first
    quiz.scroll_into_view_if_needed()
    answer = json.loads(quiz.locator(".quiz__key").text_content())["answer"]
    quiz.locator(f'.quiz__options input[value="{answer}"]').check()
    quiz.locator(".quiz__check").click()
    assert quiz.locator(".quiz__result").inner_text().startswith("✓")
    assert page.script_errors == []


# --- Progress kept apart per site ---------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass

    def end_headers(self):
        # A site replaced in place must be fetched anew, not revalidated by date.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class OneHost:
    """Static sites under sub-paths of one origin (127.0.0.1, a free port)."""

    def __init__(self, root):
        self.root = root
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def put(self, name: str, site_dir) -> str:
        """Serve `site_dir` at /name/ (replacing what was there); return its URL."""
        shutil.rmtree(self.root / name, ignore_errors=True)
        shutil.copytree(site_dir, self.root / name)
        return self.origin + name + "/"


@pytest.fixture(scope="module")
def one_host(tmp_path_factory):
    host = OneHost(tmp_path_factory.mktemp("one-host"))
    thread = threading.Thread(target=host.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield host
    finally:
        host.server.shutdown()
        host.server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def one_host_two_sites(one_host, served_site):
    """The same course under two sub-paths of one host."""
    return one_host.put("course-a", served_site.directory), one_host.put("course-b", served_site.directory)


def single(page):
    quiz = page.locator('.quiz[data-quiz-type="single"]').first
    quiz.scroll_into_view_if_needed()
    key = json.loads(quiz.locator(".quiz__key").text_content())
    return quiz, key


def result(quiz) -> str:
    return quiz.locator(".quiz__result").inner_text()


def answer(quiz, value):
    quiz.locator(f'.quiz__options input[value="{value}"]').check()
    quiz.locator(".quiz__check").click()


def test_two_sites_on_one_host_keep_separate_progress(one_host_two_sites, page):
    site_a, site_b = one_host_two_sites
    page.goto(site_a + LESSON, wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    page.reload(wait_until="networkidle")
    quiz, key = single(page)
    answer(quiz, key["answer"])
    assert result(quiz).startswith("✓")

    page.goto(site_b + LESSON, wait_until="networkidle")
    quiz, key = single(page)
    assert result(quiz) == "", "the other site's answer was shown here"
    values = quiz.locator(".quiz__options input").evaluate_all("inputs => inputs.map(i => i.value)")
    answer(quiz, next(v for v in values if v != key["answer"]))
    assert result(quiz).startswith("✗")

    page.goto(site_a + LESSON, wait_until="networkidle")
    quiz, _ = single(page)
    assert result(quiz).startswith("✓")
    page.goto(site_b + LESSON, wait_until="networkidle")
    quiz, _ = single(page)
    assert result(quiz).startswith("✗")
    assert page.script_errors == []


def test_progress_saved_under_the_old_key_is_read_once(one_host_two_sites, page):
    site_a, site_b = one_host_two_sites
    page.goto(site_a + LESSON, wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    quiz, key = single(page)
    quiz_id = quiz.get_attribute("data-quiz-id")
    legacy = "course-quiz:" + quiz_id
    saved = {"v": quiz.get_attribute("data-quiz-version") or "", "response": key["answer"],
             "correct": True, "rubric": []}
    # What every release before scoped keys wrote: one key per exercise id, per host.
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [legacy, json.dumps(saved)])

    page.reload(wait_until="networkidle")
    quiz, _ = single(page)
    assert result(quiz).startswith("✓")
    keys = page.evaluate("Object.keys(localStorage)")
    assert legacy not in keys
    scoped = [k for k in keys if k.endswith("course-quiz:" + quiz_id)]
    assert len(scoped) == 1 and scoped[0].startswith(urlsplit(site_a).path), keys

    # Kept under the site's own key from now on ...
    page.reload(wait_until="networkidle")
    quiz, _ = single(page)
    assert result(quiz).startswith("✓")
    # ... and not adopted a second time by another site on the host.
    page.goto(site_b + LESSON, wait_until="networkidle")
    quiz, _ = single(page)
    assert result(quiz) == ""
    assert page.script_errors == []


@pytest.fixture(scope="module")
def edition_build(tmp_path_factory):
    """The course's instructor edition (mkdocs-instructor.yml)."""
    work = tmp_path_factory.mktemp("edition")
    project = copy_project(work / "project")
    result = mkdocs_build(project, work / "site", config="mkdocs-instructor.yml")
    assert result.returncode == 0, result.stderr[-3000:]
    return work / "site"


def test_another_edition_at_the_same_address_keeps_its_own_progress(one_host, served_site, edition_build, page):
    trainee = one_host.put("course-e", served_site.directory)
    page.goto(trainee + LESSON, wait_until="networkidle")
    page.evaluate("localStorage.clear()")
    page.reload(wait_until="networkidle")
    quiz, key = single(page)
    answer(quiz, key["answer"])
    assert result(quiz).startswith("✓")

    # The instructors' edition published where the trainees' was.
    one_host.put("course-e", edition_build)
    page.reload(wait_until="networkidle")
    quiz, key = single(page)
    assert result(quiz) == ""
    values = quiz.locator(".quiz__options input").evaluate_all("inputs => inputs.map(i => i.value)")
    answer(quiz, next(v for v in values if v != key["answer"]))
    quiz_id = quiz.get_attribute("data-quiz-id")
    keys = page.evaluate("Object.keys(localStorage)")
    assert "/course-e/.course-quiz.instructor:" + quiz_id in keys, keys

    one_host.put("course-e", served_site.directory)
    page.reload(wait_until="networkidle")
    quiz, _ = single(page)
    assert result(quiz).startswith("✓")
    assert page.script_errors == []
