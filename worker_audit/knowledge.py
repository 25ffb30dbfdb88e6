"""Framework knowledge: the YAML packs of `rules/`, loaded and validated.

Packs name library APIs by qualified name, never by spelling in the audited
code: `flask.Blueprint().route` is "the `route` attribute of an instance of
`flask.Blueprint`", however the module imported it.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePath
from typing import Any

import yaml


class KnowledgeError(Exception):
    """A pack that does not follow the schema: a bug in worker-audit's data."""


def expand_braces(pattern: str) -> list[str]:
    """`a.{b,c}.d` -> [`a.b.d`, `a.c.d`]; several groups multiply."""
    match = re.search(r"\{([^{}]*)\}", pattern)
    if not match:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    out: list[str] = []
    for choice in match.group(1).split(","):
        out.extend(expand_braces(head + choice.strip() + tail))
    return out


class NamePatterns:
    """A set of qualified-name patterns (`*` globs allowed) matched fast."""

    def __init__(self, patterns: Iterable[str] = ()) -> None:
        self.exact: set[str] = set()
        self.globs: list[str] = []
        for pattern in patterns:
            for one in expand_braces(pattern):
                if "*" in one or "?" in one:
                    self.globs.append(one)
                else:
                    self.exact.add(one)
        # the names the globs were tried on, with the answer: a run asks about the same few
        # thousand names hundreds of thousands of times
        self._globbed: dict[str, bool] = {}

    def matches(self, name: str | None) -> bool:
        if not name:
            return False
        if name in self.exact:
            return True
        if not self.globs:
            return False
        found = self._globbed.get(name)
        if found is None:
            found = self._globbed[name] = any(fnmatch.fnmatchcase(name, glob) for glob in self.globs)
        return found

    def __bool__(self) -> bool:
        return bool(self.exact or self.globs)

    def matches_project_name(self, name: str) -> bool:
        """A configured project name (`server.services.x.send`) matches however deep the
        project root is: `src.server.services.x.send` too."""
        parts = name.split(".")
        return any(self.matches(".".join(parts[i:])) for i in range(len(parts)))

    def last_segments(self) -> set[str]:
        """The final names (`route`, `Thread`): what the prefilter looks for."""
        out = set()
        for name in list(self.exact) + self.globs:
            last = name.rsplit(".", 1)[-1].replace("()", "")
            if last and "*" not in last:
                out.add(last)
            else:
                head = name.rsplit(".", 2)
                if len(head) >= 2:
                    out.add(head[-2].replace("()", ""))
        return out


ArgSpec = tuple[int | None, str | None]  # (position, keyword)


def _arg_spec(value: str) -> ArgSpec:
    """`"0:name"` -> (0, "name"); `"0"` -> (0, None); `"name"` -> (None, "name"); `"-1"`: the
    last positional argument (`islice(it, size)`, `islice(it, start, stop)`)."""
    position, _, keyword = value.partition(":")
    if position.isdigit() or position == "-1":
        return int(position), keyword or None
    return None, value or None


@dataclass(frozen=True)
class ViewRegistrar:
    call: NamePatterns
    position: int
    keyword: str
    trigger: str | None = None  # the word the prefilter looks for, when the call's name is too common
    # `path("x/", WipeView.as_view())` of a class whose bases are no view class the packs know
    # (django-vanilla-views' `GenericModelView`): as_view() dispatches to these methods
    class_methods: frozenset[str] = frozenset()
    # Falcon's `add_route("/items/{id}", items, suffix="item")`: the keyword whose string names
    # the responders of this route instead, each class method with `_item` after it (`on_get_item`)
    method_suffix: str = ""
    # Falcon's `add_route("/items", ItemCollection())`: the call is given an instance, whose class's
    # `class_methods` answer (others call an instance they are given: its `__call__`)
    instances: bool = False


@dataclass(frozen=True)
class ViewClasses:
    bases: NamePatterns
    methods: frozenset[str]
    method_decorators: NamePatterns = field(default_factory=NamePatterns)  # DRF @action
    implicit: bool = False  # every subclass is a view, registered or not (Django, DRF)
    sets_http_status: bool = True  # False for GraphQL: the response is 200 whatever the resolver does
    # `Meta.abstract`: a class whose nested `Meta` sets `abstract = True` is a base of views, no
    # view itself (Graphene mounts no abstract mutation)
    abstract_flag: str = ""
    # `MemberViewSet.as_view({"post": "deactivate"})`: the class method whose dict literal
    # (HTTP method -> action) routes each action named in it, whatever its name (DRF viewsets)
    action_map: str = ""
    # `actions = ["publish", "archive"]` (Django's ModelAdmin): a class attribute whose strings
    # name more handler methods of the class
    listed_in: str = ""
    # Flask-Classful: every method of the class whose name starts with no `_` answers a route of
    # its own (GET unless `@route` says), less these names (`before_request`, `after_*` hooks)
    public_methods: bool = False
    not_routed: NamePatterns = field(default_factory=NamePatterns)
    # DRF's `self.action`: the attribute of `self` the framework sets to the name of the action a
    # request runs, and the methods that are actions by their name (besides those decorated with
    # `method_decorators` or routed by `action_map`, whose names are theirs too)
    routed_action: str = ""
    routed_methods: frozenset[str] = frozenset()
    # the library's actions that run a method under their own name (`update` for PATCH's
    # `partial_update`)
    routed_also: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Orm:
    query_properties: frozenset[str]
    # a model's class attribute naming the class its query property makes (Flask-SQLAlchemy's
    # `query_class = BillQuery`): a method that class defines is the project's, not the ORM's
    query_class_attributes: frozenset[str]
    session_names: frozenset[str]
    session_types: NamePatterns
    query_methods: frozenset[str]
    bulk_terminals: frozenset[str]
    execute_methods: frozenset[str]
    statements: dict[str, NamePatterns]
    statement_filters: frozenset[str]
    bulk_session_methods: frozenset[str]
    collection_session_methods: frozenset[str]
    row_write_methods: frozenset[str]
    primary_keys: frozenset[str]
    bulk_query_methods: frozenset[str] = frozenset()  # Model.objects.bulk_create(...)
    row_query_methods: frozenset[str] = frozenset()  # Model.objects.create(...): one row
    # what builds a manager of another name in a model's body (`all_objects =
    # ProofManager().from_queryset(ProofQuerySet)()`): `Proof.all_objects.x()` queries Proof
    manager_builders: frozenset[str] = frozenset()
    instance_write_methods: frozenset[str] = frozenset()  # obj.save() / obj.delete() with no argument
    # attributes that hold a session whatever holds them (`request.db`, `self.db`), though a
    # bare name of theirs is something else (Flask-SQLAlchemy's `db`)
    session_attributes: frozenset[str] = frozenset()
    # the keywords those methods take (`update_fields=`, `using=`): `client.delete(email=e)` is another API
    instance_write_keywords: frozenset[str] = frozenset()
    raw_sql_methods: frozenset[str] = frozenset()  # cursor.execute("DELETE ...")
    many_sql_methods: frozenset[str] = frozenset()  # cursor.executemany(...)
    # `db.delete(M)`: Flask-SQLAlchemy's `db` builds SQLAlchemy's statements (by its name)
    statement_owners: frozenset[str] = frozenset()
    row_hook_methods: frozenset[str] = frozenset()  # self.perform_destroy(obj): a framework hook writing one row
    instance_getters: frozenset[str] = frozenset()  # query.one() / .first(): one instance of the queried model
    # unique keys of library models the project never defines: "module.Model:column,column"
    library_unique_keys: frozenset[str] = frozenset()
    # other names a foreign key gives a library model by, "name=module.Model":
    # `ForeignKey(settings.AUTH_USER_MODEL)`, `ForeignKey("auth.User")` (its unique keys are
    # those `library_unique_keys` gives the model)
    library_model_names: frozenset[str] = frozenset()
    # filter(Q(key__in=[...])): Django's Q, whose keywords are conditions like filter's own
    condition_objects: frozenset[str] = frozenset()
    # `obj, created = Model.objects.get_or_create(...)`: one instance first, and a flag
    instance_pairs: frozenset[str] = frozenset()
    # get_object_or_404(Model, ...): Model.objects.get(...), given a model or a queryset first
    instance_shortcuts: frozenset[str] = frozenset()
    # `check.ping_set`, `project.examples`: a relation's manager, queried like `Model.objects` (name patterns)
    related_managers: frozenset[str] = frozenset()
    # `account.invoice_set.update(...)`: a relation's manager by Django's default name, written to
    # with no query method first (name patterns)
    default_managers: frozenset[str] = frozenset()
    # `channel.checks.add(*Check.objects.filter(...))`: a relation row per row of the query given
    relation_writes: frozenset[str] = frozenset()
    # `shelf.books.append(BookShelf(...))`: a new row of a model class added to a relationship's
    # collection, inserted at the next flush: one row
    relation_appends: frozenset[str] = frozenset()
    # model packages whose classes are schemas unless they declare a key (SQLModel's without
    # `table=True`): a new instance of one appended to a collection is a row only with a key
    schema_packages: frozenset[str] = frozenset()
    column_wrappers: frozenset[str] = frozenset()  # sqlmodel.col(Item.id): the column itself
    # sqlalchemy.column("id"): a column of the statement's table named by a string
    named_columns: frozenset[str] = frozenset()
    many_keywords: frozenset[str] = frozenset()  # Serializer(data=rows, many=True).save(): one row per item
    # self.get_queryset() / self.filter_queryset(...) in a view: the rows of its model a request
    # may see, so `.update()` / `.delete()` on them is bulk work
    self_query_getters: frozenset[str] = frozenset()
    # functions of libraries that return rows of a model (django-guardian's
    # `get_objects_for_user(user, perm)`): `.filter(pk__in=ids).delete()` on what they return is bulk
    query_functions: frozenset[str] = frozenset()
    hand_off_methods: frozenset[str] = frozenset()  # writes that save a row for a job enqueued after them
    # writes of what a session holds, no row of their own: after a context manager's `yield` they
    # write only what the `with` block changed (`session.commit()` of `session_scope()`)
    commit_methods: frozenset[str] = frozenset()
    unique_field_types: frozenset[str] = frozenset()  # models.OneToOneField(...): a unique column
    # `try: cls.objects.get(id=1)` / `except cls.DoesNotExist:` creates a singleton row: once per database
    missing_row_errors: frozenset[str] = frozenset()
    # top-level packages whose objects are rows (`obj.save()`, `obj.delete()`): an object another
    # library returns (`for key in bucket.list()`, boto's) has a `delete()` of its own
    model_packages: frozenset[str] = frozenset()
    # peewee's `Item.delete().where(...).execute()`, `Item.update(...).where(...).execute()`: a
    # statement the model class builds itself, run by an execute method given nothing
    model_statements: frozenset[str] = frozenset()
    # `Item.insert_many(rows).execute()`: a statement of the model class that writes many rows
    model_bulk_statements: frozenset[str] = frozenset()
    # `.orwhere(Item.shelf == s)`: a condition a statement's rows may meet instead of its `where`
    widening_filters: frozenset[str] = frozenset()
    # `Item.insert(code=c).execute()`: a statement of the model class that writes one row
    model_row_statements: frozenset[str] = frozenset()
    # `Item.create(...)`, `Item.bulk_update(items, fields)`: the model class writes without a
    # manager (read as `row_query_methods` / `bulk_query_methods` are on one)
    model_class_writes: frozenset[str] = frozenset()
    # `Model.objects.in_bulk(ids)`: a dict of instances by key, whose `.values()` are rows
    instance_dicts: frozenset[str] = frozenset()
    # `get_or_create(...)`: writes only when no row matches; with a lookup written out, once per database
    missing_row_creates: frozenset[str] = frozenset()
    # `for field in instance._meta.fields:` (also through `opts = instance._meta`): a loop over the
    # model's field definitions, as many rounds as its class declares, not one per row
    model_options: frozenset[str] = frozenset()
    # `for obj in db.session.new:` (also `dirty`, `deleted`, chained): the objects the session
    # holds, as many as the writes made before, which are read on their own; not a collection
    session_pending: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SpecRoutes:
    """Handlers an API spec names (Connexion's `app.add_api("api.yml")`): each operation of the
    spec's `paths` is the function its `operationId` names, relative to a controller module
    when the operation or its path says one."""

    spec_keys: frozenset[str]  # top-level keys that make a YAML document a spec: openapi, swagger
    operation_key: str  # operationId
    controller_keys: tuple[str, ...]  # x-openapi-router-controller
    methods: frozenset[str]  # the keys of a path item that are operations: get, post, ...


