"""Bad input is reported in one line or one finding, and the run goes on; audited
code is never imported or run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, REPO, audit

CASES = FIXTURES / "cases"


def run_cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "worker_audit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_audited_code_is_never_imported(tmp_path):
    mark = tmp_path / "imported"
    result = run_cli("check", str(CASES / "import_side_effects"), cwd=tmp_path, env={"SHOP_IMPORT_MARK": str(mark)})
    assert not mark.exists()
    assert result.returncode == 1
    assert "WA102 `email_receipts` starts background work" in result.stdout
    assert result.stderr == ""


def test_syntax_error_and_latin1_are_findings_and_the_run_goes_on(in_repo):
    root = "fixtures/cases/bad_files"
    assert audit(CASES / "bad_files") == {
        (f"{root}/broken.py", 8, "WA001"),
        (f"{root}/latin1.py", 6, "WA001"),
        (f"{root}/latin1_declared.py", 16, "WA102"),
        (f"{root}/good.py", 15, "WA102"),
    }


def test_bad_files_print_no_traceback():
    result = run_cli("check", "fixtures/cases/bad_files", cwd=REPO)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "fixtures/cases/bad_files/broken.py:8:13: WA001 syntax error: invalid syntax" in result.stdout
    assert (
        "fixtures/cases/bad_files/latin1.py:6:17: WA001 cannot decode byte 0xe9 as utf-8; "
        "save the file as UTF-8 or declare its encoding (# -*- coding: latin-1 -*-)"
    ) in result.stdout


def test_nul_bytes_and_oversized_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nul.py").write_bytes(
        b"from flask import Flask\napp = Flask(__name__)\n@app.route('/')\ndef x():\x00\n"
    )
    (tmp_path / "pyproject.toml").write_text("[tool.worker-audit]\nmax-file-bytes = 200\n")
    (tmp_path / "big.py").write_text("@app.route('/')\n" + "x = 1\n" * 100 + "y = 2  # worker-audit: ignore\n")
    (tmp_path / "quiet.py").write_text("x = 1\n" * 100 + "y = 2  # worker-audit: ignore\n")  # not needed: no WA001
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "big.py:1:1: WA001 skipped: 646 bytes is over the 200 bytes limit (max-file-bytes)",
        "nul.py:4:9: WA001 source contains a NUL byte",
        "Found 2 findings (2 errors).",
    ]


def test_api_specs_over_the_limit_or_broken_are_not_findings(tmp_path):
    # most OpenAPI files are documentation: one worker-audit cannot read is passed over quietly
    (tmp_path / "pyproject.toml").write_text("[tool.worker-audit]\nmax-file-bytes = 400\n")
    operations = "".join(f"  /items/{n}:\n    get:\n      operationId: app.views.item_{n}\n" for n in range(20))
    (tmp_path / "openapi.yaml").write_text('openapi: "3.0.0"\npaths:\n' + operations)
    (tmp_path / "swagger.yml").write_text('swagger: "2.0"\npaths: [\n  operationId: app.views.x\n')
    result = run_cli("check", ".", cwd=tmp_path)
    assert (result.stdout, result.stderr) == ("No findings.\n", "")


def test_broken_compose_file_is_one_finding(tmp_path):
    (tmp_path / "docker-compose.yml").write_text("services:\n  worker:\n    command: [rq, worker\n")
    (tmp_path / "compose.yaml").write_text("services: !!python/object:os.system {}\n")
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        aliases = ",".join([f"*{previous}"] * 9)
        bomb.append(f"{level}: &{level} [{aliases}]")
    (tmp_path / "docker-compose.override.yml").write_text("\n".join(bomb) + "\n")
    (tmp_path / "app.py").write_text(
        "import threading\nfrom flask import Flask\napp = Flask(__name__)\n"
        "@app.post('/x')\ndef x():\n    threading.Thread(target=print).start()\n"
    )
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "app.py:6:5: WA102 `x` starts background work in threading.Thread: the work dies with the process; "
        "enqueue a tracked job instead",
        "compose.yaml:1:11: WA002 unsafe tag !!python/object:os.system refused",
        "docker-compose.override.yml:1:1: WA002 more than 200000 nodes once aliases are expanded (an alias bomb?)",
        "docker-compose.yml:3:14: WA002 invalid YAML: while parsing a flow sequence: "
        "expected ',' or ']', but got '<stream end>'",
        "Found 4 findings (4 errors).",
    ]


def test_a_jinja_template_of_a_compose_file_is_no_compose_file(tmp_path):
    # Mailu's setup wizard renders its docker-compose.yml through Jinja: it is no YAML as written
    template = "{% set env = 'mailu.env' %}\nservices:\n  front:\n    image: {{ dockerorg }}/nginx:{{ version }}\n"
    (tmp_path / "docker-compose.yml").write_text(template)
    # a compose file that is broken and holds no template tag is still a finding
    (tmp_path / "compose.yaml").write_text('services:\n  worker:\n    labels: ["{ x"\n')
    # and so is one whose braces are Go templates in strings and comments, as compose reads them
    (tmp_path / "swarm").mkdir()
    (tmp_path / "swarm" / "docker-compose.yml").write_text(
        '# docker ps --format "{{ .Names }}"\nservices:\n  worker:\n    hostname: "{{.Task.Slot}}"\n'
        "    command: rq worker\n   image: app\n"
    )
    # a suppression written in a template, where no WA002 is reported now, is not judged
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "docker-compose.yml").write_text(
        "{% set version = '1.9' %}  # worker-audit: ignore[WA002]\nservices:\n  front:\n"
        "    image: nginx:{{ version }}\n"
    )
    result = run_cli("check", ".", cwd=tmp_path)
    assert (result.stdout.splitlines(), result.stderr) == (
        [
            "compose.yaml:3:13: WA002 invalid YAML: while parsing a flow sequence: "
            "expected ',' or ']', but got '<stream end>'",
            "swarm/docker-compose.yml:6:4: WA002 invalid YAML: while parsing a block mapping: "
            "expected <block end>, but found '<block mapping start>'",
            "Found 2 findings (2 errors).",
        ],
        "",
    )


def test_valid_python_libcst_cannot_parse_is_a_note_not_a_finding(tmp_path):
    # `(name): int = 1` is valid Python (an annotated, parenthesized target) that libcst rejects
    source = "from flask import Flask\napp = Flask(__name__)\n(pars): bool = True\n"
    (tmp_path / "odd.py").write_text(source + "@app.route('/')\ndef home():\n    return ''\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "No findings.\n"
    assert result.stderr == "worker-audit: odd.py: not analyzed: libcst cannot parse this valid Python file (line 4)\n"


def test_syntax_newer_than_the_running_python_is_analyzed(tmp_path):
    # a 3.12 f-string with nested quotes (PEP 701): Python 3.11 calls it a syntax error,
    # libcst reads it, and netbox (dcim/forms/bulk_import.py:1650) writes it
    (tmp_path / "app.py").write_text(
        "from flask import Flask, request\n"
        "from flask_sqlalchemy import SQLAlchemy\n\n"
        "app = Flask(__name__)\n"
        "db = SQLAlchemy(app)\n\n\n"
        "class Lead(db.Model):\n"
        "    id = db.Column(db.Integer, primary_key=True)\n\n\n"
        "@app.route('/leads', methods=['DELETE'])\n"
        "def purge():\n"
        "    label = f'{request.args['owner']}'\n"
        "    Lead.query.delete()\n"
        "    return label\n"
    )
    (tmp_path / "broken.py").write_text(
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route('/')\ndef f(:\n    pass\n"
    )
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.stdout.splitlines()[:2] == [
        "app.py:15:5: WA101 `purge` runs bulk database work inside the request: "
        "query delete() of every row of the table (no filter); enqueue a job that works in batches",
        "broken.py:7:7: WA001 syntax error: invalid syntax",
    ]


def test_a_syntax_error_libcst_would_accept_or_choke_on_stays_cpythons(tmp_path):
    # libcst gets to try what this Python refuses only when it can read it safely, and
    # only on errors that may be newer syntax: not on literal errors, which libcst does
    # not check, nor on a line libcst would take seconds and gigabytes to nest
    from worker_audit.knowledge import load_knowledge
    from worker_audit.module_loading import load_module

    newer = b"x = f'{a['b']}'\n"  # a syntax error before Python 3.12
    cases = {
        b'x = "\\x"\n': "(unicode error)",
        b'x = "a" b"b"\n': "cannot mix bytes and nonbytes literals",
        newer + b"y = " + b"-" * 10000 + b"1\n": "f-string",
        newer + b"y = a" + b"[0]" * 5000 + b"\n": "f-string",
        newer + b"y = a" + b".b" * 5000 + b"\n": "f-string",
    }
    knowledge = load_knowledge()
    for source, message in cases.items():
        loaded = load_module("x.py", source, knowledge)
        if sys.version_info >= (3, 12) and message == "f-string":
            continue  # valid Python here: the f-string line is not an error on 3.12
        assert loaded.facts is None and loaded.problem is not None, source[:40]
        assert message in loaded.problem[0], (source[:40], loaded.problem)
