"""run.py as an instructor meets it: the preview's port, Ctrl+C, and what set-up changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))
import run  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_py(*args: str, **options) -> subprocess.Popen:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), *args], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **options,
    )


def test_serve_on_a_taken_port_says_so_in_chinese_and_how_to_choose_another():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        child = run_py("serve", "--port", str(port))
        out, _ = child.communicate(timeout=120)
    assert child.returncode == 1
    assert f"127.0.0.1:{port} 已被占用" in out
    assert f"python3 run.py serve --port {port + 1}" in out
    assert "Traceback" not in out


def test_a_bad_port_is_refused_plainly():
    child = run_py("serve", "--port", "八千")
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 1
    assert "预览地址" in out and "--port 8001" in out
    assert "Traceback" not in out


def test_ctrl_c_ends_the_preview_quietly():
    port = free_port()
    child = run_py("serve", "--port", str(port), start_new_session=True)
    lines = []
    deadline = time.monotonic() + 120
    try:
        for line in child.stdout:
            lines.append(line)
            if f"Serving on http://127.0.0.1:{port}/" in line or time.monotonic() > deadline:
                break
        assert any("Serving on" in line for line in lines), "".join(lines)
        os.killpg(child.pid, signal.SIGINT)  # what Ctrl+C in a terminal does
        rest, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    out = "".join(lines) + rest
    assert child.returncode == 0, out
    assert "预览已停止" in out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out


@pytest.mark.parametrize("flag", [["--port", "8001"], ["--port=8001"], ["-a", "127.0.0.1:8001"]])
def test_port_and_address_forms_agree(flag):
    assert run.serve_address([*flag, "--dirty"]) == ("127.0.0.1:8001", ["--dirty"])


def test_installed_services_are_left_disabled(tmp_path, monkeypatch):
    calls = tmp_path / "calls"
    for tool in ("deb-systemd-helper", "update-rc.d"):
        stub = tmp_path / tool
        stub.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{calls}"\n')
        stub.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    run.keep_services_off(["nginx", "openssh-server", "rsync", "chromium"])
    recorded = calls.read_text().splitlines()
    assert "deb-systemd-helper disable nginx.service" in recorded
    assert "deb-systemd-helper disable ssh.service" in recorded
    assert "deb-systemd-helper disable rsync.service" in recorded
    assert not any("chromium" in line for line in recorded)


def test_a_missing_chinese_font_is_installed_with_the_other_tools(tmp_path, monkeypatch):
    # fontconfig that knows no Chinese font: the set-up asks apt-get for one, then finds it.
    listing = tmp_path / "fonts"
    stub = tmp_path / "fc-list"
    stub.write_text(f'#!/bin/sh\ncat "{listing}" 2>/dev/null\n')
    stub.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    asked = []

    def apt_install(packages):
        asked.extend(packages)
        listing.write_text("WenQuanYi Micro Hei\n")
        return True

    monkeypatch.setattr(run, "apt_install", apt_install)
    assert not run.has_cjk_font()
    run.ensure_test_tools()
    assert asked == [run.CJK_FONT_PACKAGE] and run.has_cjk_font()


def test_without_a_chinese_font_the_set_up_says_which_package(tmp_path, monkeypatch, capsys):
    stub = tmp_path / "fc-list"
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(run, "apt_install", lambda packages: False)
    with pytest.raises(SystemExit):
        run.ensure_test_tools()
    said = capsys.readouterr()
    assert run.CJK_FONT_PACKAGE in said.out + said.err and "中文字体" in said.out + said.err
