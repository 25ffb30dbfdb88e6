"""The audit document as one self-contained HTML page: inline CSS, inline SVG
charts, no script, nothing loaded from anywhere (the Content-Security-Policy
says so to the browser too), and a print style. Text from the audited code is
escaped with `html.escape(..., quote=True)`."""

from __future__ import annotations

import re
from html import escape

from worker_audit.audit_report.bar_chart import bar_chart
from worker_audit.audit_report.contents import AuditDocument
from worker_audit.audit_report.layout import sections

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
SEVERITY_FILL = {"error": "#b42318", "warning": "#b54708", "info": "#175cd3"}
MODULE_FILL = "#475467"
_CODE_SPAN = re.compile(r"`([^`]+)`")

STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2939;
  max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #d0d5dd; padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.6rem; }
code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f2f4f7;
  padding: 0 .25em; border-radius: 3px; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: 14px; }
th, td { border: 1px solid #d0d5dd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }  /* long names wrap: a cell, hence the table, can be as narrow as the page */
th { background: #f2f4f7; }
td.number, th.number { text-align: right; }
table.compact { width: auto; min-width: 22rem; }
.verdict { font-size: 1.1rem; padding: .7rem 1rem; border-left: 5px solid #b42318; background: #fef3f2; }
.verdict.clean { border-color: #067647; background: #ecfdf3; }
.scope { color: #475467; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; }
.charts figure { margin: 0; }
.charts figcaption { font-weight: 600; margin-bottom: .3rem; }
svg.chart text { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: #1d2939; }
.severity { font-weight: 600; }
.severity.error { color: #b42318; } .severity.warning { color: #b54708; } .severity.info { color: #175cd3; }
.ok { color: #067647; } .missing { color: #b42318; font-weight: 600; } .not-asked { color: #667085; }
.violation { border: 1px solid #d0d5dd; border-radius: 6px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
.checklist { list-style: none; padding-left: 0; }
.checklist li { margin: .35rem 0; padding-left: 1.6rem; text-indent: -1.6rem; }
.box { display: inline-block; width: 1.6rem; text-indent: 0; font-size: 1.1em; }
footer { margin-top: 3rem; color: #667085; font-size: 13px; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; color: #000; }
  .verdict, th, code { background: none; }
  .verdict { border: 1px solid #000; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, figure, .violation li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table, th, td { border-color: #888; }
}
"""


def text(value: str) -> str:
    return escape(value, quote=True)


def inline(value: str) -> str:
    """Plain text in which `backticks` mark code: escaped, then the code spans marked up."""
    return _CODE_SPAN.sub(r"<code>\1</code>", escape(value, quote=True))


def code(value: str, kind: str = "") -> str:
    if not value:
        return ""
    css = f' class="{kind}"' if kind else ""
    return f"<code{css}>{escape(value, quote=True)}</code>"


class HtmlWriter:
    text = staticmethod(text)
    inline = staticmethod(inline)
    code = staticmethod(code)

    def strong(self, written: str) -> str:
        return f"<strong>{written}</strong>"

    def severity(self, severity: str) -> str:
        return f'<span class="severity {text(severity)}">{text(severity)}</span>'

    def mark(self, state: str, written: str) -> str:
        return f'<span class="{state}">{written}</span>'

    def join(self, written: list[str]) -> str:
        return "<br>".join(written)

    def table(self, header: list[str], rows: list[list[str]], numeric: set[int], compact: bool = False) -> str:
        def cell(tag: str, index: int, content: str) -> str:
            return f'<{tag} class="number">{content}</{tag}>' if index in numeric else f"<{tag}>{content}</{tag}>"

        head = "".join(cell("th", i, h) for i, h in enumerate(header))
        body = "\n".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
        table = '<table class="compact">' if compact else "<table>"
        return f"{table}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"

    def paragraph(self, written: str) -> str:
        return f"<p>{written}</p>"

    def checklist(self, written: list[str]) -> str:
        items = "\n".join(f'<li><span class="box">☐</span>{item}</li>' for item in written)
        return f'<ul class="checklist">\n{items}\n</ul>'

    def bullets(self, written: list[str]) -> str:
        items = "\n".join(f"<li>{item}</li>" for item in written)
        return f"<ul>\n{items}\n</ul>"

    def group(self, heading: str, blocks: list[str]) -> str:
        return "\n".join([f'<section class="violation">\n<h3>{heading}</h3>', *blocks, "</section>"])

    def charts(self, document: AuditDocument) -> list[str]:
        """Two bar charts: findings per rule (coloured by severity) and per file or folder."""
        if not document.total:
            return []
        rules = [(code, count, SEVERITY_FILL[severity]) for code, _, severity, count in document.rules]
        modules = [(label, count, MODULE_FILL) for label, count in document.modules]
        per_module = f"Findings per {document.module_kind}"
        figures = [
            ("Findings per rule", bar_chart("chart-rules", "Findings per rule", rules)),
            (per_module, bar_chart("chart-modules", per_module, modules)),
        ]
        shown = "\n".join(f"<figure>\n<figcaption>{caption}</figcaption>\n{svg}\n</figure>" for caption, svg in figures)
        return [f'<div class="charts">\n{shown}\n</div>']

    def section(self, anchor: str, heading: str, blocks: list[str]) -> str:
        return "\n".join([f'<section id="{anchor}">\n<h2>{heading}</h2>', *blocks, "</section>"])


def render_html(document: AuditDocument) -> str:
    title = text(document.title)
    clean = " clean" if document.clean else ""
    page = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
        f'<p class="scope">{inline(document.scope_note)}</p>',
        f'<p class="verdict{clean}"><strong>Verdict</strong>: {inline(document.verdict)}</p>',
        "</header>",
        *sections(document, HtmlWriter()),
        f"<footer>Written by worker-audit {text(document.version)}.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(page) + "\n"
