"""The cache of module facts (.worker_audit_cache/) and --jobs: same findings, less work."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from worker_audit import parallel_loading
from worker_audit.cli import main

BULK = "session.execute(delete(Contact).where(Contact.id.in_(contact_ids)))"
ONE_ROW = "session.execute(delete(Contact).where(Contact.id == contact_ids[0]))"


def _check(*args: str):
    result = CliRunner().invoke(main, ["check", ".", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)], result.stderr


@pytest.fixture
def two_deep(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "cases" / "helper_two_deep", tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project"


def test_a_helper_two_modules_away_changes_and_the_handler_finding_appears(two_deep):
    repository = two_deep / "app" / "repository.py"
    repository.write_text(repository.read_text().replace(BULK, ONE_ROW, 1))
    assert _check("-v")[0] == []
    warm, notes = _check("-v")
    assert warm == [] and "(the whole run from the cache)" in notes  # nothing changed: the run is remembered

    repository.write_text(repository.read_text().replace(ONE_ROW, BULK, 1))
    found, notes = _check("-v")
    assert found == [("WA101", "app/routes.py", 11)]
    # only the edited repository was read again: the helpers' functions are read alone, from the cache but one
    assert "1 parsed (1 from the cache), 3 read in part (2 from the cache), 1 outlined" in notes


def test_no_cache_writes_nothing_and_reads_nothing(two_deep):
    found, notes = _check("-v", "--no-cache")
    assert found == [("WA101", "app/routes.py", 11)] and "(no cache)" in notes
    assert not (two_deep / ".worker_audit_cache").exists()
    _check()
    cache = two_deep / ".worker_audit_cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text().endswith("*\n")


def test_a_broken_cache_entry_is_a_miss_and_an_unwritable_cache_a_note(two_deep):
    expected = [("WA101", "app/routes.py", 11)]
    assert _check()[0] == expected
    for entry in (two_deep / ".worker_audit_cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    found, notes = _check("-v")
    assert found == expected and "(0 from the cache)" in notes
    shutil.rmtree(two_deep / ".worker_audit_cache")
    (two_deep / ".worker_audit_cache").write_text("a file where the folder should be")
    found, notes = _check()
    assert found == expected
    assert notes.startswith("worker-audit: cache not written (") and notes.endswith("; runs stay cold\n")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the pool test forks")
class _Planted:
    """A pickle that, once loaded, writes a file: what a hostile commit could plant in the cache."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (_plant_marker, (self.marker,))


def _plant_marker(marker: str):
    with open(marker, "w") as stream:
        stream.write("code ran")


def test_a_cache_entry_worker_audit_did_not_write_is_never_unpickled(two_deep, tmp_path):
    """The cache lies in the audited tree; an entry planted there (a pickle runs code when
    loaded) is a miss, because it does not carry the signature of this user's key."""
    import pickle

    expected = [("WA101", "app/routes.py", 11)]
    assert _check()[0] == expected
    marker = tmp_path / "ran"
    entries = list((two_deep / ".worker_audit_cache").rglob("*.pickle"))
    assert entries
    for entry in entries:  # the planted file has the name of a real entry, of each cache
        entry.write_bytes(pickle.dumps(_Planted(str(marker))))
    found, notes = _check("-v")
    assert found == expected and "(0 from the cache)" in notes
    assert not marker.exists()


def test_jobs_give_the_same_findings_as_one_process(monkeypatch, in_repo):
    monkeypatch.setattr(parallel_loading, "MIN_PARALLEL_BYTES", 0)  # use the pool even on small fixtures
    calls = []
    real = parallel_loading.load_in_parallel

    def counting(items, jobs, *args, **kwargs):
        loaded = real(items, jobs, *args, **kwargs)
        calls.append((len(items), jobs, loaded is not None))
        return loaded

    monkeypatch.setattr("worker_audit.engine.load_in_parallel", counting)
    for tree in (FIXTURES / "seed_app", FIXTURES / "cases"):
        one = CliRunner().invoke(main, ["check", str(tree), "--format", "json", "-j", "1", "--no-cache"])
        two = CliRunner().invoke(main, ["check", str(tree), "--format", "json", "-j", "2", "--no-cache"])
        assert json.loads(one.stdout) and json.loads(one.stdout) == json.loads(two.stdout)
    assert [jobs for _, jobs, pooled in calls if pooled] == [2, 2]  # the pool ran, once per tree with -j 2


