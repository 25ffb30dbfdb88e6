"""Fixes: exact output, idempotence, --diff, encodings, atomic writes, limits."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from worker_audit import fixes
from worker_audit.cli import main
from worker_audit.finding import Edit, Finding, Fix, Severity, Span
from worker_audit.fixes import apply_edits, plan_round, read_text
from worker_audit.settings import Settings

SEED_FIX_DIFF = """\
--- a/docker-compose.yml
+++ b/docker-compose.yml
@@ -16,7 +16,7 @@
     command: python -m server.worker
     environment:
       - DATABASE_URL=postgresql://seed:seed@db:5432/seed
-      - RQ_QUEUES=high,default,low
+      - RQ_QUEUES=high,default,low,maintenance
       - REDIS_URL=redis://redis:6379/0
     depends_on:
       - db
--- a/server/jobs/gmail_sync_job.py
+++ b/server/jobs/gmail_sync_job.py
@@ -16,6 +16,7 @@
 
 
 def sync_gmail_receipts_job(business_id: int, connection_id: int) -> int:
+    logger.info("JOB_START sync_gmail_receipts_job")
     connection = GmailConnection.query.get(connection_id)
     if connection is None or connection.business_id != business_id:
         logger.warning("Gmail connection %s not found for business %s", connection_id, business_id)
@@ -44,8 +45,10 @@
         page_token = page.get("nextPageToken")
         if not page_token:
             break
+        logger.info("JOB_PROGRESS sync_gmail_receipts_job")
 
     connection.last_synced_at = datetime.utcnow()
     db.session.commit()
     logger.info("Gmail sync finished for connection %s: %d new receipts", connection_id, stored)
+    logger.info("JOB_DONE sync_gmail_receipts_job")
     return stored
--- a/server/routes_gmail.py
+++ b/server/routes_gmail.py
@@ -28,6 +28,7 @@
         sync_gmail_receipts_job,
         business_id,
         connection_id,
+        job_timeout="1h",
     )
 
     logger.info("Gmail sync queued for connection %s", connection_id)
--- a/server/worker.py
+++ b/server/worker.py
@@ -8,7 +8,7 @@
 
 logger = logging.getLogger(__name__)
 
-RQ_QUEUES = os.getenv("RQ_QUEUES", "high,default,low")
+RQ_QUEUES = os.getenv("RQ_QUEUES", "high,default,low,maintenance")
 
 queue_names = [q.strip() for q in RQ_QUEUES.split(",") if q.strip()]
 
"""


@pytest.fixture
def seed_copy(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "seed_app", tmp_path / "seed_app")
    monkeypatch.chdir(tmp_path / "seed_app")
    return tmp_path / "seed_app"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root but worker-audit's own cache."""
    files = (p for p in sorted(root.rglob("*")) if p.is_file() and ".worker_audit_cache" not in p.parts)
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def test_diff_prints_the_safe_fixes_and_writes_nothing(seed_copy):
    before = snapshot(seed_copy)
    result = CliRunner().invoke(main, ["check", ".", "--diff"])
    assert result.exit_code == 1
    assert result.stdout == SEED_FIX_DIFF
    assert snapshot(seed_copy) == before


def test_fix_writes_exactly_the_diff_and_a_second_run_changes_nothing(seed_copy):
    before = snapshot(seed_copy)
    first = CliRunner().invoke(main, ["fix", "."])
    assert "Applied 6 edits (4 files changed)." in first.stderr
    after = snapshot(seed_copy)
    assert {name for name in after if after[name] != before[name]} == {
        "docker-compose.yml",
        "server/jobs/gmail_sync_job.py",
        "server/routes_gmail.py",
        "server/worker.py",
    }
    # what the fixes wrote raises nothing new: exactly the fixed findings are gone
    remaining = [line.split(": ")[1].split()[0] for line in first.stdout.splitlines() if ": WA" in line]
    assert sorted(remaining) == ["WA101", "WA102", "WA103", "WA301", "WA302", "WA303", "WA304", "WA305", "WA308"]
    second = CliRunner().invoke(main, ["fix", "."])
    assert "Applied 0 edits (0 files changed)." in second.stderr
    assert snapshot(seed_copy) == after
    assert CliRunner().invoke(main, ["check", ".", "--diff"]).stdout == ""


def test_nothing_outside_the_given_paths_is_written(seed_copy):
    before = snapshot(seed_copy)
    CliRunner().invoke(main, ["fix", "server/worker.py", "server/routes_receipts.py"])
    after = snapshot(seed_copy)
    assert after["docker-compose.yml"] == before["docker-compose.yml"]  # outside the paths
    assert after["server/worker.py"] != before["server/worker.py"]


def test_a_fix_that_would_create_a_file_outside_the_given_paths_is_not_applied_at_all(seed_copy):
    """WA101's fix creates server/jobs/bulk_delete_leads_job.py and imports it in the handler:
    run on the handler's file alone, it is not applied (the import would name a module that
    was never written)."""
    routes = seed_copy / "server" / "routes_leads.py"
    result = CliRunner().invoke(main, ["fix", "server/routes_leads.py", "--select", "WA101", "--unsafe-fixes"])
    assert "Applied 0 edits" in result.stderr, result.stderr
    assert routes.read_bytes() == (FIXTURES / "seed_app" / "server" / "routes_leads.py").read_bytes()
    assert not (seed_copy / "server" / "jobs" / "bulk_delete_leads_job.py").exists()


WORKER_MODULE = """\
import os

from redis import Redis
from rq import Queue, Worker

QUEUES = os.getenv("RQ_QUEUES", "default").split(",")

if __name__ == "__main__":
    Worker([Queue(name, connection=Redis()) for name in QUEUES]).work()
"""


@pytest.mark.parametrize(
    ("queue", "value"),
    [
        ("emails", "RQ_QUEUES: >-\n        default\n"),  # a folded block: `,emails` would end up outside it
        ("o'reilly", "RQ_QUEUES: 'default'\n"),  # would close the quoted string
        ("a #b", "RQ_QUEUES: default\n"),  # `#b` would become a comment, and the fix come back each run
        ("a\\b", 'RQ_QUEUES: "default"\n'),  # an escape inside a double-quoted string
    ],
)
def test_no_wa201_fix_that_the_yaml_could_not_hold_as_written(tmp_path, monkeypatch, queue, value):
    (tmp_path / "worker.py").write_text(WORKER_MODULE)
    (tmp_path / "tasks.py").write_text(
        "from redis import Redis\nfrom rq import Queue\n\n"
        f"emails = Queue({queue!r}, connection=Redis())\n\n\n"
        "def schedule(user_id):\n    emails.enqueue(print, user_id)\n"
    )
    compose = "services:\n  worker:\n    command: python worker.py\n    environment:\n      " + value
    (tmp_path / "docker-compose.yml").write_text(compose)
    monkeypatch.chdir(tmp_path)
    report = CliRunner().invoke(main, ["check", "--no-cache", "--select", "WA201", "--format", "json", "."]).stdout
    assert [(f["code"], f["fix"]) for f in json.loads(report)] == [("WA201", None)]
    CliRunner().invoke(main, ["fix", "--no-cache", "."])
    assert (tmp_path / "docker-compose.yml").read_text() == compose
    assert (tmp_path / "worker.py").read_text() == WORKER_MODULE


