"""What the schema cannot say: rules across fields, files and pages."""

from __future__ import annotations

from . import markup, render
from .model import BLANK, LETTERS, Exercise, normalize_answer
from .problems import Problem

# Fields each type uses beyond the common ones; any other type-specific field is a mistake.
TYPE_FIELDS = {
    "single": {"options", "answer"},
    "multiple": {"options", "answer"},
    "true_false": {"answer", "feedback"},
    "fill": {"blanks"},
    "order": {"items", "answer"},
    "open": {"reference", "rubric"},
}
SPECIFIC_FIELDS = set().union(*TYPE_FIELDS.values())


def problem(ex: Exercise, fields: tuple, message: str, fix: str) -> Problem:
    line, column = ex.mark(*fields)
    name = next((str(f) for f in reversed(fields) if not isinstance(f, int)), "")
    return Problem(ex.path, line, column, ex.id, name, message, fix)


def letters_for(count: int) -> str:
    return f"A～{LETTERS[count - 1]}" if count > 1 else "A"


def check_exercise(ex: Exercise, raw: dict) -> list[Problem]:
    """Rules within one exercise."""
    found = []
    for name in sorted(SPECIFIC_FIELDS & set(raw) - TYPE_FIELDS[ex.type]):
        found.append(problem(ex, (name,), f"{ex.kind}不用 {name} 字段。", f"删去 {name}，或把 type 改成用它的题型。"))
    found += CHECKS[ex.type](ex)
    found += _control_characters(ex, raw)
    found += _outside_resources(ex)
    return found


