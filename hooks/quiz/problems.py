"""Problems found in exercises, worded for instructors."""

from __future__ import annotations

from dataclasses import dataclass


# A problem with a shortcode names its kind in the field slot.
SHORTCODE_FIELDS = {"exercises", "exercise"}


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

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        if self.exercise_id:
            who = f"练习 {self.exercise_id}"
        elif self.field in SHORTCODE_FIELDS:
            who = "短代码"
        else:
            who = "文件"
        what = f"字段 {self.field}：" if self.field and self.field not in SHORTCODE_FIELDS else ""
        fix = f" 修改方法：{self.fix}" if self.fix else ""
        return f"{where}：[{who}] {what}{self.message}{fix}"


def summary(problems: list[Problem]) -> str:
    return f"练习题检查发现 {len(problems)} 个问题，请逐条修改后重新构建。"
