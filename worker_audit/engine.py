"""One run of `worker-audit check`: files -> prefilter -> index -> analyses ->
rules -> suppressions -> findings. Knows nothing of the command line."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING

from worker_audit.analysis import Analysis, display_path
from worker_audit.api_specs import spec_operations
from worker_audit.check_result import CheckResult
from worker_audit.checks import RULES, selected_codes
from worker_audit.checks.wa003_unused_suppression import UnusedSuppressionRule
from worker_audit.compose import YamlProblem, is_compose_document, is_template, load_compose, referenced_files
from worker_audit.deploy_files import (
    DeploymentFiles,
    cloud_foundry_apps,
    kubernetes_containers,
    supervisor_programs,
    systemd_services,
)
from worker_audit.discovery import CheckedByAWholeRun, DiscoveredFiles, discover, is_dockerfile, project_listing
from worker_audit.enqueue_sites import EnqueueSite, enqueue_sites
from worker_audit.fact_cache import FactCache, cache_salt
from worker_audit.facts import ModuleFacts
from worker_audit.finding import Finding
from worker_audit.knowledge import Knowledge, SpecRoutes, load_knowledge
from worker_audit.module_loading import Loaded, PartialModule, load_module
from worker_audit.outline import ModuleOutline, outline_module
from worker_audit.parallel_loading import default_jobs, load_in_parallel
from worker_audit.project import WHOLE_MODULE
from worker_audit.queue_topology import Topology
from worker_audit.settings import JobStandard, Settings, project_root
from worker_audit.source import SourceProblem, decode_python, over_the_limit, read_bytes, read_limit
from worker_audit.speculative_loading import SpeculativeLoader
from worker_audit.suppressions import MARKER, SuppressionIndex, lines_a_handler_may_reach_through
from worker_audit.worker_commands import parse_procfile

if TYPE_CHECKING:
    from worker_audit.project import ProjectIndex


def trigger_pattern(knowledge: Knowledge, queue_env_var: str) -> AnyPattern:
    """Bytes that a module must contain to define a handler, produce to a
    queue or configure a worker; only such modules are parsed up front.

    Decorators (route, get, job, task, actor) count only after `@name.`, a
    task decorator also at the end of a name (`@nautobot_task`, an alias of
    `shared_task`, whose import names it as a word); other names count as
    words: registrars (`add_url_rule`), enqueue methods (or a kind's own
    `triggers`, when its methods are common words: `django_q` for `run`),
    `send_task`, the task systems' `trigger_methods` as method calls
    (`.apply_async(`: an enqueue helper given the task names none), the queue environment
    variable and the queue settings; worker classes count
    as the end of a word too (`GeventWorker`, a project subclass of rq's
    `Worker`), where the name is called or given as a base (`GeventWorker(`,
    `(Worker)`), not in a string (`'PoolWorker'`). A queue constructor alone (`Queue`) is no trigger: a module that
    enqueues says `enqueue`, and the module defining the queue is parsed when
    the receiver is resolved. Other calls of declared tasks (`.send`) are
    found by a second pass, on the names of the tasks (see `task_names`).
    Class-based views registered through a registrar, helpers and modules that
    define imported names are parsed on demand wherever they are.
    """
    decorator_names = knowledge.handler_decorator_names()
    words = {queue_env_var}
    registrars = knowledge.registrar_names()
    for kind in knowledge.queue_kinds:
        words |= kind.trigger_words
    for decorator in knowledge.job_decorators:
        decorator_names |= decorator.call.last_segments()
    endings: set[str] = set()
    for worker in knowledge.worker_classes:
        endings |= worker.call.last_segments()
    task_endings: set[str] = set()
    methods: set[str] = set()
    for system in knowledge.task_systems:
        # `@nautobot_task` (`nautobot_task = shared_task`): a task decorator's name ends a word;
        # `from celery import shared_task as st`: the import names it
        task_endings |= system.task_decorators.last_segments()
        words |= {name for name in system.task_decorators.last_segments() if "_" in name}
        words |= system.send_task.last_segments()
        methods |= system.trigger_methods  # as calls (`.apply_async(`): a method's name is often a common word
        words |= set(system.routes_settings) | set(system.default_queue_settings)
    return _words_pattern(words, decorator_names, endings, task_endings, methods, registrars)


class AnyPattern:
    """Byte patterns searched one after the other, for what one pattern of alternatives
    (`a|b|c`) would find: Python's `re` tries each alternative at every position of the
    text, which took twice as long over netbox's 9 MB (0.47 s against 0.26 s)."""

    def __init__(self, patterns: list[re.Pattern[bytes]], excused: dict[int, Callable] | None = None) -> None:
        self.patterns = patterns
        self.excused = excused or {}  # pattern's index -> which of its matches do not count

    def search(self, data: bytes) -> re.Match[bytes] | None:
        for index, pattern in enumerate(self.patterns):
            excused = self.excused.get(index)
            if excused is None:
                found = pattern.search(data)
                if found is not None:
                    return found
                continue
            for found in pattern.finditer(data):
                if not excused(data, found):
                    return found
        return None


def _mock_patch(data: bytes, found: re.Match[bytes]) -> bool:
    """Whether a decorator the prefilter found is mock's `patch`: `@unittest.mock.patch`,
    `@mock.patch` in a module that imports mock (not a router named `mock`), or `@patch` in a
    module that imports it from mock."""
    written = found.group(0).lstrip(b"@ \t")
    if written == b"mock.patch":
        return _MOCK_MODULE.search(data) is not None
    if written == b"patch":
        return _MOCK_PATCH.search(data) is not None
    return written == b"unittest.mock.patch"


