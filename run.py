#!/usr/bin/env python3
"""One entry point for instructors and CI: set up, then build, serve or test.

    python3 run.py build    # build the trainee edition into site/ (strict)
    python3 run.py build --edition instructor   # the instructor edition, into site-instructor/
    python3 run.py serve    # live preview on http://127.0.0.1:8000/ (--edition instructor too)
    python3 run.py zensical # check, then build with Zensical into site-zensical/
    python3 run.py workbook # the workbook as a PDF, into dist/ (--edition instructor: with the answers)
    python3 run.py offline  # the trainee edition as a zip to open from files, into dist/
    python3 run.py check    # check lessons and exercises, without building (--coverage: the table too)
    python3 run.py test     # run every test, browser tests included
    python3 run.py publish  # put site/ on the host as a new release (deploy/publish.py)
    python3 run.py rollback # make the previous release live again
    python3 run.py releases # show the live release and the history

Each command creates .venv and installs the pinned packages on first use
(and again whenever a requirements file changes), so a fresh machine needs
nothing but Python 3.11 or newer. Zensical gets an environment of its own,
.venv-zensical (requirements-zensical.txt), so that its pins never touch MkDocs'.
"""

from __future__ import annotations

import hashlib
import json
import locale
import os
import shutil
import signal
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
SITE = ROOT / "site"
BUILD_REQUIREMENTS = ["requirements.txt"]
PRINT_REQUIREMENTS = ["requirements-print.txt"]
TEST_REQUIREMENTS = ["requirements-test.txt"]
CONSTRAINTS = "constraints.txt"
CHROMIUM_CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "chrome"]
ZENSICAL_VENV = ROOT / ".venv-zensical"
ZENSICAL_SITE = "site-zensical"
ZENSICAL_REQUIREMENTS = "requirements-zensical.txt"
# Puts the project's hooks/ folder on the environment's import path (see link_hooks).
HOOKS_PATH_FILE = "course-hooks.pth"


def fail(message: str) -> None:
    print(f"错误：{message}", file=sys.stderr)
    sys.exit(1)


def venv_python(environment: Path = VENV) -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return environment / scripts / f"python{suffix}"


def ensure_packages(requirement_files: list[str]) -> Path:
    """Create .venv and install the pinned packages unless already current."""
    return install_pinned(VENV, requirement_files, ["requirements.txt", "requirements-print.txt", CONSTRAINTS], CONSTRAINTS)


def ensure_zensical() -> Path:
    """Create .venv-zensical and install Zensical's pinned packages unless already current."""
    return install_pinned(ZENSICAL_VENV, [ZENSICAL_REQUIREMENTS], [], None)


def install_pinned(environment: Path, requirement_files: list[str], also_read: list[str],
                   constraints: str | None) -> Path:
    """The environment's Python, once the requirement files' packages are installed in it.

    A stamp named after a digest of the files says they are: pip runs again
    only when one of them changed.
    """
    if sys.version_info < (3, 11):
        fail("需要 Python 3.11 或更高版本。")
    python = venv_python(environment)
    if not python.exists():
        print(f"正在创建虚拟环境 {environment.name} ……")
        venv.EnvBuilder(with_pip=True).create(environment)
    inputs = requirement_files + also_read
    digest = hashlib.sha256(
        b"".join((ROOT / name).read_bytes() for name in inputs)
    ).hexdigest()[:16]
    stamp = environment / f".installed-{digest}"
    if not stamp.exists():
        print(f"正在向 {environment.name} 安装固定版本的依赖包 ……")
        command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        for name in requirement_files:
            command += ["-r", str(ROOT / name)]
        if constraints:
            command += ["-c", str(ROOT / constraints)]
        if subprocess.call(command) != 0:
            fail("依赖包安装失败，请检查网络能否访问软件包源，然后重试。")
        stamp.touch()
    link_hooks(environment)
    return python


