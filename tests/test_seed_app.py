"""The seed audit (shared/mission/seed-audit.en.md), found by the tool itself."""

from __future__ import annotations

import json

from click.testing import CliRunner
from conftest import FIXTURES, audit

from worker_audit.cli import main

SEED = "fixtures/seed_app/server"


def test_seed_app_reports_exactly_the_audit(in_repo):
    assert audit(FIXTURES / "seed_app", select="WA0,WA1") == {
        (f"{SEED}/routes_leads.py", 93, "WA101"),  # bulk_delete_leads: first of four bulk deletes
        (f"{SEED}/routes_whatsapp.py", 42, "WA102"),  # create_broadcast: daemon thread
        (f"{SEED}/services/recording_service.py", 16, "WA103"),  # RECORDING_QUEUE
    }


def test_seed_app_reports_the_whole_audit_and_nothing_else(in_repo):
    assert audit(FIXTURES / "seed_app") == {
        (f"{SEED}/routes_leads.py", 93, "WA101"),  # bulk_delete_leads
        (f"{SEED}/routes_whatsapp.py", 42, "WA102"),  # create_broadcast: daemon thread
        (f"{SEED}/services/broadcast_worker.py", 13, "WA308"),  # the parallel worker it starts
        (f"{SEED}/services/recording_service.py", 16, "WA103"),  # RECORDING_QUEUE
        (f"{SEED}/routes_receipts.py", 58, "WA201"),  # Queue("maintenance"): not in RQ_QUEUES
        # the Gmail sync: enqueued without a BackgroundJob, 202 without the job id, no job_timeout
        (f"{SEED}/routes_gmail.py", 27, "WA301"),
        (f"{SEED}/routes_gmail.py", 34, "WA302"),
        (f"{SEED}/routes_gmail.py", 27, "WA307"),
        # ...and its job: no batches, heartbeat, cancel check or JOB_* logs
        (f"{SEED}/jobs/gmail_sync_job.py", 18, "WA303"),
        (f"{SEED}/jobs/gmail_sync_job.py", 18, "WA304"),
        (f"{SEED}/jobs/gmail_sync_job.py", 18, "WA305"),
        (f"{SEED}/jobs/gmail_sync_job.py", 18, "WA306"),
    }


def test_seed_app_maintenance_queue_points_at_the_worker_definitions(in_repo):
    result = CliRunner().invoke(main, ["check", "fixtures/seed_app", "--select", "WA201", "--format", "json"])
    (finding,) = json.loads(result.output)
    assert finding["message"] == (
        "queue `maintenance` has no worker: jobs enqueued to it never run (workers listen to: default, high, low)"
    )
    assert [(r["path"], r["line"]) for r in finding["related"]] == [
        ("fixtures/seed_app/docker-compose.yml", 19),
        (f"{SEED}/routes_receipts.py", 59),
    ]


def test_seed_app_messages_name_the_handler_and_the_daemon(in_repo):
    result = CliRunner().invoke(main, ["check", "fixtures/seed_app", "--select", "WA0,WA1", "--format", "json"])
    assert result.exit_code == 1
    by_code = {f["code"]: f for f in json.loads(result.output)}
    assert by_code["WA101"]["message"].startswith("`bulk_delete_leads` runs bulk database work")
    assert [r["line"] for r in by_code["WA101"]["related"]] == [93, 96, 99, 102]
    assert "daemon=True" in by_code["WA102"]["message"]
    assert "`create_broadcast`" in by_code["WA102"]["message"]
    assert by_code["WA103"]["severity"] == "info"
    assert {(r["path"], r["line"]) for r in by_code["WA103"]["related"]} == {
        (f"{SEED}/routes_calls.py", 20),
        (f"{SEED}/services/recording_service.py", 64),
    }


def test_seed_app_fixed_is_clean(in_repo):
    for selection in ("WA0,WA1", "ALL"):
        result = CliRunner().invoke(main, ["check", "fixtures/seed_app_fixed", "--select", selection])
        assert result.output == "No findings.\n"
        assert result.exit_code == 0
