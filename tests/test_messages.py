"""Messages say what the code does, and each thing once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from worker_audit.engine import run_check
from worker_audit.settings import load_settings

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from rq import Queue

app = Flask(__name__)
db = SQLAlchemy(app)
queue = Queue("default")


class Contact(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def archive(ids):
    for start in range(0, len(ids), 500):
        Contact.query.filter(Contact.id.in_(ids[start:start + 500])).delete()
        db.session.commit()


@app.route("/archive", methods=["POST"])
def archive_contacts():
    queue.enqueue(archive, [1, 2, 3])
    return "", 202
"""


def test_a_batch_size_written_twice_is_named_once(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    settings = replace(load_settings([tmp_path]), cache_dir="")
    result = run_check([tmp_path], settings)
    assert [(f.line, f.message) for f in result.findings if f.code == "WA303"] == [
        (14, "job `archive` works in batches of 500, outside the standard 50-100")
    ]


VIEWSET_FILES = {
    "inv/__init__.py": "",
    "inv/models.py": """\
from django.db import models


class Part(models.Model):
    name = models.CharField(max_length=20)


class Rack(models.Model):
    name = models.CharField(max_length=20)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        for part in Part.objects.filter(name__startswith=self.name):
            part.save()
""",
    "inv/base.py": """\
from rest_framework.viewsets import ModelViewSet


class BaseViewSet(ModelViewSet):
    def create(self, request):
        instance = self.get_object()
        instance.save()
        return instance

    def update(self, request, pk):
        instance = self.get_object()
        instance.save()
        return instance
""",
    "inv/views.py": """\
from inv.base import BaseViewSet
from inv.models import Rack


class RackViewSet(BaseViewSet):
    queryset = Rack.objects.all()
""",
}


def test_a_statement_reached_through_several_methods_of_a_view_counts_once(tmp_path):
    for name, text in VIEWSET_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    settings = replace(load_settings([tmp_path]), cache_dir="")
    result = run_check([tmp_path], settings)
    assert [(f.path, f.line, f.message) for f in result.findings] == [
        (
            str(tmp_path / "inv" / "views.py"),
            5,
            "`RackViewSet.create/update` runs bulk database work inside the request: part.save() once per"
            " item of a loop (via `Rack.save()`); enqueue a job that works in batches",
        )
    ]


def test_a_worker_line_of_an_entrypoint_script_names_the_service_whose_argument_runs_it(in_repo):
    """`ENTRYPOINT ["/entrypoint.sh"]`, with `command: ["web"]` and `command: ["worker"]`: the
    script's `if [ "$1" = "worker" ]` branch runs for the worker service only."""
    case = Path("fixtures/cases/topology_entrypoint_command")
    settings = replace(load_settings([case]), cache_dir="")
    result = run_check([case], settings)
    assert [(f.code, f.message) for f in result.findings if f.code == "WA202"] == [
        ("WA202", "service `worker` (`rq worker`) listens to queue `unused`, which no code enqueues to")
    ]


def test_a_chain_is_shown_at_each_call_with_where_its_function_is_defined(tmp_path):
    (tmp_path / "mail.py").write_text(
        "import threading\n\n\ndef deliver(to):\n    return to\n\n\n"
        "def send_later(to):\n    threading.Thread(target=deliver, args=(to,), daemon=True).start()\n"
    )
    (tmp_path / "app.py").write_text(
        "from flask import Flask\n\nfrom mail import send_later\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/invite', methods=['POST'])\ndef invite():\n    send_later('a@b.c')\n    return ''\n"
    )
    settings = replace(load_settings([tmp_path]), cache_dir="")
    (finding,) = run_check([tmp_path], settings).findings
    assert (finding.code, finding.path, finding.line) == ("WA102", str(tmp_path / "app.py"), 10)
    assert [(r.path, r.line, r.message) for r in finding.related] == [
        (str(tmp_path / "app.py"), 10, f"calls `send_later`, defined at {tmp_path / 'mail.py'}:8"),
        (str(tmp_path / "mail.py"), 9, "starts: threading.Thread(...)"),
    ]


def test_a_slice_in_a_helper_called_per_item_is_no_batch_of_the_job(in_repo):
    """`latest_order` takes `[:2]` to tell one row from many; the job calls it once per owner.
    The job loops item by item: it does not "work in batches of 2"."""
    case = Path("fixtures/cases/job_continuations")
    settings = replace(load_settings([case]), cache_dir="")
    result = run_check([case], settings)
    assert [f.message for f in result.findings if f.code == "WA303" and f.scope == "close_latest"] == [
        "job `close_latest` loops over its work item by item, not in batches of 50-100"
    ]


def test_an_awaited_executor_call_runs_its_function_in_the_request(in_repo):
    """`await loop.run_in_executor(None, purge_orders, owner_id)`: the request waits for the
    function on a thread, so what the function does is named, as for a call of it; one that
    nobody awaits is background work, said to die with the process."""
    case = Path("fixtures/cases/awaited_thread_runners")
    result = run_check([case], replace(load_settings([case]), cache_dir=""))
    by_scope = {f.scope: f.message for f in result.findings}
    assert by_scope["delete_orders"] == (
        "`delete_orders` runs bulk database work inside the request: delete() statement of every row matching"
        " Order.owner_id == owner_id (via `purge_orders()`); enqueue a job that works in batches"
    )
    assert by_scope["delete_through_pool"] == (
        "`delete_through_pool` runs bulk database work inside the request: delete() statement of every row"
        " matching Order.owner_id == owner_id (via `pool_exec()` -> `purge_orders()`); enqueue a job that works"
        " in batches"
    )
    assert by_scope["delete_forgotten"] == (
        "`delete_forgotten` starts background work in asyncio.get_running_loop.run_in_executor: the work dies"
        " with the process; enqueue a tracked job instead"
    )
    assert "order_total" not in by_scope and "total_through_pool" not in by_scope


def test_an_orm_bulk_update_by_primary_key_is_not_said_to_have_no_filter(tmp_path):
    """`session.execute(update(User), rows)`: SQLAlchemy 2.0's bulk UPDATE by primary key."""
    (tmp_path / "app.py").write_text(
        """\
from flask import Flask, request
from sqlalchemy import update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

app = Flask(__name__)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)


@app.post("/users/rename")
def rename_users(session: Session):
    session.execute(update(User), request.json["rows"])
    session.execute(update(User))
    return "", 204
"""
    )
    settings = replace(load_settings([tmp_path]), cache_dir="")
    result = run_check(
        [tmp_path],
        settings,
    )
    assert [(f.line, f.message) for f in result.findings if f.code == "WA101"] == [
        (
            19,
            "`rename_users` runs bulk database work inside the request: update() of one row per item of a list, "
            "by primary key (+1 more); enqueue a job that works in batches",
        )
    ]


def test_an_exclude_is_said_to_leave_rows_out_and_pins_nothing(tmp_path):
    """`.exclude(status="paid")` is a condition (not "no filter"), and `.exclude(pk=x)` leaves
    one row out: the rest of the table is written, not one row by its primary key."""
    (tmp_path / "models.py").write_text(
        "from django.db import models\n\n\nclass Order(models.Model):\n    status = models.CharField(max_length=10)\n"
    )
    (tmp_path / "views.py").write_text(
        "from django.http import JsonResponse\n\nfrom models import Order\n\n\n"
        "def clear(request):\n"
        '    Order.objects.exclude(status="paid").delete()\n'
        "    return JsonResponse({})\n\n\n"
        "def keep_one(request):\n"
        '    Order.objects.exclude(pk=request.POST["keep"]).update(status="void")\n'
        "    return JsonResponse({})\n"
    )
    (tmp_path / "urls.py").write_text(
        "from django.urls import path\n\nimport views\n\n"
        'urlpatterns = [path("clear", views.clear), path("keep", views.keep_one)]\n'
    )
    settings = replace(load_settings([tmp_path]), cache_dir="")
    result = run_check([tmp_path], settings)
    assert [(f.line, f.message) for f in result.findings if f.code == "WA101"] == [
        (
            7,
            "`clear` runs bulk database work inside the request: query delete() of every row matching "
            "not status=...; enqueue a job that works in batches",
        ),
        (
            12,
            "`keep_one` runs bulk database work inside the request: query update() of every row matching "
            "not pk=...; enqueue a job that works in batches",
        ),
    ]


def test_a_queue_a_thread_keeps_names_its_feeders_and_the_thread_that_drains_it(in_repo):
    case = Path("fixtures/cases/singleton_worker_thread")
    settings = replace(load_settings([case]), cache_dir="")
    result = run_check([case], settings)
    (finding,) = [f for f in result.findings if f.code == "WA103" and "Worker.queue" in f.message]
    assert finding.message == (
        "process-local queue `Worker.queue` is fed by request handlers (`convert`, `mail`) and lost on restart; "
        "enqueue jobs on a worker queue"
    )
    assert [(Path(r.path).name, r.line, r.message) for r in finding.related] == [
        ("worker.py", 32, "fed by handler `convert`"),
        ("worker.py", 32, "fed by handler `mail`"),
        ("worker.py", 38, "drained by the thread `Worker.run`"),
    ]
