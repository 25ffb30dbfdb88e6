"""`--format github`: GitHub Actions workflow commands, escaped."""

from __future__ import annotations

from click.testing import CliRunner

from worker_audit.cli import main
from worker_audit.finding import Finding, Severity, Span
from worker_audit.reporters.github import render_github


def test_one_annotation_per_finding_with_the_level_of_its_severity(in_repo):
    result = CliRunner().invoke(main, ["check", "fixtures/seed_app", "--select", "WA102,WA103", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::error file=fixtures/seed_app/server/routes_whatsapp.py,line=42,endLine=46,col=14,endColumn=6,"
        "title=WA102 thread-in-handler::`create_broadcast` starts background work in threading.Thread with "
        "daemon=True: the work is lost when the process exits; enqueue a tracked job instead",
        "::notice file=fixtures/seed_app/server/services/recording_service.py,line=16,endLine=16,col=1,"
        "endColumn=16,title=WA103 in-memory-work-queue::process-local queue `RECORDING_QUEUE` is fed by request "
        "handlers (`recording_status_callback`) and lost on restart; enqueue jobs on a worker queue",
    ]


def test_text_from_the_audited_code_cannot_break_out_of_the_command():
    finding = Finding(
        "WA201",
        "queue-not-consumed",
        Severity.WARNING,
        "queue `a\n::error file=x::owned` 100%\r",
        "odd,name:file.py",
        Span(3, 1, 3, 9),
    )
    assert render_github([finding]) == (
        "::warning file=odd%2Cname%3Afile.py,line=3,endLine=3,col=1,endColumn=9,title=WA201 queue-not-consumed"
        "::queue `a%0A::error file=x::owned` 100%25%0D\n"
    )
    assert render_github([]) == ""
