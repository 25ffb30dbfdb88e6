"""What the fuzzing generates and what it asserts, shared by `tests/test_fuzz.py`
(bounded, derandomized, in CI) and `scripts/fuzz.py` (as long as you give it).

A `Program` is a small project: a folder of fixtures copied as it is (or none)
plus files written over it. `check_properties` runs it in a fresh temporary
folder through the real CLI and raises `PropertyFailure` naming the property
that broke:

- `no-crash`: `check` exits 0 or 1, prints no traceback and no internal error;
- `fix-parses`: every file `fix --unsafe-fixes` writes parses (`ast.parse`) and,
  when the input compiled, compiles;
- `fix-keeps-code`: a file no fix edit names is byte-identical after `fix`, no
  file disappears, no function or class name disappears, and a second `fix`
  changes nothing;
- `deterministic`: two `check` runs on the same input give the same findings in
  the same order (the CLI's JSON and the API's, fix edits included).
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import hashlib
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import hypothesmith
from click.testing import CliRunner
from hypothesis import strategies as st

from worker_audit import fixes
from worker_audit.cli import main
from worker_audit.engine import run_check
from worker_audit.reporters.json_report import render_json
from worker_audit.rule_selection import selected_codes
from worker_audit.settings import load_settings

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
REGRESSIONS = FIXTURES / "fuzz_regressions"
HEADER = b"# fuzz-regression:"
PROPERTIES = ("no-crash", "fix-parses", "fix-keeps-code", "deterministic")


class PropertyFailure(AssertionError):
    def __init__(self, prop: str, detail: str):
        assert prop in PROPERTIES, prop
        super().__init__(f"{prop}: {detail}")
        self.prop = prop
        self.detail = detail


@dataclass(frozen=True)
class Program:
    """`base` (a folder relative to the repository, copied first, or "") and the files written over it."""

    files: dict[str, bytes]
    base: str = ""
    origin: str = field(default="", compare=False)  # which strategy made it, for counting

    @property
    def focus(self) -> str:
        """The one file the generator wrote (what a regression fixture keeps)."""
        (name,) = self.files
        return name


# --- generated programs ------------------------------------------------------

# Fuzzed files live here, so that a handler module's name does not decide anything.
APP = "app.py"


def hypothesmith_programs() -> st.SearchStrategy[Program]:
    """Valid Python from hypothesmith's grammar and CST-node generators."""
    source = st.one_of(hypothesmith.from_grammar(), hypothesmith.from_node())
    return source.map(lambda text: Program({APP: text.encode("utf-8", "surrogatepass")}, origin="hypothesmith"))


FRAMEWORKS = {
    "flask": [
        (
            "from flask import Flask, Blueprint, request, jsonify\n"
            "app = Flask(__name__)\n"
            "bp = Blueprint('admin', __name__)"
        ),
        (
            "from flask import Flask as F, Blueprint as BP, request, jsonify\n"
            "app = F(__name__)\n"
            "bp = BP('admin', __name__)"
        ),
        (
            "import flask\n"
            "from flask import request, jsonify\n"
            "app = flask.Flask(__name__)\n"
            "bp = flask.Blueprint('a', __name__)"
        ),
    ],
    "fastapi": [
        "from fastapi import FastAPI, APIRouter, BackgroundTasks\napp = FastAPI()\nrouter = APIRouter(prefix='/items')",
        "import fastapi\napp = fastapi.FastAPI()\nrouter = fastapi.APIRouter()",
    ],
}