def link_hooks(venv: Path) -> None:
    """Make hooks/ importable in the environment, for the exercises' Markdown extension.

    mkdocs.yml names quiz.extension (hooks/quiz/extension.py), which MkDocs
    and Zensical import while reading the configuration, before any hook is
    loaded. A .pth file in the environment's site-packages adds the folder
    to every Python of the environment; it is written on every run, so that
    a checkout that was moved or copied still finds its own hooks.
    """
    data = _pth_bytes(str(ROOT / "hooks") + "\n")
    for site_packages in sorted(venv.glob("lib/python3*/site-packages")) + sorted(venv.glob("Lib/site-packages")):
        path = site_packages / HOOKS_PATH_FILE
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)


def _pth_bytes(line: str) -> bytes:
    """A .pth line as Python 3.11 reads it: in the locale's encoding (3.13 tries UTF-8 first, then that)."""
    try:
        return line.encode(locale.getpreferredencoding(False))
    except UnicodeEncodeError:
        return line.encode("utf-8")


def find_chromium() -> str | None:
    """Debian's chromium (or the browser named by COURSE_CHROMIUM)."""
    named = os.environ.get("COURSE_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


# Debian packages the tests run against besides the browser: the host a release is
# published to (nginx serving it, an SSH server and rsync to publish over), and
# poppler's tools that read the workbook PDF back.
HOST_TOOLS = {"nginx": "nginx", "sshd": "openssh-server", "rsync": "rsync", "ssh": "openssh-client",
              "pdftotext": "poppler-utils"}
SBIN = ["/usr/sbin", "/sbin"]


def find_host_tool(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path=os.pathsep.join(SBIN))


def apt_install(packages: list[str]) -> bool:
    """Install Debian packages when running as root on Debian; whether it worked."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")):
        return False
    print(f"正在安装测试所需的软件包（apt-get）：{' '.join(packages)}……")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    # No service may start on installing (nginx on port 80, sshd on 22): the tests
    # start their own, on 127.0.0.1. Debian's way to say so is a policy-rc.d that denies.
    policy = Path("/usr/sbin/policy-rc.d")
    ours = not policy.exists()
    if ours:
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
    try:
        subprocess.call(["apt-get", "update", "-qq"], env=env)
        installed = subprocess.call(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], env=env) == 0
    finally:
        if ours:
            policy.unlink()
    keep_services_off(packages)
    return installed


# Services Debian's packages enable at boot on installing; the tests only need the programs.
PACKAGE_SERVICES = {"nginx": ["nginx"], "openssh-server": ["ssh"], "rsync": ["rsync"]}


def keep_services_off(packages: list[str]) -> None:
    """Leave the services of packages installed here disabled at boot, as they were before."""
    for package in packages:
        for service in PACKAGE_SERVICES.get(package, []):
            if shutil.which("deb-systemd-helper"):
                subprocess.call(["deb-systemd-helper", "disable", f"{service}.service"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if shutil.which("update-rc.d") and Path(f"/etc/init.d/{service}").exists():
                subprocess.call(["update-rc.d", service, "disable"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# A Chinese font for the browser: without one Chromium draws each character as a narrow
# box, and a printed page that fits in the tests would not fit on a trainee's PC.
CJK_FONT_PACKAGE = "fonts-wqy-microhei"


def has_cjk_font() -> bool:
    """Whether fontconfig (which Chromium uses) knows a font for Chinese."""
    if not shutil.which("fc-list"):
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    return listed.returncode == 0 and bool(listed.stdout.strip())


def ensure_browser(purpose: str) -> str:
    """Chromium and a Chinese font (installed through apt-get where it can), or a plain message saying how to get them."""
    missing = [] if find_chromium() else ["chromium"]
    if not has_cjk_font():
        missing.append(CJK_FONT_PACKAGE)
    if missing:
        apt_install(missing)
    if not has_cjk_font():
        fail(
            f"{purpose}需要一种中文字体，但本机没有找到（fc-list :lang=zh 没有输出）。"
            f"Debian/Ubuntu 上请以 root 运行：apt-get install {CJK_FONT_PACKAGE}（或 fonts-noto-cjk）。"
        )
    chromium = find_chromium()
    if not chromium:
        fail(
            f"{purpose}需要 Chromium，但本机没有找到。"
            "Debian/Ubuntu 上请以 root 运行：apt-get install chromium；"
            "其他系统请安装 Chromium 或 Chrome，并把环境变量 COURSE_CHROMIUM 设为其可执行文件路径。"
        )
    return chromium


def ensure_test_tools() -> dict[str, str]:
    """The browser and its font, nginx, sshd, rsync and poppler's pdftotext, or a plain message saying how to get them."""
    missing = [package for tool, package in HOST_TOOLS.items() if not find_host_tool(tool)]
    if missing:
        apt_install(missing)
    chromium = ensure_browser("浏览器和打印测试")
    still = [package for tool, package in HOST_TOOLS.items() if not find_host_tool(tool)]
    if still:
        fail(
            f"发布、服务器和 PDF 测试需要 {'、'.join(still)}，但本机没有找到。"
            f"Debian/Ubuntu 上请以 root 运行：apt-get install {' '.join(still)}。"
        )
    return {"COURSE_CHROMIUM": chromium, "COURSE_NGINX": find_host_tool("nginx"), "COURSE_SSHD": find_host_tool("sshd")}


def tool_env(**extra: str) -> dict[str, str]:
    """The environment for MkDocs and pytest: quiet about MkDocs 2, which we do not use."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", **extra)


# The editions (hooks/editions.py): the configuration each is built from, and its folder.
EDITIONS = {"trainee": ("mkdocs.yml", "site"), "instructor": ("mkdocs-instructor.yml", "site-instructor")}


def edition_args(extra: list[str]) -> tuple[str, list[str]]:
    """The edition `--edition NAME` asks for (the trainees' by default), and the other arguments."""
    edition, rest, words = "trainee", [], iter(extra)
    for word in words:
        if word == "--edition" or word.startswith("--edition="):
            edition = word.split("=", 1)[1] if "=" in word else next(words, "")
        else:
            rest.append(word)
    if edition not in EDITIONS:
        fail(f"没有“{edition}”这个版本。可用：--edition trainee（学员版，默认）、--edition instructor（讲师版）。")
    return edition, rest


def mkdocs_build(python: Path, config: str, out: Path, extra: list[str], **env: str) -> int:
    """A strict MkDocs build of `config` into `out`, which is removed again if the build fails."""
    shutil.rmtree(out, ignore_errors=True)
    code = subprocess.call(
        [str(python), "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(out), *extra],
        cwd=ROOT,
        env=tool_env(**env),
    )
    if code != 0:
        shutil.rmtree(out, ignore_errors=True)
    return code


def build(python: Path, extra: list[str]) -> int:
    """Build an edition into a fresh folder, then swap it in: its folder is whole or untouched."""
    edition, extra = edition_args(extra)
    config, folder = EDITIONS[edition]
    site = ROOT / folder
    staging = ROOT / f".site-staging-{os.getpid()}"
    code = mkdocs_build(python, config, staging, extra)
    if code != 0:
        print(f"构建失败，{folder}/ 保持原样。请按上面的提示修改后重试。", file=sys.stderr)
        return code
    retired = ROOT / f".site-retired-{os.getpid()}"
    if site.exists():
        site.rename(retired)
    staging.rename(site)
    shutil.rmtree(retired, ignore_errors=True)
    print(f"构建完成：{site}{os.sep}index.html")
    return 0


def offline_copy(extra: list[str]) -> int:
    """Build the trainee edition to be opened from files (hooks/offline.py), and zip it into dist/."""
    if extra:
        fail(f"offline 命令不带参数（收到：{' '.join(extra)}）。请直接运行：python3 run.py offline")
    python = ensure_packages(BUILD_REQUIREMENTS)
    staging = ROOT / f".site-offline-{os.getpid()}"
    code = mkdocs_build(python, EDITIONS["trainee"][0], staging, [], COURSE_OFFLINE="true")
    if code != 0:
        print("构建失败，没有生成离线副本。请按上面的提示修改后重试。", file=sys.stderr)
        return code
    try:
        return call([sys.executable, str(ROOT / "deploy" / "offline_copy.py"), str(staging), str(DIST)], cwd=ROOT)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# Where the PDFs and the offline copy go (git-ignored).
DIST = ROOT / "dist"
# The page of each edition's build that holds the workbook: docs/workbook.md, and for
# the instructors docs/instructors/workbook.md, which adds the answers as an appendix.
WORKBOOK_PAGES = {"trainee": "workbook/index.html", "instructor": "instructors/workbook/index.html"}


def workbook(extra: list[str]) -> int:
    """Build an edition, then print its workbook page to dist/workbook-EDITION-VERSION.pdf."""
    edition, rest = edition_args(extra)
    if rest:
        fail(f"workbook 命令只接受 --edition（收到：{' '.join(rest)}）。例如：python3 run.py workbook --edition instructor")
    python = ensure_packages(PRINT_REQUIREMENTS)
    chromium = ensure_browser("生成练习册 PDF ")
    code = build(python, ["--edition", edition])
    if code != 0:
        return code
    return call([str(python), str(ROOT / "deploy" / "workbook_pdf.py"), str(ROOT / EDITIONS[edition][1]),
                 WORKBOOK_PAGES[edition], str(DIST), "--chromium", chromium, "--edition", edition],
                cwd=ROOT, env=tool_env())


# The trainee edition's nav and left-out folders (hooks/editions.py), read from mkdocs.yml as MkDocs reads it.
TRAINEE_EDITION = (
    "import json, sys; sys.path.insert(0, 'hooks'); import editions; "
    "from mkdocs.utils.yaml import yaml_load; "
    "nav = yaml_load(open('mkdocs.yml', encoding='utf-8')).get('nav'); "
    "print(json.dumps({'nav': editions.prune_nav(nav, 'trainee'), 'exclude': list(editions.INSTRUCTOR_ONLY)}, ensure_ascii=False))"
)


def trainee_edition(project: Path) -> str:
    """Configuration lines that make a build the trainee edition without hooks: its nav, the folders it leaves out."""
    python = ensure_packages(BUILD_REQUIREMENTS)
    done = subprocess.run([str(python), "-c", TRAINEE_EDITION], cwd=project, env=tool_env(),
                          capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        fail(f"读不出 mkdocs.yml 的导航：{done.stderr.strip()[-500:]}")
    edition = json.loads(done.stdout)
    excluded = "".join(f"\n  {folder}" for folder in edition["exclude"])
    return f"exclude_docs: |{excluded}\nnav: {json.dumps(edition['nav'], ensure_ascii=False)}\n"  # JSON is YAML


def zensical_build(project: Path = ROOT, site_url: str | None = None) -> int:
    """Build `project` with Zensical into its site-zensical/, whole or untouched.

    Zensical does not fail on a logged warning, so the whole-course check
    (run.py check) comes first, in the command. Its .cache/ is keyed on a
    page's Markdown: a lesson whose exercise file alone changed would keep
    its old exercises, so the cache goes before every build. Its output must
    lie inside the project, and mkdocs.yml names none (site/ is MkDocs'):
    a throw-away configuration inherits mkdocs.yml and names the staging folder.
    """
    python = ensure_zensical()
    staging = f".site-zensical-staging-{os.getpid()}"
    config = project / f".zensical-{os.getpid()}.yml"
    shutil.rmtree(project / staging, ignore_errors=True)
    shutil.rmtree(project / ".cache", ignore_errors=True)
    # The trainee edition: Zensical runs no hook, so the instructors' pages are left out here.
    config.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {staging}\n{trainee_edition(project)}", encoding="utf-8")
    env = tool_env(**({"SITE_URL": site_url} if site_url else {}))
    try:
        code = call([str(python), "-m", "zensical", "build", "--strict", "-f", str(config)], cwd=project, env=env)
    finally:
        config.unlink(missing_ok=True)
    if code != 0 or not (project / staging / "index.html").is_file():
        shutil.rmtree(project / staging, ignore_errors=True)
        print(f"Zensical 构建失败，{ZENSICAL_SITE}/ 保持原样。请按上面的提示修改后重试。", file=sys.stderr)
        return code or 1
    site, retired = project / ZENSICAL_SITE, project / f".site-zensical-retired-{os.getpid()}"
    if site.exists():
        site.rename(retired)
    (project / staging).rename(site)
    shutil.rmtree(retired, ignore_errors=True)
    print(f"Zensical 构建完成：{site}{os.sep}index.html")
    return 0


def check(extra: list[str]) -> int:
    """The whole-course check of lessons and exercises (hooks/course_check.py)."""
    python = ensure_packages(BUILD_REQUIREMENTS)
    return subprocess.call(
        [str(python), str(ROOT / "hooks" / "course_check.py"), str(ROOT), *extra],
        cwd=ROOT,
        env=tool_env(PYTHONPATH=str(ROOT / "hooks")),
    )


DEFAULT_ADDRESS = "127.0.0.1:8000"


def serve_address(extra: list[str]) -> tuple[str, list[str]]:
    """The preview's host:port from `--port N` or MkDocs' own `-a HOST:PORT`; the other arguments."""
    address, rest, words = DEFAULT_ADDRESS, [], iter(extra)
    for word in words:
        if word in {"--port", "-a", "--dev-addr"}:
            value = next(words, "")
            address = f"127.0.0.1:{value}" if word == "--port" else value
        elif word.startswith(("--port=", "--dev-addr=")):
            value = word.split("=", 1)[1]
            address = f"127.0.0.1:{value}" if word.startswith("--port=") else value
        else:
            rest.append(word)
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        fail(f"预览地址“{address}”写得不对。请写成 --port 8001，或 -a 127.0.0.1:8001 这样的“主机:端口”。")
    return address, rest


def port_taken(address: str) -> bool:
    """Whether the preview could not listen there (checked as MkDocs' server binds: reuse allowed)."""
    host, _, port = address.rpartition(":")
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), int(port)))
        except OSError:
            return True
    return False


def serve(extra: list[str]) -> int:
    python = ensure_packages(BUILD_REQUIREMENTS)
    edition, extra = edition_args(extra)
    address, rest = serve_address(extra)
    rest = ["-f", EDITIONS[edition][0], *rest]
    if port_taken(address):
        port = int(address.rpartition(":")[2])
        fail(
            f"预览用的地址 {address} 已被占用（可能另一个预览窗口还开着）。"
            f"请先关掉它（在它的窗口按 Ctrl+C），或换一个端口：python3 run.py serve --port {port + 1}"
        )
    code = call([str(python), "-m", "mkdocs", "serve", "-a", address, *rest], cwd=ROOT, env=tool_env())
    if code in INTERRUPTED:
        print("预览已停止。")
        return 0
    return code


# How a child that Ctrl+C stopped ends: killed by SIGINT, or exiting with 130.
INTERRUPTED = {-signal.SIGINT, 128 + signal.SIGINT}


def call(command: list[str], **options) -> int:
    """Run a child to its end. Ctrl+C reaches the child as well; here it only waits for it."""
    child = subprocess.Popen(command, **options)
    interrupted = False
    while True:
        try:
            code = child.wait()
        except KeyboardInterrupt:
            interrupted = True
            continue
        return -signal.SIGINT if interrupted and code == 0 else code


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"build", "serve", "check", "zensical", "workbook", "offline", "test", "publish", "rollback", "releases"}:
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    if command in {"publish", "rollback", "releases"}:
        # The standard library only: CI publishes with whatever Python it has.
        return subprocess.call([sys.executable, str(ROOT / "deploy" / "publish.py"), command, *extra], cwd=ROOT)
    if command == "build":
        return build(ensure_packages(BUILD_REQUIREMENTS), extra)
    if command == "check":
        return check(extra)
    if command == "workbook":
        return workbook(extra)
    if command == "offline":
        return offline_copy(extra)
    if command == "zensical":
        if extra:
            fail(f"zensical 命令不带参数（收到：{' '.join(extra)}）。请直接运行：python3 run.py zensical")
        return check([]) or zensical_build()
    if command == "serve":
        return serve(extra)
    python = ensure_packages(TEST_REQUIREMENTS)
    # tests/test_zensical.py builds the course with Zensical too.
    ensure_zensical()
    env = tool_env(**ensure_test_tools())
    return subprocess.call([str(python), "-m", "pytest", *extra], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
