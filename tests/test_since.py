"""`check --since REF`: only findings in files changed since a git ref, or reaching into one."""

from __future__ import annotations

import json
import shutil
import subprocess

from click.testing import CliRunner
from conftest import FIXTURES

from worker_audit.cli import main


def _git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def _found(*args: str) -> list[tuple[str, str, int]]:
    result = CliRunner().invoke(main, ["check", ".", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)]


def test_only_changed_files_and_the_handlers_that_reach_them(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "seed_app", tmp_path / "app")
    monkeypatch.chdir(tmp_path / "app")
    _git(".", "init", "-q")
    _git(".", "add", ".")
    _git(".", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "seed")
    assert _found("--since", "HEAD") == []
    assert len(_found()) == 12

    leads = tmp_path / "app" / "server" / "routes_leads.py"
    leads.write_text(leads.read_text() + "# touched\n")  # unstaged
    assert _found("--since", "HEAD") == [("WA101", "server/routes_leads.py", 93)]

    _git(".", "checkout", "--", "server/routes_leads.py")
    (tmp_path / "app" / "server" / "routes_calls.py").write_text(
        (tmp_path / "app" / "server" / "routes_calls.py").read_text() + "# touched\n"
    )
    _git(".", "add", "server/routes_calls.py")  # staged: the handler that feeds the in-memory queue
    assert _found("--since", "HEAD") == [("WA103", "server/services/recording_service.py", 16)]

    (tmp_path / "app" / "docker-compose.yml").write_text((tmp_path / "app" / "docker-compose.yml").read_text())
    (tmp_path / "app" / "new_module.py").write_text("x = 1\n")  # untracked, nothing to report
    assert _found("--since", "HEAD") == [("WA103", "server/services/recording_service.py", 16)]


def test_a_bad_ref_or_no_repository_is_one_line_and_exit_2(tmp_path, monkeypatch):
    (tmp_path / "app.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    outside = CliRunner().invoke(main, ["check", ".", "--since", "HEAD"])
    assert outside.exit_code == 2
    assert (
        outside.stderr
        == "worker-audit: error: git rev-parse: not a git repository (or any of the parent directories): .git\n"
    )
    _git(".", "init", "-q")
    unknown = CliRunner().invoke(main, ["check", ".", "--since", "no-such-ref"])
    assert unknown.exit_code == 2 and unknown.stderr.startswith("worker-audit: error: git diff: ")
    option = CliRunner().invoke(main, ["check", ".", "--since", "--output=x"])
    assert (option.exit_code, option.stderr) == (2, "worker-audit: error: --since: '--output=x' is not a git ref\n")