# Each line is kept most of the time: names resolve, so the rules fire, and sometimes one is missing.
PRELUDE = [
    "import threading",
    "import threading as th",
    "from threading import Thread",
    "from threading import Thread as T",
    "from rq import Queue",
    "import rq",
    "from redis import Redis",
    "from sqlalchemy import delete, update, text",
    "from flask_sqlalchemy import SQLAlchemy",
    "from concurrent.futures import ThreadPoolExecutor",
    "import queue",
    "import requests",
    "import time",
    "import smtplib",
    "import asyncio",
    "from flask.views import MethodView",
    "db = SQLAlchemy(app)",
    'q = Queue("reports", connection=Redis())',
    'q = rq.Queue("default")',
    "pool = ThreadPoolExecutor(max_workers=4)",
    "work_queue = queue.Queue()",
    "lock = threading.Lock()",
    "class Lead(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    owner_id = db.Column(db.Integer)",
    (
        "class BackgroundJob(db.Model):\n"
        "    id = db.Column(db.Integer, primary_key=True)\n"
        "    status = db.Column(db.String)"
    ),
    "def work(ids):\n    for i in ids:\n        Lead.query.get(i).save()",
    (
        "def notify(address):\n"
        "    with smtplib.SMTP('mail.example.com') as s:\n"
        "        s.sendmail('a@b.c', [address], 'hi')"
    ),
    "def purge(ids):\n    Lead.query.filter(Lead.id.in_(ids)).delete()\n    db.session.commit()",
    (
        "def consume():\n"
        "    while True:\n"
        "        work(work_queue.get())\n"
        "\n"
        "threading.Thread(target=consume, daemon=True).start()"
    ),
    "def get_queue(name='default'):\n    return Queue(name, connection=Redis())",
    (
        "class Owned:\n"
        "    @classmethod\n"
        "    def get_by_id(cls, i):\n"
        "        query = cls.query.filter(cls.id == i)\n"
        "        return query.one()"
    ),
    "from sqlmodel import col",
    (
        "def serialized(func):\n"
        "    def wrapper(*args, **kwargs):\n"
        "        while True:\n"
        "            try:\n"
        "                result = func(*args, **kwargs)\n"
        "                db.session.commit()\n"
        "                return result\n"
        "            except Exception:\n"
        "                time.sleep(1)\n"
        "    return wrapper"
    ),
    (
        "def retry(times):\n"
        "    def decorate(func):\n"
        "        def wrapper(*args):\n"
        "            for attempt in range(times):\n"
        "                purge(args)\n"
        "            return func(*args)\n"
        "        return wrapper\n"
        "    return decorate"
    ),
]

WORK = [
    "Lead.query.filter(Lead.id.in_(ids)).delete()",
    "Lead.query.filter(Lead.id.in_(ids)).delete(synchronize_session=False)",
    "Lead.query.filter_by(owner_id=owner).update({'status': 'x'})",
    "db.session.execute(delete(Lead).where(Lead.id.in_(ids)))",
    "db.session.execute(update(Lead).where(Lead.owner_id == owner).values(a=1))",
    "db.session.execute(text('DELETE FROM leads WHERE owner_id = :o'), {'o': owner})",
    "db.session.bulk_save_objects(rows)",
    "db.session.add_all(rows)",
    "db.session.commit()",
    "threading.Thread(target=work, args=(ids,)).start()",
    "th.Thread(target=work, args=(ids,), daemon=True).start()",
    "Thread(target=purge, kwargs={'ids': ids}).start()",
    "t = T(target=work, args=(ids,))\nt.start()",
    "th.Timer(5.0, work, args=(ids,)).start()",
    "pool.submit(work, ids)",
    "work_queue.put(ids)",
    'Queue("reports").enqueue(work, ids)',
    "q.enqueue(work, ids)",
    'q.enqueue(work, ids, job_timeout="1h")',
    "job = q.enqueue(purge, ids)",
    "for lead in leads:\n    lead.save()",
    "for row in rows:\n    db.session.add(row)\n    db.session.commit()",
    "for address in ids:\n    notify(address)",
    "for x in ids:\n    requests.post('https://x.example.com', json=x)",
    "time.sleep(3)",
    "requests.get('https://x.example.com', timeout=3)",
    "purge(ids)",
    "work(ids)",
    "asyncio.create_task(notify(owner))",
    "background_tasks.add_task(notify, owner)",
    "ids = request.get_json()['ids']",
    "leads = Lead.query.filter(Lead.id.in_(ids)).all()",
    "pass",
    "...",
    "x = [Lead.query.get(i) for i in ids]",
    "# worker-audit: ignore[WA101]",
    "q.enqueue(work, ids)  # worker-audit: ignore[WA301]",
    "Lead.query.filter(Lead.id.in_(ids)).delete()  # worker-audit: ignore",
    "for lead in leads:\n    lead.status = 'x'\n    db.session.commit()\n    q.enqueue(work, lead.id)",
    "get_queue('low').enqueue(work, ids)",
    "Owned.get_by_id(owner).delete()",
    "statement = delete(Lead).where(col(Lead.owner_id) == owner)\nsession.exec(statement)",
    "serializer = LeadSerializer(data=rows, many=True)\nserializer.save()",
    "for status in ('sent', 'read'):\n    db.session.commit()",
    "while ids:\n    try:\n        db.session.commit()\n        return\n    except Exception:\n        time.sleep(1)",
]

