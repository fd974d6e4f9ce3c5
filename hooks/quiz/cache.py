"""Work already done, kept by a hash of what it was made from: in memory across rebuilds, on disk across builds.

An entry is looked up by a key that hashes everything its content depends
on (for an exercise file: its bytes, its path as messages show it, the
policy, the schema and this engine's own source). Nothing is ever checked
for being stale: a changed input is a different key, and entries no build
asks for any more are pruned.

On disk an entry is one file holding a header (format, key, SHA-256 of the
payload) and the payload as JSON: a file that is cut short, edited or
written by another version fails the check and is treated as missing,
then written anew. JSON, never pickle: a cache file is data, whoever wrote
it. Each entry is written to a temporary name and renamed into place, so
two builds sharing the folder never read half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

# The folder, relative to the project, unless the extension's cache_dir says otherwise.
DEFAULT_FOLDER = ".exercise-cache"
FORMAT = b"course-cache 1"
SUFFIX = ".json"
PACKAGE = Path(__file__).resolve().parent
# Entries kept in memory for `serve`, the most recent first out last.
MEMORY_ENTRIES = 20_000


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A hash of the engine's own source: any change to how exercises are read or rendered is a new version."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def key_of(*parts: bytes | str) -> str:
    """One key for several inputs; each part is length-prefixed, so no two splits of the same bytes collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class Store:
    """One kind of entry (`kind` names its subfolder), in memory and, given a folder, on disk.

    `decode` turns a payload read back into what `get` returns, raising any
    exception for a payload it cannot trust; the entry is then missing.
    """

    _memory: OrderedDict = OrderedDict()  # (kind, key) -> value, shared by the stores of one process
    _memory_lock = threading.Lock()

    def __init__(self, folder: Path | None, kind: str, decode=lambda data: data):
        self.folder = folder / kind if folder is not None else None
        self.kind = kind
        self.decode = decode
        self.used: set[str] = set()  # keys this session asked for: prune() keeps only these

    def get(self, key: str):
        """The value for `key`, or None."""
        self.used.add(key)
        with self._memory_lock:
            if (self.kind, key) in self._memory:
                self._memory.move_to_end((self.kind, key))
                return self._memory[(self.kind, key)]
        value = self._read(key)
        if value is not None:
            self._remember(key, value)
        return value

    def put(self, key: str, value, payload) -> None:
        """Keep `value`; write `payload` (JSON-ready data that `decode` turns back into it) to disk."""
        self.used.add(key)
        self._remember(key, value)
        if self.folder is not None:
            self._write(key, payload)

    def prune(self) -> None:
        """Delete the entries on disk that this session did not use: they belong to inputs that are gone."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob(f"*{SUFFIX}"):
            if path.stem not in self.used:
                try:
                    path.unlink()
                except OSError:
                    pass  # another build's, or already gone: either way not ours to insist on

    def _remember(self, key: str, value) -> None:
        with self._memory_lock:
            self._memory[(self.kind, key)] = value
            self._memory.move_to_end((self.kind, key))
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def _read(self, key: str):
        if self.folder is None:
            return None
        try:
            with open(self._path(key), "rb") as handle:
                header = handle.readline().rstrip(b"\n").split(b" ")
                payload = handle.read()
            if b" ".join(header[:2]) != FORMAT or header[2:] != [key.encode(), _digest(payload)]:
                return None
            return self.decode(json.loads(payload))
        except Exception:  # missing, unreadable, cut short, tampered with: never trusted, made anew
            return None

    def _write(self, key: str, payload) -> None:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".incoming-", suffix=".tmp")
            try:
                os.chmod(temporary, 0o644)  # as any file the build writes, not private to one user
                with os.fdopen(handle, "wb") as out:
                    out.write(b" ".join([FORMAT, key.encode(), _digest(data)]) + b"\n" + data)
                os.replace(temporary, self._path(key))
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            pass  # a cache that cannot be written (read-only, disk full) only costs the next build time


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).hexdigest().encode()


def clear_memory() -> None:
    """Forget every entry kept in memory (tests; a process that wants a cold start)."""
    with Store._memory_lock:
        Store._memory.clear()
