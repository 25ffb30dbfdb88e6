"""The command line: exit codes, selection, formats, configuration, suppressions."""

from __future__ import annotations

import json
import re
import textwrap
import warnings
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import REPO

from worker_audit.cli import main

SCHEMAS = REPO / "tests" / "schemas"  # copies of shared/schemas (see its README)
SHARED_SCHEMAS = REPO.parent / "shared" / "schemas"

THREAD_APP = textwrap.dedent(
    """\
    import threading

    from flask import Flask

    app = Flask(__name__)


    def work():
        ...


    @app.route("/work", methods=["POST"])
    def start_work():
        threading.Thread(target=work).start()
        return {}
    """
)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(THREAD_APP)
    return tmp_path


def test_text_output_is_ruff_like_and_exit_is_1(project):
    result = run("check", ".")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "app.py:14:5: WA102 `start_work` starts background work in threading.Thread: "
        "the work dies with the process; enqueue a tracked job instead",
        "Found 1 finding (1 error).",
    ]


def test_default_path_is_the_current_directory(project):
    assert run("check").output == run("check", ".").output


def test_a_run_from_inside_a_package_imports_as_python_would(tmp_path, monkeypatch):
    # no pyproject.toml: the root is the working directory, here the package `proj` itself.
    # Its `celery.py` is `proj.celery`, never the `celery` library its modules import
    package = tmp_path / "proj"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "celery.py").write_text('from celery import Celery\n\napp = Celery("proj")\n')
    (package / "tasks.py").write_text(
        "import time\n\nfrom celery import shared_task\n\n\n"
        "@shared_task\ndef send_all(ids):\n    for i in ids:\n        time.sleep(i)\n"
    )
    (package / "views.py").write_text(
        "from flask import Flask, request\n\nfrom proj.tasks import send_all\n\napp = Flask(__name__)\n\n\n"
        '@app.post("/send")\ndef send():\n    send_all.delay(request.json["ids"])\n    return {}\n'
    )
    monkeypatch.chdir(tmp_path)
    from_above = run("check", "--select", "WA301", "proj")
    monkeypatch.chdir(package)
    from_inside = run("check", "--select", "WA301", ".")
    assert from_above.output.splitlines()[0].startswith("proj/views.py:10:5: WA301 `send` enqueues `send_all`")
    assert from_inside.output.splitlines()[0].startswith("views.py:10:5: WA301 `send` enqueues `send_all`")


def test_exit_zero(project):
    assert run("check", "--exit-zero").exit_code == 0


def test_select_and_ignore_by_prefix(project):
    assert run("check", "--select", "WA1").exit_code == 1
    assert run("check", "--select", "WA101,WA103").exit_code == 0
    assert run("check", "--ignore", "WA10").output == "No findings.\n"


def test_unknown_selector_is_a_usage_error(project):
    result = run("check", "--select", "WA9")
    assert result.exit_code == 2
    assert result.output == "worker-audit: error: unknown rule selector 'WA9' (see `worker-audit rules`)\n"


def test_missing_path_is_a_usage_error(project):
    result = run("check", "nowhere")
    assert result.exit_code == 2
    assert "no such file or directory: nowhere" in result.output


