"""The editions built from one source: the trainees' (the default, what CI publishes) and the instructors'.

mkdocs.yml builds the trainee edition; mkdocs-instructor.yml inherits it and
sets `extra.course_edition: instructor`. The instructors' pages live in the
folders INSTRUCTOR_ONLY names: the trainee edition leaves them out whole
(their files, their nav entries, so their search entries and sitemap lines),
and a link to them from any other page is an error, so that the editions
cannot drift apart.

It imports nothing from MkDocs: the hook layer applies it to MkDocs' config and files.
"""

from __future__ import annotations

# extra.course_edition -> how the footer and version.json name it.
LABELS = {"trainee": "学员版", "instructor": "讲师版"}
DEFAULT = "trainee"
# Folders of docs/ (relative, with a trailing slash) that only the instructor edition has.
INSTRUCTOR_ONLY = ("instructors/",)


class EditionError(Exception):
    """A configuration that names no known edition; the message is for people."""


def edition_of(extra: dict) -> str:
    """The edition a configuration builds: extra.course_edition, or the trainees'."""
    edition = extra.get("course_edition") or DEFAULT
    if edition not in LABELS:
        known = "、".join(f"{name}（{label}）" for name, label in LABELS.items())
        raise EditionError(f"mkdocs.yml 的 extra.course_edition 写的是“{edition}”，没有这个版本。可用的值：{known}。")
    return edition


def instructor_only(page: str) -> bool:
    """Whether a page (path relative to docs/) belongs to the instructor edition only."""
    return page.startswith(INSTRUCTOR_ONLY)


def has_page(edition: str, page: str) -> bool:
    return edition == "instructor" or not instructor_only(page)


def progress_key(edition: str) -> str:
    """What a browser's saved progress is kept apart by: nothing for the trainees', whose keys predate editions."""
    return "" if edition == DEFAULT else edition


def prune_nav(nav, edition: str):
    """The navigation without the pages the edition lacks; a section left empty goes too."""
    if isinstance(nav, list):
        kept = [pruned for item in nav if (pruned := prune_nav(item, edition)) is not None]
        return kept or None
    if isinstance(nav, dict):
        kept = {title: pruned for title, value in nav.items() if (pruned := prune_nav(value, edition)) is not None}
        return kept or None
    if isinstance(nav, str) and nav.endswith(".md") and not has_page(edition, nav):
        return None
    return nav
