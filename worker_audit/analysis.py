"""The answers rules ask for, computed once per run over the project index."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from worker_audit.compose import compose_services, read_text
from worker_audit.deploy_files import DeploymentFiles
from worker_audit.facts import OWN_ATTRIBUTE, CallFact, ModuleFacts, loop_line
from worker_audit.finding import Related
from worker_audit.handlers import Handler, find_handlers
from worker_audit.job_standard import JobReview, handed_on, review_job, review_jobs
from worker_audit.knowledge import Knowledge
from worker_audit.project import ProjectIndex
from worker_audit.queue_topology import Consumer, Topology, python_module_name
from worker_audit.reach import NOTHING_KNOWN, Known, Reach, Reached
from worker_audit.settings import Settings
from worker_audit.suppressions import SuppressionIndex


def display_path(path: str | Path, base: Path | None = None) -> str:
    """POSIX, relative to `base` (the working directory by default) when below it. Bytes of a
    file name that are not UTF-8 show as U+FFFD: every report is UTF-8 text."""
    absolute = Path(path).absolute()
    try:
        shown = absolute.relative_to((base or Path.cwd()).absolute()).as_posix()
    except ValueError:
        shown = absolute.as_posix()
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class Analysis:
    def __init__(
        self,
        index: ProjectIndex,
        knowledge: Knowledge,
        settings: Settings,
        reported: set[str],
        roots: list[ModuleFacts],
        problems: Iterable = (),
        deployment: DeploymentFiles | None = None,
        signal_modules: list[ModuleFacts] | None = None,
        suppressions: SuppressionIndex | None = None,
        receivers_for: Callable[[str], list[ModuleFacts]] | None = None,
        checked_by_a_whole_run: Callable[[Path], bool] | None = None,
        read_text: Callable[[Path], str | None] = read_text,
        spec_handlers: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        self.read_text = read_text  # deployment files the topology opens (scripts, Dockerfiles, env files)
        self.index = index
        self.knowledge = knowledge
        self.settings = settings
        self.reported = reported  # files the user asked about: findings land only there
        self.roots = roots  # parsed modules that may define handlers
        self.spec_handlers = list(spec_handlers)  # (path, qualname, how): functions an API spec routes to
        self.reach = Reach(
            index,
            knowledge,
            settings.max_call_depth,
            settings.job.job_model,
            roots + (signal_modules or []),
            receivers_for,
        )
        self.problems = list(problems)  # (path, SourceProblem): Python files that could not be read
        self.deployment = deployment or DeploymentFiles()
        self.suppressions = suppressions or SuppressionIndex(lambda path: None, {})
        # in a run on some files: whether a run over the whole project checks a file
        self._checked_by_a_whole_run = checked_by_a_whole_run
        self._reached: dict[tuple[str, str], list[Reached]] = {}
        # what a method views inherit reaches by itself, and whether a view's model can add to it
        self._alone: dict[tuple[str, str], tuple[set[tuple], bool]] = {}
        self._identity_sets: dict[tuple[str, str], set[tuple]] = {}  # what each handler reaches
        self._long_work: dict[tuple[tuple[str, str], Known], bool] = {}

    @cached_property
    def _all_handlers(self) -> list[Handler]:
        modules = self.roots + self._url_lists_elsewhere()
        return [
            h for h in find_handlers(self.index, self.knowledge, modules, self.spec_handlers) if h.path in self.reported
        ]

    def _url_lists_elsewhere(self) -> list[ModuleFacts]:
        """The modules a Django URLconf imports a list of routes from (`from .urls_shared import
        shared_patterns`, then `urlpatterns += shared_patterns`): their `path()` calls register
        views though no list there has the name the prefilter looks for (a registrar's
        `trigger` in the packs, `urlpatterns`)."""
        triggers = {registrar.trigger for registrar in self.knowledge.view_registrars if registrar.trigger}
        found: dict[str, ModuleFacts] = {}
        known = {facts.path for facts in self.roots}
        for facts in self.roots:
            if not triggers & facts.bindings.keys():
                continue
            for name, binding in facts.bindings.items():
                if binding.kind != "import" or name in triggers:
                    continue
                resolved = self.index.resolve(facts.path, binding.ref)
                held = resolved.binding if resolved.kind == "variable" else None
                if held is None or held.items is None or resolved.path in known or resolved.path in found:
                    continue  # not a list written out in a project module (a view, a setting)
                module = self.index.module(resolved.path)
                if module is not None:
                    found[resolved.path] = module
        return list(found.values())

    @property
    def handlers(self) -> list[Handler]:
        """Handler functions, each where it is defined."""
        return [h for h in self._all_handlers if h.view is None]

    @property
    def view_handlers(self) -> list[Handler]:
        """Methods views inherit, each read for one view that says its model (see handlers.py)."""
        return [h for h in self._all_handlers if h.view is not None]

    @cached_property
    def topology(self) -> Topology:
        topology = Topology(
            self.index, self.knowledge, self.settings.job.queue_env_var, sorted(self.reported), self.read_text
        )
        for facts in self.roots:
            topology.add_module(facts)
        for service in compose_services(self.deployment.compose_documents, self.read_text):
            topology.add_service(service)
        for path, entries in self.deployment.procfiles:
            topology.add_procfile(path, entries)
        for path, processes in self.deployment.declared:
            topology.add_declared(path, processes)
        for path in self.deployment.images:
            topology.add_image(path)
        topology.finish()
        return topology

    def reports_worker(self, consumer: Consumer) -> bool:
        """Whether a finding on a worker definition lands in this run: its file is one the
        run checks, or a shell script, Dockerfile or env file that one of those starts."""
        return consumer.path in self.reported or consumer.declared_in in self.reported

    @cached_property
    def fix_queue(self) -> str:
        """The queue the fixes that create an enqueue use: the configured `fix-queue`;
        else `default` when a worker serves it (or what workers serve is not known);
        else the served queue the project's enqueues use most; else `default`."""
        if self.settings.job.fix_queue:
            return self.settings.job.fix_queue
        consumed = self.topology.consumed()
        if consumed is None or "default" in consumed:
            return "default"
        used = Counter(p.queue for p in self.topology.producers if p.queue in consumed)
        return min(used, key=lambda queue: (-used[queue], queue)) if used else "default"

    @cached_property
    def jobs(self) -> list[JobReview]:
        return review_jobs(self.index, self.reach, self.topology, self.settings.job, self._run_by_requests)

    def _run_by_requests(self) -> set[tuple[str, str]]:
        """The functions the run's handlers reach, (path, qualname): a helper one of them
        shares with a job enqueues for requests too."""
        handlers = {h.defined or (h.path, h.qualname) for h in self._all_handlers}
        reached = {(p, q) for handler in sorted(handlers) for p, q, _ in self.reach.functions_from(*handler)}
        return reached | handed_on(self.reach, reached)  # `phases.append(collect_phase)` in a handler

    @cached_property
    def project_names(self) -> dict[str, tuple[str, str]]:
        """Where the project keeps what generated code needs, as (module, name):
        "job_model" (the tracking model class), "db" (the Flask-SQLAlchemy
        instance), "redis" (a module-level Redis connection), and "jobs" (the
        jobs package: (module, folder))."""
        found: dict[str, tuple[str, str]] = {}
        redis_makers = ("redis.Redis()", "redis.StrictRedis()", "redis.Redis.from_url()", "redis.from_url()")
        model = self.settings.job.job_model
        for facts in self.index.loaded():  # the module a checked file imports the job model from, outlined
            binding = facts.bindings.get(model)
            if facts.path in self.reported and binding is not None and binding.kind == "import":
                self.index.resolve(facts.path, binding.ref)
        models = set()  # the modules defining a model class of that name (`class BackgroundJob(db.Model)`)
        for facts in sorted(self.index.loaded(), key=lambda f: f.path):
            module = python_module_name(facts.path)
            if facts.path.endswith(f"{os.sep}jobs{os.sep}__init__.py"):
                found.setdefault("jobs", (module, str(Path(facts.path).parent)))
            if model in facts.classes and facts.classes[model].bases:
                models.add(module)
            for name, binding in sorted(facts.bindings.items()):
                if binding.kind != "instance" or binding.ref is None or binding.ref[0] != "":
                    continue
                if binding.ref[1] == "flask_sqlalchemy.SQLAlchemy()":
                    found.setdefault("db", (module, name))
                elif binding.ref[1] in redis_makers:
                    found.setdefault("redis", (module, name))
        if len(models) == 1:  # two classes of that name: which one tracks jobs is not for a fix to guess
            found["job_model"] = (models.pop(), model)
        return found

    def is_long_work(self, job: tuple[str, str] | None, site: tuple[str, CallFact] | None = None) -> bool:
        """Whether an enqueued function loops over work: what the standard calls an
        operation that can take long. Unknown functions are not assumed to. `site`: the
        enqueue call (path, call), whose arguments the job is given (`[doc.pk]`: a few)."""
        if job is None:
            return False
        given = self.reach.given_to_job(*site, job) if site is not None else NOTHING_KNOWN
        if (job, given) not in self._long_work:
            review = review_job(self.index, self.reach, self.settings.job, *job, given)
            self._long_work[job, given] = review is not None and review.loops
        return self._long_work[job, given]

    def enqueues_long_work(self, reached: Reached) -> bool:
        """Whether an enqueue a handler reaches hands off long work, given what its call gives."""
        effect = reached.effect
        return effect.kind == "enqueue" and self.is_long_work(effect.target, (effect.path, effect.call))

    def looping_jobs(self) -> Iterator[JobReview]:
        """Enqueued functions in the reported files that loop over work, when a request may
        start them (a job only periodic schedulers enqueue is outside the job standard)."""
        return (job for job in self.jobs if job.loops and not job.outside_requests and job.path in self.reported)

    def enqueued_at(self, job: JobReview) -> list[Related]:
        return [
            Related(self.display(p.site_path), p.site_span.line, f"enqueued by `{p.function}`") for p in job.producers
        ]

    def reached(self, handler: Handler) -> list[Reached]:
        """What a handler reaches; for a method read for one view, only what the view's model
        adds to what the method reaches by itself."""
        key = (handler.path, handler.qualname)
        if key not in self._reached:
            if handler.view is not None and handler.library_write:
                self._reached[key] = self.reach.from_library_action(
                    handler.view, handler.qualname, handler.span, handler.library_write
                )
            elif handler.view is not None and handler.defined is not None:
                if handler.defined not in self._alone:
                    self._alone[handler.defined] = self._writes_alone(*handler.defined)
                alone, model_adds = self._alone[handler.defined]
                if not model_adds and not handler.template:
                    # writes nothing a view's model could change: read once, for itself
                    self._reached[key] = []
                else:
                    known = _routed_action_known(handler)
                    in_view = self.reach.from_function(*handler.defined, view=handler.view, known=known)
                    self._reached[key] = [r for r in in_view if _identity(r) not in alone]
            else:
                known = _routed_action_known(handler)
                self._reached[key] = self.reach.from_function(handler.path, handler.qualname, known=known)
        return self._reached[key]

    def _identities(self, handler: Handler) -> set[tuple]:
        """The effects a handler reaches, by identity (remembered)."""
        key = (handler.path, handler.qualname)
        if key not in self._identity_sets:
            self._identity_sets[key] = {_identity(r) for r in self.reached(handler)}
        return self._identity_sets[key]

    def _writes_alone(self, path: str, qualname: str) -> tuple[set[tuple], bool]:
        """What a method views inherit reaches by itself, and whether a view's model can add
        to it: not when it reaches no write and loops over no element of the view's queryset."""
        found = self._reached.get((path, qualname)) or self.reach.from_function(path, qualname)
        writes = any(r.effect.kind in ("row-write", "bulk-db") for r in found)
        return {_identity(r) for r in found}, writes or self.reach.calls_on_view_objects(path, qualname)

    @staticmethod
    def display(path: str) -> str:
        return display_path(path)

    def chain_related(self, reached: Reached, what: str) -> list[Related]:
        """The hops from the handler to the effect, each at its call (where the reader goes
        next, with where the function it calls is defined), then the effect itself."""
        related = [
            Related(
                self.display(hop.path),
                hop.span.line,
                (f"runs `{hop.callee}` ({hop.by})" if hop.by else f"calls `{hop.callee}`")
                + f", defined at {self.display(hop.callee_path)}:{self._function_line(hop.callee_path, hop.callee)}",
            )
            for hop in reached.chain
        ]
        effect = reached.effect
        related.append(Related(self.display(effect.path), effect.call.span.line, f"{what}: {effect.call.text}"))
        return related

    def _function_line(self, path: str, qualname: str) -> int:
        function = self.index.function(path, qualname)
        return function.span.line if function is not None else 1

    def handler_hits(self, wanted: Callable[[Reached], bool], code: str) -> Iterator[HandlerHits]:
        """For each handler that reaches effects `wanted` accepts: those effects. A method read
        for one view counts only when the method is not reported by itself (in this run, or,
        when its module is not among the files checked, in a run that checks it), and the
        methods of one view make one finding (`SiteViewSet.create/update`). An effect is left
        out when a suppression of `code` sits on a line of a helper on its way (see
        `_suppressed_on_the_way`)."""
        reported = set()
        by_view: dict[tuple[str, str], list[tuple[Handler, list[Reached]]]] = {}
        handlers = {(handler.path, handler.qualname): handler for handler in self.handlers}
        for handler in self.handlers + self.view_handlers:
            if handler.defined in reported or self._reported_elsewhere(handler, wanted, code):
                continue
            # an effect reached through another handler (a view's `post` calling its `form_valid`)
            # is that handler's finding: the same statement is not reported twice. Unless that
            # handler does not reach it by itself: `super().post()` in a view runs the base's
            # `post` with the view's own `import_row`
            hits = [
                r
                for r in self._hits(handler, wanted, code)
                if not any(
                    (hop.callee_path, hop.callee) in handlers
                    and _identity(r) in self._identities(handlers[(hop.callee_path, hop.callee)])
                    for hop in r.chain
                )
            ]
            if not hits:
                continue
            if handler.view is None:
                # a suppression on the line of a later effect in the handler leaves that effect
                # out; one on the first effect's line is the finding's, for the engine
                reported_on = hits[0].anchor.line
                hits = [
                    r
                    for r in hits
                    if r.anchor.line == reported_on
                    or not self.suppressions.suppresses(handler.path, r.anchor.line, code)
                ]
                reported.add((handler.path, handler.qualname))
                yield HandlerHits(handler, hits, self)
            else:
                by_view.setdefault(handler.view, []).append((handler, hits))
        for (_, view_name), found in by_view.items():
            methods = "/".join(handler.qualname.rsplit(".", 1)[-1] for handler, _ in found)
            merged = replace(found[0][0], qualname=f"{view_name}.{methods}")
            yield HandlerHits(merged, [hit for _, hits in found for hit in hits], self)

    def _hits(self, handler: Handler, wanted: Callable[[Reached], bool], code: str) -> list[Reached]:
        return sorted(
            (r for r in self.reached(handler) if wanted(r) and not self._suppressed_on_the_way(handler, r, code)),
            key=lambda r: (r.anchor.line, r.anchor.column, len(r.chain)),
        )

    def _reported_elsewhere(self, handler: Handler, wanted: Callable[[Reached], bool], code: str) -> bool:
        """Whether a method a view inherits, defined in a module outside the files checked (a
        pre-commit run on `views.py`) that a run over the whole project checks, is reported by
        itself there: then the view is not reported for it here either, as in that run."""
        if handler.view is None or handler.defined is None or self._checked_by_a_whole_run is None:
            return False
        path, qualname = handler.defined
        if path in self.reported or not self._checked_by_a_whole_run(Path(path)):
            return False
        return bool(self._hits(Handler(path, qualname, handler.span, handler.how), wanted, code))

    def _suppressed_on_the_way(self, handler: Handler, reached: Reached, code: str) -> bool:
        """Whether a suppression of `code` sits on a line of `lines_on_the_way`: said once in a
        helper, it holds for every handler that reaches the helper."""
        return any(self.suppressions.suppresses(path, line, code) for path, line in lines_on_the_way(handler, reached))


