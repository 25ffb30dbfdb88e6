"""The example job that meets the standard, shared by the job rules' docs and
tests; each rule's bad example is this job with one point taken out."""

from __future__ import annotations

from worker_audit.rule import Example

# which enqueued functions the job rules (WA303-WA306) leave alone
NOT_REVIEWED = """\
A job that only functions run by a periodic scheduler enqueue (APScheduler's
`scheduled_job`, Celery 4's `periodic_task`: `rules/schedulers.yaml`), or only a
module's own body, run when it loads (RQ's `cron.register(f, ...)` in the file `rq cron`
runs), or only the modules of Django's management commands
(`*/management/commands/*.py`) where no handler reaches, or
that only jobs enqueue (itself, for its next round: `purge.delay()` at the
end of `purge`; or another job or a helper in that job's module, as its
follow-up, when no handler runs that helper, also a task that no code enqueues, such as
one a beat schedule starts to enqueue a job per item; or a module's function a job hands on
as a value, `run_phases([review_phase], urls)`, when no handler hands it on), is not
reviewed: no request
hands it off and nobody follows its progress; the job a request hands off
first is the one reviewed. Neither is a task that no code of the project enqueues (a Celery
task that only `beat_schedule`, a schedule kept in the database or another
service starts): its decorator names its queue, which WA201 checks, but
nothing shows a request handing it off.
"""

MODELS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class BackgroundJob(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Lead(db.Model):
    id = db.Column(db.Integer, primary_key=True)


class Contact(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    list_id = db.Column(db.Integer)
    email = db.Column(db.String(200))
"""

STANDARD_JOB = """\
import logging
from datetime import datetime

from redis import Redis
from rq import Queue

from models import BackgroundJob, Lead, db

logger = logging.getLogger(__name__)
maintenance = Queue("maintenance", connection=Redis())
BATCH_SIZE = 50


def delete_leads_job(job_id, lead_ids):
    job = BackgroundJob.query.get(job_id)
    logger.info("JOB_START job=%s total=%s", job_id, len(lead_ids))
    for start in range(0, len(lead_ids), BATCH_SIZE):
        db.session.refresh(job)
        if job.status in ("cancelled", "paused"):
            logger.info("JOB_STOPPED job=%s", job_id)
            return
        batch = lead_ids[start : start + BATCH_SIZE]
        Lead.query.filter(Lead.id.in_(batch)).delete(synchronize_session=False)
        job.processed += len(batch)
        job.heartbeat_at = datetime.utcnow()
        db.session.commit()
        logger.info("JOB_PROGRESS job=%s processed=%s", job_id, job.processed)
    job.status = "completed"
    db.session.commit()
    logger.info("JOB_DONE job=%s", job_id)


def schedule(job_id, lead_ids):
    maintenance.enqueue(delete_leads_job, job_id, lead_ids, job_timeout="1h")
"""

STANDARD = Example({"tasks.py": STANDARD_JOB, "models.py": MODELS})

# a handler that hands the standard job a list of ids: the rules about handlers
# that enqueue (WA301, WA302) complete it in their examples
ENQUEUING_HANDLER = """\
from flask import Flask, jsonify, request
from redis import Redis
from rq import Queue

from models import BackgroundJob, db
from tasks import delete_leads_job

app = Flask(__name__)
maintenance = Queue("maintenance", connection=Redis())


@app.route("/leads/bulk-delete", methods=["POST"])
def bulk_delete_leads():
    ids = request.get_json()["ids"]
"""


def with_handler(body: str) -> Example:
    """The enqueuing handler completed by `body`, with the standard job it enqueues."""
    return Example({"app.py": ENQUEUING_HANDLER + body, "tasks.py": STANDARD_JOB, "models.py": MODELS})


START_JOB = """\
from redis import Redis
from rq import Queue

from models import BackgroundJob, db


def start_job(queue_name, function, *args, timeout="1h"):
    \"\"\"Record the job, enqueue it with its id, and hand the record back.\"\"\"
    job = BackgroundJob(job_type=str(function), status="queued")
    db.session.add(job)
    db.session.commit()
    Queue(queue_name, connection=Redis()).enqueue(function, job.id, *args, job_timeout=timeout)
    return job
"""


def tracked(files: dict[str, str]) -> Example:
    """A good example whose handlers enqueue through `jobs.start_job` (record first, then enqueue)."""
    return Example({**files, "jobs.py": START_JOB, "models.py": MODELS})


def without(code: str, *changes: tuple[str, str]) -> Example:
    """The standard job with `changes` made, marked to expect `code` at the job."""
    text = STANDARD_JOB.replace("\ndef delete_leads_job", f"\n# expect: {code}\ndef delete_leads_job")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return Example({"tasks.py": text, "models.py": MODELS})
