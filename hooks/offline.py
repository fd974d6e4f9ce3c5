"""The offline classroom copy: the trainee edition opened from its files (file://), no server, no network.

`python3 run.py offline` builds with COURSE_OFFLINE=true, which turns on
Material's offline plugin (mkdocs.yml): links to page.html files, and the
search index as a script the page loads itself. Two things the plugin leaves
to the site, done here for any build it is on in:
- the shim that lets search run its worker from a file (iframe-worker): the
  plugin would load it from an outside CDN, which a classroom laptop cannot
  reach, so search never started; the project ships it (SHIM, from the npm
  package, unchanged) and lists it in extra.polyfills instead;
- instant loading fetches pages, which browsers refuse over file://; with it
  on, Material never announces the page (document$), and the exercises never
  start. Material's documentation says to turn it off for offline builds.

It imports nothing from MkDocs: the hook layer applies it to the configuration.
"""

from __future__ import annotations

SHIM = "javascripts/vendor/iframe-worker/shim.js"
# The names MkDocs may give Material's offline plugin in config.plugins.
PLUGIN_NAMES = ("material/offline", "offline")
# Theme features that need pages served over HTTP (Material's navigation.instant and its sub-features).
NEEDS_A_SERVER = "navigation.instant"


def enabled(plugins: dict) -> bool:
    """Whether Material's offline plugin is on in this build (`plugins`: name -> plugin with .config)."""
    return any(getattr(getattr(plugins.get(name), "config", None), "enabled", False) for name in PLUGIN_NAMES)


def features(configured: list[str]) -> list[str]:
    """The theme features that work when the pages are opened from files."""
    return [name for name in configured if name != NEEDS_A_SERVER and not name.startswith(NEEDS_A_SERVER + ".")]


def polyfills(configured: list[str]) -> list[str]:
    """The project's iframe-worker shim in place of any other, first; the other polyfills as they were."""
    return [SHIM] + [url for url in configured if "iframe-worker" not in url]
