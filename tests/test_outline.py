"""Shortcuts that must never change a finding: the `ast` outline agrees with the
libcst facts, and turning the prefilter or the outlines off finds the same."""

from __future__ import annotations

import sysconfig
from dataclasses import replace
from pathlib import Path

import libcst
import pytest
from conftest import FIXTURES

from worker_audit.engine import run_check
from worker_audit.extract import extract_facts
from worker_audit.knowledge import load_knowledge
from worker_audit.module_loading import load_module
from worker_audit.outline import disagreements, outline_module
from worker_audit.settings import load_settings
from worker_audit.source import SourceProblem, decode_python

STDLIB = Path(sysconfig.get_paths()["stdlib"])
STDLIB_SAMPLE = [
    p for folder in ("email", "json", "http", "logging", "concurrent") for p in (STDLIB / folder).rglob("*.py")
]


def _disagreements(path: Path) -> list[str]:
    try:
        text = decode_python(path.read_bytes()).text
    except SourceProblem:
        return []
    facts = load_module(str(path), path.read_bytes(), load_knowledge()).facts
    outline = outline_module(str(path), text, load_knowledge().service_lookups)
    if facts is None or outline is None:
        return []
    return [f"{path}: {line}" for line in disagreements(outline, facts)]


@pytest.mark.parametrize("tree", ["fixtures", "stdlib"])
def test_the_outline_agrees_with_the_full_facts(tree):
    paths = sorted(FIXTURES.rglob("*.py")) if tree == "fixtures" else sorted(STDLIB_SAMPLE)
    assert len(paths) > 40
    problems = [line for path in paths for line in _disagreements(path)]
    assert problems == []


def test_the_outline_of_tricky_bindings(tmp_path):
    source = (
        "import a.b\nimport c.d as e\nfrom .f import g as h\nfrom . import *\n"
        "X = None\nY = Queue('q')\nZ = y.z\nN = 5\ntry:\n    class K(Base, metaclass=M):\n        def m(self): ...\n"
        "except ImportError:\n    K = None\n"
        "try:\n    from l import L\nexcept Exception:\n    L = None\n"
    )
    outline = outline_module("m.py", source)
    assert {name: (b.kind, b.ref) for name, b in outline.bindings.items()} == {
        "a": ("import", ("", "a")),
        "e": ("import", ("", "c.d")),
        "h": ("import", (".", "f.g")),
        "*0": ("star", (".", "")),
        "X": ("alias", ("", "None")),
        "Y": ("instance", ("@", "Queue()")),  # after a star import an unknown name may come from it
        "Z": ("alias", ("@", "y.z")),
        "N": ("number", None),  # a string or an integer written out keeps its value, as in the facts
        "K": ("class", None),  # what a `try` binds wins over its `except ImportError:` fallback
        "L": ("alias", ("", "None")),  # under any other handler the last binding wins
    }
    assert outline.classes["K"].bases == (("@", "Base"),) and outline.classes["K"].methods == ("m",)
    assert outline.bindings["N"].value == "5"


@pytest.mark.parametrize("shortcut", ["prefilter", "outlines"])
def test_turning_a_shortcut_off_finds_exactly_the_same(shortcut, in_repo):
    for tree in [FIXTURES / "seed_app", *sorted(p for p in (FIXTURES / "cases").iterdir() if p.is_dir())]:
        settings = replace(load_settings([tree]), cache_dir="")
        fast = run_check([tree], settings)
        slow = run_check([tree], replace(settings, **{shortcut: False}))
        assert [(f.code, f.path, f.line, f.message) for f in fast.findings] == [
            (f.code, f.path, f.line, f.message) for f in slow.findings
        ], tree


