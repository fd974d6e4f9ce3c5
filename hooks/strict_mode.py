"""Strict builds that fail on every problem, whatever verbosity flag CI adds.

MkDocs 1.6 counts warnings for --strict with a handler on the "mkdocs"
logger, so -q, which raises that logger to ERROR, drops them before they are
counted (mkdocs#4126); and -v, which lowers it to DEBUG, turns off the
collection of links to anchors (mkdocs#3991). `start` undoes both, the way
the pending upstream fix does: the logger stays at WARNING and only the
console is quieted. The course's own checks do not rely on that counter:
they tell `found` what they found, and `verdict` stops a strict build on it.
"""

from __future__ import annotations

import logging

ENGINE_LOGGER = "mkdocs"
CONSOLE_HANDLER = "MkDocsStreamHandler"
# The module whose anchor-link collection is gated on its own log level.
PAGES_LOGGER = "mkdocs.structure.pages"
# Warnings kept back under -q, to show should the build fail; more are only counted.
MOST_HELD = 1000


class _HeldWarnings(logging.Handler):
    """Keeps the warnings a quieted console did not show."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < MOST_HELD:
            self.records.append(record)
        else:
            self.dropped += 1


_strict = False
_found: dict[str, int] = {}
_held: _HeldWarnings | None = None


def start(strict: bool) -> None:
    """At the start of every build: counting restored, nothing found yet."""
    global _strict, _held
    _strict = bool(strict)
    _found.clear()
    logger = logging.getLogger(ENGINE_LOGGER)
    if _held is not None:
        logger.removeHandler(_held)
        _held = None
    if logger.level > logging.WARNING:  # -q: quiet the console, not the counter
        for handler in console_handlers(logger):
            handler.setLevel(max(handler.level, logger.level))
        logger.setLevel(logging.WARNING)
    if _strict and any(h.level > logging.WARNING for h in console_handlers(logger)):
        _held = _HeldWarnings()
        logger.addHandler(_held)
    if logger.getEffectiveLevel() <= logging.DEBUG:  # -v: keep collecting links to anchors
        logging.getLogger(PAGES_LOGGER).setLevel(logging.INFO)


def found(what: str, count: int) -> None:
    """A check of the course's own found `count` problems, worded as `what`."""
    if count:
        _found[what] = _found.get(what, 0) + count


def verdict() -> str | None:
    """Why a strict build must stop, or None."""
    if not (_strict and _found):
        return None
    counts = "；".join(f"{what} {count} 个" for what, count in _found.items())
    return f"严格模式下构建中止：{counts}。每个问题都已在上面列出，请逐条修改后重新构建。"


def show_held() -> None:
    """The build failed: show the warnings a quieted console kept back."""
    if _held is None:
        return
    consoles = console_handlers(logging.getLogger(ENGINE_LOGGER))
    for record in _held.records:
        for handler in consoles:
            handler.handle(record)
    if _held.dropped:
        logging.getLogger(ENGINE_LOGGER).error("另有 %d 条警告未显示（去掉 -q 可看到全部）。", _held.dropped)
    _held.records.clear()


def console_handlers(logger: logging.Logger | None = None) -> list[logging.Handler]:
    """MkDocs' console handlers (the CLI's), where the console's own level and filters sit."""
    logger = logger or logging.getLogger(ENGINE_LOGGER)
    return [h for h in logger.handlers if h.get_name() == CONSOLE_HANDLER]