def handler_trigger_pattern(knowledge: Knowledge) -> AnyPattern:
    """The part of `trigger_pattern` that a module defining a handler must contain: handler
    decorators and registrars. Test code is parsed up front only for these: what it enqueues,
    the tasks it declares and the workers it starts are not the deployment's (the topology
    leaves them out), so parsing it for their names would be work thrown away."""
    return _words_pattern(set(), knowledge.handler_decorator_names(), registrars=knowledge.registrar_names())


# mock's decorator (`@patch(...)`, `@patch.object(...)`) in a module that imports it: not a
# router's `patch` (`patch = router.patch`), which a module of tests on mock would not shadow
_MOCK_PATCH = re.compile(rb"\bmock\s+import\b[^\n]*\bpatch\b|\bmock\s+import\s*\([^)]*\bpatch\b")
_MOCK_MODULE = re.compile(
    rb"^[ \t]*(?:import[ \t]+(?:unittest\.)?mock\b|from[ \t]+unittest[ \t]+import\b[^\n]*\bmock\b)", re.M
)


def _words_pattern(
    words: set[str],
    decorator_names: set[str] = frozenset(),
    endings: set[str] = frozenset(),
    decorator_endings: set[str] = frozenset(),
    method_calls: set[str] = frozenset(),
    registrars: set[str] = frozenset(),
) -> AnyPattern:
    """`registrars`: a registrar's name counts as a word, except a class's (`Route`), which
    counts where it is called, given as a base or imported under another name (`Route(`,
    `(DefaultRouter)`, `import Route as R`), not in text (netbox's "Route Targets", 8 modules)."""
    parts = []
    excused: dict[int, Callable] = {}
    words = set(words) | {name for name in registrars if not name[:1].isupper()}
    classes = {name for name in registrars if name[:1].isupper()}
    if decorator_names:
        alternatives = b"|".join(re.escape(n.encode()) for n in sorted(decorator_names))
        parts.append(rb"@\s*[\w.]*?\b(?:" + alternatives + rb")\b")
        if "patch" in decorator_names:
            excused[len(parts) - 1] = _mock_patch
    if decorator_endings:
        alternatives = b"|".join(re.escape(n.encode()) for n in sorted(decorator_endings))
        # the name ends the decorator's name after `_` or `.`: `@nautobot_task`, not `@ self._factor`
        parts.append(rb"@\s*[\w.]*?(?:\b|_)(?:" + alternatives + rb")\b")
    if words:
        parts.append(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in sorted(words)) + rb")\b")
    if classes:
        alternatives = b"|".join(re.escape(w.encode()) for w in sorted(classes))
        parts.append(rb"\b(?:" + alternatives + rb")\b(?=\s*[(),\]]|\s+as\b)")
    if endings:
        # `GeventWorker(...)`, `class GeventWorker(Worker):`: a call of the class or a base in a
        # list; not a string that ends so (multiprocessing's `'PoolWorker'`). A word ending so is
        # found by its end alone (`\w*` before it would be tried at every letter of the text)
        alternatives = b"|".join(re.escape(w.encode()) for w in sorted(endings))
        parts.append(rb"(?:" + alternatives + rb")\b(?=\s*[(),\]])")
    if method_calls:
        alternatives = b"|".join(re.escape(n.encode()) for n in sorted(method_calls))
        parts.append(rb"\.\s*(?:" + alternatives + rb")\s*\(")  # `task.delay(`, not a variable `delay`
    return AnyPattern([re.compile(part) for part in parts], excused)


def task_names(index, roots: list, knowledge: Knowledge) -> set[str]:
    """Names of the functions declared as tasks or jobs (`@job`, `@app.task`,
    `@dramatiq.actor`) in the parsed modules: a module that calls one
    (`send_report.delay(...)`) must name it."""
    patterns = [d.call for d in knowledge.job_decorators] + [s.task_decorators for s in knowledge.task_systems]
    names = set()
    for facts in roots:
        for function in facts.functions.values():
            for decorator in function.decorators:
                library = index.library_decorator(facts.path, decorator)
                if library and any(p.matches(library) for p in patterns):
                    names.add(function.name)
    return names


_CLASS_BASES = re.compile(rb"\bclass\s+\w+\s*\(([^)]*)\)")
_WORD = re.compile(rb"\w+")


def _view_subclasses(index, knowledge: Knowledge, loader, not_parsed: list[Path], roots: list) -> list:
    """Modules not parsed up front that define a class the framework calls by itself (an
    implicit view) through a base of the project: zou's `SalaryScaleResource(BaseModelResource)`,
    `BaseModelResource` deriving from `MethodView` in another module. Found by the names of
    their bases, starting from the frameworks' own view classes and the views of the modules
    parsed, and following each class found to be a view, until no module is added."""
    from worker_audit.handlers import HandlerFinder

    bases_of: dict[Path, set[str]] = {}  # the names each module's class statements derive from
    for path in not_parsed:
        data = loader.bytes_of(path)
        named = {w.decode() for m in _CLASS_BASES.finditer(data or b"") for w in _WORD.findall(m.group(1))}
        if named:
            bases_of[path] = named
    wanted = set().union(*bases_of.values())
    finder = HandlerFinder(index, knowledge)

    def views_in(facts, only: set[str] | None = None) -> set[str]:
        """The names of the module's classes that are implicit views (of those in `only`)."""
        found = set()
        for qualname in facts.classes:
            name = qualname.rsplit(".", 1)[-1]
            kind = finder.view_kind(facts.path, qualname) if only is None or name in only else None
            if kind is not None and kind.implicit:
                found.add(name)
        return found

    names: set[str] = set()
    for views in (*knowledge.view_classes, *knowledge.project_view_classes):
        if views.implicit:
            names |= views.bases.last_segments()
    for facts in roots:  # only the names some module not parsed derives from can matter
        names |= views_in(facts, wanted)
    known = {id(facts) for facts in roots}
    found: list = []
    searched: set[str] = set()
    while names - searched and bases_of:
        fresh = names - searched
        searched |= fresh
        for path in [p for p, named in bases_of.items() if named & fresh]:
            del bases_of[path]
            outline = index.outline(str(path))  # most modules named so hold no view (tests): no parse
            views = views_in(outline) if outline is not None else set()
            facts = index.module(str(path)) if views else None
            if facts is None:
                continue
            names |= views
            if id(facts) not in known:
                known.add(id(facts))
                found.append(facts)
    return found


