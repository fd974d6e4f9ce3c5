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

# The exercise work of the build in progress, renewed on every (re)build.
quiz = None


def on_config(config):
    global quiz
    slug = config.mdx_configs.get("toc", {}).get("slugify")
    options = {"slug": slug} if slug else {}
    quiz = QuizSession(Path(config.config_file_path).parent, Path(config.docs_dir), **options)
    return config


def on_page_markdown(markdown, page, config, files):
    # The source with its front matter, so that line numbers match the file.
    quiz.scan_page(page.file.src_uri, page.file.content_string)
    return markdown


def on_page_content(html, page, config, files):
    def href_for_page(target):
        file = files.get_file_from_path(target)
        return get_relative_url(file.url, page.url) if file else target

    return quiz.expand(html, href_for_page)


def on_env(env, config, files):
    problems = quiz.finish()
    for line in quiz.coverage_text().splitlines():
        log.info(line)
    for problem in problems:
        log.warning(problem.format())
    if problems:
        log.warning(summary(problems))
    return env