def _routed_action_known(handler: Handler) -> Known:
    """What the handler's request sets on `self` (DRF's `self.action`), for the branches that
    test it."""
    if handler.routed_action is None:
        return NOTHING_KNOWN
    attribute, names = handler.routed_action
    return frozenset({(OWN_ATTRIBUTE + attribute, names)})


def _identity(reached: Reached) -> tuple:
    effect = reached.effect
    return (effect.kind, effect.path, effect.call.span, reached.looped)


class HandlerHits:
    """One handler and the effects of one kind it reaches, in source order."""

    def __init__(self, handler: Handler, hits: list[Reached], analysis: Analysis) -> None:
        self.handler = handler
        self.hits = hits
        self.first = hits[0]
        self._analysis = analysis

    @property
    def scope(self) -> str:
        """The finding's scope (its identity in baselines): the view, whichever of its methods hit."""
        return self.handler.view[1] if self.handler.view is not None else self.handler.qualname

    @property
    def anchor(self):
        """Where the finding goes: the first effect's line in the handler, or the name of the
        view that inherits the handler (the effect's lines are in the base class's module)."""
        return self.handler.span if self.handler.view is not None else self.first.anchor

    @property
    def more(self) -> str:
        """How many other statements the handler reaches; a statement reached through several
        methods of a view (`create`, `update`, `destroy`) counts once."""
        statements = len({(hit.effect.path, hit.effect.call.span) for hit in self.hits})
        return f" (+{statements - 1} more)" if statements > 1 else ""

    @property
    def via(self) -> str:
        """` (via `helper()` -> `inner()`)` when the first effect is in a helper."""
        if not self.first.chain:
            return ""
        names = " -> ".join(f"`{hop.callee}()`" + (f" ({hop.by})" if hop.by else "") for hop in self.first.chain)
        return f" (via {names})"

    def related(self, what: str) -> list[Related]:
        out: list[Related] = []
        defined = self.handler.defined
        if self.handler.view is not None and defined is not None:
            line = self._analysis._function_line(*defined)
            out.append(Related(self._analysis.display(defined[0]), line, f"inherits `{defined[1]}`"))
        for hit in self.hits:
            out.extend(self._analysis.chain_related(hit, what))
        return list(dict.fromkeys(out))  # hits through the same helpers name them once


def lines_on_the_way(handler: Handler, reached: Reached) -> list[tuple[str, int]]:
    """(path, line) of each call on the way from the handler to an effect, of the effect and of
    the loop that repeats it; not the line in the handler the effect shows on, which
    `handler_hits` judges."""
    lines = [(hop.path, hop.span.line) for hop in reached.chain]
    lines.append((reached.effect.path, reached.effect.call.span.line))
    if reached.repeating_loop is not None:
        path, loop = reached.repeating_loop
        lines.append((path, loop_line(loop)))
    if handler.view is None:
        return [line for line in lines if line != (handler.path, reached.anchor.line)]
    return lines