def test_json_output_follows_the_contract(project):
    result = run("check", "--format", "json")
    data = json.loads(result.output)
    schema = json.loads((SCHEMAS / "findings.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data == [
        {
            "code": "WA102",
            "name": "thread-in-handler",
            "severity": "error",
            "message": "`start_work` starts background work in threading.Thread: the work dies with the process; "
            "enqueue a tracked job instead",
            "path": "app.py",
            "line": 14,
            "column": 5,
            "end_line": 14,
            "end_column": 34,
            "related": [{"path": "app.py", "line": 14, "message": "starts: threading.Thread(...)"}],
            "fix": None,
        }
    ]


def test_json_of_the_seed_app_validates(in_repo):
    result = run("check", "fixtures/seed_app", "--format", "json")
    schema = json.loads((SCHEMAS / "findings.schema.json").read_text())
    jsonschema.validate(json.loads(result.output), schema)


def test_json_lines_is_the_json_array_one_object_per_line(in_repo):
    array = json.loads(run("check", "fixtures/seed_app", "--format", "json").output)
    lines = run("check", "fixtures/seed_app", "--format", "json-lines").stdout.splitlines()
    assert len(lines) == 12 and [json.loads(line) for line in lines] == array


def test_info_findings_do_not_fail_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = __import__("worker_audit.checks", fromlist=["RULES"]).RULES["WA103"].bad.files["app.py"]
    (tmp_path / "app.py").write_text(bad)
    assert run("check").exit_code == 0
    assert run("check", "--fail-on", "info").exit_code == 1


def write_config(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.worker-audit]\n" + textwrap.dedent(body))


def test_config_select_ignore_and_cli_override(project):
    write_config(project, 'ignore = ["WA102"]\n')
    assert run("check").exit_code == 0
    write_config(project, 'select = ["WA101"]\n')
    assert run("check").exit_code == 0
    assert run("check", "--select", "WA102").exit_code == 1


def test_config_is_found_walking_up_from_the_path(project):
    (project / "pkg").mkdir()
    (project / "app.py").rename(project / "pkg" / "app.py")
    write_config(project, 'ignore = ["WA1"]\n')
    assert run("check", "pkg/app.py").exit_code == 0


def test_unknown_config_key_is_one_clear_line(project):
    write_config(project, 'selct = ["WA1"]\n')
    result = run("check")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("worker-audit: error: ")
    assert "[tool.worker-audit] unknown key 'selct'" in lines[0]


def test_wrong_type_in_config(project):
    write_config(project, 'max-call-depth = "deep"\n')
    result = run("check")
    assert result.exit_code == 2
    assert "'max-call-depth' must be a positive integer" in result.output


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("default-job-timeout = '1h\", result_ttl=\"0'", "'default-job-timeout' must be a timeout RQ reads"),
        ("log-start = 'JOB\\\\'", "'log-start' must be a log marker"),
        ("job-model = 'Background Job'", "'job-model' must be a Python name"),
        ("cancel-states = ['paused\"']", "'cancel-states' must be statuses"),
        ("fix-queue = 'a #b'", "'fix-queue' must be a queue name"),
    ],
)
def test_a_setting_the_fixes_write_into_code_must_need_no_escaping(project, setting, message):
    """Values the fixes paste into code (`job_timeout="1h"`, `logger.info("JOB_START ...")`)
    are refused when they would need quoting: written as they are, they would add code."""
    write_config(project, setting + "\n")
    result = run("check")
    assert result.exit_code == 2
    assert message in result.output and len(result.output.splitlines()) == 1


def test_unknown_code_in_config(project):
    write_config(project, 'ignore = ["WA777"]\n')
    result = run("check")
    assert result.exit_code == 2
    assert "unknown rule selector 'WA777'" in result.output


def test_malformed_pyproject_gives_file_and_line(project):
    (project / "pyproject.toml").write_text('[tool.worker-audit]\nselect = ["WA1"\n')
    result = run("check")
    assert result.exit_code == 2
    assert result.output.startswith(f"worker-audit: error: {project / 'pyproject.toml'}:3:1: invalid TOML")


def test_per_file_ignores(project):
    write_config(project, '[tool.worker-audit.per-file-ignores]\n"app.py" = ["WA102"]\n')
    assert run("check").exit_code == 0


def test_exclude_and_gitignore(project):
    (project / "vendor").mkdir()
    (project / "vendor" / "app.py").write_text(THREAD_APP)
    (project / "generated").mkdir()
    (project / "generated" / "app.py").write_text(THREAD_APP)
    (project / ".gitignore").write_text("generated/\n")
    write_config(project, 'exclude = ["vendor/"]\n')
    assert [line.split(":")[0] for line in run("check").output.splitlines()[:-1]] == ["app.py"]
    write_config(project, 'exclude = ["vendor/"]\nrespect-gitignore = false\n')
    assert [line.split(":")[0] for line in run("check").output.splitlines()[:-1]] == [
        "app.py",
        "generated/app.py",
    ]


