"""Reading a source file the way Python would: bytes, then text by PEP 263."""

from __future__ import annotations

import io
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceProblem(Exception):
    """Why a file could not be read as Python text, with where."""

    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str  # as declared or detected: "utf-8", "utf-8-sig", "latin-1", ...


def _size(count: int) -> str:
    if count < 10 * 1024:
        return f"{count} bytes"
    if count < 10 * 1024 * 1024:
        return f"{count // 1024} KiB"
    return f"{count // (1024 * 1024)} MiB"


# Files are read up to this much whatever max-file-bytes says: reading and scanning bytes
# is cheap, and a large module that names nothing a rule looks for (or a large YAML file
# that is no deployment file) is never parsed, so it is no finding. max-file-bytes bounds
# what is parsed (see `over_the_limit`).
READ_CAP = 64 * 1024 * 1024


def over_the_limit(size: int, max_bytes: int) -> SourceProblem:
    return SourceProblem(f"skipped: {_size(size)} is over the {_size(max_bytes)} limit (max-file-bytes)")


def read_limit(max_bytes: int) -> int:
    return max(max_bytes, READ_CAP)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO or a device: opening it may wait forever
            raise SourceProblem("cannot read: not a regular file")
        size = status.st_size
        if size > max_bytes:
            raise over_the_limit(size, max_bytes)
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except PermissionError:
        raise SourceProblem("cannot read: permission denied") from None
    except IsADirectoryError:
        raise SourceProblem("cannot read: is a directory") from None
    except OSError as exc:
        raise SourceProblem(f"cannot read: {exc.strerror or exc}") from None


def decode_python(data: bytes) -> SourceText:
    """Decode like CPython: BOM, coding cookie, else UTF-8; say where it fails."""
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise SourceProblem("source contains a NUL byte", line, column)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise SourceProblem(f"bad encoding declaration: {exc.msg}", exc.lineno or 1) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise SourceProblem(
            f"cannot decode byte 0x{bad} as {encoding}; save the file as UTF-8 "
            f"or declare its encoding (# -*- coding: latin-1 -*-)",
            line,
            column,
        ) from None
    except LookupError:
        raise SourceProblem(f"unknown encoding {encoding!r}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourceText(text=text, encoding=encoding)
