"""Validation against exercises/schema.json, with messages in Chinese.

The schema file is the single source of truth for the format: editors use
it for completion while instructors type, and the build validates with it.
jsonschema's own messages are English and technical, so each error is
reworded here from its kind (required, enum, pattern …) and the field it
concerns, and placed at the line where that field stands.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import fastjsonschema

from .markup import without_controls
from .problems import Problem
from .yaml_errors import FIELD, FULL_WIDTH_COLON, FULL_WIDTH_FIX
from .yamlsource import Document

TYPE_NAMES = {
    "string": "文字",
    "array": "列表",
    "object": "键值（字段: 内容）",
    "boolean": "true 或 false",
    "integer": "整数",
    "number": "数字",
    "null": "空值",
}


@lru_cache(maxsize=4)
def quick_check_for(schema_path: Path):
    """The same schema compiled to Python by fastjsonschema: a yes/no answer, fast.

    jsonschema explains what is wrong but is slow (about 30× here); a valid
    document, the common case, only needs the yes.
    """
    return fastjsonschema.compile(json.loads(schema_path.read_text(encoding="utf-8")))


@lru_cache(maxsize=4)
def validator_for(schema_path: Path):
    """jsonschema's validator, which explains errors; imported only when one is needed."""
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def field_name(path: tuple) -> str:
    """The name an instructor wrote: the last key on the path, not a list index."""
    names = [str(part) for part in path if not isinstance(part, int)]
    return names[-1] if names else ""


def exercise_id_at(document: Document, path: tuple) -> str:
    """The id of the exercise a path lies in, if it has one."""
    if len(path) >= 2 and path[0] == "exercises" and isinstance(path[1], int):
        items = document.data.get("exercises") if isinstance(document.data, dict) else None
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            value = items[path[1]].get("id")
            return value if isinstance(value, str) else f"第 {path[1] + 1} 题"
    return ""


# "… type：single" inside a text: a field with a full-width colon, read as the text before it running on.
FULL_WIDTH_INSIDE = re.compile(rf"\s({FIELD})\s*：")
ANSWER_FIX = "单选题写一个字母（如 B）；多选题和排序题写字母列表（如 [A, C]）；判断题写 对 或 错。"
LETTER = re.compile(r"[A-Z]")


def describe(error, document: Document | None = None) -> tuple[str, str, tuple]:
    """(what is wrong, how to fix it, path it concerns) for one jsonschema error.

    With the document, a value YAML read as no text is named as written (“yes”, not true),
    and a comment that cut a text short is pointed out.
    """
    message, fix, path = _describe(error, document.written if document else {})
    comment = document.comments.get(tuple(error.absolute_path)) if document else None
    if comment:
        message += f"注意：空格后面的“#{_short(comment)}”被 YAML 当成了注释，没有读进来。"
        fix = f"# 是内容的一部分时，去掉它前面的空格，或给整段文字加上引号；{fix}"
    return message, fix, path


