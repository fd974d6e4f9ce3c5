"""Reading exercise YAML strictly, with the position of every value kept.

PyYAML's loaders accept, silently, what an instructor never means: a key
written twice (the later one wins) and tags that construct objects. Here
the C parser composes the document once; a small walk over the node tree
builds plain data, records where each value stands, and reports duplicate
keys and foreign tags instead of obeying them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as Loader

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

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Document:
    """Plain data from one file, with 1-based (line, column) for each path."""

    data: object = None
    marks: dict = field(default_factory=dict)

    def mark(self, path: Path_) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that has one."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


class _Builder:
    """Builds data from composed nodes; scalars go through PyYAML's own constructor."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.marks: dict = {}

    def problem(self, node, message: str, fix: str, field_name: str = "") -> None:
        self.problems.append(
            Problem(self.path, node.start_mark.line + 1, node.start_mark.column + 1, "", field_name, message, fix)
        )

    def build(self, node, path: tuple):
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in PLAIN_TAGS:
            self.problem(
                node,
                f"不允许使用 YAML 标签 {node.tag.replace('tag:yaml.org,2002:', '!!')}。",
                "删去以 ! 开头的标签，只写普通的文字、数字、列表和键值。",
                str(path[-1]) if path else "",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]
        return self.constructor.construct_object(node)

    def build_mapping(self, node, path: tuple) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node, "不支持合并键 <<。", "把要用的字段直接写出来。")
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in PLAIN_TAGS:
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
    """Compose once with the C parser, then build data with positions."""
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = f"（{error.problem}）" if error.problem else ""
        return None, [
            Problem(
                path, line, column, "", "",
                f"YAML 格式错误{detail}。",
                "检查这一行及上一行的缩进、冒号后的空格和引号是否配对；含冒号或 # 的文字请加引号。",
            )
        ]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, 1, "", "", f"YAML 格式错误：{error}。", "检查文件格式。")]
    if node is None:
        return Document(data=None), []
    builder = _Builder(path)
    data = builder.build(node, ())
    return Document(data=data, marks=builder.marks), builder.problems


def load(file: Path, display_path: str) -> tuple[Document | None, list[Problem]]:
    """Read, decode and parse one exercise file."""
    text, problems = decode(file.read_bytes(), display_path)
    if text is None:
        return None, problems
    return parse(text, display_path)
