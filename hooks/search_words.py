"""The word lists the course's search reads a query with (hooks/search_query.js).

search/stopwords.txt  question and function words a query drops when they
                      carry no content: 怎么、如何、什么、吗、要不要 ……
search/synonyms.txt   trainees' words for the course's: one group a line,
                      the words of a group separated by spaces or 、, e.g.
                      名次 排位 排名 — a query for any one finds the others.

Both are instructor-edited, UTF-8, one entry a line, `#` starting a note, as
search/course-terms.txt. `check` and the build report every problem with its
line. The build hands both to the search in the index (hooks/search_index.py).

It imports nothing from MkDocs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from search_terms import SearchSetupError, read_entries

STOPWORDS_PATH = Path("search") / "stopwords.txt"
SYNONYMS_PATH = Path("search") / "synonyms.txt"
# A word of a list: letters and digits only (Chinese included), as a query's words are.
WORD = re.compile(r"^[\w]+$")
SEPARATORS = re.compile(r"[\s、，,]+")


@dataclass(frozen=True, order=True)
class SearchProblem:
    """A mistake in what the search reads (a word list, a lesson's questions), where it stands."""

    path: str
    line: int
    message: str
    fix: str = ""
    kind: str = "搜索词表"

    def format(self) -> str:
        fix = f" 修改方法：{self.fix}" if self.fix else ""
        return f"{self.path}:{self.line}：[{self.kind}] {self.message}{fix}"


@dataclass(frozen=True)
class SearchWords:
    stopwords: list[str]
    synonyms: list[list[str]]


def fold(word: str) -> str:
    """A word as the search compares it: full/half width and case folded."""
    return unicodedata.normalize("NFKC", word).lower()


def read(project_dir: Path) -> tuple[SearchWords, list[SearchProblem]]:
    problems: list[SearchProblem] = []
    stopwords = _stopwords(project_dir, problems)
    synonyms = _synonyms(project_dir, problems, set(stopwords))
    return SearchWords(stopwords, synonyms), problems


def _entries(project_dir: Path, relative: Path, problems: list) -> list[tuple[int, str]]:
    try:
        return read_entries(project_dir / relative)
    except SearchSetupError as error:
        problems.append(SearchProblem(relative.as_posix(), error.line, error.problem))
        return []


def _stopwords(project_dir: Path, problems: list) -> list[str]:
    words = []
    for line, entry in _entries(project_dir, STOPWORDS_PATH, problems):
        word = fold(entry)
        if not WORD.match(word):
            problems.append(SearchProblem(STOPWORDS_PATH.as_posix(), line, f"“{entry}”不是一个词：每行只写一个词，不带标点和空格。",
                                        "把它拆成几行，每行一个词。"))
        elif word not in words:
            words.append(word)
    return words


def _synonyms(project_dir: Path, problems: list, stopwords: set[str]) -> list[list[str]]:
    groups, first_seen = [], {}
    path = SYNONYMS_PATH.as_posix()
    for line, entry in _entries(project_dir, SYNONYMS_PATH, problems):
        words = [fold(word) for word in SEPARATORS.split(entry) if word]
        bad = [word for word in words if not WORD.match(word)]
        if bad:
            problems.append(SearchProblem(path, line, f"“{bad[0]}”里有标点：同一组的词之间只用空格或顿号分开。", "删去词语中的标点。"))
            continue
        if len(set(words)) < 2:
            problems.append(SearchProblem(path, line, f"“{entry}”只有一个词：一行写一组意思相同的词，至少两个。",
                                        "例如：名次 排位 排名。"))
            continue
        for word in words:
            if word in stopwords:
                problems.append(SearchProblem(path, line, f"“{word}”也在 {STOPWORDS_PATH.as_posix()} 里：搜索会把它当作问句用词丢掉，同义词不起作用。",
                                            "从其中一个文件里删去它。"))
            elif word in first_seen:
                problems.append(SearchProblem(path, line, f"“{word}”已写在第 {first_seen[word]} 行的另一组里。",
                                            "把两组合并成一行，或删去其中一处。"))
            else:
                first_seen[word] = line
        groups.append(list(dict.fromkeys(words)))
    return groups
