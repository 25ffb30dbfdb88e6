from __future__ import annotations

import json
from collections.abc import Iterator

from worker_audit.checks.job_examples import tracked
from worker_audit.finding import Edit, Finding, Fix, Severity
from worker_audit.rule import Example, Rule


class ThreadInHandler(Rule):
    code = "WA102"
    name = "thread-in-handler"
    severity = Severity.ERROR
    follows_helpers = True
    summary = "A request handler starts a thread, process, greenlet or in-process task for background work."
    what = """
Reports a request handler that starts background work in its own process,
directly or through project helpers: `threading.Thread` / `Timer` (and a
project subclass of `Thread` or `Process` started with `.start()`, or
started by its own `__init__`, whose `run` is then the thread's work), `ThreadPoolExecutor.submit` / `map`,
`multiprocessing.Process`, a `Pool`'s `apply_async` / `map_async` /
`starmap_async` (not its `map`, `starmap` or `apply`, which return the
results, nor work whose result the function `.get()`s or `.wait()`s for),
`_thread.start_new_thread`, `gevent.spawn`, `eventlet.spawn`, a
`subprocess.Popen` the function leaves running (one it waits for, with
`.wait()` or `.communicate()`, also one a helper returns to a caller that
waits for it, `p = open_process(cmd)` then `p.wait()`, or whose output it reads, `stdout=PIPE`, as a
streamed response does, is the request's own call; so is a thread started
by a function that builds a streaming response, Django's
`StreamingHttpResponse` or Starlette's `StreamingResponse`, whose body the
thread writes (a zip built into a queue the response reads); and a thread or
process the function `.join()`s (also each one of a list it started them
into, `for t in threads: t.join()`; not under an `if`: `if wait: t.join()`
waits only when asked), or whose answer it takes from a queue it made
(`answer = queue.Queue()`, the thread puts, then `answer.get(timeout=5)`: a call run
with a time limit), and executor work it waits for: a
`future.result()`, `concurrent.futures.wait(...)` or `as_completed(...)`, or
an executor built by a `with` statement, whose end waits for it), and the
in-process background work of async frameworks: FastAPI / Starlette
`BackgroundTasks.add_task` and Starlette's `BackgroundTask` given to a
response (not a task that only removes a temporary file once the response
is sent, `BackgroundTask(shutil.rmtree, folder)`: the response's clean-up), fire-and-forget `asyncio.create_task` /
`ensure_future` (a task the function awaits, itself or gathered from the
name or list that holds it, `await asyncio.gather(*tasks)`, or given to an
awaited call in a collection written out, `await asyncio.wait({receive,
send})`, with no `timeout=` or `return_when=` or in a function that cancels
what is left, also kept in a collection of names the function gathers, `tasks =
{send, receive}`, also in a nested async function the function runs, `async for e in
events():` whose `finally:` gathers them, is the request's own work, and so is a task a helper returns, `return
asyncio.create_task(coro)`, that its caller awaits), and `loop.run_in_executor` that nothing
awaits. An awaited executor call (`await loop.run_in_executor(None, purge, uid)`, also
`asyncio.to_thread`, anyio's `to_thread.run_sync` and Starlette's `run_in_threadpool`) makes the
request wait for the function on a thread: that is the function called in the request, and what
it does is read as the request's own work (a bulk delete there is WA101), not reported here. A task
group (`async with anyio.create_task_group() as tg:` or `asyncio.TaskGroup()`)
waits for every task it starts: they are the request's own work, not
reported. Names are resolved through imports
and aliases (`from threading import Thread as T`, `import threading as th`),
and through what an object holds: `self.bg.add_task(...)` when `__init__`
keeps `self.bg = bg` with `bg: BackgroundTasks`, or when the class annotates
the attribute (`bg: BackgroundTasks`, or `bus: EventBus = Depends(...)` in a
class-based controller). `daemon=True` is named in the message. Threads started once at application
start-up are not reported, nor one started in a block that builds a module global the first
time only (`global _loop_thread`, then `if _loop_thread is None or not
_loop_thread.is_alive(): _loop_thread = Thread(...)`), or a class attribute so (`if
cls._instance is None: cls._instance = Worker()` in a classmethod of `Worker`): the process's
start-up, made at the first request. What requests put on such a thread's queue is WA103.
"""
    why = """
The standard says background work goes through the worker queue, never
`threading.Thread`. A thread lives and dies with the web process: a deploy, a
crash or a gunicorn worker recycle loses the work half-done (with
`daemon=True` the interpreter does not even wait for it). Nothing records it,
so nobody can watch, cancel or retry it, and it duplicates the real worker.
"""
    instead = """
Create a tracking record, enqueue the function on an RQ queue that a worker
serves, and answer `202` with the job id.
"""
    fix_safety = """
Unsafe (`--unsafe-fixes`): for a thread started in the handler itself, the
`Thread(target=f, args=..., kwargs=...)` and its `.start()` (or a bare
`gevent.spawn(f, ...)`, `eventlet.spawn(f, ...)` or `executor.submit(f, ...)`
statement, whose arguments pass through as written) become a tracking
record (the configured job model, added and committed with the project's
`db`), an enqueue of `f` with the same arguments with `job_timeout` (on the
`fix-queue`: by default `default` when a worker serves it, else the served
queue the project's enqueues use most), and the handler's `jsonify({...})`
responses after it, in the same block, answer 202 with `"job_id"`. It changes
behaviour: the work runs in a worker process, after the response. `f` does
not receive the job id from this fix; when `f` loops over work, the WA303 fix
then passes the record and makes the loop batched, with heartbeat and cancel.
Offered when the project has a job model, a Flask-SQLAlchemy `db` and a
module-level Redis connection: in the modules the run reads, or in the module
a checked file imports the job model from. Names the rewritten module defines
itself are not imported into it.
"""
    bad = Example(
        {
            "app.py": """\
import threading

from flask import Flask, jsonify

app = Flask(__name__)


def send_broadcast(broadcast_id):
    ...


@app.route("/broadcasts/<int:broadcast_id>/send", methods=["POST"])
def create_broadcast(broadcast_id):
# expect: WA102
    thread = threading.Thread(target=send_broadcast, args=(broadcast_id,), daemon=True)
    thread.start()
    return jsonify({"status": "sending"})
"""
        }
    )
    good = tracked(
        {
            "app.py": """\
import threading

from flask import Flask, jsonify

from jobs import start_job

app = Flask(__name__)


def watch_metrics():
    ...


def start_background_services():
    threading.Thread(target=watch_metrics, daemon=True).start()


@app.route("/broadcasts/<int:broadcast_id>/send", methods=["POST"])
def create_broadcast(broadcast_id):
    job = start_job("broadcasts", "tasks.send_broadcast", broadcast_id, timeout="2h")
    return jsonify({"job_id": job.id}), 202


start_background_services()
"""
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        for found in analysis.handler_hits(lambda r: r.effect.kind == "thread", self.code):
            effect = found.first.effect
            lost = (
                " with daemon=True: the work is lost when the process exits"
                if effect.daemon
                else f": {effect.fate}"
                if effect.fate
                else ": the work dies with the process"
            )
            message = (
                f"`{found.handler.qualname}` starts background work in {effect.detail}"
                f"{found.via}{lost}{found.more}; enqueue a tracked job instead"
            )
            yield self.finding(
                analysis,
                found.handler.path,
                found.anchor,
                message,
                found.related("starts"),
                scope=found.scope,
                fix=_enqueue_fix(analysis, found),
            )


# spawn(f, *args, **kwargs): the function and its arguments, as an enqueue takes them
_SPAWNS = frozenset({"gevent.spawn", "gevent.spawn_raw", "gevent.Greenlet.spawn", "eventlet.spawn", "eventlet.spawn_n"})


def _enqueue_fix(analysis, found) -> Fix | None:
    """Offered for a thread started in the handler itself (`threading.Thread(target=f, ...)`
    with `.start()`, or a bare `gevent.spawn(f, ...)` / `executor.submit(f, ...)`), when the
    project has a tracking model, a Flask-SQLAlchemy `db` and a Redis connection to build
    the enqueue from."""
    hit = found.first
    effect = hit.effect
    names = analysis.project_names
    if (
        found.handler.view is not None
        or hit.chain
        or effect.target is None
        or not {"job_model", "db", "redis"} <= set(names)
    ):
        return None
    if effect.detail in ("threading.Thread", "multiprocessing.Process"):
        style = "thread"
    elif effect.detail in _SPAWNS or (
        effect.detail.startswith("concurrent.futures.") and effect.detail.endswith(".submit")
    ):
        style = "spawn"
    else:
        return None
    spec = {
        "codemod": "thread-to-job",
        "style": style,
        "function": found.handler.qualname,
        "line": effect.call.span.line,
        "job_type": effect.target[1].rsplit(".", 1)[-1],
        "job_model": list(names["job_model"]),
        "db": list(names["db"]),
        "redis": list(names["redis"]),
        "queue": analysis.fix_queue,
        "timeout": analysis.settings.job.default_job_timeout,
    }
    span = effect.call.span
    edit = Edit(found.handler.path, span.line, span.column, span.end_line, span.end_column, json.dumps(spec), "codemod")
    description = (
        f"enqueue `{spec['job_type']}` on the `{spec['queue']}` queue with a {names['job_model'][1]} record; answer 202"
    )
    return Fix("unsafe", description, (edit,))
