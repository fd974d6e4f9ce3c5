"""One build's worth of exercise work, for any site engine.

The engine's bridge calls, in order: `scan_page` for each page's Markdown,
`expand` for each page's HTML, then `finish` once every page is known. The
standalone check does the same without rendering anything.

The exercises themselves come from a Preparation: loaded, checked and
rendered in a second process while the engine renders the pages, or here
when the session first needs them. Nothing before `expand` waits for them.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import anchors, course_rules, coverage, lesson_rules, render, rules, segment, shortcodes
from .background import Preparation
from .bank import Bank
from .prepare import Job, Prepared, set_template
from .problems import Problem

NAV_ENTRY = re.compile(r"^\s*-\s*[^:#\n]+:\s*([^\s#]+\.md)\s*$", re.M)
DOCS_DIR = "docs"


class QuizSession:
    def __init__(self, project_dir: Path, docs_dir: Path | None = None, slug=anchors.default_slugify,
                 preparation: Preparation | None = None):
        self.project_dir = project_dir
        self.docs_dir = docs_dir or project_dir / DOCS_DIR
        self.slug = slug
        self.preparation = preparation or Preparation(Job(project_dir, render=False), background=False)
        self.codes: dict[str, list] = {}  # page (relative to docs/) -> its shortcodes
        self.near_misses: dict[str, list] = {}  # page -> comments that resemble a shortcode but are none
        self._problems_by_place = None
        self._outlines = None
        self._titles = None
        self.placed: list = []  # (set title, exercise) the last expand() put on its page
        self._segmented: dict[str, str] = {}  # result titles segmented here

    @property
    def prepared(self) -> Prepared:
        return self.preparation.result()

    @property
    def bank(self) -> Bank:
        return self.prepared.bank

    # -- pages ---------------------------------------------------------------

    def scan_page(self, page: str, markdown: str) -> bool:
        """Note the shortcodes of one page (path relative to docs/); whether it has any."""
        self.codes[page] = shortcodes.find(markdown)
        self.near_misses[page] = shortcodes.near_misses(markdown)
        return bool(self.codes[page]) or bool(shortcodes.COVERAGE.search(markdown))

    def outlines(self) -> dict[str, list]:
        """page -> its headings, read once per build from the Markdown sources."""
        if self._outlines is None:
            self._outlines = anchors.site_outlines(self.docs_dir, self.slug)
        return self._outlines

    def unreadable_pages(self) -> set[str]:
        """Pages that are not UTF-8. The lesson check reports each once; what their headings
        would decide (section links, coverage) is not judged on a garbled reading."""
        found = set()
        for path in sorted(self.docs_dir.rglob("*.md")):
            try:
                path.read_bytes().decode("utf-8-sig")
            except (UnicodeDecodeError, OSError):
                found.add(path.relative_to(self.docs_dir).as_posix())
        return found

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

        links: dict[str, tuple[str, str]] = {}  # a lesson's exercises share a few sections

        def link(section: str) -> tuple[str, str]:
            if section not in links:
                page, anchor = section.split("#", 1)
                title = self.headings().get(page, {}).get(anchor, anchor)
                links[section] = (f"{href_for_page(page)}#{anchor}", title)
            return links[section]

        def replace(match) -> str:
            kind, names = match.group(1), shortcodes.parse_names(match.group(2))
            if kind == "exercises":
                return "".join(self._render_group(name, link) for name in names)
            ids = [i for i in names if self.bank.known(i)]
            return render.render_set("", "", self._bodies(ids, render.DEFAULT_SET_TITLE, link)) if ids else match.group(0)

        html = shortcodes.SHORTCODE.sub(replace, html)
        if shortcodes.COVERAGE.search(html):
            report = coverage.render_html(self.coverage(), href_for_page, self.bank.policy.section_minimum)
            html = shortcodes.COVERAGE.sub(lambda _: report, html)
        return html

    def _render_group(self, name: str, link) -> str:
        if name in self.bank.unreadable:  # previewing: say why the set is missing, where it would be
            path, problems = self._file_problems(name)
            return render.render_unreadable(path, problems)
        if name not in self.bank.groups:
            return ""
        set_title = self.bank.titles.get(name) or render.DEFAULT_SET_TITLE
        template = self.prepared.sets.get(name) or set_template(self.bank, name)
        links, notices = {}, {}
        for position, exercise_id in enumerate(self.bank.groups[name]):
            exercise = self.bank.exercises.get(exercise_id)
            if exercise is not None:
                self.placed.append((set_title, exercise))
                links[position] = link(exercise.section)
            else:
                notices[position] = render.problem_notes(self._exercise_problems(exercise_id))
        return render.fill_set(template, links, notices)

    def _bodies(self, ids: list[str], set_title: str, link) -> list[str]:
        """Each exercise's markup placed in its set; those with problems stand in as notices."""
        bodies = []
        for number, exercise_id in enumerate(ids, start=1):
            exercise = self.bank.exercises.get(exercise_id)
            if exercise is None:
                bodies.append(render.render_broken(exercise_id, number, self._exercise_problems(exercise_id)))
                continue
            self.placed.append((set_title, exercise))
            bodies.append(render.render_exercise(exercise, number, link))
        return bodies

    def _places(self) -> tuple[dict, dict]:
        """The bank's problems by exercise id, and those of no exercise by file stem."""
        if self._problems_by_place is None:
            by_exercise, by_file = {}, {}
            for problem in sorted(self.bank.problems):
                if problem.exercise_id:
                    by_exercise.setdefault(problem.exercise_id, []).append(problem)
                else:
                    by_file.setdefault(Path(problem.path).stem, []).append(problem)
            self._problems_by_place = by_exercise, by_file
        return self._problems_by_place

    def _exercise_problems(self, exercise_id: str) -> list[Problem]:
        return self._places()[0].get(exercise_id, [])

    def _file_problems(self, name: str) -> tuple[str, list[Problem]]:
        """An unreadable file's path as the log shows it, and its problems."""
        problems = self._places()[1].get(name, [])
        return (problems[0].path if problems else f"exercises/{name}.yml"), problems

    def search_entries(self) -> list[tuple[str, str, str]]:
        """(anchor, title, text) per exercise the last expand() placed: its prompt only.

        Search finds an exercise by its prompt, with its lesson; answers,
        feedback and explanations never reach the index. Title and text are
        escaped text, since the site's search shows them as HTML. Segmented
        for Chinese search when the preparation's job asked for it.
        """
        index_text = self._segment if self.preparation.job.segment else str
        prompts = self.prepared.prompts
        return [
            (f"quiz-{ex.id}", index_text(render.search_label(set_title, ex)),
             prompts.get(ex.id) or index_text(render.search_text(ex)))
            for set_title, ex in self.placed
        ]

    def _segment(self, text: str) -> str:
        # Result titles repeat on every exercise of a set; the preparation segmented most already.
        found = self.prepared.labels.get(text) or self._segmented.get(text)
        if found is None:
            found = self._segmented[text] = segment.segment(text)
        return found

    # -- the bank as a whole ---------------------------------------------------

    def coverage(self) -> list:
        """Exercises per lesson section and per type (usable ones only)."""
        return coverage.compute(self.bank.exercises.values(), self.outlines(), self.page_order())

    def page_order(self) -> list[str]:
        """Pages in the order mkdocs.yml's navigation lists them."""
        config = self.project_dir / "mkdocs.yml"
        text = config.read_text(encoding="utf-8") if config.exists() else ""
        return NAV_ENTRY.findall(text)

    def coverage_text(self) -> str:
        return coverage.format_text(self.coverage(), self.bank.policy.section_minimum)

    # -- the end ---------------------------------------------------------------

    def finish(self) -> list[Problem]:
        """Checks that need every page, then all problems in file and line order."""
        bank = self.bank
        problems = list(bank.problems)
        shown: set[str] = set()
        for codes in self.codes.values():
            shown |= shortcodes.shown_ids(codes, bank)
        left_out: set[str] = set()  # on no page because of a shortcode problem, which says so
        for page, codes in self.codes.items():
            found, missed = shortcodes.check(codes, bank, f"{DOCS_DIR}/{page}", shown, self.near_misses.get(page, []))
            problems += found
            left_out |= missed
        anchors_by_page = {page: [h.anchor for h in found] for page, found in self.outlines().items()}
        exercises = list(bank.exercises.values())
        garbled = self.unreadable_pages()
        problems += rules.check_sections([e for e in exercises if e.section_page not in garbled], anchors_by_page)
        problems += rules.check_unshown(exercises, shown | left_out)
        problems += course_rules.check_sets(bank, bank.policy)
        lessons = [lesson for lesson in self.coverage() if lesson.page not in garbled]
        problems += course_rules.check_sections(lessons, self.outlines(), bank.policy, DOCS_DIR)
        problems += lesson_rules.check(self.docs_dir, bank.policy.lessons, DOCS_DIR)
        return sorted(set(problems))

