"""Which queues the code produces to, and which queues workers consume.

Producers are enqueue calls (`Queue("x").enqueue(f)`, `queue.enqueue_call(...)`),
`@job("x")` decorators and `.delay()` calls on them; each names its queue
where the `Queue(...)` or `@job(...)` is written. A name that cannot be known
statically (a parameter, a dict lookup, a value from the database) is dynamic:
it is recorded, never guessed, and never reported as a mismatch.

Consumers are workers: compose services (`rq worker a b` commands, the queue
environment variable, a service running the worker module), Procfile lines,
and the worker module's own default (`os.getenv("RQ_QUEUES", "a,b")`) or
`Worker([...])` list.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from worker_audit.compose import (
    Service,
    Setting,
    dockerfile_base_image,
    dockerfile_command,
    dockerfile_copies,
    dockerfile_entrypoint,
    read_text,
)
from worker_audit.discovery import DEFAULT_EXCLUDED_DIRS
from worker_audit.facts import (
    STRING_ANCHOR,
    ArgFact,
    Binding,
    CallFact,
    FunctionFact,
    ModuleFacts,
    Ref,
    argument,
    given_argument,
    never_sent,
)
from worker_audit.finding import Span
from worker_audit.knowledge import Knowledge, NamePatterns, TaskSystem, WorkerCommand
from worker_audit.project import ProjectIndex
from worker_audit.worker_commands import ProcfileEntry, WorkerLine, parse_worker_command

GETENV = NamePatterns(["os.getenv", "os.environ.get", "os.environ.setdefault"])


@dataclass(frozen=True)
class Producer:
    queue: str | None  # None: dynamic
    path: str  # where the queue is named: the Queue(...) or @job(...)
    span: Span
    site_path: str  # the enqueue call (or the decorator)
    site_span: Span
    function: str  # qualname of the function holding the enqueue call
    job: tuple[str, str] | None  # (path, qualname) of the enqueued function
    has_timeout: bool | None  # None: a task system (Celery, Dramatiq) that gives no job RQ's default timeout
    how: str  # "Queue('maintenance')", "@job('high')"
    call: CallFact | None = None  # the enqueue call
    # `send_report.delay(...)` of an RQ `@job`: the decorator names its queue and its timeout
    delayed: bool = False
    # `launch(recount)` with `def launch(func): queue.enqueue(func)`: the enqueue call of the
    # helper that was given the job, as (path, span, qualname of the helper); the producer's
    # site is the call that names the job
    via: tuple[str, Span, str] | None = None


# a Forwarder's method when the function calls the parameter itself (`f(*args)`)
CALLED = "()"


def _named_task(name: str, tasks: set[str]) -> bool:
    """`send_mail` or `tasks.send_mail.delay`: a name that names one of these tasks."""
    parts = name.split(".")
    return parts[-1] in tasks or len(parts) > 1 and parts[-2] in tasks


@dataclass(frozen=True)
class Forwarder:
    """A function that enqueues what a caller gives one of its parameters: `queue.enqueue(func)`
    (`made`: that producer, without its job) or `func.delay(...)` (`method`: "delay")."""

    parameter: str
    path: str
    call: CallFact
    function: str
    made: Producer | None = None
    method: str = ""


@dataclass(frozen=True)
class Consumer:
    kind: str  # compose | procfile | python-default | python-worker
    path: str
    line: int
    label: str  # "service `worker`"
    queues: tuple[str, ...] | None  # None: not static
    module: str | None = None  # the worker module (file path) it runs, when known
    overridden: bool = False  # a python default that the deployment replaces with its own value
    column: int = 1
    open_ended: bool = False  # serves `queues` and possibly more (a setting extended at run time)
    # serves every queue its tasks declare (`dramatiq app.tasks`): no list of its own that can drift
    follows_tasks: bool = False
    value_span: Span | None = None  # where the queue list is written, when a fix can edit it there
    # the deployment file (compose file, Procfile, ...) that starts it, when that is not `path`:
    # the worker line is in a shell script, a Dockerfile or an env file it reads
    declared_in: str = ""
    configured_in: str | None = None  # the setting that must configure each queue it serves (RQ_QUEUES)

    @property
    def span(self) -> Span:
        return Span(self.line, self.column, self.line, self.column)


def _shell_lines(text: str) -> list[tuple[int, str]]:
    """A shell script's command lines, each with the line it starts on: a line ending in a
    backslash goes on to the next, and so does one that leaves a quote open (an `echo` of a
    help text of several lines, up to its closing quote: one command); the body of a here-document
    (`python3 << END` to `END`) is its program's input, no command; blank lines and comments
    are left out."""
    found: list[tuple[int, str]] = []
    pending, start, joined = "", 0, 0
    here_end: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if here_end is not None:
            if raw.strip() == here_end:
                here_end = None
            continue
        if not pending and (not raw.strip() or raw.strip().startswith("#")):
            continue
        start = start if pending else number
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        line = pending + raw
        if joined < _MAX_QUOTED_LINES and _open_quote(line):
            pending, joined = line + "\n", joined + 1
            continue
        found.append((start, line))
        pending, joined = "", 0
        heredoc = _HEREDOC.search(line)
        here_end = heredoc.group("end") if heredoc is not None else None
    if pending:
        found.append((start, pending))
    return found


# `cat << EOF`, `<<-'END'`, `<<"END"`: the lines up to the one that is the word alone
_HEREDOC = re.compile(r"<<-?\s*(?P<quote>['\"]?)(?P<end>[A-Za-z_]\w*)(?P=quote)")
# how many lines a quote left open may span before the line is read as it is
_MAX_QUOTED_LINES = 200


def _open_quote(line: str) -> bool:
    """Whether a shell line leaves a quote open (shlex finds no closing quotation)."""
    try:
        shlex.split(line, comments=True, posix=True)
    except ValueError:
        return True
    return False


# `$1`, `${1}`, or `${1:-api}` / `${1-api}`: the first argument, `api` when it is not given
_FIRST_ARGUMENT = r"\"?\$(?:1|\{1(?::?-(?P<default>[^}]*))?\})\"?"
_CASE_START = re.compile(r"^case\s+" + _FIRST_ARGUMENT + r"\s+in$")
_CASE_ARM = re.compile(r"^\(?([^()]*?)\)\s*(.*)$")
_IF_FIRST = re.compile(
    r"^(?P<keyword>if|elif)\s+\[\[?\s+"
    + _FIRST_ARGUMENT
    + r"\s+==?\s+[\"']?(?P<value>[^\"'\s\]]+)[\"']?\s+\]\]?\s*;?\s*(?:then)?$"
)


def lines_for_argument(lines: list[tuple[int, str]], argument: str) -> list[tuple[int, str]]:
    """The command lines of a script that run when its first argument is `argument`: in a
    `case "$1" in` block, the arms whose patterns match it; of `if [ "$1" = "x" ]`, `elif`
    and `else` on it, the branch it takes. Other lines are kept; other tests are not read."""
    kept: list[tuple[int, str]] = []
    tested = argument  # what the open `case` tests: the argument, or the default it names
    in_case, arm_runs = False, None  # in a `case "$1"` block; in an arm: whether it runs
    arm_taken = False  # the first arm that matches is the only one that runs
    tests: list[list[bool]] = []  # per open `if`: [on "$1", a branch was taken, this branch runs]
    for number, command in lines:
        text = command.strip()
        runs = all(test[2] for test in tests)
        if in_case:
            if text == "esac":
                in_case, arm_runs = False, None
                continue
            if arm_runs is None:
                arm = _CASE_ARM.match(text)
                if arm is None:
                    continue
                patterns = [p.strip().strip("\"'") for p in arm.group(1).split("|")]
                arm_runs = not arm_taken and any(fnmatch.fnmatchcase(tested, p) for p in patterns)
                arm_taken = arm_taken or arm_runs
                text = arm.group(2).strip()
            ends = text.endswith(";;")
            text = text.removesuffix(";;").strip()
            if arm_runs and runs and text:
                kept.append((number, text))
            if ends:
                arm_runs = None
            continue
        test = _IF_FIRST.match(text)
        case = _CASE_START.match(text)
        if case is not None:
            in_case, arm_taken = True, False
            tested = argument or case.group("default") or ""
        elif test is not None and test.group("keyword") == "if":
            taken = (argument or test.group("default") or "") == test.group("value")
            tests.append([True, taken, taken])
        elif test is not None and tests and tests[-1][0]:  # `elif [ "$1" = "y" ]`
            taken = not tests[-1][1] and (argument or test.group("default") or "") == test.group("value")
            tests[-1][1] = tests[-1][1] or taken
            tests[-1][2] = taken
        elif text.split(" ", 1)[0] == "if":
            tests.append([False, False, True])
        elif text in ("else", "else;") and tests and tests[-1][0]:
            tests[-1][2] = not tests[-1][1]
        elif text == "fi" and tests:
            tests.pop()
        elif runs:
            kept.append((number, command))
    return kept


_RUNS_ARGUMENTS = re.compile(r'^\s*(?:exec\s+)?"\$@"\s*$', re.MULTILINE)


def _runs_its_arguments(text: str) -> int | None:
    """The line of a shell script's `exec "$@"` (or `"$@"`): it runs the command it is given."""
    found = _RUNS_ARGUMENTS.search(text)
    return text.count("\n", 0, found.start()) + 1 if found is not None else None


