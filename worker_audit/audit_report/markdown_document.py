"""The audit document as Markdown that GitHub and GitLab render: headings, pipe
tables, task lists; no HTML. Text from the audited code is escaped, so it can
neither break a table nor pass raw HTML, links or math through."""

from __future__ import annotations

import re

from worker_audit.audit_report.contents import AuditDocument
from worker_audit.audit_report.layout import sections

_SPECIAL = re.compile(r"([\\`*_\[\]|#!~$])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_WHITESPACE = re.compile(r"\s+")
_NOT_IN_CODE_SPAN = set("`<>|")


def escape(text: str) -> str:
    """Plain text: `&`, `<` and `>` as entities (no HTML can pass, in any Markdown),
    every other character Markdown could read as markup backslash-escaped."""
    text = "".join(_ENTITIES.get(char, char) for char in _WHITESPACE.sub(" ", text))
    return _SPECIAL.sub(r"\\\1", text)


def code(text: str, kind: str = "") -> str:
    """A code span when its content shows as written in one (even inside a table), else escaped text."""
    text = " ".join(text.split())
    if not text or _NOT_IN_CODE_SPAN & set(text):
        return escape(text)
    return f"`{text}`"


def inline(text: str) -> str:
    """Plain text in which `backticks` mark code. Backticks that cannot mark a code span (unpaired,
    around nothing, two spans side by side, around text a code span cannot show) are shown,
    escaped, as the HTML shows them."""
    parts = text.split("`")
    if len(parts) % 2 == 0 or any(not part.strip() for part in parts[1::2]) or not all(parts[2:-1:2]):
        return escape(text)
    return "".join(_span(part) if index % 2 else escape(part) for index, part in enumerate(parts))


def _span(part: str) -> str:
    shown = code(part)
    return shown if shown.startswith("`") else escape(f"`{part}`")


class MarkdownWriter:
    text = staticmethod(escape)
    inline = staticmethod(inline)
    code = staticmethod(code)

    def strong(self, written: str) -> str:
        return f"**{written}**"

    def severity(self, severity: str) -> str:
        return severity

    def mark(self, state: str, written: str) -> str:
        return written

    def join(self, written: list[str]) -> str:
        return "; ".join(written)

    def table(self, header: list[str], rows: list[list[str]], numeric: set[int], compact: bool = False) -> str:
        lines = ["| " + " | ".join(header) + " |"]
        lines.append("|" + "|".join("---:" if i in numeric else "---" for i in range(len(header))) + "|")
        lines.extend("| " + " | ".join(row) + " |" for row in rows)
        return "\n".join(lines)

    def paragraph(self, written: str) -> str:
        return written

    def checklist(self, written: list[str]) -> str:
        return "\n".join(f"- [ ] {item}" for item in written)

    def bullets(self, written: list[str]) -> str:
        return "\n".join(f"- {item}" for item in written)

    def group(self, heading: str, blocks: list[str]) -> str:
        return "\n\n".join([f"### {heading}", *blocks])

    def charts(self, document: AuditDocument) -> list[str]:
        """No pictures in Markdown: the findings per file (or folder) as a table."""
        if not document.modules:
            return []
        rows = [[escape(label), str(count)] for label, count in document.modules]
        return [self.table([document.module_kind, "findings"], rows, {1})]

    def section(self, anchor: str, heading: str, blocks: list[str]) -> str:
        return "\n\n".join([f"## {heading}", *blocks])


def render_markdown(document: AuditDocument) -> str:
    head = [f"# {escape(document.title)}", inline(document.scope_note), f"**Verdict**: {inline(document.verdict)}"]
    tail = ["---", f"Written by worker-audit {document.version}."]
    return "\n\n".join(head + sections(document, MarkdownWriter()) + tail) + "\n"
