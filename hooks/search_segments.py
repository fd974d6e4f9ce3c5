"""Chinese text segmented once: jieba's answers kept for the next build, per dictionary.

Material's search plugin segments every run of Han characters of every page
with jieba as it builds the index, the exercises' prompts and options
included; on a course of many exercises that is most of the build's search
work, and nearly all of it the same as last time. jieba.cut is wrapped so
that a run it has segmented before, with the same dictionary, is answered
from a table: kept in memory across `serve` rebuilds and on disk (quiz.cache)
across builds.

The dictionary is all that decides jieba's answer for a run: jieba's
version and main dictionary, the course terms (search/course-terms.txt) and
any dictionary the search plugin loads. Its fingerprint keys the table, so
editing the terms starts a new table; a table keeps what recent builds
asked for, at most twice what one build asks for.

It imports nothing from MkDocs: the hook layer says when a build starts and ends.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from quiz import cache, segment

KIND = "search-segments"
# A table may hold up to this many times the runs one build asks for.
GROWTH = 2


class Memo:
    """jieba.cut for one build: runs seen before come from the table, new ones are segmented and added."""

    def __init__(self, cut, table: dict[str, list[str]]):
        self.cut = cut
        self.known = table  # what earlier builds with this dictionary found
        self.used: dict[str, list[str]] = {}  # what this build asked for: the next table
        self.computed = 0

    def __call__(self, sentence, cut_all=False, HMM=True, use_paddle=False):
        if cut_all or not HMM or use_paddle or not isinstance(sentence, (str, bytes)):
            return self.cut(sentence, cut_all, HMM, use_paddle)
        text = sentence.decode("utf-8", "replace") if isinstance(sentence, bytes) else sentence
        words = self.used.get(text)
        if words is None:
            words = self.known.get(text)
            if words is None:
                words = list(self.cut(text))
                self.computed += 1
            self.used[text] = words
        return iter(words)


def fingerprint(terms: list[str], dictionaries: list[Path]) -> str:
    """What decides how jieba segments: its version, its main dictionary, the course terms, extra dictionaries."""
    jieba = segment.require_jieba()
    parts = [jieba.__version__, str(jieba.dt.dictionary or "")] + ["\n".join(terms)]
    for path in [Path(jieba.dt.dictionary)] if jieba.dt.dictionary else []:
        parts.append(_identity(path))
    parts += [_identity(path) for path in dictionaries]
    return cache.key_of(*parts)


def _identity(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return f"missing:{path}"


def _table(data) -> dict[str, list[str]]:
    """A table read back from disk: text -> its words, nothing else (the cache ignores what fails)."""
    if not isinstance(data, dict) or not all(
        isinstance(words, list) and all(isinstance(w, str) for w in words) and "".join(words) == text
        for text, words in data.items()
    ):
        raise ValueError("not a segment table")
    return data


class Segments:
    """The memo of one build: start() wraps jieba.cut, finish() keeps the table and unwraps it."""

    def __init__(self, folder: Path | None, key: str):
        self.store = cache.Store(folder, KIND, decode=_table)
        self.key = key
        self.memo: Memo | None = None
        self._jieba = None

    def start(self) -> Memo:
        jieba = segment.require_jieba()
        original = jieba.cut.cut if isinstance(jieba.cut, Memo) else jieba.cut
        self.memo = Memo(original, self.store.get(self.key) or {})
        jieba.cut = self.memo
        self._jieba = jieba
        return self.memo

    def finish(self) -> None:
        """Keep this build's table (written only when it differs from the one it started from)."""
        memo = self.memo
        if memo is None:
            return
        if memo.computed:
            # What earlier builds asked for stays (another configuration of the same course, a page
            # edited back), up to as much again as this build used: a table never outgrows the course.
            kept = memo.used if len(memo.known) + memo.computed > GROWTH * len(memo.used) else {**memo.known, **memo.used}
            self.store.put(self.key, kept, kept)
        self.store.prune()
        if self._jieba.cut is memo:
            self._jieba.cut = memo.cut
        self.memo = None
