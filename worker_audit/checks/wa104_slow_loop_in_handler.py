from __future__ import annotations

from collections.abc import Iterator

from worker_audit.analysis import HandlerHits
from worker_audit.checks.job_examples import tracked
from worker_audit.finding import Finding, Severity
from worker_audit.rule import Example, Rule

# the standard: every operation that can take more than 2 seconds goes through the worker. A
# sleep whose whole length is written out and within it (`time.sleep(0.1)` in `for attempt in
# range(4):`) is not such an operation.
SLEEP_BUDGET_SECONDS = 2.0
# effects that wait in the request: a sleep, or a wait for a job's result (its `timeout=` a sleep's length)
_WAITS = ("sleep", "result-wait")


class SlowLoopInHandler(Rule):
    code = "WA104"
    name = "slow-loop-in-handler"
    severity = Severity.ERROR
    follows_helpers = True
    summary = "A request handler calls slow I/O once per item of a collection, sleeps, or waits for a job."
    what = """
Reports a request handler that, inside a loop (or a comprehension), calls
something that waits on the network: HTTP clients (`requests`, `httpx`,
`aiohttp`, `urllib`), SMTP and mail senders (also Django's
`EmailMessage(...).send()`, and `mail.send()` on what a project function returned, `mail =
self.build(to)` with `return EmailMultiAlternatives(...)` or `-> EmailMessage`, also a
method of a row a query got, `Template.objects.get(...).build(to)`, of an instance made
in the function or of a parameter annotated with the class), cloud SDK
clients (not what is read from the value a client's call returned: `response.get("Items")`, nor
what a client computes by itself: boto3's `generate_presigned_url()`), messaging APIs, or a
project function named in `extra-slow-calls` (for example
`server.services.whatsapp_client.send_whatsapp`); and a handler that calls
`time.sleep` at all (or a boto3 waiter's `wait()`, which sleeps between its polls),
or waits for a task it enqueued (Celery's `fork.delay(x).get()`, `.wait()`, a group's
`.join()`, also on what a project function returns from `fork.delay(...)`: the job's whole
run in the request, or at most a `timeout=` written out, counted as a sleep of that length;
not on an `AsyncResult(id)` a status endpoint reads), unless the sleeps' whole length is
written out and within the
standard's 2 seconds: each sleep's seconds written out (`time.sleep(0.1)`; a random draw's
largest number written out, `time.sleep(random.uniform(0, 0.5))`: 0.5 s) times the rounds of
the loops of a few fixed rounds around it and around the calls that lead to it (`for attempt
in range(4):`: 0.4 s; also `while attempt < 4: attempt += 1`), added up over every sleep
the handler reaches (two sleeps of 1.5 s are 3 s, reported). A sleep in a loop over a
collection, or in a loop that does not say how many rounds it runs (`while`, a retry until
it succeeds), is reported. Helpers called from the handler are followed: a helper
called in a loop that sends one e-mail counts as a loop of sends, and a
helper's branch that tests a parameter (`if remote:`, `if remote is True:`, or a local
bound once to an `and` of it: `run_now = immediate and ready`) is left out when the
call gives it the other value (`remote=False`, or its default; a string compared with one
written out too: `if section == "view": return`; a count compared with a number, `if
retries > 0:`, needs it true in its body, and says nothing of its `else`; what follows `if domerge: ...` `else:
return` needs `domerge`, as does what follows an `if` / `elif` / `else` each arm of which that
goes on has passed it), also through a helper that
passes the parameter on (and rebinds it, if at all, only to false); so is a branch that needs a
string in a parameter (`if "remote" in modes:`) for a call whose list of strings written out (or dict
of string keys) lacks it. A function
passed to a helper runs where the helper calls it (`publish_each(notify,
ids)` with `publisher(item_id)` in a loop is a loop of `notify`). The wrapper
of a project decorator is followed too: `@db.serialized`, whose wrapper sleeps
between retries of a conflicting transaction, puts those sleeps in the request.
The wrapper gets the call's keywords and its own defaults: its branch on
`remote=False` is left out as a helper's is.
A comprehension of coroutines handed to `asyncio.gather` (`await
asyncio.gather(*[fetch(u) for u in urls])`, or the list bound to a name
first, or filled in a loop with `tasks.append(fetch(u))`, or handed starred
to a project helper that gathers its `*coros`, `await gather_limited(10,
*tasks)`) is no loop: the calls wait together, not one after the other; so
is a coroutine started in a task group (`async with asyncio.TaskGroup() as
tg:` ... `tg.create_task(fetch(u))`, anyio's `start_soon`). A coroutine
given to a task nothing awaits (`asyncio.create_task(deliver(event))`) runs
after the response: its loop is not the request's (WA102 reports the
task). A loop that looks for one item (`actor = None`, then `for link in links:
if link.get("rel") == "self": actor = fetch(link["href"])`: each match
overwrites a name set to None before the loop) fetches once, as it would with
a `break`; one that sends for every match, or folds every match into the
name, does not. What
a function builds the first time only (`global _client; if _client is
None: _client = Client()`) runs once per process, whatever loop calls it;
a sleep there (waiting for a thread it starts to be ready) is start-up, not
reported. So is what a block fills a cache with when it misses (`plugins =
cache.get(KEY)`, then `if not plugins:` with `cache.set(KEY, ...)` in the
block): it runs once per expiry of the key, not once per request. A key built
from the function's own names (one per user) is not such a cache.
"""
    why = """
One network call is fast; one per item of a collection is not. A loop over
500 items at 300 ms a call keeps the request open for two and a half
minutes, past every proxy timeout, and a failure in the middle leaves half
the work done with no record of which half. A sleep in a request holds a web
worker idle for its whole length, and the requests queued behind it wait too.
"""
    instead = """
Enqueue one job for the whole collection; the job sends in batches, records
progress and a heartbeat per batch, and can be cancelled.
"""
    fix_safety = "No automatic fix yet."
    bad = Example(
        {
            "app.py": """\
import requests
from flask import Flask, request

app = Flask(__name__)


@app.route("/notify", methods=["POST"])
def notify_all():
    for phone in request.get_json()["phones"]:
# expect: WA104
        requests.post("https://api.example.com/send", json={"to": phone}, timeout=10)
    return {"sent": True}
"""
        }
    )
    good = tracked(
        {
            "app.py": """\
import requests
from flask import Flask, request

from jobs import start_job

app = Flask(__name__)


@app.route("/status")
def status():
    reply = requests.get("https://api.example.com/health", timeout=2)
    return {"upstream": reply.status_code}


@app.route("/notify", methods=["POST"])
def notify_all():
    job = start_job("default", "tasks.notify", request.get_json()["phones"], timeout="30m")
    return {"job_id": job.id}, 202
"""
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        def slow(r) -> bool:
            return r.effect.kind in _WAITS or (r.effect.kind == "slow-call" and r.looped)

        for found in analysis.handler_hits(slow, self.code):
            found = _past_the_budget(found, analysis)
            if found is None:
                continue
            effect = found.first.effect
            if effect.kind == "sleep":
                what, instead = f"sleeps ({effect.detail})", "wait in a job, not in the request"
            elif effect.kind == "result-wait":
                what = f"waits for a job it enqueued to finish ({effect.detail})"
                instead = "answer 202 with the job's id and let the client poll its status"
            else:
                what = f"calls slow I/O once per item of a loop ({effect.detail})"
                instead = "enqueue one job for the collection"
            message = f"`{found.handler.qualname}` {what}{found.via}{found.more}; {instead}"
            yield self.finding(
                analysis,
                found.handler.path,
                found.anchor,
                message,
                found.related("slow call"),
                scope=found.scope,
            )


def _past_the_budget(found: HandlerHits, analysis) -> HandlerHits | None:
    """A handler's hits without its sleeps of a known length (`Reached.seconds_slept`: `for
    attempt in range(4): ... time.sleep(0.1)`, 0.4 s; a task result's wait with `timeout=1.5`,
    at most 1.5 s) when all of them together, along every
    path the handler reaches them by, take at most the standard's 2 s; None when nothing is
    left. Two 1.5 s sleeps in one request are 3 s, and stay."""
    slept = {id(hit): hit.seconds_slept for hit in found.hits if hit.effect.kind in _WAITS}
    known = [seconds for seconds in slept.values() if seconds is not None]
    if not known or sum(known) > SLEEP_BUDGET_SECONDS:
        return found
    left = [hit for hit in found.hits if slept.get(id(hit)) is None]
    return HandlerHits(found.handler, left, analysis) if left else None
