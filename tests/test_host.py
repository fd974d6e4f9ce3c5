"""The published release as nginx serves it with the shipped configuration."""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None


def test_every_page_is_served(served_site):
    urls = served_site.page_urls()
    assert len(urls) >= 9
    for url in urls:
        if url.endswith("404.html"):
            continue
        status, headers, _ = fetch(url)
        assert status == 200, url
        assert headers["Content-Type"].startswith("text/html"), url


def test_every_internal_link_resolves(served_site, tmp_path):
    checker = Path(sys.executable).with_name("linkchecker")
    done = subprocess.run(
        [str(checker), "--no-status", "--no-warnings", "--threads", "4", "--timeout", "20",
         "--config", str(write_linkchecker_config(tmp_path)), served_site.base_url],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", done.stdout)
    assert checked and int(checked.group(2)) >= 30, done.stdout[-2000:]


def write_linkchecker_config(folder: Path) -> Path:
    # Stay on the site: it links nowhere else, and the machine has no way out anyway.
    config = folder / "linkcheckerrc"
    config.write_text("[filtering]\ncheckextern=0\n[AnchorCheck]\n", encoding="utf-8")
    return config


def test_a_missing_page_gets_the_sites_own_404(served_site):
    status, headers, body = fetch(served_site.base_url + "no-such-lesson/")
    assert status == 404
    html = body.decode("utf-8")
    # The course's own page, in Chinese, styled and with a way home, at any depth of a missing address.
    assert "md-content" in html and "页面不存在" in html
    assert "/training/assets/" in html
    assert f'href="{served_site.base_url}">课程首页' in html
    status, _, body = fetch(served_site.base_url + "topics/no/such/page.html")
    assert status == 404 and "页面不存在" in body.decode("utf-8")


def test_a_forbidden_address_gets_the_sites_own_403(served_site):
    # A folder with no index.html: nginx may not list it.
    status, headers, body = fetch(served_site.base_url + "assets/")
    assert status == 403
    html = body.decode("utf-8")
    assert "md-content" in html and "无法访问" in html and "403" in html
    assert "/training/assets/" in html
    assert f'href="{served_site.base_url}">课程首页' in html
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_hidden_files_and_editor_backups_in_a_release_are_never_served(served_site):
    release = served_site.directory
    planted = [".git/config", ".git/HEAD", ".env", "index.html~", "topics/.index.html.swp", "version.json.bak",
               "topics/index.html.orig", "assets/.DS_Store", "notes.BAK"]
    try:
        for name in planted:
            (release / name).parent.mkdir(parents=True, exist_ok=True)
            (release / name).write_text("SECRET=1\n", encoding="utf-8")
        # As typed, with an encoded dot, and a folder that exists only as a hidden one.
        for address in (*planted, ".git/", "%2Eenv", "topics/%2eindex.html.swp"):
            status, _, body = fetch(served_site.base_url + address)
            assert status == 404, address
            assert b"SECRET" not in body, address
            assert "页面不存在" in body.decode("utf-8"), address
        # Ordinary files around them are served as before.
        assert fetch(served_site.base_url + "version.json")[0] == 200
        assert fetch(served_site.base_url + "topics/")[0] == 200
    finally:
        shutil.rmtree(release / ".git", ignore_errors=True)
        for name in planted:
            (release / name).unlink(missing_ok=True)


def test_addresses_without_their_slash_redirect_within_the_sub_path(served_site):
    opener = urllib.request.build_opener(NoRedirect)
    for url, expected in ((served_site.base_url.rstrip("/"), "/training/"),
                          (served_site.base_url + "topics", "/training/topics/")):
        try:
            opener.open(url, timeout=10)
            raise AssertionError(f"{url} was not redirected")
        except urllib.error.HTTPError as error:
            assert error.code == 301, url
            # A path only: right behind a proxy or on another port too.
            assert error.headers["Location"] == expected, url


def test_headers_are_what_the_configuration_promises(served_site):
    site = served_site.directory
    status, headers, _ = fetch(served_site.base_url)
    assert status == 200
    assert headers["Cache-Control"] == "no-cache"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Server" not in headers or "/" not in headers["Server"], "no version in the Server header"

    hashed = sorted(site.glob("assets/javascripts/bundle.*.min.js")) + sorted(site.glob("assets/stylesheets/main.*.min.css"))
    assert len(hashed) == 2
    for path in hashed:
        url = served_site.base_url + path.relative_to(site).as_posix()
        status, headers, body = fetch(url, **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", url
        assert headers.get("Content-Encoding") == "gzip", url
        assert gzip.decompress(body) == path.read_bytes()
        assert headers["X-Content-Type-Options"] == "nosniff"

    # The course's own files keep their names from release to release: revalidated, never kept for long.
    for own in ("javascripts/quiz.js", "stylesheets/quiz.css", "search/search_index.json", "version.json"):
        status, headers, _ = fetch(served_site.base_url + own, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Cache-Control"] == "no-cache", own
        # Text worth compressing is compressed; a file of a few bytes is not.
        assert headers.get("Content-Encoding") == ("gzip" if own != "version.json" else None), own