def test_gitignore_lines_git_cannot_use_are_skipped_quietly(project):
    # a lone `!` makes pathspec raise and `[[` makes re warn; git skips the one and matches the other
    (project / "generated").mkdir()
    (project / "generated" / "app.py").write_text(THREAD_APP)
    (project / ".gitignore").write_text("!\n[z-a]\nweb/pages/[[...path]].tsx\ngenerated/\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run("check")
    assert [line.split(":")[0] for line in result.output.splitlines()[:-1]] == ["app.py"]
    assert result.stderr == ""
    assert [str(warning.message) for warning in caught] == []


def test_an_api_spec_named_like_a_compose_file_routes_in_whole_and_partial_runs(project):
    # `compose-files = ["*.yml"]` puts api.yml among the compose candidates of a whole run; a
    # run on the controller lists it among the project's YAML files: both read it as a spec
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.worker-audit]\ncompose-files = ["*.yml"]\n')
    (project / "app.py").write_text(THREAD_APP.replace('@app.route("/work", methods=["POST"])\n', ""))
    (project / "api.yml").write_text(
        'openapi: "3.0.0"\npaths:\n  /work:\n    post:\n      operationId: app.start_work\n'
    )
    expected = "app.py:13:5: WA102 `start_work` starts background work in threading.Thread"
    assert run("check", "--no-cache", ".").output.startswith(expected)
    assert run("check", "--no-cache", "app.py").output.startswith(expected)


def test_inline_suppression_with_code_and_bare(project):
    source = THREAD_APP.replace(
        "threading.Thread(target=work).start()",
        "threading.Thread(target=work).start()  # worker-audit: ignore[WA102]",
    )
    (project / "app.py").write_text(source)
    assert run("check").output == "No findings.\n"
    (project / "app.py").write_text(source.replace("ignore[WA102]", "ignore"))
    assert run("check").output == "No findings.\n"


def test_suppression_of_another_code_does_not_hide_the_finding(project):
    source = THREAD_APP.replace(
        "threading.Thread(target=work).start()",
        "threading.Thread(target=work).start()  # worker-audit: ignore[WA101]",
    )
    (project / "app.py").write_text(source)
    codes = [line.split()[1] for line in run("check").output.splitlines()[:-1]]
    assert codes == ["WA102", "WA003"]


def test_unused_and_unknown_suppressions_are_reported(project):
    (project / "app.py").write_text(
        THREAD_APP
        + "\n\ndef helper():  # worker-audit: ignore\n    return 1  # worker-audit: ignore[WA999]\n"
        + 'TEXT = "# worker-audit: ignore"\n'
    )
    lines = run("check").output.splitlines()
    assert lines[1:-1] == [
        "app.py:18:16: WA003 unused suppression: no finding on this line",
        "app.py:19:15: WA003 suppression names unknown code WA999",
    ]


HELPER_THREAD = {
    "app.py": """\
from flask import Flask

from helpers import start_in_background

app = Flask(__name__)


@app.route("/work", methods=["POST"])
def start_work():
    start_in_background()
    return {}
""",
    "helpers.py": """\
import functools
import threading


def work():
    ...


def start_in_background():
    threading.Thread(target=work).start()  # worker-audit: ignore[WA102]  the work takes 10 ms


def never_called():
    threading.Thread(target=work).start()  # worker-audit: ignore[WA102, WA998]
    return 1  # worker-audit: ignore[WA102]


@functools.cache  # worker-audit: ignore[WA104]
def cached():
    print("x")  # worker-audit: ignore[WA307]
    print("y")  # worker-audit: ignore
""",
}


def test_a_suppression_in_a_helper_holds_for_the_handler_that_calls_it(project):
    for name, text in HELPER_THREAD.items():
        (project / name).write_text(text)
    select = ("check", "--select", "WA1,WA307,WA003")
    assert run(*select).output.splitlines() == [
        "helpers.py:14:44: WA003 suppression names unknown code WA998",
        "helpers.py:14:44: WA003 unused suppression of WA102: no WA102 finding on this line",
        "helpers.py:15:15: WA003 unused suppression of WA102: no WA102 finding on this line",
        "helpers.py:18:19: WA003 unused suppression of WA104: no WA104 finding on this line",
        "helpers.py:20:17: WA003 unused suppression of WA307: no WA307 finding on this line",
        "helpers.py:21:17: WA003 unused suppression: no finding on this line",
        "Found 6 findings (6 warnings).",
    ]
    # a run on some files does not see every handler that may reach a helper: a suppression
    # of WA101, WA102 or WA104 (or a bare one) on a line with a call, a decorator or a loop is
    # not judged there; unknown codes, other codes and other lines still are
    assert run(*select, "helpers.py").output.splitlines() == [
        "helpers.py:14:44: WA003 suppression names unknown code WA998",
        "helpers.py:15:15: WA003 unused suppression of WA102: no WA102 finding on this line",
        "helpers.py:20:17: WA003 unused suppression of WA307: no WA307 finding on this line",
        "Found 3 findings (3 warnings).",
    ]
    assert run(*select, "app.py").output == "No findings.\n"
    (project / "helpers.py").write_text(
        HELPER_THREAD["helpers.py"].replace("  # worker-audit: ignore[WA102]  the", "  # the")
    )
    assert run("check", "--select", "WA102", "app.py").output.splitlines()[0] == (
        "app.py:10:5: WA102 `start_work` starts background work in threading.Thread (via `start_in_background()`): "
        "the work dies with the process; enqueue a tracked job instead"
    )


