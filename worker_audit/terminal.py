"""Terminal manners: colour only on a terminal (NO_COLOR honoured), and a
progress line on stderr for runs that take more than about a second.

Nothing here changes what a report says; files, pipes and CI logs get plain
text."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from typing import TextIO

_RESET = "\x1b[0m"
_STYLES = {"path": "\x1b[1m", "error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;34m", "fix": "\x1b[36m"}
_FINDING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>WA\d{3})(?P<fix> \[\*\])?", re.M)


def colour_wanted(stream: TextIO) -> bool:
    """https://no-color.org: a non-empty NO_COLOR turns colour off; FORCE_COLOR turns it on off a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def paint(report: str, severities: dict[str, str]) -> str:
    """Colour the `path:line:col: CODE [*]` head of each finding line of a text report."""

    def coloured(match: re.Match) -> str:
        severity = severities.get(match["code"], "info")
        head = f"{_STYLES['path']}{match['path']}{_RESET}:{match['line']}:{match['column']}: "
        code = f"{_STYLES[severity]}{match['code']}{_RESET}"
        fix = f" {_STYLES['fix']}[*]{_RESET}" if match["fix"] else ""
        return head + code + fix

    return _FINDING_LINE.sub(coloured, report)


class Progress:
    """`worker-audit: 120/439 files` on one rewritten stderr line, shown only
    on a terminal and only once a run has lasted `delay` seconds."""

    def __init__(self, stream: TextIO, delay: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.last_drawn = 0.0
        self.shown = False
        self.enabled = bool(getattr(stream, "isatty", None) and stream.isatty())

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay or (self.shown and now - self.last_drawn < 0.1 and done < total):
            return
        width = 24
        filled = width * done // max(total, 1)
        self.stream.write(f"\r\x1b[2Kworker-audit: [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        self.stream.flush()
        self.shown, self.last_drawn = True, now

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False
