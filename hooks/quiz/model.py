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
# The types whose options quiz.js shows in an order of each browser's own.
SHUFFLED_TYPES = ("single", "multiple")
# A blank in a fill-in prompt: four or more underscores.
BLANK = re.compile(r"_{4,}")


@dataclass(frozen=True)
class Option:
    text: str
    feedback: str = ""
    pin: bool = False  # keeps its place when the options are shuffled ("以上都对")


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
    # Whether its options may be shuffled: its own `shuffle`, else its file's, else yes.
    shuffle: bool = True
    # Where it came from, for messages, and a fingerprint of its content.
    path: str = ""
    index: int = 0
    version: str = ""
    document: Document | None = field(default=None, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return TYPE_NAMES[self.type]

    @property
    def shuffled(self) -> bool:
        """Whether quiz.js shows its options in an order of the trainee's browser."""
        return self.shuffle and self.type in SHUFFLED_TYPES

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


def graded_content(raw: dict) -> dict:
    """An exercise without what only arranges it on screen (`shuffle`, an option's `pin`).

    Saved answers are kept by the YAML letters, whatever order the options are
    shown in: turning the shuffle off or pinning an option leaves them right.
    """
    kept = {name: value for name, value in raw.items() if name != "shuffle"}
    if isinstance(kept.get("options"), list):
        kept["options"] = [
            {k: v for k, v in o.items() if k != "pin"} if isinstance(o, dict) else o for o in kept["options"]
        ]
    return kept


def from_raw(raw: dict, path: str, index: int, document: Document, file_shuffle: bool = True) -> Exercise:
    """An Exercise from a schema-valid mapping; `file_shuffle` is its file's `shuffle`."""
    options = tuple(Option(o["text"], o.get("feedback", ""), o.get("pin") is True) for o in raw.get("options", ()))
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
        shuffle=raw.get("shuffle", file_shuffle) is not False,
        path=path,
        index=index,
        version=fingerprint(graded_content(raw)),
        document=document,
    )


def normalize_answer(text: str) -> str:
    """How a Chinese reader compares answers: full- and half-width forms alike,
    spaces and punctuation ignored, letters in any case. quiz.js does the same."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(
        ch for ch in text if not ch.isspace() and not unicodedata.category(ch).startswith("P")
    )
