"""Publishing over SSH with rsync, against an OpenSSH server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from hosting import SSHServer, publish
from test_publish import make_site


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
