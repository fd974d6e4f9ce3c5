"""MkDocs hooks for the exercises: an index of events.

The exercises are placed by a Python-Markdown extension, quiz.extension,
listed in mkdocs.yml's markdown_extensions; it reports each page's problems
(its shortcodes, the exercises it shows) as the page is converted. What
MkDocs adds here: a fresh session at the start of every build (so that
`mkdocs serve` picks up an edited exercise file), the extension's settings
from MkDocs' own, and at the end the checks of the course as a whole (every
exercise placed, the sets and lessons against the policy, the coverage),
logged as warnings: `mkdocs serve` shows them and keeps going,
`mkdocs build --strict` fails on them. `python3 run.py check` runs the same
checks without a build.
"""

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

import strict_mode
from quiz import extension
from quiz.problems import summary

EXTENSION = extension.NAME
log = logging.getLogger("mkdocs.hooks.exercises")
# How the strict verdict names what this file found.
FOUND = "练习题问题"

# The exercise work of the build in progress, renewed on every (re)build.
quiz = None


def on_config(config):
    global quiz
    if EXTENSION not in config.markdown_extensions:
        raise PluginError(
            f"mkdocs.yml 的 markdown_extensions 中没有 {EXTENSION}，课文里的练习都不会显示。"
            f"请在 markdown_extensions 下加一行：- {EXTENSION}"
        )
    options = config.mdx_configs.setdefault(EXTENSION, {})
    # Unless mkdocs.yml says otherwise, where MkDocs itself reads from and what its URLs look like.
    options.setdefault("project_dir", str(Path(config.config_file_path).resolve().parent))
    options.setdefault("docs_dir", config.docs_dir)
    options.setdefault("directory_urls", config.use_directory_urls)
    options.setdefault("logger", log.name)  # the pages' problems count for --strict as these do
    quiz = extension.begin_build(options, slug=config.mdx_configs.get("toc", {}).get("slugify"))
    return config


def on_post_build(config):
    # What the pages did not say as MkDocs rendered them: the course as a whole, pages it did not render.
    problems = quiz.unreported()
    for line in quiz.coverage_text().splitlines():
        log.info(line)
    for problem in problems:
        log.warning(problem.format())
    found = problems + [problem for listed in quiz.reported.values() for problem in listed]
    if found:
        log.warning(summary(found))
    strict_mode.found(FOUND, len(found))
