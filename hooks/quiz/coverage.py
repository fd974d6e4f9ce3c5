"""What the exercise bank covers: exercises per lesson section and per type.

A lesson's teaching sections are its `##` headings, less the frame every
lesson shares (objectives, checklist, summary, questions, practice). An
exercise pointing at a `###` heading counts for the `##` section above it.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from .model import TYPE_NAMES

from .policy import Policy

# Headings that frame a lesson rather than teach a point.
FRAME_SECTIONS = {"学习目标", "自查清单", "小结", "思考与讨论", "练习"}
# Exercises every teaching section should have, unless the course policy says otherwise.
MINIMUM = Policy().section_minimum


@dataclass
class LessonCoverage:
    page: str
    title: str
    sections: list = field(default_factory=list)  # (anchor, title, count)
    types: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.types.values())

    def thin(self, minimum: int = MINIMUM) -> list:
        return [(anchor, title, count) for anchor, title, count in self.sections if count < minimum]


def compute(exercises, outlines: dict, page_order: list[str] = ()) -> list[LessonCoverage]:
    """Coverage of every page that some exercise trains, in navigation order."""
    by_page: dict[str, list] = {}
    for exercise in exercises:
        by_page.setdefault(exercise.section_page, []).append(exercise)
    lessons = []
    for page, headings in outlines.items():
        if page not in by_page:
            continue
        top = next((h.title for h in headings if h.level == 1), page)
        owner: dict[str, str] = {}  # any anchor -> the ## section it lies in
        current = None
        sections: list = []
        for heading in headings:
            if heading.level == 2:
                current = heading.anchor if heading.title not in FRAME_SECTIONS else None
                if current:
                    sections.append([heading.anchor, heading.title, 0])
            if current and heading.level >= 2:
                owner[heading.anchor] = current
        counts = Counter(owner.get(e.section_anchor) for e in by_page[page])
        lesson = LessonCoverage(page, top, [(a, t, counts[a]) for a, t, _ in sections])
        lesson.types.update(e.type for e in by_page[page])
        lessons.append(lesson)
    rank = {page: index for index, page in enumerate(page_order)}
    return sorted(lessons, key=lambda lesson: rank.get(lesson.page, len(rank)))


def format_text(lessons: list[LessonCoverage], minimum: int = MINIMUM) -> str:
    """The table the check command prints and the build logs."""
    lines = [f"练习覆盖情况（每个讲授小节至少 {minimum} 道题）："]
    for lesson in lessons:
        lines.append(f"  {lesson.title}（{lesson.page}，共 {lesson.total} 道）")
        for anchor, title, count in lesson.sections:
            flag = "" if count >= minimum else "  ← 不足"
            lines.append(f"    {count:>3}  {title}{flag}")
        kinds = "，".join(f"{TYPE_NAMES[t]} {lesson.types.get(t, 0)}" for t in TYPE_NAMES)
        lines.append(f"    题型：{kinds}")
    thin = [(lesson.page, a, t, c) for lesson in lessons for a, t, c in lesson.thin(minimum)]
    if thin:
        lines.append(f"  不足 {minimum} 道题的讲授小节：")
        lines += [f"    {page}#{anchor}（{title}）：{count} 道" for page, anchor, title, count in thin]
    else:
        lines.append(f"  所有讲授小节都有至少 {minimum} 道题。")
    return "\n".join(lines)


def render_html(lessons: list[LessonCoverage], href_for_page, minimum: int = MINIMUM) -> str:
    """The same report as tables, for the instructors' notes."""
    parts = [f'<div class="quiz-coverage"><p>每个讲授小节至少应有 {minimum} 道练习；不足的标为“不足”。</p>']
    for lesson in lessons:
        href = href_for_page(lesson.page)
        rows = "".join(
            f'<tr><td><a href="{html.escape(href)}#{html.escape(anchor)}">{html.escape(title)}</a></td>'
            f'<td>{count}</td><td>{"✓ 足够" if count >= minimum else "✗ 不足"}</td></tr>'
            for anchor, title, count in lesson.sections
        )
        kinds = "，".join(f"{TYPE_NAMES[t]} {lesson.types.get(t, 0)}" for t in TYPE_NAMES)
        parts.append(
            f"<table><caption>{html.escape(lesson.title)}：共 {lesson.total} 道（{kinds}）</caption>"
            f"<thead><tr><th>讲授小节</th><th>练习数</th><th>状态</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    parts.append("</div>")
    return "".join(parts)
