"""MkDocs hooks for the exercises: an index of events.

The engine lives in the quiz package beside this file and imports nothing
from MkDocs; this file is the whole bridge. A large bank is prepared in a
second process from the start of the build, so the pages render meanwhile:
a page is given its exercises as it is written if they are ready by then,
or else rewritten with them once every page is done. Problems are logged as
warnings, all at once and in file order: `mkdocs serve` shows them and keeps
going, `mkdocs build --strict` fails on them.
"""

import importlib.util
import logging
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

import search_terms
import strict_mode
from quiz.background import Preparation
from quiz.prepare import Job
from quiz.problems import summary
from quiz.session import QuizSession

log = logging.getLogger("mkdocs.hooks.exercises")
# How the strict verdict names what this file found.
FOUND = "练习题问题"

# The exercise work of the build in progress, renewed on every (re)build;
# the site's files, to link each exercise to the section it trains; the
# pages that have shortcodes; and those written before their exercises were
# ready, as (url, output path, html); and the search entries of each page's
# exercises, by page url, placed in the index at the end of the build.
quiz = None
site_files = None
pages_with_shortcodes = set()
pages_to_rewrite = []
prompt_entries = {}


def on_config(config):
    global quiz
    project_dir = Path(config.config_file_path).parent
    slug = config.mdx_configs.get("toc", {}).get("slugify")
    options = {"slug": slug} if slug else {}
    job = Job(project_dir, segment=_segments_chinese(), terms=_search_terms(project_dir))
    quiz = QuizSession(project_dir, Path(config.docs_dir), preparation=Preparation(job), **options)
    pages_with_shortcodes.clear()
    pages_to_rewrite.clear()
    prompt_entries.clear()
    return config


def on_files(files, config):
    global site_files
    site_files = files
    return files


def on_page_markdown(markdown, page, config, files):
    # The source with its front matter, so that line numbers match the file.
    if quiz.scan_page(page.file.src_uri, page.file.content_string):
        pages_with_shortcodes.add(page.file.src_uri)
    return markdown


def on_post_page(output, page, config):
    # The search plugin has indexed the page with its shortcodes still in
    # place, so its HTML parser never walks the exercises' markup; their
    # prompts are indexed by _expand instead, and nothing else of them.
    if page.file.src_uri not in pages_with_shortcodes:
        return output
    if not quiz.preparation.ready():
        pages_to_rewrite.append((page.url, page.file.abs_dest_path, output))
        return output
    return _expand(output, page.url, config)


@event_priority(50)  # before the search plugin writes its index
def on_post_build(config):
    for url, path, output in pages_to_rewrite:
        Path(path).write_text(_expand(output, url, config), encoding="utf-8")
    _index_prompts(config)
    problems = quiz.finish()
    for line in quiz.coverage_text().splitlines():
        log.info(line)
    if quiz.preparation.fallback_reason:
        log.debug("exercises prepared in the build process: %s", quiz.preparation.fallback_reason)
    for problem in problems:
        log.warning(problem.format())
    if problems:
        log.warning(summary(problems))
    strict_mode.found(FOUND, len(problems))


def _expand(output, url, config):
    def href_for_page(target):
        file = site_files.get_file_from_path(target)
        return get_relative_url(file.url, url) if file else target

    expanded = quiz.expand(output, href_for_page)
    prompt_entries[url] = [
        {"location": f"{url}#{anchor}", "title": title, "text": text}
        for anchor, title, text in quiz.search_entries()
    ]
    return expanded


def _index_prompts(config):
    """Each page's exercise prompts right after the page's own entries.

    Always in that place, however the pages and the second process happened
    to interleave, so that the same sources give the same index.
    """
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    if not hasattr(index, "entries"):
        return
    merged, waiting, page = [], dict(prompt_entries), None
    for entry in index.entries:  # a page's own entries come together
        if not entry["location"].startswith(f"{page}#"):
            merged += waiting.pop(page, [])
            page = entry["location"].split("#", 1)[0]
        merged.append(entry)
    merged += waiting.pop(page, [])
    for entries in waiting.values():
        merged += entries
    index.entries[:] = merged


def _segments_chinese():
    # Material's search segments Chinese whenever jieba can be imported.
    return importlib.util.find_spec("jieba") is not None


def _search_terms(project_dir):
    try:
        return tuple(search_terms.read_terms(project_dir / search_terms.DICTIONARY_PATH))
    except search_terms.SearchSetupError:
        return ()  # course_hooks reports it
