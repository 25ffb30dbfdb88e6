"""Compose interpolation and worker command lines, read the way compose and a shell would."""

from __future__ import annotations

import pytest

from worker_audit.compose import dockerfile_base_image, interpolate
from worker_audit.knowledge import load_knowledge
from worker_audit.queue_topology import _shell_lines, lines_for_argument
from worker_audit.worker_commands import WorkerLine, parse_procfile, parse_worker_command

VARIABLES = {"SET": "x", "EMPTY": ""}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${SET}", "x"),
        ("$SET/a", "x/a"),
        ("${UNSET:-a,b}", "a,b"),
        ("${EMPTY:-a,b}", "a,b"),
        ("${EMPTY-a,b}", ""),
        ("${UNSET-a,b}", "a,b"),
        ("${SET:+on}", "on"),
        ("$$HOME", "$HOME"),
        ("${UNSET}", None),
        ("rq worker $UNSET", None),
    ],
)
def test_interpolation(text, expected):
    assert interpolate(text, VARIABLES) == expected


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("rq worker high default", [WorkerLine("queues", ("high", "default"), None, "rq worker")]),
        ("rq worker", [WorkerLine("queues", ("default",), None, "rq worker", defaulted=True)]),
        ("python manage.py rqworker", [WorkerLine("queues", ("default",), None, "manage.py rqworker", defaulted=True)]),
        ("python manage.py rqworker default", [WorkerLine("queues", ("default",), None, "manage.py rqworker")]),
        ("rq worker -u redis://r:6379 -c settings --burst a b", [WorkerLine("queues", ("a", "b"), None, "rq worker")]),
        ("rq worker --url=redis://r:6379 a", [WorkerLine("queues", ("a",), None, "rq worker")]),
        ("/venv/bin/rq worker $QUEUES", [WorkerLine("queues", None, None, "rq worker")]),
        ("rqworker high", [WorkerLine("queues", ("high",), None, "rqworker")]),
        (
            'sh -c "alembic upgrade head && exec rq worker jobs"',
            [WorkerLine("queues", ("jobs",), None, "rq worker")],
        ),
        ("python -u -m server.worker", [WorkerLine("module", None, "server.worker", "python -m server.worker")]),
        ("python3 worker.py", [WorkerLine("module", None, "worker.py", "python worker.py")]),
        (
            "/venv/bin/python run_worker.py high email",
            [WorkerLine("module", None, "run_worker.py", "python run_worker.py", arguments=("high", "email"))],
        ),
        (
            "python run_worker.py --burst high",
            [WorkerLine("module", None, "run_worker.py", "python run_worker.py", arguments=None)],
        ),
        (
            "python -m app.worker $QUEUES",
            [WorkerLine("module", None, "app.worker", "python -m app.worker", arguments=None)],
        ),
        ("python w.py {{ queues }}", [WorkerLine("module", None, "w.py", "python w.py", arguments=None)]),
        ("gunicorn app:app", []),
        (
            "celery multi start w1 w2 -A proj -c10 -Q short_tasks",
            [WorkerLine("queues", ("short_tasks",), None, "celery multi start")],
        ),
        (
            "celery -A proj multi restart w1 w2 -Q:w1 a -Q:w2 b,c",
            [WorkerLine("queues", ("a", "b", "c"), None, "celery multi restart")],
        ),
        (
            "celery multi start combined --queues:combined=celery,indexing --beat:combined",
            [WorkerLine("queues", ("celery", "indexing"), None, "celery multi start")],
        ),
        (
            "celery multi start w1",
            [WorkerLine("queues", ("@default:celery",), None, "celery multi start", defaulted=True)],
        ),
        ("celery multi stopwait w1 -Q short_tasks", []),
        # a variable among the words may carry `-Q`: not static; an option's value may not
        ("celery -A proj worker $CELERY_EXTRA_ARGS", [WorkerLine("queues", None, None, "celery worker")]),
        (
            "celery -A proj worker -c $CONCURRENCY -l info",
            [WorkerLine("queues", ("@default:celery",), None, "celery worker", defaulted=True)],
        ),
        ('sh -c "unterminated', []),
        # a scheduler: `celery beat`, or a worker that runs one too (`-B`)
        ("celery -A proj beat -l info --scheduler db", [WorkerLine("scheduler", program="celery beat")]),
        (
            "celery -A proj worker -B -Q a",
            [WorkerLine("scheduler", program="celery worker"), WorkerLine("queues", ("a",), None, "celery worker")],
        ),
        # Airflow's own worker, of Airflow's tasks: no worker of the project's queues
        ("airflow celery worker -q default", []),
        # Fedora's Celery for Python 3 is `/usr/bin/celery-3`
        (
            "/usr/bin/celery-3 -A pagure.lib.tasks_services worker --loglevel INFO -Q pagure_logcom",
            [WorkerLine("queues", ("pagure_logcom",), None, "celery worker")],
        ),
        ("celery-3.9 -A proj worker -Q a", [WorkerLine("queues", ("a",), None, "celery worker")]),
        ("celery-worker -Q a", []),
    ],
)
def test_worker_command_lines(command, expected):
    assert parse_worker_command(command, load_knowledge().worker_commands) == expected


