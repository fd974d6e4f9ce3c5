"""What the schema cannot say: rules across fields, files and pages."""

from __future__ import annotations

import difflib
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from . import markup, render
from .model import BLANK, LETTERS, Exercise, normalize_answer
from .problems import Problem

# Fields each type uses beyond the common ones; any other type-specific field is a mistake.
TYPE_FIELDS = {
    "single": {"options", "answer", "shuffle"},
    "multiple": {"options", "answer", "shuffle"},
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
    return found + _pins(ex)


# An option that speaks of the ones before it: shuffled, it may no longer stand after them.
POINTS_BACK = re.compile(r"^\W*(以上|上述|前述|前面)")


def _pins(ex: Exercise) -> list[Problem]:
    """Pinned options leave others to shuffle; an option such as "以上都对" must be one of them."""
    pinned = [index for index, option in enumerate(ex.options) if option.pin]
    if pinned and len(pinned) == len(ex.options):
        return [problem(
            ex, ("options", pinned[-1], "pin"),
            f"全部 {len(pinned)} 个选项都写了 pin: true（固定位置），没有可以打乱的选项。",
            "只给“以上都对”这类必须留在原位的选项写 pin: true；整道题不想打乱顺序时，删去各选项的 pin，"
            "在题目中写 shuffle: false。",
        )]
    if not ex.shuffled:
        return []
    found = []
    for index, option in enumerate(ex.options):
        words = markup.text(markup.inline(option.text))
        if option.pin or not POINTS_BACK.match(words):
            continue
        shown = words if len(words) <= 20 else words[:19] + "…"
        found.append(problem(
            ex, ("options", index, "text"),
            f"选项“{shown}”指的是排在它前面的选项；本题的选项对每位学员按不同的顺序显示，它不一定还排在最后，学员会看不懂。",
            "给这个选项加一行 pin: true，让它留在原位；或者在题目中写 shuffle: false，不打乱本题的选项。",
        ))
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


def check_unique_ids(exercises: list[Exercise], root: Path | None = None) -> list[Problem]:
    """Each id once in the course, the problem on the exercise to rename.

    That is the newer one: the older may be published, and trainees' saved
    answers are kept by id. Git (in `root`, the project) tells which is newer
    when it can; otherwise the one later in file and line order.
    """
    uses: dict[str, list[Exercise]] = {}
    for ex in exercises:
        uses.setdefault(ex.id, []).append(ex)
    clashes = [group for group in uses.values() if len(group) > 1]
    if not clashes:
        return []
    ages = _commit_times(root, [ex for group in clashes for ex in group]) if root is not None else {}
    found = []
    for group in clashes:
        told = [ages.get(_id_place(ex), UNKNOWN) for ex in group]
        # Git decides only when it spoke of every one; min keeps file order among equals.
        oldest = min(range(len(group)), key=lambda i: _age_order(told[i])) if UNKNOWN not in told else 0
        keeper = group[oldest]
        where = f"{keeper.path}:{keeper.mark('id')[0]}"
        for ex, age in zip(group, told):
            if ex is keeper:
                continue
            this, that = _which_is_newer(age, told[oldest])
            found.append(problem(
                ex, ("id",),
                f"编号 {ex.id} 重复：{where} 的练习也用了这个编号，编号必须全课程唯一。",
                f"给这道题换一个新编号（{this}）；不要改 {where} 那道（{that}）："
                "编号发布后不能再改，学员的作答记录是按编号保存的。",
            ))
    return found


# What git says of an exercise's id line: committed at a time (seconds), not
# committed yet, or nothing (no git, not a checkout, too slow …).
NEW = "new"
UNKNOWN = "unknown"
UNCOMMITTED = "0" * 40
# The longest one git command may take, and all of them together: the check never waits on git for more.
GIT_SECONDS = 5.0
GIT_TOTAL_SECONDS = 15.0


def _id_place(ex: Exercise) -> tuple[str, int]:
    return ex.path, ex.mark("id")[0]


def _age_order(age) -> tuple:
    """Oldest first: committed (earliest first), then new; file order breaks ties (min is stable)."""
    if isinstance(age, int):
        return (0, age)
    return (1, 0)


def _which_is_newer(this, that) -> tuple[str, str]:
    """Why to rename `this` and keep `that`, from what git said of each."""
    if this == NEW and isinstance(that, int):
        return "它尚未提交，是新加的", "它已在最近一次提交中，可能已经发布"
    if isinstance(this, int) and isinstance(that, int) and this > that:
        return f"它 {_date(this)} 才提交", f"它 {_date(that)} 就已提交，可能已经发布"
    if this == NEW and that == NEW:
        return "两道都还没有提交；按文件名和行号它排在后面，多半是后加的", "它排在前面"
    if isinstance(this, int) and this == that:
        return "两道是同时提交的；按文件名和行号它排在后面，多半是后加的", "它排在前面，可能已经发布"
    return ("无法从 Git 提交记录看出哪道是新加的；按文件名和行号它排在后面，多半是后加的",
            "它排在前面，可能已经发布")


def _date(seconds: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def _commit_times(root: Path, exercises: list[Exercise]) -> dict[tuple[str, int], object]:
    """(path, id line) -> commit time of that line, or NEW; absent where git cannot tell."""
    deadline = time.monotonic() + GIT_TOTAL_SECONDS
    inside = _git(root, deadline, "rev-parse", "--is-inside-work-tree")
    if inside is None or inside[0] != 0 or inside[1].strip() != "true":
        return {}
    has_head = _git(root, deadline, "rev-parse", "--quiet", "--verify", "HEAD")
    if has_head is None:
        return {}
    lines: dict[str, set[int]] = {}
    for ex in exercises:
        path, line = _id_place(ex)
        lines.setdefault(path, set()).add(line)
    ages: dict[tuple[str, int], object] = {}
    for path, wanted in sorted(lines.items()):
        if has_head[0] != 0:  # no commit yet: nothing is published
            ages.update({(path, line): NEW for line in wanted})
            continue
        ranges = [arg for line in sorted(wanted) for arg in ("-L", f"{line},{line}")]
        blamed = _git(root, deadline, "blame", "--porcelain", *ranges, "--", path)
        if blamed is None:
            break  # out of time: the rest stays unknown
        if blamed[0] == 0:
            ages.update({(path, line): age for line, age in _blame_ages(blamed[1]).items() if line in wanted})
            continue
        in_head = _git(root, deadline, "cat-file", "-e", f"HEAD:./{path}")
        if in_head is not None and in_head[0] != 0:  # the whole file is new
            ages.update({(path, line): NEW for line in wanted})
    return ages


BLAME_HEADER = re.compile(r"([0-9a-f]{40}) \d+ (\d+)")


def _blame_ages(porcelain: str) -> dict[int, object]:
    """Line -> commit time or NEW, from `git blame --porcelain` (a commit's details come once, at its first line)."""
    line_commits: dict[int, str] = {}
    times: dict[str, int] = {}
    commit = None
    for row in porcelain.splitlines():
        if row.startswith("\t"):
            continue  # the line's own text
        header = BLAME_HEADER.match(row)
        if header:
            commit = header.group(1)
            line_commits[int(header.group(2))] = commit
        elif row.startswith("committer-time ") and commit and row[15:].strip().isdigit():
            times[commit] = int(row[15:].strip())
    return {
        line: NEW if commit == UNCOMMITTED else times[commit]
        for line, commit in line_commits.items()
        if commit == UNCOMMITTED or commit in times
    }


def _git(root: Path, deadline: float, *args: str) -> tuple[int, str] | None:
    """(exit status, output) of one git command in `root`, or None: no git, or out of time.

    Run in its own process group, so that on a timeout whatever it started
    dies with it and no pipe is left open to wait on.
    """
    timeout = min(GIT_SECONDS, deadline - time.monotonic())
    if timeout <= 0:
        return None
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    group = {"start_new_session": True} if os.name == "posix" else {}
    try:
        process = subprocess.Popen(
            ["git", *args], cwd=root, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, **group,
        )
    except (OSError, ValueError):
        return None
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        return None
    return process.returncode, output.decode("utf-8", "replace")


def _stop(process: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    process.stdout.close()
    process.wait()


def check_sections(exercises, anchors: dict[str, list[str]]) -> list[Problem]:
    """Every section link names a real page and a heading on it; if not, the real ones, closest first.

    `anchors`: page -> its anchors in document order (the order breaks ties).
    """
    found = []
    pages = {page: list(names) for page, names in anchors.items()}
    advice: dict[tuple[str, str], str] = {}  # many exercises share a wrong link
    for ex in exercises:
        page, anchor = ex.section_page, ex.section_anchor
        if page not in pages:
            if (page, "") not in advice:
                advice[(page, "")] = _page_advice(page, list(pages))
            found.append(problem(ex, ("section",), f"页面 {page} 不存在。", advice[(page, "")]))
        elif anchor not in pages[page]:
            if (page, anchor) not in advice:
                advice[(page, anchor)] = _anchor_advice(page, anchor, pages[page])
            found.append(problem(
                ex, ("section",), f"页面 {page} 中没有锚点 #{anchor}。", advice[(page, anchor)],
            ))
    return found


# How many pages or anchors a message lists.
LISTED = 8


def closest_first(word: str, choices: list[str]) -> list[str]:
    """`choices`, the most similar to `word` first; equally similar ones keep their order."""
    ratio = {choice: difflib.SequenceMatcher(None, word, choice).ratio() for choice in choices}
    return sorted(choices, key=lambda choice: -ratio[choice])


def _listing(names: list[str]) -> str:
    more = f" 等 {len(names)} 个" if len(names) > LISTED else ""
    return "、".join(names[:LISTED]) + more


def _page_advice(page: str, pages: list[str]) -> str:
    if not pages:
        return "docs/ 下还没有课文页面：先写好课文，再用“页面文件#锚点”指向其中的小节。"
    return (
        f"检查文件名；现有的页面（最接近的在前）：{_listing(closest_first(page, pages))}。"
        "section 写成“页面文件#锚点”，页面文件是相对 docs/ 的路径。"
    )


def _anchor_advice(page: str, anchor: str, names: list[str]) -> str:
    if not names:
        return f"{page} 中没有标题，也就没有锚点：先给要训练的内容加上小节标题。"
    listed = _listing([f"{page}#{name}" for name in closest_first(anchor, names)])
    return (
        f"改成 {page} 中实际有的锚点（最接近的在前）：{listed}。"
        "锚点是小节标题去掉标点后的文字；也可在网页上点标题旁的链接符号查看。"
    )


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

