"""The host a release is published to, started by the tests on 127.0.0.1.

nginx with the shipped configuration (deploy/nginx/course-site.conf) and an
OpenSSH server with throw-away keys: Debian's packages, which the test
command installs. Each is stopped by whoever started it.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "course-site.conf"
PUBLISH = ROOT / "deploy" / "publish.py"
SBIN = os.pathsep.join(["/usr/sbin", "/sbin", os.environ.get("PATH", "")])


def tool(name: str, variable: str) -> str:
    found = os.environ.get(variable) or shutil.which(name, path=SBIN)
    if not found:
        raise RuntimeError(f"没有找到 {name}：请用 README 中的测试命令（python3 run.py test）运行，它会安装所需的软件包。")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not listen on {port}:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def publish(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """deploy/publish.py as CI runs it."""
    return subprocess.run(
        [sys.executable, str(PUBLISH), *args], capture_output=True, text=True, timeout=300,
        env=dict(os.environ, **(env or {})),
    )


class Nginx:
    """nginx serving `target`/current under /training/ with the shipped server block."""

    def __init__(self, target: Path, workdir: Path):
        self.target, self.workdir = target, workdir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/training/"
        self.process = None

    def server_block(self) -> str:
        text = NGINX_CONF.read_text(encoding="utf-8")
        for old, new in (("listen 80;", f"listen 127.0.0.1:{self.port};"), ("/srv/course/", f"{self.target}/")):
            if old not in text:
                raise AssertionError(f"{NGINX_CONF.name} no longer contains {old!r}")
            text = text.replace(old, new)
        return text

    def start(self) -> "Nginx":
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "course-site.conf").write_text(self.server_block(), encoding="utf-8")
        mime = Path("/etc/nginx/mime.types")
        # As root, nginx's workers would drop to nobody, who may not read a test's temp folder.
        user = "user root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
        temp = "".join(f"{kind}_temp_path {self.workdir}/{kind};\n" for kind in
                       ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (self.workdir / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {self.workdir}/nginx.pid;\nerror_log {self.workdir}/error.log;\n"
            "events { worker_connections 64; }\n"
            "http {\n"
            f"  {'include ' + str(mime) + ';' if mime.exists() else ''}\n"
            "  default_type application/octet-stream;\n  access_log off;\n"
            f"  {temp}"
            f"  include {self.workdir}/course-site.conf;\n"
            "}\n",
            encoding="utf-8",
        )
        log = self.workdir / "stderr.log"
        self.process = subprocess.Popen(
            [tool("nginx", "COURSE_NGINX"), "-p", str(self.workdir), "-c", str(self.workdir / "nginx.conf"),
             "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=log.open("wb"),
        )
        wait_for_port(self.port, self.process, log)
        return self

    def stop(self) -> None:
        if self.process:
            stop(self.process)


class SSHServer:
    """OpenSSH on 127.0.0.1 accepting one throw-away key for the current user."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.user = getpass.getuser()
        self.process = None

    def start(self) -> "SSHServer":
        w = self.workdir
        w.mkdir(parents=True, exist_ok=True)
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(w / name)], check=True)
        shutil.copy(w / "client_key.pub", w / "authorized_keys")
        host_key = (w / "host_key.pub").read_text().split()
        (w / "known_hosts").write_text(f"[127.0.0.1]:{self.port} {host_key[0]} {host_key[1]}\n")
        (w / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {w}/host_key\nPidFile {w}/sshd.pid\n"
            f"AuthorizedKeysFile {w}/authorized_keys\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nPermitRootLogin prohibit-password\n"
            "StrictModes no\nUsePAM no\n"
        )
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            Path("/run/sshd").mkdir(parents=True, exist_ok=True)  # its privilege-separation folder
        log = w / "sshd.log"
        self.process = subprocess.Popen(
            [tool("sshd", "COURSE_SSHD"), "-D", "-e", "-f", str(w / "sshd_config")],
            stdout=subprocess.DEVNULL, stderr=log.open("wb"),
        )
        wait_for_port(self.port, self.process, log)
        return self

    def client_env(self) -> dict[str, str]:
        """What an administrator sets in CI for publishing over SSH."""
        return {
            "PUBLISH_SSH_PORT": str(self.port),
            "PUBLISH_SSH_KEY": str(self.workdir / "client_key"),
            "PUBLISH_SSH_KNOWN_HOSTS": str(self.workdir / "known_hosts"),
        }

    def target(self, path: Path) -> str:
        return f"{self.user}@127.0.0.1:{path}"

    def stop(self) -> None:
        if self.process:
            stop(self.process)


class EditionsNginx(Nginx):
    """The shipped server block serving both editions: the trainee one from `target`/current under
    /training/, the instructor one from `instructor_target`/current under /training-instructor/,
    behind basic auth with the password file `password_file`. With `allow`, the documented
    allow-list is switched on as an administrator would, its first address replaced by `allow`;
    `satisfy_any` switches on its satisfy line too."""

    ALLOW_LIST = ("        # allow 192.0.2.0/24;\n", "        # allow 198.51.100.7;\n", "        # deny all;\n")
    SATISFY_ANY = "        # satisfy any;\n"

    def __init__(self, target: Path, instructor_target: Path, password_file: Path, workdir: Path,
                 allow: str | None = None, satisfy_any: bool = False):
        super().__init__(target, workdir)
        self.instructor_target, self.password_file = instructor_target, password_file
        self.allow, self.satisfy_any = allow, satisfy_any
        self.instructor_url = f"http://127.0.0.1:{self.port}/training-instructor/"

    def server_block(self) -> str:
        text = super().server_block()
        for old, new in (("/srv/course-instructor/", f"{self.instructor_target}/"),
                         ("/etc/nginx/course-instructor.htpasswd", str(self.password_file))):
            if old not in text:
                raise AssertionError(f"{NGINX_CONF.name} no longer contains {old!r}")
            text = text.replace(old, new)
        switched = (self.ALLOW_LIST if self.allow else ()) + ((self.SATISFY_ANY,) if self.satisfy_any else ())
        for line in switched:
            if text.count(line) != 1:
                raise AssertionError(f"{NGINX_CONF.name} no longer offers {line.strip()!r} once")
            text = text.replace(line, line.replace("# ", "", 1))
        if self.allow:
            text = text.replace("allow 192.0.2.0/24;", f"allow {self.allow};", 1)
        return text


def apr1_entry(user: str, password: str) -> str:
    """One line of an nginx password file, made the documented way (openssl passwd -apr1)."""
    hashed = subprocess.run(["openssl", "passwd", "-apr1", "-stdin"], input=password, capture_output=True,
                            text=True, check=True, timeout=30).stdout.strip()
    return f"{user}:{hashed}\n"
