"""The course text: glossary and checklist linked to real sections, instructors' notes separable.

What every lesson must hold (its parts, its length, the key terms each page
teaches) is the `lessons:` part of the course policy, enforced by the check:
tests/test_course_policy.py tests those rules and that the course passes them.
"""

from __future__ import annotations

import re

from conftest import ROOT, mkdocs_build

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


def test_trainee_edition_builds_without_the_instructors_notes(project_copy, tmp_path):
    # The notes live in docs/instructors/ and one nav entry: dropping both
    # must leave a site that still builds strictly, without touching the text.
    config = project_copy / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not re.match(r"\s*- .*: instructors/", line)]
    assert len(kept) == len(lines) - 1
    config.write_text("\n".join(kept) + "\n", encoding="utf-8")
    for path in sorted((project_copy / "docs" / "instructors").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (project_copy / "docs" / "instructors").rmdir()
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
