"""`--format full`: the text lines, each followed by its source line and a caret
under the reported column, as ruff's full output shows them."""

from __future__ import annotations

from pathlib import Path

from worker_audit.finding import Finding
from worker_audit.reporters.text import render_text


def source_lines(path: str, cache: dict[str, list[str]]) -> list[str]:
    if path not in cache:
        try:
            cache[path] = Path(path).read_bytes().decode("utf-8", errors="replace").splitlines()
        except OSError:
            cache[path] = []
    return cache[path]


def render_full(findings: list[Finding]) -> str:
    text_lines = render_text(findings).splitlines()
    cache: dict[str, list[str]] = {}
    out = []
    for finding, line in zip(findings, text_lines, strict=False):  # the summary lines come after
        out.append(line)
        source = source_lines(finding.path, cache)
        if 0 < finding.line <= len(source):
            code = source[finding.line - 1].expandtabs(1)
            out.append(f"{finding.line:>5} | {code}")
            out.append(f"{'':>5} | {' ' * (finding.column - 1)}^")
        out.append("")
    out.extend(text_lines[len(findings) :])  # the summary lines
    return "".join(line + "\n" for line in out)