def _strings(value):
    """(path, text) for every string in a piece of YAML data, in document order."""
    stack = [((), value)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack += reversed([(path + (key,), item) for key, item in value.items()])
        elif isinstance(value, list):
            stack += reversed([(path + (index,), item) for index, item in enumerate(value)])


def _control_message(text: str) -> tuple[str, str]:
    """What to say of a text that holds control characters, and how to fix it."""
    codes = list(dict.fromkeys(f"U+{ord(c):04X}" for c in markup.CONTROL.findall(text)))
    where = markup.CONTROL.search(text).start() + 1
    return (
        f"文字中有看不见的控制字符 {'、'.join(codes[:3])}（第 {where} 个字符处），它会扰乱网页。",
        "删去这个字符。它多半来自双引号字符串里的转义（如 \\x1f、\\u0007、\\e、\\0）"
        "或从别处粘贴的文字；换行和制表（\\n、\\t）可以照常使用。",
    )


def _control_characters(ex: Exercise, raw: dict) -> list[Problem]:
    """No text may hold a control character but newline and tab: the renderer marks its own places with them."""
    found = []
    for path, text in _strings(raw):
        if markup.CONTROL.search(text):
            found.append(problem(ex, path, *_control_message(text)))
    # The file's title, seen from each of its exercises: the same Problem each time, so reported once.
    title = ex.document.data.get("title") if ex.document and isinstance(ex.document.data, dict) else None
    if isinstance(title, str) and markup.CONTROL.search(title):
        line, column = ex.document.mark(("title",))
        found.append(Problem(ex.path, line, column, "", "title", *_control_message(title)))
    return found


def _markdown_fields(ex: Exercise):
    """(path, Markdown text) for every field shown as Markdown."""
    for name in ("prompt", "explanation", "hint", "reference"):
        if getattr(ex, name):
            yield (name,), getattr(ex, name)
    for index, option in enumerate(ex.options):
        yield ("options", index, "text"), option.text
        if option.feedback:
            yield ("options", index, "feedback"), option.feedback
    for value, text in ex.feedback.items():
        yield ("feedback", value), text
    for name in ("items", "rubric"):
        for index, text in enumerate(getattr(ex, name)):
            yield (name, index), text


def _outside_resources(ex: Exercise) -> list[Problem]:
    """Nothing in an exercise loads from another host: the site promises no outside requests."""
    found = []
    for path, text in _markdown_fields(ex):
        if "<" not in text and "![" not in text:
            continue  # no image can come of it
        cleaned = render.fill_prompt(text).html if path == ("prompt",) and ex.type == "fill" else markup.block(text)
        for url in markup.resources(cleaned):
            if markup.is_outside(url):
                shown = markup.without_controls(url).strip()
                found.append(problem(
                    ex, path,
                    f"图片地址 {shown} 指向外部：页面一打开就会向站外请求，内网学员也看不到它。",
                    "把图片放进 docs/ 下（例如 docs/images/），用相对路径引用，如 ![说明](../images/x.png)；"
                    "指向外部网页的普通链接可以保留。",
                ))
    return found


def _choice(ex: Exercise) -> list[Problem]:
    count = len(ex.options)
    answers = [ex.answer] if ex.type == "single" else list(ex.answer)
    found = []
    for position, letter in enumerate(answers):
        if LETTERS.index(letter) >= count:
            where = ("answer",) if ex.type == "single" else ("answer", position)
            found.append(problem(
                ex, where,
                f"答案 {letter} 不在选项中（共 {count} 个选项，{letters_for(count)}）。",
                f"答案应为 {letters_for(count)} 中的字母。",
            ))
    if ex.type == "multiple" and len(answers) == count:
        found.append(problem(ex, ("answer",), "全部选项都是答案，起不到辨析作用。", "至少放一个干扰项。"))
    return found


def _true_false(ex: Exercise) -> list[Problem]:
    return []


def _fill(ex: Exercise) -> list[Problem]:
    found = []
    holes = len(BLANK.findall(ex.prompt))
    if holes != len(ex.blanks):
        found.append(problem(
            ex, ("blanks",),
            f"题干中有 {holes} 个空（____），blanks 却给了 {len(ex.blanks)} 组答案。",
            "让题干中 4 个以上下划线标出的空与 blanks 的组数一致。",
        ))
    for index, where in sorted(render.fill_prompt(ex.prompt).misplaced.items()):
        message, fix = MISPLACED_BLANK[where]
        found.append(problem(ex, ("prompt",), f"第 {index + 1} 个空（____）{message}", fix))
    for i, accepted in enumerate(ex.blanks):
        for j, text in enumerate(accepted):
            if not normalize_answer(text):
                found.append(problem(
                    ex, ("blanks", i, j),
                    f"第 {i + 1} 空的答案“{text}”只有标点或空格，学员无法答对。",
                    "写出实际的文字答案。",
                ))
    return found


# Where a blank stands instead of in text (render.fill_prompt): what that means, how to fix it.
_IN_CODE = (
    "写在了代码里（反引号 ` 之间或代码块中），页面上会原样显示下划线，放不下输入框。",
    "删去空两侧的反引号或代码块的缩进；若只想显示下划线，写少于 4 个。",
)
MISPLACED_BLANK = {
    "attribute": (
        "写在了 HTML 属性里（如图片的 alt、title 或链接地址），页面上放不下输入框。",
        "把空移到正文文字中。",
    ),
    "code": _IN_CODE, "pre": _IN_CODE, "kbd": _IN_CODE, "samp": _IN_CODE,
    "a": ("写在了链接文字里：点输入框会打开链接。", "把空移到链接之外。"),
    "summary": ("写在了折叠块的标题（summary）里：点输入框会展开或收起。", "把空移到折叠内容或正文中。"),
    "missing": (
        "在页面上不会显示（写在了 HTML 注释或会被清除的标签里）。",
        "把空移到正文文字中。",
    ),
    "repeated": ("在页面上出现了不止一次。", "改写这一处，让每个空只出现一次。"),
}


def _order(ex: Exercise) -> list[Problem]:
    count = len(ex.items)
    answer = list(ex.answer)
    expected = set(LETTERS[:count])
    if len(answer) == count and set(answer) == expected:
        return []
    missing = "、".join(sorted(expected - set(answer))) or "无"
    extra = "、".join(sorted(set(answer) - expected)) or "无"
    repeated = "、".join(sorted({a for a in answer if answer.count(a) > 1})) or "无"
    return [problem(
        ex, ("answer",),
        f"answer 必须把 {count} 个条目（{letters_for(count)}）各写一次：缺少 {missing}，多出 {extra}，重复 {repeated}。",
        f"按正确顺序列出 {letters_for(count)} 的全部字母，每个只写一次。",
    )]


def _open(ex: Exercise) -> list[Problem]:
    return []


CHECKS = {
    "single": _choice,
    "multiple": _choice,
    "true_false": _true_false,
    "fill": _fill,
    "order": _order,
    "open": _open,
}


def check_unique_ids(exercises: list[Exercise]) -> list[Problem]:
    seen: dict[str, Exercise] = {}
    found = []
    for ex in exercises:
        first = seen.setdefault(ex.id, ex)
        if first is not ex:
            line = first.mark("id")[0]
            found.append(problem(
                ex, ("id",),
                f"编号 {ex.id} 已被 {first.path}:{line} 的练习使用。",
                "给这道题换一个全课程唯一的编号。",
            ))
    return found


def check_sections(exercises, anchors: dict[str, set[str]]) -> list[Problem]:
    """Every section link names a real page and a heading on it."""
    found = []
    for ex in exercises:
        page = ex.section_page
        if page not in anchors:
            found.append(problem(
                ex, ("section",),
                f"页面 {page} 不存在。",
                "写 docs/ 下的页面文件名，例如 positioning.md#为谁报报什么。",
            ))
        elif ex.section_anchor not in anchors[page]:
            found.append(problem(
                ex, ("section",),
                f"页面 {page} 中没有锚点 #{ex.section_anchor}。",
                "锚点是小节标题去掉标点后的文字，例如“为谁报、报什么”→ 为谁报报什么；可在网页上点标题旁的链接符号查看。",
            ))
    return found


def check_unshown(exercises, shown: set[str]) -> list[Problem]:
    return [
        problem(
            ex, ("id",),
            "没有任何页面显示这道题。",
            f"在课文中加入 <!-- exercise: {ex.id} -->，或用 <!-- exercises: 文件名 --> 放入整个文件。",
        )
        for ex in exercises
        if ex.id not in shown
    ]

