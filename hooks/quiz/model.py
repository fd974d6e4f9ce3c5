"""The exercise model: plain, validated data the renderer and the rules share."""

from __future__ import annotations

import hashlib
import json
import re
import string
import unicodedata
from dataclasses import dataclass, field, replace

from .yamlsource import Document

TYPE_NAMES = {
    "single": "单选题",
    "multiple": "多选题",
    "true_false": "判断题",
    "fill": "填空题",
    "order": "排序题",
    "open": "写作练习",
}
LETTERS = string.ascii_uppercase
# A blank in a fill-in prompt: four or more underscores.
BLANK = re.compile(r"_{4,}")


@dataclass(frozen=True)
class Option:
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class Exercise:
    id: str
    type: str
    section: str
    prompt: str
    explanation: str = ""
    hint: str = ""
    difficulty: str = ""
    tags: tuple = ()
    options: tuple = ()
    answer: object = None
    feedback: dict = field(default_factory=dict)
    blanks: tuple = ()
    items: tuple = ()
    reference: str = ""
    rubric: tuple = ()
    # Where it came from, for messages, and a fingerprint of its content.
    path: str = ""
    index: int = 0
    version: str = ""
    document: Document | None = field(default=None, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return TYPE_NAMES[self.type]

    @property
    def section_page(self) -> str:
        return self.section.split("#", 1)[0]

    @property
    def section_anchor(self) -> str:
        return self.section.split("#", 1)[1]

    def mark(self, *fields) -> tuple[int, int]:
        if self.document is None:
            return (1, 1)
        return self.document.mark(("exercises", self.index) + fields)

    def pinned(self, *fields) -> Exercise:
        """A copy that keeps the positions of `fields` only, not its whole file's."""
        base = ("exercises", self.index)
        marks = {base + tuple(f): self.mark(*f) for f in fields}
        marks[base] = self.mark()
        return replace(self, document=Document(None, marks))


def fingerprint(raw: dict) -> str:
    """Changes whenever the exercise's content changes: it keys saved progress."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:10]


def from_raw(raw: dict, path: str, index: int, document: Document) -> Exercise:
    """An Exercise from a schema-valid mapping."""
    options = tuple(Option(o["text"], o.get("feedback", "")) for o in raw.get("options", ()))
    return Exercise(
        id=raw["id"],
        type=raw["type"],
        section=raw["section"],
        prompt=raw["prompt"],
        explanation=raw.get("explanation", ""),
        hint=raw.get("hint", ""),
        difficulty=raw.get("difficulty", ""),
        tags=tuple(raw.get("tags", ())),
        options=options,
        answer=raw.get("answer"),
        feedback=dict(raw.get("feedback", {})),
        blanks=tuple(tuple(b) for b in raw.get("blanks", ())),
        items=tuple(raw.get("items", ())),
        reference=raw.get("reference", ""),
        rubric=tuple(raw.get("rubric", ())),
        path=path,
        index=index,
        version=fingerprint(raw),
        document=document,
    )


def normalize_answer(text: str) -> str:
    """How a Chinese reader compares answers: full- and half-width forms alike,
    spaces and punctuation ignored, letters in any case. quiz.js does the same."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(
        ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P")
    )
