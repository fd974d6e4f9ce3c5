"""One build's worth of exercise work, for any site engine.

A build's pages ask the session, in any order, for what belongs to one
page: `page_problems` (its shortcodes checked against the whole course) and
`expand` (its shortcodes as exercises); `finish` gives every problem, the
whole course's included, once every page is known. The pages themselves are
read from the docs folder, once per session, so that each page's check sees
what the other pages place. The standalone check does the same without
rendering anything.

Engines that build pages through a Markdown extension (quiz.extension) share
one session per project through `for_project`: a build that has hooks starts
each build with `begin_build`; without hooks the session is renewed when an
exercise file, a lesson or mkdocs.yml has changed since it was made.

The exercises themselves are loaded, checked and rendered when the session
first needs them (quiz.prepare), each file once per content (quiz.cache):
nothing before placing exercises waits for them.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from . import anchors, answer_key, course_rules, coverage, lesson_rules, render, rules, shortcodes, workbook
from .bank import Bank
from .pages import DocsPages
from .cache import DEFAULT_FOLDER as DEFAULT_CACHE
from .prepare import EXERCISES_DIR, Job, prepare, set_template
from .problems import Problem

# What an answer-key shortcode shows on a page the trainee edition has: the check says why.
ANSWERS_REFUSED = (
    '<div class="quiz quiz--broken" role="note"><p>这里本该是练习答案页，但它只能放在 '
    + "、".join(f"docs/{folder}" for folder in shortcodes.ANSWERS_ONLY_IN)
    + ' 下的页面上（学员版不含这些页面），所以不显示。请按构建日志的提示移动短代码。</p></div>'
)
NAV_ENTRY = re.compile(r"^\s*-\s*[^:#\n]+:\s*([^\s#]+\.md)\s*$", re.M)
DOCS_DIR = "docs"
CONFIG_FILE = "mkdocs.yml"


class QuizSession:
    def __init__(self, project_dir: Path, docs_dir: Path | None = None, slug=anchors.default_slugify,
                 exercises_dir: str = EXERCISES_DIR, cache_dir: str = DEFAULT_CACHE):
        self.project_dir = project_dir
        self.docs_dir = docs_dir or project_dir / DOCS_DIR
        self.slug = slug
        self.job = Job(project_dir, exercises_dir=exercises_dir, cache_dir=cache_dir)
        self._bank: Bank | None = None
        self.codes: dict[str, list] = {}  # page (relative to docs/) -> its shortcodes
        self.near_misses: dict[str, list] = {}  # page -> comments that resemble a shortcode but are none
        self.answer_keys: dict[str, list] = {}  # page -> (line, column) of each answer-key shortcode
        self.reported: dict[str, list[Problem]] = {}  # page -> its problems, once an engine said them
        self._pages: DocsPages | None = None
        self._page_checks = None
        self._of_exercises = None
        self._problems_by_place = None
        self._outlines = None
        self._titles = None
        self._lock = threading.Lock()

    @property
    def bank(self) -> Bank:
        with self._lock:  # pages may be converted on several threads
            if self._bank is None:
                self._bank = prepare(self.job)
            return self._bank

    @property
    def docs_shown(self) -> str:
        """The docs folder as messages name it: relative to the project."""
        try:
            return self.docs_dir.relative_to(self.project_dir).as_posix()
        except ValueError:
            return self.docs_dir.name

    # -- pages ---------------------------------------------------------------

    def pages(self) -> DocsPages:
        """The docs folder's Markdown pages, read once per session."""
        if self._pages is None:
            self._pages = DocsPages(self.docs_dir)
        return self._pages

    def scan_page(self, page: str, markdown: str) -> bool:
        """Note the shortcodes of one page (path relative to docs/); whether it has any."""
        self.codes[page] = shortcodes.find(markdown)
        self.near_misses[page] = shortcodes.near_misses(markdown)
        self.answer_keys[page] = shortcodes.find_answers(markdown)
        self._page_checks = None
        return (bool(self.codes[page]) or bool(shortcodes.COVERAGE.search(markdown)) or bool(self.answer_keys[page])
                or bool(shortcodes.WORKBOOK.search(markdown)))

    def _scan_docs(self) -> None:
        """Every page of the docs folder not scanned yet, as it is on disk.

        A page that is not UTF-8 still places its exercises: its shortcodes are plain ASCII.
        """
        for page, text in self.pages().texts.items():
            if page not in self.codes:
                self.scan_page(page, text)

    def outlines(self) -> dict[str, list]:
        """page -> its headings, read once per session from the Markdown sources."""
        if self._outlines is None:
            self._outlines = {page: anchors.outline(text, self.slug) for page, text in self.pages().texts.items()}
        return self._outlines

    def headings(self) -> dict[str, dict[str, str]]:
        """page -> {anchor: heading text}."""
        if self._titles is None:
            self._titles = {page: {h.anchor: h.title for h in found} for page, found in self.outlines().items()}
        return self._titles

    def expand(self, html: str, href_for_page, page: str | None = None) -> str:
        """Replace shortcodes in HTML; href_for_page(page.md) -> relative URL.

        `page` (relative to docs/) is the page being built: the answer key is
        only given to a page the trainee edition leaves out, never to one not told apart.
        """
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
            return render.render_set("", "", self._bodies(ids, link)) if ids else match.group(0)

        html = shortcodes.SHORTCODE.sub(replace, html)
        if shortcodes.COVERAGE.search(html):
            report = coverage.render_html(self.coverage(), href_for_page, self.bank.policy.section_minimum)
            html = shortcodes.COVERAGE.sub(lambda _: report, html)
        if shortcodes.ANSWERS.search(html):
            key = self.answer_key(href_for_page) if page and shortcodes.answers_allowed(page) else ANSWERS_REFUSED
            html = shortcodes.ANSWERS.sub(lambda _: key, html)
        if shortcodes.WORKBOOK.search(html):
            book = self.workbook()
            html = shortcodes.WORKBOOK.sub(lambda _: book, html)
        return html

    def answer_key(self, href_for_page) -> str:
        """Every exercise with its answer, by lesson (quiz.answer_key); links relative to the answer page."""
        return answer_key.render_html(
            self.bank, self.outlines(), self.page_order(), href_for_page, self.headings(), self.placed_on(),
            self._exercise_problems, self._file_problems,
        )

    def workbook(self) -> str:
        """Every exercise as questions on paper, by lesson in the same order as the answer key (quiz.workbook)."""
        return workbook.render_html(self.bank, self.outlines(), self.page_order(), self.placed_on())

    def placed_on(self) -> dict[str, str]:
        """Exercise id -> the first page, in the navigation's order, that shows it."""
        self._scan_docs()
        rank = {page: index for index, page in enumerate(self.page_order())}
        placed: dict[str, str] = {}
        for page in sorted(self.codes, key=lambda page: (rank.get(page, len(rank)), page)):
            for exercise_id in shortcodes.shown_ids(self.codes[page], self.bank):
                placed.setdefault(exercise_id, page)
        return placed

    def _render_group(self, name: str, link) -> str:
        if name in self.bank.unreadable:  # previewing: say why the set is missing, where it would be
            path, problems = self._file_problems(name)
            return render.render_unreadable(path, problems)
        if name not in self.bank.groups:
            return ""
        template = self.bank.sets.get(name) or set_template(self.bank, name)
        links, notices = {}, {}
        for position, exercise_id in enumerate(self.bank.groups[name]):
            exercise = self.bank.exercises.get(exercise_id)
            if exercise is not None:
                links[position] = link(exercise.section)
            else:
                notices[position] = render.problem_notes(self._exercise_problems(exercise_id))
        return render.fill_set(template, links, notices)

    def _bodies(self, ids: list[str], link) -> list[str]:
        """Each exercise's markup placed in its set; those with problems stand in as notices."""
        bodies = []
        for number, exercise_id in enumerate(ids, start=1):
            exercise = self.bank.exercises.get(exercise_id)
            if exercise is None:
                bodies.append(render.render_broken(exercise_id, number, self._exercise_problems(exercise_id)))
                continue
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

    # -- the bank as a whole ---------------------------------------------------

    def coverage(self) -> list:
        """Exercises per lesson section and per type (usable ones only)."""
        return coverage.compute(self.bank.exercises.values(), self.outlines(), self.page_order())

    def page_order(self) -> list[str]:
        """Pages in the order mkdocs.yml's navigation lists them."""
        config = self.project_dir / CONFIG_FILE
        text = config.read_text(encoding="utf-8") if config.exists() else ""
        return NAV_ENTRY.findall(text)

    def coverage_text(self) -> str:
        return coverage.format_text(self.coverage(), self.bank.policy.section_minimum)

    # -- problems --------------------------------------------------------------

    def _checks(self) -> dict[str, tuple[list[Problem], set[str]]]:
        """page -> (problems of its shortcodes, exercises they leave on no page), every page scanned."""
        if self._page_checks is None:
            self._scan_docs()
            bank = self.bank
            shown: set[str] = set()
            for codes in self.codes.values():
                shown |= shortcodes.shown_ids(codes, bank)
            self._page_checks = {}
            for page, codes in self.codes.items():
                problems, left_out = shortcodes.check(codes, bank, f"{self.docs_shown}/{page}", shown, self.near_misses.get(page, []))
                problems += shortcodes.check_answers(self.answer_keys.get(page, []), page, self.docs_shown)
                self._page_checks[page] = (problems, left_out)
        return self._page_checks

    def _shortcode_problems(self, page: str) -> list[Problem]:
        return self._checks().get(page, ([], set()))[0]

    def _exercise_problems_all(self) -> list[Problem]:
        """What is wrong with the exercises themselves: their files, their fields, their section links."""
        if self._of_exercises is None:
            anchors_by_page = {page: [h.anchor for h in found] for page, found in self.outlines().items()}
            garbled = self.pages().unreadable  # reported once, by the lesson check
            exercises = [e for e in self.bank.exercises.values() if e.section_page not in garbled]
            self._of_exercises = list(self.bank.problems) + rules.check_sections(exercises, anchors_by_page)
        return self._of_exercises

    def page_problems(self, page: str) -> list[Problem]:
        """What a page shows wrong, in file and line order.

        Its shortcodes (and look-alikes), with the page's file and line; and
        the problems of the exercises and exercise files it places (a field,
        a section link to no heading), with theirs.
        """
        own = self._shortcode_problems(page)  # every page scanned by now
        codes = self.codes.get(page, [])
        ids = shortcodes.shown_ids(codes, self.bank)
        files = {name for code in codes if code.kind == "exercises" for name in code.names}
        folder = self.job.exercises_dir
        shown = [
            p for p in self._exercise_problems_all()
            if p.exercise_id in ids
            or (not p.exercise_id and Path(p.path).stem in files and Path(p.path).parent.as_posix() == folder)
        ]
        return sorted(set(own + shown))

    def report_page(self, page: str) -> list[Problem]:
        """A page's problems an engine has not said yet in this session, now said."""
        if page in self.reported:
            return []
        said = {p for listed in self.reported.values() for p in listed}
        self.reported[page] = [p for p in self.page_problems(page) if p not in said]
        return self.reported[page]

    def unreported(self) -> list[Problem]:
        """Every problem no page has said: the whole course's, and those of pages no engine rendered."""
        said = {p for listed in self.reported.values() for p in listed}
        return [p for p in self.finish() if p not in said]

    def course_problems(self) -> list[Problem]:
        """The exercises' problems and the course checked as a whole: what no single page shows."""
        bank = self.bank
        checks = self._checks()
        shown, left_out = set(), set()  # left out: on no page because of a shortcode problem, which says so
        for page, codes in self.codes.items():
            shown |= shortcodes.shown_ids(codes, bank)
            left_out |= checks[page][1]
        problems = list(self._exercise_problems_all())
        garbled = self.pages().unreadable
        problems += rules.check_unshown(list(bank.exercises.values()), shown | left_out)
        problems += course_rules.check_sets(bank, bank.policy)
        lessons = [lesson for lesson in self.coverage() if lesson.page not in garbled]
        problems += course_rules.check_sections(lessons, self.outlines(), bank.policy, self.docs_shown)
        problems += lesson_rules.check(self.pages(), bank.policy.lessons, self.docs_shown)
        return sorted(set(problems))

    def finish(self) -> list[Problem]:
        """Every problem, the pages' and the whole course's, in file and line order."""
        problems = set(self.course_problems())
        for page in self._checks():
            problems.update(self._shortcode_problems(page))
        return sorted(problems)