@dataclass(frozen=True)
class Signals:
    """Django-style signals: a model write sends signals, whose receivers run inside it."""

    receiver_decorators: NamePatterns  # @receiver(post_save, sender=Location)
    signal_classes: NamePatterns  # trace_paths = Signal(): a project's own signal
    connect_methods: frozenset[str]  # post_save.connect(handler, sender=Location)
    send_methods: frozenset[str]  # trace_paths.send(Cable, instance=self)
    sent_by_writes: dict[str, NamePatterns]  # obj.save() sends pre_save and post_save
    sender_keyword: str = "sender"
    instance_parameter: str = ""  # a receiver's `instance`: the object written, of the sender's class
    writer_packages: frozenset[str] = frozenset()  # a model whose module imports one sends these signals
    # post_save's `created`: whether the save inserted the row. A save given one of the
    # `updating_keywords` (`update_fields=`), or of an instance read from the database, updates
    created_parameter: str = ""
    # the signals that send `created` (post_save): a receiver of another (post_delete) never gets
    # it, so its `kwargs.get("created", False)` is false
    created_signals: NamePatterns = field(default_factory=NamePatterns)
    updating_keywords: frozenset[str] = frozenset()
    # `Model.objects.create(...)`: a write of the manager that inserts a row, saving it
    inserting_writes: frozenset[str] = frozenset()
    # `post_save.connect(...)` in a method the framework runs once at start-up, of a subclass
    # of these classes (Django's `AppConfig.ready()`): as at module level
    connecting_classes: NamePatterns = field(default_factory=NamePatterns)
    connecting_method: str = ""

    def module_words(self) -> set[str]:
        """Words a module registering receivers contains: the top package of a receiver decorator."""
        return {name.split(".")[0] for name in self.receiver_decorators.exact}


@dataclass(frozen=True)
class ViewModels:
    """Where a class-based view says its model, and what it gives of it."""

    model_attributes: tuple[str, ...]  # `model = Location`, `queryset = Location.objects.all()`
    object_getters: frozenset[str]  # self.get_object(): an instance of the view's model
    meta_class: str  # class LocationForm(ModelForm): class Meta: model = Location
    meta_model: str
    row_hooks: dict[str, str] = field(default_factory=dict)  # self.perform_destroy(obj): a delete of the view's model
    # `serializer_class = JobSerializer`: what `perform_create(self, serializer)` is given
    serializer_attribute: str = ""
    # self.get_serializer(...): an instance of the view's `serializer_attribute` class
    serializer_getters: frozenset[str] = frozenset()
    # DRF's `serializer.save()`: (save, create, update, chooser, creating hook): the serializer
    # class's own `create` runs for a serializer built with data alone (the one the creating
    # hook, `perform_create`, is given), its own `update` for one given an instance; not when
    # the view's project classes write the chooser (`get_serializer_class`), which may give
    # another class than `serializer_class`
    serializer_save: tuple[str, str, str, str, str] | None = None
    # what a library's generic view does by itself to a row of the view's model
    library_actions: tuple[LibraryAction, ...] = ()
    # `http_method_names = ["get", "options"]`: the HTTP methods a view answers
    allowed_methods_attribute: str = ""
    # `def get_queryset(self): return Location.objects.filter(...)`, read when no attribute says the model
    model_methods: tuple[str, ...] = ()
    # `run = form.save()`: an instance of the form's `Meta.model`
    meta_instance_methods: frozenset[str] = frozenset()
    # Django's `form_valid(self, form)`: (method, attribute, choosers): the method's first
    # parameter after `self` is an instance of the view's `form_class`, unless the view's project
    # classes write a chooser (`get_form_class`, `get_form`), which may give another class
    form_parameter: tuple[str, str, frozenset[str]] | None = None
    # the parameters after `self` of a view's method whose last, at its position, holds rows of
    # the view's model (an admin action's `request, queryset`): `for row in queryset:
    # row.rejudge()` runs the model's `rejudge`
    rows_parameters: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class LibraryAction:
    """An action a library's generic view runs by itself (DRF's `ModelViewSet.destroy`,
    Django's `DeleteView.post`): it writes one row of the view's model, unless a class of the
    view's project lineage defines the action or one of the `hooks` it runs."""

    bases: NamePatterns
    action: str
    writes: str  # create | update | delete
    hooks: frozenset[str]
    http_methods: frozenset[str] = frozenset()  # the requests that run it: DELETE for destroy


def written_method(writes: str) -> str:
    """The model method a library action's write runs (`create`, `update`, `delete`)."""
    return "delete" if writes == "delete" else "save"


# whether a library action's save inserts its row: post_save's `created`
LIBRARY_INSERTS = {"create": True, "update": False}


