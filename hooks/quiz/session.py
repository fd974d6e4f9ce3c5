"""One build's worth of exercise work, for any site engine.

The engine's bridge calls, in order: `scan_page` for each page's Markdown,
`expand` for each page's HTML, then `finish` once every page is known. The
standalone check does the same without rendering anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import anchors, coverage, render, rules, shortcodes
from .bank import load_bank
from .problems import Problem

NAV_ENTRY = re.compile(r"^\s*-\s*[^:#\n]+:\s*([^\s#]+\.md)\s*$", re.M)
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
        self._outlines = None
        self._titles = None
        self.placed: list = []  # (set title, exercise) the last expand() put on its page

    # -- pages ---------------------------------------------------------------

    def scan_page(self, page: str, markdown: str) -> None:
        """Note the shortcodes of one page (path relative to docs/)."""
        codes = shortcodes.find(markdown)
        self.problems += shortcodes.check(codes, self.bank, f"{DOCS_DIR}/{page}")
        self.shown |= shortcodes.shown_ids(codes, self.bank)

    def outlines(self) -> dict[str, list]:
        """page -> its headings, read once per build from the Markdown sources."""
        if self._outlines is None:
            self._outlines = anchors.site_outlines(self.docs_dir, self.slug)
        return self._outlines

    def headings(self) -> dict[str, dict[str, str]]:
        """page -> {anchor: heading text}."""
        if self._titles is None:
            self._titles = {page: {h.anchor: h.title for h in found} for page, found in self.outlines().items()}
        return self._titles

    def expand(self, html: str, href_for_page) -> str:
        """Replace shortcodes in rendered HTML; href_for_page(page.md) -> relative URL."""
        self.placed = []
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
            items = [self._item(i, "练习") for i in names if self.bank.known(i)]
            return render.render_set("", "", items, link) if items else match.group(0)

        html = shortcodes.SHORTCODE.sub(replace, html)
        if shortcodes.COVERAGE.search(html):
            report = coverage.render_html(self.coverage(), href_for_page)
            html = shortcodes.COVERAGE.sub(lambda _: report, html)
        return html

    def coverage(self) -> list:
        """Exercises per lesson section and per type (usable ones only)."""
        return coverage.compute(self.bank.exercises.values(), self.outlines(), self.page_order())

    def page_order(self) -> list[str]:
        """Pages in the order mkdocs.yml's navigation lists them."""
        config = self.project_dir / "mkdocs.yml"
        text = config.read_text(encoding="utf-8") if config.exists() else ""
        return NAV_ENTRY.findall(text)

    def coverage_text(self) -> str:
        return coverage.format_text(self.coverage())

    def _item(self, exercise_id: str, set_title: str):
        """The exercise to render (or its id, if it has problems), noted as placed."""
        item = self.bank.exercises.get(exercise_id, exercise_id)
        if not isinstance(item, str):
            self.placed.append((set_title, item))
        return item

    def search_entries(self) -> list[tuple[str, str, str]]:
        """(anchor, title, text) per exercise the last expand() placed: its prompt only.

        Search finds an exercise by its prompt, with its lesson; answers,
        feedback and explanations never reach the index.
        """
        return [
            (f"quiz-{ex.id}", f"{set_title} · {ex.kind}", render.plain_prompt(ex))
            for set_title, ex in self.placed
        ]

    def _render_group(self, name: str, link) -> str:
        if name not in self.bank.groups:
            return ""
        title = self.bank.titles.get(name, "")
        items = [self._item(i, title or "练习") for i in self.bank.groups[name]]
        return render.render_set(name, title, items, link, name in self.bank.scored)

    # -- the end ---------------------------------------------------------------

    def finish(self) -> list[Problem]:
        """Checks that need every page, then all problems in file and line order."""
        headings = self.headings()
        anchors_by_page = {page: set(found) for page, found in headings.items()}
        exercises = list(self.bank.exercises.values())
        self.problems += rules.check_sections(exercises, anchors_by_page)
        self.problems += rules.check_unshown(exercises, self.shown)
        return sorted(set(self.problems))
