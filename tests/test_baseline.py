"""`worker-audit baseline` and `check --baseline`: adopting the audit in a legacy repository."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES

from worker_audit.baseline import load_baseline, new_findings, render_baseline
from worker_audit.cli import main
from worker_audit.finding import Finding, Severity, Span

NEW_HANDLER = """

@leads_bp.route("/api/leads/purge", methods=["POST"])
def purge_leads():
    ids = request.json["ids"]
    Lead.query.filter(Lead.id.in_(ids)).delete(synchronize_session=False)
    db.session.commit()
    return {"ok": True}
"""


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_moved_code_stays_baselined_and_one_new_violation_is_reported(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "seed_app", tmp_path / "app")
    monkeypatch.chdir(tmp_path)
    written = _run("baseline", "app")
    assert written.exit_code == 0, written.output
    assert written.stderr == "Wrote 12 findings to .worker-audit-baseline.json.\n"
    recorded = json.loads((tmp_path / ".worker-audit-baseline.json").read_text())
    assert recorded["worker-audit-baseline"] == 1 and sum(e["count"] for e in recorded["findings"]) == 12
    assert {
        "code": "WA101",
        "path": "app/server/routes_leads.py",
        "scope": "bulk_delete_leads",
        "count": 1,
    }.items() <= recorded["findings"][0].items()

    for path in (tmp_path / "app").rglob("*.py"):  # every file's code moves down 20 lines
        path.write_text("# moved\n" * 20 + path.read_text())
    moved = _run("check", "app", "--baseline", ".worker-audit-baseline.json")
    assert moved.exit_code == 0
    assert moved.stderr == "worker-audit: 12 findings in the baseline not shown.\n"

    leads = tmp_path / "app" / "server" / "routes_leads.py"
    leads.write_text(leads.read_text() + NEW_HANDLER)
    new_line = (
        leads.read_text()
        .splitlines()
        .index("    Lead.query.filter(Lead.id.in_(ids)).delete(synchronize_session=False)")
    )
    one_new = _run("check", "app", "--baseline", ".worker-audit-baseline.json", "--format", "json")
    assert one_new.exit_code == 1
    found = json.loads(one_new.stdout)
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("WA101", "app/server/routes_leads.py", new_line + 1)]


def test_the_baseline_works_from_another_working_directory(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "seed_app", tmp_path / "app")
    monkeypatch.chdir(tmp_path)
    assert _run("baseline", "app", "-o", "app/baseline.json").exit_code == 0
    monkeypatch.chdir(tmp_path / "app")
    inside = _run("check", ".", "--baseline", "baseline.json")
    assert inside.exit_code == 0 and inside.stderr == "worker-audit: 12 findings in the baseline not shown.\n"


def test_a_suppression_in_a_helper_does_not_make_a_baselined_finding_new(tmp_path, monkeypatch):
    import re

    shutil.copytree(FIXTURES / "cases" / "suppressed_helpers", tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    sources = {path: path.read_text() for path in Path("app").glob("*.py")}
    for path, text in sources.items():
        path.write_text(re.sub(r"  # worker-audit: ignore\[WA101\].*", "", text))
    assert _run("baseline", "--select", "WA101").stderr == "Wrote 6 findings to .worker-audit-baseline.json.\n"
    for path, text in sources.items():  # the suppressions again: two findings now name other statements
        path.write_text(text)
    checked = _run("check", "--select", "WA101", "--baseline", ".worker-audit-baseline.json")
    assert (checked.exit_code, checked.stderr) == (0, "worker-audit: 2 findings in the baseline not shown.\n")
    assert checked.stdout == "No findings.\n"  # archive (routes.py:32) and wipe (:48), now naming other statements


def test_a_second_copy_of_a_baselined_finding_is_new(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def finding(line: int) -> Finding:
        span = Span(line, 5, line, 20)
        return Finding("WA102", "thread-in-handler", Severity.ERROR, "`a` starts a thread", "app.py", span, scope="a")

    recorded = load_baseline(_written(tmp_path, [finding(9)]))
    assert new_findings([finding(30)], recorded, tmp_path) == []
    assert new_findings([finding(30), finding(41)], recorded, tmp_path) == [finding(41)]


def _written(folder, findings) -> Path:
    file = folder / "baseline.json"
    file.write_text(render_baseline(findings, folder))
    return file


def test_a_missing_or_broken_baseline_is_one_line_and_exit_2(tmp_path, monkeypatch):
    (tmp_path / "app.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    missing = _run("check", ".", "--baseline", "nope.json")
    assert (missing.exit_code, missing.stderr) == (
        2,
        "worker-audit: error: baseline nope.json does not exist (write it with `worker-audit baseline`)\n",
    )
    (tmp_path / "bad.json").write_text('{"worker-audit-baseline": 1,\n  "findings": [}\n')
    broken = _run("check", ".", "--baseline", "bad.json")
    assert (broken.exit_code, broken.stderr) == (
        2,
        "worker-audit: error: bad.json:2:16: baseline is not valid JSON: Expecting value\n",
    )
    (tmp_path / "other.json").write_text('{"findings": []}')
    other = _run("check", ".", "--baseline", "other.json")
    assert other.exit_code == 2
    assert other.stderr == "worker-audit: error: other.json: not a worker-audit baseline (version 1); write it again\n"


def test_a_baseline_of_the_wrong_shape_is_one_line_and_exit_2(tmp_path, monkeypatch):
    (tmp_path / "app.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    cases = {
        '{"worker-audit-baseline": 1, "findings": 3}': "bad.json: 'findings' is not a list; write it again",
        '{"worker-audit-baseline": 1, "findings": null}': "bad.json: 'findings' is not a list; write it again",
        '{"worker-audit-baseline": 1, "findings": [3]}': "bad.json: malformed entry 3; write it again",
        "[" * 100_000: "bad.json: baseline is nested too deeply to read; write it again",
    }
    for text, message in cases.items():
        (tmp_path / "bad.json").write_text(text)
        result = _run("check", ".", "--baseline", "bad.json")
        assert (result.exit_code, result.stderr) == (2, f"worker-audit: error: {message}\n"), text[:40]
