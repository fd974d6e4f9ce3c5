"""Print a built edition's workbook page to an A4 PDF with headless Chromium.

    python deploy/workbook_pdf.py SITE PAGE OUT_DIR --chromium PATH --edition NAME

`python3 run.py workbook [--edition instructor]` builds the edition, then
runs this in .venv (it needs Playwright, requirements-print.txt). The page is
opened from the folder over file://, so nothing is served and nothing outside
is asked for: a request for anything but a file of the site is refused and
stops the print. The site's print stylesheet lays the pages out (a sheet per
lesson, no navigation); Chromium adds the footer: edition, course version,
page number. The PDF is written beside its final name and renamed: a file of
that name is whole or absent.
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
from pathlib import Path

from chromium_flags import CHROMIUM_ARGS
from built_site import NotBuilt, file_part, release
from whole_file import write_whole

# Room below the text for the footer Chromium draws; the sides and top as the print stylesheet has them.
MARGINS = {"top": "12mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
FOOTER = (
    '<div style="width:100%;font-size:8pt;color:#444;text-align:center;">'
    '{label} · 第 <span class="pageNumber"></span> / <span class="totalPages"></span> 页</div>'
)
# How long a page may take to load from disk before the print gives up (milliseconds).
LOAD_TIMEOUT = 60_000


class PrintError(Exception):
    """Why no PDF was made; the message is for people."""


def pdf_name(edition: str, info: dict) -> str:
    """workbook-trainee-1.0.pdf: the edition and the course version, so that printed copies can be told apart."""
    return f"workbook-{edition}-{file_part(info.get('version', '')) or 'unversioned'}.pdf"


def footer_label(info: dict) -> str:
    parts = [f"练习册（{info.get('edition', '')}）", f"版本 {info.get('version', '未标注')}"]
    if info.get("date"):
        parts[-1] += f"（{info['date']}）"
    return html.escape(" · ".join(parts))


def print_pdf(page_file: Path, chromium: str, label: str) -> bytes:
    from playwright.sync_api import Error, sync_playwright

    outside: list[str] = []

    def only_the_site(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with tempfile.TemporaryDirectory(prefix="course-print-") as profile, sync_playwright() as playwright:
        try:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        except Error as error:
            raise PrintError(f"Chromium 启动失败：{str(error).splitlines()[0]}") from error
        try:
            page = context.new_page()
            page.route("**/*", only_the_site)
            page.goto(page_file.resolve().as_uri(), wait_until="load", timeout=LOAD_TIMEOUT)
            page.evaluate("document.fonts.ready.then(() => true)")
            if outside:
                raise PrintError(f"练习册页面请求了站外地址（内网用不了）：{outside[0]}")
            return page.pdf(format="A4", print_background=True, display_header_footer=True,
                            header_template="<span></span>", footer_template=FOOTER.format(label=label),
                            margin=MARGINS)
        except Error as error:
            raise PrintError(f"Chromium 打印时出错：{str(error).splitlines()[0]}") from error
        finally:
            context.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("page")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--edition", required=True)
    args = parser.parse_args(argv)
    page_file = args.site / args.page
    try:
        if not page_file.is_file():
            raise PrintError(f"构建结果里没有练习册页面 {page_file}：请确认导航中有含 <!-- exercise-workbook --> 的页面。")
        info = release(args.site, "python3 run.py build")
        data = print_pdf(page_file, args.chromium, footer_label(info))
        out = args.out_dir / pdf_name(args.edition, info)
        write_whole(out, data)
    except (PrintError, NotBuilt, OSError) as error:
        print(f"错误：练习册 PDF 没有生成。{error}", file=sys.stderr)
        return 1
    print(f"练习册 PDF 已生成：{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
