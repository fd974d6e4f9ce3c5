"""MkDocs hooks of the course site: an index of events.

Each handler only delegates to a module beside this file; those modules
import nothing from MkDocs, so tests import them directly and another site
engine would only need a new version of this file. The exercises have
their own hook file, exercise_hooks.py.
"""

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

import checklists
import search_terms
import search_worker
import typography

# Warnings under "mkdocs." count towards --strict: a finding fails the build.
log = logging.getLogger("mkdocs.hooks.course")


def on_config(config):
    project_dir = Path(config.config_file_path).parent
    try:
        search_terms.load_dictionary(project_dir)
    except search_terms.SearchSetupError as error:
        raise PluginError(str(error)) from None
    return config


def on_page_markdown(markdown, page, config, files):
    # The source with its front matter, so that line numbers match the file.
    source = page.file.content_string
    for finding in typography.check_markdown(source, f"docs/{page.file.src_uri}"):
        log.warning(finding.message())
    return markdown


def on_page_content(html, page, config, files):
    return checklists.hide_decorative_checkboxes(html)


def on_post_build(config):
    try:
        search_worker.patch_site(Path(config.site_dir))
    except search_worker.WorkerPatchError as error:
        raise PluginError(str(error)) from None
