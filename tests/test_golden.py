"""Whole CLI outputs on the bundled example, pinned. After an intended change,
regenerate with WORKER_AUDIT_UPDATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import REPO

from worker_audit.cli import main

GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("seed_app.txt", ["check", "fixtures/seed_app"]),
        ("seed_app.json", ["check", "fixtures/seed_app", "--format", "json"]),
        ("seed_app_fixed.txt", ["check", "fixtures/seed_app_fixed"]),
        ("rules.txt", ["rules"]),
        ("explain_WA101.md", ["explain", "WA101"]),
        ("queues_seed_app.txt", ["queues", "fixtures/seed_app"]),
        ("queues_seed_app.json", ["queues", "fixtures/seed_app", "--format", "json"]),
        ("queues_seed_app_fixed.txt", ["queues", "fixtures/seed_app_fixed"]),
        # a queue only `task_routes` names, whose tasks no code here sends: routed, not dead
        ("queues_celery_named_queues.txt", ["queues", "fixtures/cases/topology_celery_named_queues"]),
        ("seed_app_wa101_fix.diff", ["check", "fixtures/seed_app", "--select", "WA101", "--diff", "--unsafe-fixes"]),
        ("seed_app_wa301_fix.diff", ["check", "fixtures/seed_app", "--select", "WA301", "--diff", "--unsafe-fixes"]),
        ("seed_app_unsafe_fix.diff", ["check", "fixtures/seed_app", "--diff", "--unsafe-fixes"]),
        ("seed_app.full.txt", ["check", "fixtures/seed_app", "--format", "full"]),
        ("seed_app.jsonl", ["check", "fixtures/seed_app", "--format", "json-lines"]),
        ("seed_app.github.txt", ["check", "fixtures/seed_app", "--format", "github"]),
        ("seed_app.gitlab.json", ["check", "fixtures/seed_app", "--format", "gitlab"]),
        ("seed_app.sarif", ["check", "fixtures/seed_app", "--format", "sarif"]),
        ("seed_app.junit.xml", ["check", "fixtures/seed_app", "--format", "junit"]),
    ],
)
def test_golden_output(name, args, in_repo):
    output = CliRunner().invoke(main, args).output
    golden = GOLDEN / name
    if os.environ.get("WORKER_AUDIT_UPDATE_GOLDEN"):
        golden.write_text(output)
    assert output == golden.read_text()
