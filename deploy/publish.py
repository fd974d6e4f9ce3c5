"""Publish the built site to the static host as a new release, or roll back.

    python3 run.py publish  [--target T] [--keep N] [--site DIR]
    python3 run.py rollback [--target T]
    python3 run.py releases [--target T]

T is a local or mounted folder (/srv/course) or a folder on another host
over SSH (deploy@intranet-host:/srv/course); by default it comes from the
environment variable PUBLISH_TARGET. Files are copied with rsync into a
new release folder, then deploy/release.sh makes it live with one atomic
rename on the host. Only the standard library: CI calls this with any
Python 3.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RELEASE_SCRIPT = HERE / "release.sh"
DEFAULT_KEEP = 5
# user@host:/path or host:path, but not C:\path.
REMOTE = re.compile(r"^(?P<host>[^/:\s]{2,}):(?P<path>.+)$")


class PublishError(Exception):
    """A reason not to publish, for the administrator, in Chinese."""


class Target:
    """Where releases live: a folder here or on a host reached by SSH."""

    def __init__(self, spec: str):
        match = REMOTE.match(spec)
        self.spec = spec
        self.host = match["host"] if match else None
        self.path = match["path"] if match else str(Path(spec).resolve())

    def ssh(self) -> list[str]:
        command = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes"]
        if os.environ.get("PUBLISH_SSH_PORT"):
            command += ["-p", os.environ["PUBLISH_SSH_PORT"]]
        if os.environ.get("PUBLISH_SSH_KEY"):
            command += ["-i", os.environ["PUBLISH_SSH_KEY"], "-o", "IdentitiesOnly=yes"]
        if os.environ.get("PUBLISH_SSH_KNOWN_HOSTS"):
            command += ["-o", f"UserKnownHostsFile={os.environ['PUBLISH_SSH_KNOWN_HOSTS']}"]
        return command

    def rsync_destination(self, folder: str) -> str:
        path = f"{self.path.rstrip('/')}/{folder}/"
        return f"{self.host}:{path}" if self.host else path

    def run_release_script(self, *args: str) -> str:
        command = ["sh", "-s", "--", args[0], self.path, *args[1:]]
        if self.host:
            # ssh hands the remote shell one string: quote each word for it.
            command = self.ssh() + [self.host, " ".join(shlex.quote(word) for word in command)]
        done = subprocess.run(command, input=RELEASE_SCRIPT.read_bytes(), capture_output=True)
        out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
        if done.returncode != 0:
            raise PublishError(out.strip() or f"{' '.join(command[:3])} 失败（退出码 {done.returncode}）。")
        return out.strip()


def tree_digest(site: Path) -> str:
    """Changes whenever any file of the site does: the same site is the same release."""
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(path.relative_to(site).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def release_id(site: Path, version: dict) -> str:
    date = version.get("date", "").replace("-", "") or "undated"
    commit = (version.get("commit") or "nocommit")[:10]
    return f"{date}-{commit}-{tree_digest(site)[:8]}"


def read_version(site: Path) -> dict:
    try:
        return json.loads((site / "version.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise PublishError(
            f"{site} 不是一次完整的构建（缺少 version.json）。请先运行 python3 run.py build，构建成功后再发布。"
        ) from None


def check_site(site: Path, allow_modified: bool = False) -> dict:
    """Only a whole, successful build of the commit at hand is published; its version.json."""
    if not (site / "index.html").is_file():
        raise PublishError(f"{site} 中没有 index.html。请先运行 python3 run.py build，构建成功后再发布。")
    version = read_version(site)
    if allow_modified:
        return version
    if version.get("modified"):
        raise PublishError("site/ 是用含未提交修改的文件构建的，不能发布。请提交修改后重新构建。")
    head = _git_head(ROOT)
    if head and version.get("commit") and head != version["commit"]:
        raise PublishError(
            f"site/ 是提交 {version['commit'][:10]} 构建的，而当前是 {head[:10]}。请重新运行 python3 run.py build。"
        )
    return version


def _git_head(folder: Path) -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def publish(site: Path, target: Target, keep: int, allow_modified: bool = False) -> str:
    ident = release_id(site, check_site(site, allow_modified))
    incoming = f"releases/.incoming-{ident}"
    # Files unchanged since the live release are hard-linked, not sent again. --checksum,
    # because a file with the same size and time is not necessarily the same file.
    rsync = ["rsync", "-a", "--delete", "--mkpath", "--checksum", "--link-dest=../../current/"]
    # The administrator's extra rsync options, e.g. --bwlimit or --chmod.
    rsync += shlex.split(os.environ.get("PUBLISH_RSYNC_OPTIONS", ""))
    if target.host:
        rsync += ["-e", " ".join(target.ssh())]
    done = subprocess.run(rsync + [f"{site}/", target.rsync_destination(incoming)], capture_output=True, text=True)
    if done.returncode != 0:
        raise PublishError(f"复制文件失败，线上站点未改动：\n{done.stderr.strip()}")
    return target.run_release_script("activate", ident, str(keep))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="run.py", description="发布课程网站，或回滚到上一个版本。")
    parser.add_argument("command", choices=["publish", "rollback", "releases"])
    parser.add_argument("--target", default=os.environ.get("PUBLISH_TARGET"),
                        help="发布目录，或 用户@主机:目录（默认取环境变量 PUBLISH_TARGET）")
    # A string default goes through type=int too: a bad PUBLISH_KEEP gets argparse's message.
    parser.add_argument("--keep", type=int, default=os.environ.get("PUBLISH_KEEP") or str(DEFAULT_KEEP),
                        help=f"保留最近几个版本（默认 {DEFAULT_KEEP}，或环境变量 PUBLISH_KEEP）")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="要发布的站点目录（默认 site/）")
    parser.add_argument("--allow-modified", action="store_true",
                        help="也发布用未提交的修改构建的站点（仅供试验，CI 不要用）")
    args = parser.parse_args(argv)
    if not args.target:
        print("发布失败：没有指定发布目标。请用 --target 指定，或设置环境变量 PUBLISH_TARGET。", file=sys.stderr)
        return 2
    target = Target(args.target)
    try:
        if args.command == "publish":
            print(publish(args.site.resolve(), target, args.keep, args.allow_modified))
        elif args.command == "rollback":
            print(target.run_release_script("rollback"))
        else:
            print(target.run_release_script("status"))
    except PublishError as error:
        print(f"发布失败：{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
