"""MkDocs events for the course's search; the work is done in sibling modules, which tests import.

    on_config       the word lists (search_words): each problem reported, the strict build stops at its end
    on_page_content each page's questions (search_questions), its exercise sections and its recaps (search_index)
    on_post_build   the index enriched (search_index), then the worker (search_worker), before
                    Material's offline plugin copies the index into a script (priority -100)
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import search_index
import search_questions
import search_words
import search_worker
import strict_mode
from quiz import anchors, lesson_rules, policy, segment

log = logging.getLogger("mkdocs.plugins.course_search")
FOUND = "搜索问法或搜索词表问题"

words = None
# The lessons' parts the course's rules require of each (policy.yml's lessons): pages and ## titles.
lessons = None
questions: dict[str, list[str]] = {}
practice: set[str] = set()
recap: set[str] = set()
examples: set[str] = set()


def on_config(config):
    global words, lessons, questions, practice, recap, examples
    project_dir = Path(config.config_file_path).resolve().parent
    # Reported like the lessons' problems, so that one build lists them all; a strict build then stops.
    words, problems = search_words.read(project_dir)
    for problem in problems:
        log.warning(problem.format())
    strict_mode.found(FOUND, len(problems))
    lessons = policy.load(project_dir / "exercises", project_dir)[0].lessons  # its problems: exercise_hooks reports them
    questions, practice, recap, examples = {}, set(), set(), set()
    return config


def on_page_content(html, page, config, files):
    slug = config.mdx_configs.get("toc", {}).get("slugify") or anchors.default_slugify
    source = page.file.content_string
    outline = anchors.outline(source, slug)
    attached, problems = search_questions.read(source, f"docs/{page.file.src_uri}", outline)
    for problem in problems:
        log.warning(problem.format())
    strict_mode.found(FOUND, len(problems))
    for anchor, asked in attached.items():
        questions[f"{page.url}#{anchor}"] = asked
    practice.update(f"{page.url}#{anchor}" if anchor else page.url for anchor in search_index.practice_anchors(html))
    # The parts every lesson has (学习目标、小结 …), on any page that has them (the introduction too).
    recap.update(f"{page.url}#{h.anchor}" for h in outline if h.level == 2 and h.title in lessons.sections)
    examples.update(f"{page.url}#{h.anchor}" for h in outline if h.level > 1 and h.title.startswith(lesson_rules.EXAMPLE_HEADING))
    return html


@event_priority(-90)
def on_post_build(config):
    site_dir = Path(config.site_dir)
    jieba = segment.require_jieba()
    search_index.rewrite(site_dir, questions=questions, practice=practice, recap=recap, examples=examples,
                         stopwords=words.stopwords,
                         synonyms=words.synonyms, cut=jieba.cut, known=lambda word: bool(jieba.dt.FREQ.get(word)))
    try:
        search_worker.patch_site(site_dir)
    except search_worker.WorkerPatchError as error:
        raise PluginError(str(error)) from None