def test_a_fixed_compose_file_that_would_not_load_is_not_written():
    assert not fixes.compiles("docker-compose.yml", "a: >-\n  x\n,y\n", "a: >-\n  x\n")
    assert fixes.compiles("docker-compose.yml", "a: x,y\n", "a: x\n")
    assert fixes.compiles("docker-compose.yml", "a: [\n", "a: [\n")  # it did not load before either


ONE_LINE_HANDLER_APP = {
    "app/__init__.py": "",
    "app/extensions.py": (
        "from flask_sqlalchemy import SQLAlchemy\nfrom redis import Redis\n\ndb = SQLAlchemy()\nredis_conn = Redis()\n"
    ),
    "app/models.py": (
        "from app.extensions import db\n\n\nclass BackgroundJob(db.Model):\n"
        "    id = db.Column(db.Integer, primary_key=True)\n\n\nclass Lead(db.Model):\n"
        "    id = db.Column(db.Integer, primary_key=True)\n"
    ),
    "app/jobs/__init__.py": "",
    "app/jobs/work.py": (
        "from app.extensions import db\nfrom app.models import Lead\n\n\ndef email_leads_job(lead_ids):\n"
        "    for lead in Lead.query.filter(Lead.id.in_(lead_ids)):\n        lead.emailed = True\n"
        "        db.session.commit()\n"
    ),
    "app/routes.py": (
        "from flask import Blueprint, request\nfrom rq import Queue\n\nfrom app.extensions import redis_conn\n"
        "from app.jobs.work import email_leads_job\n\nbp = Blueprint('main', __name__)\n\n\n"
        "@bp.route('/email', methods=['POST'])\n"
        "def email_leads(): return Queue('default', connection=redis_conn).enqueue(email_leads_job, request.json)\n"
    ),
}


def test_a_declined_unsafe_fix_leaves_the_safe_fixes_of_its_file_applied(tmp_path, monkeypatch):
    """The WA301 codemod declines a handler written on its `def` line; WA307's safe fix of the
    same enqueue is applied all the same, as without --unsafe-fixes, and the decline is said once."""
    for name, text in ONE_LINE_HANDLER_APP.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["fix", "--no-cache", ".", "--unsafe-fixes", "--select", "WA301,WA307"])
    assert result.stderr.count("fix not applied: the code does not have the shape it needs") == 1
    assert (
        (tmp_path / "app" / "routes.py")
        .read_text()
        .endswith('enqueue(email_leads_job, request.json, job_timeout="1h")\n')
    )
    # the unsafe fixes were asked for: nothing says they could be enabled
    assert "hidden fix" not in result.stdout and "WA301" in result.stdout


def test_the_diff_splits_lines_as_patch_does_and_marks_a_missing_last_newline(tmp_path):
    path = str(tmp_path / "a.py")
    old = "x = 1\n\x0cy = 2\nz = 3"  # a form feed inside a line, no newline at the end
    new = "x = 1\n\x0cy = 2\nz = 4"
    assert fixes.unified_diff(path, "a.py", old, new) == (
        "--- /dev/null\n+++ b/a.py\n@@ -1,3 +1,3 @@\n x = 1\n \x0cy = 2\n-z = 3\n"
        "\\ No newline at end of file\n+z = 4\n\\ No newline at end of file\n"
    )


def test_the_diff_is_in_the_files_encoding_with_its_bom(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n")
    old = read_text(str(path), path.read_bytes())
    new = replace(old, text=old.text + "x = 1\n")
    assert b"+x = 1\n" in fixes.diff_bytes(str(path), "a.py", old, new)
    assert b" name = '\xe9'\n" in fixes.diff_bytes(str(path), "a.py", old, new)  # latin-1, as in the file
    bom = read_text(str(path), b"\xef\xbb\xbfx = 1\n")
    assert fixes.diff_bytes(str(path), "a.py", bom, replace(bom, text="x = 2\n")).endswith(
        "-\ufeffx = 1\n+\ufeffx = 2\n".encode()
    )


def test_unfixable_codes_are_left_alone(seed_copy):
    (seed_copy / "pyproject.toml").write_text('[tool.worker-audit]\nunfixable = ["WA307"]\n')
    result = CliRunner().invoke(main, ["check", ".", "--diff"])
    assert "job_timeout" not in result.stdout
    assert "maintenance" in result.stdout


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("q.enqueue(f)\n", 'q.enqueue(f, job_timeout="1h")\n'),
        ("q.enqueue()\n", 'q.enqueue(job_timeout="1h")\n'),
        ("q.enqueue(f, 1,)\n", 'q.enqueue(f, 1, job_timeout="1h",)\n'),
        ("q.enqueue(\n    f,\n    1,\n)\n", 'q.enqueue(\n    f,\n    1,\n    job_timeout="1h",\n)\n'),
        ("q.enqueue(\r\n    f,\r\n)\r\n", 'q.enqueue(\r\n    f,\r\n    job_timeout="1h",\r\n)\r\n'),
        # a comment after the last argument stays on its line, and the new one goes after it
        (
            "q.enqueue(\n    f,\n    ids,  # the ids\n)\n",
            'q.enqueue(\n    f,\n    ids,  # the ids\n    job_timeout="1h",\n)\n',
        ),
        ("q.enqueue(f, ids  # the ids\n)\n", 'q.enqueue(f, ids, job_timeout="1h"  # the ids\n)\n'),
        ("q.enqueue(f, '# not a comment'\n)\n", "q.enqueue(f, '# not a comment', job_timeout=\"1h\"\n)\n"),
    ],
)
def test_append_argument(source, expected):
    lines = source.split("\n")
    end_line = len([line for line in lines if line]) or 1
    end_column = len(lines[end_line - 1].rstrip("\r")) + 1
    edit = Edit("x.py", 1, 1, end_line, end_column, 'job_timeout="1h"', "append-argument")
    assert apply_edits(source, [edit])[0] == expected


