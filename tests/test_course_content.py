"""The course text: every key formula taught where it belongs, every lesson complete,
glossary and checklist linked to real sections, instructors' notes separable."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, mkdocs_build

DOCS = ROOT / "docs"
LESSONS = {
    "positioning.md": "positioning",
    "topics.md": "topics",
    "research.md": "research",
}

# The brief's key formulas, by the page that teaches them. Compared with
# punctuation and markup removed, so 从“新”谋划 and 从新谋划 are the same.
FORMULAS = {
    "introduction.md": [
        "领导了解情况的主要渠道", "科学决策的参谋助手", "推动落实的重要手段", "联系群众的桥梁纽带",
        "政治属性更突出", "服务决策更直接", "问题导向更鲜明", "联系群众更紧密",
        "党委党组重视", "各地各部门支持", "信息工作人员主动作为", "信息报送",
    ],
    "positioning.md": [
        "为谁报", "报什么", "本末倒置", "服务大局", "科学决策", "简讯", "工作动态",
        "内部宣传", "评功摆好", "争名次", "年底贴金", "有价值", "高质量",
    ],
    "topics.md": [
        "坐等信息", "拣到篮子都是菜", "被动", "僵化", "提前谋划", "从新谋划", "用心谋划",
        "重大时间节点", "重大决策部署", "重大敏感事件", "学习在前思考在前谋划在前",
        "前端中端后端", "立意新", "角度新", "大处着眼", "小处着手", "大中落小", "以小见大", "有心人",
    ],
    "research.md": [
        "第一来源", "最可靠来源", "有情况有分析有观点", "情况要新", "分析要深", "观点要明",
        "用数据说话", "用事例佐证", "一目了然", "综合研判", "症结", "直截了当",
    ],
}

PUNCTUATION = re.compile(r"[\s*_`“”‘’\"'、，。：；！？（）()·—…\-]+")
CJK = re.compile(r"[\u4e00-\u9fff]")


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The body of a `## heading` section, up to the next `##`."""
    match = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"missing section: ## {heading}"
    return match.group(1)


@pytest.mark.parametrize("page,formula", [(p, f) for p, fs in FORMULAS.items() for f in fs])
def test_key_formula_is_taught_on_its_page(page, formula):
    assert formula in PUNCTUATION.sub("", read(page))


@pytest.mark.parametrize("page", sorted(LESSONS))
def test_lesson_has_every_part_a_trainee_needs(page):
    text = read(page)
    assert len(CJK.findall(text)) >= 3000, "a lesson teaches in about 3,000 to 6,000 characters"
    assert len(CJK.findall(text)) <= 7000
    assert re.search(r"^- |^\d+\. ", section(text, "学习目标"), re.M)
    assert "- [ ]" in section(text, "自查清单")
    assert section(text, "小结").strip()
    questions = re.findall(r"^\d+\. ", section(text, "思考与讨论"), re.M)
    assert len(questions) >= 3
    assert text.count('example "示例') + text.count("示例：") >= 2
    assert f"<!-- exercises: {LESSONS[page]} -->" in section(text, "练习")


def built_ids(site, page: str) -> set[str]:
    html_path = site / page.replace(".md", "") / "index.html"
    if page.endswith("index.md"):
        html_path = site / page.replace("index.md", "") / "index.html"
    return set(re.findall(r'\bid="([^"]+)"', html_path.read_text(encoding="utf-8")))


def anchor_links(text: str) -> list[tuple[str, str]]:
    return re.findall(r"\]\(([\w./-]+\.md)#([^)\s]+)\)", text)


def assert_links_resolve(served_site, links, base=""):
    for page, anchor in links:
        target = (base + page).replace("../", "")
        assert anchor in built_ids(served_site.directory, target), f"{page}#{anchor}"


def test_glossary_has_twenty_terms_each_linked_to_a_real_section(served_site):
    rows = [line for line in read("glossary.md").splitlines() if re.match(r"^\|(?!\s*-)", line)]
    entries = [row for row in rows if anchor_links(row)]
    assert len(entries) >= 20
    for row in entries:
        assert len(anchor_links(row)) == 1, row
    assert_links_resolve(served_site, [anchor_links(row)[0] for row in entries])


def test_checklist_items_each_link_back(served_site):
    items = [line for line in read("checklist.md").splitlines() if line.startswith("- [ ]")]
    assert len(items) >= 15
    for item in items:
        assert anchor_links(item), item
    assert_links_resolve(served_site, [anchor_links(item)[0] for item in items])


def test_trainee_edition_builds_without_the_instructors_notes(project_copy, tmp_path):
    # The notes live in docs/instructors/ and one nav entry: dropping both
    # must leave a site that still builds strictly, without touching the text.
    config = project_copy / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not re.match(r"\s*- .*: instructors/", line)]
    assert len(kept) == len(lines) - 1
    config.write_text("\n".join(kept) + "\n", encoding="utf-8")
    for path in sorted((project_copy / "docs" / "instructors").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (project_copy / "docs" / "instructors").rmdir()
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