def sources(project_dir: Path, docs_dir: Path, exercises_dir: str = EXERCISES_DIR) -> tuple:
    """What a session's work is made from (exercise files, lessons, mkdocs.yml): name, size, time of change."""
    exercises = project_dir / exercises_dir
    paths = [project_dir / CONFIG_FILE, exercises]
    if exercises.is_dir():  # the exercise files, policy.yml, schema.json
        paths += sorted(exercises.iterdir())
    paths += [docs_dir] + (sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else [])
    return tuple(_stamp(path) for path in paths)


def _stamp(path: Path) -> tuple:
    try:
        found = path.stat()
    except OSError:
        return (str(path),)
    return (str(path), found.st_size, found.st_mtime_ns)


# -- one session per project, shared by the pages of a build ---------------------

# The sessions of the projects this process builds, the latest few; with each
# what it was made from, or None for a session an engine's hook renews.
_sessions: dict[tuple, tuple[QuizSession, tuple | None]] = {}
_registry_lock = threading.Lock()
MOST_PROJECTS = 8


def _key(project_dir: Path, docs_dir: Path, exercises_dir: str, cache_dir: str) -> tuple:
    return (str(project_dir.resolve()), str(docs_dir.resolve()), exercises_dir, cache_dir)


def _new_session(project_dir: Path, docs_dir: Path, exercises_dir: str, slug, cache_dir: str) -> QuizSession:
    return QuizSession(project_dir, docs_dir, slug=slug or anchors.default_slugify,
                       exercises_dir=exercises_dir, cache_dir=cache_dir)


