"""What a build wrote about itself (version.json, by hooks/release_info.py), for the scripts that package it."""

from __future__ import annotations

import json
import re
from pathlib import Path


class NotBuilt(Exception):
    """The folder holds no readable build; the message is for people."""


def release(site: Path, build_command: str) -> dict:
    """The build's version, edition, date and commit; `build_command` is how to make one."""
    try:
        return json.loads((site / "version.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise NotBuilt(f"{site}/version.json 读不出来（{error}）：请先用 {build_command} 构建。") from error


def file_part(text) -> str:
    """A piece of a file name from a version or a commit: letters, digits, '.', '_' and '-' only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-")
