"""Why exercise YAML does not parse: the line of the mistake and its likely cause, in Chinese.

PyYAML says, in English, where its parser noticed trouble, which is often not
where the instructor slipped: a field without its colon shows up at the next
field, an unclosed quote at the end of the file or at the next quote further
down. Here the error's two marks, the source lines around them and, where it
helps, the tokens just before the error are read for the usual mistakes (tab
indentation, a full-width colon, a missing colon, an unquoted ": ", a text
that starts with a sign YAML reserves, an unclosed quote or bracket) and the
message names the line of the mistake, with the parser's line as context.

Everything here runs once per broken file and in time linear in its size.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass

import yaml
from yaml.tokens import FlowMappingEndToken, FlowSequenceEndToken, ScalarToken

from .markup import without_controls
from .problems import Problem

# The line breaks the parser counts lines by (YAML 1.1: NEL, LS and PS too).
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# A field name an exercise file uses: ASCII words, and the 对/错 of true/false feedback.
FIELD = r"(?:[A-Za-z_][A-Za-z0-9_]*|对|错)"
FULL_WIDTH_COLON = re.compile(rf"^\s*(?:-\s+)?{FIELD}\s*：")
FIELD_LINE = re.compile(rf"^\s*(?:-\s+)?{FIELD}:(?:\s|$)")
# ":" followed by a space or the end: what makes YAML read "key: value".
MAPPING_COLON = re.compile(r":(?:[ \t]|$)")
DASH_WITHOUT_SPACE = re.compile(r"^\s*-[^\s-]")
ITEM_START = re.compile(r"^\s*(?:-\s+)?")
# Greedy to the end (trailing spaces stripped after): a lazy .*? before \s*$ takes quadratic time.
KEY_AND_VALUE = re.compile(rf"^\s*(?:-\s+)?({FIELD}):[ \t]+(\S.*)$")
KEY_WITHOUT_COLON = re.compile(rf"^\s*(?:-\s+)?({FIELD})[ \t]+(\S.*)$")

QUOTE_FIX = "在这段文字末尾补上配对的 {q}；文字中间要用引号时，请用中文引号“”。"
INDENT_FIX = "同一层的字段、同一个列表的各项要左端对齐，用同样多的空格缩进（不要用 Tab）。"
COLON_FIX = "在字段名后面加上半角冒号和一个空格，例如改成“{example}”；如果这一行是上一个字段的文字，把它缩进到比那个字段名更靠右。"
FULL_WIDTH_FIX = "字段名后面要用半角冒号“:”加一个空格，例如 prompt: 题干。"


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based, like the columns
    column: int
    message: str
    fix: str


def reader_problem(error: yaml.reader.ReaderError, text: str, path: str) -> Problem:
    """A character the YAML reader refuses (a control character): where it is, which one."""
    character = error.character if isinstance(error.character, int) else ord(error.character or "\0")
    # The reader stops at the first character it refuses, so this is its first occurrence.
    index = text.find(chr(character))
    index = index if index >= 0 else 0
    line = sum(1 for _ in LINE_BREAK.finditer(text, 0, index))
    start = _line_start(text, index)
    what = "看不见的控制字符" if unicodedata.category(chr(character)) == "Cc" else "特殊字符"
    return Problem(
        path, line + 1, index - start + 1, "", "",
        f"YAML 格式错误：这一行有 YAML 不允许的{what} U+{character:04X}，文件无法读取。",
        "删去这个字符；它多半来自从别处粘贴的文字。",
    )


def _line_start(text: str, index: int) -> int:
    return max(text.rfind(sep, 0, index) for sep in ("\n", "\r", "\x85", "\u2028", "\u2029")) + 1


def problem(error: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """The Problem for a YAML error: where the mistake most likely is, what it is, how to fix it."""
    lines = LINE_BREAK.split(text)
    # In order: inside a quoted text or a [ ] list, a tab or a colon is no mistake.
    for diagnose in (_second_document, _quoted, _flow, _tab, _special_start, _missing_colon,
                     _colon_in_mapping, _block_structure):
        found = diagnose(error, lines, text)
        if found and found.line > len(lines):  # libyaml ends a last line without a break on one more
            found = Finding(len(lines), len(lines[-1]) + 1, found.message, found.fix)
        if found:
            # A file that does not parse holds no exercise yet: the problem is the file's.
            return Problem(path, found.line, found.column, "", "", "YAML 格式错误：" + found.message, found.fix)
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if line > len(lines):
        line, column = len(lines), len(lines[-1]) + 1
    detail = f"（{without_controls(error.problem)}）" if error.problem else ""
    return Problem(
        path, line, column, "", "",
        f"YAML 格式错误：这一行附近的写法 YAML 读不懂{detail}。",
        "检查这一行及上一行的缩进、冒号后的空格和引号是否配对；含冒号或 # 的文字请加引号。",
    )


# -- one likely cause each -----------------------------------------------------

def _tab(error, lines, text):
    mark = error.problem_mark
    if not mark:
        return None
    at_tab = _char(text, mark) == "\t" or "tab" in (error.problem or "")
    indent = _indent(_line(lines, mark.line))
    if not (at_tab or "\t" in indent):
        return None
    column = (indent.index("\t") if "\t" in indent else mark.column) + 1
    return Finding(
        mark.line + 1, column,
        "这一行用了制表符（Tab）缩进，YAML 只能用空格。",
        "把行首的 Tab 换成空格，同一层的字段用同样多的空格；可以在编辑器中设置按 Tab 键时插入空格。",
    )


def _second_document(error, lines, text):
    if error.context != "expected a single document in the stream" or not error.problem_mark:
        return None
    return Finding(
        error.problem_mark.line + 1, 1,
        "文件里从这一行起是第二个 YAML 文档（“---”把文件分成了几段）。",
        "一个练习题文件只写一个文档：删去这一行的“---”，或把后面的练习移到另一个文件。",
    )


def _quoted(error, lines, text):
    """A quote opened and never closed, or a backslash that is no escape."""
    context, start = error.context or "", error.context_mark
    if "quoted scalar" not in context or not start:
        return None
    quote = _char(text, start) or '"'
    if "escape" in (error.problem or ""):
        mark = error.problem_mark or start
        return Finding(
            mark.line + 1, mark.column + 1,
            "双引号里的反斜杠“\\”被当成了转义符，而这里的写法不是 YAML 认识的转义。",
            "改用单引号括起这段文字（单引号里的反斜杠照原样保留），或把 \\ 写成 \\\\。",
        )
    end = error.problem_mark
    if end and "end of stream" in (error.problem or ""):
        reached = f"文件末尾（第 {min(end.line + 1, len(lines))} 行）"
    else:
        reached = _where(lines, end.line) if end else "文件末尾"
    return Finding(
        start.line + 1, start.column + 1,
        f"这一行的引号 {quote} 没有配对的结束引号，后面的内容一直被当作这段文字，读到了{reached}。",
        QUOTE_FIX.format(q=quote),
    )


FLOW_CONTEXTS = ("while parsing a flow sequence", "while parsing a flow mapping")


def _flow(error, lines, text):
    """A [ or { that is never closed."""
    context, start, end = error.context or "", error.context_mark, error.problem_mark
    if not context.startswith("while parsing a flow") or not start or not end:
        return None
    opening = _char(text, start)
    known = context in FLOW_CONTEXTS and opening in ("[", "{")
    if not known:
        opening = "[" if "sequence" in context else "{"
    closing = {"[": "]", "{": "}"}[opening]
    what = "列表" if opening == "[" else "键值"
    if not known or "','" not in (error.problem or ""):
        inside = f"从第 {start.line + 1} 行的“{opening}”开始的{what}里" if known else "[ ] 或 { } 里"
        return Finding(
            end.line + 1, end.column + 1,
            f"{inside}，这个位置的写法不对：多了或少了逗号、括号或冒号。",
            "写成 [A, B] 的样子，各项之间用半角逗号隔开；某一项本身含有 [ ] { } , : 时，给这一项加上引号。",
        )
    noticed = f"（解析器读到{_where(lines, end.line)}才发现）" if end.line != start.line else ""
    return Finding(
        start.line + 1, start.column + 1,
        f"这一行的“{opening}”没有配对的“{closing}”{noticed}。",
        f"在{what}末尾补上“{closing}”；如果“{opening}”是文字的一部分，请给整段文字加引号。"
        f"列表也可以写成多行，每行一个“- ”，并对齐缩进。",
    )


SPECIAL_CONTEXTS = ("while scanning a tag", "while scanning an alias", "while scanning an anchor",
                    "while scanning a block scalar", "while scanning a directive")
# Errors at a sign that may not stand where it stands: "- " or "? " after a colon, @ or ` anywhere.
SPECIAL_PROBLEMS = ("cannot start any token", "block sequence entries are not allowed",
                    "mapping keys are not allowed")


def _special_start(error, lines, text):
    """A text that begins with a sign YAML reserves: @ ` % ! & * | > - ? …"""
    context, problem = error.context or "", error.problem or ""
    if context.startswith(SPECIAL_CONTEXTS):
        mark = error.context_mark
    elif any(words in problem for words in SPECIAL_PROBLEMS):
        mark = error.problem_mark
    else:
        return None
    if not mark:
        return None
    sign = _char(text, mark)
    if not sign or sign.isspace():
        return None
    block = "；要写多行文字时，“|”单独写在冒号后面，文字从下一行开始并多缩进两格" if sign in "|>" else ""
    return Finding(
        mark.line + 1, mark.column + 1,
        f"这一行的文字以“{without_controls(sign)}”开头，而“{without_controls(sign)}”在 YAML 中有特殊含义。",
        f"给整段文字加上引号，例如 {_quoted_example(_line(lines, mark.line))}{block}。",
    )


def _missing_colon(error, lines, text):
    """A plain word where a field should start: PyYAML says so at the next line."""
    if "could not find expected ':'" not in (error.problem or "") or not error.context_mark:
        return None
    start, end = error.context_mark, error.problem_mark or error.context_mark
    found = _quote_closed_early(lines, start, _tokens_before(text, start.index))
    if found:
        return found
    return _field_without_colon(lines, start.line, start.column, end.line)


def _colon_in_mapping(error, lines, text):
    """"mapping values are not allowed": a ": " in text, or a missing colon further up."""
    mark = error.problem_mark
    if "mapping values are not allowed" not in (error.problem or "") or not mark:
        return None
    line = _line(lines, mark.line)
    if MAPPING_COLON.search(line[: mark.column]):
        return _colon_in_text(lines, mark)
    start = _continued_from(lines, mark.line)
    if start is not None:
        return _field_without_colon(lines, start, ITEM_START.match(lines[start]).end(), mark.line)
    previous = _previous_line(lines, mark.line)
    if previous is not None and DASH_WITHOUT_SPACE.match(lines[previous]):
        return _dash_without_space(lines, previous)
    if FIELD_LINE.match(line) and previous is not None:
        return Finding(
            mark.line + 1, len(_indent(line)) + 1,
            f"这一行比第 {previous + 1} 行缩进得多，YAML 把它当成了上一行文字的接续。",
            INDENT_FIX,
        )
    return _colon_in_text(lines, mark)


def _block_structure(error, lines, text):
    """Indentation that leaves a line outside every block it could belong to."""
    problem, context, mark = error.problem or "", error.context or "", error.problem_mark
    if mark and "<document start>" in problem:
        return _indented_top(lines, mark)
    if not mark or not context.startswith("while parsing a block"):
        return None
    last = _tokens_before(text, mark.index)
    found = _quote_closed_early(lines, mark, last) or _text_after_flow(lines, mark, last)
    if found:
        return found
    line = _line(lines, mark.line)
    if DASH_WITHOUT_SPACE.match(line):
        return _dash_without_space(lines, mark.line)
    if line.lstrip().startswith("- ") and "mapping" in context:
        return Finding(
            mark.line + 1, mark.column + 1,
            "这一行的列表项“- ”和同一个列表的其他项没有对齐，或者它上面缺少字段名（例如 options:）。",
            INDENT_FIX,
        )
    group = f"（这一层从第 {error.context_mark.line + 1} 行开始）" if error.context_mark else ""
    if "expected" in problem:
        return Finding(
            mark.line + 1, mark.column + 1,
            f"这一行的缩进和同一层的字段或列表项对不齐{group}。",
            INDENT_FIX,
        )
    return None


def _indented_top(lines, mark) -> Finding:
    """A top-level field after the first one, which was indented: the first is the odd one."""
    first = next((n for n, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), mark.line)
    line = first if first < mark.line and _indent(lines[first]) else mark.line
    return Finding(
        line + 1, len(_indent(_line(lines, line))) + 1,
        "文件最外层的字段（如 title、exercises）要从行首写起，这一行和其他最外层的字段没有对齐。",
        "删去这一行行首的空格，让最外层的字段都从第 1 列开始。",
    )


# -- shared diagnoses ------------------------------------------------------------

def _field_without_colon(lines, line: int, column: int, noticed_line: int) -> Finding:
    if FULL_WIDTH_COLON.match(_line(lines, line)):
        return _full_width(lines, line)
    if DASH_WITHOUT_SPACE.match(_line(lines, line)):
        return _dash_without_space(lines, line)
    noticed = f"（解析器读到{_where(lines, noticed_line)}才发现）" if noticed_line != line else ""
    written = KEY_WITHOUT_COLON.match(without_controls(_line(lines, line)))
    example = f"{written.group(1)}: {_shortened(written.group(2).rstrip())}" if written else "prompt: 题干"
    return Finding(
        line + 1, column + 1,
        f"这一行不是“字段: 内容”的写法，多半是字段名后面漏了冒号{noticed}。",
        COLON_FIX.format(example=example),
    )


def _full_width(lines, line: int) -> Finding:
    text = _line(lines, line)
    return Finding(
        line + 1, text.index("：") + 1,
        "字段名后面用了全角冒号“：”，应改为半角冒号“:”加一个空格。",
        FULL_WIDTH_FIX,
    )


def _dash_without_space(lines, line: int) -> Finding:
    text = _line(lines, line)
    return Finding(
        line + 1, text.index("-") + 1,
        "这一行开头的“-”后面缺少空格，YAML 没有把它当成列表项。",
        "在“-”后面加一个空格，例如 - id: …。",
    )


def _colon_in_text(lines, mark) -> Finding:
    return Finding(
        mark.line + 1, mark.column + 1,
        "这一行的文字中有“: ”（冒号加空格），YAML 把它当成了又一个“字段: 内容”。",
        f"给整段文字加上引号，例如 {_quoted_example(_line(lines, mark.line))}；或者把这个冒号改成中文冒号“：”。",
    )


def _quote_closed_early(lines, mark, last: list) -> Finding | None:
    """A quoted text just before `mark`, on its line: opened and not closed there, or closed too soon."""
    quoted = next((t for t in reversed(last) if isinstance(t, ScalarToken) and t.style in ('"', "'")), None)
    if quoted is None or quoted.end_mark.line != mark.line or last[-1] is not quoted:
        return None
    start, end = quoted.start_mark, quoted.end_mark
    swallowed = any(FIELD_LINE.match(_line(lines, n)) for n in range(start.line + 1, end.line + 1))
    if swallowed:
        return Finding(
            start.line + 1, start.column + 1,
            f"这一行的引号 {quoted.style} 没有在本行结束，一直到第 {end.line + 1} 行的 {quoted.style} 才结束，"
            f"中间几行都被当成了这段文字。",
            QUOTE_FIX.format(q=quoted.style),
        )
    return Finding(
        end.line + 1, end.column + 1,
        "引号在文字中间就结束了：YAML 只把引号里的部分当作内容，后面的文字成了多余的。",
        "文字中要用引号时，请用中文引号“”；或者用另一种引号括起整段文字，例如 '他说\"好\"' 。",
    )


def _text_after_flow(lines, mark, last: list) -> Finding | None:
    """A text that starts with [ or {: YAML reads a list or mapping, then finds the rest."""
    if not last or not isinstance(last[-1], (FlowSequenceEndToken, FlowMappingEndToken)):
        return None
    if last[-1].end_mark.line != mark.line:
        return None
    opening, what = ("[", "列表") if isinstance(last[-1], FlowSequenceEndToken) else ("{", "键值")
    return Finding(
        mark.line + 1, mark.column + 1,
        f"这一行的文字以“{opening}”开头，YAML 把括号里的部分读成了{what}，后面的文字成了多余的。",
        f"给整段文字加上引号，例如 {_quoted_example(_line(lines, mark.line))}。",
    )


# -- reading the source ----------------------------------------------------------

def _tokens_before(text: str, index: int, keep: int = 2) -> list:
    """The last `keep` tokens the scanner reads before character `index` (memory: `keep` tokens)."""
    from .yamlsource import Loader  # here, not above: yamlsource imports this module

    loader = Loader(text)
    last: deque = deque(maxlen=keep)
    try:
        while loader.check_token() and loader.peek_token().start_mark.index < index:
            last.append(loader.get_token())
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return list(last)


def _continued_from(lines, line: int) -> int | None:
    """Where the plain text that runs on into `line` starts, if lines above run on into it.

    A line without "key:" and without a comment runs on into the next; the first
    of such a run is where the parser began reading a field name and met no colon.
    """
    start = None
    for number in range(line - 1, -1, -1):
        text = lines[number]
        if not text.strip():
            continue
        stripped = text.strip()
        if stripped.startswith("#") or MAPPING_COLON.search(text) or stripped in ("-", "---"):
            break
        start = number
        if stripped.startswith("- "):
            break
    return start


def _previous_line(lines, line: int) -> int | None:
    for number in range(line - 1, -1, -1):
        if lines[number].strip() and not lines[number].lstrip().startswith("#"):
            return number
    return None


def _quoted_example(line: str) -> str:
    """The line's "key: value" with the value in quotes, short, as an example of the fix."""
    match = KEY_AND_VALUE.match(without_controls(line))
    if not match:
        return 'prompt: "……"'
    key, value = match.group(1), _shortened(match.group(2).rstrip())
    quoted = f'"{value}"' if '"' not in value else "'" + value.replace("'", "''") + "'"
    return f"{key}: {quoted}"


def _shortened(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(lines, number: int) -> str:
    """第 N 行, or the end of the file for the line after the last."""
    return f"第 {number + 1} 行" if number < len(lines) else "文件末尾"


def _line(lines, number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _char(text: str, mark) -> str:
    return text[mark.index] if mark and 0 <= mark.index < len(text) else ""
