"""Shared fixtures: the project, a built site served under a sub-path, a browser."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUB_PATH = "training"

# Hook modules are plain siblings (MkDocs loads them that way); tests import them too.
sys.path.insert(0, str(ROOT / "hooks"))
# Builds in a subprocess import the exercises' extension through the environment,
# as run.py sets it up: so too when the tests are run without run.py.
if sys.prefix != sys.base_prefix and (ROOT / "run.py").is_file():
    sys.path.insert(0, str(ROOT))
    import run

    run.link_hooks(Path(sys.prefix))
    sys.path.remove(str(ROOT))

# How the project starts Chromium (deploy/chromium_flags.py): the PDF command and the tests alike.
sys.path.insert(0, str(ROOT / "deploy"))
from chromium_flags import CHROMIUM_ARGS  # noqa: E402


def mkdocs_build(project: Path, out: Path, site_url: str | None = None,
                 config: str = "mkdocs.yml", **variables: str) -> subprocess.CompletedProcess:
    """Run the strict build of `project` (the edition `config` makes) into `out`; return the finished process.

    `variables` are environment variables the build reads (COURSE_OFFLINE for the offline copy)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **variables)
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_project(dest: Path) -> Path:
    """A temporary copy of what a build reads, for tests that break something."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "mkdocs-instructor.yml", "docs", "exercises", "hooks", "search", "overrides"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest


def exempt_from_policy(project: Path, set_name: str) -> None:
    """A test's own small set in a copy of the course: the course policy asks nothing of it."""
    policy = project / "exercises" / "policy.yml"
    text = policy.read_text(encoding="utf-8")
    entry = f"sets:\n  {set_name}: {{minimum: 0, every_type: false, open_minimum: 0}}\n"
    assert "\nsets:\n" in text, "the course policy has a sets: block"
    policy.write_text(text.replace("\nsets:\n", "\n" + entry, 1), encoding="utf-8")


@contextlib.contextmanager
def served_course_with_set(work: Path, name: str, exercises_yaml: str):
    """The course plus one exercise file of a test's own, placed on the first lesson, built for
    the sub-path and served by nginx on 127.0.0.1 until the block ends."""
    from hosting import Nginx

    project = copy_project(work / "project")
    (project / "exercises" / f"{name}.yml").write_text(exercises_yaml, encoding="utf-8")
    exempt_from_policy(project, name)
    lesson = project / "docs" / "positioning.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n<!-- exercises: {name} -->\n", encoding="utf-8")
    nginx = Nginx(work / "srv", work / "nginx")
    result = mkdocs_build(project, work / "srv" / "current", site_url=nginx.base_url)
    assert result.returncode == 0, result.stderr[-3000:]
    nginx.start()
    try:
        yield BuiltSite(base_url=nginx.base_url, directory=work / "srv" / "current")
    finally:
        nginx.stop()


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


class BuiltSite:
    """A built site on disk and the URL it is served at."""

    def __init__(self, base_url: str, directory: Path):
        self.base_url = base_url
        self.directory = directory

    def page_urls(self) -> list[str]:
        """Every built HTML page, as a URL under the sub-path."""
        urls = []
        for path in sorted(self.directory.rglob("*.html")):
            relative = path.relative_to(self.directory).as_posix()
            if relative.endswith("index.html"):
                relative = relative[: -len("index.html")]
            urls.append(self.base_url + relative)
        return urls


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The real course as it goes live: built for /training/, published, served by nginx on 127.0.0.1."""
    from hosting import Nginx, publish

    work = tmp_path_factory.mktemp("host")
    nginx = Nginx(work / "srv", work / "nginx")
    result = mkdocs_build(ROOT, work / "site", site_url=nginx.base_url)
    assert result.returncode == 0, result.stderr
    published = publish("publish", "--target", str(work / "srv"), "--site", str(work / "site"), "--allow-modified")
    assert published.returncode == 0, published.stderr
    nginx.start()
    try:
        yield BuiltSite(base_url=nginx.base_url, directory=(work / "srv" / "current").resolve())
    finally:
        nginx.stop()


@pytest.fixture(scope="session")
def instructor_site(tmp_path_factory) -> Path:
    """The real course's instructor edition (mkdocs-instructor.yml), built once."""
    out = tmp_path_factory.mktemp("instructor") / "site"
    result = mkdocs_build(ROOT, out, config="mkdocs-instructor.yml")
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def browser_context():
    """Debian's Chromium driven by Playwright: never a browser download."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium")
    if not executable or not Path(executable).exists():
        pytest.fail(
            "没有找到 Chromium：请用 README 中的测试命令（python3 run.py test）运行，"
            "它会安装或指明所需的浏览器。"
        )
    profile = tempfile.mkdtemp(prefix="course-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.script_errors = errors
    # What the console reports as an error: a resource that failed, a blocked script (CSP).
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.console_errors = console
    yield page
    page.close()


EXERCISE_DATA = re.compile(r'<style type="text/x-quiz-exercise" media="not all" class="quiz__data">(.*?)</style>', re.S)


def unpacked(markup: str) -> str:
    """Page markup with each exercise's data block and every data-content put in place, as quiz.js does.

    The stand-in that an exercise replaces in the browser stays before it: the
    tests look for elements and text, and the stand-in holds none of the
    exercise's controls.
    """
    import html as html_module

    markup = EXERCISE_DATA.sub(lambda m: m.group(1).replace("<\\/", "</").replace("<\\!--", "<!--"), markup)
    attribute = re.compile(r' data-content="([^"]*)"([^>]*)>')
    while attribute.search(markup):
        markup = attribute.sub(lambda m: m.group(2) + ">" + html_module.unescape(m.group(1)), markup)
    return markup


def visible(markup: str) -> str:
    """What the page holds as markup and text before quiz.js runs: no data block, no data-content."""
    return re.sub(r' data-content="[^"]*"', "", EXERCISE_DATA.sub("", markup))