@pytest.mark.parametrize(
    ("source", "kind", "text", "expected"),
    [
        ('"a,b"', "append-to-string", ",c", '"a,b,c"'),
        ("'a,b'", "append-to-string", ",c", "'a,b,c'"),
        ('"""a,b"""', "append-to-string", ",c", '"""a,b,c"""'),
        ("RQ_QUEUES=a,b", "append-to-string", ",c", "RQ_QUEUES=a,b,c"),
        ('"a,b"', "replace-string", "x,y", '"x,y"'),
    ],
)
def test_string_edits(source, kind, text, expected):
    edit = Edit("x.py", 1, 1, 1, len(source) + 1, text, kind)
    assert apply_edits(source, [edit])[0] == expected


def test_line_inserts_take_the_indentation_of_their_statement():
    source = "def job():\n    for i in x:\n        do(\n            i,\n        )\n    return 1\n"
    edits = [
        Edit("x.py", 3, 9, 5, 1, "log()", "insert-line-after"),  # after the multi-line call in the loop
        Edit("x.py", 6, 5, 6, 1, "done()", "insert-line"),  # before the return
    ]
    assert apply_edits(source, edits)[0] == (
        "def job():\n    for i in x:\n        do(\n            i,\n        )\n        log()\n    done()\n    return 1\n"
    )


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_inserted_lines_end_as_the_files_lines_end(newline):
    source = newline.join(["def job():", "    for i in x:", "        do(i)", "    return 1", ""])
    edits = [Edit("x.py", 4, 5, 4, 1, "done()", "insert-line")]
    expected = newline.join(["def job():", "    for i in x:", "        do(i)", "    done()", "    return 1", ""])
    assert apply_edits(source, edits)[0] == expected


def test_overlapping_edits_are_skipped_and_identical_ones_merged():
    twice = [Edit("x", 1, 2, 1, 2, "X"), Edit("x", 1, 2, 1, 2, "X")]
    assert apply_edits("abcdef", twice) == ("aXbcdef", 1, 0)
    overlapping = [Edit("x", 1, 2, 1, 4, "", "replace-string"), Edit("x", 1, 3, 1, 5, "", "replace-string")]
    assert apply_edits("abcdef", overlapping) == ("adef", 1, 1)


def _finding(path: str, edit: Edit) -> Finding:
    return Finding("WA307", "x", Severity.INFO, "m", path, Span(1, 1, 1, 1), (), Fix("safe", "d", (edit,)))


def test_a_fix_that_would_not_parse_is_dropped():
    current = {"a.py": read_text("a.py", b"f(1)\n")}
    broken = _finding("a.py", Edit("a.py", 1, 1, 1, 1, "(((", "insert"))
    round_ = plan_round([broken], current, unsafe=False, fixable={"WA307"})
    assert round_.changed == {}
    assert round_.dropped == ["a.py: fixes dropped: the fixed code would not compile"]


def test_a_fix_the_files_encoding_cannot_hold_is_dropped():
    current = {"a.py": read_text("a.py", b"# -*- coding: ascii -*-\nf(1)\n")}
    accented = _finding("a.py", Edit("a.py", 2, 4, 2, 4, ', queue="caf\u00e9"', "insert"))
    round_ = plan_round([accented], current, unsafe=False, fixable={"WA307"})
    assert round_.changed == {}
    assert round_.dropped == ["a.py: fixes dropped: the fixed text cannot be written in ascii"]


def test_a_fix_that_parses_but_would_not_compile_is_dropped():
    # `f(a=1, a=2)` parses (ast, libcst) but CPython refuses to compile it
    current = {"a.py": read_text("a.py", b"f(a=1)\n")}
    twice = _finding("a.py", Edit("a.py", 1, 1, 1, 7, "a=2", "append-argument"))
    round_ = plan_round([twice], current, unsafe=False, fixable={"WA307"})
    assert round_.changed == {}
    assert round_.dropped == ["a.py: fixes dropped: the fixed code would not compile"]


def test_a_file_that_did_not_compile_before_the_fix_only_has_to_parse():
    current = {"a.py": read_text("a.py", b"return f(1)\n")}  # `return` outside a function: parses only
    edit = _finding("a.py", Edit("a.py", 1, 8, 1, 12, "b=2", "append-argument"))
    round_ = plan_round([edit], current, unsafe=False, fixable={"WA307"})
    assert round_.dropped == []
    assert round_.changed["a.py"].text == "return f(1, b=2)\n"


def test_a_fix_that_leaves_its_finding_is_applied_once(tmp_path, monkeypatch):
    from worker_audit.checks.wa307_enqueue_without_timeout import EnqueueWithoutTimeout

    (tmp_path / "a.py").write_text("x = 1\n")
    path = str(tmp_path / "a.py")

    def check(self, analysis):  # a fix that never removes its finding
        yield _finding(path, Edit(path, 1, 1, 1, 1, "# note\n", "insert"))

    monkeypatch.setattr(EnqueueWithoutTimeout, "check", check)
    outcome = fixes.fix_to_fixpoint([Path(path)], Settings(root=tmp_path, cache_dir=""), {"WA307"}, False, {"WA307"})
    assert outcome.after[path].text == "# note\nx = 1\n"
    assert outcome.applied == 1
    assert outcome.dropped == [f"{path}:1: WA307 fix not applied again: applying it did not remove the finding"]


def test_an_edit_an_overlap_pushed_out_is_not_counted_as_tried():
    current = {"a.py": read_text("a.py", b"x = 'abcdef'\n")}
    first = Finding("WA203", "x", Severity.INFO, "one", "a.py", Span(1, 5, 1, 13), (), None)
    second = replace(first, message="two")
    first = replace(first, fix=Fix("safe", "d", (Edit("a.py", 1, 5, 1, 13, "abc", "replace-string"),)))
    second = replace(second, fix=Fix("safe", "d", (Edit("a.py", 1, 6, 1, 12, "xyz", "replace-string"),)))
    round_ = plan_round([first, second], current, unsafe=False, fixable={"WA203"})
    assert round_.applied == 1
    assert round_.tried == {fixes.finding_key(first)}  # the second may still apply next round


