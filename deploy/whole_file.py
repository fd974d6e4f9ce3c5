"""Write a result file whole or not at all: beside its final name, then one rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# mkstemp makes a file only its owner may read; a result is for others too (a web folder, a share).
READABLE = 0o666


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_whole(path: Path, data: bytes) -> None:
    """`path` holds `data` afterwards, or what it held before: never a part of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, READABLE & ~current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