RETURNS = [
    'return jsonify({"ok": True})',
    'return {"ok": True}, 202',
    'return jsonify({"job_id": job.id}), 202',
    'return "", 204',
    "return",
    "",
]

DECORATORS = {
    "flask": [
        '@app.route("/p{n}", methods=["POST"])',
        '@app.route("/p{n}")',
        '@app.post("/p{n}")',
        '@bp.post("/p{n}")',
        '@bp.route("/p{n}", methods=["DELETE", "POST"])',
    ],
    "fastapi": ['@app.post("/p{n}")', '@router.delete("/p{n}")', '@router.post("/{{owner}}/p{n}")'],
    "any": [
        "@staticmethod",
        "@login_required",
        "@app.before_request",
        "@functools.wraps(work)",
        "@serialized",
        "@retry(3)",
    ],
}

NAMES = ["bulk_delete", "handler", "work", "purge", "export", "index", "post", "delete"]


def _indent(block: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in block.split("\n"))


@st.composite
def _body(draw, depth: int = 0) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9)) if depth < 2 else 0
        if kind <= 6:
            lines.append(draw(st.sampled_from(WORK)))
        elif kind == 7:
            lines.append("if ids:\n" + _indent(draw(_body(depth + 1)), "    "))
        elif kind == 8:
            lines.append("try:\n" + _indent(draw(_body(depth + 1)), "    ") + "\nexcept Exception:\n    pass")
        else:
            lines.append("with lock:\n" + _indent(draw(_body(depth + 1)), "    "))
    return "\n".join(lines)


@st.composite
def _function(draw, n: int, framework: str) -> str:
    decorators = [draw(st.sampled_from(DECORATORS[framework]))] if draw(st.integers(0, 4)) else []
    if not draw(st.integers(0, 5)):
        decorators.insert(draw(st.integers(0, len(decorators))), draw(st.sampled_from(DECORATORS["any"])))
    name = draw(st.sampled_from(NAMES)) + draw(st.sampled_from(["", str(n)]))
    prefix = draw(st.sampled_from(["def", "def", "async def"]))
    params = draw(st.sampled_from(["", "ids", "owner", "ids, owner=None", "owner: int, background_tasks"]))
    body = draw(_body())
    tail = draw(st.sampled_from(RETURNS))
    text = "\n".join(d.format(n=n) for d in decorators)
    text += ("\n" if decorators else "") + f"{prefix} {name}({params}):\n" + _indent(body, "    ")
    if tail:
        text += "\n    " + tail
    return text


@st.composite
def _class(draw, n: int, framework: str) -> str:
    base = draw(st.sampled_from(["MethodView", "object", "db.Model", ""]))
    methods = [draw(_function(n * 10 + i, framework)) for i in range(draw(st.integers(1, 2)))]
    methods = [m.replace("(", "(self, ", 1).replace("(self, )", "(self)") for m in methods]
    text = f"class View{n}({base}):\n" + "\n\n".join(_indent(m, "    ") for m in methods)
    if draw(st.booleans()):
        text += f'\n\napp.add_url_rule("/v{n}", view_func=View{n}.as_view("v{n}"))'
    return text


