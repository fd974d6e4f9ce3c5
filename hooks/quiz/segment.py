"""Chinese word segmentation for the search index, as the site's search does it.

Material for MkDocs segments every run of Han characters with jieba and
surrounds the words with zero-width spaces. Exercise prompts are indexed
by the engine itself (see QuizSession.search_entries), possibly in another
process, so this module repeats that rule; a test holds it to Material's.
"""

from __future__ import annotations

import logging

from backrefs import bre

HAN_RUN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)
SEPARATOR = "\u200b"


def require_jieba():
    """jieba, or ImportError; quiet, since its start-up notes are no news to an instructor."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def install_terms(terms) -> None:
    """Teach jieba every term so that it is never split."""
    jieba = require_jieba()
    for term in terms:
        jieba.add_word(term)
        # Raise the term's frequency until jieba keeps it whole on its own.
        jieba.suggest_freq(term, tune=True)


def segment(text: str) -> str:
    """Han runs split into words between zero-width spaces, the rest untouched."""
    jieba = require_jieba()

    def words(match) -> str:
        return SEPARATOR + SEPARATOR.join(jieba.cut(match.group(0).encode("utf-8"))) + SEPARATOR

    return HAN_RUN.sub(words, text).strip(SEPARATOR)
