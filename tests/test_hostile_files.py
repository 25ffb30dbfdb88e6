"""Hostile and odd files (issue 8, item 2): each gets one clear line or one finding,
and the run goes on. Runs that could crash the interpreter run in a child process."""

from __future__ import annotations

import ast
import json
import os
import pathlib
import shutil
import subprocess
import sys

from click.testing import CliRunner
from conftest import FIXTURES

from worker_audit.cli import main

HANDLER = 'from flask import Flask\napp = Flask(__name__)\n\n@app.route("/x", methods=["POST"])\ndef f():\n    {body}\n'
THREAD = "import threading; threading.Thread(target=print).start()"


def _check(*args: str):
    return CliRunner().invoke(main, ["check", ".", "--no-cache", *args])


def _found(*args: str) -> list[tuple[str, str, int, int, str]]:
    result = _check("--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)]


def _in_child(folder: pathlib.Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "worker_audit", "check", ".", "--no-cache", "--format", "json"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)


def test_empty_files_are_quiet(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    for name in ("pkg/__init__.py", "pkg/views.py", "empty.py"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    result = _check()
    assert (result.exit_code, result.stdout, result.stderr) == (0, "No findings.\n", "")


def test_a_bom_and_crlf_keep_positions_and_the_fix_keeps_both(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "seed_app", tmp_path / "app")
    routes = tmp_path / "app" / "server" / "routes_gmail.py"
    routes.write_bytes(b"\xef\xbb\xbf" + routes.read_bytes().replace(b"\n", b"\r\n"))
    monkeypatch.chdir(tmp_path / "app")
    assert ("WA307", "server/routes_gmail.py", 27, 5) in [f[:4] for f in _found()]
    fixed = CliRunner().invoke(main, ["fix", ".", "--no-cache", "--select", "WA307"])
    assert "Applied 1 edit (1 file changed)." in fixed.stderr
    data = routes.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\n" not in data.replace(b"\r\n", b"")
    assert b'        job_timeout="1h",\r\n' in data
    ast.parse(data.decode("utf-8-sig"))


def test_mixed_line_endings_count_lines_as_python_does(tmp_path, monkeypatch):
    source = HANDLER.format(body=THREAD).replace("\n", "\r\n", 2).replace("\n\n@", "\r@")
    (tmp_path / "mixed.py").write_bytes(source.encode())
    monkeypatch.chdir(tmp_path)
    python_line = next(
        n.lineno
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Call) and ast.unparse(n.func).endswith("start")
    )
    assert [f[:3] for f in _found()] == [("WA102", "mixed.py", python_line)]


def test_latin1_is_read_and_undecodable_bytes_are_one_finding(tmp_path, monkeypatch):
    latin = "# -*- coding: latin-1 -*-\n" + HANDLER.format(body="name = 'caf\xe9'; " + THREAD)
    (tmp_path / "latin.py").write_bytes(latin.encode("latin-1"))
    (tmp_path / "broken.py").write_bytes(HANDLER.format(body="x = 1").encode() + b'y = "\xff\xfe"\n')
    monkeypatch.chdir(tmp_path)
    assert _found() == [
        (
            "WA001",
            "broken.py",
            7,
            6,
            "cannot decode byte 0xff as utf-8; save the file as UTF-8 or declare its encoding "
            "(# -*- coding: latin-1 -*-)",
        ),
        (
            "WA102",
            "latin.py",
            7,
            38,
            "`f` starts background work in threading.Thread: the work dies with the process; "
            "enqueue a tracked job instead",
        ),
    ]


def test_deep_nesting_is_one_finding_never_a_crash(tmp_path):
    (tmp_path / "brackets.py").write_text(HANDLER.format(body="return " + "[" * 1000 + "]" * 1000))
    (tmp_path / "chain.py").write_text(HANDLER.format(body="return 1" + " and 1" * 30000))
    (tmp_path / "sum.py").write_text(HANDLER.format(body="return " + "1+" * 50000 + "1"))
    (tmp_path / "fine.py").write_text(HANDLER.format(body=THREAD))
    done = _in_child(tmp_path)  # libcst's native parser used to overflow the C stack here (a segfault)
    assert done.returncode == 1, done.stderr
    assert [(f["code"], f["path"], f["line"], f["message"]) for f in json.loads(done.stdout)] == [
        ("WA001", "brackets.py", 6, "syntax error: too many nested parentheses"),
        ("WA001", "chain.py", 6, "nested too deeply to analyze (30005 levels, more than 1000)"),
        (
            "WA102",
            "fine.py",
            6,
            "`f` starts background work in threading.Thread: the work dies with the process; "
            "enqueue a tracked job instead",
        ),
        ("WA001", "sum.py", 1, "nested too deeply to analyze (recursion limit)"),
    ]


def test_a_5_mb_module_over_the_size_limit_is_one_finding(tmp_path, monkeypatch):
    body = "".join(f"def helper_{i}(a, b):\n    return [a + b * k for k in range(10)]\n\n" for i in range(80000))
    (tmp_path / "big.py").write_text(HANDLER.format(body=THREAD) + body)
    (tmp_path / "pyproject.toml").write_text("[tool.worker-audit]\nmax-file-bytes = 4000000\n")
    monkeypatch.chdir(tmp_path)
    size = (tmp_path / "big.py").stat().st_size
    assert size > 5_000_000
    assert _found() == [
        ("WA001", "big.py", 1, 1, f"skipped: {size // 1024} KiB is over the 3906 KiB limit (max-file-bytes)")
    ]


def test_stub_files_are_not_audited(tmp_path, monkeypatch):
    (tmp_path / "views.pyi").write_text(HANDLER.format(body=THREAD))
    monkeypatch.chdir(tmp_path)
    assert (_check().exit_code, _found()) == (0, [])


def test_an_unreadable_file_is_one_finding(tmp_path, monkeypatch):
    (tmp_path / "secret.py").write_text("x = 1\n")
    (tmp_path / "app.py").write_text(HANDLER.format(body=THREAD))
    monkeypatch.chdir(tmp_path)
    real_open = pathlib.Path.open

    def denied(self, *args, **kwargs):  # chmod 000 does not stop root, who runs CI here
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", denied)
    assert [f[:4] + (f[4][:18],) for f in _found()] == [
        ("WA102", "app.py", 6, 23, "`f` starts backgro"),
        ("WA001", "secret.py", 1, 1, "cannot read: permi"),
    ]
    assert _found()[1][4] == "cannot read: permission denied"


def test_a_fifo_in_the_tree_is_one_finding_and_never_waited_on(tmp_path, monkeypatch):
    """Opening a FIFO waits for a writer: one walked into (`views.py`, a compose file) is
    reported as not a regular file, as one given on the command line is."""
    import pytest

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    os.mkfifo(tmp_path / "views.py")
    os.mkfifo(tmp_path / "docker-compose.yml")
    (tmp_path / "app.py").write_text(HANDLER.format(body=THREAD))
    monkeypatch.chdir(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "worker_audit", "check", "--no-cache", "-q", "."],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines() == [
        "app.py:6:23: WA102 `f` starts background work in threading.Thread: the work dies with the process; "
        "enqueue a tracked job instead",
        "docker-compose.yml:1:1: WA001 cannot read: not a regular file",
        "views.py:1:1: WA001 cannot read: not a regular file",
    ]


def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(tmp_path):
    """Every report is UTF-8 (JSON, SARIF, GitLab, a baseline): a name's undecodable byte
    shows as U+FFFD instead of ending the run in UnicodeEncodeError."""
    import pytest

    name = os.fsdecode(b"routes_\xff.py")
    try:
        (tmp_path / name).write_text(HANDLER.format(body=THREAD))
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses the name")
    for form in ("json", "gitlab", "sarif", "text"):
        result = subprocess.run(
            [sys.executable, "-m", "worker_audit", "check", "--no-cache", "--format", form, "."],
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
        )
        assert (result.returncode, result.stderr) == (1, b""), form
        assert "routes_\ufffd.py" in result.stdout.decode("utf-8"), form
    baseline = subprocess.run(
        [sys.executable, "-m", "worker_audit", "baseline", "-o", "baseline.json", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert baseline.returncode == 0, baseline.stderr
    assert "routes_\ufffd.py" in (tmp_path / "baseline.json").read_text(encoding="utf-8")


def test_symlink_loops_and_dangling_links_are_one_line_each(tmp_path, monkeypatch):
    os.symlink("b.py", tmp_path / "a.py")
    os.symlink("a.py", tmp_path / "b.py")
    os.symlink("nowhere.py", tmp_path / "dangling.py")
    os.symlink(".", tmp_path / "loop_dir")
    (tmp_path / "app.py").write_text(HANDLER.format(body=THREAD))
    monkeypatch.chdir(tmp_path)
    result = _check()
    assert result.exit_code == 1 and result.stdout.startswith("app.py:6:23: WA102 ")
    assert result.stderr == "".join(
        f"worker-audit: {name}: broken symlink or symlink loop: not followed\n"
        for name in ("a.py", "b.py", "dangling.py")
    )


def test_symlinks_out_of_the_tree_are_never_followed(tmp_path, monkeypatch):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "views.py").write_text(HANDLER.format(body=THREAD))
    (tmp_path / "tree").mkdir()
    os.symlink(outside / "views.py", tmp_path / "tree" / "linked.py")
    os.symlink(outside, tmp_path / "tree" / "linked_dir")
    monkeypatch.chdir(tmp_path / "tree")
    result = _check()
    assert (result.exit_code, result.stdout) == (0, "No findings.\n")
    assert result.stderr == (
        "worker-audit: linked.py: symlink to outside the audited tree: not followed\n"
        "worker-audit: warning: no Python files found under the given paths\n"  # the link was all there was
    )


def test_paths_with_spaces_and_non_ascii_names(tmp_path, monkeypatch):
    folder = tmp_path / "dir with space" / "ñandú, días"
    folder.mkdir(parents=True)
    (folder / "vista.py").write_text(HANDLER.format(body=THREAD))
    monkeypatch.chdir(tmp_path)
    path = "dir with space/ñandú, días/vista.py"
    assert [f[:3] for f in _found()] == [("WA102", path, 6)]
    assert _check().stdout.startswith(f"{path}:6:23: WA102 ")
    github = _check("--format", "github").stdout
    assert github.startswith("::error file=dir with space/ñandú%2C días/vista.py,line=6,endLine=6,col=23,")


def test_a_large_module_that_names_nothing_a_rule_looks_for_is_no_finding(tmp_path, monkeypatch):
    (tmp_path / "data.py").write_text("TABLE = [\n" + "    (1, 'a', 2.5),\n" * 60000 + "]\n")  # about 1 MB
    (tmp_path / "app.py").write_text(HANDLER.format(body=THREAD))
    monkeypatch.chdir(tmp_path)
    assert [f[:3] for f in _found()] == [("WA102", "app.py", 6)]  # read and scanned, never parsed: no WA001


def test_a_large_yaml_file_that_is_no_deployment_file_is_no_finding(tmp_path, monkeypatch):
    (tmp_path / "pnpm-lock.yaml").write_text("packages:\n" + "  /left-pad@1.3.0:\n    resolution: {}\n" * 30000)
    (tmp_path / "app.py").write_text(HANDLER.format(body=THREAD))
    monkeypatch.chdir(tmp_path)
    assert (tmp_path / "pnpm-lock.yaml").stat().st_size > 512 * 1024
    assert [f[:3] for f in _found()] == [("WA102", "app.py", 6)]  # redash's 617 KiB lock file was a WA001
