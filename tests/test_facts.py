"""Per-file facts are plain values: picklable (for a process pool and a cache),
and name resolution follows imports and aliases, not spellings."""

from __future__ import annotations

import pickle
import textwrap

import libcst

from worker_audit.extract import extract_facts
from worker_audit.knowledge import load_knowledge


def facts_of(source: str):
    return extract_facts("/project/app.py", libcst.parse_module(textwrap.dedent(source)), load_knowledge())


def test_facts_pickle_round_trip():
    facts = facts_of(
        """\
        import threading as th
        from .services import purge

        def handler(ids):
            for i in ids:
                th.Thread(target=purge).start()
        """
    )
    assert pickle.loads(pickle.dumps(facts)) == facts


def test_calls_are_resolved_through_aliases_and_locals():
    facts = facts_of(
        """\
        import concurrent.futures as cf
        from threading import Thread as T
        from .services import purge

        def handler(ids):
            with cf.ThreadPoolExecutor() as pool:
                pool.submit(purge, ids)
            worker = T(target=purge)
            worker.start()
            for i in ids:
                purge(i)
        """
    )
    calls = [(c.span.line, c.target, c.in_loop) for c in facts.functions["handler"].calls]
    assert calls == [
        (6, ("", "concurrent.futures.ThreadPoolExecutor"), False),
        (7, ("", "concurrent.futures.ThreadPoolExecutor().submit"), False),
        (8, ("", "threading.Thread"), False),
        (9, ("", "threading.Thread().start"), False),
        (11, (".", "services.purge"), True),
    ]


def test_orm_shapes_distinguish_one_row_from_many():
    facts = facts_of(
        """\
        from sqlalchemy import delete, update
        from app.db import db, Lead

        def handler(ids, lead_id):
            Lead.query.filter_by(id=lead_id).delete()
            Lead.query.filter(Lead.id == lead_id).update({"x": 1})
            Lead.query.filter(Lead.id.in_(ids)).delete()
            Lead.query.delete()
            db.session.execute(delete(Lead).where(Lead.id == lead_id))
            db.session.execute(update(Lead).where(Lead.owner_id == 3).values(x=1))
            db.session.bulk_save_objects([])
            db.session.add_all(ids)
            db.session.add_all([Lead()])
            db.session.query(Lead).filter(Lead.owner_id == 3).delete()
        """
    )
    shapes = [(c.span.line, c.shape, c.shape_detail) for c in facts.functions["handler"].calls if c.shape]
    assert shapes == [
        (5, "row", "query delete() of one row by primary key"),
        (6, "row", "query update() of one row by primary key"),
        (7, "bulk", "query delete() of every row matching Lead.id.in_(...)"),
        (8, "bulk", "query delete() of every row of the table (no filter)"),
        (9, "row", "delete() statement of one row by primary key"),
        (10, "bulk", "update() statement of every row matching Lead.owner_id == 3"),
        (11, "bulk", "session.bulk_save_objects()"),
        (12, "bulk", "session.add_all() of a computed collection"),
        (14, "bulk", "query delete() of every row matching Lead.owner_id == 3"),
    ]


def test_unique_keys_of_models():
    facts = facts_of(
        """\
        from django.db import models
        from sqlalchemy import Column, Integer, UniqueConstraint


        class Favorite(Base):
            id = Column(Integer, primary_key=True)
            email = Column(Integer, unique=True)
            __table_args__ = (UniqueConstraint("object_type", "object_id", "user_id"),)


        class Membership(models.Model):
            slug = models.SlugField(unique=True)

            class Meta:
                unique_together = [("team", "user")]
                constraints = [models.UniqueConstraint(fields=["team", "role"], name="one_role")]
        """
    )
    assert facts.classes["Favorite"].unique_keys == (("id",), ("email",), ("object_type", "object_id", "user_id"))
    assert facts.classes["Membership"].unique_keys == (("slug",), ("team", "user"), ("team", "role"))
