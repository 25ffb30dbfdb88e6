"""`--format gitlab`: GitLab Code Quality issues with line-independent fingerprints."""

from __future__ import annotations

import json

from click.testing import CliRunner

from worker_audit.cli import main


def test_code_quality_issues_and_fingerprints_that_survive_moving_code(tmp_path, monkeypatch):
    source = (
        "import threading\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/a", methods=["POST"])\ndef a():\n    threading.Thread(target=len).start()\n'
    )
    (tmp_path / "app.py").write_text(source)
    monkeypatch.chdir(tmp_path)
    first = json.loads(CliRunner().invoke(main, ["check", ".", "--format", "gitlab"]).stdout)
    assert [{k: v for k, v in issue.items() if k != "fingerprint"} for issue in first] == [
        {
            "description": "WA102 `a` starts background work in threading.Thread: the work dies with the process; "
            "enqueue a tracked job instead",
            "check_name": "WA102 thread-in-handler",
            "severity": "critical",
            "location": {"path": "app.py", "lines": {"begin": 9, "end": 9}},
        }
    ]
    (tmp_path / "app.py").write_text("\n\n\n" + source)  # the code moves down three lines
    moved = json.loads(CliRunner().invoke(main, ["check", ".", "--format", "gitlab"]).stdout)
    assert moved[0]["location"]["lines"]["begin"] == 12
    assert moved[0]["fingerprint"] == first[0]["fingerprint"] and len(first[0]["fingerprint"]) == 64
    twice = source + '\n\n@app.route("/b", methods=["POST"])\ndef b():\n    threading.Thread(target=len).start()\n'
    (tmp_path / "app.py").write_text(twice)
    both = json.loads(CliRunner().invoke(main, ["check", ".", "--format", "gitlab"]).stdout)
    assert len({issue["fingerprint"] for issue in both}) == 2 and both[0]["fingerprint"] == first[0]["fingerprint"]