@st.composite
def snippet_programs(draw) -> Program:
    """Realistic Flask/FastAPI modules built from the shapes the rules look for,
    so that findings and fixes actually happen."""
    framework = draw(st.sampled_from(sorted(FRAMEWORKS)))
    parts = [draw(st.sampled_from(FRAMEWORKS[framework]))]
    parts += [line for line in PRELUDE if draw(st.integers(0, 7))]
    for n in range(draw(st.integers(1, 4))):
        parts.append(draw(_class(n, framework)) if draw(st.integers(0, 4)) == 0 else draw(_function(n, framework)))
    if not draw(st.integers(0, 5)):
        parts = draw(st.permutations(parts))
    separator = draw(st.sampled_from(["\n\n\n", "\n\n", "\n"]))
    text = separator.join(parts) + draw(st.sampled_from(["\n", "", "\n\n"]))
    indent = draw(st.sampled_from(["    ", "    ", "  ", "\t"]))
    if indent != "    ":
        text = "\n".join(_reindent(line, indent) for line in text.split("\n"))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return Program({APP: text.replace("\n", newline).encode()}, origin="snippets")


def _reindent(line: str, unit: str) -> str:
    stripped = line.lstrip(" ")
    levels = (len(line) - len(stripped)) // 4
    return unit * levels + stripped


def mixed_programs() -> st.SearchStrategy[Program]:
    """A snippet module with a hypothesmith module after it: odd code around realistic handlers."""
    return st.tuples(snippet_programs(), hypothesmith_programs()).map(
        lambda pair: Program({APP: pair[0].files[APP] + b"\n" + pair[1].files[APP]}, origin="mixed")
    )


# --- mutations of the fixture files ------------------------------------------


@functools.cache
def fixture_files() -> tuple[Path, ...]:
    return tuple(sorted(p for p in FIXTURES.rglob("*.py") if REGRESSIONS not in p.parents))


@functools.cache
def fixture_cases() -> dict[Path, tuple[Path, ...]]:
    """Each case folder and its Python files."""
    cases: dict[Path, tuple[Path, ...]] = {}
    for path in fixture_files():
        cases[case_root(path)] = (*cases.get(case_root(path), ()), path)
    return cases


def case_root(path: Path) -> Path:
    """The folder a fixture file belongs to: fixtures/cases/<case>, or fixtures/<tree>."""
    relative = path.relative_to(FIXTURES).parts
    return FIXTURES.joinpath(*relative[:2]) if relative[0] == "cases" else FIXTURES / relative[0]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _mutate(data: bytes, op: str, a: int, b: int) -> bytes:
    lines = _lines(data)
    if op == "flip" and data:
        i = a % len(data)
        return data[:i] + bytes([data[i] ^ (1 << (b % 8))]) + data[i + 1 :]
    if op == "truncate":
        return data[: a % (len(data) + 1)]
    if op.startswith("insert-"):
        what = {"insert-nul": b"\0", "insert-bom": b"\xef\xbb\xbf", "insert-cr": b"\r", "insert-ff": b"\x0c"}[op]
        i = a % (len(data) + 1)
        return data[:i] + what + data[i:]
    if not lines:
        return data
    i, j = a % len(lines), b % len(lines)
    if op == "delete-line":
        del lines[i]
    elif op == "duplicate-line":
        lines.insert(i, lines[i])
    elif op == "swap-lines":
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "indent":
        lines[i] = [b" ", b"    ", b"\t", b"  \t"][b % 4] + lines[i]
    elif op == "dedent":
        lines[i] = lines[i][min(b % 5 + 1, len(lines[i]) - len(lines[i].lstrip(b" \t"))) :]
    return b"".join(lines)


