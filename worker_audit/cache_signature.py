"""Signatures of cache entries. The caches hold pickles, and unpickling runs code; a cache
folder lies in the audited tree (`cache-dir`, below the configuration file), where anyone
who can commit to the project can plant a file. So every entry is signed with a key kept
outside the tree, in the user's own cache folder, and an entry whose signature does not
match is a miss: it is never unpickled. Without a key (a home folder that cannot be
written), nothing is read from or written to the caches."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import cache
from pathlib import Path

_SIGNATURE_BYTES = 32


def key_file() -> Path:
    """`$XDG_CACHE_HOME/worker-audit/cache-key`, else `~/.cache/worker-audit/cache-key`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "worker-audit" / "cache-key"


@cache
def _key(path: Path) -> bytes | None:
    """The key in `path`, made there (32 random bytes, mode 600) the first time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made before, by this run's predecessors or another process
        try:
            key = path.read_bytes()
        except OSError:
            return None
        return key if len(key) == _SIGNATURE_BYTES else None
    except OSError:
        return None
    key = secrets.token_bytes(_SIGNATURE_BYTES)
    with os.fdopen(handle, "wb") as stream:
        stream.write(key)
    return key


def cache_key() -> bytes | None:
    return _key(key_file())


def signed(payload: bytes) -> bytes | None:
    """The payload behind its signature; None without a key (then write nothing)."""
    key = cache_key()
    if key is None:
        return None
    return hmac.new(key, payload, hashlib.sha256).digest() + payload


def verified(blob: bytes) -> bytes | None:
    """The payload of a signed entry; None when the signature is not ours."""
    key = cache_key()
    if key is None or len(blob) < _SIGNATURE_BYTES:
        return None
    signature, payload = blob[:_SIGNATURE_BYTES], blob[_SIGNATURE_BYTES:]
    expected = hmac.new(key, payload, hashlib.sha256).digest()
    return payload if hmac.compare_digest(signature, expected) else None