def test_a_run_on_some_files_reads_no_module_to_judge_its_suppressions(project):
    from worker_audit.engine import run_check
    from worker_audit.settings import load_settings

    (project / "quiet.py").write_text("def f():\n    print(1)  # worker-audit: ignore[WA101]\n")
    result = run_check([project / "quiet.py"], load_settings([project]))
    assert (result.findings, result.files_parsed) == ([], 0)


def test_a_subfolder_of_a_repository_without_configuration_is_not_the_whole_project(project, monkeypatch):
    for name, text in HELPER_THREAD.items():
        (project / name).write_text(text)
    (project / "app.py").write_text(HELPER_THREAD["app.py"].replace("from helpers import", "from lib.helpers import"))
    (project / "lib").mkdir()
    (project / "helpers.py").rename(project / "lib" / "helpers.py")
    (project / ".git").mkdir()
    monkeypatch.chdir(project / "lib")
    assert run("check", "--select", "WA102,WA003").output.splitlines() == [
        "helpers.py:14:44: WA003 suppression names unknown code WA998",
        "helpers.py:15:15: WA003 unused suppression of WA102: no WA102 finding on this line",
        "Found 2 findings (2 warnings).",
    ]  # not line 11, which app.py uses; nor the other lines with a call
    monkeypatch.chdir(project)
    assert run("check", "--select", "WA102,WA003").output.splitlines() == [
        "lib/helpers.py:14:44: WA003 suppression names unknown code WA998",
        "lib/helpers.py:14:44: WA003 unused suppression of WA102: no WA102 finding on this line",
        "lib/helpers.py:15:15: WA003 unused suppression of WA102: no WA102 finding on this line",
        "lib/helpers.py:21:17: WA003 unused suppression: no finding on this line",
        "Found 4 findings (4 warnings).",
    ]


def test_a_run_on_some_files_reads_the_projects_receivers_only_for_django(project):
    from worker_audit.engine import run_check
    from worker_audit.settings import load_settings

    (project / "app.py").write_text(
        "from flask import Flask\nfrom models import Lead\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/leads/<int:i>", methods=["DELETE"])\ndef remove(i):\n'
        "    Lead.objects.get(pk=i).delete()\n    return {}\n"
    )
    (project / "models.py").write_text(
        "from flask_sqlalchemy import SQLAlchemy  # not django: a word is no import\n\n"
        "db = SQLAlchemy()\n\n\nclass Lead(db.Model):\n    pass\n"
    )
    (project / "unrelated.py").write_text("X = 1\n")
    (project / ".git").mkdir()  # the project's root: what a run on some files scans
    flask = run_check([project / "app.py"], load_settings([project]))
    assert str(project / "models.py") in flask.inputs and str(project / "unrelated.py") not in flask.inputs
    (project / "models.py").write_text("from django.db import models\n\n\nclass Lead(models.Model):\n    pass\n")
    django = run_check([project / "app.py"], load_settings([project]))
    assert str(project / "unrelated.py") in django.inputs  # read to find receivers, parsed only if it has some
    assert django.project_scanned == (str(project.resolve()), tuple(str(p) for p in sorted(project.glob("*.py"))))


