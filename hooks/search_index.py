"""Build-time work on the search index Material writes (search/search_index.json).

What the course's search (hooks/search_query.js) reads besides Material's
fields, added to the index after Material wrote it:
- `questions` on a section: the questions an instructor attached to its
  heading (hooks/search_questions.py), segmented as Material segments text;
- `weight` on a section that holds exercises: their prompts stay findable,
  but below the section that teaches the words (PRACTICE_WEIGHT);
- `weight` on a section every lesson has by the course's rules (学习目标、
  小结 … : policy.yml's lessons.sections): it recaps what other sections
  teach, and ranks below them (RECAP_WEIGHT);
- `weight` on a section headed 示例 (EXAMPLE_WEIGHT): it shows what the
  section it illustrates teaches;
- `config.course`: the stop words and synonyms (hooks/search_words.py), and
  the index's words that jieba's dictionary knows, which the query is
  segmented against; so the hosted site and the offline copy (which
  inlines the index) read the same lists.

It also finds which sections hold exercises, from a page's HTML. It imports nothing from MkDocs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from quiz import render

INDEX_PATH = Path("search") / "search_index.json"
# A section whose text is mostly exercise prompts: a third of a teaching section's score.
PRACTICE_WEIGHT = 0.3
RECAP_WEIGHT = 0.4
# A section headed 示例 (the lessons' rule for examples, quiz.lesson_rules): it shows what another teaches.
EXAMPLE_WEIGHT = 0.7
HEADING_ID = re.compile(r"<h[1-6][^>]*\bid=\"([^\"]+)\"")
PRACTICE = re.compile(re.escape(render.SET_OPENING))
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def practice_anchors(html: str) -> set[str]:
    """The ids of the headings whose sections hold a set of exercises ('' for the page's top)."""
    marks = sorted([(m.start(), "heading", m.group(1)) for m in HEADING_ID.finditer(html)]
                   + [(m.start(), "practice", "") for m in PRACTICE.finditer(html)])
    found, current = set(), ""
    for _, kind, anchor in marks:
        if kind == "heading":
            current = anchor
        else:
            found.add(current)
    return found


def segmented(text: str, cut) -> str:
    """Text with its Chinese cut into words as Material cuts the index's (zero-width spaces between)."""
    return HAN_RUN.sub(lambda m: "\u200b" + "\u200b".join(cut(m.group(0))) + "\u200b", text).strip("\u200b")


def enrich(index: dict, questions: dict[str, list[str]], practice: set[str], recap: set[str],
           stopwords: list[str], synonyms: list[list[str]], cut, known, examples: set[str] = frozenset()) -> dict:
    """The index with the course's fields; `questions`, `practice`, `recap` and `examples` are keyed by
    location (page URL#anchor); `known(word)` says whether jieba's dictionary has a word."""
    vocabulary = set()
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        attached = questions.get(location)
        if attached:
            doc["questions"] = [segmented(question, cut) for question in attached]
        if location in practice:
            doc["weight"] = PRACTICE_WEIGHT
        elif location in recap:
            doc["weight"] = RECAP_WEIGHT
        elif location in examples:
            doc["weight"] = EXAMPLE_WEIGHT
        for field in (doc.get("title", ""), doc.get("text", ""), *doc.get("questions", [])):
            vocabulary.update(word for word in HAN_RUN.findall(field) if len(word) > 1)
    words = sorted(word for word in vocabulary if known(word))
    index.setdefault("config", {})["course"] = {"stopwords": stopwords, "synonyms": synonyms, "words": words}
    return index


def rewrite(site_dir: Path, **course) -> Path | None:
    """Enrich the built index in place (keyword arguments as enrich's); None when the build has no index."""
    path = site_dir / INDEX_PATH
    if not path.is_file():
        return None
    index = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(enrich(index, **course), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path