def test_no_wa203_fix_when_the_services_running_the_worker_disagree(tmp_path, monkeypatch):
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n"
        "  mail-worker:\n    command: python worker.py\n    environment:\n      - RQ_QUEUES=default,emails\n"
        "  report-worker:\n    command: python worker.py\n    environment:\n      - RQ_QUEUES=default,reports\n"
    )
    (tmp_path / "worker.py").write_text('import os\n\nQUEUES = os.getenv("RQ_QUEUES", "default").split(",")\n')
    monkeypatch.chdir(tmp_path)
    report = CliRunner().invoke(main, ["check", ".", "--select", "WA203", "--no-cache", "--format", "json"])
    assert [(f["line"], f["message"], f["fix"]) for f in json.loads(report.stdout)] == [
        (
            3,
            "RQ_QUEUES default in worker.py (default) differs from service `mail-worker` (RQ_QUEUES) "
            "(default, emails): missing emails",
            None,
        ),
        (
            3,
            "RQ_QUEUES default in worker.py (default) differs from service `report-worker` (RQ_QUEUES) "
            "(default, reports): missing reports",
            None,
        ),
    ]


def test_no_wa203_fix_when_a_service_runs_the_worker_on_its_default(tmp_path, monkeypatch):
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n"
        "  worker:\n    command: python -m worker\n    environment:\n      - RQ_QUEUES=default,emails\n"
        "  worker2:\n    command: python -m worker\n"
    )
    (tmp_path / "worker.py").write_text('import os\n\nQUEUES = os.getenv("RQ_QUEUES", "default").split(",")\n')
    monkeypatch.chdir(tmp_path)
    report = CliRunner().invoke(main, ["check", ".", "--select", "WA203", "--no-cache", "--format", "json"])
    # rewriting the default would make worker2 serve `emails` too
    assert [(f["line"], f["fix"]) for f in json.loads(report.stdout)] == [(3, None)]


CELERY_AND_RQ = {
    "models.py": "from django.db import models\n\n\nclass Order(models.Model):\n    total = models.IntegerField()\n",
    "tasks.py": """\
from celery import Celery
from redis import Redis
from rq import Queue

from models import Order

app = Celery("shop")
q = Queue("default", connection=Redis())


@app.task(time_limit=600)
def refresh_orders(order_ids):
    for order in Order.objects.filter(id__in=order_ids):
        order.save()


def recount_orders(order_ids):
    for order in Order.objects.filter(id__in=order_ids):
        order.save()


def schedule(order_ids):
    refresh_orders.delay(order_ids)
    refresh_orders.apply_async(args=(order_ids,))
    q.enqueue(recount_orders, order_ids)
""",
}


def test_wa307_asks_rq_enqueues_for_a_timeout_and_never_celery_tasks(tmp_path, monkeypatch):
    for name, text in CELERY_AND_RQ.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    report = runner.invoke(main, ["check", ".", "--select", "WA307", "--no-cache", "--format", "json"])
    findings = json.loads(report.stdout)
    assert [(f["line"], f["message"]) for f in findings] == [
        (25, "`recount_orders` loops over work but is enqueued without a job_timeout (RQ default: 180 s)")
    ]
    fixed = runner.invoke(main, ["fix", ".", "--select", "WA307", "--no-cache"])
    assert fixed.exit_code == 0, fixed.output
    assert (tmp_path / "tasks.py").read_text() == CELERY_AND_RQ["tasks.py"].replace(
        "q.enqueue(recount_orders, order_ids)", 'q.enqueue(recount_orders, order_ids, job_timeout="1h")'
    )


def test_encoding_bom_and_line_endings_are_kept(tmp_path):
    latin = "# -*- coding: latin-1 -*-\r\nq.enqueue(f)  # caf\xe9\r\n".encode("latin-1")
    path = tmp_path / "a.py"
    path.write_bytes(latin)
    current = {str(path): read_text(str(path), latin)}
    edit = Edit(str(path), 2, 1, 2, 13, 'job_timeout="1h"', "append-argument")
    round_ = plan_round([_finding(str(path), edit)], current, unsafe=False, fixable={"WA307"})
    assert round_.changed[str(path)].encoded() == (
        '# -*- coding: latin-1 -*-\r\nq.enqueue(f, job_timeout="1h")  # caf\xe9\r\n'.encode("latin-1")
    )
    bom = b"\xef\xbb\xbfq.enqueue(f)\n"
    assert read_text("b.py", bom).encoded() == bom


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "a.py"
    path.write_text("old\n")

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(fixes.os, "replace", broken_replace)
    with pytest.raises(fixes.FixWriteError, match="disk full; 0 files were changed"):
        fixes.write_outcome(_outcome(path, "new\n"))
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]


