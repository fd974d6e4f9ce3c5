"""Problems found in exercises, worded for instructors."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .markup import without_controls


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an instructor must fix: where, which exercise and field, what, how."""

    path: str
    line: int
    column: int
    exercise_id: str
    field: str
    message: str
    fix: str = ""
    # With a shortcode in a lesson page (the field slot then holds its kind), not with a file's field.
    shortcode: bool = False

    def in_shortcode(self) -> Problem:
        return replace(self, shortcode=True)

    def format(self) -> str:
        """One line for the terminal: no control character of a YAML value reaches it (no ESC sequence)."""
        where = f"{self.path}:{self.line}:{self.column}"
        if self.exercise_id:
            who = f"练习 {self.exercise_id}"
        elif self.shortcode:
            who = "短代码"
        else:
            who = "文件"
        what = f"字段 {self.field}：" if self.field and not self.shortcode else ""
        fix = f" 修改方法：{self.fix}" if self.fix else ""
        return without_controls(f"{where}：[{who}] {what}{self.message}{fix}")


def summary(problems: list[Problem]) -> str:
    return f"练习题检查发现 {len(problems)} 个问题，请逐条修改后重新构建。"
