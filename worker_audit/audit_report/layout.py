"""The audit document's sections, in order, written through a `Writer` that
knows one markup (HTML or Markdown). What is said where is decided once, here;
a writer only escapes text and marks it up."""

from __future__ import annotations

from typing import Protocol

from worker_audit.audit_report.contents import AuditDocument, Cell, InlineGroup

GLYPHS = {"ok": "✓", "missing": "✗", "not-asked": "–"}
LINE_COLUMNS = ["where", "what", "source line"]
SITE_COLUMNS = ["where", "function", "queue", "job", "tracking record", "timeout", "202 response"]
QUEUE_COLUMNS = ["queue", "produced at", "consumed by", "status"]
OTHER_COLUMNS = ["where", "rule", "severity", "message", "fix"]


class Writer(Protocol):
    """The markup of one format. `text` is plain text; `inline` is plain text in
    which `backticks` mark code; everything else takes what they wrote."""

    def text(self, text: str) -> str: ...
    def inline(self, text: str) -> str: ...
    def code(self, text: str, kind: str = "") -> str: ...
    def strong(self, written: str) -> str: ...
    def severity(self, severity: str) -> str: ...
    def mark(self, state: str, written: str) -> str: ...  # state: ok | missing | not-asked
    def join(self, written: list[str]) -> str: ...  # several places in one table cell
    def table(self, header: list[str], rows: list[list[str]], numeric: set[int], compact: bool = False) -> str: ...
    def paragraph(self, written: str) -> str: ...
    def checklist(self, written: list[str]) -> str: ...
    def bullets(self, written: list[str]) -> str: ...
    def group(self, heading: str, blocks: list[str]) -> str: ...  # one handler's violations
    def charts(self, document: AuditDocument) -> list[str]: ...  # what the summary shows per rule and per file
    def section(self, anchor: str, heading: str, blocks: list[str]) -> str: ...


def sections(document: AuditDocument, w: Writer) -> list[str]:
    """Summary, not through the worker, through the worker, queue topology,
    checklist, other findings and, when the run had any, its notes."""
    out = [
        w.section("summary", "Summary", _summary(document, w)),
        w.section(
            "not-through-the-worker",
            "Not through the worker",
            [_group(number, group, w) for number, group in enumerate(document.inline, start=1)]
            or [
                w.paragraph(
                    "No request handler does slow work inline." if document.handlers else "No request handler found."
                )
            ],
        ),
        w.section("through-the-worker", "Through the worker", _sites(document, w)),
        w.section("queue-topology", "Queue topology", _queues(document, w)),
        w.section(
            "checklist",
            "Checklist of fixes",
            [w.checklist([w.inline(item) for item in document.checklist])]
            if document.checklist
            else [w.paragraph("Nothing to fix.")],
        ),
        w.section("other-findings", "Other findings", _others(document, w)),
    ]
    if document.notes:
        out.append(w.section("notes", "Notes from the run", [w.bullets([w.inline(n) for n in document.notes])]))
    return out


def _summary(document: AuditDocument, w: Writer) -> list[str]:
    severities = [[w.severity(name), str(count)] for name, count in document.severities]
    severities.append([w.strong("total"), w.strong(str(document.total))])
    blocks = [w.table(["severity", "findings"], severities, {1}, compact=True), *w.charts(document)]
    if document.rules:
        rows = [
            [code, w.text(name), w.severity(severity), str(count)] for code, name, severity, count in document.rules
        ]
        blocks.append(w.table(["rule", "name", "severity", "findings"], rows, {3}, compact=True))
    return blocks


def _group(number: int, group: InlineGroup, w: Writer) -> str:
    blocks = []
    for violation in group.violations:
        title = w.strong(f"{violation.code} {w.text(violation.name)}")
        blocks.append(w.paragraph(f"{title} ({w.severity(violation.severity)}): {w.inline(violation.message)}"))
        rows = [[w.text(line.where), w.inline(line.label), w.code(line.code, "source")] for line in violation.lines]
        if violation.more_lines:
            rows.append(["", w.text(f"and {violation.more_lines} more places"), ""])
        blocks.append(w.table(LINE_COLUMNS, rows, set()))
        if violation.why:
            blocks.append(w.paragraph(f"{w.strong('Why it matters')}: {w.inline(violation.why)}"))
        blocks.append(w.paragraph(f"{w.strong('Fix offered')}: {w.inline(violation.fix)}"))
    return w.group(f"{number}. {w.code(group.name)} ({w.text(group.where)})", blocks)


def _sites(document: AuditDocument, w: Writer) -> list[str]:
    if not document.sites:
        return [w.paragraph("No enqueue site found.")]
    rows = [
        [w.text(site.where), w.inline(site.function)]
        + [_cell(site.queue, w), w.inline(site.job)]
        + [_cell(cell, w) for cell in site.cells]
        for site in document.sites
    ]
    return [w.paragraph(w.inline(document.sites_note)), w.table(SITE_COLUMNS, rows, set())]


def _cell(cell: Cell, w: Writer) -> str:
    return w.mark(cell.state, f"{GLYPHS[cell.state]} {w.inline(cell.text)}")


def _queues(document: AuditDocument, w: Writer) -> list[str]:
    if not document.queues:
        return [w.paragraph("No queues found.")]
    rows = []
    for queue in document.queues:
        rows.append(
            [
                w.code(queue.queue),
                w.join([w.inline(p) for p in queue.producers]) or "–",
                w.join([w.inline(c) for c in queue.consumers]) or "–",
                w.mark(queue.state, f"{GLYPHS[queue.state]} {w.text(queue.status)}"),
            ]
        )
    return [w.table(QUEUE_COLUMNS, rows, set())]


def _others(document: AuditDocument, w: Writer) -> list[str]:
    if not document.others:
        return [w.paragraph("None.")]
    rows = [
        [w.text(o.where), o.code, w.severity(o.severity), w.inline(o.message), w.inline(o.fix)] for o in document.others
    ]
    return [w.table(OTHER_COLUMNS, rows, set())]
