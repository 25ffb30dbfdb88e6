"""A function read alone (module_loading.PartialModule) has the facts a whole parse gives it,
or the module is read whole: the partial read is a shortcut, never a different answer."""

from __future__ import annotations

import pytest

from worker_audit.knowledge import load_knowledge
from worker_audit.module_loading import PartialModule, load_module

MODULE = '''\
import os
from rq import Queue

if os.environ.get("FAST"):
    import posixpath as path
elif os.name == "nt":
    import ntpath as path

queue = Queue("reports")


class Report(
    object,
):
    """A report."""

    @classmethod
    def build(cls, ids):
        for i in ids:
            queue.enqueue(render, i)
        return path.join("a", "b")

    @property
    def title(self):
        return [row.strip() for row in self.rows if row]


def render(i):
    while True:
        os.remove(path.join("/tmp", str(i)))
        break


class Tiny: x = 1


def outer():
    def inner():
        return os.getcwd()

    return inner


def notify(user):
    if user.email:
        os.system("mail")
    else:
        os.system("log")


class Container(dict):
    @classmethod
    def coerce(cls, value):
        if isinstance(value, dict):
            return cls(value)
        else:
            return value

    def __init__(self, config):
        self.config = config


def first_try():
    try:
        os.remove("/tmp/a")
    except OSError:
        pass


def second_try():
    try:
        os.remove("/tmp/b")
    except OSError:
        return None
    return True


NAME_FIELD = "name"
RETRIES = 3
HOOKS_OFF = True


def save(session, org, **changes):
    for attr, value in changes.items():
        if attr == NAME_FIELD:
            session.flush()
        setattr(org, attr, value)
    for _ in range(RETRIES):
        session.commit()


def switched(urls):
    print(urls)
    if HOOKS_OFF:
        return
    for url in urls:
        requests.post(url)
'''


def _whole_and_alone(text: str, qualname: str, newline: str = "\n"):
    data = text.replace("\n", newline).encode()
    knowledge = load_knowledge()
    whole = load_module("m.py", data, knowledge).facts.functions.get(qualname)
    alone = PartialModule("m.py", data).function(qualname, knowledge)
    return whole, alone


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(
    "qualname",
    ["Report.build", "Report.title", "render", "notify", "Container.coerce", "second_try", "save", "switched"],
)
def test_a_function_read_alone_has_the_facts_of_the_whole_parse(qualname, newline):
    # `notify`'s calls are in the arms of an `if`, after the module's own `if` / `elif`;
    # `Container.coerce` is read with the `__init__` after it, past a blank line that a whole
    # parse gives to `__init__`: its `if`'s last line is that of `return value` all the same;
    # `second_try`'s `try` is its first, whatever `first_try` holds; `save` reads the module's
    # constants (`attr == NAME_FIELD` runs once, `range(RETRIES)` a few rounds) as a whole parse;
    # `switched` leaves under `if HOOKS_OFF:` (True), so its loop is not read, alone or whole
    whole, alone = _whole_and_alone(MODULE, qualname, newline)
    assert whole is not None and whole.calls  # a function with calls, loops or comprehensions, decorators
    assert alone is not None and alone.facts.functions[qualname] == whole


def test_loop_ids_and_lines_are_those_of_the_whole_module():
    whole, alone = _whole_and_alone(MODULE, "Report.build")
    enqueue = next(c for c in alone.facts.functions["Report.build"].calls if "enqueue" in c.text)
    assert (enqueue.span.line, enqueue.loop) == (20, (19 << 20) | 9)
    assert enqueue.target == ("@", "queue.enqueue")  # the module's names, from its outline
    join = next(c for c in whole.calls if "join" in c.text)
    assert join.target == ("", "ntpath.join")  # if/elif: the last binding in source order


@pytest.mark.parametrize(
    ("text", "qualname"),
    [
        (MODULE, "outer.inner"),  # nested in a function
        (MODULE, "Tiny"),  # a class, not a function
        (MODULE, "missing"),
        ("def f():\n    return 1\n\n\nif True:\n    def f():\n        return 2\n", "f"),  # defined twice
        ("def f():\n    return 1\n        # a comment libcst may keep in f\n", "f"),
        ("def f():\n    for i in x:\n        g(i)\n        \ndef h():\n    pass\n", "f"),  # a line of spaces
        ("def f(:\n", "f"),  # a syntax error: the whole parse reports it
        # a class constant read by the class's name: its body, left out, says how many items
        ("class C:\n    SKUS = ['a', 'b']\n\n    def f(self):\n        for s in C.SKUS:\n            g(s)\n", "C.f"),
    ],
)
def test_what_is_not_plainly_one_function_is_read_whole(text, qualname):
    assert PartialModule("m.py", text.encode()).function(qualname, load_knowledge()) is None


def test_a_module_whose_whole_read_fails_still_gives_its_functions_alone(tmp_path):
    # utils.py is nested too deep for libcst at its end: following `@deco` reads it whole,
    # which fails; `send_all`, reached from another handler afterwards, is still read alone
    from dataclasses import replace

    from worker_audit.engine import run_check
    from worker_audit.settings import load_settings

    deep = "X = " + " and ".join(["1"] * 1200) + "\n"
    (tmp_path / "utils.py").write_text(
        "import requests\n\n\ndef deco(func):\n    def wrapper(*args):\n        return func(*args)\n\n"
        "    return wrapper\n\n\ndef send_all(urls):\n    for url in urls:\n        requests.get(url)\n\n\n" + deep
    )
    (tmp_path / "b.py").write_text(
        "from flask import Flask\n\nfrom utils import deco\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/b')\n@deco\ndef b():\n    return ''\n"
    )
    (tmp_path / "z.py").write_text(
        "from flask import Flask\n\nfrom utils import send_all\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/a')\ndef a():\n    send_all(sorted(app.config))\n    return ''\n"
    )
    settings = replace(load_settings([tmp_path]), cache_dir="", jobs=1)
    found = run_check([tmp_path], settings).findings
    assert [(f.path.rsplit("/", 1)[-1], f.line, f.code) for f in found] == [("z.py", 10, "WA104")]


def test_a_function_read_alone_reads_the_module_constants_as_the_whole_parse():
    """The flush under `attr == NAME_FIELD` runs once per call, not once per key, and the
    commits of `range(RETRIES)` a few fixed rounds: both outside any loop, read alone too."""
    whole, alone = _whole_and_alone(MODULE, "save")
    assert whole is not None and alone is not None
    loops = {call.text: call.loop for call in alone.facts.functions["save"].calls}
    assert loops["session.flush()"] == 0 and loops["session.commit()"] == 0
