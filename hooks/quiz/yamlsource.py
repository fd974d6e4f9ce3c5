"""Reading exercise YAML strictly, with the position of every value kept.

PyYAML's loaders accept, silently, what an instructor never means: a key
written twice (the later one wins) and tags that construct objects. Here
the C parser's events are composed into nodes by a loop (not recursion, so
no nesting can overflow a stack), counting as it goes and stopping at the
limits of quiz.limits; a small walk over the node tree then builds plain
data, records where each value stands, and reports duplicate keys and
foreign tags instead of obeying them.

Anchors and aliases (&name, *name) are refused: no exercise needs them, and
a few hundred bytes of nested aliases expand to gigabytes.

Only a regular file inside the project is read, never more than the size
limit of it: a directory, FIFO, device, dangling link or a link out of the
project is reported, not opened (a FIFO would block, /dev/zero never end).
A link to a regular file inside the project is followed.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.events import AliasEvent, MappingEndEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as Loader

from . import limits, yaml_errors
from .problems import Problem

# The only tags plain data needs; anything else (e.g. !!python/object) is refused.
PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

STR_TAG = "tag:yaml.org,2002:str"
# A plain 2024-01-01 is a date to YAML 1.1; no field takes one, so it is reported as a value
# read as a date (an instructor never wrote a tag), and kept as written where it is a key.
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
# A comment after a value on its line: " #" ends the text, silently. Only one that reads
# on from the # without a space (#1, #B) is kept: it is more likely text than a note.
COMMENT_AFTER = re.compile(r"[ \t]+#([^\s][^\r\n\x85\u2028\u2029]*)")

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Document:
    """Plain data from one file, with 1-based (line, column) for each path.

    For messages: `written` holds, by path, the source of each unquoted value YAML
    read as no text (yes → true, 010 → 8, an empty value → null), `comments` the
    comment that follows an unquoted value on its line.
    """

    data: object = None
    marks: dict = field(default_factory=dict)
    written: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)

    def mark(self, path: Path_) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that has one."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


class _Builder:
    """Builds data from composed nodes; scalars go through PyYAML's own constructor."""

    def __init__(self, path: str, text: str = ""):
        self.path, self.text = path, text
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.marks: dict = {}
        self.written: dict = {}
        self.comments: dict = {}

    def problem(self, node, message: str, fix: str, field_name: str = "") -> None:
        self.problems.append(
            Problem(self.path, node.start_mark.line + 1, node.start_mark.column + 1, "", field_name, message, fix)
        )

    def implicit(self, node) -> bool:
        """Whether an unquoted scalar's type is YAML's guess, not a tag the instructor wrote."""
        return not self.text.startswith("!", node.start_mark.index)  # a tagged node starts at its tag

    def build(self, node, path: tuple):
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if type(node) is ScalarNode and not node.style:
            end = node.end_mark.index
            if self.text[end:end + 1] in (" ", "\t"):
                comment = COMMENT_AFTER.match(self.text, end)
                if comment:
                    self.comments[path] = comment.group(1).rstrip()
            if node.tag != STR_TAG and self.implicit(node):
                if node.tag == TIMESTAMP_TAG:
                    what = "日期和时间" if len(node.value) > 10 else "日期"
                    self.problem(
                        node,
                        f"“{node.value}”被 YAML 读成了{what}，不是文字。",
                        f"给这段文字加上引号，例如 \"{node.value}\"。",
                        _field(path),
                    )
                    return None
                self.written[path] = node.value
        if node.tag not in PLAIN_TAGS:
            self.problem(
                node,
                f"不允许使用 YAML 标签 {node.tag.replace('tag:yaml.org,2002:', '!!')}。",
                "删去以 ! 开头的标签，只写普通的文字、数字、列表和键值。",
                _field(path),
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
        return self.constructor.construct_object(node)

    def plain_key(self, node) -> bool:
        """A key of plain data; an unquoted date too, as keys stay as written."""
        return node.tag in PLAIN_TAGS or (node.tag == TIMESTAMP_TAG and not node.style and self.implicit(node))

    def build_mapping(self, node, path: tuple) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "不支持合并键 <<。", "把要用的字段直接写出来。")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or not self.plain_key(key_node):
                self.problem(key_node, "字段名必须是普通文字。", "把字段名改成普通文字，例如 prompt。")
                continue
            # Keys stay as written: `对:` and `1:` are field names, not values.
            key = key_node.value
            if key in result:
                first_line = self.marks[path + (key,)][0]
                self.problem(
                    key_node,
                    f"字段 {key} 重复出现（第一次在第 {first_line} 行），后写的会覆盖先写的。",
                    f"保留一个 {key}，删去或合并另一个。",
                    key,
                )
                continue
            self.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
            # The key's own position is the one an instructor looks for.
            self.marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result