def _registers_receivers(knowledge: Knowledge) -> Callable[[bytes], bool]:
    """Whether a module's bytes may register signal receivers at import: `@receiver(...)`,
    or `post_save.connect(...)` at module level, or indented in a module that defines the
    start-up method (`def ready(`); and it names the framework (`django`)."""
    signals = knowledge.signals
    if signals is None:
        return lambda data: False
    decorated = _words_pattern(set(), signals.receiver_decorators.last_segments())
    methods = b"|".join(re.escape(m.encode()) for m in sorted(signals.connect_methods))
    connected = re.compile(rb"(?m)^[\w.]+\.(?:" + methods + rb")\(")
    indented = re.compile(rb"(?m)^[ \t]+[\w.]+\.(?:" + methods + rb")\(")
    start_up = f"def {signals.connecting_method}(".encode() if signals.connecting_method else None
    words = [word.encode() for word in signals.module_words()]

    def registers(data: bytes) -> bool:
        if not any(w in data for w in words):
            return False
        if decorated.search(data) or connected.search(data):
            return True
        return start_up is not None and start_up in data and bool(indented.search(data))

    return registers


class _ReceiversElsewhere:
    """In a run on some files: the project's modules outside the run that register signal
    receivers, read when a write of a model whose module imports a package of the pack's
    `signals.writer_packages` (`django`, `rest_framework`) first needs them (Reach). Every
    Python file of the project is read once to find them (bytes; only those that register
    receivers are parsed), and the listing goes into the result for the run cache."""

    def __init__(
        self,
        root: Path,
        checked: list[Path],
        settings: Settings,
        knowledge: Knowledge,
        index: ProjectIndex,
        loader: _Loader,
        registers: Callable[[bytes], bool],
    ) -> None:
        self.root = root
        self.checked = set(checked)
        self.settings = settings
        self.index = index
        self.loader = loader
        self.registers = registers
        packages = b"|".join(re.escape(p.encode()) for p in sorted(knowledge.signals.writer_packages))
        self.writer_import = re.compile(rb"(?m)^[ \t]*(?:from|import)[ \t]+(?:" + packages + rb")\b")
        self.scanned = not packages

    def for_model(self, model_path: str) -> list[ModuleFacts]:
        """The modules to add to the receivers, the first time a writer's model is written."""
        if self.scanned or not self.writer_import.search(self.loader.bytes_of(Path(model_path)) or b""):
            return []
        self.scanned = True
        project = self.loader.project_python(self.root)
        found = [p for p in project if p not in self.checked and self.registers(self.loader.bytes_of(p) or b"")]
        return [facts for facts in map(self.index.module, map(str, found)) if facts is not None]


def _registrars_elsewhere(root: Path, checked: list[Path], knowledge: Knowledge, index, loader) -> list[ModuleFacts]:
    """In a run on some files: the project's modules outside the run that register views of a
    checked views module (Django's `urls.py`: `path("x/", views.reset)`), so that a run on
    `views.py` alone knows its function views, as a whole run does. Only when a checked file is
    named like a views module; every Python file of the project is read once (bytes, shared
    with the receiver scan), and those that name a registrar's trigger and the module are parsed."""
    views = [path for path in checked if _is_handler_module(path, knowledge)]
    triggers = {r.trigger for r in knowledge.view_registrars if r.trigger}
    if not views or not triggers:
        return []
    registrar = re.compile(rb"\b(?:" + b"|".join(re.escape(t.encode()) for t in sorted(triggers)) + rb")\b")
    # the module's name, or a package's above it (`from bookwyrm import views`, re-exported)
    words = {part for path in views for part in (path.stem, *(f.name for f in path.parents[:3])) if part}
    names = re.compile(rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in sorted(words)) + rb")\b")
    seen = set(checked)
    found = []
    for path in loader.project_python(root):
        data = loader.bytes_of(path) if path not in seen else None
        if data and registrar.search(data) and names.search(data):
            found.append(path)
    return [facts for facts in map(index.module, map(str, found)) if facts is not None]


