"""The exercises as a Python-Markdown extension: what MkDocs, its forks and Zensical all run.

    markdown_extensions:
      - quiz.extension              # options below, all optional

Each page's shortcodes (<!-- exercises: file -->, <!-- exercise: id -->,
<!-- exercise-coverage -->, <!-- exercise-answers -->) become its exercises
(or the instructors' tables) as the page is converted.
Python-Markdown passes an HTML comment through as raw HTML, kept aside
until the page is serialised; the shortcodes are replaced there, just
before the raw HTML goes back in. So only what Python-Markdown itself takes
for a comment is expanded: a shortcode shown in code stays as written.

The page is told by its text (quiz.pages), which gives the links from each
exercise to the section it trains, relative to the page, and the page's
problems (an unknown file or id, a look-alike comment), logged once a
session as warnings with the page's file and line. What concerns the whole
course (every exercise placed, ids unique, the policy) is for
`python3 run.py check` and, on MkDocs, the hook at the end of the build.

Nothing here imports a site engine: only Python-Markdown and the core.
"""

from __future__ import annotations

import logging
from pathlib import Path

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import cache, pages, session as sessions, shortcodes

# The extension as mkdocs.yml names it under markdown_extensions (this module).
NAME = __name__

# Runs first, on the page's text as the engine gave it; the second runs just
# before Python-Markdown's raw_html postprocessor (30) puts raw HTML back.
PAGE_PRIORITY = 50
EXPAND_PRIORITY = 31
COMMENT = "<!--"


class ExercisesExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "project_dir": [".", "The project's folder, holding mkdocs.yml; default: the current folder, "
                                 "where MkDocs and Zensical run."],
            "docs_dir": ["docs", "The lessons' folder, relative to project_dir (or absolute)."],
            "exercises_dir": ["exercises", "The exercise files' folder (and policy.yml), relative to project_dir."],
            "cache_dir": [cache.DEFAULT_FOLDER, "Where exercises read, checked and rendered are kept between builds, "
                                                "relative to project_dir; safe to delete; \"\" keeps them in memory only."],
            "directory_urls": [True, "Pages are addressed as folders (lesson/), as with MkDocs' use_directory_urls."],
            "logger": ["quiz.extension", "The logger of the pages' problems; the MkDocs hook names one of MkDocs'."],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        page = PagePreprocessor(md, self.getConfigs())
        md.preprocessors.register(page, "quiz_page", PAGE_PRIORITY)
        md.postprocessors.register(ExpandPostprocessor(md, page), "quiz_exercises", EXPAND_PRIORITY)
        md.registerExtension(self)


def settings(given: dict) -> dict:
    """An extension's options (defaults included) with its folders as paths."""
    project_dir = Path(given["project_dir"]).resolve()
    return {
        "project_dir": project_dir,
        "docs_dir": project_dir / given["docs_dir"],
        "exercises_dir": str(given["exercises_dir"]),
        "cache_dir": str(given["cache_dir"]),
        "directory_urls": bool(given["directory_urls"]),
        "logger": str(given["logger"]),
    }


def begin_build(options: dict, slug=None) -> sessions.QuizSession:
    """An engine's hook starts a build: a fresh session for the pages to share (quiz.session.begin_build)."""
    found = settings(ExercisesExtension(**options).getConfigs())
    return sessions.begin_build(found["project_dir"], found["docs_dir"], found["exercises_dir"], slug, found["cache_dir"])


class PagePreprocessor(Preprocessor):
    """Tells which page is converted, and reports its problems; changes nothing."""

    def __init__(self, md, options: dict):
        super().__init__(md)
        self.settings = settings(options)
        self.session: sessions.QuizSession | None = None
        self.page: str | None = None

    def run(self, lines: list[str]) -> list[str]:
        self.session = self.page = None
        if not any(COMMENT in line for line in lines):
            return lines  # no shortcode, nothing that resembles one
        found = self.settings
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None
        self.session = sessions.for_project(
            found["project_dir"], found["docs_dir"], found["exercises_dir"], getattr(toc, "slugify", None), found["cache_dir"]
        )
        self.page = self.session.pages().find("\n".join(lines), self.md.tab_length)
        log = logging.getLogger(found["logger"])
        if self.page is None:
            if any(shortcodes.SHORTCODE.search(line) or shortcodes.COVERAGE.search(line)
                   or shortcodes.ANSWERS.search(line) for line in lines):
                log.warning(
                    "有一页 Markdown 与 %s/ 中的任何文件都对不上（可能被插件改写过），"
                    "其中的练习照常显示，但指向小节的链接按站点根目录计算，可能不对。"
                    "请用 python3 run.py check 检查短代码。", self.session.docs_shown,
                )
            return lines
        for problem in self.session.report_page(self.page):
            log.warning(problem.format())
        return lines


class ExpandPostprocessor(Postprocessor):
    """Puts the exercises in place of the shortcodes kept aside as raw HTML."""

    def __init__(self, md, page: PagePreprocessor):
        super().__init__(md)
        self.page = page

    def run(self, text: str) -> str:
        session = self.page.session
        if session is None:
            return text
        directory_urls = self.page.settings["directory_urls"]
        # A page not told apart is taken for one at the site's root; its preprocessor said so.
        here = pages.page_url(self.page.page or "index.md", directory_urls)
        known = session.pages().texts

        def href_for_page(target: str) -> str:
            if target not in known:
                return target
            return pages.relative_url(pages.page_url(target, directory_urls), here)

        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            if isinstance(block, str) and COMMENT in block:
                stash[index] = session.expand(block, href_for_page, self.page.page)
        return text


def makeExtension(**kwargs) -> ExercisesExtension:
    return ExercisesExtension(**kwargs)
