"""Publish the built site to the static host as a new release, or roll back.

    python3 run.py publish  [--target T] [--keep N] [--wait S] [--site DIR]
    python3 run.py rollback [--target T] [--wait S]
    python3 run.py releases [--target T]

T is a local or mounted folder (/srv/course) or a folder on another host
over SSH (deploy@intranet-host:/srv/course); by default it comes from the
environment variable PUBLISH_TARGET. deploy/release.sh, piped to a shell on
the host, locks the target for the whole publish; files are copied with
rsync into a new folder meanwhile, then the same script makes it live with
one atomic rename. A second publish or rollback of the same target waits for
the lock (at most S seconds, then refuses). Only the standard library: CI
calls this with any Python 3.
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
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RELEASE_SCRIPT = HERE / "release.sh"
DEFAULT_KEEP = 5
# Long enough for another pipeline's copy and switch to end, short enough that a stuck one is noticed.
DEFAULT_WAIT = 300
# release.sh's exit status when the new release is live but something after the switch went wrong.
LIVE_WITH_PROBLEMS = 3
# user@host:/path or host:path, but not C:\path.
REMOTE = re.compile(r"^(?P<host>[^/:\s]{2,}):(?P<path>.+)$")


class PublishError(Exception):
    """A reason not to publish, for the administrator, in Chinese."""


class LiveWithProblems(Exception):
    """The switch was made, and something after it went wrong: what is live, and what went wrong."""

    def __init__(self, output: str, problems: str):
        super().__init__(problems)
        self.output = output


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

    def release_command(self, *args: str) -> list[str]:
        command = ["sh", "-s", "--", args[0], self.path, *args[1:]]
        if self.host:
            # ssh hands the remote shell one string: quote each word for it.
            command = self.ssh() + [self.host, " ".join(shlex.quote(word) for word in command)]
        return command

    def run_release_script(self, *args: str) -> str:
        try:
            done = subprocess.run(self.release_command(*args), input=RELEASE_SCRIPT.read_bytes(), capture_output=True)
        except OSError as error:
            raise PublishError(f"无法运行 {self.release_command(*args)[0]}（{error.strerror}）。请先安装它。") from None
        return self.outcome(done.returncode, done.stdout, done.stderr)

    def outcome(self, code: int, stdout: bytes, stderr: bytes) -> str:
        out = stdout.decode("utf-8", "replace").strip()
        err = stderr.decode("utf-8", "replace").strip()
        if code == LIVE_WITH_PROBLEMS:
            raise LiveWithProblems(out, err)
        if code == 255 and self.host:
            raise PublishError(f"无法通过 SSH 连接 {self.host}，线上站点未改动：\n{err}")
        if code != 0:
            raise PublishError(err or f"{RELEASE_SCRIPT.name} 失败（退出码 {code}）。")
        return out


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


def publish(site: Path, target: Target, keep: int, wait: int, allow_modified: bool = False) -> str:
    ident = release_id(site, check_site(site, allow_modified))
    errors = tempfile.TemporaryFile()
    # The session holds the target's lock from here until it has switched and pruned: another
    # run's copy, switch or prune never overlaps ours. Its stdin ends if we stop for any reason,
    # and then it removes our copy and lets go.
    session = start(target.release_command("publish", ident, str(keep), str(wait)), errors)
    try:
        try:
            session.stdin.write(RELEASE_SCRIPT.read_bytes())
            session.stdin.flush()
        except BrokenPipeError:
            pass  # it ended before reading the script: its exit status and messages say why
        ready = session.stdout.readline().decode("utf-8", "replace").split()
        if len(ready) != 2 or ready[0] != "ready":
            finish(session, b"")
            target.outcome(session.returncode, b"", read_all(errors))
            raise PublishError(f"{RELEASE_SCRIPT.name} 没有开始发布（退出码 {session.returncode}），线上站点未改动。")
        copied = copy(site, target, f"releases/{ready[1]}")
        finish(session, b"go\n" if copied.returncode == 0 else b"")
        if copied.returncode != 0:
            raise PublishError(f"复制文件失败，线上站点未改动：\n{copied.stderr.strip()}")
        return target.outcome(session.returncode, session.stdout.read(), read_all(errors))
    finally:
        if session.poll() is None:
            # Interrupted (Ctrl-C): the end of its input makes it clean up and let go of the lock.
            try:
                session.stdin.close()
                session.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                session.kill()
                session.wait()
        errors.close()


def start(command: list[str], errors) -> subprocess.Popen:
    try:
        return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
    except OSError as error:
        raise PublishError(f"无法运行 {command[0]}（{error.strerror}），线上站点未改动。请先安装它。") from None


def copy(site: Path, target: Target, folder: str) -> subprocess.CompletedProcess:
    # Files unchanged since the live release are hard-linked, not sent again. --checksum,
    # because a file with the same size and time is not necessarily the same file.
    rsync = ["rsync", "-a", "--delete", "--checksum", "--link-dest=../../current/"]
    # The administrator's extra rsync options, e.g. --bwlimit or --chmod.
    rsync += shlex.split(os.environ.get("PUBLISH_RSYNC_OPTIONS", ""))
    if target.host:
        rsync += ["-e", " ".join(target.ssh())]
    try:
        return subprocess.run(rsync + [f"{site}/", target.rsync_destination(folder)], capture_output=True, text=True)
    except OSError as error:
        raise PublishError(f"无法运行 rsync（{error.strerror}），线上站点未改动。请先安装 rsync。") from None


def finish(session: subprocess.Popen, answer: bytes) -> None:
    """Tell the session to go on (or, with nothing, to stop) and wait for it to end."""
    try:
        session.stdin.write(answer)
        session.stdin.close()
    except BrokenPipeError:
        pass
    session.wait()


def read_all(file) -> bytes:
    file.seek(0)
    return file.read()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="run.py", description="发布课程网站，或回滚到上一个版本。")
    parser.add_argument("command", choices=["publish", "rollback", "releases"])
    parser.add_argument("--target", default=os.environ.get("PUBLISH_TARGET"),
                        help="发布目录，或 用户@主机:目录（默认取环境变量 PUBLISH_TARGET）")
    # A string default goes through type=int too: a bad PUBLISH_KEEP gets argparse's message.
    parser.add_argument("--keep", type=int, default=os.environ.get("PUBLISH_KEEP") or str(DEFAULT_KEEP),
                        help=f"保留最近几个版本（默认 {DEFAULT_KEEP}，或环境变量 PUBLISH_KEEP）")
    parser.add_argument("--wait", type=int, default=os.environ.get("PUBLISH_LOCK_WAIT") or str(DEFAULT_WAIT),
                        help=f"另一次发布或回滚正在进行时最多等几秒（默认 {DEFAULT_WAIT}，或环境变量 PUBLISH_LOCK_WAIT）")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="要发布的站点目录（默认 site/）")
    parser.add_argument("--allow-modified", action="store_true",
                        help="也发布用未提交的修改构建的站点（仅供试验，CI 不要用）")
    args = parser.parse_args(argv)
    if not args.target:
        print("发布失败：没有指定发布目标。请用 --target 指定，或设置环境变量 PUBLISH_TARGET。", file=sys.stderr)
        return 2
    # Checked before anything is copied: a bad number should cost nothing.
    if args.keep < 1:
        print(f"发布失败：--keep（或环境变量 PUBLISH_KEEP）是保留的版本数，应为正整数，现在是 {args.keep}。", file=sys.stderr)
        return 2
    if args.wait < 0:
        print(f"发布失败：--wait（或环境变量 PUBLISH_LOCK_WAIT）是等待的秒数，应为不小于 0 的整数，现在是 {args.wait}。",
              file=sys.stderr)
        return 2
    target = Target(args.target)
    try:
        if args.command == "publish":
            print(publish(args.site.resolve(), target, args.keep, args.wait, args.allow_modified))
        elif args.command == "rollback":
            print(target.run_release_script("rollback", str(args.wait)))
        else:
            print(target.run_release_script("status"))
    except LiveWithProblems as live:
        print(live.output)
        print(live, file=sys.stderr)
        return 1
    except PublishError as error:
        print(f"发布失败：{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
