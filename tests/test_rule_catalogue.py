"""Every rule: a stable code, documentation with the fixed sections, and bad and
good examples that really behave as documented."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import audit

from worker_audit.checks import RULES
from worker_audit.cli import main
from worker_audit.finding import Severity


@pytest.mark.parametrize("code", sorted(RULES))
def test_bad_example_is_flagged_at_its_stated_lines(code, tmp_path, monkeypatch):
    rule = RULES[code]
    for name, text in rule.bad.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    expected = rule.bad.expected()
    assert any(c == code for _, _, c in expected), "the bad example must expect its own code"
    assert audit(tmp_path) == expected


@pytest.mark.parametrize("code", sorted(RULES))
def test_good_example_is_clean(code, tmp_path, monkeypatch):
    rule = RULES[code]
    for name, text in rule.good.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert rule.good.expected() == set()
    assert audit(tmp_path) == set()


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_metadata_and_docs(code):
    rule = RULES[code]
    assert rule.code == code and re.fullmatch(r"WA\d{3}", code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert isinstance(rule.severity, Severity)
    for field in ("summary", "what", "why", "instead", "fix_safety"):
        assert getattr(rule, field).strip(), f"{code} has no {field}"
    doc = rule.documentation()
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert heading in doc
    assert "# expect:" not in doc, "test marks are not shown in the docs"


def test_rule_names_are_unique():
    names = [rule.name for rule in RULES.values()]
    assert len(names) == len(set(names))


def test_rules_command_lists_the_catalogue():
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == sorted(RULES)
    assert lines[3].split()[:3] == ["WA101", "bulk-db-in-handler", "error"]


def test_explain_prints_one_rule_by_code_or_name():
    by_code = CliRunner().invoke(main, ["explain", "wa102"])
    by_name = CliRunner().invoke(main, ["explain", "thread-in-handler"])
    assert by_code.exit_code == 0 and by_code.output == by_name.output
    assert by_code.output.startswith("# WA102 thread-in-handler (error)")
    assert "threading.Thread(target=send_broadcast" in by_code.output


def test_explain_unknown_rule_is_a_usage_error():
    result = CliRunner().invoke(main, ["explain", "WA999"])
    assert result.exit_code == 2
    assert "unknown rule 'WA999'" in result.output


def test_readme_rule_table_matches_the_catalogue():
    from conftest import REPO

    rows = re.findall(r"^\| (WA\d{3}) \| ([a-z0-9-]+) \| (\w+) \|", (REPO / "README.md").read_text(), re.M)
    assert rows == [(rule.code, rule.name, rule.severity.value) for rule in RULES.values()]


def test_readme_starts_with_the_two_commands():
    from conftest import REPO

    text = (REPO / "README.md").read_text()
    block = text.split("```sh\n", 1)[1].split("```", 1)[0].splitlines()
    assert block == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && worker-audit check fixtures/seed_app",
        "python3 -m venv .venv && . .venv/bin/activate && pip install '.[test]' && pytest",
    ]
    ci = (REPO / ".ci" / "run").read_text()
    assert "pip install '.[test]' && pytest" in ci


def test_readme_examples_are_real_output(in_repo):
    """Every ```text block starting with `$ worker-audit ...` shows what that command prints."""
    import shlex

    from conftest import REPO

    text = (REPO / "README.md").read_text()
    blocks = [b.split("```", 1)[0] for b in text.split("```text\n")[1:]]
    examples = [b for b in blocks if b.startswith("$ worker-audit ")]
    assert len(examples) >= 2
    for block in examples:
        command, _, shown = block.partition("\n")
        args = shlex.split(command)[2:]
        assert CliRunner().invoke(main, args).output == shown, command
