"""deploy/whole_file.py: a result file (the workbook PDF, the offline zip) is whole or as it was."""

from __future__ import annotations

import os

import pytest

import whole_file


def test_a_result_replaces_the_old_one_readable_by_others(tmp_path):
    target = tmp_path / "dist" / "workbook.pdf"
    whole_file.write_whole(target, b"old")
    whole_file.write_whole(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o444 == 0o444 & ~whole_file.current_umask()
    assert [p.name for p in target.parent.iterdir()] == ["workbook.pdf"]


def test_a_write_that_fails_leaves_the_old_file_and_no_leftover(tmp_path, monkeypatch):
    target = tmp_path / "workbook.pdf"
    target.write_bytes(b"old")

    def full(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        whole_file.write_whole(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["workbook.pdf"]