MUTATIONS = [
    "flip",
    "truncate",
    "insert-nul",
    "insert-bom",
    "insert-cr",
    "insert-ff",
    "delete-line",
    "duplicate-line",
    "swap-lines",
    "indent",
    "dedent",
]


@st.composite
def mutated_fixtures(draw, only: tuple[str, ...] = ()) -> Program:
    """One fixture file mutated in a copy of its case (the other files of the case as they are).
    The case is drawn first, so the two big trees (seed_app, seed_app_fixed) are not half of the runs.
    `only`: the cases to draw from (`"seed_app"`, `"cases/job_standard"`), else every case."""
    roots = sorted(r for r in fixture_cases() if not only or r.relative_to(FIXTURES).as_posix() in only)
    root = draw(st.sampled_from(roots))
    path = draw(st.sampled_from(fixture_cases()[root]))
    data = path.read_bytes()
    ops = draw(
        st.lists(
            st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 1 << 20), st.integers(0, 1 << 20)),
            min_size=1,
            max_size=4,
        )
    )
    for op, a, b in ops:
        data = _mutate(data, op, a, b)
    return Program(
        {path.relative_to(root).as_posix(): data}, base=root.relative_to(REPO).as_posix(), origin="mutations"
    )


def any_program() -> st.SearchStrategy[Program]:
    return st.one_of(snippet_programs(), mutated_fixtures(), hypothesmith_programs(), mixed_programs())


# --- the properties ----------------------------------------------------------


@contextlib.contextmanager
def _inside(folder: Path):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".worker_audit_cache" not in p.parts
    }


@contextlib.contextmanager
def _edits_planned():
    """The files named by the fix edits of every round of a `fix` (later rounds see new findings)."""
    planned: set[str] = set()
    original = fixes.plan_round

    def plan_round(findings, *args, **kwargs):
        planned.update(edit.path for finding in findings if finding.fix for edit in finding.fix.edits)
        return original(findings, *args, **kwargs)

    fixes.plan_round = plan_round
    try:
        yield planned
    finally:
        fixes.plan_round = original


def _relative(path: str, root: Path) -> str:
    """An edit's path (absolute, or relative to the current directory) as `_snapshot` names it."""
    return Path(os.path.relpath(Path(path).resolve(), root.resolve())).as_posix()


