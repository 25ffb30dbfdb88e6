"""GitHub Actions workflow commands: one annotation per finding, shown on the diff.

Everything that comes from the audited code is escaped the way the Actions
toolkit escapes it, so a message cannot end the command or start another
(`%0A`, `::`), and a path cannot add a property (`%2C`, `%3A`)."""

from __future__ import annotations

from worker_audit.finding import Finding

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: list[Finding]) -> str:
    lines = []
    for f in findings:
        span = f.span
        properties = ",".join(
            [
                f"file={_property(f.path)}",
                f"line={span.line}",
                f"endLine={span.end_line}",
                f"col={span.column}",
                f"endColumn={span.end_column}",
                f"title={_property(f'{f.code} {f.name}')}",
            ]
        )
        lines.append(f"::{_LEVELS[f.severity.value]} {properties}::{_data(f.message)}")
    return "".join(line + "\n" for line in lines)