@dataclass(frozen=True)
class ThreadSpawn:
    call: NamePatterns
    daemon_keyword: str | None
    target: ArgSpec  # where the function to run is passed
    private_worker: bool = False  # what it runs is a worker of its own (a thread, a process, a greenlet)
    # `class Mailer(Thread)`: `Mailer().start()` (the `subclass_start` method) starts it too, and
    # runs this method of the subclass
    subclass_runs: str | None = None
    subclass_start: str = "start"
    # `asyncio.create_task`: background work only when nothing awaits it (`await t`, a gathered
    # list); a task the function awaits is the request's own work
    unless_awaited: bool = False
    # `subprocess.Popen`: the request's own (slow) call when the function waits for what it
    # started (`p.wait()`, `p.communicate()`), background work otherwise
    unless_called: frozenset[str] = frozenset()
    fate: str = ""  # what becomes of the work, when not "it dies with the process"
    # `concurrent.futures.wait(futures)`: calls that wait for everything started, wherever it is
    unless_function_calls: NamePatterns = field(default_factory=NamePatterns)
    # `with ThreadPoolExecutor() as executor: executor.map(...)`: the block's end waits for it
    unless_entered: bool = False
    # `BackgroundTask(shutil.rmtree, tmp)`: a task whose function has one of these names only
    # cleans up after the response (a temporary file), which must happen in the web process
    unless_target_named: frozenset[str] = frozenset()
    # `Popen(cmd, stdout=PIPE)`: the code reads what the process writes (a pipe nobody reads
    # blocks the process once it fills), so the process is the request's own work; as
    # `keyword=name` pairs ("stdout=subprocess.PIPE")
    unless_piped: frozenset[str] = frozenset()
    # `threading.Thread(target=build_zip).start()` in a function that builds
    # `StreamingHttpResponse(chunks())`: the thread writes the body the response streams, so it
    # is the request's own work for as long as the response lasts
    unless_streamed: NamePatterns = field(default_factory=NamePatterns)
    # `result.get()` on a work queue the function made (`result = queue.Queue(maxsize=1)`): it
    # waits for the answer the thread puts there (a call run with a time limit), the request's own
    unless_received: frozenset[str] = frozenset()
    # an executor's `map`: the code that iterates what it returns (`list(pool.map(f, xs))`, `for r
    # in pool.map(...)`) waits for every call; one whose result is thrown away does not
    unless_result_used: bool = False


@dataclass(frozen=True)
class ThreadRunner:
    """A call that runs the function it is given on a thread and whose awaiting waits for it:
    `await loop.run_in_executor(None, purge, uid)` is `purge(uid)`, made in the request."""

    call: NamePatterns
    function: int  # the position of the function; the positional arguments after it are its own
    keywords: bool = False  # the call's keywords are the function's too (`asyncio.to_thread`)
    # a coroutine (`asyncio.to_thread(...)`): it runs the function only when awaited where it is
    # made; one nobody awaits never runs, and one given to `create_task` is that task's
    awaited_only: bool = False


@dataclass(frozen=True)
class WorkQueues:
    classes: NamePatterns
    put_methods: frozenset[str]
    get_methods: frozenset[str]


@dataclass(frozen=True)
class JobCode:
    log_methods: frozenset[str]
    batch_calls: dict[str, ArgSpec]  # name -> (position, keyword)
    condition_words: tuple[str, ...]
    job_id_keys: frozenset[str]
    response_calls: dict[str, ArgSpec]
    redirect_calls: frozenset[str] = frozenset()
    # a route decorator's keyword that sets the status of what the handler returns
    route_status_keywords: frozenset[str] = frozenset()
    # an attribute of a response whose assignment sets its status (`response.status_code = 202`)
    status_attributes: frozenset[str] = frozenset()
    # variables that hold the job or its record, and their attributes that carry its id
    job_holders: frozenset[str] = frozenset()
    job_id_attributes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class QueueKind:
    constructor: NamePatterns
    name: ArgSpec
    default: str
    enqueue_methods: frozenset[str]
    function: ArgSpec
    function_keywords: frozenset[str]
    timeout_keywords: frozenset[str]
    enqueue_calls: NamePatterns  # `rq.Queue().enqueue`: the methods on an instance
    direct: NamePatterns = field(default_factory=NamePatterns)  # `django_rq.enqueue(f)`: the default queue
    # the argument of such a function that names the queue (`rq.cron.register(f, queue_name="x")`);
    # None: the default queue
    direct_queue: ArgSpec | None = None
    # keywords of the constructor that give every job of the queue a timeout (`default_timeout=`)
    queue_timeout_keywords: frozenset[str] = frozenset()
    # whether a job enqueued without a timeout gets RQ's default one (180 s), which WA307 is about;
    # Django-Q's cluster sets its own
    rq_timeout: bool = True
    # `AsyncTask(func, *args).run()`: the function is given to the constructor, not the enqueue call
    function_on_constructor: bool = False
    # words a module must hold to be parsed up front for this kind (`django_q`), when
    # its enqueue methods or direct functions are common words (`run`, `append`, `register`);
    # empty: the enqueue methods and the direct functions' names
    triggers: frozenset[str] = frozenset()
    # `chain.append(f)` enqueues only when the same object is then `run()`: the methods that send
    # what the enqueue calls gathered (empty: each enqueue call sends)
    sent_by: frozenset[str] = frozenset()

    @property
    def trigger_words(self) -> frozenset[str]:
        return self.triggers or self.enqueue_methods | self.direct.last_segments()


@dataclass(frozen=True)
class JobDecorator:
    call: NamePatterns
    name: ArgSpec
    default: str
    delay_methods: frozenset[str]
    timeout_keywords: frozenset[str]
    # keywords of the delaying call itself (`add.queue(x, queue="high", timeout=60)`, Flask-RQ2's):
    # the queue it goes to instead of the decorator's, and a timeout of its own
    call_queue_keyword: str = ""
    call_timeout_keywords: frozenset[str] = frozenset()


@dataclass(frozen=True)
class WorkerClass:
    call: NamePatterns
    queues: ArgSpec


@dataclass(frozen=True)
class WorkerCommand:
    words: tuple[str, ...]  # in order, options may stand between them: `celery -A proj worker`
    default_queues: tuple[str, ...]  # "@SETTING": the keys of that setting
    value_options: frozenset[str]
    queue_options: frozenset[str] = frozenset()  # queues given as `-Q a,b` rather than as arguments
    many_queue_values: bool = False  # `--queues a b c`: every word after the option, up to the next option
    # a project's own command of the same name (`management/commands/rqworker.py` with a
    # `Command` derived from this class) replaces the default queues with `overridden_default`
    overridden_by: NamePatterns | None = None
    overridden_default: tuple[str, ...] = ()
    # the setting whose keys are the only queues it can serve (django-rq's RQ_QUEUES: any other
    # name stops the worker at start-up)
    configured_in: str | None = None
    # `rq worker -c settings`: a configuration module that may name the queues (its QUEUES)
    # when the command line names none; what the worker serves is then not known
    config_options: frozenset[str] = frozenset()
    # `celery beat` (`consumes: false`), `celery worker -B` (`scheduler_options`): a process that
    # sends the tasks of a schedule of that task system (`scheduler`)
    scheduler: str = ""
    scheduler_options: frozenset[str] = frozenset()
    consumes: bool = True
    # `huey_consumer main.huey`: the words after the command are no queues (not queue_options)
    queue_arguments: bool = True


@dataclass(frozen=True)
class TaskSystem:
    """A task library that declares tasks with decorators: Celery, Dramatiq."""

    name: str
    task_decorators: NamePatterns
    queue_keyword: str
    name_keyword: str
    call_methods: frozenset[str]
    send_task: NamePatterns
    default_queue: str
    routes_settings: frozenset[str]
    default_queue_settings: frozenset[str]
    # `task.apply_async(args, **options)`: calls whose `**` argument may carry the queue keyword
    options_methods: frozenset[str] = frozenset()
    # `apply_async(args=[...], kwargs={...})`: the keywords of an options call that carry the
    # task's positional arguments and its named ones (empty: not read)
    options_positional: str = ""
    options_named: str = ""
    # settings that declare the queues a worker started without a queue option serves
    # (Celery's `task_queues`): what it serves is then not known from the command line
    queues_settings: frozenset[str] = frozenset()
    # `task.s(x)` / `task.si(x)`: a signature of the task, sent by the call methods
    # (`task.s(x).apply_async(queue="y")`, or `sig = task.si(x)`, then `sig.delay()`)
    signature_methods: frozenset[str] = frozenset()
    # `group(...)`, `chain(...)`, `chord(...)`: a canvas of signatures, each sent with it
    canvas: NamePatterns = field(default_factory=NamePatterns)
    # call methods rare enough to make a module worth parsing up front: a helper given the task
    # (`def dispatch(task): task.apply_async()`) names no task for the second pass to find
    trigger_methods: frozenset[str] = frozenset()
    # `@shared_task(bind=True)`: the task itself is the function's first parameter, and what the
    # call methods give starts at the second
    bind_keyword: str = ""
    # methods of a bound task that raise (`self.retry(...)`): a loop's branch ending in one leaves it
    raising_methods: frozenset[str] = frozenset()
    # Huey's `refresh(user_id)`: calling the task itself sends it (Celery's runs it in the caller)
    call_sends: bool = False
    # Huey's `refresh.call_local(user_id)`, Celery's `refresh.apply(...)`: methods that run the
    # task's body in the caller
    run_methods: frozenset[str] = frozenset()
    # Celery's `result.get()` / `.wait()` on what `task.delay(x)` returned: the caller waits
    # until a worker has run the task
    result_waits: frozenset[str] = frozenset()

    def sends(self, rest: str) -> bool:
        """Whether what follows a task's name sends it: `delay`, `apply_async`, `s().delay`,
        and nothing (the task called) when calling it sends it."""
        if not rest:
            return self.call_sends
        if rest in self.call_methods:
            return True
        signature, _, method = rest.partition("().")
        return signature in self.signature_methods and method in self.call_methods