def _field(path: tuple) -> str:
    """The field a path ends in: its last key, not a list index."""
    return next((str(part) for part in reversed(path) if not isinstance(part, int)), "")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a BOM tolerated), or a problem that says how to re-save."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        hint = "（看起来是 GBK 编码，Windows 记事本等编辑器常用）" if _looks_like_gbk(raw) else ""
        return None, [
            Problem(
                path, line, column, "", "",
                f"文件不是 UTF-8 编码{hint}，无法读取。",
                "在编辑器中用“另存为”选择 UTF-8 编码保存后重试。",
            )
        ]


def _looks_like_gbk(raw: bytes) -> bool:
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        return False
    return True


def parse(text: str, path: str) -> tuple[Document | None, list[Problem]]:
    """Compose once from the C parser's events, within the limits, then build data with positions."""
    try:
        node = compose(text)
    except Refused as refused:
        return None, [refused.problem(path)]
    except yaml.MarkedYAMLError as error:
        return None, [yaml_errors.problem(error, text, path)]
    except yaml.reader.ReaderError as error:
        return None, [yaml_errors.reader_problem(error, text, path)]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, 1, "", "", f"YAML 格式错误：{error}。", "检查文件格式。")]
    if node is None:
        return Document(data=None), []
    builder = _Builder(path, text)
    data = builder.build(node, ())
    return Document(data, builder.marks, builder.written, builder.comments), builder.problems


class Refused(Exception):
    """A document the composer will not take in: what is wrong, where, how to fix it."""

    def __init__(self, mark, message: str, fix: str):
        super().__init__(message)
        self.line, self.column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        self.message, self.fix = message, fix

    def problem(self, path: str) -> Problem:
        return Problem(path, self.line, self.column, "", "", self.message, self.fix)


def compose(text: str):
    """The document's root node, as yaml.compose builds it, or Refused at the first limit crossed.

    The work is bounded by the input: at most MAX_NODES nodes, MAX_DEPTH open
    collections on an explicit stack, and no alias to expand.
    """
    loader = Loader(text)
    get_event, resolve = loader.get_event, loader.resolve
    try:
        get_event()  # the stream's start
        if loader.check_event(StreamEndEvent):
            return None
        document = get_event()
        stack: list[list] = []  # open collections: [node, is a mapping, its pending key or None]
        count = 0
        while True:
            event = get_event()
            kind = type(event)
            if kind is SequenceEndEvent or kind is MappingEndEvent:
                node = stack.pop()[0]
                node.end_mark = event.end_mark
            else:
                if kind is AliasEvent or event.anchor is not None:
                    raise _anchor_refused(event, kind is AliasEvent)
                count += 1
                if count > limits.MAX_NODES:
                    raise _count_refused(event)
                tag = event.tag
                if kind is ScalarEvent:
                    if tag is None or tag == "!":
                        tag = resolve(ScalarNode, event.value, event.implicit)
                    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
                else:
                    if len(stack) >= limits.MAX_DEPTH:
                        raise _depth_refused(event)
                    node_class = SequenceNode if kind is SequenceStartEvent else MappingNode
                    if tag is None or tag == "!":
                        tag = resolve(node_class, None, event.implicit)
                    node = node_class(tag, [], event.start_mark, None, event.flow_style)
                    stack.append([node, node_class is MappingNode, None])
                    continue
            if not stack:
                break
            frame = stack[-1]
            if not frame[1]:
                frame[0].value.append(node)
            elif frame[2] is None:
                frame[2] = node
            else:
                frame[0].value.append((frame[2], node))
                frame[2] = None
        get_event()  # the document's end
        if not loader.check_event(StreamEndEvent):
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", document.start_mark,
                "but found another document", get_event().start_mark,
            )
        return node
    finally:
        loader.dispose()


def _anchor_refused(event, alias: bool) -> Refused:
    return Refused(
        event.start_mark,
        f"不支持 YAML 的锚点和引用（这里是 {'*' if alias else '&'}{event.anchor}）。",
        "把要重复的内容在每一处直接写出来，不用 & 和 *；以 & 或 * 开头的文字请加引号。",
    )


