"""MkDocs hooks of the course site: an index of events.

Each handler only delegates to a module beside this file; those modules
import nothing from MkDocs, so tests import them directly and another site
engine would only need a new version of this file.
"""

from pathlib import Path

from mkdocs.exceptions import PluginError

import search_terms
import search_worker


def on_config(config):
    project_dir = Path(config.config_file_path).parent
    try:
        search_terms.load_dictionary(project_dir)
    except search_terms.SearchSetupError as error:
        raise PluginError(str(error)) from None
    return config


def on_post_build(config):
    try:
        search_worker.patch_site(Path(config.site_dir))
    except search_worker.WorkerPatchError as error:
        raise PluginError(str(error)) from None
