"""The strict build: it passes on the course and fails loudly on broken links."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, mkdocs_build


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_course_builds_strict(tmp_path):
    result = mkdocs_build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").exists()


def test_broken_link_fails_and_names_the_page(project_copy, tmp_path):
    append(project_copy / "docs" / "introduction.md", "\n[坏链接](no-such-page.md)\n")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "introduction.md" in result.stderr
    assert "no-such-page.md" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_anchor_fails_and_names_the_page(project_copy, tmp_path):
    append(project_copy / "docs" / "index.md", "\n[坏锚点](introduction.md#并不存在的小节)\n")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "index.md" in result.stderr
    assert "并不存在的小节" in result.stderr


def test_chinese_heading_anchor_is_readable_and_linkable(project_copy, tmp_path):
    # The anchor keeps the heading's Chinese (punctuation dropped), so links
    # like positioning/#为谁报报什么 written by hand keep working.
    # A ### heading: a new ## would be a teaching section the course policy wants exercises for.
    append(project_copy / "docs" / "introduction.md", "\n### 为谁报、报什么\n\n正文。\n")
    append(project_copy / "docs" / "index.md", "\n[跳转](introduction.md#为谁报报什么)\n")
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "introduction" / "index.html").read_text(encoding="utf-8")
    assert 'id="为谁报报什么"' in html


def test_no_heading_gets_a_numbered_anchor(served_site):
    for page in served_site.directory.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        ids = re.findall(r'<h[1-6][^>]* id="([^"]+)"', html)
        numbered = [anchor for anchor in ids if re.fullmatch(r"_\d+", anchor)]
        assert not numbered, f"{page}: {numbered}"


def test_site_url_comes_from_the_environment(served_site):
    sitemap = (served_site.directory / "sitemap.xml").read_text(encoding="utf-8")
    assert served_site.base_url + "introduction/" in sitemap


def test_missing_jieba_fails_the_build(project_copy, tmp_path, monkeypatch):
    # A stand-in package that cannot be imported, shadowing the real jieba.
    blocker = tmp_path / "blocker" / "jieba"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('blocked by test')\n")
    monkeypatch.setenv("PYTHONPATH", str(blocker.parent))
    result = mkdocs_build(project_copy, tmp_path / "site")
    assert result.returncode != 0
    assert "未安装中文分词库 jieba" in result.stderr
    assert "Traceback" not in result.stderr