def _spec_handlers(specs: list[Path], loader: _Loader, index, routes: SpecRoutes) -> list[tuple[str, str, str]]:
    """The project functions API specs route operations to (Connexion's `operationId`):
    (module path, qualname, how). Only YAML files that name the operation key and start a line
    with a spec key (`openapi:`) are composed; one over max-file-bytes is not read, and not
    reported either: most specs are documentation, not routes."""
    marker = routes.operation_key.encode()
    spec_key = re.compile(
        rb"^(?:" + b"|".join(re.escape(k.encode()) for k in sorted(routes.spec_keys)) + rb")\s*:", re.M
    )
    found = []
    for spec in specs:
        if spec.suffix not in (".yaml", ".yml"):
            continue
        data = loader.bytes_of(spec)
        if data is None or marker not in data or len(data) > loader.settings.max_file_bytes:
            continue
        if spec_key.search(data) is None:
            continue
        for operation in spec_operations(data.decode("utf-8", errors="replace"), routes):
            resolved = index.resolve(str(spec), ("", operation.function))
            if resolved.kind == "project" and not resolved.rest:
                how = (
                    f"operation {operation.method.upper()} '{operation.route}' ({display_path(spec)}:{operation.line})"
                )
                found.append((resolved.path, resolved.dotted, how))
    return found


def _may_define_views(index, knowledge: Knowledge, path: Path) -> bool:
    """Whether a module named like views (and naming no trigger) holds a class that is a view
    the framework calls by itself: the only handlers it can define, as decorators and
    registrars are triggers. Decided on its outline; the full facts only when it does."""
    from worker_audit.handlers import HandlerFinder

    outline = index.outline(str(path))
    if not isinstance(outline, ModuleOutline):
        return True  # parsed already, or only libcst can say
    finder = HandlerFinder(index, knowledge)
    return any((kind := finder.view_kind(str(path), name)) is not None and kind.implicit for name in outline.classes)


def _likely_reads(index, knowledge: Knowledge, roots: list, python: list[Path], root: Path) -> list[Path]:
    """Modules the analysis is likely to read whole later, the likeliest first: by turns, a
    project module the roots import (by how many roots import it) and a models module of the
    packs' conventions (where the keys and relations of a model a write names are read)."""
    imported: Counter[str] = Counter()
    for facts in roots:
        imported.update(
            {
                module[0]
                for binding in facts.bindings.values()
                if binding.kind == "import"
                and binding.ref is not None
                and (module := index.find_module(facts.path, *binding.ref)) is not None
            }
        )
    models = [
        path
        for path in python
        if _matches(path, knowledge.model_modules) and not knowledge.is_test_code(str(path), root)
    ]
    by_turns = zip_longest((Path(path) for path, _ in imported.most_common()), models)
    return [path for pair in by_turns for path in pair if path is not None]


def _matches(path: Path, globs: list[str]) -> bool:
    posix = path.as_posix()
    return any(fnmatch.fnmatch(posix, "*/" + glob) or fnmatch.fnmatch(path.name, glob) for glob in globs)


def _is_handler_module(path: Path, knowledge: Knowledge) -> bool:
    """A module the frameworks' conventions say holds views (Django's views.py)."""
    return _matches(path, knowledge.handler_modules)