def test_what_a_function_returns_is_read_only_when_the_result_can_matter(tmp_path):
    # `report.render()` on `report = make_report()`: a method no project class defines,
    # so reports.py is only outlined; `queue.enqueue(...)` on `queue = reports_queue()`:
    # an enqueue, so `reports_queue` is parsed (alone: queues.py is read in part) to learn
    # that it returns an rq.Queue, and the job it enqueues is reviewed
    (tmp_path / "reports.py").write_text("class Report:\n    pass\n\n\ndef make_report():\n    return Report()\n")
    (tmp_path / "queues.py").write_text("from rq import Queue\n\n\ndef reports_queue():\n    return Queue('reports')\n")
    (tmp_path / "app.py").write_text(
        "from flask import Flask, request\n"
        "from flask_sqlalchemy import SQLAlchemy\n\n"
        "from queues import reports_queue\n"
        "from reports import make_report\n\n"
        "app = Flask(__name__)\n"
        "db = SQLAlchemy(app)\n"
        "report = make_report()\n"
        "queue = reports_queue()\n\n\n"
        "def build(ids):\n"
        "    for i in ids:\n"
        "        db.session.commit()\n\n\n"
        "@app.route('/report', methods=['POST'])\n"
        "def make():\n"
        "    report.render()\n"
        "    queue.enqueue(build, request.json['ids'])\n"
        "    return '', 202\n"
    )
    settings = replace(load_settings([tmp_path / "app.py"]), cache_dir="")
    result = run_check([tmp_path / "app.py"], settings)
    assert (result.files_parsed, result.files_in_part, result.files_outlined) == (1, 1, 1)
    assert [(f.code, f.line) for f in result.findings if f.code in ("WA301", "WA303")] == [
        ("WA303", 13),
        ("WA301", 21),
    ]


def test_a_decorator_through_an_alias_or_named_like_a_router_method_is_parsed_up_front(tmp_path):
    # `route = bp.route` then `@route(...)`; a configured decorator whose last name is a
    # method of the packs' routers (`post`): both must be read by the default, prefiltered run
    (tmp_path / "views.py").write_text(
        "import requests\nfrom flask import Blueprint\n\nbp = Blueprint('b', __name__)\nroute = bp.route\n\n\n"
        "@route('/notify', methods=['POST'])\ndef notify(urls):\n    for url in urls:\n        requests.get(url)\n"
    )
    (tmp_path / "api.py").write_text("def post(path):\n    return lambda f: f\n")
    (tmp_path / "more.py").write_text(
        "import requests\n\nfrom api import post\n\n\n"
        "@post('/ping')\ndef ping(urls):\n    for url in urls:\n        requests.get(url)\n"
    )
    settings = replace(load_settings([tmp_path]), cache_dir="", jobs=1, extra_handler_decorators=("api.post",))
    for prefilter in (True, False):
        found = run_check([tmp_path], replace(settings, prefilter=prefilter)).findings
        assert [(Path(f.path).name, f.line, f.code) for f in found] == [
            ("more.py", 9, "WA104"),
            ("views.py", 11, "WA104"),
        ]


TYPE_SHAPES = """\
from typing import Annotated, Optional
from fastapi import BackgroundTasks

A = Annotated[(BackgroundTasks, 1)]
B = Optional[()]
C = tuple[()]
D = BackgroundTasks | None


class Box:
    args: tuple[()] = ()
    empty: Optional[()] = None
    tasks: Annotated[BackgroundTasks, 2]

    def __init__(self, bg: Annotated[BackgroundTasks, 3], x: Optional[()] = None): self.bg = bg
"""


def _outline_agreeing_with_facts(source: str):
    """The outline of `source`, once it agrees with the full facts of the same text."""
    outline = outline_module("m.py", source)
    facts = extract_facts("m.py", libcst.parse_module(source), load_knowledge())
    assert disagreements(outline, facts) == []
    return outline


