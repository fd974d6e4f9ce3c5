"""The course's search dictionary: terms jieba must keep whole.

Material's search plugin segments Chinese with jieba when jieba can be
imported, and silently indexes Chinese unsegmented when it cannot, which
roughly halves what a trainee finds. This module makes the missing
segmenter an error and teaches jieba the course's own terms, so that a
search for 为谁报 or 信息报送 matches them as single tokens.

It imports nothing from MkDocs: the hook layer turns its errors into
build failures.
"""

from __future__ import annotations

from pathlib import Path

from quiz import segment

# Where the instructors' dictionary lives, relative to mkdocs.yml.
DICTIONARY_PATH = Path("search") / "course-terms.txt"


class SearchSetupError(Exception):
    """A problem that makes Chinese search unreliable; the message is for people.

    `line` is the file's line it is on (1 when it is the whole file), `problem` the message without the place."""

    def __init__(self, message: str, line: int = 1, problem: str = ""):
        super().__init__(message)
        self.line = line
        self.problem = problem or message


def read_terms(path: Path) -> list[str]:
    """Return the terms of a dictionary file: one per line, `#` starts a note."""
    return [term for _, term in read_entries(path)]


def read_entries(path: Path) -> list[tuple[int, str]]:
    """(1-based line, text) of each line of a search word list that is not blank or a `#` note."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problem = "找不到这个搜索词表。请恢复该文件，每行写一项。"
        raise SearchSetupError(f"{path}：{problem}", 1, problem) from None
    except UnicodeDecodeError as error:
        line = text_line_of_offset(path.read_bytes(), error.start)
        problem = "文件不是 UTF-8 编码。请用编辑器“另存为”UTF-8 编码后重试。"
        raise SearchSetupError(f"{path}:{line}：{problem}", line, problem) from None
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        entry = raw.strip()
        if entry and not entry.startswith("#"):
            entries.append((number, entry))
    return entries


def text_line_of_offset(data: bytes, offset: int) -> int:
    """The 1-based line number holding byte `offset`."""
    return data.count(b"\n", 0, offset) + 1


def require_jieba():
    """Import jieba, or say plainly why Chinese search would be degraded."""
    try:
        return segment.require_jieba()
    except ImportError:
        raise SearchSetupError(
            "未安装中文分词库 jieba：搜索索引将不切分中文，学员搜索术语会大量漏检。"
            "请用 README 中的构建命令（它会安装固定版本的依赖）重新构建。"
        ) from None


def install_terms(terms: list[str]) -> None:
    """Teach jieba every term so that it is never split."""
    require_jieba()
    segment.install_terms(terms)


def load_dictionary(project_dir: Path) -> list[str]:
    """Read the project's dictionary and install it; return the terms."""
    terms = read_terms(project_dir / DICTIONARY_PATH)
    install_terms(terms)
    return terms
