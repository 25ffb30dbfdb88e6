"""The real `pre-commit try-repo` against this repository, in a temporary git repository."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

VIOLATING = """import threading

from flask import Flask
from rq import Queue

app = Flask(__name__)
reports = Queue("reports")


@app.route("/broadcast", methods=["POST"])
def broadcast():
    threading.Thread(target=print, daemon=True).start()
    return {"ok": True}


@app.route("/report", methods=["POST"])
def report():
    job = reports.enqueue(print)
    return {"job_id": job.id}, 202
"""
CLEAN = """from flask import Flask

app = Flask(__name__)


@app.route("/lead/<int:lead_id>")
def lead(lead_id):
    return {"id": lead_id}
"""
COMPOSE = """services:
  worker:
    image: app
    command: rq worker {queues}
"""


def _git(folder, *args):
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True)


def _try_repo(folder, hook: str, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600)


@pytest.fixture
def project(tmp_path, monkeypatch):
    pytest.importorskip("pre_commit")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    for key, value in {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "t@t")
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "bad.py").write_text(VIOLATING)
    (folder / "good.py").write_text(CLEAN)
    (folder / "docker-compose.yml").write_text(COMPOSE.format(queues="default"))
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    return folder


def test_the_hooks_fail_on_a_violation_and_pass_on_clean_code(project):
    failed = _try_repo(project, "worker-audit", "--files", "bad.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "bad.py:12:5: WA102 `broadcast` starts background work in threading.Thread with daemon=True" in failed.stdout

    assert "WA2" not in failed.stdout  # the queue rules are the other hook's

    passed = _try_repo(project, "worker-audit", "--files", "good.py", "docker-compose.yml")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "worker-audit" in passed.stdout and "Passed" in passed.stdout

    # the topology hook runs on the whole tree when the compose file changes
    dead = _try_repo(project, "worker-audit-queues", "--files", "docker-compose.yml")
    assert dead.returncode == 1, dead.stdout + dead.stderr
    assert "bad.py:7:11: WA201 queue `reports` has no worker" in dead.stdout
    (project / "docker-compose.yml").write_text(COMPOSE.format(queues="reports"))
    _git(project, "add", ".")
    served = _try_repo(project, "worker-audit-queues", "--files", "docker-compose.yml")
    assert served.returncode == 0, served.stdout + served.stderr
    skipped = _try_repo(project, "worker-audit-queues", "--files", "good.py")
    assert skipped.returncode == 0 and "(no files to check)Skipped" in skipped.stdout
