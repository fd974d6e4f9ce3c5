"""Material's search worker as the site ships it: the course's search in front, and a one-character fix.

The course's search (search_query.js beside this file) is put in front of
the worker's own code: it answers the worker's messages itself (see there),
and leaves them to Material's code only if it cannot set up. That code keeps
the fix below, for that case.

The worker splits a Chinese query into words it finds in the index, but its
loop stops one character short (`end < query.length`), so a query that is
itself an indexed word, such as 信息报送 or 为谁报, is never looked up whole:
it becomes 信息* 报*, and pages that merely share a first character rank
above the section that teaches the term. The fix lets the loop reach the end
(`end <= query.length`) in the copy of the worker written into the site.

The pattern is matched on the minified bundle of the pinned Material
release; if an upgrade changes it, the build stops and says so rather than
shipping a search that quietly got worse.
"""

from __future__ import annotations

import re
from pathlib import Path

WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"
COURSE_SEARCH = Path(__file__).with_name("search_query.js")

# for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)
SHORT_LOOP = re.compile(
    r"(for\(let (\w+)=(\w+)\+1;\2)<((\w+)\.length;\2\+\+\)\5\.slice\(\3,\2\)in )"
)


class WorkerPatchError(Exception):
    """The worker no longer looks as expected; the message is for people."""


def fix_query_segmentation(source: str) -> str:
    """Return the worker source with the segmentation loop reaching the end."""
    patched, count = SHORT_LOOP.subn(r"\1<=\4", source)
    if count != 1:
        raise WorkerPatchError(
            "搜索组件的中文查询切分代码与预期不符（可能升级了 mkdocs-material）："
            "请检查 hooks/search_worker.py 是否仍然需要、仍然适用。"
        )
    return patched


def patch_site(site_dir: Path) -> Path:
    """Fix the worker written into `site_dir`; return its path."""
    workers = sorted(site_dir.glob(WORKER_GLOB))
    if len(workers) != 1:
        raise WorkerPatchError(f"{site_dir}：没有找到唯一的搜索组件脚本（{WORKER_GLOB}）。")
    worker = workers[0]
    source = worker.read_text(encoding="utf-8")
    worker.write_text(with_course_search(fix_query_segmentation(source)), encoding="utf-8")
    return worker


# How Material's worker takes its messages; the course's search wraps exactly this call.
MESSAGE_LISTENER = 'addEventListener("message",'


def with_course_search(source: str) -> str:
    """The worker with the course's search in front of Material's code (which it wraps as it loads)."""
    if source.count(MESSAGE_LISTENER) != 1:
        raise WorkerPatchError(
            "搜索组件接收消息的方式与预期不符（可能升级了 mkdocs-material）：本课程的搜索无法接管，"
            "请检查 hooks/search_worker.py 和 hooks/search_query.js 是否仍然适用。"
        )
    return COURSE_SEARCH.read_text(encoding="utf-8") + "\n" + source