def begin_build(project_dir: Path, docs_dir: Path, exercises_dir: str = EXERCISES_DIR, slug=None,
                cache_dir: str = DEFAULT_CACHE) -> QuizSession:
    """A new build starts (an engine's hook says so): a fresh session, kept until the next one."""
    session = _new_session(project_dir, docs_dir, exercises_dir, slug, cache_dir)
    with _registry_lock:
        _remember(_key(project_dir, docs_dir, exercises_dir, cache_dir), session, None)
    return session


def for_project(project_dir: Path, docs_dir: Path, exercises_dir: str = EXERCISES_DIR, slug=None,
                cache_dir: str = DEFAULT_CACHE) -> QuizSession:
    """The session of the build in progress: the hook's, or else one no older than its sources."""
    key = _key(project_dir, docs_dir, exercises_dir, cache_dir)
    with _registry_lock:
        session, made_from = _sessions.get(key, (None, None))
        if session is not None and made_from is None:
            return session
        now = sources(project_dir, docs_dir, exercises_dir)
        if session is None or now != made_from:
            session = _new_session(project_dir, docs_dir, exercises_dir, slug, cache_dir)
            _remember(key, session, now)
        return session


def _remember(key: tuple, session: QuizSession, made_from: tuple | None) -> None:
    _sessions.pop(key, None)
    _sessions[key] = (session, made_from)
    while len(_sessions) > MOST_PROJECTS:
        del _sessions[next(iter(_sessions))]