def test_procfile_lines():
    entries = parse_procfile("# comment\nweb: gunicorn app:app\n\nworker: rq worker a b\nbroken line\n")
    assert [(e.name, e.command, e.line) for e in entries] == [
        ("web", "gunicorn app:app", 2),
        ("worker", "rq worker a b", 4),
    ]


SCRIPT = """\
#!/bin/sh
set -e
case "$1" in
    web|api)
        exec gunicorn app:app
        ;;
    worker) exec rq worker high default ;;
    beat)
        if [ -n "$DEBUG" ]; then
            exec rq worker debug
        fi
        ;;
    *)
        exec rq worker fallback
        ;;
esac
if [ "$1" = "scheduler" ]; then
    exec rq worker scheduled
elif [ "$1" == "mail" ]; then
    exec rq worker mail
else
    echo other
fi
"""


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("web", ["exec gunicorn app:app", "echo other"]),
        ("worker", ["exec rq worker high default", "echo other"]),
        ("beat", ['if [ -n "$DEBUG" ]; then', "exec rq worker debug", "fi", "echo other"]),
        ("other", ["exec rq worker fallback", "echo other"]),
        ("scheduler", ["exec rq worker fallback", "exec rq worker scheduled"]),
        ("mail", ["exec rq worker fallback", "exec rq worker mail"]),
    ],
)
def test_the_lines_a_script_runs_for_its_first_argument(argument, expected):
    lines = lines_for_argument(_shell_lines(SCRIPT), argument)
    assert [command.strip() for _, command in lines if command.strip() != "set -e"] == expected


DEFAULTED_SCRIPT = """\
case "${1:-api}" in
    api)
        exec uvicorn app:app
        ;;
    worker)
        exec dramatiq app.tasks --queues fast slow
        ;;
esac
if [ "${1-api}" = "api" ]; then
    echo serving
fi
"""


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("", ["exec uvicorn app:app", "echo serving"]),
        ("api", ["exec uvicorn app:app", "echo serving"]),
        ("worker", ["exec dramatiq app.tasks --queues fast slow"]),
    ],
)
def test_a_first_argument_with_a_default_is_the_default_when_not_given(argument, expected):
    lines = lines_for_argument(_shell_lines(DEFAULTED_SCRIPT), argument)
    assert [command.strip() for _, command in lines] == expected


def test_systemd_services_are_the_exec_start_lines_of_the_service_section():
    from worker_audit.deploy_files import DeclaredProcess, systemd_services

    unit = (
        "[Unit]\n"
        "ExecStart=not a service line\n"
        "[Service]\n"
        "Environment=QUEUES=mail\n"
        "ExecStart=+/usr/bin/celery -A app worker -Q ${QUEUES}\n"
        "ExecStart=@/usr/bin/rq worker \\\n"
        "    high low\n"
        "[Install]\n"
        "ExecStart=neither\n"
    )
    assert systemd_services(unit, "w.service") == [
        DeclaredProcess("systemd unit `w.service`", "/usr/bin/celery -A app worker -Q $QUEUES", 5),
        DeclaredProcess("systemd unit `w.service`", "/usr/bin/rq worker  high low", 6),
    ]


@pytest.mark.parametrize(
    ("image", "program"),
    [
        ("apache/airflow:2.10.4-python3.12", "airflow"),
        ("docker.io/apache/airflow@sha256:0123abcd", "airflow"),
        ("registry.example.com:5000/apache/airflow:slim-2.10.4", "airflow"),
        ("apache/airflow-like:1", None),
        ("python:3.12-slim", None),
    ],
)
def test_the_program_a_known_image_gives_its_command_to(image, program):
    assert load_knowledge().image_entrypoint(image) == program