def test_a_file_that_cannot_be_written_leaves_every_file_as_it_was(seed_copy, monkeypatch):
    """The unsafe fixes change a job and its enqueues together: when one of the files cannot
    be written, none is, and the error is one line (exit 2), not a traceback."""
    before = snapshot(seed_copy)
    staged = fixes._staged

    def read_only_routes(path, data):
        if path.endswith("routes_gmail.py"):
            raise PermissionError(1, "Operation not permitted")
        return staged(path, data)

    monkeypatch.setattr(fixes, "_staged", read_only_routes)
    result = CliRunner().invoke(main, ["fix", ".", "--unsafe-fixes"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"worker-audit: error: cannot write {seed_copy / 'server' / 'routes_gmail.py'}: "
        "Operation not permitted; no file was changed"
    )
    assert snapshot(seed_copy) == before  # no temporary file left either


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_a_fixed_file_keeps_its_owner_and_mode(tmp_path):
    path = tmp_path / "a.py"
    path.write_text("old\n")
    os.chown(path, 1234, 5678)
    os.chmod(path, 0o640)
    fixes.write_outcome(_outcome(path, "new\n"))
    status = path.stat()
    assert (path.read_text(), status.st_uid, status.st_gid, status.st_mode & 0o777) == ("new\n", 1234, 5678, 0o640)


def _outcome(path: Path, text: str) -> fixes.FixOutcome:
    """What a fix run would write: one file's new text."""
    return fixes.FixOutcome(after={str(path): fixes.FileText(str(path), text)})


def _undefined_names(source: str) -> set[str]:
    from pyflakes import api, messages
    from pyflakes.reporter import Reporter

    class Collect(Reporter):
        def __init__(self):
            self.found: set[str] = set()

        def flake(self, message):
            if isinstance(message, messages.UndefinedName):
                self.found.add(message.message_args[0])

        def syntaxError(self, *args):
            self.found.add("<syntax error>")

        def unexpectedError(self, *args):
            self.found.add("<error>")

    reporter = Collect()
    api.check(source, "fixed.py", reporter)
    return reporter.found


CASES_WITH_FIXES = [
    "seed_app",
    "cases/topology_compose_list",
    "cases/topology_compose_map",
    "cases/topology_anchors",
    "cases/job_standard",
]


@pytest.mark.parametrize("case", CASES_WITH_FIXES)
def test_fixed_fixtures_compile_add_no_undefined_name_and_lose_the_fixed_findings(case, tmp_path, monkeypatch):
    root = tmp_path / "tree"
    shutil.copytree(FIXTURES / case, root)
    monkeypatch.chdir(root)
    before = snapshot(root)
    fixed_codes = CliRunner().invoke(main, ["check", ".", "--format", "json"])
    import json

    findings = json.loads(fixed_codes.stdout)
    fixable = {(f["code"], f["path"], f["line"]) for f in findings if f["fix"] and f["fix"]["applicability"] == "safe"}
    CliRunner().invoke(main, ["fix", ".", "--unsafe-fixes"])
    after = snapshot(root)
    for name, data in after.items():
        if name.endswith(".py") and data != before.get(name):
            text = data.decode()
            compile(text, name, "exec")
            assert _undefined_names(text) <= _undefined_names(before.get(name, b"").decode()), name
    assert fixable, "each case listed here has something to fix"
    remaining = json.loads(CliRunner().invoke(main, ["check", ".", "--format", "json"]).stdout)
    left = {(f["code"], f["path"], f["line"]) for f in remaining}
    assert not left & fixable
    assert "Applied 0 edits (0 files changed)." in CliRunner().invoke(main, ["fix", ".", "--unsafe-fixes"]).stderr


WHATSAPP_UNSAFE_DIFF = """\
--- a/server/routes_whatsapp.py
+++ b/server/routes_whatsapp.py
@@ -1,11 +1,11 @@
 import logging
-import threading
 
 from flask import Blueprint, abort, jsonify, request
 
-from server.extensions import db
-from server.models import WhatsAppBroadcast, WhatsAppBroadcastRecipient
+from server.extensions import redis_conn, db
+from server.models import BackgroundJob, WhatsAppBroadcast, WhatsAppBroadcastRecipient
 from server.services.broadcast_worker import process_broadcast
+from rq import Queue
 
 logger = logging.getLogger(__name__)
 
@@ -39,15 +39,13 @@
     db.session.add(broadcast)
     db.session.commit()
 
-    thread = threading.Thread(
-        target=process_broadcast,
-        args=(broadcast.id,),
-        daemon=True,
-    )
-    thread.start()
+    job = BackgroundJob(job_type="process_broadcast", status="queued")
+    db.session.add(job)
+    db.session.commit()
+    Queue("default", connection=redis_conn).enqueue(process_broadcast, job.id, broadcast.id, job_timeout="1h")
 
     logger.info("Broadcast %s created with %d recipients", broadcast.id, len(phones))
-    return jsonify({"broadcast_id": broadcast.id, "status": broadcast.status}), 201
+    return jsonify({"broadcast_id": broadcast.id, "status": broadcast.status, "job_id": job.id}), 202
 
 
 @whatsapp_bp.route("/api/whatsapp/broadcasts/<int:broadcast_id>", methods=["GET"])
"""


def test_unsafe_fix_turns_the_daemon_thread_into_a_tracked_enqueue(seed_copy):
    safe_only = CliRunner().invoke(main, ["check", ".", "--diff"]).stdout
    assert "routes_whatsapp.py" not in safe_only  # unsafe fixes need --unsafe-fixes
    diff = CliRunner().invoke(main, ["check", ".", "--diff", "--unsafe-fixes"]).stdout
    assert "--- a/server/routes_whatsapp.py\n" + diff.split("--- a/server/routes_whatsapp.py\n")[1].split("--- a/")[
        0
    ] == (WHATSAPP_UNSAFE_DIFF)
    CliRunner().invoke(main, ["fix", ".", "--unsafe-fixes"])
    fixed = (seed_copy / "server" / "routes_whatsapp.py").read_text()
    compile(fixed, "routes_whatsapp.py", "exec")
    assert _undefined_names(fixed) == set()
    remaining = CliRunner().invoke(main, ["check", ".", "--select", "WA102,WA308,WA301,WA302"]).stdout
    assert "routes_whatsapp.py" not in remaining and "broadcast_worker.py:13:5: WA308" not in remaining
    assert "Applied 0 edits" in CliRunner().invoke(main, ["fix", ".", "--unsafe-fixes"]).stderr


def test_unsafe_fix_moves_the_bulk_delete_into_a_batched_job(seed_copy):
    # the exact diff is pinned in tests/golden/seed_app_wa101_fix.diff
    first = CliRunner().invoke(main, ["fix", ".", "--select", "WA101", "--unsafe-fixes"])
    assert "Applied 1 edit (2 files changed)." in first.stderr
    job = seed_copy / "server" / "jobs" / "bulk_delete_leads_job.py"
    handler = (seed_copy / "server" / "routes_leads.py").read_text()
    for text in (job.read_text(), handler):
        compile(text, "fixed.py", "exec")
        assert _undefined_names(text) == set()
    assert oct(job.stat().st_mode & 0o777) == "0o644"
    # the new job meets the job standard and the handler no longer does the work inline
    remaining = CliRunner().invoke(main, ["check", ".", "--format", "json"]).stdout
    import json

    paths = {(f["code"], f["path"]) for f in json.loads(remaining)}
    assert not {p for p in paths if p[1] in ("server/routes_leads.py", "server/jobs/bulk_delete_leads_job.py")}
    second = CliRunner().invoke(main, ["fix", ".", "--select", "WA101", "--unsafe-fixes"])
    assert "Applied 0 edits (0 files changed)." in second.stderr


def test_bulk_fix_leaves_a_block_it_does_not_understand_alone(seed_copy):
    handler = seed_copy / "server" / "routes_leads.py"
    two_lists = handler.read_text().replace("LeadNote.lead_id.in_(lead_ids)", "LeadNote.lead_id.in_(note_ids)")
    handler.write_text(two_lists.replace("    lead_ids = _parse", "    note_ids = lead_ids = _parse"))
    before = snapshot(seed_copy)
    result = CliRunner().invoke(main, ["fix", ".", "--select", "WA101", "--unsafe-fixes"])
    assert "server/routes_leads.py: fix not applied: the code does not have the shape it needs" in result.stderr
    assert snapshot(seed_copy) == before


def test_thread_to_job_codemod_chained_start_and_keyword_arguments():
    import libcst

    from worker_audit.codemods import thread_to_job

    source = (
        "from threading import Thread\n\nfrom flask import jsonify\n\n\n"
        "def handler(user_id):\n"
        "    Thread(target=send, args=[user_id], kwargs={'retry': True}, daemon=True).start()\n"
        "    return jsonify({'ok': True})\n"
    )
    spec = {**SPAWN_SPEC, "style": "thread"}
    assert thread_to_job(libcst.parse_module(source), spec).code == (
        "from flask import jsonify\nfrom app.extensions import db, redis_conn\n"
        "from app.models import BackgroundJob\nfrom rq import Queue\n\n\n"
        "def handler(user_id):\n"
        '    job = BackgroundJob(job_type="send", status="queued")\n'
        "    db.session.add(job)\n"
        "    db.session.commit()\n"
        '    Queue("default", connection=redis_conn).enqueue(send, user_id, retry=True, job_timeout="10m")\n'
        "    return jsonify({'ok': True, \"job_id\": job.id}), 202\n"
    )
    assert thread_to_job(libcst.parse_module(source), {**spec, "line": 8}) is None  # the shape moved: no rewrite


@pytest.mark.parametrize(
    "body",
    [
        # the line holds more than the thread: replacing it would lose `log(...)`
        "    t = Thread(target=send, args=(user_id,)); t.start(); log(user_id)\n",
        "    Thread(target=send, args=(user_id,)).start(); log(user_id)\n",
        # the thread is used besides being started: removing it leaves an undefined name
        "    t = Thread(target=send, args=(user_id,))\n    t.daemon = True\n    t.start()\n",
        "    t = Thread(target=send, args=(user_id,))\n    t.start(); log(t.name)\n",
        "    t = Thread(target=send, args=(user_id,))\n    t.start()\n    t.join()\n",
    ],
)
def test_thread_to_job_codemod_loses_no_code_and_leaves_no_name_undefined(body):
    import libcst

    from worker_audit.codemods import thread_to_job

    source = "from threading import Thread\n\n\ndef handler(user_id):\n" + body + "    return {}\n"
    assert thread_to_job(libcst.parse_module(source), {**SPAWN_SPEC, "style": "thread", "line": 5}) is None


@pytest.mark.parametrize(
    ("head", "params"),
    [
        ("from queue import Queue\n", "user_id"),  # `Queue` is the standard library's here
        ("from app.legacy import BackgroundJob\n", "user_id"),  # another class of that name
        ("", "user_id, db='primary'"),  # the handler's own `db`
        ("redis_conn = None\n", "user_id"),  # the module's own `redis_conn`
    ],
)
def test_thread_to_job_codemod_writes_no_name_that_means_something_else_there(head, params):
    import libcst

    from worker_audit.codemods import thread_to_job

    source = (
        f"from threading import Thread\n{head}\n\ndef handler({params}):\n"
        "    Thread(target=send, args=(user_id,)).start()\n    return {}\n"
    )
    line = source.splitlines().index("    Thread(target=send, args=(user_id,)).start()") + 1
    spec = {**SPAWN_SPEC, "style": "thread", "line": line, "module": "app.routes"}
    assert thread_to_job(libcst.parse_module(source), spec) is None
    unclashed = source.replace(head, "").replace(", db='primary'", "")
    line = unclashed.splitlines().index("    Thread(target=send, args=(user_id,)).start()") + 1
    assert thread_to_job(libcst.parse_module(unclashed), {**spec, "line": line}) is not None


BULK_HANDLER = """\
from flask import jsonify, request

from app.extensions import db
from app.models import Item, Tag

LIMIT = 10


def purge(owner_id):
    payload = request.get_json()
    item_ids, reason = payload["ids"], payload["reason"]
    Tag.query.filter(Tag.item_id.in_(item_ids), Tag.owner_id == owner_id).delete()
    Item.query.filter(Item.id.in_(item_ids)).update({"reason": reason, "item_ids": payload.item_ids})
    db.session.commit()
    return jsonify({"ok": True})
"""

BULK_SPEC = {
    "function": "purge",
    "module": "app.routes",
    "first_line": 12,
    "last_line": 13,
    "job_function": "purge_job",
    "jobs_module": "app.jobs.purge_job",
    "job_path": "app/jobs/purge_job.py",
    "job_model": ["app.models", "BackgroundJob"],
    "db": ["app.extensions", "db"],
    "redis": ["app.extensions", "redis_conn"],
    "queue": "default",
    "timeout": "1h",
    "batch_size": 50,
    "heartbeat_field": "heartbeat_at",
    "cancel_states": ["cancelled"],
    "log_start": "JOB_START",
    "log_progress": "JOB_PROGRESS",
    "log_done": "JOB_DONE",
}


def test_bulk_to_job_passes_the_handlers_variables_and_renames_only_the_id_list():
    import libcst

    from worker_audit.codemods import bulk_to_job

    handler, created = bulk_to_job(libcst.parse_module(BULK_HANDLER), BULK_SPEC)
    job = created["app/jobs/purge_job.py"]
    # scope analysis: the tuple-bound `reason`, the parameter `owner_id` and `payload` are passed
    assert "def purge_job(job_id, item_ids, owner_id, payload, reason):\n" in job
    assert (
        'Queue("default", connection=redis_conn).enqueue(purge_job, job.id, item_ids, owner_id, payload, reason,'
        in (handler.code)
    )
    # the id list is read per batch; an attribute or a dict key of the same name is left alone
    assert "Tag.item_id.in_(batch), Tag.owner_id == owner_id" in job
    assert '{"reason": reason, "item_ids": payload.item_ids}' in job
    assert "from app.models import BackgroundJob, Item, Tag\n" in job
    assert 'if job.status in ("cancelled",):' in job
    assert "Tag" not in handler.code and "Item" not in handler.code.replace("purge_job", "")
    assert _undefined_names(job) == set() and _undefined_names(handler.code) == set()


@pytest.mark.parametrize(
    "change",
    [
        ("Tag.owner_id == owner_id", "Tag.owner_id == LIMIT"),  # a module-level variable the job cannot see
        ("Tag.owner_id == owner_id", "Tag.owner_id == undefined_name"),
        ('"item_ids": payload.item_ids', '"item_ids": request.args'),  # exists only in the request
        ('"reason": reason', '"reason": (batch := reason)'),  # a name the job binds itself
        ("    Item.query", "    item_ids = list(item_ids); Item.query"),  # rebinds the id list
        ('{"reason": reason,', '{"reason": """purged\nby admin""",'),  # re-indented, its text would change
    ],
)
def test_bulk_to_job_leaves_a_block_it_cannot_move(change):
    import libcst

    from worker_audit.codemods import bulk_to_job

    source = BULK_HANDLER.replace(*change)
    assert source != BULK_HANDLER
    assert bulk_to_job(libcst.parse_module(source), BULK_SPEC) is None


def _enqueue_queue_of_the_fix(code: str) -> str:
    findings = json.loads(CliRunner().invoke(main, ["check", ".", "--select", code, "--format", "json"]).stdout)
    return findings[0]["fix"]["description"]


def test_the_fixes_enqueue_on_a_queue_a_worker_serves(seed_copy):
    assert "on the `default` queue" in _enqueue_queue_of_the_fix("WA102")
    # no worker serves `default`: the served queue the project's enqueues use most (a tie: by name)
    for name in ("docker-compose.yml", "server/worker.py"):
        path = seed_copy / name
        path.write_text(path.read_text().replace("high,default,low", "low,high,maintenance"))
    assert "on the `high` queue" in _enqueue_queue_of_the_fix("WA102")
    diff = CliRunner().invoke(main, ["check", ".", "--select", "WA101", "--diff", "--unsafe-fixes"]).stdout
    assert '+    Queue("high", connection=redis_conn).enqueue(bulk_delete_leads_job,' in diff
    # the configured queue wins
    (seed_copy / "pyproject.toml").write_text('[tool.worker-audit]\nfix-queue = "bulk"\n')
    assert "on the `bulk` queue" in _enqueue_queue_of_the_fix("WA102")


SPAWN_SPEC = {
    "function": "handler",
    "line": 7,
    "job_type": "send",
    "job_model": ["app.models", "BackgroundJob"],
    "db": ["app.extensions", "db"],
    "redis": ["app.extensions", "redis_conn"],
    "queue": "default",
    "timeout": "10m",
    "style": "spawn",
}


@pytest.mark.parametrize(
    "spawn",
    ["gevent.spawn(send, user_id, retry=True)", "pool.submit(send, user_id, retry=True)"],
)
def test_thread_to_job_codemod_spawn_passes_the_arguments_through(spawn):
    import libcst

    from worker_audit.codemods import thread_to_job

    source = (
        "import gevent\n\nfrom flask import jsonify\n\n\n"
        f"def handler(user_id):\n    {spawn}\n    return jsonify({{'ok': True}})\n"
    )
    fixed = thread_to_job(libcst.parse_module(source), SPAWN_SPEC).code
    assert (
        '    Queue("default", connection=redis_conn).enqueue(send, user_id, retry=True, job_timeout="10m")\n' in fixed
    )
    assert ("import gevent" in fixed) == spawn.startswith("pool")  # removed when nothing else uses it
    assert _undefined_names(fixed) <= {"send", "pool"}


@pytest.mark.parametrize(
    "statement",
    [
        "greenlet = gevent.spawn(send, user_id)",  # the greenlet is kept (joined later)
        "gevent.spawn(*work)",  # no function to enqueue
    ],
)
def test_thread_to_job_codemod_spawn_leaves_other_shapes(statement):
    import libcst

    from worker_audit.codemods import thread_to_job

    source = f"import gevent\n\n\n\n\ndef handler(user_id):\n    {statement}\n    return 'ok'\n"
    assert thread_to_job(libcst.parse_module(source), SPAWN_SPEC) is None


def test_a_thread_that_is_never_started_is_not_turned_into_a_job():
    import libcst

    from worker_audit.codemods import thread_to_job

    source = "import threading\n\n\n\n\ndef handler(user_id):\n    threading.Thread(target=send)\n    return 'ok'\n"
    assert thread_to_job(libcst.parse_module(source), {**SPAWN_SPEC, "style": "thread"}) is None


def test_a_greenlet_in_the_handler_is_fixed_like_a_thread(seed_copy):
    route = seed_copy / "server" / "routes_whatsapp.py"
    text = route.read_text().replace("import threading\n", "import gevent\n")
    start = text.index("    thread = threading.Thread(")
    end = text.index("    thread.start()\n") + len("    thread.start()\n")
    route.write_text(text[:start] + "    gevent.spawn(process_broadcast, broadcast.id)\n" + text[end:])
    diff = CliRunner().invoke(main, ["check", ".", "--select", "WA102", "--diff", "--unsafe-fixes"]).stdout
    assert "-import gevent\n" in diff
    assert "-    gevent.spawn(process_broadcast, broadcast.id)\n" in diff
    assert (
        '+    Queue("default", connection=redis_conn).enqueue(process_broadcast, broadcast.id, job_timeout="1h")\n'
        in diff
    )


def test_the_bulk_fix_creates_the_jobs_package_when_the_project_has_none(seed_copy):
    (seed_copy / "server" / "jobs").rename(seed_copy / "server" / "tasks")
    first = CliRunner().invoke(main, ["fix", ".", "--select", "WA101", "--unsafe-fixes"])
    assert "Applied 1 edit (3 files changed)." in first.stderr
    init = seed_copy / "server" / "jobs" / "__init__.py"
    assert init.read_text() == '"""Background jobs, run by the worker (created by worker-audit)."""\n'
    assert (seed_copy / "server" / "jobs" / "bulk_delete_leads_job.py").is_file()
    assert (
        "from server.jobs.bulk_delete_leads_job import bulk_delete_leads_job\n"
        in (seed_copy / "server" / "routes_leads.py").read_text()
    )
    second = CliRunner().invoke(main, ["fix", ".", "--select", "WA101", "--unsafe-fixes"])
    assert "Applied 0 edits (0 files changed)." in second.stderr


def test_no_bulk_fix_when_jobs_is_a_module_not_a_package(seed_copy):
    (seed_copy / "server" / "jobs").rename(seed_copy / "server" / "tasks")
    (seed_copy / "server" / "jobs.py").write_text("")
    findings = json.loads(CliRunner().invoke(main, ["check", ".", "--select", "WA101", "--format", "json"]).stdout)
    assert [(f["code"], f["fix"]) for f in findings] == [("WA101", None)]


def test_track_enqueue_creates_the_record_before_a_nested_enqueue():
    import libcst

    from worker_audit.codemods import thread_to_job

    source = (
        "from flask import jsonify\n\n\n"
        "def handler(ids, job):\n"
        "    if ids:\n"
        "        # the export\n"
        "        rq_job = queue.enqueue(export, ids)\n"
        "        return jsonify({'rq': rq_job.id})\n"
        "    return jsonify({'empty': True})\n"  # another branch: no job there
    )
    spec = {**SPAWN_SPEC, "style": "track", "line": 7}
    assert thread_to_job(libcst.parse_module(source), spec).code == (
        "from flask import jsonify\nfrom app.extensions import db\nfrom app.models import BackgroundJob\n\n\n"
        "def handler(ids, job):\n"
        "    if ids:\n"
        "        # the export\n"
        '        background_job = BackgroundJob(job_type="send", status="queued")\n'
        "        db.session.add(background_job)\n"
        "        db.session.commit()\n"
        "        rq_job = queue.enqueue(export, ids)\n"
        "        return jsonify({'rq': rq_job.id, \"job_id\": background_job.id}), 202\n"
        "    return jsonify({'empty': True})\n"
    )


def test_unsafe_fixes_leave_the_seed_app_without_errors_or_warnings(seed_copy):
    # the whole diff is pinned in tests/golden/seed_app_unsafe_fix.diff
    first = CliRunner().invoke(main, ["fix", ".", "--unsafe-fixes"])
    assert "Applied 14 edits (8 files changed)." in first.stderr
    assert "fix not applied" not in first.stderr
    check = CliRunner().invoke(main, ["check", "."])
    assert check.exit_code == 0
    assert check.stdout.endswith("Found 1 finding (1 info).\n")  # WA103, the in-memory recording queue
    assert [line.split(" ")[:2] for line in check.stdout.splitlines()[:-1]] == [
        ["server/services/recording_service.py:16:1:", "WA103"]
    ]
    for name in ("server/jobs/gmail_sync_job.py", "server/services/broadcast_worker.py", "server/routes_gmail.py"):
        text = (seed_copy / name).read_text()
        compile(text, name, "exec")
        assert _undefined_names(text) == set(), name
    assert "Applied 0 edits (0 files changed)." in CliRunner().invoke(main, ["fix", ".", "--unsafe-fixes"]).stderr


def test_a_job_and_its_enqueues_change_together_or_not_at_all(seed_copy):
    # without the WA301 fix the Gmail handler creates no record to pass: no fix is offered for
    # the job (none that could not apply), and the job is left as it is
    before = snapshot(seed_copy)
    report = CliRunner().invoke(main, ["check", ".", "--select", "WA303", "--format", "json"]).stdout
    assert [(f["path"], f["fix"]) for f in json.loads(report)] == [("server/jobs/gmail_sync_job.py", None)]
    result = CliRunner().invoke(main, ["fix", ".", "--select", "WA303", "--unsafe-fixes"])
    assert "fix not applied" not in result.stderr
    assert snapshot(seed_copy) == before
    # with the WA301 fix, the record exists in the next round, and the job's fix follows
    CliRunner().invoke(main, ["fix", ".", "--select", "WA301,WA303", "--unsafe-fixes"])
    job = (seed_copy / "server" / "jobs" / "gmail_sync_job.py").read_text()
    assert "def sync_gmail_receipts_job(job_id, business_id: int, connection_id: int) -> int:" in job


def test_unsafe_diff_is_exactly_what_fix_writes(seed_copy):
    import re

    before = snapshot(seed_copy)
    diff = CliRunner().invoke(main, ["check", ".", "--diff", "--unsafe-fixes"]).stdout
    assert snapshot(seed_copy) == before  # --diff writes nothing
    CliRunner().invoke(main, ["fix", ".", "--unsafe-fixes"])
    after = snapshot(seed_copy)
    changed = [name for name in sorted(after) if after[name] != before.get(name)]
    written = "".join(
        fixes.unified_diff(str(seed_copy / n), n, before.get(n, b"").decode(), after[n].decode()) for n in changed
    )
    # a created file: --diff shows it from /dev/null; once written it exists
    assert written == re.sub(r"--- /dev/null\n\+\+\+ b/(.+)\n", r"--- a/\1\n+++ b/\1\n", diff)
    assert "server/jobs/bulk_delete_leads_job.py" in changed


def test_no_batch_fix_for_a_job_that_already_takes_a_job_id(monkeypatch):
    monkeypatch.chdir(FIXTURES / "cases" / "job_standard")
    findings = json.loads(CliRunner().invoke(main, ["check", ".", "--select", "WA303", "--format", "json"]).stdout)
    assert [(f["path"], f["line"], f["fix"]) for f in findings] == [
        ("app/jobs.py", 42, None),
        ("app/jobs.py", 62, None),
        ("app/jobs.py", 201, None),
        ("app/jobs.py", 216, None),
        ("app/jobs.py", 232, None),
    ]


THREAD_HANDLER = """\
@app.route("/report", methods=["POST"])
def report():
    threading.Thread(target=send_report, args=("x",)).start()
    return jsonify({"ok": True})
"""

FIXED_HANDLER = """\
@app.route("/report", methods=["POST"])
def report():
    job = BackgroundJob(job_type="send_report", status="queued")
    db.session.add(job)
    db.session.commit()
    Queue("default", connection=redis_conn).enqueue(send_report, "x", job_timeout="1h")
    return jsonify({"ok": True, "job_id": job.id}), 202
"""


def test_the_thread_fix_imports_nothing_from_the_module_it_rewrites(tmp_path, monkeypatch):
    """The job model, `db` and the Redis connection defined in app.py itself: `from app import
    BackgroundJob, db, redis_conn` there would be a circular import."""
    head = (
        "import threading\n\nfrom flask import Flask, jsonify\nfrom flask_sqlalchemy import SQLAlchemy\n"
        "from redis import Redis\n\napp = Flask(__name__)\ndb = SQLAlchemy(app)\nredis_conn = Redis()\n\n\n"
        "class BackgroundJob(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n"
        "def send_report(address):\n    print(address)\n\n\n"
    )
    (tmp_path / "app.py").write_text(head + THREAD_HANDLER)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "-q", "--fix", "--unsafe-fixes", "--select", "WA102", "."]
    )
    assert result.exit_code == 0, result.output
    fixed_head = head.replace("import threading\n\n", "").replace(
        "from redis import Redis\n", "from redis import Redis\nfrom rq import Queue\n"
    )
    assert (tmp_path / "app.py").read_text() == fixed_head + FIXED_HANDLER


def test_the_thread_fix_finds_the_job_model_in_the_module_the_handler_imports_it_from(tmp_path, monkeypatch):
    """models.py is not parsed (nothing in it is a handler, a queue or a worker): the fix
    reads it where app.py imports the job model from, and finds `db` beside it."""
    (tmp_path / "models.py").write_text(
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\n"
        "class BackgroundJob(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n"
    )
    head = (
        "from flask import Flask, jsonify\nfrom redis import Redis\n\nfrom models import BackgroundJob, db\n\n"
        "app = Flask(__name__)\nredis_conn = Redis()\n\n\ndef send_report(address):\n    print(address)\n\n\n"
    )
    (tmp_path / "app.py").write_text("import threading\n\n" + head + THREAD_HANDLER)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "-q", "--fix", "--unsafe-fixes", "--select", "WA102", "."]
    )
    assert result.exit_code == 0, result.output
    fixed_head = head.replace(
        "from models import BackgroundJob, db\n", "from models import BackgroundJob, db\nfrom rq import Queue\n"
    )
    assert (tmp_path / "app.py").read_text() == fixed_head + FIXED_HANDLER