def _parses(data: bytes, name: str, compile_too: bool) -> str | None:
    """Why `data` does not parse (or compile), or None."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(data, name)
            if compile_too:
                compile(tree, name, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            return f"{type(exc).__name__}: {exc}"
    return None


def _compiles(data: bytes) -> bool:
    return _parses(data, "<input>", True) is None


def _defined_names(data: bytes) -> set[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return set()
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {node.name for node in ast.walk(tree) if isinstance(node, kinds)}


def _cli(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    output = result.stdout + result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise PropertyFailure(
            "no-crash", f"`{' '.join(args)}` raised {type(result.exception).__name__}: {result.exception}"
        )
    if result.exit_code not in (0, 1) or "Traceback" in output or "internal error" in output:
        raise PropertyFailure("no-crash", f"`{' '.join(args)}` exited {result.exit_code}: {output.strip()[-400:]}")
    return result


def _api_findings():
    settings = dataclasses.replace(load_settings([Path(".")]), cache_dir="")
    result = run_check([Path(".")], settings, selected_codes(("ALL",), settings.ignore))
    if result.internal_errors:
        raise PropertyFailure("no-crash", f"internal errors: {result.messages}")
    return result.findings


def check_properties(program: Program) -> Outcome:
    """Raise PropertyFailure when a property does not hold for `program`."""
    with tempfile.TemporaryDirectory(prefix="worker-audit-fuzz-") as folder:
        root = Path(folder) / "project"
        if program.base:
            shutil.copytree(REPO / program.base, root)
        else:
            root.mkdir()
        for name, data in program.files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        with _inside(root):
            return _check_in_cwd(root)


@dataclass(frozen=True)
class Outcome:
    """What a program exercised: findings, fixable findings and files the fix changed."""

    findings: int
    fixable: int
    files_fixed: int


def _check_in_cwd(root: Path) -> Outcome:
    # no-crash and deterministic: the CLI's JSON, then the API's findings rendered the same way
    first = _cli("check", ".", "--format", "json", "--no-cache", "--select", "ALL", "-q")
    findings = _api_findings()
    if render_json(findings) != first.stdout:
        raise PropertyFailure("deterministic", "two check runs on the same input gave different findings")

    # fix-parses and fix-keeps-code
    before = _snapshot(root)
    with _edits_planned() as planned:
        _cli("fix", ".", "--unsafe-fixes", "--no-cache", "--select", "ALL", "-q")
    after = _snapshot(root)
    intended = {_relative(path, root) for path in planned}
    for name in sorted(set(before) - set(after)):
        raise PropertyFailure("fix-keeps-code", f"fix removed {name}")
    for name, data in sorted(after.items()):
        if before.get(name) == data:
            continue
        if name in before and name not in intended:
            raise PropertyFailure("fix-keeps-code", f"fix changed {name}, which no fix edit names")
        if name.endswith(".py"):
            problem = _parses(data, name, compile_too=name not in before or _compiles(before[name]))
            if problem is not None:
                raise PropertyFailure("fix-parses", f"fix wrote {name}, which does not parse: {problem}")
    lost = set().union(*map(_defined_names, before.values())) - set().union(*map(_defined_names, after.values()))
    if lost:
        raise PropertyFailure("fix-keeps-code", f"fix lost the definitions of {sorted(lost)}")
    _cli("fix", ".", "--unsafe-fixes", "--no-cache", "--select", "ALL", "-q")
    again = _snapshot(root)
    for name in sorted(set(after) | set(again)):
        if after.get(name) != again.get(name):
            raise PropertyFailure("fix-keeps-code", f"a second fix changed {name}: the fix is not idempotent")
    changed = sum(1 for name, data in after.items() if before.get(name) != data)
    return Outcome(len(findings), sum(1 for f in findings if f.fix and f.fix.edits), changed)


# --- regression fixtures -----------------------------------------------------


def regression_text(program: Program, failure: PropertyFailure) -> bytes:
    """A regression fixture: header lines (stripped on replay), then the input's exact bytes."""
    detail = " ".join(failure.detail.split())[:200]
    header = [f"property={failure.prop}", f"detail={detail}"]
    if program.base:
        header.append(f"context={program.base}/{program.focus}")
    return (
        b"".join(HEADER + b" " + line.encode("utf-8", "backslashreplace") + b"\n" for line in header)
        + (program.files[program.focus])
    )


def save_regression(program: Program, failure: PropertyFailure, folder: Path = REGRESSIONS) -> Path:
    data = regression_text(program, failure)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(program.files[program.focus]).hexdigest()[:12]}.py"
    if not path.exists():
        path.write_bytes(data)
    return path


def load_regression(path: Path) -> tuple[Program, dict[str, str]]:
    """The program a regression fixture holds, and its header fields."""
    data = path.read_bytes()
    fields = {}
    while data.startswith(HEADER):
        line, _, data = data.partition(b"\n")
        key, _, value = line[len(HEADER) :].strip().decode("utf-8").partition("=")
        fields[key] = value
    context = fields.get("context", "")
    if context:
        base, _, focus = context.partition("/")
        case = Path(context)
        for depth in range(1, len(case.parts)):  # the context names the case folder and the file in it
            if case_root(REPO / case) == REPO.joinpath(*case.parts[:depth]):
                base, focus = Path(*case.parts[:depth]).as_posix(), Path(*case.parts[depth:]).as_posix()
                break
        return Program({focus: data}, base=base, origin="regression"), fields
    return Program({APP: data}, origin="regression"), fields
