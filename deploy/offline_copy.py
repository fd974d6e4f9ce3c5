"""Pack a built offline copy of the trainee edition into a zip that is the same bytes for the same build.

    python deploy/offline_copy.py SITE OUT_DIR

`python3 run.py offline` builds the trainee edition with Material's offline
plugin on (hooks/offline.py), then runs this. The zip holds one folder named
like the zip, so that unzipping gives a folder to open index.html in. It is
reproducible: entries in sorted order, every entry dated by the build's
version.json (the commit's date, not the clock's), fixed permissions, one
compression level; the build itself is reproducible for a commit
(hooks/release_info.py). It is written beside its final name and renamed (whole_file): a zip of
that name is whole or absent. Only the standard library.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

from built_site import NotBuilt, file_part, release
from whole_file import write_whole

COMPRESSION = zipfile.ZIP_DEFLATED
LEVEL = 9
FILE_MODE = 0o644
# A zip cannot date anything before 1980; a build without a known date gets this.
EARLIEST = (1980, 1, 1, 0, 0, 0)


class PackError(Exception):
    """Why no zip was made; the message is for people."""


def zip_name(info: dict) -> str:
    """course-offline-1.0-17c1777.zip: the course version and the commit it was built from."""
    parts = ["course-offline", file_part(info.get("version", "")) or "unversioned"]
    if info.get("commit"):
        parts.append(file_part(info["commit"])[:7])
    if info.get("modified"):
        parts.append("modified")
    return "-".join(parts) + ".zip"


def entry_date(info: dict) -> tuple:
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(info.get("date", "")))
    if not found:
        return EARLIEST
    return max(EARLIEST, (int(found[1]), int(found[2]), int(found[3]), 0, 0, 0))


def files_of(site: Path) -> list[Path]:
    """Every regular file of the site, in an order that does not depend on the file system."""
    found = [path for path in site.rglob("*") if path.is_file() and not path.is_symlink()]
    return sorted(found, key=lambda path: path.relative_to(site).as_posix())


def pack(site: Path, folder: str, date: tuple) -> bytes:
    """The zip's bytes: every file of `site` under `folder/`, dated `date`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", COMPRESSION, compresslevel=LEVEL) as archive:
        for path in files_of(site):
            entry = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", date_time=date)
            entry.compress_type = COMPRESSION
            entry.external_attr = (0o100000 | FILE_MODE) << 16
            entry.create_system = 3  # Unix, whatever system packs it: the permissions mean the same
            archive.writestr(entry, path.read_bytes(), compresslevel=LEVEL)
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("用法：python deploy/offline_copy.py 站点目录 输出目录", file=sys.stderr)
        return 2
    site, out_dir = Path(argv[0]), Path(argv[1])
    try:
        if not (site / "index.html").is_file():
            raise PackError(f"{site} 里没有 index.html：请用 python3 run.py offline 构建。")
        info = release(site, "python3 run.py offline")
        name = zip_name(info)
        write_whole(out_dir / name, pack(site, name.removesuffix(".zip"), entry_date(info)))
    except (PackError, NotBuilt, OSError) as error:
        print(f"错误：离线副本没有生成。{error}", file=sys.stderr)
        return 1
    print(f"离线副本已生成：{out_dir / name}（解压后打开其中的 index.html）")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