class _Loader:
    """Loads a module's facts on first use: from the pool's results, the cache,
    or a parse here; remembers why a file could not be read."""

    def __init__(
        self,
        knowledge: Knowledge,
        settings: Settings,
        result: CheckResult,
        overlay: dict[str, bytes] | None = None,
        cache: FactCache | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.settings = settings
        self.result = result
        self.problems: dict[str, SourceProblem] = {}
        self.data: dict[str, bytes] = dict(overlay or {})  # files as a fix in progress left them
        self.cache = cache
        self.preloaded: dict[str, Loaded] = {}
        self.partial: dict[str, PartialModule] = {}  # modules read one function at a time
        self.read_in_part: dict[str, bool] = {}  # modules read in part: whether every part came from the cache
        self._project: DiscoveredFiles | None = None
        self.pooled = False  # whether the modules known to matter were loaded in a pool
        self.ahead: SpeculativeLoader | None = None

    def project_files(self, root: Path) -> DiscoveredFiles:
        """Every file of the project around a run on some files, listed once (the receiver,
        registrar and spec scans need it); its Python and YAML files are kept in the result for
        the run cache."""
        if self._project is None:
            s = self.settings
            self._project = discover([root], root, s.exclude, s.respect_gitignore)
            self.result.project_scanned = (str(root), project_listing(self._project))
        return self._project

    def project_python(self, root: Path) -> list[Path]:
        return self.project_files(root).python

    def bytes_of(self, path: Path) -> bytes | None:
        key = str(path)
        if key not in self.data:
            try:
                self.data[key] = read_bytes(path, read_limit(self.settings.max_file_bytes))
            except SourceProblem as problem:
                self.problems[key] = problem
                return None
        return self.data[key]

    def text_of(self, path: Path) -> str | None:
        """A deployment file the topology opens (a script, a Dockerfile, an env file): read
        like the others, so that the run cache knows it was read."""
        data = self.bytes_of(path)
        return data.decode("utf-8", errors="replace") if data is not None else None

    def too_big(self, key: str, data: bytes) -> bool:
        """A file over max-file-bytes is not parsed (libcst needs ~650 bytes of memory per byte)."""
        if len(data) <= self.settings.max_file_bytes:
            return False
        self.problems[key] = over_the_limit(len(data), self.settings.max_file_bytes)
        return True

    def outline(self, path: Path) -> ModuleOutline | None:
        """A module read only to follow names through it: `ast`, not libcst (see outline.py)."""
        data = self.bytes_of(path)
        if data is None:
            return None
        try:
            outline = outline_module(str(path), decode_python(data).text, self.knowledge.service_lookups)
        except SourceProblem:
            return None  # the full load reports it
        return outline

    def preload(self, paths: list[Path], jobs: int, progress: Callable[[int, int], None] | None) -> None:
        """Facts of modules known to be needed: cached ones, then the others in a pool of `jobs` processes."""
        pending = []
        for path in paths:
            data = self.bytes_of(path)
            if data is None:
                continue
            if self.too_big(str(path), data):
                continue
            cached = self.cache.get(str(path), data) if self.cache is not None else None
            if cached is not None:
                self.preloaded[str(path)] = cached
            else:
                pending.append((str(path), data))
        extras = (list(self.settings.extra_slow_calls), list(self.settings.extra_handler_decorators))
        loaded = load_in_parallel(pending, jobs, *extras, progress=progress)
        self.pooled = loaded is not None
        for path, data in pending if loaded is not None else ():
            self.preloaded[path] = loaded[path]
            if self.cache is not None:
                self.cache.put(path, data, loaded[path])

    def load_ahead(self, paths: list[Path]) -> None:
        """Start loading modules the analysis may read whole later, in a process of their own
        (speculative_loading.py): only after a pool loaded the modules known to matter (a run
        big enough to pay for a process), where processes fork. Not the modules at hand
        (loaded, cached, too big, unreadable)."""
        import multiprocessing

        if not self.pooled or "fork" not in multiprocessing.get_all_start_methods():
            return
        items = []
        for path in dict.fromkeys(paths):
            key = str(path)
            data = self.data.get(key)  # (a whole run has read every Python file: nothing to read here)
            if key in self.preloaded or key in self.problems or data is None:
                continue
            if len(data) > self.settings.max_file_bytes:
                continue
            if self.cache is not None and self.cache.get(key, data, count=False) is not None:
                continue
            items.append((key, data))
        if items:
            try:
                self.ahead = SpeculativeLoader(items, self.knowledge)
            except (OSError, RuntimeError):  # no processes here
                self.ahead = None

    def stop_loading_ahead(self) -> None:
        if self.ahead is not None:
            self.ahead.stop()
            self.ahead = None

    def function(self, path: Path, qualname: str):
        """One function's facts from a parse of that function alone (module_loading.load_function),
        cached like a module's; `WHOLE_MODULE` when the module is better read whole: its facts
        are at hand, it cannot be read, or the function is not plainly at its top level."""
        key = str(path)
        if key in self.preloaded:
            return WHOLE_MODULE
        data = self.bytes_of(path)
        if data is None or self.too_big(key, data):
            return WHOLE_MODULE
        whole = self.cache.get(key, data, count=False) if self.cache is not None else None
        if whole is not None:
            self.preloaded[key] = whole
            return WHOLE_MODULE
        part = f"{key}::{qualname}"
        loaded = self.cache.get(part, data, count=False) if self.cache is not None else None
        self.read_in_part[key] = self.read_in_part.get(key, True) and loaded is not None
        if loaded is None:
            if key not in self.partial:
                self.partial[key] = PartialModule(key, data)
            loaded = self.partial[key].function(qualname, self.knowledge)
            if loaded is None:
                return WHOLE_MODULE
            if self.cache is not None:
                self.cache.put(part, data, loaded)
        return loaded.facts.functions.get(qualname) if loaded.facts is not None else WHOLE_MODULE

    def __call__(self, path: Path):
        key = str(path)
        self.partial.pop(key, None)
        self.read_in_part.pop(key, None)
        loaded = self.preloaded.pop(key, None)
        if loaded is None:
            data = self.bytes_of(path)
            if data is None or self.too_big(key, data):
                return None
            loaded = self.cache.get(key, data) if self.cache is not None else None
            if loaded is None:
                loaded = (self.ahead.take(key, data) if self.ahead is not None else None) or load_module(
                    key, data, self.knowledge
                )
                if self.cache is not None:
                    self.cache.put(key, data, loaded)
        if loaded.note is not None:
            self.result.messages.append(f"{display_path(path)}: {loaded.note}")
        if loaded.internal_error is not None:
            self.result.internal_errors += 1
            self.result.messages.append(f"{display_path(path)}: {loaded.internal_error}")
        problem = loaded.source_problem()
        if problem is not None:
            self.problems[key] = problem
        if loaded.facts is not None:
            self.result.files_parsed += 1
        return loaded.facts


def _fact_cache(settings: Settings, result: CheckResult) -> FactCache | None:
    if not settings.cache_dir:
        return None
    from worker_audit.knowledge import packs_directory

    extras = settings.extra_slow_calls + ("|",) + settings.extra_handler_decorators
    cache = FactCache((settings.root / settings.cache_dir), cache_salt(packs_directory(), extras))
    result.cache = cache
    return cache


def _per_file_ignored(finding: Finding, path: str, settings: Settings) -> bool:
    try:
        relative = Path(path).absolute().relative_to(settings.root).as_posix()
    except ValueError:
        relative = Path(path).as_posix()
    for glob, codes in settings.per_file_ignores:
        if fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(Path(relative).name, glob):
            if any(finding.code.startswith(code) for code in codes):
                return True
    return False


@dataclass
class _Prepared:
    analysis: Analysis
    loader: _Loader
    suppression_sources: dict[str, str]  # the files checked that hold a suppression: "python" or "yaml"
    whole: bool  # the run checks the whole project: a folder at or above `project_root` (or any, without one)


# what a supervisord conf, a Kubernetes manifest or a systemd unit that declares a process holds
_DECLARES = (b"[program:", b"containers:", b"podSpec:", b"[Service]", b"applications:")
_TOP_SERVICES = re.compile(rb"^services:", re.MULTILINE)  # a compose file's, at the start of a line
# a Cloud Foundry manifest's, at the start of a line (experimenter's 213 feature manifests say
# `  applications:` nested: composing them all took 30 s)
_TOP_APPLICATIONS = re.compile(rb"^applications\s*:", re.MULTILINE)


def _prepare(
    paths: list[Path],
    settings: Settings,
    result: CheckResult,
    parse_python: bool = True,
    overlay: dict[str, bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
    discovered: DiscoveredFiles | None = None,
) -> _Prepared:
    """Discover, prefilter, parse the roots (when a rule needs them), read compose files and Procfiles."""
    from worker_audit.project import ProjectIndex

    knowledge = load_knowledge().with_extras(
        list(settings.extra_slow_calls), list(settings.extra_handler_decorators), settings.extra_handler_classes
    )
    if not settings.preview:
        knowledge = knowledge.without_preview()
    files = discovered or discover(
        paths, settings.root, settings.exclude, settings.respect_gitignore, settings.job.compose_files
    )
    for path, message in files.problems:
        result.messages.append(f"{display_path(path)}: {message}")
    result.files_checked = len(files.python) + len(files.compose) + len(files.procfiles)
    result.files_python = len(files.python)
    result.files_discovered = result.files_checked + len(files.process_files)

    loader = _Loader(knowledge, settings, result, overlay, _fact_cache(settings, result))
    # (not the common words of a kind with triggers of its own: `Chain().append` is read where built)
    enqueue_methods = frozenset(m for kind in knowledge.queue_kinds if not kind.triggers for m in kind.enqueue_methods)
    # what a factory returns is followed for these: `make_celery().task`, `make_celery().send_task`
    task_methods = {name for system in knowledge.task_systems for name in system.task_decorators.last_segments()} | {
        name for system in knowledge.task_systems for name in system.send_task.last_segments()
    }
    root = project_root(settings, paths)
    index = ProjectIndex(
        settings.root,
        loader,
        loader.outline if settings.outlines else None,
        enqueue_methods | task_methods,
        loader.function if settings.outlines else None,
        knowledge.library_packages,
        knowledge.enumerations,
        knowledge.view_models,
        root or next((path for path in paths if path.is_dir()), None),
        knowledge.model_loaders,
        frozenset(system.queue_keyword for system in knowledge.task_systems),
        {name: "factory" for name in knowledge.service_factories}
        | {name: "instance" for name in knowledge.service_instances},
    )
    triggers = trigger_pattern(knowledge, settings.job.queue_env_var)
    test_triggers = handler_trigger_pattern(knowledge)
    reported = {str(path) for path in files.python + files.compose + files.procfiles + files.process_files}
    suppression_sources: dict[str, str] = {}
    waiting = []
    candidates = []
    by_convention = []
    for path in files.python:
        data = loader.bytes_of(path)
        if data is None:
            continue
        if MARKER.encode() in data:
            suppression_sources[str(path)] = "python"
        if not parse_python:
            continue
        wanted = test_triggers if knowledge.is_test_code(str(path), settings.root) else triggers
        if not settings.prefilter or wanted.search(data):
            candidates.append(path)
        elif _is_handler_module(path, knowledge):
            by_convention.append(path)
        else:
            waiting.append(path)
    if root is None:  # no project around the paths: a folder given is the whole of it
        whole = any(path.is_dir() for path in paths)
    else:
        whole = any(path.is_dir() and root.is_relative_to(path.resolve()) for path in paths)
    # the project's Python files, for a name looked for by its file (a model by its app label,
    # a command by its name): a run on some files lists the rest of the project when first needed
    index.project_files = (lambda: files.python) if whole or root is None else (lambda: loader.project_python(root))
    index.test_code = lambda file: knowledge.is_test_code(str(file), settings.root)
    if not whole:
        # a run on some files reads each of them as a views module is read (its outline first):
        # a class there may derive from a project view base (`class X(BaseModelResource)`);
        # a whole run finds those by their bases' names (`_view_subclasses`)
        by_convention, waiting = by_convention + waiting, []
    registers = _registers_receivers(knowledge)
    to_parse = candidates + [p for p in by_convention if _may_define_views(index, knowledge, p)]
    parsing = set(to_parse)
    not_parsed = waiting + [p for p in by_convention if p not in parsing]
    receivers = [path for path in not_parsed if registers(loader.bytes_of(path) or b"")]
    loader.preload(to_parse + receivers, settings.jobs or default_jobs(), progress)
    parsed: dict[Path, ModuleFacts] = {}
    for done, path in enumerate(to_parse):
        if progress is not None:
            progress(done, len(to_parse))
        facts = index.module(str(path))
        if facts is not None:
            parsed[path] = facts
    roots = [parsed[path] for path in files.python if path in parsed]
    if whole:
        loader.load_ahead(_likely_reads(index, knowledge, roots, files.python, settings.root))
    try:  # the process loading ahead is stopped by the caller once the rules ran, or here
        # a module not parsed up front that names a declared task calls it (`rebuild.apply_async`),
        # a views module of function views among them: it is parsed, a root of the queue map
        names = task_names(index, roots, knowledge) if not_parsed else set()
        if names:
            callers = _words_pattern(names)
            for path in not_parsed:
                data = loader.bytes_of(path)
                if data is not None and callers.search(data):
                    facts = index.module(str(path))
                    if facts is not None:
                        roots.append(facts)

        if whole and not_parsed:
            roots.extend(_view_subclasses(index, knowledge, loader, not_parsed, roots))
        if not whole and root is not None and parse_python:
            roots.extend(_registrars_elsewhere(root, files.python, knowledge, index, loader))
        spec_handlers = []
        if parse_python and knowledge.spec_routes is not None:
            # a run on some files reads the project's specs too: they route to its functions
            # a compose glob may match a spec's name (`compose-files = ["*.yml"]`): its YAML files too
            project = files if whole or root is None else loader.project_files(root)
            specs = project.compose + project.process_files
            spec_handlers = _spec_handlers(specs, loader, index, knowledge.spec_routes)
            parsed_roots = {facts.path for facts in roots}
            for path in dict.fromkeys(path for path, _, _ in spec_handlers):
                facts = index.module(path) if path not in parsed_roots else None
                if facts is not None:
                    roots.append(facts)

        signal_modules = [facts for facts in map(index.module, map(str, receivers)) if facts is not None]

        by_content = settings.job.compose_files == JobStandard().compose_files
        deployment = _deployment_files(files, loader, suppression_sources, by_content)
        problems = [(path, problem) for path, problem in loader.problems.items() if path in reported]
        suppressions = SuppressionIndex(loader.data.get, suppression_sources)
        elsewhere = checked_elsewhere = None  # what a run on some files reads of the rest of the project
        if not whole and root is not None:
            checked_elsewhere = CheckedByAWholeRun(root, settings.exclude, settings.respect_gitignore)
            if knowledge.signals is not None:
                elsewhere = _ReceiversElsewhere(
                    root, files.python, settings, knowledge, index, loader, registers
                ).for_model
        analysis = Analysis(
            index,
            knowledge,
            settings,
            reported,
            roots,
            problems,
            deployment,
            signal_modules,
            suppressions,
            receivers_for=elsewhere,
            checked_by_a_whole_run=checked_elsewhere,
            read_text=loader.text_of,
            spec_handlers=spec_handlers,
        )
        return _Prepared(analysis, loader, suppression_sources, whole)
    except BaseException:
        loader.stop_loading_ahead()
        raise


def _deployment_files(
    files: DiscoveredFiles, loader: _Loader, suppression_sources: dict[str, str], by_content: bool
) -> DeploymentFiles:
    """The compose files, Procfiles and the process files that declare processes (supervisord,
    systemd, Kubernetes, Cloud Foundry), read; a YAML file that cannot be read is a problem.
    `by_content`: another YAML file with a compose `services:` mapping is a compose file too
    (with the default `compose-files`), unless a compose file extends or includes it."""
    deployment = DeploymentFiles()
    found_by_content = []
    for path in files.compose:
        data = loader.bytes_of(path)
        if data is None or loader.too_big(str(path), data):
            continue
        text = data.decode("utf-8", errors="replace")
        loaded = load_compose(path, text)
        if isinstance(loaded, YamlProblem) and is_template(text, loaded):
            continue  # a Jinja template of a compose file, rendered by a tool before compose reads it
        if MARKER in text:
            suppression_sources[str(path)] = "yaml"
        if isinstance(loaded, YamlProblem):
            deployment.problems.append((str(path), loaded.message, loaded.line, loaded.column))
        else:
            deployment.compose_documents.append(loaded)
    for path in files.procfiles:
        data = loader.bytes_of(path)
        if data is not None and not loader.too_big(str(path), data):
            deployment.procfiles.append((str(path), parse_procfile(data.decode("utf-8", errors="replace"))))
    for path in files.process_files:  # maybe deployment files: only those that say so count
        if is_dockerfile(path.name):
            deployment.images.append(str(path))  # the topology reads what its image starts
            continue
        data = loader.bytes_of(path)
        if data is None:
            continue
        compose_like = by_content and path.suffix in (".yaml", ".yml") and _TOP_SERVICES.search(data) is not None
        if not (compose_like or any(mark in data for mark in _DECLARES)) or loader.too_big(str(path), data):
            continue
        if compose_like:
            # a compose file by what it holds, whatever its name (`local.yml`): read as one
            text = data.decode("utf-8", errors="replace")
            loaded = load_compose(path, text)
            if not isinstance(loaded, YamlProblem) and is_compose_document(loaded):
                if MARKER in text:
                    suppression_sources[str(path)] = "yaml"
                found_by_content.append(loaded)
                continue
        if b"[program:" in data:
            deployment.declared.append((str(path), supervisor_programs(data.decode("utf-8", errors="replace"))))
        elif b"[Service]" in data and path.suffix == ".service":
            services = systemd_services(data.decode("utf-8", errors="replace"), path.name)
            deployment.declared.append((str(path), services))
        elif (b"containers:" in data or b"podSpec:" in data) and path.suffix in (".yaml", ".yml"):
            containers = kubernetes_containers(data.decode("utf-8", errors="replace"))
            if isinstance(containers, YamlProblem):
                deployment.problems.append((str(path), containers.message, containers.line, containers.column))
            else:
                deployment.declared.append((str(path), containers))
        elif path.suffix in (".yaml", ".yml") and _TOP_APPLICATIONS.search(data) is not None:
            apps = cloud_foundry_apps(data.decode("utf-8", errors="replace"))
            if isinstance(apps, YamlProblem):
                deployment.problems.append((str(path), apps.message, apps.line, apps.column))
            else:
                deployment.declared.append((str(path), apps))
    # a template another compose file extends or includes (`common-services.yml`) runs as part of it
    parts = {
        name for document in deployment.compose_documents + found_by_content for name in referenced_files(document)
    }
    deployment.compose_documents += [d for d in found_by_content if os.path.normpath(d.path) not in parts]
    return deployment


def run_check(
    paths: list[Path],
    settings: Settings,
    select: set[str] | None = None,
    overlay: dict[str, bytes] | None = None,
    progress: Callable[[int, int], None] | None = None,
    discovered: DiscoveredFiles | None = None,
) -> CheckResult:
    """Check `paths`; `overlay` gives some files' content as a fix in progress left them;
    `progress(done, total)` hears of each Python file as the roots are read."""
    result = CheckResult()
    active = select if select is not None else selected_codes(settings.select, settings.ignore)
    parse_python = any("python" in RULES[code].reads for code in active)
    prepared = _prepare(paths, settings, result, parse_python, overlay, progress, discovered)
    try:
        _run_rules(prepared, active, settings, result)
    finally:
        prepared.loader.stop_loading_ahead()
    result.files_in_part = len(prepared.loader.read_in_part)
    result.files_in_part_cached = sum(prepared.loader.read_in_part.values())
    result.files_outlined = len(prepared.analysis.index.loaded()) - result.files_parsed - result.files_in_part
    if result.cache is not None and result.cache.note is not None:
        result.messages.append(result.cache.note)
    if result.cache is not None and not overlay:  # what the run read, for the run cache
        loader = prepared.loader
        result.inputs = {path: hashlib.sha256(data).hexdigest() for path, data in loader.data.items()}
        result.inputs.update({path: None for path in loader.problems if path not in loader.data})
    return result


def _run_rules(prepared: _Prepared, active: set[str], settings: Settings, result: CheckResult) -> None:
    findings: list[tuple[str, Finding]] = []
    for code in sorted(active):
        try:
            findings.extend((finding.path, finding) for finding in RULES[code]().check(prepared.analysis))
        except Exception as exc:  # a bug in worker-audit: keep it to this rule
            result.internal_errors += 1
            result.messages.append(f"internal error in {code}, rule skipped: {type(exc).__name__}: {exc}")

    result.findings = _apply_suppressions(findings, prepared, active, settings)
    result.findings.sort(key=Finding.sort_key)


@dataclass(frozen=True)
class AuditResult:
    """What `worker-audit report` needs, from one parse: the findings of every
    selected rule, the queue topology and each enqueue site."""

    check: CheckResult
    topology: Topology
    sites: tuple[EnqueueSite, ...]
    codes: frozenset[str]  # the rules that ran
    handlers: int  # request handlers found in the audited files (methods views inherit included)
    unparsed: int  # audited Python files that could not be read or parsed (WA001 says which)


def run_audit(paths: list[Path], settings: Settings) -> AuditResult:
    """`run_check` with the configured selection, keeping what the analysis knows of queues."""
    result = CheckResult()
    active = selected_codes(settings.select, settings.ignore)
    prepared = _prepare(paths, settings, result)
    try:
        _run_rules(prepared, active, settings, result)
        analysis = prepared.analysis
        sites = enqueue_sites(analysis)
    finally:
        prepared.loader.stop_loading_ahead()
    result.files_in_part = len(prepared.loader.read_in_part)
    result.files_outlined = len(analysis.index.loaded()) - result.files_parsed - result.files_in_part
    handlers = len(analysis.handlers) + len(analysis.view_handlers)
    return AuditResult(result, analysis.topology, sites, frozenset(active), handlers, len(analysis.problems))


def run_topology(paths: list[Path], settings: Settings) -> tuple[Topology, CheckResult]:
    """The queue topology of the audited tree, for `worker-audit queues`."""
    result = CheckResult()
    prepared = _prepare(paths, settings, result)
    try:
        return prepared.analysis.topology, result
    finally:
        prepared.loader.stop_loading_ahead()


def _apply_suppressions(findings, prepared: _Prepared, active: set[str], settings: Settings):
    """Drop the findings a suppression on their line covers; then WA003 on the suppressions of
    the files checked that suppressed nothing, neither a finding on their line nor a statement
    on the way to one (analysis.handler_hits). A run on some files does not see every handler
    that may reach a helper: there a suppression of a rule that follows helpers, on a line a
    handler may reach through, is not judged."""
    analysis = prepared.analysis
    index = analysis.suppressions
    for display, _ in findings:  # a Procfile, a script or a Dockerfile a worker line is in: `#` comments
        path = os.path.abspath(display)
        data = prepared.loader.data.get(path)
        if path not in prepared.suppression_sources and not path.endswith(".py") and data is not None:
            if MARKER.encode() in data:
                prepared.suppression_sources[path] = "yaml"
    by_display = {display_path(path): path for path in prepared.suppression_sources}
    kept: list[Finding] = []
    for display, finding in findings:
        path = by_display.get(display)
        if path is not None and index.suppresses(path, finding.line, finding.code):
            continue
        if settings.per_file_ignores and _per_file_ignored(finding, by_display.get(display, display), settings):
            continue
        kept.append(finding)

    unused_rule = UnusedSuppressionRule()
    if unused_rule.code not in active:
        return kept
    through_helpers = {code for code in active if RULES[code].follows_helpers}
    for _, path in sorted(by_display.items()):
        data = prepared.loader.data.get(path, b"")
        if path in prepared.loader.problems or len(data) > settings.max_file_bytes:
            continue  # never analysed (a WA001 says why when it was needed): nothing there is used
        reachable: set[int] | bool | None = None
        for line, suppression in sorted(index.of(path).items()):
            judged = active
            if not prepared.whole and through_helpers and prepared.suppression_sources[path] == "python":
                if reachable is None:
                    reachable = lines_a_handler_may_reach_through(data)
                if reachable is True or line in reachable:
                    if suppression.codes is None:
                        continue
                    judged = active - through_helpers  # a handler outside this run may use it
            used = index.used.get((path, line), set())
            for finding in unused_rule.unused(analysis, path, suppression, used, set(RULES), judged):
                if not _per_file_ignored(finding, path, settings):
                    kept.append(finding)
    return kept