def test_start_up_commands_and_a_run_that_parses_nothing_never_import_libcst(tmp_path):
    import subprocess
    import sys

    (tmp_path / "plain.py").write_text("def add(a, b):\n    return a + b\n")
    probe = (
        "import sys\nfrom worker_audit.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules, file=sys.stderr)\n"
    )
    for args in (["--version"], ["rules"], ["explain", "WA101"], ["check", str(tmp_path)]):
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=tmp_path)
        assert done.stderr.splitlines()[-1] == "False", (args, done.stderr)
    parsed = subprocess.run(
        [sys.executable, "-c", probe, "check", str(FIXTURES / "seed_app"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert parsed.stderr.splitlines()[-1] == "True"  # the probe can tell


def test_a_command_line_run_collects_less_and_an_import_changes_nothing(tmp_path):
    import subprocess
    import sys

    from worker_audit.module_loading import COLLECTOR_THRESHOLDS

    (tmp_path / "plain.py").write_text("def add(a, b):\n    return a + b\n")
    probe = (
        "import gc, sys\nfrom worker_audit.cli import main\nimport worker_audit.engine\n"
        "print(gc.get_threshold(), file=sys.stderr)\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(gc.get_threshold(), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "check", "--no-cache", str(tmp_path)], capture_output=True, text=True
    )
    before, after = done.stderr.splitlines()[-2:]
    assert before != str(COLLECTOR_THRESHOLDS) and after == str(COLLECTOR_THRESHOLDS)


def test_the_run_cache_answers_only_when_nothing_changed(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "seed_app", tmp_path / "app")
    monkeypatch.chdir(tmp_path / "app")
    cold, _ = _check("-v")
    warm, notes = _check("-v")
    assert warm == cold and len(cold) == 12 and "(the whole run from the cache)" in notes
    compose = tmp_path / "app" / "docker-compose.yml"
    compose.write_text(
        compose.read_text().replace("RQ_QUEUES=high,default,low", "RQ_QUEUES=high,default,low,maintenance")
    )
    served, notes = _check("-v")
    assert "whole run" not in notes and ("WA201", "server/routes_receipts.py", 58) not in served
    (tmp_path / "app" / "server" / "new_module.py").write_text("x = 1\n")  # a new file: another listing
    assert "whole run" not in _check("-v")[1]
    different_rules, notes = _check("-v", "--select", "WA1")
    assert "whole run" not in notes and {code for code, _, _ in different_rules} == {"WA101", "WA102", "WA103"}


def test_rule_codes_known_without_importing_the_rules_match_the_catalogue():
    from worker_audit.checks import RULES
    from worker_audit.rule_selection import CODES

    assert CODES == tuple(sorted(RULES))


@pytest.mark.parametrize(
    ("case", "removed", "checked", "select", "added"),
    [
        # a run on views.py reads the receivers of the project's other modules (the reviewer's
        # case: signals.py restored after a run without it)
        ("signal_receivers", "inventory/signals.py", "inventory/views.py", "WA101", {8, 23, 29}),
        # a run on a controller module reads the project's API specs
        ("connexion_specs", "shop/openapi/legacy.yaml", "shop/routes/admin.py", "ALL", {12}),
    ],
)
def test_the_run_cache_of_a_run_on_some_files_sees_a_new_file_it_reads(
    tmp_path, monkeypatch, case, removed, checked, select, added
):
    """A file of the project a run on some files reads, added after the run, makes the record stale."""
    shutil.copytree(FIXTURES / "cases" / case, tmp_path / "case")
    (tmp_path / "case" / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "case")

    def alone() -> tuple[set[int], str]:
        result = CliRunner().invoke(main, ["check", checked, "-v", "--select", select, "--format", "json"])
        return {f["line"] for f in json.loads(result.stdout)}, result.stderr

    text = (tmp_path / "case" / removed).read_text()
    (tmp_path / "case" / removed).unlink()
    without, _ = alone()
    assert "(the whole run from the cache)" in alone()[1]
    (tmp_path / "case" / removed).write_text(text)
    found, notes = alone()
    assert "whole run" not in notes and found - without == added


def test_a_changed_worker_script_is_not_answered_from_the_run_cache(tmp_path, monkeypatch):
    """The script a compose command runs is read like the other files, so the run cache
    sees it change (before, its text was read aside and a stale answer came back)."""
    shutil.copytree(FIXTURES / "cases" / "suppressed_deployment_lines", tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    script = tmp_path / "project" / "start-worker.sh"
    assert _check("--select", "WA202")[0] == [("WA202", "Procfile", 2)]
    script.write_text(script.read_text().replace("  # worker-audit: ignore[WA202]", ""))
    found, notes = _check("--select", "WA202", "-v")
    assert "the whole run from the cache" not in notes
    assert found == [("WA202", "Procfile", 2), ("WA202", "start-worker.sh", 3)]


def test_a_worker_script_created_after_a_cached_run_is_read(tmp_path, monkeypatch):
    """A script a compose command (or a Dockerfile COPY) names is an input of the run even
    while it is missing: creating it is a change the run cache sees."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "cases" / "suppressed_deployment_lines", project)
    (project / "start-worker.sh").unlink()
    (project / "docker-compose.yml").write_text(
        "services:\n  worker:\n    build: .\n    command: ./start-worker.sh\n  reports:\n    build: ./deploy\n"
    )
    (project / "deploy").mkdir()
    (project / "deploy" / "Dockerfile").write_text(
        "FROM python:3.12\nCOPY ./start /start-reports\nCMD /start-reports\n"
    )
    monkeypatch.chdir(project)
    assert _check("--select", "WA202")[0] == [("WA202", "Procfile", 2)]
    assert _check("--select", "WA202")[0] == [("WA202", "Procfile", 2)]  # remembered
    (project / "start-worker.sh").write_text("#!/bin/sh\nexec rq worker emails legacy\n")
    (project / "deploy" / "start").write_text("#!/bin/sh\nexec rq worker emails old-reports\n")
    found, notes = _check("--select", "WA202", "-v")
    assert "the whole run from the cache" not in notes
    assert found == [("WA202", "Procfile", 2), ("WA202", "deploy/start", 2), ("WA202", "start-worker.sh", 2)]


def test_report_with_no_cache_leaves_no_cache_in_the_audited_tree(two_deep, tmp_path):
    """A one-off audit need not leave pickles behind: `report --no-cache`, as `check --no-cache`."""
    audit = tmp_path / "audit.md"
    result = CliRunner().invoke(main, ["report", ".", "--no-cache", "-o", str(audit)])
    assert result.exit_code == 0, result.output
    assert audit.read_text().startswith("# Worker audit: project\n")
    assert not (two_deep / ".worker_audit_cache").exists()
    assert CliRunner().invoke(main, ["report", ".", "-o", str(audit)]).exit_code == 0
    assert (two_deep / ".worker_audit_cache" / "CACHEDIR.TAG").exists()  # without it, the cache is written


@pytest.mark.parametrize(
    "command",
    [["queues", "."], ["baseline", ".", "-o", "../baseline.json"]],
    ids=["queues", "baseline"],
)
def test_every_command_that_reads_the_tree_takes_no_cache(two_deep, command):
    """`queues --no-cache` and `baseline --no-cache` leave no cache behind, as `check` and `report`."""
    result = CliRunner().invoke(main, [*command, "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not (two_deep / ".worker_audit_cache").exists()
    assert CliRunner().invoke(main, command).exit_code == 0
    assert (two_deep / ".worker_audit_cache" / "CACHEDIR.TAG").exists()  # without the flag, the cache is written
