"""MkDocs hooks for the exercises: an index of events.

The engine lives in the quiz package beside this file and imports nothing
from MkDocs; this file is the whole bridge. Problems are logged as warnings,
all at once and in file order: `mkdocs serve` shows them and keeps going,
`mkdocs build --strict` fails on them.
"""

import logging
from pathlib import Path

from mkdocs.utils import get_relative_url

from quiz.problems import summary
from quiz.session import QuizSession

log = logging.getLogger("mkdocs.hooks.exercises")

# The exercise work of the build in progress, renewed on every (re)build,
# and the site's files, to link each exercise to the section it trains.
quiz = None
site_files = None


def on_config(config):
    global quiz
    slug = config.mdx_configs.get("toc", {}).get("slugify")
    options = {"slug": slug} if slug else {}
    quiz = QuizSession(Path(config.config_file_path).parent, Path(config.docs_dir), **options)
    return config


def on_files(files, config):
    global site_files
    site_files = files
    return files


def on_page_markdown(markdown, page, config, files):
    # The source with its front matter, so that line numbers match the file.
    quiz.scan_page(page.file.src_uri, page.file.content_string)
    return markdown


def on_page_context(context, page, config, nav):
    # Runs after the search plugin has indexed the page (plugins come before
    # hooks), so its HTML parser never walks the exercises' markup — the
    # largest part of their cost. Their prompts are indexed here instead.
    def href_for_page(target):
        file = site_files.get_file_from_path(target)
        return get_relative_url(file.url, page.url) if file else target

    page.content = quiz.expand(page.content, href_for_page)
    _index_prompts(page, config)
    return context


def _index_prompts(page, config):
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    if index is None or not hasattr(index, "entries"):
        return
    # The search plugin's own segmenter, so prompts match like lesson text does.
    segment = getattr(index, "_segment_chinese", None)
    for anchor, title, text in quiz.search_entries():
        index.entries.append({
            "location": f"{page.url}#{anchor}",
            "title": segment(title) if segment else title,
            "text": segment(text) if segment else text,
        })


def on_env(env, config, files):
    problems = quiz.finish()
    for line in quiz.coverage_text().splitlines():
        log.info(line)
    for problem in problems:
        log.warning(problem.format())
    if problems:
        log.warning(summary(problems))
    return env
