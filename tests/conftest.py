"""Shared fixtures: the project, a built site served under a sub-path, a browser."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUB_PATH = "training"

# Hook modules are plain siblings (MkDocs loads them that way); tests import them too.
sys.path.insert(0, str(ROOT / "hooks"))

# Without these flags Chromium keeps dialling outside hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def mkdocs_build(project: Path, out: Path, site_url: str | None = None) -> subprocess.CompletedProcess:
    """Run the strict build of `project` into `out`; return the finished process."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_project(dest: Path) -> Path:
    """A temporary copy of what a build reads, for tests that break something."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "docs", "exercises", "hooks", "search"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


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
    """The real course built for and served under /training/ on 127.0.0.1."""
    root = tmp_path_factory.mktemp("webroot")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    try:
        result = mkdocs_build(ROOT, root / SUB_PATH, site_url=base_url)
        assert result.returncode == 0, result.stderr
        yield BuiltSite(base_url=base_url, directory=root / SUB_PATH)
    finally:
        server.shutdown()
        server.server_close()


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
    yield page
    page.close()