@dataclass
class Knowledge:
    packs: list[str] = field(default_factory=list)
    # the top-level packages the packs name (`celery`, `rq`, `django`): an absolute import of
    # one is the library, even where a project package of that name could be found above the
    # importer (indico's `indico/core/celery/`)
    library_packages: frozenset[str] = frozenset()
    # the project's own handler base classes (`extra-handler-classes`), matched by the name its
    # modules give them: every subclass is a view whose listed methods are handlers
    project_view_classes: tuple[ViewClasses, ...] = ()
    handler_decorators: NamePatterns = field(default_factory=NamePatterns)
    # handlers of a protocol whose HTTP status they cannot set (GraphQL resolvers)
    statusless_decorators: NamePatterns = field(default_factory=NamePatterns)
    # the word the prefilter looks for after `@` when a decorator's last name is too common
    # (Ariadne's `@mutation.field`: `field`), by expanded pattern
    decorator_triggers: dict[str, str] = field(default_factory=dict)
    view_registrars: list[ViewRegistrar] = field(default_factory=list)
    view_classes: list[ViewClasses] = field(default_factory=list)
    orm: Orm | None = None
    thread_spawns: list[ThreadSpawn] = field(default_factory=list)
    thread_runners: list[ThreadRunner] = field(default_factory=list)
    work_queues: WorkQueues | None = None
    slow_calls: NamePatterns = field(default_factory=NamePatterns)
    # what is read from the value a slow call returned (`boto3.client().*().*`: a response's
    # `.get("Items")`), no call of the client: a glob of `slow_calls` does not take these,
    # a name `slow_calls` writes out does (`boto3.client().get_paginator().paginate`)
    slow_call_results: NamePatterns = field(default_factory=NamePatterns)
    # what a client computes by itself, with no request (`boto3.client().generate_presigned_url`
    # signs a URL): a glob of `slow_calls` does not take these either
    local_client_calls: NamePatterns = field(default_factory=NamePatterns)
    sleeps: NamePatterns = field(default_factory=NamePatterns)
    scheduler_decorators: NamePatterns = field(default_factory=NamePatterns)  # periodic entries: not a request's
    # modules run from the command line (Django's management commands): not a request's either
    command_modules: NamePatterns = field(default_factory=NamePatterns)
    # library calls that run a command in the calling process (`call_command("reindex")`): the
    # command module of that file name runs its entry method (`Command.handle`) there
    command_runners: NamePatterns = field(default_factory=NamePatterns)
    command_entry: str = ""
    # calls that give a model class by its app label and name (`apps.get_model("shop", "Line")`)
    model_loaders: NamePatterns = field(default_factory=NamePatterns)
    # decorators that call the function with the arguments they are given (`transaction.atomic`):
    # a call's arguments and the defaults it leaves go to the function's parameters
    transparent_decorators: NamePatterns = field(default_factory=NamePatterns)
    # awaited calls that run the awaitables given to them at once (`asyncio.gather(*coros)`)
    concurrent_waits: NamePatterns = field(default_factory=NamePatterns)
    # `tg.create_task(fetch(u))` in `async with asyncio.TaskGroup() as tg:`: what it is given
    # runs alongside the rest, and the block waits for all of it (no loop of calls)
    concurrent_starts: NamePatterns = field(default_factory=NamePatterns)
    # calls that return the function they are given, to be called in another way: calling what
    # they return runs it (`await sync_to_async(save_rows)(rows)` runs `save_rows(rows)`)
    function_wrappers: NamePatterns = field(default_factory=NamePatterns)
    # calls that run the function they are given later in the same request
    # (`transaction.on_commit(task.s(x).delay)` enqueues there)
    deferred_calls: NamePatterns = field(default_factory=NamePatterns)
    # calls that bind arguments to the function they are given (`partial(task.delay, x)`)
    argument_binders: NamePatterns = field(default_factory=NamePatterns)
    # calls that call the function they are given once per item (`map(fetch, urls)`)
    mappers: NamePatterns = field(default_factory=NamePatterns)
    # mappers of one iterable, the argument after it a chunk size (`multiprocessing.Pool().map`)
    chunked_mappers: NamePatterns = field(default_factory=NamePatterns)
    # calls that give a class the model it serves, as its `model`: `@admin.register(Item)` on
    # the class, `admin.site.register(Item, ItemAdmin)` (the model first, the class second)
    model_registrars: NamePatterns = field(default_factory=NamePatterns)
    # calls that run the coroutine they are given and return what it returns
    # (`asyncio.run(handle(m))`, `loop.run_until_complete(handle(m))`)
    coroutine_runners: NamePatterns = field(default_factory=NamePatterns)
    # a websocket's receive (`await websocket.receive_json()`): a loop that takes one message a
    # round runs once per message, as a handler runs once per request
    message_receives: NamePatterns = field(default_factory=NamePatterns)
    # what holds the operator's configuration (`django.conf.settings`, a project's `settings`
    # module, Flask's `app.config`): a loop over one of its values in capitals runs as many
    # times as the operator configured, not once per row
    configuration: NamePatterns = field(default_factory=NamePatterns)
    # the development switch (`settings.DEBUG`, Flask's `app.debug`): what only `if
    # settings.DEBUG:` runs does not run in production, and what only its `else` runs does
    debug_switches: NamePatterns = field(default_factory=NamePatterns)
    # calls that always raise (Flask's `abort(404)`): a block that ends with one leaves the
    # loops around it, in its function and in those that called it, as a `raise` does
    raising_calls: NamePatterns = field(default_factory=NamePatterns)
    # context managers that catch what their block raises (`with contextlib.suppress(E):`), as a
    # `try:` does: a raise inside leaves no loop of the callers
    suppressing_contexts: NamePatterns = field(default_factory=NamePatterns)
    # random numbers no larger than the largest number written out among their arguments, or
    # than 1 with none (`random.uniform(0, 0.5)`): a sleep of one lasts that long at most
    bounded_randoms: NamePatterns = field(default_factory=NamePatterns)
    # classes whose members are written in their body (`enum.Enum`, Django's `TextChoices`):
    # a loop over one (`for s in Status:`, `Status.choices`) runs once per member listed
    enumerations: NamePatterns = field(default_factory=NamePatterns)
    enumeration_members: frozenset[str] = frozenset()  # `choices`, `values`: what lists them
    # service registries (pyramid_services): `config.register_service_factory(factory, iface,
    # name=...)` registers what the factory returns, `config.register_service(obj, iface, ...)`
    # an instance; `request.find_service(iface, name=...)` gives what was registered for it
    service_factories: frozenset[str] = frozenset()
    service_instances: frozenset[str] = frozenset()
    service_lookups: frozenset[str] = frozenset()
    # methods of a schema instance that return its fields as a dict (pydantic's `model_dump`): a
    # loop over what one returns runs once per field the class declares, when the instance is
    # of a class deriving from `schema_classes`, from none of `open_schema_classes` (a RootModel
    # holds what the client sends) and allowing no extra fields
    schema_dumps: frozenset[str] = frozenset()
    schema_classes: NamePatterns = field(default_factory=NamePatterns)
    open_schema_classes: NamePatterns = field(default_factory=NamePatterns)
    job_code: JobCode | None = None
    orm_parts: dict[str, list[str]] = field(default_factory=dict)
    queue_kinds: list[QueueKind] = field(default_factory=list)
    job_decorators: list[JobDecorator] = field(default_factory=list)
    worker_classes: list[WorkerClass] = field(default_factory=list)
    worker_commands: list[WorkerCommand] = field(default_factory=list)
    # public images whose entrypoint runs a program given the command as its arguments
    # (`apache/airflow`: `command: celery worker` runs `airflow celery worker`)
    image_entrypoints: dict[str, str] = field(default_factory=dict)
    task_systems: list[TaskSystem] = field(default_factory=list)
    handler_modules: list[str] = field(default_factory=list)  # path globs of modules that hold views
    # path globs of modules that hold an ORM's models: a big run loads them ahead (speculative_loading.py)
    model_modules: list[str] = field(default_factory=list)
    # test code: what it enqueues and the workers it starts are not the deployment's
    test_files: list[str] = field(default_factory=list)  # file name globs: `test_*.py`
    test_folders: set[str] = field(default_factory=set)  # folder names below the project root: `tests`
    signals: Signals | None = None
    view_models: ViewModels | None = None
    spec_routes: SpecRoutes | None = None

    def with_extras(
        self, slow_calls: list[str], handler_decorators: list[str], handler_classes: Iterable = ()
    ) -> Knowledge:
        """A copy that also knows the project's own names (from configuration)."""
        extra = Knowledge(**{k: v for k, v in self.__dict__.items()})
        extra.slow_calls = NamePatterns(self._patterns(self.slow_calls) + slow_calls)
        extra.handler_decorators = NamePatterns(self._patterns(self.handler_decorators) + handler_decorators)
        extra.project_view_classes = tuple(
            ViewClasses(NamePatterns([name]), frozenset(methods), implicit=True) for name, methods in handler_classes
        )
        return extra

    def is_slow_call(self, name: str) -> bool:
        """A library call that waits on the network (`slow_calls`), not a read of what one
        returned (`slow_call_results`) nor what a client computes by itself (`local_client_calls`)."""
        if name in self.slow_calls.exact:
            return True
        return (
            self.slow_calls.matches(name)
            and not self.slow_call_results.matches(name)
            and not self.local_client_calls.matches(name)
        )

    def without_preview(self) -> Knowledge:
        """A copy without what only `preview` turns on: the actions of library generic views."""
        if self.view_models is None or not self.view_models.library_actions:
            return self
        return replace(self, view_models=replace(self.view_models, library_actions=()))

    @staticmethod
    def _patterns(patterns: NamePatterns) -> list[str]:
        return sorted(patterns.exact) + patterns.globs

    def handler_decorator_names(self) -> set[str]:
        """The names the prefilter looks for after `@`: each decorator's last name, or its trigger."""
        names: set[str] = set()
        for pattern in self._patterns(self.handler_decorators):
            trigger = self.decorator_triggers.get(pattern)
            names |= {trigger} if trigger else NamePatterns([pattern]).last_segments()
        return names

    def is_test_code(self, path: str, root: Path) -> bool:
        """A module of the project's tests (`core/tests/test_api.py`, `conftest.py`), by its
        path below the project root: its enqueue calls and workers are not the deployment's."""
        relative = PurePath(os.path.relpath(os.path.abspath(path), root))
        if relative.parts[:1] == ("..",):
            relative = PurePath(path)
        return any(fnmatch.fnmatch(relative.name, glob) for glob in self.test_files) or any(
            folder in self.test_folders for folder in relative.parts[:-1]
        )

    def enqueue_kind(self, name: str) -> QueueKind | None:
        """The queue kind whose enqueue call (`Queue(...).enqueue`) or direct call
        (`django_rq.enqueue`, Django-Q's `async_task`) `name` is, by its library name."""
        return next((k for k in self.queue_kinds if k.enqueue_calls.matches(name) or k.direct.matches(name)), None)

    def is_enqueue_method(self, target: tuple[str, str] | None) -> bool:
        """`x.enqueue(...)` / `x.enqueue_call(...)`: an RQ method name, whatever `x` is. Not the
        other enqueue methods (`create_job`, Django-Q's `AsyncTask(...).run`): as names alone,
        other libraries use them too (`subprocess.run`), so they count on a known receiver only."""
        if target is None or "." not in target[1]:
            return False
        method = target[1].rsplit(".", 1)[-1]
        return method.startswith("enqueue") and any(method in kind.enqueue_methods for kind in self.queue_kinds)

    def is_delay_method(self, method: str) -> bool:
        """`delay` / `apply_async` / `send`: how an RQ `@job` or a task is enqueued by itself."""
        return any(method in spec.delay_methods for spec in self.job_decorators) or any(
            method in system.call_methods for system in self.task_systems
        )

    def image_entrypoint(self, image: str) -> str | None:
        """The program a known public image runs its command with: `apache/airflow:2.9.2` (also
        behind a registry, `docker.io/apache/airflow`, or pinned by a digest) -> `airflow`."""
        name = image.split("@", 1)[0]
        if ":" in name.rsplit("/", 1)[-1]:
            name = name.rsplit(":", 1)[0]
        for known, program in self.image_entrypoints.items():
            if name == known or name.endswith(f"/{known}"):
                return program
        return None

    def registrar_names(self) -> set[str]:
        """`add_url_rule`: a module registering views must contain one of these."""
        names: set[str] = set()
        for registrar in self.view_registrars:
            names |= {registrar.trigger} if registrar.trigger else registrar.call.last_segments()
        return names