def _files_named(base: Path, name: str) -> list[Path]:
    """Files called `name` below `base`, not looking into vendored or generated folders."""
    found = []
    for folder, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if d not in DEFAULT_EXCLUDED_DIRS and not d.startswith("."))
        if name in filenames:
            found.append(Path(folder) / name)
    return found


def python_module_name(path: str, below: Path | None = None) -> str:
    """`app.worker` for backend/app/worker.py when backend/app is a package: the name Python
    imports. `below`: only the packages inside that folder count (a project root holding a
    stray `__init__.py` is where the code runs from, not a package of its modules)."""
    file = Path(path)
    parts = [] if file.stem == "__init__" else [file.stem]
    folder = file.parent
    while (folder / "__init__.py").is_file() and (below is None or below in folder.parents):
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


_PLAIN_QUEUE_NAME = re.compile(r"[A-Za-z0-9_.:@-]+")


def plain_queue_name(name: str) -> bool:
    """A name a fix may write into a list as it is: in a YAML scalar, a quoted string or a
    Python literal it needs no quoting or escaping (`o'reilly`, `a #b`, `a\\b` would)."""
    return _PLAIN_QUEUE_NAME.fullmatch(name) is not None


def split_queue_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.replace(" ", ",").split(",") if part.strip())


class Topology:
    def __init__(
        self,
        index: ProjectIndex,
        knowledge: Knowledge,
        queue_env_var: str,
        files: Iterable[str] = (),
        read: Callable[[Path], str | None] = read_text,
    ) -> None:
        self.index = index
        self.files = files  # the run's files: where a project's own worker command may be
        self.read = read  # scripts, Dockerfiles and env files, read the way the run reads files
        self.knowledge = knowledge
        self.queue_env_var = queue_env_var
        self.producers: list[Producer] = []
        self.consumers: list[Consumer] = []
        self.modules: list[ModuleFacts] = []
        # worker modules that build a worker from their command line (`sys.argv[1:]`)
        self.argv_workers: set[str] = set()
        self._timeout_keywords = frozenset().union(*(kind.timeout_keywords for kind in knowledge.queue_kinds))
        # (path, qualname) -> what a function enqueues of what its callers give its parameters
        self.forwarders: dict[tuple[str, str], list[Forwarder]] = {}
        self.built_images: set[str] = set()  # the Dockerfiles compose services build (absolute paths)
        # `func.delay()` in a helper, with the job each caller gives: (path, function, call, job, forwarder)
        self.forwarded_delays: list[tuple[str, FunctionFact, CallFact, tuple[str, str], Forwarder]] = []
        # None: several configurations name different defaults
        self.task_defaults: dict[str, str | None] = {s.name: s.default_queue for s in knowledge.task_systems}
        # a task's other name, by the name worker-audit gives it: see `_declared_tasks`
        self._task_aliases: dict[str, str] = {}
        # by task system: the queues its tasks are declared on (None: one is named at run time)
        self.declared_queues: dict[str, set[str] | None] = {}
        # by task system: the queues its tasks are declared on by name
        self.named_task_queues: dict[str, set[str]] = {}
        # task systems whose scheduler a deployment runs (`celery beat`, `celery worker -B`)
        self.schedulers: set[str] = set()

    # -- names ---------------------------------------------------------------

    def _string(self, path: str, arg: ArgFact | None, default: str) -> str | None:
        if arg is None:
            return default
        if arg.text is not None:
            return arg.text
        if arg.ref is not None:
            variable = self.index.resolve_variable(path, arg.ref)
            if variable is not None and variable.binding is not None and variable.binding.kind == "string":
                return variable.binding.value
            if arg.ref[1].endswith(".value"):
                return self._enum_value(path, (arg.ref[0], arg.ref[1].removesuffix(".value")))
        return None

    def _enum_value(self, path: str, member: Ref) -> str | None:
        """`Queues.IMPORT.value` with `class Queues(Enum): IMPORT = "import"` (imported, or read
        from Django's `settings`, where one of the project's modules defines it): "import"."""
        owner, _, name = member[1].rpartition(".")
        if not owner:
            return None
        resolved = self.index.resolve(path, (member[0], owner))
        classes = []
        if resolved.kind == "project" and not resolved.rest:
            classes.append((resolved.path, resolved.dotted))
        elif resolved.kind == "external" and self.knowledge.configuration.matches(resolved.dotted.rpartition(".")[0]):
            # `settings.CVAT_QUEUES`: a class of the project's settings modules (`rules/configuration.yaml`)
            setting = resolved.dotted.rpartition(".")[2]
            # every module read by now (the run's modules are all parsed before the topology is built)
            loaded = sorted(self.index.loaded(), key=lambda facts: facts.path)
            classes.extend((facts.path, setting) for facts in loaded if setting in facts.classes)
        values = set()
        for class_path, qualname in classes:
            outline = self.index.outline(class_path)
            cls = outline.classes.get(qualname) if outline is not None else None
            value = dict(cls.attributes).get(name) if cls is not None else None
            values.add(value[1] if value is not None and value[0] == STRING_ANCHOR else None)
        return values.pop() if len(values) == 1 else None

    def _constructor(self, path: str, function: FunctionFact, call: CallFact):
        """The call that built an enqueue call's receiver: (module path, CallFact); through a
        project function that returns it (`self._get_queue().enqueue(...)`, with `def
        _get_queue(self): return django_rq.get_queue("import")`)."""
        if call.receiver is not None:
            built = function.calls[call.receiver]  # `q = self._get_queue()`, or the queue's own constructor
            return self._returned_by(path, built.target) or (path, built)
        if call.target is None:
            return None
        anchor, dotted = call.target
        receiver = dotted.rpartition(".")[0]
        if receiver.endswith("()"):
            return self._returned_by(path, (anchor, receiver.removesuffix("()")))
        return self._built_at_module_level(path, (anchor, receiver)) if receiver else None

    def _returned_by(self, path: str, called: Ref | None) -> tuple[str, CallFact] | None:
        """The one call a project function returns (`return django_rq.get_queue("import")`):
        (its module path, the call); None for anything else."""
        helper = self.index.resolve_function(path, called) if called is not None else None
        made = [c for c in helper[1].calls if c.handed_back] if helper is not None else []
        return (helper[0], made[0]) if len(made) == 1 else None

    def _built_at_module_level(self, path: str, ref) -> tuple[str, CallFact] | None:
        """The call a module-level name is bound to (`high = Queue("high")`): (module path, call)."""
        variable = self.index.resolve_variable(path, ref)
        if variable is None or variable.binding is None or variable.binding.call is None:
            return None
        facts = self.index.module(variable.path)
        module_code = facts.functions.get("<module>") if facts is not None else None
        if module_code is None or variable.binding.call >= len(module_code.calls):
            return None
        return variable.path, module_code.calls[variable.binding.call]

    def _sent_task(self, path: str, arg: ArgFact | None) -> tuple[tuple[str, str], str] | None:
        """`tasks.purge.delay` given as a value: the task function and its send method."""
        if arg is None or arg.ref is None or arg.ref[1].endswith("()"):
            return None
        resolved = self.index.resolve(path, arg.ref)
        if resolved.kind != "project" or not resolved.rest or not self.knowledge.is_delay_method(resolved.rest):
            return None
        return (resolved.path, resolved.dotted), resolved.rest

    def _job_function(self, path: str, arg: ArgFact | None) -> tuple[str, str] | None:
        if arg is None:
            return None
        if arg.ref is not None:
            found = self.index.resolve_function(path, arg.ref)
            return (found[0], found[1].qualname) if found else None
        if arg.text is not None and "." in arg.text:  # enqueue("jobs.cleanup.run")
            found = self.index.resolve_function(path, ("", arg.text))
            return (found[0], found[1].qualname) if found else None
        return None

    # -- producers -----------------------------------------------------------

    def add_module(self, facts: ModuleFacts) -> None:
        if self.knowledge.is_test_code(facts.path, self.index.root):
            return
        self.modules.append(facts)
        for function in facts.functions.values():
            reads_argv = any(mark.kind == "argv" for mark in function.marks)
            for decorator in function.decorators:
                self._decorator_producer(facts.path, function, decorator)
            for call in function.calls:
                self._call_producer(facts.path, function, call)
                self._python_consumer(facts.path, call, reads_argv)
            self._delay_forwarders(facts.path, function)

    def _decorator_producer(self, path: str, function: FunctionFact, decorator) -> None:
        made = self._job_decorated(path, function, decorator)
        if made is not None:
            self.producers.append(made)

    def _job_decorated(self, path: str, function: FunctionFact, decorator) -> Producer | None:
        """`@job("mail")` on `function` (rq's, or a project subclass of it): the queue it names."""
        resolved = self.index.resolve(path, decorator.target)
        for spec in self.knowledge.job_decorators:
            if self._is_a(resolved, spec.call):
                given = argument(decorator.args, spec.name)
                name = self._string(path, given, spec.default)
                timeout = any(a.keyword in spec.timeout_keywords for a in decorator.args)
                named_at = (path, decorator.span)
                queue = self._queue_object(path, given.ref) if name is None and given and given.ref else None
                if queue is not None:  # `@job(HIGH)` with `HIGH = Queue("high", default_timeout=600)`
                    name, named_at, queue_timeout = queue
                    timeout = timeout or queue_timeout
                shown = f"@job('{name}')" if name else "@job(<dynamic>)"
                job = (path, function.qualname)
                return Producer(name, *named_at, path, decorator.span, function.qualname, job, timeout, shown)
        return None

    def _queue_object(self, path: str, ref) -> tuple[str | None, tuple[str, Span], bool] | None:
        """A module-level name bound to a queue built with a name (`HIGH = Queue("high")`): that
        name, where it is written, and whether the queue gives its jobs a timeout."""
        built = self._built_at_module_level(path, ref)
        if built is None:
            return None
        module, constructor = built
        made = self.index.resolve(module, constructor.target)
        for kind in self.knowledge.queue_kinds:
            if self._builds(made, kind):
                name = self._string(module, argument(constructor.args, kind.name), kind.default)
                timed = any(a.keyword in kind.queue_timeout_keywords for a in constructor.args)
                return name, (module, constructor.span), timed
        return None

    def _call_producer(self, path: str, function: FunctionFact, call: CallFact) -> None:
        resolved = self.index.resolve(path, call.target)
        if self._delay_producer(path, function, call, resolved):
            return
        for kind in self.knowledge.queue_kinds:
            if resolved.kind == "external" and kind.direct.matches(resolved.dotted):
                # django_rq.enqueue(f, ...): the default queue; rq.cron.register(f, queue_name="x"): "x"
                given = argument(call.args, kind.function, kind.function_keywords)
                timeout = any(a.keyword in kind.timeout_keywords for a in call.args) if kind.rq_timeout else None
                named = argument(call.args, kind.direct_queue) if kind.direct_queue is not None else None
                name = self._string(path, named, kind.default)
                shown = f"{resolved.dotted}(): '{name}'" if name is not None else f"{resolved.dotted}(<dynamic>)"
                self._add_producer(
                    Producer(
                        name,
                        path,
                        call.span,
                        path,
                        call.span,
                        function.qualname,
                        self._job_function(path, given),
                        timeout,
                        shown,
                        call,
                    ),
                    given,
                )
                return
        known = resolved.kind == "external" and any(
            kind.enqueue_calls.matches(resolved.dotted) for kind in self.knowledge.queue_kinds
        )
        if not known:
            if resolved.kind != "project" and self.knowledge.is_enqueue_method(call.target):
                # `current_app.task_queue.enqueue(...)`: a queue this audit cannot name
                shown = "a queue this audit cannot resolve"
                self.producers.append(
                    Producer(None, path, call.span, path, call.span, function.qualname, None, False, shown, call)
                )
            return
        for kind in self.knowledge.queue_kinds:
            if not kind.enqueue_calls.matches(resolved.dotted):
                continue
            if never_sent(call, function, kind.sent_by):
                return  # `chain.append(f)` with no `chain.run()`: nothing is enqueued
            built = self._constructor(path, function, call)
            name = None
            queue_timeout = False
            where_path, where_span = path, call.span
            given = argument(call.args, kind.function, kind.function_keywords)
            job = self._job_function(path, given)
            if built is not None:
                module_path, constructor = built
                made = self.index.resolve(module_path, constructor.target)
                if self._builds(made, kind):
                    name = self._string(module_path, argument(constructor.args, kind.name), kind.default)
                    where_path, where_span = module_path, constructor.span
                    queue_timeout = any(a.keyword in kind.queue_timeout_keywords for a in constructor.args)
                    if kind.function_on_constructor:  # `AsyncTask(func, *args).run()`
                        given = argument(constructor.args, kind.function, kind.function_keywords)
                        job = self._job_function(module_path, given)
                        queue_timeout = queue_timeout or any(
                            a.keyword in kind.timeout_keywords for a in constructor.args
                        )
            timeout = queue_timeout or any(a.keyword in kind.timeout_keywords for a in call.args)
            if not kind.rq_timeout:
                timeout = None
            shown = f"Queue('{name}')" if name else "a queue named at run time"
            self._add_producer(
                Producer(name, where_path, where_span, path, call.span, function.qualname, job, timeout, shown, call),
                given,
            )
            return

    def _add_producer(self, made: Producer, given: ArgFact | None) -> None:
        """An enqueue call's producer; when the job is a parameter of the function holding the
        call, that function also forwards to this queue what its callers give it."""
        self.producers.append(made)
        if made.job is None and given is not None and given.parameter is not None and made.call is not None:
            self._forwards(Forwarder(given.parameter, made.site_path, made.call, made.function, made=made))

    def _forwards(self, forwarder: Forwarder) -> None:
        self.forwarders.setdefault((forwarder.path, forwarder.function), []).append(forwarder)

    def _forwarded(self) -> None:
        """`launch(recount)`, with `def launch(func): queue.enqueue(func)` (or `func.delay()`):
        an enqueue of `recount`, from the call that names it. One helper deep: a helper that
        hands its parameter on to another is not followed (nor is it by the reach of handlers)."""
        names = {qualname.rpartition(".")[2] for _, qualname in self.forwarders}
        tasks = self._decorated_names()
        read = {facts.path for facts in self.modules}
        for facts in self.modules:
            for function in facts.functions.values():
                for call in function.calls:
                    if call.target is None:
                        continue
                    if call.target[1].rpartition(".")[2] not in names and not self._forwarder_read_now(
                        facts.path, call, tasks, read
                    ):
                        continue
                    helper = self.index.resolve_function(facts.path, call.target)
                    for forwarder in self.forwarders.get((helper[0], helper[1].qualname), ()) if helper else ():
                        given = given_argument(helper[1], call, forwarder.parameter)
                        if forwarder.method == CALLED:  # given a task's send: `tasks.purge.delay`
                            sent = self._sent_task(facts.path, given)
                            if sent is not None:
                                job, method = sent
                                self._add_forwarded(facts.path, function, call, job, replace(forwarder, method=method))
                            continue
                        job = self._job_function(facts.path, given)
                        if job is not None:
                            self._add_forwarded(facts.path, function, call, job, forwarder)

    def _decorated_names(self) -> set[str]:
        """The names of the functions a task or job decorator declares (`@shared_task`, `@job`),
        by the last word of the decorator: what a call may hand an enqueue helper."""
        words = {w for d in self.knowledge.job_decorators for w in d.call.last_segments()}
        for system in self.knowledge.task_systems:
            words |= system.task_decorators.last_segments()
        return {
            function.name
            for facts in self.modules
            for function in facts.functions.values()
            if any(d.target is not None and d.target[1].rpartition(".")[2] in words for d in function.decorators)
        }

    def _forwarder_read_now(self, path: str, call: CallFact, tasks: set[str], read: set[str]) -> bool:
        """`later(send_mail, ids)` naming a declared task, with `later` in a module the run did
        not parse up front (`def later(task, *args): task.delay(*args)` has no word rare enough
        to make it): the helper is read now, and its `.delay()` of the parameter is a forwarder."""
        if not any(arg.ref is not None and _named_task(arg.ref[1], tasks) for arg in call.args):
            return False
        helper = self.index.resolve_function(path, call.target)
        if helper is None or helper[0] in read or (helper[0], helper[1].qualname) in self.forwarders:
            return False
        self._delay_forwarders(*helper)
        return (helper[0], helper[1].qualname) in self.forwarders

    def _delay_forwarders(self, path: str, function: FunctionFact) -> None:
        """`func.delay()` on a parameter: the caller names `func`, the job; and `f(*args)`, a
        parameter called (`def on_commit(f, *args): transaction.on_commit(lambda: f(*args))`):
        the caller may give it a task's send, `on_commit(tasks.purge.delay, ids)`."""
        for call in function.calls:
            if call.parameter_method is not None:
                parameter, _, method = call.parameter_method.partition(".")
                if self.knowledge.is_delay_method(method):
                    self._forwards(Forwarder(parameter, path, call, function.qualname, method=method))
            elif call.parameter is not None:
                self._forwards(Forwarder(call.parameter, path, call, function.qualname, method=CALLED))

    def _add_forwarded(
        self, path: str, function: FunctionFact, call: CallFact, job: tuple[str, str], forwarder: Forwarder
    ) -> None:
        via = (forwarder.path, forwarder.call.span, forwarder.function)
        site = {"site_path": path, "site_span": call.span, "function": function.qualname, "call": call, "via": via}
        if forwarder.made is not None:
            how = f"{forwarder.made.how} in `{forwarder.function}`"
            # `launch(f, job_timeout=600)`, passed on by the helper's `**kwargs`; None stays None
            # (a system with no RQ default timeout: django-q's `async_task`, Celery's)
            timeout = forwarder.made.has_timeout
            if timeout is False and forwarder.call.starred:
                timeout = any(a.keyword in self._timeout_keywords for a in call.args)
            self.producers.append(replace(forwarder.made, job=job, how=how, has_timeout=timeout, **site))
            return
        job_function = self.index.function(*job)
        if job_function is None:
            return
        rq_delay = any(forwarder.method in spec.delay_methods for spec in self.knowledge.job_decorators)
        for decorator in job_function.decorators if rq_delay else ():  # `.delay()` of an RQ `@job`
            made = self._job_decorated(job[0], job_function, decorator)
            if made is not None:
                how = f"{made.how}.{forwarder.method}() in `{forwarder.function}`"
                self.producers.append(replace(made, how=how, delayed=True, **site))
                return
        self.forwarded_delays.append((path, function, call, job, forwarder))  # a task: routed in `_tasks`

    def _delay_producer(self, path: str, function: FunctionFact, call: CallFact, resolved) -> bool:
        """`send_report.delay(...)` on a project function decorated with RQ's `@job('mail')`:
        an enqueue to the decorator's queue, from this call."""
        if resolved.kind != "project" or not resolved.rest:
            return False
        delaying = any(resolved.rest in spec.delay_methods for spec in self.knowledge.job_decorators)
        job = self.index.function(resolved.path, resolved.dotted) if delaying else None
        for decorator in job.decorators if job is not None else ():
            made = self._job_decorated(resolved.path, job, decorator)
            if made is not None:
                made = replace(made, how=f"{made.how}.{resolved.rest}()")
                made = self._delaying_call_keywords(path, call, resolved, decorator, made)
                self.producers.append(
                    replace(
                        made, site_path=path, site_span=call.span, function=function.qualname, call=call, delayed=True
                    )
                )
                return True
        return False

    def _delaying_call_keywords(self, path: str, call: CallFact, resolved, decorator, made: Producer) -> Producer:
        """`add.queue(x, queue="high", timeout=60)` (Flask-RQ2): the call's own queue, named there,
        and its own timeout, where the decorator's spec says the delaying call takes them."""
        decorated = self.index.resolve(resolved.path, decorator.target)
        for spec in self.knowledge.job_decorators:
            if resolved.rest not in spec.delay_methods or not self._is_a(decorated, spec.call):
                continue
            if any(a.keyword in spec.call_timeout_keywords for a in call.args):
                made = replace(made, has_timeout=True)
            given = next(
                (a for a in call.args if spec.call_queue_keyword and a.keyword == spec.call_queue_keyword), None
            )
            if given is not None:
                name = self._string(path, given, spec.default)
                made = replace(made, queue=name, path=path, span=call.span, how=f"{resolved.rest}(queue='{name}')")
        return made

    def _builds(self, made, kind) -> bool:
        """Whether a call builds a queue of this kind: the library class, or a project subclass of it."""
        return self._is_a(made, kind.constructor)

    def _is_a(self, made, classes: NamePatterns) -> bool:
        """Whether a call builds one of these library classes, or a project subclass of one."""
        if made.kind == "external":
            return classes.matches(made.dotted)
        if made.kind == "project" and not made.rest:
            return any(classes.matches(base) for base in self.index.external_bases(made.path, made.dotted))
        return False

    def _python_consumer(self, path: str, call: CallFact, reads_argv: bool) -> None:
        resolved = self.index.resolve(path, call.target)
        self._worker_class(path, call, resolved, reads_argv)  # rq's Worker, or a project subclass of it
        if resolved.kind != "external":
            return
        for arg in call.args[:1]:
            # subprocess.run(["rq", "worker", "a", "b"]) / os.execvp("rq", ["rq", "worker", ...])
            if arg.items and len(arg.items) >= 2:
                for line in self._worker_lines(shlex.join(arg.items)):
                    if line.kind == "queues":
                        label = f"`{line.program}` started in {Path(path).name}"
                        self.consumers.append(
                            Consumer("command", path, call.span.line, label, line.queues, column=call.span.column)
                        )
        if self._env_default(path, call) is not None:
            if call.args[0].text == self.queue_env_var:
                label = f"{self.queue_env_var} default in {Path(path).name}"
                queues = split_queue_list(call.args[1].text)
                literal = call.args[1].span
                self.consumers.append(
                    Consumer(
                        "python-default",
                        path,
                        call.span.line,
                        label,
                        queues,
                        path,
                        column=call.span.column,
                        value_span=literal,
                    )
                )

    def _worker_class(self, path: str, call: CallFact, resolved, reads_argv: bool) -> None:
        for worker in self.knowledge.worker_classes:
            if self._is_a(resolved, worker.call):
                arg = argument(call.args, worker.queues)
                if arg is not None and arg.items is not None:
                    label = f"Worker([...]) in {Path(path).name}"
                    self.consumers.append(
                        Consumer("python-worker", path, call.span.line, label, arg.items, path, column=call.span.column)
                    )
                elif arg is not None and reads_argv:
                    # `Worker(map(Queue, sys.argv[1:]))`, or the function that builds the worker reads
                    # the command line: the queues are the words the deployment passes to the
                    # script (`python run_worker.py high email`)
                    self.argv_workers.add(path)

    # -- consumers -----------------------------------------------------------

    def _module_file(self, base: Path, module: str) -> str | None:
        if module.endswith(".py"):
            candidate = base / module
            if candidate.is_file():
                return str(candidate)
            # run from a folder the file does not say (supervisord's `directory={{ app_path }}`):
            # the one file of the run at that relative path
            named = [f for f in self.files if f.endswith(".py") and Path(f).match(module.lstrip("./"))]
            return named[0] if len(named) == 1 else None
        parts = module.split(".")
        for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__main__.py")):
            if candidate.is_file():
                return str(candidate)
        return None

    def setting_queues(self, name: str) -> tuple[tuple[str, ...] | None, bool]:
        """The keys of a settings mapping (`RQ_QUEUES = {...}`), and whether code extends it.
        Settings split over modules (`settings/dev.py`, `settings/prod.py`) give every key
        any of them configures, whichever is read first."""
        keys: list[str] = []
        found = extended = False
        for facts in sorted(self.modules, key=lambda f: f.path):
            binding = facts.bindings.get(name)
            if binding is None or binding.kind != "mapping":
                continue
            if binding.keys is None:
                return None, True
            found = True
            for key in binding.keys or ():
                if key.startswith("$"):  # a constant, maybe imported: RQ_QUEUE_HIGH
                    constant = self.index.resolve_variable(facts.path, ("@", key[1:]))
                    value = constant.binding if constant is not None else None
                    if value is None or value.kind != "string" or value.value is None:
                        return None, True
                    key = value.value
                if key not in keys:
                    keys.append(key)
            calls = facts.functions["<module>"].calls if "<module>" in facts.functions else ()
            extended = extended or any(
                c.target == ("@", f"{name}.update") or c.target == ("@", f"{name}.setdefault") for c in calls
            )
        return (tuple(keys), extended) if found else (None, False)

    def _command_queues(self, worker: WorkerLine) -> tuple[tuple[str, ...] | None, bool]:
        queues = worker.queues
        if worker.defaulted and worker.command is not None and self._overridden(worker.command):
            queues = worker.command.overridden_default
        if queues and len(queues) == 1 and queues[0].startswith("@") and not _is_placeholder(queues[0]):
            return self.setting_queues(queues[0][1:])
        return queues, False

    def _overridden(self, command: WorkerCommand) -> bool:
        """Whether the project replaces the command with its own: netbox's
        `core/management/commands/rqworker.py` derives a `Command` from django-rq's."""
        if command.overridden_by is None:
            return False
        name = f"{command.words[-1]}.py"
        for file in self.files:
            path = Path(file)
            if path.name != name or path.parent.name != "commands" or path.parent.parent.name != "management":
                continue
            outline = self.index.outline(file)
            if outline is not None and "Command" in outline.classes:
                if any(command.overridden_by.matches(base) for base in self.index.external_bases(file, "Command")):
                    return True
        return False

    @cached_property
    def _checked_folder(self) -> Path | None:
        """The folder that holds every file the run checks."""
        if not self.files:
            return None
        folder = Path(os.path.commonpath([os.path.abspath(f) for f in self.files]))
        return folder if folder.is_dir() else folder.parent

    def _script_lines(
        self,
        script: str,
        base: Path,
        copies: dict[str, Path],
        arguments: tuple[str, ...] | None = None,
        handing_on: bool = True,
    ) -> list[tuple[WorkerLine, str, int]]:
        """The worker lines of a shell script a container runs: the file the Dockerfile copies
        to that path (`COPY ./compose/worker/start /start-worker`), else a `.sh` script
        (`bash /worker-start.sh`) found by its name below the build context or the compose folder.
        Given its words (`/start.sh worker`), the lines its first one selects; for a script
        that runs them (`exec "$@"`, an image's ENTRYPOINT given a compose `command:`), the
        script they name (`handing_on`: once, not from the script handed on to)."""
        if script in copies:
            candidates = [copies[script]]
        elif script.endswith(".sh") and base.is_dir():
            candidates = [base / script.lstrip("/"), *_files_named(base, Path(script).name)]
            checked = self._checked_folder
            if not any(c.is_file() for c in candidates) and checked is not None and base.resolve() != checked:
                # an image built elsewhere, its script kept beside the compose folder (doccano's
                # `docker/` compose running `/opt/bin/prod-celery.sh`, kept in `tools/`): the one
                # script of that name in the folder the run checks
                elsewhere = _files_named(checked, Path(script).name)
                candidates += elsewhere if len(elsewhere) == 1 else []
        else:
            candidates = []
        for index, candidate in enumerate(candidates):
            if index == 0 and not candidate.exists():
                self.read(candidate)  # missing: the run cache then sees it appear
            if candidate.is_file() and not candidate.is_symlink():
                text = self.read(candidate)
                if text is None:
                    return []
                found = []
                lines = _shell_lines(text)
                if arguments is not None:
                    lines = lines_for_argument(lines, arguments[0] if arguments else "")
                for number, command in lines:
                    for line in self._worker_lines(command):
                        if line.kind != "script":
                            found.append((line, str(candidate), number))
                handed_at = _runs_its_arguments(text) if arguments and handing_on else None
                if handed_at is not None:
                    # an entrypoint ending `exec "$@"`: the command it is given is what stays
                    for line in self._worker_lines(shlex.join(arguments or ())):
                        if line.kind == "script":
                            found += self._script_lines(line.module or "", base, copies, line.arguments, False)
                        else:
                            found.append((line, str(candidate), handed_at))
                return found
        return []

    def _runs(
        self,
        lines: list[WorkerLine],
        base: Path,
        env: dict,
        where: Setting,
        label: str,
        declared_in: str,
        copies: dict[str, Path] | None = None,
    ) -> None:
        """The consumer a process started by `declared_in` is, its command line being `lines`;
        `copies`: the files its image's Dockerfile copies in, by their path in the image."""
        env_value = env.get(self.queue_env_var)
        module_path = None
        arguments: tuple[str, ...] | None = ()
        path, line, column = where.path, where.line, where.column
        expanded: list[tuple[WorkerLine, str, int, int]] = []
        for worker in lines:
            if worker.kind == "script":
                found = self._script_lines(worker.module or "", base, copies or {}, worker.arguments)
                for inner, script_path, script_line in found:
                    # a worker written in the script: point there
                    at = (script_path, script_line, 1) if inner.kind == "queues" else (path, line, column)
                    expanded.append((inner, *at))
            else:
                expanded.append((worker, path, line, column))
        # each worker the process starts serves its own queues: those sent to the background
        # (`celery worker -Q a &`), up to the first in the foreground, after which nothing runs
        # (`exec celery worker -Q b`; `... -Q b && ... -Q c`, the next line)
        started = []
        for entry in expanded:
            if entry[0].kind == "queues":
                started.append(entry)
                if not entry[0].background:
                    break
        for worker, at_path, at_line, at_column in started:
            queues, open_ended = self._command_queues(worker)
            self.consumers.append(
                Consumer(
                    "command",
                    at_path,
                    at_line,
                    f"{label} (`{worker.program}`)",
                    queues,
                    column=at_column,
                    open_ended=open_ended,
                    declared_in=declared_in,
                    configured_in=worker.command.configured_in if worker.command is not None else None,
                )
            )
        if started:
            return
        for worker, _, _, _ in expanded:
            if module_path is None:
                module_path, arguments = self._module_file(base, worker.module or ""), worker.arguments
        if env_value is not None:
            queues = split_queue_list(env_value.value) if env_value.value is not None else None
            label = f"{label} ({self.queue_env_var})"
            self.consumers.append(
                Consumer(
                    "environment",
                    env_value.path,
                    env_value.line,
                    label,
                    queues,
                    module_path,
                    column=env_value.column,
                    value_span=Span(env_value.line, env_value.column, env_value.end_line, env_value.end_column)
                    if env_value.end_line
                    else None,
                    declared_in=declared_in,
                )
            )
        elif module_path is not None:
            # its queues: the worker module's default, or the words given to a module that reads them
            self.consumers.append(
                Consumer("module", path, line, label, arguments, module_path, column=column, declared_in=declared_in)
            )

    def add_service(self, service: Service) -> None:
        lines = []
        where = service.command or Setting(None, service.path, service.line)
        base = Path(service.path).parent
        copies = {}
        if service.dockerfile is not None:
            self.built_images.add(os.path.abspath(service.dockerfile))
        if service.dockerfile is not None and service.context is not None:
            copies = dockerfile_copies(Path(service.dockerfile), Path(service.context), self.read)
        if service.command is not None:
            # with a variable nobody defines, read the raw line: `rq worker $QUEUES` is a
            # worker whose queues are unknown, `--url $REDIS_URL` changes nothing
            text = service.command.value if service.command.value is not None else service.command.raw
            image_entrypoint = (
                dockerfile_entrypoint(Path(service.dockerfile), self.read)
                if service.dockerfile is not None and not service.entrypoint
                else None
            )
            if image_entrypoint is not None:  # the image's ENTRYPOINT runs, given the command or not
                entrypoint, takes_arguments = image_entrypoint
                text = f"{entrypoint} {text}" if takes_arguments else entrypoint
            elif not service.entrypoint:
                # a public image that gives the command to its program (`apache/airflow`), run
                # as it is or built on (a Dockerfile `FROM` it that sets no ENTRYPOINT)
                image = (
                    dockerfile_base_image(Path(service.dockerfile), self.read)
                    if service.dockerfile is not None
                    else service.image
                )
                program = self.knowledge.image_entrypoint(image) if image is not None else None
                text = f"{program} {text}" if program is not None and text.split()[:1] != [program] else text
            lines = self._worker_lines(text)
        elif service.dockerfile is not None:
            # no command: the image's own CMD / ENTRYPOINT runs
            started = dockerfile_command(Path(service.dockerfile), self.read)
            if started is not None:
                lines = self._worker_lines(started[0])
                where = Setting(started[0], service.dockerfile, started[1])
                base = Path(service.dockerfile).parent
        self._runs(lines, base, service.environment, where, f"service `{service.name}`", service.path, copies)

    def add_image(self, path: str) -> None:
        """A Dockerfile no compose service of the run builds: the process its image starts (its
        ENTRYPOINT and CMD), as whatever runs the image (Kubernetes, ECS, a PaaS) starts it."""
        if os.path.abspath(path) in self.built_images:
            return
        started = dockerfile_command(Path(path), self.read)
        if started is None:
            return
        lines = self._worker_lines(started[0])
        base = Path(path).parent
        copies = dockerfile_copies(Path(path), base, self.read)
        label = f"image `{Path(path).name}`"
        self._runs(lines, base, {}, Setting(started[0], path, started[1]), label, path, copies)
        entrypoint = dockerfile_entrypoint(Path(path), self.read)
        if entrypoint is None or not entrypoint[1]:
            return
        # an ENTRYPOINT in exec form takes its words from whatever runs the image, the CMD being
        # only the default (treeherder's `entrypoint_prod.sh`, run by Kubernetes with
        # `args: [worker_log_parser]`): each worker its script starts on some first word is a
        # process the image is run as
        default = {(c.path, c.line) for c in self.consumers}
        for script in self._worker_lines(entrypoint[0]):
            if script.kind != "script":
                continue
            for worker, script_path, number in self._script_lines(script.module or "", base, copies, None):
                if worker.kind == "queues" and (script_path, number) not in default:
                    where = Setting(entrypoint[0], script_path, number)
                    self._runs([worker], base, {}, where, label, path, copies)

    def add_procfile(self, path: str, entries: list[ProcfileEntry]) -> None:
        for entry in entries:
            lines = self._worker_lines(entry.command)
            where = Setting(entry.command, path, entry.line)
            self._runs(lines, Path(path).parent, {}, where, f"Procfile `{entry.name}`", path)

    # -- task systems (Celery, Dramatiq) -------------------------------------

    def _tasks(self, system: TaskSystem) -> None:
        """Tasks and where they go: queue= on the call or the task, the routes, the default queue."""
        routes, default = self._task_settings(system)
        # `task_queues` declared: a worker without -Q serves them all, which are not read
        self.task_defaults[system.name] = None if self._declares_queues(system) else default
        tasks = self._declared_tasks(system)

        def routed(task_name: str | None) -> str | None:
            if task_name is None or routes is None:
                return None  # a task named at run time, or routes a function chooses
            names = (task_name, self._task_aliases.get(task_name, task_name))
            for pattern, queue in routes:
                if any(fnmatch.fnmatchcase(name, pattern) for name in names):
                    return queue
            return default

        # what a worker of every queue its tasks declare serves (`dramatiq app.tasks`): None
        # when a task's queue is named at run time
        declared = [queue if named else routed(name) for name, queue, _, named in tasks.values()]
        self.declared_queues[system.name] = None if None in declared else set(declared)
        # by name: on the task (`queue=`) or by a route, not the default queue every other task
        # gets (but see below)
        named_queues: set[str] = set()
        for name, queue, _, on_task in tasks.values():
            chosen = queue if on_task else routed(name)
            if chosen is not None and (on_task or chosen != default):
                named_queues.add(chosen)
        self.named_task_queues[system.name] = named_queues

        sent_by_name: set[str] = set()  # `send_task("checks.tasks.sync", ...)`: the names it sends
        for facts in self.modules:
            for function in facts.functions.values():
                for call in function.calls:
                    sent = self._task_call(system, facts.path, call, tasks, routed)
                    if sent is None:
                        continue
                    queue, where_path, where_span, job = sent
                    named = argument(call.args, (0, "name")) if job is None else None
                    if named is not None and named.text is not None:
                        sent_by_name.add(named.text)
                    shown = f"{system.name} queue '{queue}'" if queue else f"a {system.name} queue named at run time"
                    self.producers.append(
                        Producer(
                            queue,
                            where_path,
                            where_span,
                            facts.path,
                            call.span,
                            function.qualname,
                            job,
                            None,
                            shown,
                            call,
                        )
                    )
        for path, function, call, job, forwarder in self.forwarded_delays:
            task = tasks.get(job)
            if task is None or forwarder.method not in system.call_methods:
                continue
            sent = forwarder.call  # `func.apply_async(queue="x")` in the helper
            queue_arg = argument(sent.args, (None, system.queue_keyword))
            if queue_arg is not None:
                queue = self._string(forwarder.path, queue_arg, "")
            elif sent.starred and forwarder.method in system.options_methods:
                queue = None  # the options may name it, at run time
            else:
                queue = task[1] if task[3] else routed(task[0])
            shown = f"{system.name} queue '{queue}'" if queue else f"a {system.name} queue named at run time"
            via = (forwarder.path, sent.span, forwarder.function)
            made = Producer(queue, path, call.span, path, call.span, function.qualname, job, None, shown, call, via=via)
            self.producers.append(made)
        # a task on the default queue that no code here sends is sent by its name from elsewhere
        # (another service, a shell, a schedule): the default queue serves it, as a queue a task
        # names does. One that this code sends only to other queues does not use it
        sent = {producer.job for producer in self.producers if producer.job is not None}
        for job, (name, _, _, on_task) in tasks.items():
            by_name = name in sent_by_name or self._task_aliases.get(name, name) in sent_by_name
            if not on_task and job not in sent and not by_name and default is not None and routed(name) == default:
                named_queues.add(default)

    def _task_settings(self, system: TaskSystem) -> tuple[list[tuple[str, str | None]] | None, str | None]:
        """Routes and default queue, wherever the settings are written (`app.conf.task_routes = ...`,
        `CELERY_TASK_ROUTES = ...` in a module or a configuration class). Routes are None when
        something other than a mapping gives them (`(route_task,)`: a function chooses)."""
        routes: list[tuple[str, str | None]] | None = []
        defaults: set[str] = set()
        for facts in self.modules:
            for name, binding in facts.bindings.items():
                setting = name.rsplit(".", 1)[-1]
                if setting in system.routes_settings and binding.kind == "alias":
                    # `CELERY_TASK_ROUTES = celery_task_routes.CELERY_TASK_ROUTES`: the mapping there
                    held = self.index.resolve_variable(facts.path, binding.ref)
                    binding = held.binding if held is not None and held.binding is not None else binding
                if setting in system.routes_settings:
                    if binding.kind != "mapping":
                        routes = None
                    elif routes is not None:
                        routes.extend(binding.pairs)
                elif setting in system.default_queue_settings:
                    value = self._setting_text(facts, binding)
                    if value:
                        defaults.add(value)
            for function in facts.functions.values():
                for call in function.calls:  # app.conf.update(task_routes=...) / Celery(..., task_routes=...)
                    for arg in call.args:
                        if arg.keyword in system.routes_settings:
                            if not arg.pairs:
                                routes = None
                            elif routes is not None:
                                routes.extend(arg.pairs)
                        elif arg.keyword in system.default_queue_settings and arg.text:
                            defaults.add(arg.text)
        if not defaults:
            return routes, system.default_queue
        # several (`BaseConfig`, `TestingConfig`): which one runs is chosen at run time
        return routes, defaults.pop() if len(defaults) == 1 else None

    def _declares_queues(self, system: TaskSystem) -> bool:
        """Whether a setting of `system.queues_settings` is written: `app.conf.task_queues = (...)`,
        `app.conf.update(task_queues=...)`, `Celery(..., task_queues=...)`, `CELERY_TASK_QUEUES`."""
        names = system.queues_settings
        for facts in self.modules if names else ():
            if any(name.rsplit(".", 1)[-1] in names for name in facts.bindings):
                return True
            for function in facts.functions.values():
                if any(arg.keyword in names for call in function.calls for arg in call.args):
                    return True
        return False

    def _setting_text(self, facts: ModuleFacts, binding: Binding) -> str | None:
        """A setting's string: written out (`"default"`), or the default of the environment
        variable that gives it (`os.getenv("DEFAULT_QUEUE", "default")`)."""
        if binding.kind == "string":
            return binding.value
        module = facts.functions.get("<module>")
        if binding.kind != "instance" or binding.call is None or module is None or binding.call >= len(module.calls):
            return None
        return self._env_default(facts.path, module.calls[binding.call])

    def _env_default(self, path: str, call: CallFact) -> str | None:
        """The default `os.getenv("NAME", "default")` (or `os.environ.get`) gives, written out."""
        if len(call.args) < 2 or not GETENV.matches(self.index.resolve(path, call.target).dotted):
            return None
        return call.args[1].text

    def _declared_tasks(self, system: TaskSystem) -> dict[tuple[str, str], tuple[str, str | None, Span, bool]]:
        """(path, qualname) -> (task name, queue named on the decorator, the decorator's position,
        whether the decorator names a queue: its queue is None when not static, a constant
        resolved like RQ's `Queue(EMAILS)`); a decorator that names its queue is itself a producer."""
        tasks: dict[tuple[str, str], tuple[str, str | None, Span, bool]] = {}
        for facts in self.modules:
            for function in facts.functions.values():
                for decorator in function.decorators:
                    # `@shared_task(queue="x")`, or a project decorator that returns a task
                    library, written_in, arguments = self.index.library_call(facts.path, decorator)
                    if not system.task_decorators.matches(library):
                        continue
                    named = argument(arguments, (None, system.name_keyword))
                    queue = argument(arguments, (None, system.queue_keyword))
                    default_name = f"{python_module_name(facts.path)}.{function.qualname}"
                    # the name it gets when the project root holding a stray `__init__.py` is
                    # where the code runs from (`sync.tasks.push`, not `src.sync.tasks.push`)
                    inside = f"{python_module_name(facts.path, self.index.project_root)}.{function.qualname}"
                    if named is None and inside != default_name:
                        self._task_aliases[default_name] = inside
                    task_name = named.text if named is not None and named.text else default_name
                    queue_name = self._string(written_in, queue, "") if queue is not None else None
                    tasks[(facts.path, function.qualname)] = (task_name, queue_name, decorator.span, queue is not None)
                    if queue is not None:
                        job = (facts.path, function.qualname)
                        shown = f"@task(queue='{queue_name}')" if queue_name is not None else "@task(queue=<dynamic>)"
                        self.producers.append(
                            Producer(
                                queue_name,
                                facts.path,
                                decorator.span,
                                facts.path,
                                decorator.span,
                                function.qualname,
                                job,
                                None,
                                shown,
                            )
                        )
        return tasks

    def _task_call(self, system: TaskSystem, path: str, call: CallFact, tasks, routed):
        """For `task.delay(...)` / `apply_async(queue=...)` / `send_task("name")`: the queue,
        where it is named (path, span) and the task function; None for other calls."""
        resolved = self.index.resolve(path, call.target)
        queue_arg = argument(call.args, (None, system.queue_keyword))
        method = call.target[1].rsplit(".", 1)[-1] if call.target is not None else ""
        # `apply_async(args, **options)`: the options may name the queue, at run time
        options = queue_arg is None and call.starred and method in system.options_methods
        if resolved.kind == "project" and system.sends(resolved.rest):
            task = tasks.get((resolved.path, resolved.dotted))
            if task is None:
                return None
            job = (resolved.path, resolved.dotted)
            if options:
                return None, path, call.span, job
            if queue_arg is not None:
                return self._string(path, queue_arg, ""), path, call.span, job  # None: named at run time
            if task[3]:  # named on the task: report it there (None: named at run time, not the default)
                return task[1], resolved.path, task[2], job
            return routed(task[0]), path, call.span, job
        if resolved.kind == "external" and system.send_task.matches(resolved.dotted):
            named = argument(call.args, (0, "name"))
            if options:
                return None, path, call.span, None
            if queue_arg is not None:
                return self._string(path, queue_arg, ""), path, call.span, None
            return routed(named.text if named is not None else None), path, call.span, None
        return None

    def add_declared(self, path: str, processes: list) -> None:
        """supervisord programs, systemd services and Kubernetes containers."""
        for process in processes:
            lines = self._worker_lines(process.command)
            where = Setting(process.command, path, process.line)
            self._runs(lines, Path(path).parent, {}, where, process.label, path)

    def finish(self) -> None:
        """Resolve consumers that run a worker module, and mark the defaults a deployment replaces."""
        self._forwarded()
        for system in self.knowledge.task_systems:
            self._tasks(system)
        resolved_defaults = []
        for consumer in self.consumers:
            queues = consumer.queues or ()
            if len(queues) == 1 and queues[0].startswith("@default:"):
                default = self.task_defaults.get(queues[0][9:], "default")
                consumer = replace(consumer, queues=(default,) if default is not None else None)
            elif len(queues) == 1 and queues[0].startswith("@all:"):  # every queue its tasks declare
                declared = self.declared_queues.get(queues[0][5:])
                if declared:
                    consumer = replace(consumer, queues=tuple(sorted(declared)), follows_tasks=True)
                else:
                    consumer = replace(consumer, queues=(), open_ended=True)
            resolved_defaults.append(consumer)
        self.consumers = resolved_defaults
        defaults = {c.module: c for c in self.consumers if c.kind == "python-default"}
        resolved: list[Consumer] = []
        replaced: set[str] = set()
        for consumer in self.consumers:
            if consumer.kind == "module":
                default = defaults.get(consumer.module)
                if default is not None:
                    resolved.append(replace(consumer, queues=default.queues))
                elif consumer.module in self.argv_workers:
                    # no word, or words that are not plain: what the script then serves is its own
                    resolved.append(replace(consumer, queues=consumer.queues or None))
                continue  # else it runs a module that is not a worker we know
            if consumer.kind == "environment" and consumer.module in defaults:
                replaced.add(consumer.module)
            resolved.append(consumer)
        self.consumers = [
            replace(c, overridden=True) if c.kind == "python-default" and c.module in replaced else c for c in resolved
        ]

    # -- answers -------------------------------------------------------------

    def active_consumers(self) -> list[Consumer]:
        return [c for c in self.consumers if not c.overridden]

    def consumed(self) -> set[str] | None:
        """Every queue some worker serves; None when that cannot be known."""
        active = self.active_consumers()
        if not active or any(c.queues is None or c.open_ended for c in active):
            return None
        return {queue for c in active for queue in c.queues or ()}

    def has_dynamic_producers(self) -> bool:
        return any(p.queue is None for p in self.producers)

    def produced(self) -> set[str]:
        return {p.queue for p in self.producers if p.queue is not None}

    def task_queues(self) -> set[str]:
        """The queues the project's Celery or Dramatiq tasks are declared on by name (`queue=`,
        `task_routes`; the default queue when a task that goes there is sent by no code here): a
        task is sent by its name, also by another service or the shell, so a worker of such a
        queue serves the project's tasks."""
        return set().union(*self.named_task_queues.values())

    def scheduled(self) -> set[str] | None:
        """The queues a scheduler the deployment runs may send to: those its task system's
        tasks are declared on (None: any queue, a task's being named at run time)."""
        queues: set[str] = set()
        for system in self.schedulers:
            declared = self.declared_queues.get(system, set())
            if declared is None:
                return None
            queues |= declared
        return queues

    def _worker_lines(self, command: str) -> list[WorkerLine]:
        """The workers a command line starts; a scheduler it starts is remembered instead."""
        lines = parse_worker_command(command, self.knowledge.worker_commands)
        for line in lines:
            if line.kind == "scheduler" and line.command is not None:
                self.schedulers.add(line.command.scheduler)
        return [line for line in lines if line.kind != "scheduler"]


def _is_placeholder(queue: str) -> bool:
    """`@default:celery` (the system's default queue, known once the settings are read) and
    `@all:dramatiq` (every queue the tasks of that system declare): resolved in `finish`, not
    settings names."""
    return queue.startswith(("@default:", "@all:"))