def _count_refused(event) -> Refused:
    return Refused(
        event.start_mark,
        f"内容超过 {limits.MAX_NODES} 项（每段文字、每个列表、每组键值各算一项），不再读取。",
        "把这些练习分到几个文件中。",
    )


def _depth_refused(event) -> Refused:
    return Refused(
        event.start_mark,
        f"列表和键值一层套一层，超过了 {limits.MAX_DEPTH} 层。",
        "练习题只需要几层：检查这一行附近是否多写了 [ 或 {，或者缩进不对。",
    )


# -- the file itself ------------------------------------------------------------

# Never follow a last link (it was resolved already), never block on a FIFO swapped in meanwhile.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

_NOT_READ_FIX = "练习题文件必须是项目中的普通文本文件：删去它，或换成普通文件。"


def locate(file: Path, root: Path, display_path: str) -> tuple[str | None, Problem | None]:
    """The real path to read for `file`, or the problem that says why it is not read.

    Only the entry's own metadata is looked at (lstat, readlink, stat): nothing is opened.
    """
    try:
        link = stat.S_ISLNK(os.lstat(file).st_mode)
        real = os.path.realpath(file)
        if not _inside(real, os.path.realpath(root)):
            shown = os.readlink(file) if link else real
            return None, _file_problem(
                display_path,
                f"{'是符号链接，指向' if link else '实际位于'}项目以外的 {shown}，没有读取。",
                "把练习题文件复制到 exercises/ 中，不要链接到项目以外。",
            )
        info = os.stat(real)
    except FileNotFoundError:
        if not os.path.islink(file):
            return None, _file_problem(display_path, "在检查过程中被删除了。", "确认文件还在后重试。")
        return None, _file_problem(
            display_path,
            f"是符号链接，指向的 {os.readlink(file)} 不存在。",
            "删去这个链接，或让它指向项目中存在的练习题文件。",
        )
    except OSError as error:
        return None, _unreadable(display_path, error)
    if not stat.S_ISREG(info.st_mode):
        what = f"指向{_kind(info.st_mode)}的符号链接" if link else _kind(info.st_mode)
        return None, _file_problem(display_path, f"是{what}，不是普通文件，没有读取。", _NOT_READ_FIX)
    if info.st_size > limits.MAX_FILE_BYTES:
        return None, _too_large(display_path)
    return real, None


def read(file: Path, root: Path, display_path: str) -> tuple[bytes | None, list[Problem]]:
    """The bytes of one exercise file inside `root`, at most MAX_FILE_BYTES of them, or why not."""
    real, problem = locate(file, root, display_path)
    if problem:
        return None, [problem]
    try:
        handle = os.open(real, _OPEN_FLAGS)
    except OSError as error:
        return None, [_unreadable(display_path, error)]
    with open(handle, "rb") as stream:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):  # replaced since it was looked at
            return None, [_file_problem(display_path, f"是{_kind(mode)}，不是普通文件，没有读取。", _NOT_READ_FIX)]
        try:
            raw = stream.read(limits.MAX_FILE_BYTES + 1)
        except OSError as error:
            return None, [_unreadable(display_path, error)]
    if len(raw) > limits.MAX_FILE_BYTES:
        return None, [_too_large(display_path)]
    return raw, []


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive (Windows)
        return False


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _file_problem(path: str, message: str, fix: str) -> Problem:
    return Problem(path, 1, 1, "", "", message, fix)


def _too_large(path: str) -> Problem:
    return _file_problem(
        path,
        f"超过 {limits.MAX_FILE_BYTES // (1024 * 1024)} MB 的大小上限，没有读取。",
        "把练习分到几个较小的文件中；一讲的练习通常只有几十 KB。",
    )


def _unreadable(path: str, error: OSError) -> Problem:
    reasons = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ELOOP: "符号链接绕成了圈"}
    reason = reasons.get(error.errno, error.strerror or type(error).__name__)
    return _file_problem(path, f"无法读取（{reason}）。", "检查这个文件的权限和它指向的位置。")


def load(file: Path, display_path: str, root: Path | None = None) -> tuple[Document | None, list[Problem]]:
    """Read, decode and parse one exercise file; `root` (default: its folder) bounds where it may lie."""
    raw, problems = read(file, root if root is not None else file.parent, display_path)
    if raw is None:
        return None, problems
    text, problems = decode(raw, display_path)
    if text is None:
        return None, problems
    return parse(text, display_path)
