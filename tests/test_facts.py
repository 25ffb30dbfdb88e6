"""Per-file facts are plain values: picklable (for a process pool and a cache),
and name resolution follows imports and aliases, not spellings."""

from __future__ import annotations

import ast
import pickle
import textwrap
from pathlib import Path

import libcst
import pytest

import worker_audit.extract as extract_module
from worker_audit.extract import extract_facts
from worker_audit.facts import Membership, given_argument
from worker_audit.knowledge import Knowledge, KnowledgeError, _merge_pack, load_knowledge, written_method


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
        (7, (".", "services.purge"), False),  # what the executor runs (waited for by the block's end)
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


def test_a_model_class_writes_itself_but_self_and_parameters_are_left_to_their_own_methods():
    """peewee's `Item.create()` and `Item.delete().where(...).execute()` are writes of the class
    (phase 2 checks it is a model); a manager's own `self.get_or_create()` (netbox's
    ObjectTypeManager) and a statement on a parameter are not read so."""
    facts = facts_of(
        """\
        from shop.models import Item

        class KindManager:
            def ensure(self, names):
                for name in names:
                    self.get_or_create(name=name)

        def handler(codes, table):
            for code in codes:
                Item.create(code=code)
            Item.delete().where(Item.shelf == 3).execute()
            table.delete().where(table.c.shelf == 3).execute()
        """
    )
    shapes = [
        (c.span.line, c.shape, c.statement_model)
        for qualname in ("KindManager.ensure", "handler")
        for c in facts.functions[qualname].calls
        if c.shape
    ]
    # line 11: the statement only, not also its head `Item.delete()` as an instance's delete;
    # line 12: `table.delete()` is any object's `delete()`, as before peewee was read
    assert shapes == [
        (10, "row", ("", "shop.models.Item")),
        (11, "bulk", ("", "shop.models.Item")),
        (12, "row", None),
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


        class TopicRead(Base):
            user_id = Column(Integer, primary_key=True)
            topic_id = Column(Integer, primary_key=True)
            token = Column(Integer, unique=True)


        class Account(Base):
            id: Mapped[int] = mapped_column(primary_key=True)
            email: Mapped[str] = mapped_column(unique=True)
            name: Mapped[str]
        """
    )
    assert facts.classes["Favorite"].unique_keys == (("id",), ("email",), ("object_type", "object_id", "user_id"))
    assert facts.classes["Membership"].unique_keys == (("slug",), ("team", "user"), ("team", "role"))
    # the primary key columns are one key together: a composite key, first
    assert facts.classes["TopicRead"].unique_keys == (("user_id", "topic_id"), ("token",))
    # SQLAlchemy 2.0's annotated columns
    assert facts.classes["Account"].unique_keys == (("id",), ("email",))


def test_what_a_function_returns_is_recorded_when_it_is_one_instance():
    facts = facts_of(
        """\
        from typing import Self

        from rq import Queue
        from sqlalchemy.orm import Session
        from .models import User, db

        def make_queue(name):
            return Queue(name)

        def annotated() -> Queue:
            return build()

        def local_queue():
            queue = Queue("x")
            return queue

        def first_user():
            return User.query.filter(User.active == True).first()

        def by_session(session: Session, user_id):
            return session.query(User).get(user_id)

        def two_kinds(flag):
            if flag:
                return Queue("x")
            return User.query.first()

        def maybe_none(flag):
            if flag:
                return None
            return Queue("x")

        class Mixin:
            @classmethod
            def get_by_id(cls, object_id):
                query = cls.query.filter(cls.id == object_id)
                return query.one()

            @classmethod
            def create(cls, **values):
                return cls(**values)

            def name(self):
                return self.title

            def copy(self) -> Self:
                return self.clone()

        def checked() -> bool:
            return Queue("x").is_empty()

        def nothing() -> None:
            return Queue("x")

        def queues():
            yield Queue("x")
            return Queue("x")

        async def open_queue():
            return Queue("x")
        """
    )
    returns = {name: function.returns for name, function in facts.functions.items() if name != "<module>"}
    assert returns == {
        "make_queue": ("", "rq.Queue()"),
        "annotated": ("", "rq.Queue()"),
        "local_queue": ("", "rq.Queue()"),
        "first_user": (".", "models.User()"),
        "by_session": (".", "models.User()"),
        "two_kinds": None,
        "maybe_none": ("", "rq.Queue()"),
        "Mixin.get_by_id": ("cls", "()"),
        "Mixin.create": ("cls", "()"),
        "Mixin.name": None,
        "Mixin.copy": ("cls", "()"),
        "checked": None,
        "nothing": None,
        "queues": None,
        # a coroutine function: what awaiting its call gives (`queue = await open_queue()`)
        "open_queue": ("", "rq.Queue()"),
    }


def test_a_primary_key_on_the_value_side_does_not_make_one_row():
    facts = facts_of(
        """\
        from app import models
        from .models import Owner, Result, db

        def handler(source, result, owner_id):
            Result.query.filter(Result.source_id == source.id).delete()
            Result.query.filter(source.id == Result.id).delete()
            Result.query.filter(Owner.id == owner_id).delete()
            Result.query.filter(Result.owner_id == Owner.id, Owner.id == owner_id).delete()
            models.Result.query.filter(Result.id == result).delete()
        """
    )
    shapes = [(c.span.line, c.shape) for c in facts.functions["handler"].calls if c.shape]
    # the id of another model pins nothing of Result; the same model imported two ways still does
    assert shapes == [(5, "bulk"), (6, "row"), (7, "bulk"), (8, "bulk"), (9, "row")]


def test_a_loop_variable_over_a_query_is_an_instance_of_its_model_when_bound_once():
    facts = facts_of(
        """\
        from inventory.models import Location, Rack

        def once():
            for rack in Rack.objects.filter(site=1):
                rack.reset_slots()

        def twice():
            for obj in Rack.objects.filter(site=1):
                obj.reset_slots()
            for obj in Location.objects.all():
                obj.save()

        def values():
            for pk in Rack.objects.values_list("pk", flat=True):
                pk.bit_length()

        def pairs(session):
            for pair in session.query(Rack, Location):
                pair.count(1)
        """
    )
    names = ("once", "twice", "values", "pairs")
    targets = {name: [c.target for c in facts.functions[name].calls] for name in names}
    assert targets["once"][-1] == ("", "inventory.models.Rack().reset_slots")
    assert targets["twice"][1] is None and targets["twice"][3] is None  # which model, the last binding cannot say
    assert targets["values"][-1] is None  # rows of values, not instances
    assert targets["pairs"][-1] is None  # rows of tuples


def test_loops_that_repeat_only_on_failure_or_a_written_out_tuple_are_not_loops_over_items():
    facts = facts_of(
        """
        def handler(items, session, flaky):
            for status in ("sent", "read"):
                session.commit()
            while True:
                try:
                    flaky()
                    return session.commit()
                except OSError:
                    session.rollback()
            for item in items:
                if item.skip:
                    continue
                session.delete(item)
                return session.commit()
            for item in items:
                session.merge(item)
            for attempt in items:
                try: return session.commit()
                except OSError: session.rollback(); continue
            for status in ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"):
                session.commit()
            for status in ("a", *items):
                session.commit()
            for status in {"a", "b"}:
                session.commit()
        """
    )
    looped = [(c.span.line, c.text, c.in_loop) for c in facts.functions["handler"].calls]
    assert looped == [
        (4, "session.commit()", False),
        (7, "flaky()", False),
        (8, "session.commit()", False),
        (10, "session.rollback()", False),
        # skips with `continue`, then deletes one item and returns: the delete runs once
        (14, "session.delete(...)", False),
        (15, "session.commit()", False),
        (17, "session.merge(...)", True),
        (19, "session.commit()", False),
        (20, "session.rollback()", False),
        (22, "session.commit()", True),
        (24, "session.commit()", True),
        (26, "session.commit()", False),
    ]


def test_a_final_if_whose_every_branch_returns_is_where_the_job_ends():
    """WA306's fix logs JOB_DONE before the function's last statement when that statement
    always leaves (after it, the line would never run), and after it otherwise."""
    facts = facts_of(
        """
        def both(ids):
            for i in ids:
                work(i)
            if ids:
                return 1
            elif ids is None:
                raise ValueError
            else:
                return 2

        def one(ids):
            for i in ids:
                work(i)
            if ids:
                return 1

        def inside_with(ids):
            with lock:
                return 1
        """
    )
    last = {name: [m.text for m in facts.functions[name].marks if m.kind == "body-last"] for name in facts.functions}
    assert last == {"<module>": [], "both": ["jump"], "one": [""], "inside_with": ["jump"]}


def test_calls_record_the_parameters_their_ifs_test():
    facts = facts_of(
        """\
        def saved(sender, instance, created, **kwargs):
            if created:
                instance.first()
            elif instance:
                instance.edited()
            else:
                instance.gone()
            if not created:
                return
            instance.again()

            def later():
                instance.nested()
            if flag:
                instance.unknown()
        """
    )
    guards = [(c.span.line, c.guards) for c in facts.functions["saved"].calls]
    assert guards == [
        (3, (("created", True),)),
        (5, (("created", False), ("instance", True))),
        (7, (("created", False), ("instance", False))),
        (10, (("created", True),)),
        (15, (("created", True),)),
    ]
    assert [c.guards for c in facts.functions["saved.later"].calls] == [()]


def test_a_local_bound_to_an_and_of_itself_tests_nothing():
    # `loud = loud and ready` once made the extraction recurse without end (a WA001 on the file)
    facts = facts_of(
        """\
        def announce(item, loud=True, quiet=False):
            loud = loud and item.enabled
            if loud:
                item.shout()
            first = second and quiet
            second = first and quiet
            if first:
                item.whisper()
        """
    )
    # `first` is true only with `quiet` true, read through `second` once
    guards = [(c.span.line, c.guards) for c in facts.functions["announce"].calls]
    assert guards == [(4, ()), (8, (("quiet", True), ("quiet", True)))]


def test_calls_record_the_strings_their_ifs_test_in_what_the_caller_gives():
    facts = facts_of(
        """\
        def save(self, *args, update_fields=None, **kwargs):
            if update_fields is not None and "shelf" not in update_fields:
                return
            self.move()
            if "banned" in kwargs.get("update_fields", ["banned"]):
                self.close()
            if "x" in kwargs["fields"] and "y" in update_fields:
                self.both()

        def changed(self, **kwargs):
            kwargs.setdefault("update_fields", [])
            if "banned" in kwargs.get("update_fields"):
                self.close()
        """
    )
    shelf = (Membership("shelf", "update_fields", default=True), True)
    guards = [(c.span.line, c.guards) for c in facts.functions["save"].calls]
    assert guards == [
        (4, (shelf,)),
        (5, (shelf,)),  # `kwargs.get(...)` itself
        (6, (shelf, (Membership("banned", "**update_fields", default=True), True))),
        (8, (shelf, (Membership("x", "**fields"), True), (Membership("y", "update_fields"), True))),
    ]
    # a body that changes what `**kwargs` holds: the call alone does not say
    assert [c.guards for c in facts.functions["changed"].calls] == [(), (), ()]


def test_functions_record_defaults_written_out_and_calls_their_star_arguments():
    facts = facts_of(
        """\
        def helper(a, b=1, /, c=False, *rest, d=None, e=0, f="x", g=compute(), **options):
            helper(1, *rest)
            helper(1, **options)
            helper(1, c=True)
        """
    )
    function = facts.functions["helper"]
    assert function.defaults == (("b", True), ("c", False), ("d", False), ("e", False))
    assert function.positional == 3
    assert [call.starred for call in function.calls] == [True, True, False]


def test_a_call_of_a_parameter_names_it_unless_the_function_assigns_it():
    facts = facts_of(
        """\
        def publish(publisher, other, item):
            publisher(item)
            other = wrap(other)
            other(item)
            item.save()
        """
    )
    assert [call.parameter for call in facts.functions["publish"].calls] == ["publisher", None, None, None]


def test_a_library_unique_key_written_wrong_is_a_pack_error():
    """`orm.library_unique_keys` entries are `module.Model:column,column`; one without its
    columns would never match, silently, so the pack is refused with the entry named."""
    pack = {"pack": "broken", "orm": {"library_unique_keys": ["rest_framework.authtoken.models.Token"]}}
    with pytest.raises(KnowledgeError, match=r"broken.yaml: orm.library_unique_keys: .*'rest_framework"):
        _merge_pack(Knowledge(), pack, "broken.yaml")
    _merge_pack(Knowledge(), {"pack": "fine", "orm": {"library_unique_keys": ["app.models.Token:user,key"]}}, "f")


def test_a_thread_runner_without_a_position_is_a_pack_error():
    """`thread_runners` entries say where the function is given by position; a name there
    (`function: func`) would never be read, silently, so the pack is refused."""
    pack = {"pack": "broken", "thread_runners": [{"call": "asyncio.to_thread", "function": "func"}]}
    with pytest.raises(KnowledgeError, match=r"broken.yaml: thread_runners\[0\].function: expected a position"):
        _merge_pack(Knowledge(), pack, "broken.yaml")
    fine = Knowledge()
    _merge_pack(fine, {"pack": "fine", "thread_runners": [{"call": "asyncio.to_thread", "function": 0}]}, "f")
    assert [(runner.function, runner.keywords) for runner in fine.thread_runners] == [(0, False)]


def test_a_library_model_name_written_wrong_is_a_pack_error():
    """`orm.library_model_names` entries are `name=module.Model`; one without its model would
    never match, silently, so the pack is refused with the entry named."""
    pack = {"pack": "broken", "orm": {"library_model_names": ["auth.User"]}}
    with pytest.raises(KnowledgeError, match=r"broken.yaml: orm.library_model_names: .*'auth.User'"):
        _merge_pack(Knowledge(), pack, "broken.yaml")
    fine = Knowledge()
    _merge_pack(fine, {"pack": "fine", "orm": {"library_model_names": ["auth.User=app.models.User"]}}, "f")
    assert fine.orm_parts["library_model_names"] == ["auth.User=app.models.User"]


def test_a_call_gives_a_parameter_by_keyword_or_by_a_position_it_knows():
    facts = facts_of(
        """\
        class Jobs:
            @classmethod
            def start(cls, func, *args):
                func.delay(*args)

            @staticmethod
            def run(func):
                pass

        def launch(func, name=None):
            pass

        from app.jobs import a, b, c, d, e

        def callers(extra):
            Jobs.start(a)
            Jobs.run(b)
            launch(name="x", func=c)
            launch(*extra, d)
            launch(e, *extra)
        """
    )
    start, run, launch = (facts.functions[name] for name in ("Jobs.start", "Jobs.run", "launch"))
    assert start.calls[0].parameter_method == "func.delay"
    calls = facts.functions["callers"].calls
    given = [
        given_argument(function, call, "func")
        for function, call in zip((start, run, launch, launch, launch), calls, strict=True)
    ]
    # past `cls`; a static method binds nothing; a keyword; after `*extra` no position is known
    assert [arg.ref[1] if arg is not None else None for arg in given] == [
        "app.jobs.a",
        "app.jobs.b",
        "app.jobs.c",
        None,
        "app.jobs.e",
    ]


def test_a_library_action_with_an_unknown_write_is_a_pack_error():
    """`view_models.library_actions[].writes` says which write the action does (create, update
    or delete: a save with post_save's `created` True, one with it False, a delete)."""
    views = {"model_attributes": ["model"], "object_getters": [], "meta_class": "Meta", "meta_model": "model"}
    action = {"bases": ["rest_framework.viewsets.ModelViewSet"], "action": "destroy", "writes": "remove"}
    pack = {"pack": "broken", "view_models": {**views, "library_actions": [action]}}
    with pytest.raises(KnowledgeError, match=r"broken.yaml: view_models.library_actions\[0\].writes: .*'remove'"):
        _merge_pack(Knowledge(), pack, "broken.yaml")
    fine = Knowledge()
    action["writes"] = "delete"
    _merge_pack(fine, {"pack": "fine", "view_models": {**views, "library_actions": [action]}}, "f")
    (read,) = fine.view_models.library_actions
    assert (read.action, written_method(read.writes), read.hooks) == ("destroy", "delete", frozenset({"destroy"}))


def test_the_node_classes_extract_tests_by_exact_type_have_no_subclasses():
    # extract.py writes `type(node) is cst.Call` for `isinstance(node, cst.Call)` (the latter
    # is slow on libcst's ABCMeta classes); that holds only while nothing derives from them
    source = (Path(extract_module.__file__)).read_text(encoding="utf-8")
    named = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Call) and ast.unparse(node.left.func) == "type":
            for right in node.comparators:
                elements = right.elts if isinstance(right, ast.Tuple) else [right]
                for element in elements:
                    if isinstance(element, ast.Name):  # a tuple of the module: `_COMPREHENSIONS`
                        value = getattr(extract_module, element.id, None)
                        named |= {kind for kind in value if isinstance(kind, type)} if type(value) is tuple else set()
                    elif ast.unparse(element).startswith("cst."):
                        named.add(getattr(libcst, ast.unparse(element)[4:]))
    assert len(named) > 50 and libcst.ListComp in named  # the walk's node kinds, not a handful
    assert {kind.__name__: kind.__subclasses__() for kind in named if kind.__subclasses__()} == {}