def test_a_view_whose_base_module_is_excluded_is_reported_in_whole_and_partial_runs(tmp_path, monkeypatch):
    import shutil

    shutil.copytree(REPO / "fixtures" / "cases" / "signal_receivers", tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    (tmp_path / "case" / "pyproject.toml").write_text('[tool.worker-audit]\nexclude = ["inventory/generic.py"]\n')

    def lines(*paths: str) -> set[str]:
        output = run("check", "--select", "WA101", "--no-cache", *paths).output.splitlines()[:-1]
        return {line.split(": ")[0] for line in output}

    # the bulk edit BulkEditView.post does is reported nowhere else: on the view, both ways
    assert "inventory/views.py:57:7" in lines() and "inventory/views.py:57:7" in lines("inventory/views.py")


def test_a_fastapi_handler_saving_a_django_model_finds_its_receivers_in_a_run_on_it(project):
    (project / ".git").mkdir()
    (project / "shop").mkdir()
    files = {
        "shop/__init__.py": "",
        "shop/api.py": "from fastapi import FastAPI\n\nfrom shop import services\n\napp = FastAPI()\n\n\n"
        '@app.post("/locations/{pk}")\ndef rename(pk: int):\n    services.rename(pk)\n    return {}\n',
        "shop/services.py": "from shop.models import Location\n\n\ndef rename(pk):\n    Location(pk=pk).save()\n",
        "shop/models.py": "from django.db import models\n\n\nclass Location(models.Model):\n    pass\n\n\n"
        "class Rack(models.Model):\n    location = models.ForeignKey(Location, on_delete=models.CASCADE)\n",
        "shop/signals.py": "from django.db.models.signals import post_save\nfrom django.dispatch import receiver\n\n"
        "from shop.models import Location, Rack\n\n\n@receiver(post_save, sender=Location)\n"
        "def move_racks(instance, **kwargs):\n    Rack.objects.filter(location=instance).update(location=instance)\n",
    }
    for name, text in files.items():
        (project / name).write_text(text)
    whole = run("check", "--select", "WA101", "--no-cache").output.splitlines()
    assert whole == [
        "shop/api.py:10:5: WA101 `rename` runs bulk database work inside the request: query update() of every row "
        "matching location=... (via `rename()` -> `move_racks()` (post_save receiver)); enqueue a job that works in "
        "batches",
        "Found 1 finding (1 error).",
    ]
    assert run("check", "--select", "WA101", "--no-cache", "shop/api.py").output.splitlines() == whole


def test_suppressions_in_helpers_and_in_a_handler_in_a_whole_run(tmp_path, monkeypatch):
    import shutil

    shutil.copytree(REPO / "fixtures" / "cases" / "suppressed_helpers", tmp_path / "case")
    monkeypatch.chdir(tmp_path / "case")
    assert run("check", "--select", "WA1,WA003").output.splitlines() == [
        "app/routes.py:32:5: WA101 `archive` runs bulk database work inside the request: query delete() of every "
        "row matching Invoice.team_id == team_id (via `archive_team()` -> `void_invoices()`); enqueue a job that "
        "works in batches",
        "app/routes.py:48:5: WA101 `wipe` runs bulk database work inside the request: query delete() of every "
        "row matching Invoice.team_id == team_id (via `void_invoices()`); enqueue a job that works in batches",
        "Found 2 findings (2 errors).",
    ]


def test_a_suppression_in_a_models_method_holds_for_every_view_that_saves_the_model(tmp_path, monkeypatch):
    import shutil

    case = tmp_path / "case"
    shutil.copytree(REPO / "fixtures" / "cases" / "signal_receivers", case)
    monkeypatch.chdir(case)
    before = [line.split(": ")[0] for line in run("check", "--select", "WA101").output.splitlines()[:-1]]
    assert "inventory/views.py:15:7" in before
    models = case / "inventory" / "models.py"
    models.write_text(
        models.read_text().replace(
            "            rack.save()\n",
            "            rack.save()  # worker-audit: ignore[WA101]  a type has a few racks\n",
        )
    )
    after = [line.split(": ")[0] for line in run("check", "--select", "WA101,WA003").output.splitlines()[:-1]]
    assert after == [line for line in before if line != "inventory/views.py:15:7"]


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.startswith("worker-audit, version ")


def test_help_lists_the_commands():
    result = run("--help")
    for command in ("check", "rules", "explain"):
        assert f"  {command}" in result.output


def test_only_what_the_selected_rules_need_is_parsed(project):
    from worker_audit.engine import run_check
    from worker_audit.settings import load_settings

    settings = load_settings([project])
    assert run_check([project], settings, {"WA002"}).files_parsed == 0
    assert run_check([project], settings, {"WA102"}).files_parsed == 1


def test_statistics_counts_findings_per_rule_most_first(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from worker_audit.cli import main

    app = tmp_path / "app.py"
    app.write_text(
        "import threading\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/a", methods=["POST"])\ndef a():\n    threading.Thread(target=len).start()\n\n\n'
        '@app.route("/b", methods=["POST"])\ndef b():\n    threading.Thread(target=len).start()\n'
        "    import time\n    time.sleep(5)\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", ".", "--statistics"])
    assert result.exit_code == 1
    assert result.stdout == "2\tWA102\t[ ] thread-in-handler\n1\tWA104\t[ ] slow-loop-in-handler\n"


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path, in_repo):
    from click.testing import CliRunner

    from worker_audit.cli import main

    target = tmp_path / "report.json"
    args = ["check", "fixtures/seed_app", "--select", "WA102", "--format", "json"]
    result = CliRunner().invoke(main, [*args, "--output-file", str(target)])
    assert result.exit_code == 1 and result.stdout == ""
    assert target.read_text() == CliRunner().invoke(main, args).stdout
    missing = CliRunner().invoke(main, [*args, "--output-file", str(tmp_path / "no" / "such" / "dir.json")])
    assert missing.exit_code == 2
    assert missing.stderr.startswith("worker-audit: error: cannot write ")