# sections that are a list of names, added to those of the other packs
_NAME_LISTS = (
    "model_loaders",
    "concurrent_waits",
    "concurrent_starts",
    "function_wrappers",
    "deferred_calls",
    "argument_binders",
    "mappers",
    "chunked_mappers",
    "model_registrars",
    "coroutine_runners",
    "message_receives",
    "configuration",
    "debug_switches",
    "raising_calls",
    "suppressing_contexts",
    "bounded_randoms",
)

_SECTIONS = {
    *_NAME_LISTS,
    "pack",
    "description",
    "handler_decorators",
    "view_registrars",
    "view_classes",
    "orm",
    "thread_spawns",
    "thread_runners",
    "work_queues",
    "slow_calls",
    "slow_call_results",
    "local_client_calls",
    "sleeps",
    "scheduler_decorators",
    "command_modules",
    "command_runners",
    "transparent_decorators",
    "enumerations",
    "services",
    "schema_dumps",
    "job_code",
    "queues",
    "job_decorators",
    "worker_classes",
    "worker_commands",
    "images",
    "task_systems",
    "handler_modules",
    "model_modules",
    "test_code",
    "sets_http_status",
    "signals",
    "spec_routes",
    "view_models",
}
_ORM_KEYS = set(Orm.__dataclass_fields__)


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"{where}: expected a list of strings")
    return value


def _mapping(value: Any, where: str, allowed: set[str], required: set[str]) -> dict:
    if not isinstance(value, dict):
        raise KnowledgeError(f"{where}: expected a mapping")
    unknown = set(value) - allowed
    if unknown:
        raise KnowledgeError(f"{where}: unknown keys {sorted(unknown)}")
    missing = required - set(value)
    if missing:
        raise KnowledgeError(f"{where}: missing keys {sorted(missing)}")
    return value


def _decorators(knowledge: Knowledge, items: Any, where: str) -> list[str]:
    """Decorator patterns: a string, or `{decorator: ..., trigger: ...}` when the decorator's
    last name is too common for the prefilter (`field`); the trigger is recorded."""
    if not isinstance(items, list):
        raise KnowledgeError(f"{where}: expected a list")
    patterns = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            patterns.append(item)
            continue
        item = _mapping(item, f"{where}[{i}]", {"decorator", "trigger"}, {"decorator", "trigger"})
        if not isinstance(item["decorator"], str) or not isinstance(item["trigger"], str) or not item["trigger"]:
            raise KnowledgeError(f"{where}[{i}]: decorator and trigger must be strings")
        patterns.append(item["decorator"])
        knowledge.decorator_triggers.update(dict.fromkeys(expand_braces(item["decorator"]), item["trigger"]))
    return patterns