def _describe(error, written: dict) -> tuple[str, str, tuple]:
    kind, path, value = error.validator, tuple(error.absolute_path), error.instance
    source = written.get(path)
    if kind == "required":
        missing = error.message.split("'")[1]
        if _full_width_field_in(value, missing):
            return f"缺少必填字段 {missing}：{missing} 后面用了全角冒号“：”，应改为半角冒号“:”加一个空格。", FULL_WIDTH_FIX, path
        return f"缺少必填字段 {missing}。", f"添加 {missing}: …（见 README 中的题型说明）。", path
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        extra = extras[0] if extras else "?"
        if FULL_WIDTH_COLON.match(extra):
            return (
                f"不认识的字段 {_short(extra)}：字段名后面用了全角冒号“：”，应改为半角冒号“:”加一个空格。",
                FULL_WIDTH_FIX, path + (extra,),
            )
        close = difflib.get_close_matches(extra, allowed, n=1)
        guess = f"是不是想写 {close[0]}？" if close else f"可用的字段有：{'、'.join(allowed)}。"
        return f"不认识的字段 {_short(extra)}。", guess, path + (extra,)
    joined = FULL_WIDTH_INSIDE.search(value) if kind in ("pattern", "enum", "const") and isinstance(value, str) else None
    if joined:
        return (
            f"“{_short(value)}”的写法不对：其中的“{joined.group(1)}：”用了全角冒号，YAML 把它读成了这段文字的接续。",
            FULL_WIDTH_FIX, path,
        )
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    if kind == "type" and "object" in wanted and isinstance(value, str) and FULL_WIDTH_COLON.match(value):
        return (
            f"字段名后面用了全角冒号“：”，应改为半角冒号“:”加一个空格（现在写的是“{_short(value)}”）。",
            FULL_WIDTH_FIX, path,
        )
    if kind == "type" and field_name(path) == "answer":
        what = f"答案{_read_as(source, value)}。" if source is not None else f"答案的写法不对：“{_short(value)}”。"
        return what, ANSWER_FIX, path
    if kind == "type":
        names = "或".join(TYPE_NAMES.get(w, w) for w in wanted)
        if source is not None and "string" in wanted:
            if value is None and not source.strip():
                return "没有填写内容。", "填写内容，或删去这个字段。", path
            return f"{_read_as(source, value)}，不是文字。", f"给这段文字加上引号，例如 \"{_short(source)}\"。", path
        if source is not None:
            return f"应当是{names}，{_read_as(source, value)}。", f"改写成{names}。", path
        return f"应当是{names}，现在写的是“{_short(value)}”。", f"改写成{names}。", path
    if kind in ("enum", "const"):
        choices = error.validator_value if kind == "enum" else [error.validator_value]
        fix = f"改成以下之一：{'、'.join(str(c) for c in choices)}。"
        if source is not None and isinstance(value, bool) and set(choices) == {"对", "错"}:
            return (
                f"{_read_as(source, value)}，判断题的答案要写 对 或 错。",
                f"改成 {'对' if value else '错'}（写汉字，不写 yes、no、true、false）。",
                path,
            )
        if source is not None:
            return f"{_read_as(source, value)}，不是可用的取值。", fix, path
        return f"“{_short(value)}”不是可用的取值。", fix, path
    if kind == "pattern" and field_name(path) == "answer" and isinstance(value, str):
        letter = unicodedata.normalize("NFKC", value).strip().upper()
        if LETTER.fullmatch(letter):
            return f"答案字母要写成大写半角字母，这里写的是“{_short(value)}”。", f"改成 {letter}。", path
    if kind == "pattern":
        return f"“{_short(value)}”的写法不对。", PATTERN_FIXES.get(field_name(path), "按 README 中的格式改写。"), path
    if kind == "minItems":
        return f"至少要有 {error.validator_value} 项，现在只有 {len(value)} 项。", "补足条目。", path
    if kind == "maxItems":
        return f"最多 {error.validator_value} 项，现在有 {len(value)} 项。", "删去多余的条目，或拆成两道题。", path
    if kind == "minLength":
        return "不能为空。", "填写内容，或删去这个字段。", path
    if kind == "uniqueItems":
        return "列表中有重复的条目。", "删去重复的一项。", path
    return f"不符合格式要求（{error.message}）。", "对照 README 中的题型说明修改。", path


PATTERN_FIXES = {
    "id": "只用小写英文字母、数字和连字符，例如 positioning-brief-01。",
    "section": "写成“页面文件#锚点”，例如 positioning.md#为谁报报什么。",
    "answer": "写选项字母，第一个选项是 A，第二个是 B，依此类推。",
}


def _read_as(source: str, value) -> str:
    """What YAML made of an unquoted value: “yes”被 YAML 读成了布尔值 true（是）."""
    if value is None:
        return "没有填写内容" if not source.strip() else f"“{_short(source)}”被 YAML 读成了空值"
    if isinstance(value, bool):
        return f"“{_short(source)}”被 YAML 读成了布尔值 {'true（是）' if value else 'false（否）'}"
    if isinstance(value, (int, float)):
        return f"“{_short(source)}”被 YAML 读成了数字 {_short(value)}"
    return f"“{_short(source)}”被 YAML 读成了“{_short(value)}”"


def _full_width_field_in(mapping, name: str) -> bool:
    """Whether `name：` (a full-width colon) stands in one of the mapping's texts: the field is there, misspelt."""
    pattern = re.compile(rf"(?:^|\s){re.escape(name)}\s*：")
    return isinstance(mapping, dict) and any(isinstance(v, str) and pattern.search(v) for v in mapping.values())


def _short(value, limit: int = 30) -> str:
    """A value as it may appear in a message: short, and without control characters (no ESC sequence)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = without_controls(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate(document: Document, path: str, schema_path: Path) -> list[Problem]:
    """Every schema violation in one document, innermost errors first."""
    try:
        quick_check_for(schema_path)(document.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # jsonschema says what is wrong, and where
    problems = []
    for error in _leaf_errors(validator_for(schema_path).iter_errors(document.data)):
        message, fix, where = describe(error, document)
        line, column = document.mark(where)
        problems.append(
            Problem(path, line, column, exercise_id_at(document, where), field_name(where), message, fix)
        )
    return sorted(set(problems))


def _leaf_errors(errors):
    """Expand if/then and allOf wrappers into the errors an instructor can act on."""
    for error in errors:
        if error.context:
            yield from _leaf_errors(error.context)
        else:
            yield error
