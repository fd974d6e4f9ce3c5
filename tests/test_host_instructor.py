"""Both editions as the shipped nginx configuration serves them: the trainee site open under
/training/, the instructor site under /training-instructor/ only for instructors (basic auth with a
password file made by `openssl passwd -apr1`, or the documented allow-list of addresses)."""

from __future__ import annotations

import base64
import re
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, mkdocs_build
from hosting import EditionsNginx, apr1_entry, publish
from test_host import NoRedirect, fetch

USER, PASSWORD = "teacher", "Kc-7 lecture: 讲台"
HASHED = re.compile(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js")


def notes_sentence() -> str:
    """A sentence of the instructors' notes, as the Markdown has it: what must never leak."""
    text = (ROOT / "docs" / "instructors" / "index.md").read_text(encoding="utf-8")
    return re.search(r"^本课程分[^，]+", text, re.M).group(0)


def first_exercise_id() -> str:
    bank = yaml.safe_load((ROOT / "exercises" / "positioning.yml").read_text(encoding="utf-8"))
    return bank["exercises"][0]["id"]


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


RIGHT = basic(USER, PASSWORD)


@dataclass
class Editions:
    trainee_url: str
    instructor_url: str
    trainee_target: Path
    instructor_target: Path
    password_file: Path


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """Both editions built for their sub-paths, each published to its own target, served by nginx."""
    work = tmp_path_factory.mktemp("editions")
    password_file = work / "etc" / "course-instructor.htpasswd"
    password_file.parent.mkdir()
    password_file.write_text(apr1_entry("other", "another one") + apr1_entry(USER, PASSWORD), encoding="utf-8")
    password_file.chmod(0o640)
    nginx = EditionsNginx(work / "srv" / "course", work / "srv" / "course-instructor", password_file, work / "nginx")
    for out, url, config, target in (
        (work / "site", nginx.base_url, "mkdocs.yml", work / "srv" / "course"),
        (work / "site-instructor", nginx.instructor_url, "mkdocs-instructor.yml", work / "srv" / "course-instructor"),
    ):
        built = mkdocs_build(ROOT, out, site_url=url, config=config)
        assert built.returncode == 0, built.stderr[-3000:]
        published = publish("publish", "--target", str(target), "--site", str(out), "--allow-modified")
        assert published.returncode == 0, published.stderr
    nginx.start()
    try:
        yield Editions(nginx.base_url, nginx.instructor_url, work / "srv" / "course",
                       work / "srv" / "course-instructor", password_file)
    finally:
        nginx.stop()


def instructor_addresses(editions: Editions) -> list[str]:
    """Pages, the answer key, a theme file, the search index, a missing page, a hidden file."""
    release = (editions.instructor_target / "current").resolve()
    asset = HASHED.search((release / "index.html").read_text(encoding="utf-8")).group(0)
    return [editions.instructor_url + path for path in
            ("", "instructors/", "instructors/answers/", asset, "search/search_index.json", "404.html",
             "version.json", "no-such-page/", ".env", "assets/")]


def test_the_trainee_path_is_open(editions):
    status, headers, body = fetch(editions.trainee_url)
    assert status == 200
    assert "WWW-Authenticate" not in headers
    assert "md-content" in body.decode("utf-8")
    assert fetch(editions.trainee_url + "topics/")[0] == 200


def test_the_instructor_path_refuses_without_credentials_and_shows_nothing_of_the_notes(editions):
    secret, exercise = notes_sentence(), first_exercise_id()
    for url in instructor_addresses(editions):
        status, headers, body = fetch(url)
        assert status == 401, url
        assert headers["WWW-Authenticate"].startswith("Basic realm="), url
        text = body.decode("utf-8")
        # A short Chinese page of its own: none of the notes, the answers or the site around them.
        # (A hidden file is refused before the password is asked, and its 404 page then needs the
        # password: nginx's own short 401 page answers, which holds nothing of the site either.)
        assert ("需要讲师账号" in text) != url.endswith(".env"), url
        for leaked in (secret, "讲师手册", exercise, "md-content", "/training-instructor/assets/"):
            assert leaked not in text, (url, leaked)
        # Never kept by a proxy, never kept for a year by the browser.
        assert headers["Cache-Control"] == "private, no-cache", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["X-Frame-Options"] == "SAMEORIGIN", url
        assert "default-src 'self'" in headers["Content-Security-Policy"], url


def test_the_instructor_path_refuses_wrong_credentials(editions):
    for headers in (basic(USER, "wrong"), basic(USER, ""), basic("nobody", PASSWORD), basic("other", PASSWORD),
                    basic(USER.upper(), PASSWORD), {"Authorization": "Basic not-base64!"},
                    {"Authorization": "Bearer " + base64.b64encode(PASSWORD.encode()).decode()}):
        status, answer, body = fetch(editions.instructor_url + "instructors/", **headers)
        assert status == 401, headers
        assert "WWW-Authenticate" in answer
        assert notes_sentence() not in body.decode("utf-8")


def test_with_the_right_credentials_the_notes_and_the_answer_key_are_served(editions):
    status, headers, body = fetch(editions.instructor_url + "instructors/", **RIGHT)
    assert status == 200
    assert notes_sentence() in body.decode("utf-8")
    status, headers, body = fetch(editions.instructor_url + "instructors/answers/", **RIGHT)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    html = body.decode("utf-8")
    assert "练习答案" in html and f'id="answer-{first_exercise_id()}"' in html
    # The second account of the file works too.
    assert fetch(editions.instructor_url, **basic("other", "another one"))[0] == 200


def test_the_instructor_path_has_the_trainee_paths_headers_pages_and_rules(editions):
    base = editions.instructor_url
    status, headers, _ = fetch(base, **RIGHT)
    assert status == 200
    assert headers["Cache-Control"] == "private, no-cache"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "object-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "same-origin"

    release = (editions.instructor_target / "current").resolve()
    asset = HASHED.search((release / "index.html").read_text(encoding="utf-8")).group(0)
    status, headers, body = fetch(base + asset, **RIGHT, **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert headers.get("Content-Encoding") == "gzip"

    # Its own 404 and 403 pages, which link to its own home and assets.
    for address, code, words in (("no-such-page/", 404, "页面不存在"), ("topics/no/such.html", 404, "页面不存在"),
                                 ("assets/", 403, "无法访问")):
        status, headers, body = fetch(base + address, **RIGHT)
        html = body.decode("utf-8")
        assert status == code, address
        assert words in html and "/training-instructor/assets/" in html, address
        assert f'href="{base}">课程首页' in html, address
        assert headers["X-Content-Type-Options"] == "nosniff", address

    # Hidden files and editor backups in the release are never served, even to an instructor.
    planted = [".env", ".git/config", "instructors/index.html~", "instructors/.index.html.swp", "answers.bak"]
    try:
        for name in planted:
            (release / name).parent.mkdir(parents=True, exist_ok=True)
            (release / name).write_text("SECRET=1\n", encoding="utf-8")
        for address in (*planted, "%2Eenv", ".git/"):
            status, _, body = fetch(base + address, **RIGHT)
            assert status == 404 and b"SECRET" not in body, address
            assert "页面不存在" in body.decode("utf-8"), address
    finally:
        shutil.rmtree(release / ".git", ignore_errors=True)
        for name in planted:
            (release / name).unlink(missing_ok=True)

    # Addresses without their slash stay within the sub-path.
    opener = urllib.request.build_opener(NoRedirect)
    for url, expected in ((base.rstrip("/"), "/training-instructor/"),
                          (base + "instructors", "/training-instructor/instructors/")):
        request = urllib.request.Request(url, headers=RIGHT)
        with pytest.raises(urllib.error.HTTPError) as redirected:
            opener.open(request, timeout=10)
        assert redirected.value.code == 301 and redirected.value.headers["Location"] == expected, url


def test_the_trainee_path_never_serves_instructor_pages(editions):
    for address in ("instructors/", "instructors/answers/", "instructors/index.html"):
        for headers in ({}, RIGHT):
            status, _, body = fetch(editions.trainee_url + address, **headers)
            assert status == 404, address
            assert notes_sentence() not in body.decode("utf-8"), address
    # Nor through the other sub-path's name, nor by climbing out of it.
    for address in ("../training-instructor/instructors/", "..%2F..%2Fcourse-instructor/current/instructors/"):
        status, _, body = fetch(editions.trainee_url + address)
        assert notes_sentence() not in body.decode("utf-8"), address
        assert status in (400, 401, 404), address


def test_the_password_file_is_outside_the_published_folders(editions):
    for target in (editions.trainee_target, editions.instructor_target):
        assert not (target / "current").resolve().joinpath(editions.password_file.name).exists()
    status, _, body = fetch(editions.instructor_url + editions.password_file.name, **RIGHT)
    assert status == 404 and b"$apr1$" not in body


def allow_listed(editions: Editions, workdir: Path, **options) -> EditionsNginx:
    return EditionsNginx(editions.trainee_target, editions.instructor_target, editions.password_file,
                         workdir, **options).start()


def test_the_documented_allow_list_refuses_other_addresses_even_with_credentials(editions, tmp_path):
    # The documented example addresses, none of them this machine's 127.0.0.1.
    nginx = allow_listed(editions, tmp_path / "nginx", allow="192.0.2.0/24")
    try:
        for headers in ({}, RIGHT):
            status, _, body = fetch(nginx.instructor_url + "instructors/", **headers)
            assert status == 403, headers
            assert notes_sentence() not in body.decode("utf-8")
        # The trainee path stays open to everyone.
        assert fetch(nginx.base_url)[0] == 200
    finally:
        nginx.stop()


def test_the_allow_list_with_satisfy_any_lets_listed_addresses_in_without_a_password(editions, tmp_path):
    nginx = allow_listed(editions, tmp_path / "nginx", allow="127.0.0.1", satisfy_any=True)
    try:
        status, _, body = fetch(nginx.instructor_url + "instructors/")
        assert status == 200 and notes_sentence() in body.decode("utf-8")
    finally:
        nginx.stop()
    # An address outside the list still needs the password.
    nginx = allow_listed(editions, tmp_path / "nginx-other", allow="192.0.2.0/24", satisfy_any=True)
    try:
        assert fetch(nginx.instructor_url + "instructors/")[0] == 401
        assert fetch(nginx.instructor_url + "instructors/", **RIGHT)[0] == 200
    finally:
        nginx.stop()
