"""MkDocs hooks of the course site: an index of events.

Each handler only delegates to a module beside this file; those modules
import nothing from MkDocs, so tests import them directly and another site
engine would only need a new version of this file. The exercises have
their own hook file, exercise_hooks.py.
"""

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

import checklists
import editions
import lesson_check
import mkdocs_messages
import offline
import release_info
import search_segments
import search_terms
import strict_mode
import typography
from quiz import cache, extension

# Warnings under "mkdocs." count towards --strict: a finding fails the build.
log = logging.getLogger("mkdocs.hooks.course")
# The release being built: its footer line and its version.json.
release = None
# The edition being built (editions.LABELS): the trainees' unless the configuration says otherwise.
edition = editions.DEFAULT
# jieba's answers of earlier builds, for this build's search index.
segments = None


def on_config(config):
    global release, edition
    strict_mode.start(config.strict)
    try:
        edition = editions.edition_of(config.extra)
    except editions.EditionError as error:
        raise PluginError(str(error)) from None
    # The trainee edition has no instructors' page: not in its nav, not among its files (on_files).
    if config.nav:
        config.nav = editions.prune_nav(config.nav, edition)
    config.extra["course_progress_edition"] = editions.progress_key(edition)
    # The offline copy (run.py offline): runs after Material's offline plugin, which would load the shim from a CDN.
    if offline.enabled(config.plugins):
        config.theme["features"] = offline.features(config.theme.get("features") or [])
        config.extra["polyfills"] = offline.polyfills(config.extra.get("polyfills") or [])
    project_dir = Path(config.config_file_path).resolve().parent
    mkdocs_messages.install(project_dir, Path(config.docs_dir), strict_mode.console_handlers())
    try:
        terms = search_terms.load_dictionary(project_dir)
    except search_terms.SearchSetupError as error:
        raise PluginError(str(error)) from None
    start_segments(config, project_dir, terms)
    # MkDocs dates the sitemap by SOURCE_DATE_EPOCH: the commit's time, not the clock's.
    epoch = release_info.source_date_epoch(project_dir)
    if epoch:
        os.environ[release_info.EPOCH_VARIABLE] = epoch
    release = release_info.read_release(project_dir, config.extra.get("course_version", "未标注"), editions.LABELS[edition])
    config.copyright = " · ".join(filter(None, [config.copyright, release.footer()]))
    return config


def start_segments(config, project_dir: Path, terms: list[str]) -> None:
    global segments
    if segments is not None:  # a build that stopped before its end
        segments.finish()
    # The segments are kept beside the exercises, in the extension's cache folder.
    folder = config.mdx_configs.get(extension.NAME, {}).get("cache_dir", cache.DEFAULT_FOLDER)
    search = config.plugins.get("material/search") or config.plugins.get("search")
    extra = [getattr(search.config, name, None) for name in ("jieba_dict", "jieba_dict_user")] if search else []
    key = search_segments.fingerprint(terms, [project_dir / name for name in extra if name])
    segments = search_segments.Segments(project_dir / folder if folder else None, key)
    segments.start()


def finish_segments() -> None:
    global segments
    if segments is not None:
        segments.finish()
        segments = None


def on_files(files, config):
    # MkDocs reads each lesson as UTF-8 and stops with a traceback on any other encoding.
    project_dir = Path(config.config_file_path).resolve().parent
    _, problems = lesson_check.read_lessons(Path(config.docs_dir), project_dir)
    if problems:
        raise PluginError("\n".join(p.format() for p in problems))
    for file in [f for f in files.documentation_pages() if not editions.has_page(edition, f.src_uri)]:
        files.remove(file)  # a link to it is then a broken link: --strict fails on it
    return files


def on_page_markdown(markdown, page, config, files):
    # The source with its front matter, so that line numbers match the file.
    source = page.file.content_string
    findings = typography.check_markdown(source, f"docs/{page.file.src_uri}")
    for finding in findings:
        log.warning(finding.message())
    strict_mode.found(typography.FOUND, len(findings))
    return markdown


def on_page_content(html, page, config, files):
    return checklists.hide_decorative_checkboxes(html)


@event_priority(-100)  # last: after the search index, and after every check has reported
def on_post_build(config):
    finish_segments()
    reason = strict_mode.verdict()
    if reason:
        raise PluginError(reason)
    release_info.write_version_file(Path(config.site_dir), release)


def on_build_error(error):
    finish_segments()
    strict_mode.show_held()
    line = mkdocs_messages.strict_abort_line(str(error))
    if line:
        log.error(line)