def _merge_pack(knowledge: Knowledge, data: Any, where: str) -> None:
    data = _mapping(data, where, _SECTIONS, {"pack"})
    knowledge.packs.append(str(data["pack"]))
    sets_http_status = data.get("sets_http_status", True)
    if not isinstance(sets_http_status, bool):
        raise KnowledgeError(f"{where}: sets_http_status: expected true or false")
    if "handler_decorators" in data:
        decorators = _decorators(knowledge, data["handler_decorators"], f"{where}: handler_decorators")
        knowledge.handler_decorators = NamePatterns(Knowledge._patterns(knowledge.handler_decorators) + decorators)
        if not sets_http_status:
            knowledge.statusless_decorators = NamePatterns(
                Knowledge._patterns(knowledge.statusless_decorators) + decorators
            )
    for i, item in enumerate(data.get("view_registrars", [])):
        item = _mapping(
            item,
            f"{where}: view_registrars[{i}]",
            {"call", "position", "keyword", "trigger", "class_methods", "method_suffix", "instances"},
            {"call"},
        )
        knowledge.view_registrars.append(
            ViewRegistrar(
                NamePatterns([item["call"]]),
                int(item.get("position", 0)),
                item.get("keyword", ""),
                item.get("trigger"),
                frozenset(_strings(item.get("class_methods", []), f"{where}: view_registrars[{i}].class_methods")),
                str(item.get("method_suffix", "")),
                item.get("instances", False) is True,
            )
        )
    for i, item in enumerate(data.get("view_classes", [])):
        item = _mapping(
            item,
            f"{where}: view_classes[{i}]",
            {
                "base",
                "methods",
                "method_decorators",
                "implicit",
                "abstract",
                "action_map",
                "listed_in",
                "public_methods",
                "not_routed",
                "routed_action",
            },
            {"base", "methods"},
        )
        at = f"{where}: view_classes[{i}].routed_action"
        routed = _mapping(item.get("routed_action", {}), at, {"attribute", "methods", "also_for"}, set())
        also = _mapping(routed.get("also_for", {}), f"{at}.also_for", set(routed.get("also_for", {})), set())
        abstract = str(item.get("abstract", ""))
        if abstract and (abstract.count(".") != 1 or not all(part.isidentifier() for part in abstract.split("."))):
            raise KnowledgeError(f"{where}: view_classes[{i}].abstract: expected `Class.attribute`, got {abstract!r}")
        base = item["base"]  # one name, or a list: the classes of several libraries alike
        bases = _strings(base, f"{where}: view_classes[{i}].base") if isinstance(base, list) else [str(base)]
        knowledge.view_classes.append(
            ViewClasses(
                NamePatterns(bases),
                frozenset(_strings(item["methods"], where)),
                NamePatterns(_strings(item.get("method_decorators", []), where)),
                bool(item.get("implicit", False)),
                sets_http_status,
                abstract,
                str(item.get("action_map", "")),
                str(item.get("listed_in", "")),
                bool(item.get("public_methods", False)),
                NamePatterns(_strings(item.get("not_routed", []), where)),
                str(routed.get("attribute", "")),
                frozenset(_strings(routed.get("methods", []), where)),
                {str(method): frozenset(_strings(names, at)) for method, names in also.items()},
            )
        )
    if "orm" in data:
        # several packs describe ORMs (SQLAlchemy, Django): their lists add up
        orm = _mapping(data["orm"], f"{where}: orm", _ORM_KEYS, set())
        for key, value in orm.items():
            if key == "statements":
                statements = _mapping(value, f"{where}: orm.statements", {"delete", "update", "insert"}, set())
                for operation, names in statements.items():
                    knowledge.orm_parts.setdefault(f"statements.{operation}", []).extend(_strings(names, where))
            else:
                entries = _strings(value, f"{where}: orm.{key}")
                if key == "library_unique_keys":
                    for entry in entries:
                        model, _, columns = entry.partition(":")
                        if not model or not all(column.isidentifier() for column in columns.split(",")):
                            expected = "expected `module.Model:column,column`"
                            raise KnowledgeError(f"{where}: orm.library_unique_keys: {expected}, got {entry!r}")
                if key == "library_model_names":
                    for entry in entries:
                        name, _, model = entry.partition("=")
                        if not name or not model:
                            expected = "expected `name=module.Model`"
                            raise KnowledgeError(f"{where}: orm.library_model_names: {expected}, got {entry!r}")
                knowledge.orm_parts.setdefault(key, []).extend(entries)
    for i, item in enumerate(data.get("thread_spawns", [])):
        item = _mapping(
            item,
            f"{where}: thread_spawns[{i}]",
            {
                "call",
                "daemon_keyword",
                "target",
                "private_worker",
                "subclass_runs",
                "subclass_start",
                "unless_awaited",
                "unless_called",
                "fate",
                "unless_function_calls",
                "unless_entered",
                "unless_target_named",
                "unless_piped",
                "unless_streamed",
                "unless_received",
                "unless_result_used",
            },
            {"call", "target"},
        )
        knowledge.thread_spawns.append(
            ThreadSpawn(
                NamePatterns([item["call"]]),
                item.get("daemon_keyword"),
                _arg_spec(item["target"]),
                bool(item.get("private_worker", False)),
                item.get("subclass_runs"),
                item.get("subclass_start", "start"),
                bool(item.get("unless_awaited", False)),
                frozenset(_strings(item.get("unless_called", []), where)),
                str(item.get("fate", "")),
                NamePatterns(_strings(item.get("unless_function_calls", []), where)),
                bool(item.get("unless_entered", False)),
                frozenset(_strings(item.get("unless_target_named", []), where)),
                frozenset(_strings(item.get("unless_piped", []), where)),
                NamePatterns(_strings(item.get("unless_streamed", []), where)),
                frozenset(_strings(item.get("unless_received", []), where)),
                bool(item.get("unless_result_used", False)),
            )
        )
    for i, item in enumerate(data.get("thread_runners", [])):
        keys = {"call", "function", "keywords", "awaited_only"}
        item = _mapping(item, f"{where}: thread_runners[{i}]", keys, {"call", "function"})
        position = item["function"]
        if type(position) is not int or position < 0:
            raise KnowledgeError(f"{where}: thread_runners[{i}].function: expected a position (0, 1, ...)")
        knowledge.thread_runners.append(
            ThreadRunner(
                NamePatterns([item["call"]]),
                position,
                bool(item.get("keywords", False)),
                bool(item.get("awaited_only", False)),
            )
        )
    if "work_queues" in data:
        wq = _mapping(
            data["work_queues"],
            f"{where}: work_queues",
            {"classes", "put_methods", "get_methods"},
            {"classes", "put_methods", "get_methods"},
        )
        knowledge.work_queues = WorkQueues(
            NamePatterns(_strings(wq["classes"], where)),
            frozenset(_strings(wq["put_methods"], where)),
            frozenset(_strings(wq["get_methods"], where)),
        )
    for i, item in enumerate(data.get("queues", [])):
        keys = {
            "constructor",
            "name",
            "default",
            "enqueue_methods",
            "function",
            "function_keywords",
            "timeout_keywords",
        }
        optional = {
            "direct",
            "direct_queue",
            "queue_timeout_keywords",
            "rq_timeout",
            "function_on_constructor",
            "triggers",
            "sent_by",
        }
        item = _mapping(item, f"{where}: queues[{i}]", keys | optional, keys)
        knowledge.queue_kinds.append(
            QueueKind(
                constructor=NamePatterns([item["constructor"]]),
                name=_arg_spec(item["name"]),
                default=item["default"],
                enqueue_methods=frozenset(_strings(item["enqueue_methods"], where)),
                function=_arg_spec(item["function"]),
                function_keywords=frozenset(_strings(item["function_keywords"], where)),
                timeout_keywords=frozenset(_strings(item["timeout_keywords"], where)),
                enqueue_calls=NamePatterns(
                    f"{constructor}().{method}"
                    for constructor in expand_braces(item["constructor"])
                    for method in _strings(item["enqueue_methods"], where)
                ),
                direct=NamePatterns(_strings(item.get("direct", []), where)),
                direct_queue=_arg_spec(item["direct_queue"]) if "direct_queue" in item else None,
                queue_timeout_keywords=frozenset(_strings(item.get("queue_timeout_keywords", []), where)),
                rq_timeout=bool(item.get("rq_timeout", True)),
                function_on_constructor=bool(item.get("function_on_constructor", False)),
                triggers=frozenset(_strings(item.get("triggers", []), where)),
                sent_by=frozenset(_strings(item.get("sent_by", []), where)),
            )
        )
    for i, item in enumerate(data.get("job_decorators", [])):
        keys = {"call", "name", "default", "delay_methods", "timeout_keywords"}
        optional = {"call_queue_keyword", "call_timeout_keywords"}
        item = _mapping(item, f"{where}: job_decorators[{i}]", keys | optional, keys)
        knowledge.job_decorators.append(
            JobDecorator(
                call=NamePatterns([item["call"]]),
                name=_arg_spec(item["name"]),
                default=item["default"],
                delay_methods=frozenset(_strings(item["delay_methods"], where)),
                timeout_keywords=frozenset(_strings(item["timeout_keywords"], where)),
                call_queue_keyword=str(item.get("call_queue_keyword", "")),
                call_timeout_keywords=frozenset(_strings(item.get("call_timeout_keywords", []), where)),
            )
        )
    for i, item in enumerate(data.get("worker_classes", [])):
        item = _mapping(item, f"{where}: worker_classes[{i}]", {"call", "queues"}, {"call", "queues"})
        knowledge.worker_classes.append(WorkerClass(NamePatterns([item["call"]]), _arg_spec(item["queues"])))
    for i, item in enumerate(data.get("worker_commands", [])):
        keys = {"words", "default_queues", "value_options"}
        optional = {
            "queue_options",
            "many_queue_values",
            "overridden_by",
            "overridden_default",
            "configured_in",
            "config_options",
            "scheduler",
            "scheduler_options",
            "consumes",
            "queue_arguments",
        }
        item = _mapping(item, f"{where}: worker_commands[{i}]", keys | optional, keys)
        knowledge.worker_commands.append(
            WorkerCommand(
                words=tuple(_strings(item["words"], where)),
                default_queues=tuple(_strings(item["default_queues"], where)),
                value_options=frozenset(_strings(item["value_options"], where)),
                queue_options=frozenset(_strings(item.get("queue_options", []), where)),
                many_queue_values=bool(item.get("many_queue_values", False)),
                overridden_by=NamePatterns([item["overridden_by"]]) if "overridden_by" in item else None,
                overridden_default=tuple(_strings(item.get("overridden_default", []), where)),
                configured_in=item.get("configured_in"),
                config_options=frozenset(_strings(item.get("config_options", []), where)),
                scheduler=str(item.get("scheduler", "")),
                scheduler_options=frozenset(_strings(item.get("scheduler_options", []), where)),
                consumes=bool(item.get("consumes", True)),
                queue_arguments=bool(item.get("queue_arguments", True)),
            )
        )
    for i, item in enumerate(data.get("images", [])):
        item = _mapping(item, f"{where}: images[{i}]", {"image", "entrypoint"}, {"image", "entrypoint"})
        knowledge.image_entrypoints[str(item["image"])] = str(item["entrypoint"])
    for i, item in enumerate(data.get("task_systems", [])):
        keys = {"name", "task_decorators", "queue_keyword", "name_keyword", "call_methods", "default_queue"}
        optional = {
            "send_task",
            "routes_settings",
            "default_queue_settings",
            "options_methods",
            "options_arguments",
            "queues_settings",
            "signature_methods",
            "canvas",
            "trigger_methods",
            "bind_keyword",
            "raising_methods",
            "call_sends",
            "run_methods",
            "result_waits",
        }
        item = _mapping(item, f"{where}: task_systems[{i}]", keys | optional, keys)
        arguments = _mapping(
            item.get("options_arguments", {}),
            f"{where}: task_systems[{i}].options_arguments",
            {"positional", "named"},
            set(),
        )
        knowledge.task_systems.append(
            TaskSystem(
                name=str(item["name"]),
                task_decorators=NamePatterns(_strings(item["task_decorators"], where)),
                queue_keyword=str(item["queue_keyword"]),
                name_keyword=str(item["name_keyword"]),
                call_methods=frozenset(_strings(item["call_methods"], where)),
                send_task=NamePatterns([item["send_task"]] if item.get("send_task") else []),
                default_queue=str(item["default_queue"]),
                routes_settings=frozenset(_strings(item.get("routes_settings", []), where)),
                default_queue_settings=frozenset(_strings(item.get("default_queue_settings", []), where)),
                queues_settings=frozenset(_strings(item.get("queues_settings", []), where)),
                options_methods=frozenset(_strings(item.get("options_methods", []), where)),
                options_positional=str(arguments.get("positional", "")),
                options_named=str(arguments.get("named", "")),
                signature_methods=frozenset(_strings(item.get("signature_methods", []), where)),
                canvas=NamePatterns(_strings(item.get("canvas", []), where)),
                trigger_methods=frozenset(_strings(item.get("trigger_methods", []), where)),
                bind_keyword=str(item.get("bind_keyword", "")),
                raising_methods=frozenset(_strings(item.get("raising_methods", []), where)),
                call_sends=bool(item.get("call_sends", False)),
                run_methods=frozenset(_strings(item.get("run_methods", []), where)),
                result_waits=frozenset(_strings(item.get("result_waits", []), where)),
            )
        )
    if "handler_modules" in data:
        knowledge.handler_modules.extend(_strings(data["handler_modules"], f"{where}: handler_modules"))
    if "model_modules" in data:
        knowledge.model_modules.extend(_strings(data["model_modules"], f"{where}: model_modules"))
    if "test_code" in data:
        code = _mapping(data["test_code"], f"{where}: test_code", {"files", "folders"}, set())
        knowledge.test_files.extend(_strings(code.get("files", []), f"{where}: test_code.files"))
        knowledge.test_folders.update(_strings(code.get("folders", []), f"{where}: test_code.folders"))
    if "job_code" in data:
        keys = {"log_methods", "batch_calls", "condition_words", "job_id_keys", "response_calls"}
        optional = {"redirect_calls", "route_status_keywords", "status_attributes", "job_holders", "job_id_attributes"}
        code = _mapping(data["job_code"], f"{where}: job_code", keys | optional, keys)
        for table in ("batch_calls", "response_calls"):
            _mapping(code[table], f"{where}: job_code.{table}", set(code[table]), set())
        knowledge.job_code = JobCode(
            log_methods=frozenset(_strings(code["log_methods"], where)),
            batch_calls={k: _arg_spec(str(v)) for k, v in code["batch_calls"].items()},
            condition_words=tuple(w.lower() for w in _strings(code["condition_words"], where)),
            job_id_keys=frozenset(_strings(code["job_id_keys"], where)),
            response_calls={k: _arg_spec(str(v)) for k, v in code["response_calls"].items()},
            redirect_calls=frozenset(_strings(code.get("redirect_calls", []), where)),
            route_status_keywords=frozenset(_strings(code.get("route_status_keywords", []), where)),
            status_attributes=frozenset(_strings(code.get("status_attributes", []), where)),
            job_holders=frozenset(_strings(code.get("job_holders", []), where)),
            job_id_attributes=frozenset(_strings(code.get("job_id_attributes", []), where)),
        )
    if "spec_routes" in data:
        keys = {"spec_keys", "operation_key", "controller_keys", "methods"}
        routes = _mapping(data["spec_routes"], f"{where}: spec_routes", keys, keys)
        knowledge.spec_routes = SpecRoutes(
            spec_keys=frozenset(_strings(routes["spec_keys"], f"{where}: spec_routes.spec_keys")),
            operation_key=str(routes["operation_key"]),
            controller_keys=tuple(_strings(routes["controller_keys"], f"{where}: spec_routes.controller_keys")),
            methods=frozenset(_strings(routes["methods"], f"{where}: spec_routes.methods")),
        )
    if "signals" in data:
        keys = {"receiver_decorators", "signal_classes", "connect_methods", "send_methods", "sent_by_writes"}
        optional = {
            "instance_parameter",
            "writer_packages",
            "created_parameter",
            "created_signals",
            "updating_keywords",
            "inserting_writes",
            "connecting_classes",
            "connecting_method",
        }
        signals = _mapping(data["signals"], f"{where}: signals", keys | optional, keys)
        writes = _mapping(
            signals["sent_by_writes"], f"{where}: signals.sent_by_writes", set(signals["sent_by_writes"]), set()
        )
        knowledge.signals = Signals(
            receiver_decorators=NamePatterns(_strings(signals["receiver_decorators"], where)),
            signal_classes=NamePatterns(_strings(signals["signal_classes"], where)),
            connect_methods=frozenset(_strings(signals["connect_methods"], where)),
            send_methods=frozenset(_strings(signals["send_methods"], where)),
            sent_by_writes={
                k: NamePatterns(_strings(v, f"{where}: signals.sent_by_writes")) for k, v in writes.items()
            },
            instance_parameter=str(signals.get("instance_parameter", "")),
            writer_packages=frozenset(_strings(signals.get("writer_packages", []), where)),
            created_parameter=str(signals.get("created_parameter", "")),
            created_signals=NamePatterns(_strings(signals.get("created_signals", []), where)),
            updating_keywords=frozenset(_strings(signals.get("updating_keywords", []), where)),
            inserting_writes=frozenset(_strings(signals.get("inserting_writes", []), where)),
            connecting_classes=NamePatterns(_strings(signals.get("connecting_classes", []), where)),
            connecting_method=str(signals.get("connecting_method", "")),
        )
    if "view_models" in data:
        keys = {"model_attributes", "object_getters", "meta_class", "meta_model"}
        views = _mapping(
            data["view_models"],
            f"{where}: view_models",
            keys
            | {
                "row_hooks",
                "serializer_attribute",
                "serializer_getters",
                "serializer_save",
                "library_actions",
                "allowed_methods_attribute",
                "model_methods",
                "meta_instance_methods",
                "rows_parameters",
                "form_parameter",
            },
            keys,
        )
        actions = []
        for i, item in enumerate(views.get("library_actions", [])):
            at = f"{where}: view_models.library_actions[{i}]"
            item = _mapping(
                item, at, {"bases", "action", "writes", "hooks", "http_methods"}, {"bases", "action", "writes"}
            )
            if item["writes"] not in ("create", "update", "delete"):
                raise KnowledgeError(f"{at}.writes: expected create, update or delete, got {item['writes']!r}")
            actions.append(
                LibraryAction(
                    NamePatterns(_strings(item["bases"], at)),
                    str(item["action"]),
                    str(item["writes"]),
                    frozenset(_strings(item.get("hooks", []), at)) | {str(item["action"])},
                    frozenset(_strings(item.get("http_methods", []), at)),
                )
            )
        hooks = _mapping(
            views.get("row_hooks", {}), f"{where}: view_models.row_hooks", set(views.get("row_hooks", {})), set()
        )
        save = views.get("serializer_save")
        if save is not None:
            keys = {"method", "creates", "updates", "chooser"}
            save = _mapping(save, f"{where}: view_models.serializer_save", keys | {"created_in"}, keys)
            save = (
                str(save["method"]),
                str(save["creates"]),
                str(save["updates"]),
                str(save["chooser"]),
                str(save.get("created_in", "")),
            )
        form = views.get("form_parameter")
        if form is not None:
            keys = {"method", "attribute", "choosers"}
            at = f"{where}: view_models.form_parameter"
            form = _mapping(form, at, keys, keys)
            form = (str(form["method"]), str(form["attribute"]), frozenset(_strings(form["choosers"], at)))
        knowledge.view_models = ViewModels(
            model_attributes=tuple(_strings(views["model_attributes"], where)),
            object_getters=frozenset(_strings(views["object_getters"], where)),
            meta_class=str(views["meta_class"]),
            meta_model=str(views["meta_model"]),
            row_hooks={str(k): str(v) for k, v in hooks.items()},
            serializer_attribute=str(views.get("serializer_attribute", "")),
            serializer_getters=frozenset(_strings(views.get("serializer_getters", []), where)),
            serializer_save=save,
            library_actions=tuple(actions),
            allowed_methods_attribute=str(views.get("allowed_methods_attribute", "")),
            model_methods=tuple(_strings(views.get("model_methods", []), where)),
            meta_instance_methods=frozenset(_strings(views.get("meta_instance_methods", []), where)),
            form_parameter=form,
            rows_parameters=tuple(
                tuple(name.strip() for name in run.split(","))
                for run in _strings(views.get("rows_parameters", []), where)
            ),
        )
    if "slow_calls" in data:
        knowledge.slow_calls = NamePatterns(
            Knowledge._patterns(knowledge.slow_calls) + _strings(data["slow_calls"], f"{where}: slow_calls")
        )
    if "slow_call_results" in data:
        knowledge.slow_call_results = NamePatterns(
            Knowledge._patterns(knowledge.slow_call_results)
            + _strings(data["slow_call_results"], f"{where}: slow_call_results")
        )
    if "local_client_calls" in data:
        knowledge.local_client_calls = NamePatterns(
            Knowledge._patterns(knowledge.local_client_calls)
            + _strings(data["local_client_calls"], f"{where}: local_client_calls")
        )
    if "sleeps" in data:
        knowledge.sleeps = NamePatterns(
            Knowledge._patterns(knowledge.sleeps) + _strings(data["sleeps"], f"{where}: sleeps")
        )
    if "command_modules" in data:
        knowledge.command_modules = NamePatterns(
            Knowledge._patterns(knowledge.command_modules)
            + _strings(data["command_modules"], f"{where}: command_modules")
        )
    if "command_runners" in data:
        runners = _mapping(data["command_runners"], f"{where}: command_runners", {"calls", "entry"}, {"calls", "entry"})
        entry = runners["entry"]
        if not isinstance(entry, str) or entry.count(".") != 1:
            raise KnowledgeError(f"{where}: command_runners.entry: expected Class.method")
        knowledge.command_runners = NamePatterns(
            Knowledge._patterns(knowledge.command_runners)
            + _strings(runners["calls"], f"{where}: command_runners.calls")
        )
        knowledge.command_entry = entry
    if "scheduler_decorators" in data:
        knowledge.scheduler_decorators = NamePatterns(
            Knowledge._patterns(knowledge.scheduler_decorators)
            + _strings(data["scheduler_decorators"], f"{where}: scheduler_decorators")
        )
    if "transparent_decorators" in data:
        knowledge.transparent_decorators = NamePatterns(
            Knowledge._patterns(knowledge.transparent_decorators)
            + _strings(data["transparent_decorators"], f"{where}: transparent_decorators")
        )
    if "enumerations" in data:
        enumerations = _mapping(data["enumerations"], f"{where}: enumerations", {"classes", "members"}, {"classes"})
        knowledge.enumerations = NamePatterns(
            Knowledge._patterns(knowledge.enumerations)
            + _strings(enumerations["classes"], f"{where}: enumerations.classes")
        )
        knowledge.enumeration_members |= frozenset(
            _strings(enumerations.get("members", []), f"{where}: enumerations.members")
        )
    if "services" in data:
        services = _mapping(data["services"], f"{where}: services", {"factories", "instances", "lookups"}, {"lookups"})
        knowledge.service_factories |= frozenset(_strings(services.get("factories", []), f"{where}: services"))
        knowledge.service_instances |= frozenset(_strings(services.get("instances", []), f"{where}: services"))
        knowledge.service_lookups |= frozenset(_strings(services["lookups"], f"{where}: services.lookups"))
    if "schema_dumps" in data:
        dumps = _mapping(
            data["schema_dumps"],
            f"{where}: schema_dumps",
            {"methods", "classes", "open_classes"},
            {"methods", "classes"},
        )
        knowledge.schema_dumps |= frozenset(_strings(dumps["methods"], f"{where}: schema_dumps.methods"))
        knowledge.schema_classes = NamePatterns(
            Knowledge._patterns(knowledge.schema_classes) + _strings(dumps["classes"], f"{where}: schema_dumps.classes")
        )
        knowledge.open_schema_classes = NamePatterns(
            Knowledge._patterns(knowledge.open_schema_classes)
            + _strings(dumps.get("open_classes", []), f"{where}: schema_dumps.open_classes")
        )
    for key in _NAME_LISTS:
        if key in data:
            patterns = Knowledge._patterns(getattr(knowledge, key)) + _strings(data[key], f"{where}: {key}")
            setattr(knowledge, key, NamePatterns(patterns))


