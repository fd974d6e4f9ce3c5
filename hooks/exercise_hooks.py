"""MkDocs hooks for the exercises: an index of events.

The engine lives in the quiz package beside this file and imports nothing
from MkDocs; this file is the whole bridge. The exercises are prepared in a
second process from the start of the build and placed once every page has
been written, so the pages render meanwhile. Problems are logged as
warnings, all at once and in file order: `mkdocs serve` shows them and keeps
going, `mkdocs build --strict` fails on them.
"""

import importlib.util
import logging
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

import search_terms
from quiz.background import Preparation
from quiz.prepare import Job
from quiz.problems import summary
from quiz.session import QuizSession

log = logging.getLogger("mkdocs.hooks.exercises")

# The exercise work of the build in progress, renewed on every (re)build;
# the site's files, to link each exercise to the section it trains; and the
# written pages that have shortcodes to expand, as (url, output path).
quiz = None
site_files = None
pages_to_expand = []


def on_config(config):
    global quiz
    project_dir = Path(config.config_file_path).parent
    slug = config.mdx_configs.get("toc", {}).get("slugify")
    options = {"slug": slug} if slug else {}
    job = Job(project_dir, segment=_segments_chinese(), terms=_search_terms(project_dir))
    quiz = QuizSession(project_dir, Path(config.docs_dir), preparation=Preparation(job), **options)
    pages_to_expand.clear()
    return config


def on_files(files, config):
    global site_files
    site_files = files
    return files


def on_page_markdown(markdown, page, config, files):
    # The source with its front matter, so that line numbers match the file.
    if quiz.scan_page(page.file.src_uri, page.file.content_string):
        pages_to_expand.append((page.url, page.file.abs_dest_path))
    return markdown


@event_priority(50)  # before the search plugin writes its index
def on_post_build(config):
    # The search plugin indexed each page with its shortcodes still in place,
    # so its HTML parser never walked the exercises' markup; their prompts
    # are indexed here instead, and nothing else of them.
    for url, output in pages_to_expand:
        _expand_written_page(url, Path(output), config)
    problems = quiz.finish()
    for line in quiz.coverage_text().splitlines():
        log.info(line)
    if quiz.preparation.fallback_reason:
        log.debug("exercises prepared in the build process: %s", quiz.preparation.fallback_reason)
    for problem in problems:
        log.warning(problem.format())
    if problems:
        log.warning(summary(problems))


def _expand_written_page(url, output, config):
    def href_for_page(target):
        file = site_files.get_file_from_path(target)
        return get_relative_url(file.url, url) if file else target

    html = output.read_text(encoding="utf-8")
    expanded = quiz.expand(html, href_for_page)
    if expanded != html:
        output.write_text(expanded, encoding="utf-8")
    index = _search_index(config)
    if index is not None:
        for anchor, title, text in quiz.search_entries():
            index.entries.append({"location": f"{url}#{anchor}", "title": title, "text": text})


def _search_index(config):
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    return index if hasattr(index, "entries") else None


def _segments_chinese():
    # Material's search segments Chinese whenever jieba can be imported.
    return importlib.util.find_spec("jieba") is not None


def _search_terms(project_dir):
    try:
        return tuple(search_terms.read_terms(project_dir / search_terms.DICTIONARY_PATH))
    except search_terms.SearchSetupError:
        return ()  # course_hooks reports it
