"""The offline classroom copy (`python3 run.py offline`): the trainee edition as a zip that opens
from file:// with no server and no network, search and exercises included.

Built as run.py builds it (COURSE_OFFLINE=true turns on Material's offline plugin; hooks/offline.py
puts the project's iframe-worker shim in place of the CDN one and turns instant loading off),
packed by deploy/offline_copy.py, unzipped and opened in Chromium from its files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import ROOT, mkdocs_build
from test_host import write_linkchecker_config
from test_intranet import OUTSIDE_RESOURCE
from test_quiz_browser import answer_choice, exercise, result_text
from test_search import SEARCH_FIELD

import offline

PACK = ROOT / "deploy" / "offline_copy.py"
ZIP_NAME = re.compile(r"course-offline-1\.0-[0-9a-f]{7}(-modified)?\.zip")


def build_and_pack(work: Path) -> Path:
    site = work / "site"
    built = mkdocs_build(ROOT, site, COURSE_OFFLINE="true")
    assert built.returncode == 0, built.stderr[-3000:]
    packed = subprocess.run([sys.executable, str(PACK), str(site), str(work / "dist")],
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert packed.returncode == 0, packed.stderr
    [made] = (work / "dist").iterdir()
    assert made.name in packed.stdout
    return made


@pytest.fixture(scope="module")
def offline_zips(tmp_path_factory) -> tuple[Path, Path]:
    """The copy, built and packed twice from the same sources."""
    return (build_and_pack(tmp_path_factory.mktemp("offline-a")),
            build_and_pack(tmp_path_factory.mktemp("offline-b")))


@pytest.fixture(scope="module")
def unzipped(offline_zips, tmp_path_factory) -> Path:
    """The copy as a trainee unzips it: one folder named like the zip."""
    target = tmp_path_factory.mktemp("classroom")
    with zipfile.ZipFile(offline_zips[0]) as archive:
        archive.extractall(target)
    [folder] = target.iterdir()
    assert folder.name == offline_zips[0].stem
    return folder


def test_the_zip_is_reproducible_and_named_with_the_version(offline_zips):
    first, second = offline_zips
    assert ZIP_NAME.fullmatch(first.name), first.name
    assert first.name == second.name and first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {archive.infolist()[0].date_time}
        assert f"{first.stem}/index.html" in names and f"{first.stem}/{offline.SHIM}" in names


def test_the_copy_links_files_and_asks_no_outside_host(unzipped):
    page = (unzipped / "positioning.html").read_text(encoding="utf-8")
    assert re.search(rf'<script src="{re.escape(offline.SHIM)}"></script>', page)
    assert "iframe-worker" not in page.replace(offline.SHIM, "")
    assert '"navigation.instant"' not in page
    assert (unzipped / "search" / "search_index.js").is_file()
    # No instructors' page in the trainees' copy.
    assert not (unzipped / "instructors").exists()
    offenders = [f"{path.name}: {match.group(0)}" for path in unzipped.rglob("*") if path.suffix in {".html", ".css"}
                 for match in OUTSIDE_RESOURCE.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_from_file_search_finds_a_term_and_an_exercise_keeps_its_answer(unzipped, page):
    outside: list[str] = []

    def only_files(route):
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.context.on("request", lambda request: None if request.url.startswith(("file:", "data:", "blob:", "about:"))
                    else outside.append(request.url))
    page.goto((unzipped / "index.html").as_uri(), wait_until="load")
    # Search over file:// runs its worker in the shim's iframe and reads search_index.js.
    page.click(SEARCH_FIELD)
    page.keyboard.insert_text("信息量")
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    links = [unquote(a.get_attribute("href")) for a in page.locator(".md-search-result__item").first.locator("a").all()]
    assert links[0].startswith((unzipped / "positioning.html").as_uri()), links
    # A question as a trainee types it finds the section that answers it, as on the hosted site.
    page.fill(SEARCH_FIELD, "")
    page.keyboard.insert_text("信息里要有多少干货才值得报")
    page.wait_for_function("() => document.querySelector('.md-search-result__item a')?.href.includes('#')")
    first = unquote(page.locator(".md-search-result__item").first.locator("a").first.get_attribute("href"))
    assert first.startswith((unzipped / "positioning.html").as_uri()) and first.endswith("#信息量"), first
    page.locator(".md-search-result__item").first.locator("a").first.click()
    page.wait_for_url(re.compile(r"positioning\.html"))
    # The lesson's exercises start, and an answer is kept across a reload.
    page.wait_for_selector(".quiz .quiz__form")
    quiz, key = exercise(page, "single")
    answer_choice(page, quiz, [key["answer"]])
    assert result_text(quiz).startswith("✓")
    page.reload(wait_until="load")
    page.wait_for_selector(".quiz .quiz__form")
    quiz, _ = exercise(page, "single")
    assert result_text(quiz).startswith("✓")
    assert outside == []
    assert page.script_errors == []


def test_the_hosted_site_keeps_instant_loading_and_no_shim(served_site):
    page = (served_site.directory / "positioning" / "index.html").read_text(encoding="utf-8")
    assert '"navigation.instant"' in page and "iframe-worker" not in page


def test_offline_rules_leave_other_features_alone():
    assert offline.features(["navigation.instant", "navigation.instant.progress", "navigation.tabs", "search.highlight"]) == [
        "navigation.tabs", "search.highlight"]
    assert offline.polyfills(["https://unpkg.example/iframe-worker/shim", "javascripts/other.js"]) == [
        offline.SHIM, "javascripts/other.js"]


def test_run_py_offline_takes_no_arguments():
    done = subprocess.run([sys.executable, str(ROOT / "run.py"), "offline", "--edition", "instructor"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1 and "offline 命令不带参数" in done.stderr


def test_every_link_of_the_copy_resolves_on_disk(offline_zips, tmp_path):
    # Pages are page.html files now: the lessons' links, the exercises' links to their sections, the footer's.
    # linkchecker run as root reads as "nobody": the copy goes where anyone may read it, and is removed after.
    readable = Path(tempfile.mkdtemp(prefix="course-offline-links-"))
    try:
        readable.chmod(0o755)
        with zipfile.ZipFile(offline_zips[0]) as archive:
            archive.extractall(readable)
        checker = Path(sys.executable).with_name("linkchecker")
        done = subprocess.run(
            [str(checker), "--no-status", "--no-warnings", "--threads", "4",
             "--config", str(write_linkchecker_config(tmp_path)),
             (readable / offline_zips[0].stem / "index.html").as_uri()],
            capture_output=True, text=True, timeout=600,
        )
    finally:
        shutil.rmtree(readable, ignore_errors=True)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", done.stdout)
    assert checked and int(checked.group(2)) >= 30, done.stdout[-2000:]
