"""Publishing over SSH with rsync, against an OpenSSH server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from hosting import PUBLISH, SSHServer, publish
from test_publish import make_site
from test_publish_concurrent import broken_state, hold_lock, make_variant


@pytest.fixture
def ssh_server(tmp_path):
    server = SSHServer(tmp_path / "sshd").start()
    try:
        yield server
    finally:
        server.stop()


def test_publish_and_roll_back_on_a_remote_host(tmp_path, ssh_server):
    target = tmp_path / "remote host" / "srv"  # a space, as a mounted share's name may have
    remote = ssh_server.target(target)
    env = ssh_server.client_env()
    for name in ("A", "B"):
        site = make_site(tmp_path / "sites" / name, name)
        done = publish("publish", "--target", remote, "--site", str(site), "--keep", "3", env=env)
        assert done.returncode == 0, done.stderr
        assert "已上线" in done.stdout
        assert json.loads((target / "current" / "version.json").read_text())["version"] == name
    assert (target / "current").is_symlink() and len(list((target / "releases").iterdir())) == 2
    done = publish("rollback", "--target", remote, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads((target / "current" / "version.json").read_text())["version"] == "A"


def test_an_unknown_host_key_is_refused(tmp_path, ssh_server):
    (ssh_server.workdir / "known_hosts").write_text("")
    site = make_site(tmp_path / "site", "A")
    done = publish("publish", "--target", ssh_server.target(tmp_path / "srv"), "--site", str(site),
                   env=ssh_server.client_env())
    assert done.returncode == 1 and "线上站点未改动" in done.stderr
    assert not (tmp_path / "srv" / "current").exists()


def start(remote: str, site, env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(PUBLISH), "publish", "--target", remote, "--site", str(site), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ, **env),
        start_new_session=True,
    )


def test_two_publishes_over_ssh_at_the_same_time(tmp_path, ssh_server):
    target = tmp_path / "srv"
    remote, env = ssh_server.target(target), ssh_server.client_env()
    failures = []
    for round_number in range(3):
        names = {f"r{round_number}a", f"r{round_number}b"}
        runs = [start(remote, make_variant(tmp_path / "sites" / name, name), env, "--keep", "2")
                for name in sorted(names)]
        outcomes = [(run.wait(timeout=120), *run.communicate()) for run in runs]
        problems = [f"exit {code}: {(out + err).strip()}" for code, out, err in outcomes if code != 0]
        problems += broken_state(target, names, 2)
        if problems:
            failures.append(f"round {round_number}: {'; '.join(problems)}")
    assert not failures, "\n".join(failures)


def test_a_locked_remote_target_is_waited_for_then_refused(tmp_path, ssh_server):
    target = tmp_path / "srv"
    remote, env = ssh_server.target(target), ssh_server.client_env()
    sites = [make_variant(tmp_path / "sites" / name, name) for name in ("A", "B")]
    assert publish("publish", "--target", remote, "--site", str(sites[0]), env=env).returncode == 0
    holder = hold_lock(target, 30)
    try:
        refused = publish("publish", "--target", remote, "--site", str(sites[1]),
                          env=dict(env, PUBLISH_LOCK_WAIT="1"))
    finally:
        holder.kill()
        holder.wait()
    assert refused.returncode == 1 and "正在进行" in refused.stderr and "线上站点未改动" in refused.stderr
    assert json.loads((target / "current" / "version.json").read_text())["version"] == "A"
    assert not list((target / "releases").glob(".incoming-*"))


def test_an_interrupted_remote_publish_frees_the_target(tmp_path, ssh_server):
    target = tmp_path / "srv"
    remote, env = ssh_server.target(target), ssh_server.client_env()
    assert publish("publish", "--target", remote, "--site", str(make_site(tmp_path / "A", "A")), env=env).returncode == 0
    big = make_site(tmp_path / "big", "big", files=40, size=20_000)
    run = start(remote, big, dict(env, PUBLISH_RSYNC_OPTIONS="--bwlimit=300"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(p.is_dir() and any(p.iterdir())
                                                  for p in (target / "releases").glob(".incoming-*")):
        time.sleep(0.05)
    # A cancelled CI job: the client goes, the host must let go of the lock by itself.
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    done = publish("publish", "--target", remote, "--site", str(make_site(tmp_path / "B", "B")),
                   env=dict(env, PUBLISH_LOCK_WAIT="10"))
    assert done.returncode == 0, done.stderr
    assert json.loads((target / "current" / "version.json").read_text())["version"] == "B"
    assert not list((target / "releases").glob(".incoming-*"))
