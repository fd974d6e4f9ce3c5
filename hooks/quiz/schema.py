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
from functools import lru_cache
from pathlib import Path

import fastjsonschema

from .problems import Problem
from .yamlsource import Document

TYPE_NAMES = {
    "string": "文字",
    "array": "列表",
    "object": "键值（字段: 内容）",
    "boolean": "对或错",
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


def describe(error) -> tuple[str, str, tuple]:
    """(what is wrong, how to fix it, path it concerns) for one jsonschema error."""
    kind, path, value = error.validator, tuple(error.absolute_path), error.instance
    if kind == "required":
        missing = error.message.split("'")[1]
        return f"缺少必填字段 {missing}。", f"添加 {missing}: …（见 README 中的题型说明）。", path
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        extra = extras[0] if extras else "?"
        close = difflib.get_close_matches(extra, allowed, n=1)
        guess = f"是不是想写 {close[0]}？" if close else f"可用的字段有：{'、'.join(allowed)}。"
        return f"不认识的字段 {extra}。", guess, path + (extra,)
    if kind == "type" and field_name(path) == "answer":
        return (
            f"答案的写法不对：“{_short(value)}”。",
            "单选题写一个字母（如 B）；多选题和排序题写字母列表（如 [A, C]）；判断题写 对 或 错。",
            path,
        )
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        names = "或".join(TYPE_NAMES.get(w, w) for w in wanted)
        return f"应当是{names}，现在写的是“{_short(value)}”。", f"改写成{names}。", path
    if kind in ("enum", "const"):
        choices = error.validator_value if kind == "enum" else [error.validator_value]
        return (
            f"“{_short(value)}”不是可用的取值。",
            f"改成以下之一：{'、'.join(str(c) for c in choices)}。",
            path,
        )
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


def _short(value, limit: int = 30) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
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
        message, fix, where = describe(error)
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
