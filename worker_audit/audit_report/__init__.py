"""`worker-audit report`: the one-off audit of a repository, written for a person,
in the shape of the seed audit (summary, what does not go through the worker,
what does, the queues, a checklist of fixes), as Markdown or as one HTML file."""

from __future__ import annotations

from pathlib import Path

from worker_audit.engine import AuditResult

SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
FORMATS = ("html", "markdown")


def format_for(output: Path) -> str | None:
    """The format an output file's suffix asks for; None when it says nothing we write."""
    return SUFFIXES.get(output.suffix.lower())


def build_document(audit: AuditResult, targets: list[Path]):
    from worker_audit.audit_report.contents import build_document as build

    return build(audit, targets)


def render_document(document, output_format: str) -> str:
    """`document` (an `AuditDocument`) as "html" or "markdown"."""
    if output_format == "html":
        from worker_audit.audit_report.html_document import render_html

        return render_html(document)
    from worker_audit.audit_report.markdown_document import render_markdown

    return render_markdown(document)
