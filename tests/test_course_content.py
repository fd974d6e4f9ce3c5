"""The course text: glossary and checklist linked to real sections (the editions: test_editions.py).

What every lesson must hold (its parts, its length, the key terms each page
teaches) is the `lessons:` part of the course policy, enforced by the check:
tests/test_course_policy.py tests those rules and that the course passes them.
"""

from __future__ import annotations

import re

from conftest import ROOT

DOCS = ROOT / "docs"
def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def built_ids(site, page: str) -> set[str]:
    html_path = site / page.replace(".md", "") / "index.html"
    if page.endswith("index.md"):
        html_path = site / page.replace("index.md", "") / "index.html"
    return set(re.findall(r'\bid="([^"]+)"', html_path.read_text(encoding="utf-8")))


def anchor_links(text: str) -> list[tuple[str, str]]:
    return re.findall(r"\]\(([\w./-]+\.md)#([^)\s]+)\)", text)


def assert_links_resolve(served_site, links, base=""):
    for page, anchor in links:
        target = (base + page).replace("../", "")
        assert anchor in built_ids(served_site.directory, target), f"{page}#{anchor}"


def test_glossary_has_twenty_terms_each_linked_to_a_real_section(served_site):
    rows = [line for line in read("glossary.md").splitlines() if re.match(r"^\|(?!\s*-)", line)]
    entries = [row for row in rows if anchor_links(row)]
    assert len(entries) >= 20
    for row in entries:
        assert len(anchor_links(row)) == 1, row
    assert_links_resolve(served_site, [anchor_links(row)[0] for row in entries])


def test_checklist_items_each_link_back(served_site):
    items = [line for line in read("checklist.md").splitlines() if line.startswith("- [ ]")]
    assert len(items) >= 15
    for item in items:
        assert anchor_links(item), item
    assert_links_resolve(served_site, [anchor_links(item)[0] for item in items])


