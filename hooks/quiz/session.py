"""One build's worth of exercise work, for any site engine.

The engine's bridge calls, in order: `scan_page` for each page's Markdown,
`expand` for each page's HTML, then `finish` once every page is known. The
standalone check does the same without rendering anything.
"""

from __future__ import annotations

from pathlib import Path

from . import anchors, render, rules, shortcodes
from .bank import load_bank
from .problems import Problem

EXERCISES_DIR = "exercises"
DOCS_DIR = "docs"


class QuizSession:
    def __init__(self, project_dir: Path, docs_dir: Path | None = None, slug=anchors.default_slugify):
        self.project_dir = project_dir
        self.docs_dir = docs_dir or project_dir / DOCS_DIR
        self.bank = load_bank(project_dir / EXERCISES_DIR, project_dir)
        self.slug = slug
        self.problems: list[Problem] = list(self.bank.problems)
        self.shown: set[str] = set()
        self._headings: dict[str, dict[str, str]] | None = None

    # -- pages ---------------------------------------------------------------

    def scan_page(self, page: str, markdown: str) -> None:
        """Note the shortcodes of one page (path relative to docs/)."""
        codes = shortcodes.find(markdown)
        self.problems += shortcodes.check(codes, self.bank, f"{DOCS_DIR}/{page}")
        self.shown |= shortcodes.shown_ids(codes, self.bank)

    def headings(self) -> dict[str, dict[str, str]]:
        """page -> {anchor: heading}, read once per build from the Markdown sources."""
        if self._headings is None:
            self._headings = anchors.site_headings(self.docs_dir, self.slug)
        return self._headings

    def expand(self, html: str, href_for_page) -> str:
        """Replace shortcodes in rendered HTML; href_for_page(page.md) -> relative URL."""
        if "<!--" not in html:
            return html

        def link(section: str) -> tuple[str, str]:
            page, anchor = section.split("#", 1)
            title = self.headings().get(page, {}).get(anchor, anchor)
            return f"{href_for_page(page)}#{anchor}", title

        def replace(match) -> str:
            kind, names = match.group(1), shortcodes.parse_names(match.group(2))
            if kind == "exercises":
                return "".join(self._render_group(name, link) for name in names)
            items = [self._item(i) for i in names if self.bank.known(i)]
            return render.render_set("", "", items, link) if items else match.group(0)

        return shortcodes.SHORTCODE.sub(replace, html)

    def _item(self, exercise_id: str):
        return self.bank.exercises.get(exercise_id, exercise_id)

    def _render_group(self, name: str, link) -> str:
        if name not in self.bank.groups:
            return ""
        items = [self._item(i) for i in self.bank.groups[name]]
        return render.render_set(name, self.bank.titles.get(name, ""), items, link, name in self.bank.scored)

    # -- the end ---------------------------------------------------------------

    def finish(self) -> list[Problem]:
        """Checks that need every page, then all problems in file and line order."""
        headings = self.headings()
        anchors_by_page = {page: set(found) for page, found in headings.items()}
        exercises = list(self.bank.exercises.values())
        self.problems += rules.check_sections(exercises, anchors_by_page)
        self.problems += rules.check_unshown(exercises, self.shown)
        return sorted(set(self.problems))