def test_full_format_shows_the_source_line_and_a_caret_under_the_column(in_repo):
    result = run("check", "fixtures/seed_app", "--select", "WA102", "--format", "full")
    assert result.stdout.splitlines() == [
        "fixtures/seed_app/server/routes_whatsapp.py:42:14: WA102 `create_broadcast` starts background work in "
        "threading.Thread with daemon=True: the work is lost when the process exits; enqueue a tracked job instead",
        "   42 |     thread = threading.Thread(",
        "      |              ^",
        "",
        "Found 1 finding (1 error).",
        "(1 hidden fix can be enabled with `--unsafe-fixes`.)",
    ]


def test_a_module_named_setup_py_in_a_package_is_not_a_project(tmp_path):
    """bookwyrm's `views/setup.py` is a view module: the project is the folder above."""
    from worker_audit.settings import load_settings, project_root

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    package = tmp_path / "app" / "views"
    package.mkdir(parents=True)
    for name in ("__init__.py", "setup.py", "home.py"):
        (package / name).write_text("")
    (tmp_path / "app" / "__init__.py").write_text("")
    paths = [package / "home.py"]
    assert project_root(load_settings(paths), paths) == tmp_path.resolve()


def test_a_project_marked_by_pyproject_is_its_folder_even_with_an_init(tmp_path):
    from worker_audit.settings import load_settings, project_root

    (tmp_path / ".git").mkdir()
    service = tmp_path / "svc"
    (service / "shop").mkdir(parents=True)
    (service / "pyproject.toml").write_text("[project]\nname = 'svc'\n")
    (service / "__init__.py").write_text("")  # a stray one: still the service's project
    (service / "shop" / "views.py").write_text("")
    paths = [service / "shop" / "views.py"]
    assert project_root(load_settings(paths), paths) == service.resolve()


def test_a_configured_handler_decorator_is_matched_by_its_packages_with_a_config_file_elsewhere(tmp_path):
    """`--config` names the settings; the project's modules keep their dotted names
    (`shop.routing.endpoint`) when that file lies outside the tree checked."""
    tree = tmp_path / "tree"
    (tree / "shop").mkdir(parents=True)
    (tree / "shop" / "__init__.py").write_text("")
    (tree / "shop" / "routing.py").write_text("def endpoint(func):\n    return func\n")
    (tree / "shop" / "handlers.py").write_text(
        "import threading\n\nfrom shop.routing import endpoint\n\n\n"
        "@endpoint\ndef start(request):\n    threading.Thread(target=print).start()\n"
    )
    config = tmp_path / "elsewhere" / "worker-audit.toml"
    config.parent.mkdir()
    config.write_text('[tool.worker-audit]\nextra-handler-decorators = ["shop.routing.endpoint"]\n')
    result = run("check", "--no-cache", "-q", "--config", str(config), str(tree))
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"{tree / 'shop' / 'handlers.py'}:8:5: WA102 `start` starts background work in threading.Thread: "
        "the work dies with the process; enqueue a tracked job instead"
    ]


