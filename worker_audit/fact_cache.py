"""`.worker_audit_cache/`: each module's facts, by content.

An entry is found by the module's path and holds a hash of its bytes together
with everything that shapes its facts (the salt): worker-audit's version and
the source of its extraction code, the Python version, the knowledge packs
and the configured extra names. A module's facts
depend on nothing else, so a change in one module never leaves another's
entry stale: the analysis across modules is always redone from facts, and a
handler's finding appears as soon as a helper two modules away changes.

One small pickle per file, written atomically, so parallel runs cannot
corrupt it. An unreadable or foreign entry is a miss; a cache folder that
cannot be written is a cache that is not used (one note)."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

from worker_audit import __version__
from worker_audit.cache_signature import key_file, signed, verified
from worker_audit.module_loading import Loaded

FOLDER = ".worker_audit_cache"
# outline.py: a function read alone takes its module's names from the outline
_EXTRACTION_SOURCES = (
    "module_loading.py",
    "extract.py",
    "facts.py",
    "positions.py",
    "source.py",
    "knowledge.py",
    "outline.py",
)


def cache_salt(packs: Path, extras: tuple[str, ...]) -> bytes:
    """What, besides a module's bytes, decides its facts."""
    digest = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}|{sorted(extras)}".encode())
    package = Path(__file__).resolve().parent
    for name in _EXTRACTION_SOURCES:
        digest.update((package / name).read_bytes())
    for pack in sorted(packs.glob("*.yaml")):
        digest.update(pack.name.encode() + b"\0" + pack.read_bytes())
    return digest.digest()


class FactCache:
    """facts/<salt>/<path hash>.pickle holds (content hash, Loaded): one entry per
    file, replaced when the file changes, so the cache does not grow with edits.
    Entries of other salts (older versions, other settings) are removed when a
    run first writes."""

    def __init__(self, folder: Path, salt: bytes) -> None:
        self.root = folder
        self.folder = folder / "facts" / salt.hex()[:16]
        self.salt = salt
        self.hits = 0
        self.misses = 0
        self.writable = True
        self.note: str | None = None

    def _entry(self, path: str) -> Path:
        name = hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()
        return self.folder / name[:2] / f"{name}.pickle"

    def _content(self, data: bytes) -> bytes:
        return hashlib.sha256(self.salt + data).digest()

    def get(self, path: str, data: bytes, count: bool = True) -> Loaded | None:
        """The facts recorded for this path when it had these bytes. Facts name their
        file, so the path as this run spells it is part of the identity. `count`: whether
        the lookup counts as a module's (not for a function read alone, nor when the caller
        only looks whether the entry is there)."""
        try:
            payload = verified(self._entry(path).read_bytes())  # never unpickle what we did not write
            if payload is None:
                self.misses += count
                return None
            content, loaded = pickle.loads(payload)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            self.misses += count
            return None
        if content != self._content(data) or not isinstance(loaded, Loaded):
            self.misses += count
            return None
        self.hits += count
        return loaded

    def put(self, path: str, data: bytes, loaded: Loaded) -> None:
        if not self.writable or loaded.internal_error is not None:
            return  # a bug of ours is not remembered: the next version may not have it
        entry = self._entry(path)
        blob = signed(pickle.dumps((self._content(data), loaded), protocol=pickle.HIGHEST_PROTOCOL))
        if blob is None:
            self.writable = False
            self.note = f"cache not written (no signing key in {key_file().parent}); runs stay cold"
            return
        try:
            if not entry.parent.is_dir():
                self._prepare_folder()
                entry.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                stream.write(blob)
            os.replace(temporary, entry)
        except OSError as exc:
            self.writable = False
            self.note = f"cache not written ({self.root}: {exc.strerror or exc}); runs stay cold"

    def _prepare_folder(self) -> None:
        if not self.root.is_dir():
            create_cache_folder(self.root)
        if not self.folder.is_dir():
            for stale in (self.root / "facts").glob("*"):
                if stale.is_dir() and stale != self.folder:
                    shutil.rmtree(stale, ignore_errors=True)


def create_cache_folder(root: Path) -> None:
    """The cache folder, marked as a cache for backup tools and ignored by git (as ruff does)."""
    if root.is_dir():
        return
    root.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text("# Created by worker-audit automatically.\n*\n")
    (root / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# This is a worker-audit cache folder.\n"
    )
