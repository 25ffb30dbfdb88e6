"""The byte-level prefilter: which modules are parsed up front."""

from __future__ import annotations

from worker_audit.engine import handler_trigger_pattern, trigger_pattern
from worker_audit.knowledge import load_knowledge


def test_graphql_mutations_are_triggers_and_query_fields_are_not():
    """`@strawberry.field` decorates every field of a schema (netbox: 41 of them): parsing those
    modules would cost a whole run time for nothing, since query resolvers are no handlers.
    Ariadne's `@mutation.field` is looked for by `@mutation`, the pack's trigger."""
    pattern = trigger_pattern(load_knowledge(), "RQ_QUEUES")
    assert pattern.search(b'@mutation.field("archiveBooks")\ndef resolve(_, info): ...\n')
    assert pattern.search(b"    @strawberry.mutation(description='x')\n    def archive(self): ...\n")
    assert not pattern.search(b"    @strawberry.field\n    def books(self): ...\n")
    assert not pattern.search(b"    @strawberry_django.field(filters=F)\n    def racks(self): ...\n")


def test_a_task_decorator_under_another_name_is_a_trigger():
    """nautobot decorates its tasks with `@nautobot_task`, an alias of `shared_task` made in
    another module; a module may also import it as `st`. Either module must be parsed up front
    for its producers to be found, and a word merely ending in `task` is no trigger."""
    pattern = trigger_pattern(load_knowledge(), "RQ_QUEUES")
    assert pattern.search(b"@nautobot_task\ndef process_webhook(pk): ...\n")
    assert pattern.search(b"from celery import shared_task as st\n\n\n@st\ndef ping(): ...\n")
    assert pattern.search(b"@app.task(queue='emails')\ndef send(): ...\n")
    assert not pattern.search(b"def run_task(task):\n    return task\n")
    # Dramatiq's `actor` ends `_factor` too: a matrix product is no decorator of it
    assert not pattern.search(b"    return x @ self._factor\n")


def test_common_words_of_task_calls_and_worker_classes_trigger_only_where_they_are_used_so():
    """`delay` is a common word (26 modules of the standard library say it): a module is not
    parsed for it; `.apply_async(` counts as a call. A worker class's name counts where it is
    called or given as a base (`GeventWorker(...)`, `class W(Worker):`), not in a string."""
    pattern = trigger_pattern(load_knowledge(), "RQ_QUEUES")
    assert not pattern.search(b"def later(task, *args):\n    return task.delay(*args)\n")
    assert not pattern.search(b"    delay = min(delay * 2, 30)\n")
    assert pattern.search(b"def dispatch(task, ids):\n    return task.apply_async(args=(ids,))\n")
    assert not pattern.search(b"    apply_async = None\n")
    assert pattern.search(b"worker = GeventWorker(queues, connection=conn)\n")
    assert pattern.search(b"class ReportWorker(Worker):\n    pass\n")
    assert not pattern.search(b"    w.name = w.name.replace('Process', 'PoolWorker')\n")


def test_test_code_is_parsed_up_front_for_its_handlers_only(tmp_path):
    """What test code enqueues and the tasks it declares are not the deployment's (the topology
    leaves them out): a test module that only enqueues is not parsed up front; one that defines
    a route is, and its handler is checked like any other."""
    from dataclasses import replace

    from worker_audit.engine import run_check
    from worker_audit.settings import load_settings

    tests = tmp_path / "tests"
    tests.mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.worker-audit]\n")
    (tmp_path / "jobs.py").write_text("from rq import Queue\n\nqueue = Queue('mail')\n\n\ndef send(to):\n    pass\n")
    (tests / "test_jobs.py").write_text(
        "from jobs import queue, send\n\n\ndef test_send():\n    queue.enqueue(send, 'a')\n"
    )
    (tests / "test_app.py").write_text(
        "import threading\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/ping', methods=['POST'])\ndef ping():\n"
        "    threading.Thread(target=print, daemon=True).start()\n    return ''\n"
    )
    settings = replace(load_settings([tmp_path]), cache_dir="")
    result = run_check([tmp_path], settings, {"WA102", "WA201"})
    assert [(f.code, f.path.rsplit("/", 1)[-1], f.line) for f in result.findings] == [("WA102", "test_app.py", 10)]
    assert result.files_parsed == 1  # test_app.py; not test_jobs.py, nor jobs.py (nothing reaches it)


def test_a_registrar_class_counts_where_it_is_used_and_mock_patch_is_no_route():
    """Starlette's `Route` counts where it is called, given as a base or imported under
    another name, not in text (netbox's forms say "Route Targets" in 8 modules). mock's
    `@patch` in a module that imports it from mock is not a router's `patch` (netbox's
    108 KB `test_customfields.py` was parsed for it); `patch = router.patch` still is."""
    knowledge = load_knowledge()
    for pattern in (trigger_pattern(knowledge, "RQ_QUEUES"), handler_trigger_pattern(knowledge)):
        assert not pattern.search(b"    name=_('Route Targets'),\n# Route writes to the same database\n")
        assert pattern.search(b"routes = [Route('/ping', ping)]\n")
        assert pattern.search(b"from starlette.routing import Route as R\n")
        assert pattern.search(b"class Router(DefaultRouter):\n    pass\n")
        assert not pattern.search(b"from unittest.mock import patch\n\n\n@patch('a.b')\ndef test_b(m): ...\n")
        assert not pattern.search(b"from unittest import mock\n\n\n@mock.patch.object(A, 'b')\ndef test_b(m): ...\n")
        assert not pattern.search(b"from mock import (\n    MagicMock,\n    patch,\n)\n\n@patch('a')\ndef t(m): ...\n")
        assert pattern.search(b"from unittest import mock\n\n\n@mock.patch('a')\n@router.patch('/b')\ndef b(): ...\n")
        assert pattern.search(b"patch = router.patch\n\n\n@patch('/b')\ndef b(): ...\n")
        # a router named `mock`, in a module that does not import mock
        assert pattern.search(b"mock = APIRouter(prefix='/mock')\n\n\n@mock.patch('/items')\ndef f(): ...\n")
        assert not pattern.search(b"import unittest\n\n\n@unittest.mock.patch('a')\ndef test_b(m): ...\n")
