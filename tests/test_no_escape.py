"""No execution, no escape (issue 8, item 4): audited code is never imported or run,
text from it cannot break out of any report format, and `fix` writes only regular
files below the given paths."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES

from worker_audit.cli import main

TRAP = "open({mark!r}, 'w').write('ran')\n"
HANDLER = (
    "import threading\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
    '@app.route("/x", methods=["POST"])\ndef f():\n    threading.Thread(target=print).start()\n'
)


def _traps(tree: Path, marks: Path) -> list[Path]:
    """Modules named like worker-audit's own dependencies, a package __init__, a .pth file and
    site hooks, each writing a mark when Python runs it."""
    made = []
    for name in (
        "click.py",
        "yaml.py",
        "pathspec.py",
        "libcst/__init__.py",
        "sitecustomize.py",
        "usercustomize.py",
        "shop/__init__.py",
    ):
        mark = marks / name.replace("/", "_")
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(TRAP.format(mark=str(mark)))
        made.append(mark)
    pth_mark = marks / "evil.pth"
    (tree / "evil.pth").write_text(f"import os; open({str(pth_mark)!r}, 'w').write('ran')\n")
    made.append(pth_mark)
    (tree / "shop" / "views.py").write_text("from . import helpers\n" + HANDLER)
    return made


def test_audited_code_never_runs_whichever_way_worker_audit_is_started(tmp_path):
    tree, marks = tmp_path / "tree", tmp_path / "marks"
    tree.mkdir()
    marks.mkdir()
    made = _traps(tree, marks)
    script = Path(sys.executable).with_name("worker-audit")
    starts = [[sys.executable, "-m", "worker_audit", "check", ".", "--no-cache"]]
    if script.exists():
        starts.append([str(script), "check", ".", "--no-cache"])
    for command in starts:
        done = subprocess.run(command, cwd=tree, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert "shop/views.py:10:5: WA102 " in done.stdout
        assert [m.name for m in made if m.exists()] == [], command
    # the traps are live: Python with the tree on its path runs one
    subprocess.run([sys.executable, "-c", "import click"], cwd=tree, capture_output=True, timeout=60)
    assert (marks / "click.py").exists()


HOSTILE_QUEUE = "x\\n::error file=a.py::pwned]]></failure><script>alert(1)</script>\\u0007 %0A"


def test_text_from_the_audited_code_cannot_break_any_report_format(tmp_path, monkeypatch):
    (tmp_path / "app.py").write_text(
        "from flask import Flask\nfrom rq import Queue\n\napp = Flask(__name__)\n"
        f'jobs = Queue("{HOSTILE_QUEUE}")\n\n\n'
        '@app.route("/r", methods=["POST"])\ndef r():\n    job = jobs.enqueue(print)\n    return {"id": job.id}, 202\n'
    )
    (tmp_path / "docker-compose.yml").write_text("services:\n  worker:\n    command: rq worker default\n")
    monkeypatch.chdir(tmp_path)
    queue = json.loads(f'"{HOSTILE_QUEUE}"')  # what the Python string holds: a newline, a bell
    found = json.loads(CliRunner().invoke(main, ["check", ".", "--format", "json", "--no-cache"]).stdout)
    wa201 = next(f for f in found if f["code"] == "WA201")
    assert f"queue `{queue}` has no worker" in wa201["message"]  # JSON carries it as data, exactly

    github = CliRunner().invoke(main, ["check", ".", "--format", "github", "--no-cache"]).stdout
    lines = github.splitlines()
    assert len(lines) == len(found)  # one workflow command per finding: no newline got through
    # each line is one command; the hostile text stays in its message, after the properties
    assert all(line.startswith(("::error file=", "::warning file=")) for line in lines)
    assert all("pwned" not in line.split("::")[1] for line in lines)
    assert "queue `x%0A::error file=a.py::pwned]]></failure><script>alert(1)</script>" in github

    sarif = json.loads(CliRunner().invoke(main, ["check", ".", "--format", "sarif", "--no-cache"]).stdout)
    messages = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert wa201["message"] in messages

    junit = CliRunner().invoke(main, ["check", ".", "--format", "junit", "--no-cache"]).stdout
    suites = ElementTree.fromstring(junit)  # well-formed XML despite ]]> and </failure> in the text
    texts = [failure.get("message", "") + (failure.text or "") for failure in suites.iter("failure")]
    assert any("pwned]]></failure><script>alert(1)</script>" in text for text in texts)


def test_fix_writes_only_regular_files_below_the_given_paths(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "seed_app", tmp_path / "app")
    routes = tmp_path / "app" / "server" / "routes_gmail.py"
    os.symlink("routes_gmail.py", tmp_path / "app" / "server" / "routes_gmail_link.py")
    monkeypatch.chdir(tmp_path / "app")
    result = CliRunner().invoke(main, ["fix", "server/", "--no-cache", "--select", "WA307"])
    assert "Applied 1 edit (1 file changed)." in result.stderr
    link = tmp_path / "app" / "server" / "routes_gmail_link.py"
    assert link.is_symlink() and os.readlink(link) == "routes_gmail.py"  # still a link, never replaced
    assert 'job_timeout="1h"' in routes.read_text()
    leftovers = [p.name for p in (tmp_path / "app").rglob("*") if p.name.endswith(".worker-audit")]
    assert leftovers == []  # atomic writes leave no temporary file behind
