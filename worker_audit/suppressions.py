"""Inline suppressions: `# worker-audit: ignore[WA101]` or a bare `# worker-audit: ignore`."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

from worker_audit.source import SourceProblem, decode_python

MARKER = "worker-audit:"
_PATTERN = re.compile(r"#\s*worker-audit:\s*ignore\b(?:\[([^\]]*)\])?")


@dataclass(frozen=True)
class Suppression:
    line: int
    column: int
    codes: tuple[str, ...] | None  # None: every code on the line


def _from_comment(text: str, line: int, column: int) -> Suppression | None:
    match = _PATTERN.search(text)
    if match is None:
        return None
    codes = None
    if match.group(1) is not None:
        codes = tuple(code.strip() for code in match.group(1).split(",") if code.strip())
    return Suppression(line, column + match.start() + 1, codes)


def python_suppressions(text: str) -> dict[int, Suppression]:
    """Suppressions in real comments (not in strings) of a Python file."""
    if MARKER not in text:
        return {}
    found: dict[int, Suppression] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                suppression = _from_comment(token.string, token.start[0], token.start[1])
                if suppression is not None:
                    found[suppression.line] = suppression
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    return found


def yaml_suppressions(text: str) -> dict[int, Suppression]:
    if MARKER not in text:
        return {}
    found = {}
    for number, line in enumerate(text.splitlines(), start=1):
        hash_at = line.find("#")
        if hash_at != -1:
            suppression = _from_comment(line[hash_at:], number, hash_at)
            if suppression is not None:
                found[number] = suppression
    return found


class SuppressionIndex:
    """The inline suppressions of every file the run read, parsed when first asked, and
    which of them suppressed something (for WA003). Keyed by the path as the run reads it."""

    def __init__(self, text_of: Callable[[str], bytes | None], kinds: dict[str, str]) -> None:
        self._text_of = text_of
        self._kinds = kinds  # path -> "yaml" for deployment files; Python otherwise
        self._parsed: dict[str, dict[int, Suppression]] = {}
        self.used: dict[tuple[str, int], set[str]] = {}

    def of(self, path: str) -> dict[int, Suppression]:
        if path not in self._parsed:
            data = self._text_of(path)
            if data is None or MARKER.encode() not in data:
                self._parsed[path] = {}
            else:
                text = data.decode("utf-8", errors="replace")
                read = yaml_suppressions if self._kinds.get(path) == "yaml" else python_suppressions
                self._parsed[path] = read(text)
        return self._parsed[path]

    def suppresses(self, path: str, line: int, code: str) -> bool:
        """Whether a suppression on `line` covers `code`; when it does, it counts as used."""
        suppression = self.of(path).get(line)
        if suppression is None or (suppression.codes is not None and code not in suppression.codes):
            return False
        self.used.setdefault((path, line), set()).add(code)
        return True


def lines_a_handler_may_reach_through(data: bytes) -> set[int] | bool:
    """The lines of a Python file where a suppression may be used by a handler outside a run
    on some files: calls, decorators and loop headers (CPython's `ast`, no parse for facts);
    True when the file cannot be read so."""
    try:
        tree = ast.parse(decode_python(data).text)
    except (SourceProblem, SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            lines.update(range(node.lineno, max(node.body[0].lineno, node.lineno + 1)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                lines.update(range(decorator.lineno, (decorator.end_lineno or decorator.lineno) + 1))
    return lines
