"""The typography check: autocorrect's findings as file:line messages, fatal under --strict."""

from __future__ import annotations

import typography
from conftest import mkdocs_build


def test_half_width_comma_between_chinese_is_found():
    findings = typography.check_markdown("# 标题\n\n第一句,第二句。\n", "docs/demo.md")
    assert [(f.line, f.old, f.new) for f in findings] == [(3, "第一句,第二句。", "第一句，第二句。")]
    message = findings[0].message()
    assert message.startswith("docs/demo.md:3:")
    assert "“第一句,第二句。”应改为“第一句，第二句。”" in message


def test_missing_space_between_chinese_and_digits_is_found():
    findings = typography.check_markdown("共有3个乡镇。\n", "docs/demo.md")
    assert len(findings) == 1 and findings[0].new == "共有 3 个乡镇。"


def test_code_and_disabled_passages_are_left_alone():
    text = (
        "```\n第一句,第二句\n```\n\n"
        "<!-- autocorrect-disable -->\n原样引用,不改\n<!-- autocorrect-enable -->\n"
    )
    assert typography.check_markdown(text, "docs/demo.md") == []


def test_long_line_message_shows_only_the_changed_spot():
    old = "这是很长的一句话，" * 10 + "最后一处有问题,结束。"
    findings = typography.check_markdown(old + "\n", "docs/demo.md")
    before, after = typography.changed_span(findings[0].old, findings[0].new)
    assert "," in before and "，" in after and len(before) < 20


def test_planted_comma_fails_the_strict_build_with_file_and_line(project_copy, tmp_path):
    page = project_copy / "docs" / "introduction.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.append("")
    lines.append("这里故意写错,用了半角逗号。")
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert f"docs/introduction.md:{len(lines)}:" in result.stderr
    assert "中文排版问题" in result.stderr
    assert "Traceback" not in result.stderr


def test_checklist_checkboxes_are_hidden_from_screen_readers():
    import checklists

    html = '<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled/><span></span></label> 问题</li>'
    assert '<input type="checkbox" disabled aria-hidden="true" tabindex="-1"/>' in checklists.hide_decorative_checkboxes(html)


def test_front_matter_keys_are_yaml_and_its_words_are_checked():
    text = ("---\n# 学员常问的问法,挂在小节上\nquestions:\n  信息量:\n    - 什么是信息量\n    - 信息量大,好不好\n"
            "search:\n  boost: 0.5\n---\n\n# 标题\n\n正文。\n")
    found = typography.check_markdown(text, "docs/lesson.md")
    # The colon after 信息量 is YAML's; the commas in the note and the question are Chinese text's.
    assert [(f.line, f.column) for f in found] == [(2, 3), (6, 7)], [f.message() for f in found]
    assert all("，" in f.new for f in found)
