"""The job rules' messages say what the job does, once."""

from __future__ import annotations

from dataclasses import replace

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
