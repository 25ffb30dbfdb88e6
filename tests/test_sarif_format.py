"""`--format sarif`: SARIF 2.1.0, valid against the official schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from worker_audit.cli import main

SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"


def test_the_seed_audit_as_sarif_is_valid_and_carries_rules_and_related_locations(in_repo):
    result = CliRunner().invoke(main, ["check", "fixtures/seed_app", "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))  # the official schema (tests/schemas)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == sorted({r["ruleId"] for r in run["results"]}) and len(run["results"]) == 12
    # each result is one finding of the JSON contract, at its code, file and line
    contract = json.loads(CliRunner().invoke(main, ["check", "fixtures/seed_app", "--format", "json"]).stdout)
    assert [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in run["results"]
    ] == [(f["code"], f["path"], f["line"]) for f in contract]
    bulk = next(r for r in run["results"] if r["ruleId"] == "WA101")
    assert rules[bulk["ruleIndex"]] == "WA101" and bulk["level"] == "error"
    assert bulk["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "fixtures/seed_app/server/routes_leads.py"},
        "region": {"startLine": 93, "startColumn": 5, "endLine": 95, "endColumn": 6},
    }
    assert [loc["physicalLocation"]["region"]["startLine"] for loc in bulk["relatedLocations"]] == [93, 96, 99, 102]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["WA103"] == "note" and levels["WA301"] == "warning"
    wa101 = run["tool"]["driver"]["rules"][bulk["ruleIndex"]]
    assert wa101["help"]["markdown"].startswith("# WA101 bulk-db-in-handler")


def _apply(text: str, replacement: dict) -> str:
    """A replacement applied by its line and column, as a SARIF consumer would."""
    region = replacement["deletedRegion"]
    lines = text.splitlines(keepends=True) + [""]
    start = sum(map(len, lines[: region["startLine"] - 1])) + region["startColumn"] - 1
    end = sum(map(len, lines[: region["endLine"] - 1])) + region["endColumn"] - 1
    assert (start, end - start) == (region["charOffset"], region["charLength"])  # both ways of counting agree
    return text[:start] + replacement["insertedContent"]["text"] + text[end:]


def test_fixes_are_exported_as_artifact_changes_that_a_consumer_can_apply(in_repo):
    results = json.loads(CliRunner().invoke(main, ["check", "fixtures/seed_app", "--format", "sarif"]).stdout)
    fixes = {r["ruleId"]: r["fixes"][0] for r in results["runs"][0]["results"] if "fixes" in r}
    assert sorted(fixes) == ["WA101", "WA102", "WA201", "WA301", "WA306", "WA307"]
    assert fixes["WA307"]["description"]["text"] == 'add job_timeout="1h" to the enqueue call (safe fix)'
    [change] = fixes["WA307"]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "fixtures/seed_app/server/routes_gmail.py"
    fixed = _apply(Path(change["artifactLocation"]["uri"]).read_text(), change["replacements"][0])
    assert fixed.splitlines()[26:32] == [
        "    queue.enqueue(",
        "        sync_gmail_receipts_job,",
        "        business_id,",
        "        connection_id,",
        '        job_timeout="1h",',
        "    )",
    ]
    served = {c["artifactLocation"]["uri"]: c["replacements"][0] for c in fixes["WA201"]["artifactChanges"]}
    assert sorted(served) == ["fixtures/seed_app/docker-compose.yml", "fixtures/seed_app/server/worker.py"]
    compose = _apply(
        Path("fixtures/seed_app/docker-compose.yml").read_text(), served["fixtures/seed_app/docker-compose.yml"]
    )
    assert compose.splitlines()[18] == "      - RQ_QUEUES=high,default,low,maintenance"
    created = {c["artifactLocation"]["uri"]: c["replacements"][0] for c in fixes["WA101"]["artifactChanges"]}
    job = created["fixtures/seed_app/server/jobs/bulk_delete_leads_job.py"]
    assert job["deletedRegion"]["charLength"] == 0 and _apply("", job).startswith('"""bulk_delete_leads_job: written')
    handler = _apply(
        Path("fixtures/seed_app/server/routes_leads.py").read_text(),
        created["fixtures/seed_app/server/routes_leads.py"],
    )
    assert "from server.jobs.bulk_delete_leads_job import bulk_delete_leads_job" in handler
    assert "LeadActivity.query.filter" not in handler  # the bulk statements moved into the job