def test_annotations_and_what_instances_hold_read_alike_by_outline_and_facts(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(TYPE_SHAPES)
    assert _disagreements(path) == []  # `tuple[()]` once raised IndexError in the outline
    outline = outline_module(str(path), TYPE_SHAPES)
    assert (outline.bindings["A"].kind, outline.bindings["A"].ref) == ("alias", ("", "fastapi.BackgroundTasks"))
    assert outline.bindings["B"].kind == "value"
    assert outline.classes["Box"].instance_attributes == (  # a subscript's type is not known: no `args`
        ("bg", ("", "fastapi.BackgroundTasks()")),  # a one-line __init__
        ("tasks", ("", "fastapi.BackgroundTasks()")),
    )


def test_lists_of_strings_read_alike_by_outline_and_facts(tmp_path):
    """A worker's queue list built from a module list (`[Queue(n) for n in LISTEN]`) is read
    the same when its function is read alone, from the outline's binding."""
    source = 'LISTEN = ["high", "default"]\nMIXED = ("a", f"{x}")\nSTARRED = ["a", *rest]\nJOINED = ["a" "b"]\n'
    path = tmp_path / "m.py"
    path.write_text(source)
    outline = outline_module(str(path), source)
    facts = load_module(str(path), source.encode(), load_knowledge()).facts
    expected = {"LISTEN": ("high", "default"), "MIXED": None, "STARRED": None, "JOINED": ("ab",)}
    assert {name: b.strings for name, b in outline.bindings.items()} == expected
    assert {name: facts.bindings[name].strings for name in expected} == expected


def test_the_last_def_of_a_name_says_what_it_returns():
    """`@overload` stubs annotate what the implementation, defined last, may not: the binding
    takes the last `def`'s annotation, in the outline as in the full facts; a coroutine
    function's is what awaiting its call gives."""
    source = (
        "from typing import Optional, Union, overload\n"
        "from app.models import Edition, Work\n\n\n"
        "@overload\n"
        "def search(query: str) -> Optional[Edition]: ...\n\n\n"
        "def search(query):\n"
        "    return None\n\n\n"
        "def load(pk) -> Work:\n"
        "    return Work()\n\n\n"
        "def first(query) -> Edition:\n"
        "    return Edition()\n\n\n"
        "async def first(query) -> Edition:\n"
        "    return Edition()\n"
    )
    outline = _outline_agreeing_with_facts(source)
    assert [outline.bindings[name].ref for name in ("search", "load", "first")] == [
        None,
        ("", "app.models.Work()"),
        ("", "app.models.Edition()"),
    ]


def test_a_module_named_after_a_view_class_is_parsed_only_when_its_outline_shows_a_view(tmp_path):
    # a whole run looks for project views among the modules not parsed up front by the names
    # their classes derive from (`View`); `Rows` derives from the project's own `View`, which
    # its outline shows: lists.py is not parsed. base.py and salaries.py hold views: parsed
    (tmp_path / "base.py").write_text(
        "from flask.views import MethodView\n\n\nclass BaseResource(MethodView):\n    pass\n"
    )
    (tmp_path / "lists.py").write_text("class View:\n    pass\n\n\nclass Rows(View):\n    pass\n")
    (tmp_path / "salaries.py").write_text(
        "from flask_sqlalchemy import SQLAlchemy\n\nfrom base import BaseResource\n\ndb = SQLAlchemy()\n\n\n"
        "class Salaries(BaseResource):\n"
        "    def post(self, rows):\n"
        "        for row in rows:\n"
        "            db.session.commit()\n"
    )
    settings = replace(load_settings([tmp_path]), cache_dir="")
    result = run_check([tmp_path], settings, {"WA101"})
    assert [(Path(f.path).name, f.line) for f in result.findings] == [("salaries.py", 11)]
    assert (result.files_parsed, result.files_outlined) == (2, 1)


def test_an_enumeration_counts_an_f_string_member_in_the_outline_as_in_the_facts(tmp_path):
    # netbox's extras/tests/test_templatetags.py: a class attribute set to an f-string is a
    # literal to libcst (`cst.FormattedString`); Python's `ast` says `JoinedStr`, not `Constant`
    source = 'class Kind:\n    A = "a"\n    B = f"{A}b"\n    C = ("c", "C")\n    D = True\n    _E = 1\n'
    outline = outline_module("m.py", source)
    facts = load_module("m.py", source.encode(), load_knowledge()).facts
    assert (outline.classes["Kind"].literals, facts.classes["Kind"].literals) == (3, 3)
    assert disagreements(outline, facts) == []
    # a one-line class body is a class body too, for its members and its lists of strings
    source = 'class Tiny: X = 1; names = ["a", "b"]\n'
    outline = outline_module("m.py", source)
    facts = load_module("m.py", source.encode(), load_knowledge()).facts
    assert (outline.classes["Tiny"].literals, facts.classes["Tiny"].literals) == (1, 1)
    assert facts.classes["Tiny"].string_lists == (("names", ("a", "b")),)
    assert disagreements(outline, facts) == []


def test_the_outline_names_the_decorated_functions_a_plain_call_may_send():
    """Calling a Huey task sends it: a plain call of a function of a module not parsed is looked
    at closer only when the outline says the function has a decorator (methods aside)."""
    source = (
        "from huey import RedisHuey\n\n"
        "huey = RedisHuey('app')\n\n\n"
        "@huey.task()\n"
        "def refresh(user_id):\n"
        "    return user_id\n\n\n"
        "def helper(user_id):\n"
        "    return refresh(user_id)\n\n\n"
        "if huey:\n"
        "    @huey.periodic_task(None)\n"
        "    def sweep():\n"
        "        return None\n\n\n"
        "class Jobs:\n"
        "    @staticmethod\n"
        "    def run():\n"
        "        return None\n"
    )
    assert _outline_agreeing_with_facts(source).decorated == {"refresh", "sweep"}
