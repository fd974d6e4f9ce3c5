"""jieba, Material's Chinese segmenter, set up for the course's search.

Material for MkDocs segments every run of Han characters of a page with
jieba as it indexes the page, exercise prompts and options included (they
are in the page's text since quiz.extension places exercises). What is left
to set up is jieba itself: present, quiet, and taught the course's terms.
"""

from __future__ import annotations

import logging


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
