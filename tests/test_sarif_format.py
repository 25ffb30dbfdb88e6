"""`--format sarif`: SARIF 2.1.0, valid against the official schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from worker_audit.cli import main

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def test_the_seed_audit_as_sarif_is_valid_and_carries_rules_and_related_locations(in_repo):
    result = CliRunner().invoke(main, ["check", "fixtures/seed_app", "--format", "sarif"])
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))  # the official schema, in ../shared beside the checkout
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
