"""`worker-audit report`: the audit document of a whole tree, in Markdown and in
HTML. Pinned on the seed app, checked fact by fact, escaped on a hostile tree,
and opened in headless Chromium to prove the page loads nothing and logs no error."""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, REPO
from headless_chromium import CHROMIUM, png_pixels, visit

from worker_audit.checks import RULES
from worker_audit.cli import main

GOLDEN = REPO / "tests" / "golden"
CSP_META = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
)
PAYLOAD = "</script><script>alert(1)</script>"


def _report(tmp_path: Path, name: str, *args: str) -> tuple[str, object]:
    output = tmp_path / name
    result = CliRunner().invoke(main, ["report", *args, "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output.read_text(encoding="utf-8"), result


WORKER_COMPOSE = "services:\n  worker:\n    command: rq worker default\n"


def _tree(tmp_path: Path, monkeypatch, files: dict[str, str]) -> Path:
    """`files` written in tmp_path/app, which becomes the working directory."""
    root = tmp_path / "app"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    monkeypatch.chdir(root)
    return root


def _section(markdown: str, title: str) -> str:
    return markdown.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("name", ["seed_app.report.md", "seed_app.report.html"])
def test_report_of_the_seed_app_is_pinned(name, in_repo, tmp_path):
    text, _ = _report(tmp_path, name, "fixtures/seed_app")
    again, _ = _report(tmp_path, "again" + Path(name).suffix, "fixtures/seed_app")
    assert again == text  # byte for byte: nothing depends on the time or on dict order
    golden = GOLDEN / name
    if os.environ.get("WORKER_AUDIT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_markdown_report_of_the_seed_app(in_repo, tmp_path):
    markdown, result = _report(tmp_path, "audit.md", "fixtures/seed_app")
    assert result.stderr == (
        f"Wrote {tmp_path / 'audit.md'}: 12 findings; 12 request handlers found; "
        "3 places do slow work inside the request; 4 enqueue sites.\n"
    )
    assert markdown.startswith("# Worker audit: fixtures/seed\\_app\n")
    assert (
        "**Verdict**: 12 request handlers found; 3 places do slow work inside the request instead of through "
        "the worker; "
        "4 enqueue sites: 0 done right, 1 with a point missing, 1 on a queue no worker serves, 2 not verified; "
        "1 queue no worker serves (`maintenance`).\n"
    ) in markdown

    inline = _section(markdown, "Not through the worker")
    headings = re.findall(r"^### .*$", inline, re.M)
    assert headings == [
        "### 1. `bulk_delete_leads` (server/routes\\_leads.py:93)",
        "### 2. `create_broadcast` (server/routes\\_whatsapp.py:42)",
        "### 3. `RECORDING_QUEUE` (server/services/recording\\_service.py:16)",
    ]
    assert "| server/routes\\_leads.py:102 | bulk database work: Lead.query.filter(...).delete(...) | " in inline
    assert "`Lead.query.filter(Lead.id.in_(lead_ids)).delete(synchronize_session=False)` |" in inline
    assert "**Why it matters**: The standard says every operation that can take more than 2 seconds" in inline
    offered = re.findall(r"^\*\*Fix offered\*\*: (.*)$", inline, re.M)
    assert offered == [
        "move the bulk statements into a batched job `bulk_delete_leads_job` and enqueue it "
        "(unsafe fix: `worker-audit fix --unsafe-fixes --select WA101 fixtures/seed_app`; review the diff)",
        "enqueue `process_broadcast` on the `default` queue with a BackgroundJob record; answer 202 "
        "(unsafe fix: `worker-audit fix --unsafe-fixes --select WA102 fixtures/seed_app`; review the diff)",
        "no automatic fix",  # WA103
    ]

    sites = _section(markdown, "Through the worker")
    # done right only when a worker serves the queue and something was asked and found: the CLI
    # command and the enqueue inside a job are asked nothing, `maintenance` has no worker
    assert sites.startswith(
        "\n4 enqueue sites: 0 done right, 1 with a point missing, 1 on a queue no worker serves, 2 not verified. "
    )
    rows = [line for line in sites.splitlines() if line.startswith("| server/")]
    assert rows == [
        "| server/cli.py:20 | `register_cli.refresh_stats` | ✓ `low`: served | `refresh_business_stats_job` "
        "(server/jobs/stats\\_job.py) | – not asked: no request handler found that reaches it | ✓ set "
        "| – not asked: no request handler found that reaches it |",
        "| server/jobs/receipts\\_job.py:56 | `delete_receipts_batch_job` | ✓ `high`: served | `notify_job_finished` "
        "(server/jobs/notifications\\_job.py) | – not asked: no request handler found that reaches it "
        "| – not asked: the job does not loop over work | – not asked: no request handler found that reaches it |",
        "| server/routes\\_gmail.py:27 | `sync_gmail` | ✓ `default`: served | `sync_gmail_receipts_job` "
        "(server/jobs/gmail\\_sync\\_job.py) | ✗ missing (WA301) | ✗ missing (WA307) | ✗ missing (WA302, line 34) |",
        "| server/routes\\_receipts.py:59 | `delete_all_receipts` | ✗ `maintenance`: no worker serves it "
        "(WA201, reported at line 58, where the queue is created) "
        "| `delete_receipts_batch_job` (server/jobs/receipts\\_job.py) | ✓ created before the enqueue | ✓ set "
        "| ✓ 202 with the job id |",
    ]

    topology = _section(markdown, "Queue topology")
    assert "| `maintenance` | server/routes\\_receipts.py:59 `delete_all_receipts` | – | ✗ NOT CONSUMED |" in topology

    checklist = re.findall(r"^- \[ \] (.*)$", _section(markdown, "Checklist of fixes"), re.M)
    # by severity (error, warning, info), then by file and line
    assert [item.split(":", 1)[0] for item in checklist] == [
        "`bulk_delete_leads` (server/routes\\_leads.py",
        "`maintenance` (server/routes\\_receipts.py",
        "`create_broadcast` (server/routes\\_whatsapp.py",
        "`sync_gmail_receipts_job` (server/jobs/gmail\\_sync\\_job.py",
        "`sync_gmail` (server/routes\\_gmail.py",
        "`process_broadcast` (server/services/broadcast\\_worker.py",
        "`RECORDING_QUEUE` (server/services/recording\\_service.py",
    ]
    # each fix command runs only the rules named, on what was audited
    assert checklist[0] == (
        "`bulk_delete_leads` (server/routes\\_leads.py:93): Create a tracking record, enqueue a job that processes "
        "the ids in batches of 50-100 (heartbeat, cancel check and `JOB_*` logs per batch), and answer `202` with "
        "the job id (WA101). Automatic fix: `worker-audit fix --unsafe-fixes --select WA101 fixtures/seed_app`."
    )
    # WA201 sits where the queue is created (58), the topology table shows the enqueue call (59)
    assert checklist[1] == (
        "`maintenance` (server/routes\\_receipts.py:58, where the queue is created; enqueued at line 59): "
        "Add the queue to every worker definition (the compose value and the worker module's default) (WA201). "
        "Automatic fix: `worker-audit fix --select WA201 fixtures/seed_app`."
    )
    assert checklist[4].endswith(
        "Automatic fix: `worker-audit fix --select WA307 fixtures/seed_app`; "
        "`worker-audit fix --unsafe-fixes --select WA301 fixtures/seed_app`."
    )

    # WA301, WA302 and WA307 are in the enqueue-site table, the WA1xx above: the rest here
    others = re.findall(r"^\| ([^ ]+) \| (WA\d{3}) \|", _section(markdown, "Other findings"), re.M)
    assert others == [
        ("server/jobs/gmail\\_sync\\_job.py:18", "WA303"),
        ("server/jobs/gmail\\_sync\\_job.py:18", "WA304"),
        ("server/jobs/gmail\\_sync\\_job.py:18", "WA305"),
        ("server/jobs/gmail\\_sync\\_job.py:18", "WA306"),
        ("server/routes\\_receipts.py:58", "WA201"),
        ("server/services/broadcast\\_worker.py:13", "WA308"),
    ]
    assert "<" not in markdown  # no HTML at all


def test_html_report_of_the_seed_app(in_repo, tmp_path):
    page, _ = _report(tmp_path, "audit.html", "fixtures/seed_app")
    assert page.startswith("<!DOCTYPE html>\n")
    assert CSP_META in page
    assert "<script" not in page.lower()
    assert not re.search(r"https?://", page)  # nothing to load, not even an SVG namespace
    assert not re.search(r"\b(src|href)=", page)
    assert page.count("<svg ") == 2
    assert '<svg id="chart-rules"' in page and '<svg id="chart-modules"' in page
    assert "<title>Worker audit: fixtures/seed_app</title>" in page
    assert "@media print" in page

    inline = page.split('<section id="not-through-the-worker">', 1)[1].split("</section>\n<section id=", 1)[0]
    assert "<h3>1. <code>bulk_delete_leads</code> (server/routes_leads.py:93)</h3>" in inline
    assert "<td>server/routes_leads.py:93</td>" in inline
    assert '<code class="source">LeadActivity.query.filter(LeadActivity.lead_id.in_(lead_ids)).delete(</code>' in inline
    checklist = page.split('<ul class="checklist">', 1)[1].split("</ul>", 1)[0]
    assert checklist.count('<li><span class="box">☐</span>') == 7


def test_format_from_the_suffix_or_the_option(in_repo, tmp_path):
    markdown, _ = _report(tmp_path, "audit.markdown", "fixtures/seed_app")
    assert markdown.startswith("# Worker audit")
    page, _ = _report(tmp_path, "AUDIT.HTM", "fixtures/seed_app")
    assert page.startswith("<!DOCTYPE html>")
    forced, _ = _report(tmp_path, "audit.txt", "fixtures/seed_app", "--format", "markdown")
    assert forced == markdown

    # a suffix that says one format and --format another: refused, nothing written (as a typo would be)
    mismatch = CliRunner().invoke(
        main, ["report", "fixtures/seed_app", "-o", str(tmp_path / "x.md"), "--format", "html"]
    )
    assert (mismatch.exit_code, mismatch.stderr) == (
        2,
        f"worker-audit: error: --format html does not match the suffix of {tmp_path / 'x.md'} (markdown): "
        "drop one or the other\n",
    )
    assert not (tmp_path / "x.md").exists()
    same, _ = _report(tmp_path, "audit.md", "fixtures/seed_app", "--format", "markdown")
    assert same == markdown

    unknown = CliRunner().invoke(main, ["report", "fixtures/seed_app", "-o", str(tmp_path / "audit.rst")])
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        f"worker-audit: error: cannot tell the format of {tmp_path / 'audit.rst'} from its suffix: "
        "use --format html or --format markdown\n"
    )
    assert not (tmp_path / "audit.rst").exists()
    missing = CliRunner().invoke(main, ["report", "fixtures/seed_app"])
    assert missing.exit_code == 2 and "Missing option '-o' / '--output'" in missing.output
    unwritable = CliRunner().invoke(main, ["report", "fixtures/seed_app", "-o", str(tmp_path / "no" / "audit.md")])
    assert unwritable.exit_code == 2 and "cannot write" in unwritable.stderr


def test_a_clean_tree_gets_a_clean_verdict(tmp_path, monkeypatch):
    _tree(tmp_path, monkeypatch, {"app.py": UNKNOWN_JOB_APP, "docker-compose.yml": WORKER_COMPOSE})
    markdown, _ = _report(tmp_path, "audit.md", ".")
    assert _verdict(markdown) == (
        "No violation found. 1 request handler found; none does slow work inline; "
        "1 enqueue site: 0 done right, 1 not verified; all queues served (`default`)."
    )
    assert _section(markdown, "Not through the worker") == "\nNo request handler does slow work inline.\n"
    page, _ = _report(tmp_path, "audit.html", ".")
    assert '<p class="verdict clean">' in page and "<svg" not in page


def test_no_worker_at_all_is_no_clean_verdict(tmp_path, monkeypatch):
    """Without deployment files no rule has a finding, but the topology marks the queue: not good news."""
    _tree(tmp_path, monkeypatch, {"app.py": UNKNOWN_JOB_APP})
    markdown, _ = _report(tmp_path, "audit.md", ".")
    assert _verdict(markdown) == (
        "1 request handler found; none does slow work inline; 1 enqueue site: 0 done right, "
        "1 on a queue no worker serves; no worker found in the deployment files."
    )
    page, _ = _report(tmp_path, "audit.html", ".")
    assert '<p class="verdict">' in page


def _verdict(markdown: str) -> str:
    return markdown.split("**Verdict**: ", 1)[1].split("\n", 1)[0]


def test_a_target_without_python_files_is_not_given_a_clean_bill(tmp_path, monkeypatch):
    """An empty folder or a README: nothing was audited, and the report says so, not 'no violation'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "README.md").write_text("# notes\n")
    for target in ("empty", "README.md"):
        markdown, result = _report(tmp_path, "audit.md", target)
        assert _verdict(markdown) == "Nothing audited: no Python file found, so no request handler was checked."
        assert result.stderr == f"Wrote {tmp_path / 'audit.md'}: nothing audited: no Python file found; 0 findings.\n"
        page, _ = _report(tmp_path, "audit.html", target)
        assert '<p class="verdict">' in page


def test_a_tree_whose_module_does_not_parse_is_an_incomplete_audit(tmp_path, monkeypatch):
    """Its only module fails to parse (WA001): no handler is found, and that is not good news."""
    broken = 'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\ndef f(:\n    pass\n'
    _tree(tmp_path, monkeypatch, {"app.py": broken})
    markdown, result = _report(tmp_path, "audit.md", ".")
    assert _verdict(markdown) == (
        "Audit incomplete: 1 Python file not parsed (WA001): what it holds was not checked. "
        "No request handler found: the web framework may not be recognised, so nothing was checked for slow work "
        "inside a request; no enqueue site."
    )
    assert _section(markdown, "Not through the worker") == "\nNo request handler found.\n"
    assert result.stderr == (
        f"Wrote {tmp_path / 'audit.md'}: audit incomplete: 1 Python file not parsed; 1 finding; "
        "0 request handlers found; 0 places do slow work inside the request; 0 enqueue sites.\n"
    )


UNKNOWN_JOB_APP = textwrap.dedent(
    """\
    from flask import Flask, jsonify
    from redis import Redis
    from rq import Queue

    app = Flask(__name__)
    queue = Queue("default", connection=Redis())


    @app.route("/tasks/<name>", methods=["POST"])
    def run_task(name):
        job = queue.enqueue(f"app.tasks.{name}")
        return jsonify({"job_id": job.id}), 202
    """
)


def test_a_site_whose_job_is_not_known_says_so(tmp_path, monkeypatch):
    """A handler enqueues a job named at run time: nothing can say whether the job loops, so
    nothing is asked of it, and the row is not verified rather than done right."""
    _tree(tmp_path, monkeypatch, {"app.py": UNKNOWN_JOB_APP, "docker-compose.yml": WORKER_COMPOSE})
    markdown, _ = _report(tmp_path, "audit.md", ".")
    sites = _section(markdown, "Through the worker")
    assert sites.startswith("\n1 enqueue site: 0 done right, 1 not verified. ")
    assert [line for line in sites.splitlines() if line.startswith("| app.py")] == [
        "| app.py:11 | `run_task` | ✓ `default`: served | not known | – not checked: the job is not known "
        "| – not checked: the job is not known | – not checked: the job is not known |"
    ]


def test_the_verdict_says_what_the_topology_says_of_an_open_ended_worker(tmp_path, monkeypatch):
    """netbox's worker serves RQ_QUEUES, which plugins extend at run time: the queues named in the
    code are served (as the topology table says), what is open is a queue named at run time."""
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "cases" / "topology_rqworker_override", root)
    with (root / "config" / "settings.py").open("a") as settings:
        settings.write("\nRQ_QUEUES.update(PLUGIN_QUEUES)\n")
    tasks = root / "shop" / "tasks.py"
    head = tasks.read_text().split("    # a queue RQ_QUEUES does not configure")[0]
    tasks.write_text(head + "\n\ndef schedule_on(name):\n    django_rq.get_queue(name).enqueue(build_report)\n")
    monkeypatch.chdir(root)
    markdown, _ = _report(tmp_path, "audit.md", ".")
    assert _verdict(markdown) == (
        "No request handler found: the web framework may not be recognised, so nothing was checked for slow work "
        "inside a request; 3 enqueue sites: 0 done right, 3 not verified; "
        "all queues named in the code served (`default`, `reports`); "
        "whether a worker serves the queue named at run time (1 enqueue site) is not checked."
    )
    rows = _section(markdown, "Queue topology").strip().splitlines()[2:]  # default, reports, <dynamic>
    assert [row.rsplit(" | ", 1)[1] for row in rows] == ["✓ ok |", "✓ ok |", "– named at run time: not checked |"]


def _purge_app(statements: int) -> str:
    """WA101's bad example with `statements` bulk deletes, one a line from line 15."""
    head = RULES["WA101"].bad.files["app.py"].split("# expect: WA101\n")[0]
    deletes = "".join(f"    Lead.query.filter(Lead.id.in_(ids[{n}:])).delete()\n" for n in range(statements))
    return head + deletes + "    db.session.commit()\n"


@pytest.mark.parametrize(
    ("statements", "places"),
    [
        (9, [f"app.py:{line}" for line in range(15, 24)]),  # all 9: no "1 more" row in place of the last
        (10, [f"app.py:{line}" for line in range(15, 23)] + ["and 2 more places"]),
    ],
)
def test_a_violation_shows_eight_places_and_counts_the_rest(statements, places, tmp_path, monkeypatch):
    _tree(tmp_path, monkeypatch, {"app.py": _purge_app(statements)})
    markdown, _ = _report(tmp_path, "audit.md", ".")
    rows = [line for line in _section(markdown, "Not through the worker").splitlines() if line.startswith("| ")]
    assert [row.strip("| ").split(" | ")[0] for row in rows[1:]] == places


HOSTILE_APP = textwrap.dedent(
    f"""\
    from flask import Flask, jsonify, request
    from flask_sqlalchemy import SQLAlchemy
    from redis import Redis
    from rq import Queue

    app = Flask(__name__)
    db = SQLAlchemy(app)
    hostile = Queue("{PAYLOAD}", connection=Redis())


    class Lead(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        name = db.Column(db.String)


    def purge_leads_job(ids):
        for lead_id in ids:
            Lead.query.filter(Lead.id == lead_id).delete()
            db.session.commit()


    @app.route("/leads/bulk-delete", methods=["POST"])
    def bulk_delete():
        ids = request.get_json()["ids"]
        Lead.query.filter(Lead.id.in_(ids), Lead.name != "{PAYLOAD} | `x` *y* [z](u) $m$").delete()
        db.session.commit()
        return jsonify({{"ok": True}})


    @app.route("/leads/purge", methods=["POST"])
    def purge():
        hostile.enqueue(purge_leads_job, request.get_json()["ids"])
        return jsonify({{"ok": True}})
    """
)


@pytest.fixture
def hostile_tree(tmp_path, monkeypatch):
    """A Flask app whose file name, offending line and queue name hold markup."""
    return _tree(tmp_path, monkeypatch, {"app<i>.py": HOSTILE_APP, "docker-compose.yml": WORKER_COMPOSE})


def test_html_report_escapes_what_comes_from_the_audited_code(hostile_tree):
    page, _ = _report(hostile_tree.parent, "audit.html", ".")
    escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<script" not in page.lower()
    assert "<i>" not in page
    assert f'<code class="source">Lead.query.filter(Lead.id.in_(ids), Lead.name != &quot;{escaped} | `x` *y* ' in page
    assert f"<td><code>{escaped}</code></td>" in page  # the queue, in the topology table
    assert f"queue <code>{escaped}</code> has no worker" in page  # WA201's message
    assert "<td>app&lt;i&gt;.py:25</td>" in page
    assert "<h3>1. <code>bulk_delete</code> (app&lt;i&gt;.py:25)</h3>" in page


@pytest.mark.parametrize(
    ("message", "markdown"),
    [
        ("job `x` is late", "job `x` is late"),
        ("queue `a|b` has no worker", "queue \\`a\\|b\\` has no worker"),  # no code span can hold the |
        ("queue `a`b` has no worker", "queue \\`a\\`b\\` has no worker"),  # unpaired
        ("log `` and `x`", "log \\`\\` and \\`x\\`"),  # around nothing
        ("queue `a``b` x", "queue \\`a\\`\\`b\\` x"),  # side by side
    ],
)
def test_backticks_in_markdown_mark_code_or_are_escaped(message, markdown):
    """Backticks that cannot be a code span are shown, not dropped nor left to the renderer."""
    from worker_audit.audit_report.markdown_document import inline

    assert inline(message) == markdown


def test_markdown_report_escapes_what_comes_from_the_audited_code(hostile_tree):
    markdown, _ = _report(hostile_tree.parent, "audit.md", ".")
    escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<" not in markdown and ">" not in markdown.replace("---:", "")
    assert (
        f'| app&lt;i&gt;.py:25 | reported here | Lead.query.filter(Lead.id.in\\_(ids), Lead.name \\!= "{escaped} '
        '\\| \\`x\\` \\*y\\* \\[z\\](u) \\$m\\$").delete() |'
    ) in markdown
    assert f"| {escaped} | app&lt;i&gt;.py:32 `purge` | – | ✗ NOT CONSUMED |" in markdown
    # the queue's name cannot be a code span (it holds < and >): its backticks are shown, escaped
    wa201 = [line for line in _section(markdown, "Other findings").splitlines() if "| WA201 |" in line]
    assert wa201 == [
        f"| app&lt;i&gt;.py:8 | WA201 | error | queue \\`{escaped}\\` has no worker: jobs enqueued to it never "
        "run (workers listen to: default) | no automatic fix |"
    ]
    # every table keeps its columns: no cell lets an unescaped | through
    for block in re.findall(r"(?:^\|.*\n)+", markdown, re.M):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(widths) == 1, block


# -- headless Chromium ---------------------------------------------------------


def _chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("WORKER_AUDIT_REQUIRE_CHROMIUM"):
        pytest.fail(f"WORKER_AUDIT_REQUIRE_CHROMIUM is set but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} is not installed")


def test_html_report_in_headless_chromium(in_repo, tmp_path):
    _chromium_or_skip()
    _report(tmp_path, "audit.html", "fixtures/seed_app")
    report = (tmp_path / "audit.html").resolve()
    shot = tmp_path / "shot.png"
    seen = visit(report.as_uri(), shot, selectors=("#chart-rules", "#chart-modules"))

    assert seen.requests == [report.as_uri()]  # the page itself and nothing else
    assert seen.network == []
    assert seen.errors == []
    assert seen.console == [] and seen.exceptions == []
    assert [entry for entry in seen.log if entry[0] in ("error", "warning")] == []

    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000
    width, height, _, _ = png_pixels(data)
    assert (width, height) == (1200, 2000)
    for selector in ("#chart-rules", "#chart-modules"):
        x, y, w, h = seen.boxes[selector]
        assert w > 200 and h > 100 and y + h <= 2000, (selector, seen.boxes)  # drawn, inside the screenshot
    # the rules chart shows its bars: pixels in the error, warning and info colours
    w, h, rows, step = png_pixels(seen.element_shots["#chart-rules"])
    pixels = [row[i : i + 3].hex() for row in rows for i in range(0, w * step, step)]
    for colour in ("b42318", "b54708", "175cd3"):
        assert pixels.count(colour) > 500, colour
    shutil.copyfile(shot, "/tmp/report-shot.png")


LONG_NAMES_APP = textwrap.dedent(
    """\
    from flask import Flask
    from redis import Redis
    from rq import Queue

    app = Flask(__name__)
    QUEUE_NAME = "reconciliation-of-every-customer-ledger-entry-across-all-regions-and-currencies-nightly"
    ledger_queue = Queue(QUEUE_NAME, connection=Redis())


    def reconcile_every_customer_ledger_entry_across_all_regions_and_currencies_job(ids):
        for entry_id in ids:
            print(entry_id)


    @app.route("/ledger/reconcile", methods=["POST"])
    def start_the_nightly_reconciliation_of_every_customer_ledger_entry_across_all_regions():
        ledger_queue.enqueue(reconcile_every_customer_ledger_entry_across_all_regions_and_currencies_job, [1])
        return {}
    """
)


def test_html_report_with_long_names_stays_inside_the_page(tmp_path, monkeypatch):
    """Long function, job and queue names wrap inside their cells: the enqueue-site table,
    its last column (the 202 answer) included, is drawn inside the 1200-pixel viewport."""
    _chromium_or_skip()
    root = _tree(tmp_path, monkeypatch, {"ledger_reconciliation_views_for_every_region.py": LONG_NAMES_APP})
    _report(tmp_path, "audit.html", ".")
    seen = visit((tmp_path / "audit.html").resolve().as_uri(), tmp_path / "shot.png", selectors=SITE_TABLE)
    assert root.exists() and seen.errors == []
    right_edges = {selector: round(seen.boxes[selector][0] + seen.boxes[selector][2]) for selector in SITE_TABLE}
    assert all(edge <= 1200 for edge in right_edges.values()), right_edges


SITE_TABLE = ("#through-the-worker table", "#through-the-worker th:last-child")


BAD_PAGES = {
    "an image from the network and a console error": (
        '<!DOCTYPE html><html><body><img src="http://example.invalid/x.png">'
        '<script>console.error("x")</script></body></html>',
        ["http://example.invalid/x.png"],
        "console.error: x",
    ),
    "an inline script under the report's policy": (
        f'<!DOCTYPE html><html><head>{CSP_META}</head><body><script>document.title = "ran"</script></body></html>',
        [],
        "Executing inline script violates the following Content Security Policy directive",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PAGES))
def test_headless_chromium_check_sees_requests_and_errors(case, tmp_path):
    """The check above can fail: on a page that loads from the network and logs an
    error, or that a script under the report's policy, it sees both."""
    _chromium_or_skip()
    html, network, error = BAD_PAGES[case]
    page = tmp_path / "bad.html"
    page.write_text(html)
    seen = visit(page.as_uri(), tmp_path / "bad.png")
    assert seen.network == network
    assert any(error in line for line in seen.errors), seen.errors