def packs_directory() -> Path:
    """The packs: inside the installed wheel, or `rules/` of a source checkout."""
    installed = resources.files("worker_audit") / "packs"
    if installed.is_dir():
        return Path(str(installed))
    source_checkout = Path(__file__).resolve().parent.parent / "rules"
    if source_checkout.is_dir():
        return source_checkout
    raise KnowledgeError("worker-audit is installed without its rules/ packs")


@lru_cache(maxsize=1)
def load_knowledge() -> Knowledge:
    knowledge = Knowledge()
    directory = packs_directory()
    for path in sorted(directory.glob("*.yaml")):
        try:
            # libyaml's safe loader when PyYAML has it: the packs load at every run, 10x faster in C
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as exc:
            raise KnowledgeError(f"{path.name}: {exc}") from None
        _merge_pack(knowledge, data, path.name)
    parts = knowledge.orm_parts
    if parts:
        knowledge.orm = Orm(
            **{key: frozenset(parts.get(key, [])) for key in _ORM_KEYS if key not in {"session_types", "statements"}},
            session_types=NamePatterns(parts.get("session_types", [])),
            statements={
                operation: NamePatterns(parts.get(f"statements.{operation}", []))
                for operation in ("delete", "update", "insert")
            },
        )
        if knowledge.view_models is not None:  # the hooks and the write each does are listed once
            hooks = frozenset(knowledge.view_models.row_hooks)
            knowledge.orm = replace(knowledge.orm, row_hook_methods=knowledge.orm.row_hook_methods | hooks)
    knowledge.library_packages = frozenset(_top_packages(knowledge))
    # the longest words first: `airflow celery worker` is Airflow's before `celery worker` is Celery's
    knowledge.worker_commands.sort(key=lambda command: -len(command.words))
    return knowledge


def _top_packages(value: Any, depth: int = 0) -> set[str]:
    """The first segment of every name pattern in the packs' knowledge."""
    if isinstance(value, NamePatterns):
        return {name.split(".")[0] for name in (*value.exact, *value.globs) if not name.startswith(("*", "?"))}
    found: set[str] = set()
    if depth > 6:
        return found
    if is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            found |= _top_packages(getattr(value, item.name), depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            found |= _top_packages(item, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            found |= _top_packages(item, depth + 1)
    return found