def test_the_base_image_of_a_dockerfile_through_its_args_and_stages(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        'ARG VERSION="2.10.4"\n'
        "ARG IMAGE=apache/airflow:slim-${VERSION}\n"
        "FROM --platform=linux/amd64 ${IMAGE} AS builder\n"
        "ARG LATER=ignored\n"
        "FROM builder\n"
        "COPY dags/ /opt/airflow/dags/\n"
    )
    assert dockerfile_base_image(dockerfile) == "apache/airflow:slim-2.10.4"
    dockerfile.write_text("FROM ${UNKNOWN_IMAGE}\n")
    assert dockerfile_base_image(dockerfile) is None


def test_a_script_copied_from_a_context_above_the_compose_file_is_named_without_dots(tmp_path, monkeypatch):
    """`context: ../../` from docker/e2e/: the worker's script is `docker/e2e/start`, as the
    run names the file it checks (timesketch's was shown with `..` in it)."""
    import json

    from click.testing import CliRunner

    from worker_audit.cli import main

    e2e = tmp_path / "docker" / "e2e"
    e2e.mkdir(parents=True)
    (e2e / "docker-compose.yml").write_text(
        "services:\n"
        "  worker:\n"
        "    build:\n"
        "      context: ../../\n"
        "      dockerfile: ./docker/e2e/Dockerfile\n"
        "    command: /start-worker\n"
    )
    (e2e / "Dockerfile").write_text("FROM python:3.12\nCOPY docker/e2e/start /start-worker\n")
    (e2e / "start").write_text("#!/bin/sh\nexec rq worker mail\n")
    (tmp_path / "pyproject.toml").write_text("[tool.worker-audit]\n")
    (tmp_path / "app.py").write_text(
        "from redis import Redis\nfrom rq import Queue\n\nq = Queue('mail', connection=Redis())\n\n\n"
        "def go(f):\n    q.enqueue(f)\n"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["queues", ".", "--no-cache", "--format", "json"])
    consumers = [c for queue in json.loads(result.stdout) for c in queue["consumers"]]
    assert [(c["path"], c["line"]) for c in consumers] == [("docker/e2e/start", 2)]


def test_each_worker_a_script_starts_is_pointed_at_on_its_line(monkeypatch):
    """`celery ... -Q scans &` on line 2 and `celery ... -Q api &` on line 3 of one entrypoint:
    two workers (rengine's entrypoint had only its first read, at the line of its last)."""
    import json
    from pathlib import Path

    from click.testing import CliRunner

    from worker_audit.cli import main

    case = Path(__file__).parent.parent / "fixtures" / "cases" / "topology_script_workers"
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["queues", ".", "--no-cache", "--format", "json"])
    served = {
        queue["queue"]: [(c["path"], c["line"]) for c in queue["consumers"]] for queue in json.loads(result.stdout)
    }
    assert served == {
        "api": [("web/celery-entrypoint.sh", 3)],
        "mail": [("web/mailer-entrypoint.sh", 2)],
        "reports": [],
        "scans": [("web/celery-entrypoint.sh", 2)],
    }


def test_a_worker_sent_to_the_background_is_marked_so():
    specs = load_knowledge().worker_commands
    line = "celery worker -Q a & celery worker -Q b && celery worker -Q c; celery worker -Q d &"
    found = [(w.queues, w.background) for w in parse_worker_command(line, specs)]
    assert found == [(("a",), True), (("b",), False), (("c",), False), (("d",), True)]


def test_help_text_and_here_documents_are_no_command_lines():
    """baserow's entrypoint prints a help text of several lines ("celery-worker : Start the
    celery worker queue ..."), which was read as a `celery worker` of the default queue."""
    script = (
        "#!/bin/bash\n"
        'echo """\n'
        "celery-worker  : Start the celery worker queue\n"
        '"""\n'
        "python3 << END\n"
        "celery worker -Q fake\n"
        "END\n"
        "echo hi # don't worry\n"
        "x=$((1<<2))\n"
        "exec celery -A app worker -Q real\n"
    )
    lines = _shell_lines(script)
    assert [number for number, _ in lines] == [2, 5, 8, 9, 10]
    specs = load_knowledge().worker_commands
    workers = [(number, w.queues) for number, command in lines for w in parse_worker_command(command, specs)]
    assert workers == [(10, ("real",))]
