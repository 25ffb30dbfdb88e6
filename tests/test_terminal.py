"""Colour only on a terminal (NO_COLOR wins), a progress line only for slow runs on a terminal."""

from __future__ import annotations

import io

from click.testing import CliRunner

from worker_audit.cli import main
from worker_audit.terminal import Progress, colour_wanted, paint


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert colour_wanted(_Terminal()) and not colour_wanted(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not colour_wanted(_Terminal())
    monkeypatch.setenv("NO_COLOR", "")  # empty: not set, per no-color.org
    assert colour_wanted(io.StringIO())


def test_paint_colours_the_head_of_finding_lines_only():
    report = "app.py:9:5: WA102 `a` starts a thread\nsvc.py:3:1: WA307 [*] no timeout\nFound 2 findings.\n"
    assert paint(report, {"WA102": "error", "WA307": "warning"}) == (
        "\x1b[1mapp.py\x1b[0m:9:5: \x1b[1;31mWA102\x1b[0m `a` starts a thread\n"
        "\x1b[1msvc.py\x1b[0m:3:1: \x1b[1;33mWA307\x1b[0m \x1b[36m[*]\x1b[0m no timeout\n"
        "Found 2 findings.\n"
    )


def test_check_colours_with_force_color_and_not_with_no_color(tmp_path, monkeypatch):
    source = "import threading\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
    source += '@app.route("/a", methods=["POST"])\ndef a():\n    threading.Thread(target=len).start()\n'
    (tmp_path / "app.py").write_text(source)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    plain = CliRunner().invoke(main, ["check", "."])  # not a terminal
    assert "\x1b[" not in plain.stdout and plain.stdout.startswith("app.py:9:5: WA102 ")
    monkeypatch.setenv("FORCE_COLOR", "1")
    forced = CliRunner().invoke(main, ["check", "."])
    assert forced.stdout.startswith("\x1b[1mapp.py\x1b[0m:9:5: \x1b[1;31mWA102\x1b[0m ")
    assert "\x1b[" not in CliRunner().invoke(main, ["check", ".", "--format", "json"]).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in CliRunner().invoke(main, ["check", "."]).stdout


def test_progress_appears_after_a_second_on_a_terminal_and_is_cleared():
    clock, stream = _Clock(), _Terminal()
    progress = Progress(stream, clock=clock)
    progress(10, 400)
    assert stream.getvalue() == ""  # a quick run shows nothing
    clock.now += 1.5
    progress(200, 400)
    assert stream.getvalue() == "\r\x1b[2Kworker-audit: [############............] 200/400 files"
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[2K")


def test_no_progress_off_a_terminal():
    clock, stream = _Clock(), io.StringIO()
    progress = Progress(stream, clock=clock)
    clock.now += 5
    progress(200, 400)
    progress.close()
    assert stream.getvalue() == ""


def test_quiet_prints_the_findings_and_nothing_else_and_verbose_says_what_ran(tmp_path, monkeypatch):
    source = "import threading\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
    source += '@app.route("/a", methods=["POST"])\ndef a():\n    threading.Thread(target=len).start()\n'
    (tmp_path / "app.py").write_text(source)
    (tmp_path / "clean.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["baseline", "app.py"]).exit_code == 0
    quiet = CliRunner().invoke(main, ["check", ".", "-q"])
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (
        1,
        "app.py:9:5: WA102 `a` starts background work in threading.Thread: the work dies with the process; "
        "enqueue a tracked job instead\n",
        "",
    )
    full = CliRunner().invoke(main, ["check", ".", "--quiet", "--format", "full"])
    assert full.stdout.endswith("    9 |     threading.Thread(target=len).start()\n      |     ^\n\n")
    hidden = CliRunner().invoke(main, ["check", ".", "--quiet", "--baseline", ".worker-audit-baseline.json"])
    assert (hidden.exit_code, hidden.stdout, hidden.stderr) == (0, "", "")
    verbose = CliRunner().invoke(main, ["check", ".", "-v", "--select", "WA1"])
    assert verbose.stderr.startswith(
        "worker-audit: config none, defaults; 2 files checked, 1 parsed (1 from the cache), 0 outlined, 4 rules, "
    )
    assert verbose.stderr.endswith(" s\n") and verbose.stdout.endswith("Found 1 finding (1 error).\n")