@pytest.mark.skipif(not SHARED_SCHEMAS.is_dir(), reason="no shared/schemas beside this checkout")
def test_the_schemas_the_tests_use_are_the_ones_the_project_was_given():
    for name in ("findings.schema.json", "sarif-schema-2.1.0.json"):
        assert (SCHEMAS / name).read_bytes() == (SHARED_SCHEMAS / name).read_bytes(), name


def test_the_readme_configuration_example_is_accepted_as_written(tmp_path):
    """The README's `[tool.worker-audit]` example shows every key, each in the table it
    belongs to, with values a run accepts (`fix-queue = ""`: chosen from the topology)."""
    text = (REPO / "README.md").read_text()
    example = re.search(r"```toml\n(\[tool\.worker-audit\]\n.*?)```", text, re.S).group(1)
    (tmp_path / "pyproject.toml").write_text(example)
    (tmp_path / "app.py").write_text("x = 1\n")
    result = run("check", "--no-cache", str(tmp_path / "app.py"))
    assert result.exit_code == 0, result.output
    from worker_audit.settings import _JOB_KEYS, _TOP_KEYS, load_settings, tomllib

    shown = tomllib.loads(example)["tool"]["worker-audit"]
    assert set(shown) == set(_TOP_KEYS) | set(_JOB_KEYS)  # every key, set where it belongs
    settings = load_settings([tmp_path / "app.py"])
    assert settings.job.fix_queue == "" and settings.job.job_model == "BackgroundJob"
    assert settings.per_file_ignores == (("scripts/*.py", ("WA1",)),)


def test_a_folder_without_python_files_is_said_so_on_stderr(tmp_path, monkeypatch):
    """As ruff does: a warning on stderr, "No findings." on stdout, exit 0; not with --quiet."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    (tmp_path / "README.md").write_text("# notes\n")
    for target in ("empty", "README.md"):
        result = run("check", target)
        assert (result.exit_code, result.stdout) == (0, "No findings.\n")
        assert result.stderr == "worker-audit: warning: no Python files found under the given paths\n"
    quiet = run("check", "-q", "empty")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_a_folder_with_python_or_deployment_files_gets_no_warning(project, tmp_path):
    assert run("check", "--select", "WA3", ".").stderr == ""
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "docker-compose.yml").write_text("services:\n  worker:\n    command: rq worker\n")
    assert run("check", "deploy").stderr == ""  # a compose file alone is checked: no warning


def test_preview_on_the_command_line_reads_a_library_generic_views_actions(tmp_path, monkeypatch):
    """`--preview` turns on what `preview = true` does: DRF's own destroy of a ModelViewSet
    deletes a Rack, whose pre_delete receiver deletes every slot of the rack."""
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "models.py").write_text(
        "from django.db import models\n\n\nclass Rack(models.Model):\n    pass\n\n\n"
        "class Slot(models.Model):\n    rack = models.ForeignKey(Rack, on_delete=models.CASCADE)\n"
    )
    (tmp_path / "shop" / "signals.py").write_text(
        "from django.db.models.signals import pre_delete\nfrom django.dispatch import receiver\n\n"
        "from shop.models import Rack, Slot\n\n\n@receiver(pre_delete, sender=Rack)\n"
        "def release_slots(instance, **kwargs):\n    Slot.objects.filter(rack=instance).delete()\n"
    )
    (tmp_path / "shop" / "api.py").write_text(
        "from rest_framework.viewsets import ModelViewSet\n\nfrom shop.models import Rack\n\n\n"
        "class RackViewSet(ModelViewSet):\n    queryset = Rack.objects.all()\n"
    )
    monkeypatch.chdir(tmp_path)
    assert run("check", "--no-cache", "--select", "WA101").output.splitlines() == ["No findings."]
    assert run("check", "--no-cache", "--select", "WA101", "--preview").output.splitlines() == [
        "shop/api.py:6:7: WA101 `RackViewSet.destroy` runs bulk database work inside the request: query delete() "
        "of every row matching rack=... (via `release_slots()` (pre_delete receiver)); enqueue a job that works in "
        "batches",
        "Found 1 finding (1 error).",
    ]
