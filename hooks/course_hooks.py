"""MkDocs hooks of the course site: an index of events.

Each handler only delegates to a module beside this file; those modules
import nothing from MkDocs, so tests import them directly and another site
engine would only need a new version of this file.
"""

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError

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
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    for finding in typography.check_markdown(source, f"docs/{page.file.src_uri}"):
        log.warning(finding.message())
    return markdown


def on_post_build(config):
    try:
        search_worker.patch_site(Path(config.site_dir))
    except search_worker.WorkerPatchError as error:
        raise PluginError(str(error)) from None
