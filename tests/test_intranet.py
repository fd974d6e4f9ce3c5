"""Intranet-ready: no page loads anything from an outside host, under a sub-path."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Resource references only (not ordinary links): <link href>, src=, CSS url() and @import.
OUTSIDE_RESOURCE = re.compile(
    r"""<link\b(?![^>]*rel="(?:canonical|alternate)")[^>]*href=["']?(?:https?:)?//"""
    r"""|\bsrc=["']?(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//"""
    r"""|@import\s+(?:url\()?["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_no_built_file_references_an_outside_resource(served_site):
    offenders = []
    for path in served_site.directory.rglob("*"):
        if path.suffix in {".html", ".css"}:
            for match in OUTSIDE_RESOURCE.finditer(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.name}: {match.group(0)}")
    assert offenders == []


def test_scanner_would_catch_an_outside_font():
    # The check above is only worth something if it recognises the usual traps.
    assert OUTSIDE_RESOURCE.search('<link rel="stylesheet" href="https://fonts.example/css">')
    assert OUTSIDE_RESOURCE.search("@font-face{src:url(https://cdn.example/a.woff2)}")
    assert OUTSIDE_RESOURCE.search('<script src="//cdn.example/polyfill.js"></script>')
    assert not OUTSIDE_RESOURCE.search('<link rel="canonical" href="https://host/training/">')


def test_every_page_requests_only_the_local_server(served_site, page):
    origin = urlsplit(served_site.base_url).netloc
    outside: list[str] = []

    def record(route):
        if urlsplit(route.request.url).netloc != origin:
            outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", record)
    urls = served_site.page_urls()
    assert len(urls) >= 3
    for url in urls:
        page.goto(url, wait_until="networkidle")
        assert page.title(), url
    # Searching loads the worker, the language scripts and the index.
    page.goto(served_site.base_url, wait_until="networkidle")
    page.fill("input[data-md-component=search-query]", "信息")
    page.wait_for_selector(".md-search-result__item")
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert page.script_errors == []
    # Served by nginx with the shipped Content-Security-Policy: nothing may be refused.
    assert page.console_errors == []


def test_pages_work_under_the_sub_path(served_site, page):
    page.goto(served_site.base_url, wait_until="networkidle")
    stylesheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
    assert stylesheets and all(s.startswith(served_site.base_url) for s in stylesheets)
    page.click("article a[href$='/introduction/']")
    page.wait_for_url(re.compile(re.escape(served_site.base_url + "introduction/")))
    # Instant navigation changes the address before it swaps the content in.
    from playwright.sync_api import expect

    expect(page.locator("article h1").first).to_contain_text("导论")
