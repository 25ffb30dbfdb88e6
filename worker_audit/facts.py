"""Per-module facts: what one parse of one file tells, as plain picklable values.

`extract.py` produces them from a libcst tree; everything after it (the
project index, the analyses, the rules) reads only these values, never a tree.
Facts of one file never depend on another file: what `db` is, or whether
`helper` is a project function, is left to `project.py`.

A reference (`Ref`) is `(anchor, dotted)`:
- `("", "threading.Thread")`: an absolute name, as imported;
- `("@", "leads_bp.route")`: a top-level name of this same module;
- `("..", "services.x")`: relative to this module's package (one dot per level);
- `("$", "instance.save")`: a parameter kept by name (a signal receiver's `instance`),
  whose class only the caller knows.
- `("?", "manager.route")`: a name the module leaves free, in a decorator, which another
  module may set on it before it runs (`page.manager = Blueprint(...)`).
A segment ending in `()` means "the result of calling it": `flask.Flask().route`;
a segment `[]`, "an element of it": `View.queryset.[]` for `for obj in self.queryset`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from worker_audit.finding import Span

Ref = tuple[str, str]
FREE = "?"  # the anchor of a name the module leaves free (above)
MODULE_SCOPE = "<module>"
# what a method returns when it is an instance of the class it is called on (`cls(...)`,
# `cls.query.filter(...).one()`): `DataSource.get_by_id(i)` is a DataSource, though the
# method is defined on a mixin
RETURNS_OWN_CLASS: Ref = ("cls", "()")
# what a fallback import catches: `try: import queue` / `except ImportError: import Queue as queue`
IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
# a row of a relation's default manager (`for check in project.check_set.all()`), after the
# owner and the manager: `<owner>.check_set.[rows]`; reach.py finds the model
RELATION_ROWS = "[rows]"
# a guard's subject for whether a model method's own row is new (`if not self.pk:`, `created =
# not bool(self.id)`, `self._state.adding`): no parameter can have this name
NEW_ROW = "[new row]"
# a guard's subject for an attribute of a method's own instance compared with strings written
# out (`if self.action == "retrieve":`): "[self].action"; what a framework sets it to for each
# handler (DRF's routed action, `routed_action` in the packs) settles it. No parameter can
# have this name
OWN_ATTRIBUTE = "[self]."
# a write's model when it is the manager of a relation on an object of unknown class
# (`user.seats.filter(team=t)`, `user` a parameter): "[?].seats", the models whose foreign key
# has that manager settle it. No name can start so
UNKNOWN_OWNER = "[?]."
# `returns_few_of` of a function every `return` of which gives a few items written out
# (`return ["ckan.site_title", "ckan.theme"]`): whatever it is given
WRITTEN_OUT = "[written out]"
# subscripts whose first argument is the type an annotation says: `Annotated[T, Depends(...)]`, `Optional[T]`
TYPE_WRAPPERS: frozenset[Ref] = frozenset(
    ("", f"{module}.{name}") for module in ("typing", "typing_extensions") for name in ("Annotated", "Optional")
)
# `-> type[Router]`: the function returns the class itself
CLASS_TYPES: frozenset[Ref] = frozenset({("", "type"), ("", "typing.Type"), ("", "typing_extensions.Type")})


# `super().post` in a method of `ShotsImport`: ("@", "ShotsImport.<super>.post"), the `post` of its bases
SUPER = "<super>"

# a class attribute set to a string literal (`IMPORT = "import"`, an Enum member's value) is kept
# among the class's attributes as (STRING_ANCHOR, the string): no name resolves through it
STRING_ANCHOR = "'"

# what a service registry gives (pyramid_services' `request.find_service(IUserService)`,
# `find_service(name="user_delete")`): (SERVICE_ANCHOR, "[i:<anchor>|<dotted>|<name>]" or
# "[n:<name>]", then what follows: `().delete`); the project index finds the factory registered
# for that key (`service_ref` writes it, `service_lookup` reads it)
SERVICE_ANCHOR = "%service"


def service_ref(iface: Ref | None, name: str | None) -> Ref | None:
    """The instance a service lookup gives, by the interface it names (its reference), by name,
    or by both; None when neither is written out (or one holds the key's own separators)."""
    if name is not None and ("]" in name or "|" in name):
        return None
    if iface is None:
        return (SERVICE_ANCHOR, f"[n:{name}]()") if name is not None else None
    if "|" in iface[0] or "]" in iface[1] or "|" in iface[1]:
        return None
    named = f"|{name}" if name is not None else ""
    return (SERVICE_ANCHOR, f"[i:{iface[0]}|{iface[1]}{named}]()")


def service_lookup(dotted: str) -> tuple[Ref | None, str | None, str]:
    """The interface, the name and what follows (`().delete`) of a SERVICE_ANCHOR reference."""
    key, _, rest = dotted[1:].partition("]")
    kind, _, value = key.partition(":")
    if kind == "n":
        return None, value, rest
    anchor, _, named = value.partition("|")
    interface, bar, name = named.partition("|")
    return (anchor, interface), (name if bar else None), rest


# `job = functools.partial(JobDecorator, connection=c)`: the name stands for what it wraps
PARTIAL: Ref = ("", "functools.partial")

# a loop over at most this many elements written out (a literal, `range(10)`, a short
# constant) is a few fixed repetitions, not a loop over work
FIXED_LOOP_LIMIT = 10


@dataclass(frozen=True)
class Membership:
    """What a guard tests besides a parameter's truth (see CallFact.guards): whether a string
    written out is in what the caller gives. `container` is the parameter (`'status' in
    update_fields`), or "**" and the keyword that the function's `**kwargs` collects (`'status' in
    kwargs.get('update_fields', ['status'])`); `default`: whether the string is in what `.get()`
    answers when the call leaves that keyword out (None: no default written out)."""

    member: str
    container: str
    default: bool | None = None


@dataclass(frozen=True)
class NoneTest:
    """A guard that tests whether a parameter is None (see CallFact.guards): `if match is not
    None:` needs (NoneTest("match"), False). Truth says nothing of it: `False` and `0` are not None."""

    parameter: str


@dataclass(frozen=True)
class Equals:
    """A guard that compares a parameter with a string written out (see CallFact.guards): `if
    data == "hot":` needs (Equals("data", "hot"), True); a call that gives another string
    written out does not run that branch."""

    parameter: str
    value: str


@dataclass(frozen=True)
class SameFunction:
    """A guard that compares a parameter with a function named in the module (see
    CallFact.guards): `if action == update_dates:` needs (SameFunction("action", ("@",
    "update_dates")), True); a call that gives another function does not run that branch."""

    parameter: str
    ref: Ref


@dataclass(frozen=True)
class AllOf:
    """A guard on tests joined by `and` (see CallFact.guards): after `if section == "frontend"
    and key == "offset": return`, what follows needs (AllOf(((Equals("section", "frontend"),
    True), (Equals("key", "offset"), True))), False): a call that settles every test the way
    written does not run it. Each item is a guard on one test of a parameter."""

    guards: tuple[tuple[GuardSubject, bool], ...]


# what a guard tests: a parameter's truth (its name), a string in it, whether it is None, a
# string or a function, or several such tests joined by `and`
GuardSubject = str | Membership | NoneTest | Equals | SameFunction | AllOf
# what a branch needs of a parameter: the subject tested, and the value it must have
Guard = tuple[GuardSubject, bool]


@dataclass(frozen=True)
class ArgFact:
    keyword: str | None
    ref: Ref | None = None  # a name, attribute or call result
    text: str | None = None  # a string literal's value
    # "True", "False", "None", "list", "tuple", "dict", "number", "fstring", "one-row", "members"
    literal: str | None = None
    # ("one-row": a query pinned to one primary key, `State.objects.filter(pk=pk)`; "capped": a
    # local the function capped at 1 to 10 items, `if len(files) > 1: return ...`; "members":
    # `list(TimeFrame)`, the members of the class `ref` names)
    number: int | None = None  # an integer literal, or a local constant holding one
    items: tuple[str, ...] | None = None  # a list/tuple of string literals, or a dict's string keys
    keys: int | None = None  # how many entries a dict written out has, whatever its keys (`{ws.id: now}`: 1)
    refs: tuple[Ref | None, ...] = ()  # a list/tuple of names: `(post_save, post_delete)`
    pairs: tuple[tuple[str, str | None], ...] = ()  # a dict literal: string key -> string value (or its "queue")
    span: Span | None = None  # a string literal's position, for fixes that edit it
    # a parameter of the calling function that its body never assigns (`queue.enqueue(func)` in
    # `def launch(func)`): what it is, only the caller of that function knows
    parameter: str | None = None
    # a parameter of the calling function that its body rebinds only to false values written out
    # (`if settings.PREFER_DEFER: immediate = False`): false when the caller gave it false
    falsy_parameter: str | None = None
    # `args=[doc.pk]` / `kwargs={"ids": [doc.pk]}` of an options call (`apply_async`): the task's
    # own arguments they carry, positional or by keyword
    entries: tuple[ArgFact, ...] = ()
    # a registrar's view wrapped by hand, `path("x/", login_required(views.f))` (also
    # `cache_page(60)(views.f)`, `self.admin_site.admin_view(self.x)`): what the wrapper is given
    wrapped: Ref | None = None
    # a lambda whose body is one call of a name it does not take (`lambda: os.unlink(path)`): what
    # it calls, for a spawn that only cleans up
    runs: Ref | None = None


@dataclass(frozen=True)
class CallFact:
    target: Ref | None
    span: Span
    loop: int  # 0 outside loops, else the id (unique in its module) of the innermost loop that repeats it
    text: str  # a short rendering of the call, for messages
    args: tuple[ArgFact, ...] = ()
    shape: str | None = None  # ORM writes: "bulk" (many rows) or "row" (one row)
    shape_detail: str = ""
    receiver: int | None = None  # index in the same function's calls of the call that built the receiver
    # index in the same function's calls of the call this one is an argument of (`create_task(f(x))`)
    argument_of: int | None = None
    # a "bulk" write filtered by equalities: the columns, and the model, so that a unique
    # key of the model (read in phase 2) can show it is one row after all
    equality_columns: tuple[str, ...] = ()
    # the columns its other conditions test (`M.deleted_at.is_(None)`): a partial unique index
    # (`postgresql_where=...`) is a key of the rows that pass its condition only
    tested_columns: tuple[str, ...] = ()
    # `filter(job=job, **key)` with `key` a dict written out in each branch: the keys of each,
    # one of which the filter pins besides `equality_columns`
    equality_alternatives: tuple[tuple[str, ...], ...] = ()
    # `filter(**kwargs)` with `kwargs` the function's own `**kwargs`: its name, and the keys the
    # function takes out of it (`kwargs.pop("level")`); the filter pins too each other keyword
    # the caller gives
    spread_parameter: tuple[str, tuple[str, ...]] | None = None
    model: Ref | None = None
    # a "bulk" write filtered by `key__in=names`, `names` a parameter of the function: given a
    # few items by the caller (`bump("menu", "prices")` to `*names`), it writes a few rows of a
    # unique `key`. ("key__in", "names"); ("", "rows") for `bulk_create(rows)` of the parameter's
    # items, or of a comprehension over them: as many rows as the caller gives; ("()", "paths")
    # for `bulk_create(make_rows(paths))`: as many as the function called returns for them
    in_parameter: tuple[str, str] | None = None
    # `key.delete()` after `for key in bucket.list()`: the library call that made the receiver,
    # so phase 2 can tell a library's object (boto's) from a model's
    origin: Ref | None = None
    # peewee's `Item.delete().where(...).execute()`: the class the statement is built on, which
    # phase 2 checks is a model (a Google API client's `events.delete(...).execute()` is not)
    statement_model: Ref | None = None
    # in the block that creates a singleton row the first time (`except Settings.DoesNotExist:`
    # after `get(id=1)`): a write there runs once per database, not once per request
    once: bool = False
    # how many times the loops around the call that repeat a few fixed times run it (`for
    # attempt in range(4):`: 4; 1 outside them), None when one of them does not say
    fixed_rounds: int | None = 1
    # a sleep's seconds written out (`time.sleep(0.1)`), None for any other call or duration
    seconds: float | None = None
    # in a block that builds a module global the first time only (`if _loop_thread is None:`):
    # it runs once per process, the process's start-up made at the first request
    start_up: bool = False
    # in a block that ends by raising out of the function (`raise`, `abort(404)`) with no
    # `try:` of the function around: once it runs, the functions that led to it stop too, up to
    # one that called them in a `try:`, whatever loop of theirs repeats the call
    raises_after: bool = False
    tried: bool = False  # in the body of a `try:` of its function: what it raises may be caught there
    tried_in_loop: bool = False  # in the body of a `try:` inside the loop that repeats it: the loop goes on
    # parameters of the function tested by the `if` around the call, with the value the call
    # needs: (("created", True),) in a receiver's `if created:` block, or after `if not created: return`;
    # a Membership for `if "status" in update_fields:`, a NoneTest for `if match is not None:`
    guards: tuple[Guard, ...] = ()
    # the arms of the `if` statements around the call: (if, 0) in one's body, (if, 1) in its
    # `else` or `elif`; a return in the other arm of an `if` never follows the call. A `try:`
    # counts as one, numbered below 0: (-1 - try, 0) in its body or `else`, (-1 - try, 1) in a
    # handler, whose return answers the body's failure
    arms: tuple[tuple[int, int], ...] = ()
    starred: bool = False  # a `*args` or `**kwargs` among the arguments: which parameter gets what is unknown
    # how many positional arguments come before the first `*args`, when there is one: only
    # their positions are known
    unpacked_at: int | None = None
    # `store(album, *files)` with `files` a parameter of the calling function, its only `*`
    # and no `**`: the parameter unpacked (its few items, when the caller gave few, fill `*args`)
    unpacked: str | None = None
    # `proc = Popen(...)` (or `with Popen(...) as proc:`): the local the call's value is bound to
    bound_to: str | None = None
    # `publisher(item_id)`: the parameter of the function the call calls (never assigned in
    # it), whose value only the caller knows (`publish_each(self.publish_event, ids)`)
    parameter: str | None = None
    # `func.delay(...)`: a method of such a parameter, as "func.delay"
    parameter_method: str | None = None
    # `loaders[kind](rows)`, or `loader(rows)` after `loader = loaders[kind]`, with `loaders` a dict
    # written out in the function: the functions its values name, one of which the call runs
    choices: tuple[Ref, ...] = ()
    awaited: bool = False  # the function awaits its result (`await`, a task it gathers)
    entered: bool = False  # a `with` statement's context (`with ThreadPoolExecutor() as pool:`)
    # the function iterates what it returns or hands it on (`list(pool.map(...))`, `for r in
    # results`, `return results`); read for a spawn's `unless_result_used`
    result_used: bool = False
    # a future a `wait(...)` / `as_completed(...)` of the function is given (`futures =
    # [pool.submit(...) for ...]`, `wait(futures)`)
    future_waited: bool = False
    # a call written nowhere: the call of the function a mapper, a thread runner or a deferred
    # call is given (`fetch(url)` of `pool.map(fetch, urls)`)
    stand_in: bool = False
    # entered, and its block sets an attribute or changes one in place (`device.synced = False`):
    # a change the session a context manager commits at its exit may write
    changing_block: bool = False
    # in a generator, after its first `yield`: in a @contextmanager, what the exit of the `with` runs
    after_yield: bool = False
    # the function returns its result (`return asyncio.create_task(...)`, or a name bound to it):
    # whether the task is awaited is for the caller to say
    handed_back: bool = False
    # a "bulk" `bulk_create([... for s in STATES])` over an imported constant in capitals: a few
    # rows when the project index finds it written out with 1 to 10 elements
    bounded_by: Ref | None = None

    @property
    def in_loop(self) -> bool:
        return self.loop != 0


def outer_loop(loop: int, around: dict[int, int]) -> int:
    """The loop that repeats what `loop` repeats, once the loops `around` maps to the loop around
    them are taken as a few fixed rounds (a loop over a short constant, or over `[x]`)."""
    while loop in around:
        loop = around[loop]
    return loop


def returned_functions(functions: dict[str, FunctionFact], qualname: str) -> list[str]:
    """The functions nested in `qualname` that it returns by name (`return wrapper`); every
    function nested in it when it returns none of them by name (`return wraps(f)(wrapper)`)."""
    nested = [name for name in functions if name.rpartition(".")[0] == qualname]
    function = functions.get(qualname)
    returned = {m.ref[1] for m in function.marks if m.kind == "return" and m.ref} if function is not None else set()
    named = [name for name in nested if name.rpartition(".")[2] in returned]
    return named or nested


def loop_line(loop: int) -> int:
    """The line of the `for` or `while` a loop id stands for (`extract.loop_id`: line, column)."""
    return loop >> 20


@dataclass(frozen=True)
class Mark:
    """A small fact at a line of a function, for the job-standard rules.

    kind: "attr-write" (`job.heartbeat_at = ...`: text is the attribute),
    "compare" (a string literal compared: `status in ("cancelled", ...)`),
    "condition" (a name or attribute tested by if/while, as written),
    "log" (the text of a logging call), "batch" (a batch size: `range(0, n, 50)`,
    `.limit(50)`, `ids[i:i + 50]`), "argv" (`sys.argv[1:]`: the function reads its command
    line), "return" (number: the HTTP status, text:
    "job_id" when the response carries a job id; ref: ("", name) for `return name`). For fixes
    that add lines:
    "body-first" (the first statement after the docstring), "body-last" and
    "loop-last" (the last statement of the body, of an outermost loop's body;
    text "jump" when it returns, raises, breaks or continues).
    """

    kind: str
    text: str
    line: int
    loop: int  # 0 outside loops, else the id of the innermost loop that repeats it (as CallFact.loop)
    number: int | None = None
    ref: Ref | None = None
    column: int = 1
    end_line: int = 0
    arms: tuple[tuple[int, int], ...] = ()  # "return": the arms of the ifs around it (as CallFact.arms)

    @property
    def in_loop(self) -> bool:
        return self.loop != 0


@dataclass(frozen=True)
class DecoratorFact:
    target: Ref | None
    is_call: bool
    span: Span
    args: tuple[ArgFact, ...] = ()


@dataclass(frozen=True)
class FunctionFact:
    qualname: str
    name: str
    span: Span  # the name in `def name(...)`
    class_name: str | None
    decorators: tuple[DecoratorFact, ...]
    calls: tuple[CallFact, ...]
    is_async: bool = False
    marks: tuple[Mark, ...] = ()
    params: tuple[str, ...] = ()  # parameter names, in order
    varargs: str | None = None  # the `*args` parameter's name
    kwargs: str | None = None  # the `**kwargs` parameter's name
    # it binds its `*args` or `**kwargs` again, puts keys into its `**kwargs` (`kwargs["doc"] =
    # d`) or takes out keys not written out: a wrapper that hands them on gives other arguments
    reshapes_arguments: bool = False
    # the keys written out it takes out of its `**kwargs` (`kwargs.pop("quiet", False)`): a
    # wrapper that hands the rest on gives the function every other argument its caller gave
    taken_keywords: tuple[str, ...] = ()
    returns: Ref | None = None  # the instance it returns (`rq.Queue()`, RETURNS_OWN_CLASS), when known
    # loops over a name in capitals bound in another module (`for size in THUMBNAIL_SIZES`,
    # imported): (the loop, the loop around it or 0, the name). The project index settles them:
    # over a constant written out with 1 to 10 elements, a few fixed repetitions
    constant_loops: tuple[tuple[int, int, Ref], ...] = ()
    # loops over a parameter the function never assigns (`for note in notes`): (the loop, the
    # loop around it or 0, the parameter). A call that gives it a list of 1 to 10 items written
    # out (`mark_read([note])`) runs the loop's body a few fixed times; also a loop over its
    # `.items()`, `.keys()` or `.values()` (`for name, value in tags.items()`, `**tags` given
    # the keywords a call writes out)
    parameter_loops: tuple[tuple[int, int, str], ...] = ()
    # the loop ids of its own `while` loops (a poll: `while not done(): sleep(1)`), not `for` ones
    while_loops: tuple[int, ...] = ()
    # parameters whose default is written out as true or false (`with_events=False`,
    # `limit=None`, `retries=3`): (name, truth); and how many parameters a call can give by position
    defaults: tuple[tuple[str, bool], ...] = ()
    none_defaults: frozenset[str] = frozenset()  # those whose default is `None`
    text_defaults: tuple[tuple[str, str], ...] = ()  # those whose default is a string written out
    positional: int = 0
    generator: bool = False  # it yields: its caller's loop runs over what it yields (`chunks(ids, 100)`)
    # the parameter it returns at most as many items as (`return found`, a list filled one item per
    # round of a loop over `order_ids`; `return [load(i) for i in order_ids]`): a caller's loop over
    # what it returns given `[order_id]` runs a few fixed rounds
    returns_few_of: str | None = None
    once_made: bool = False  # it returns what a class attribute keeps, built the first time only
    returns_annotated: bool = False  # `returns` is what its return annotation says (`-> ScheduleHandle`)
    # parameters a loop runs over that the body binds again when they are empty (`if not users:
    # users = User.objects.all()`): a caller that gives none gives no few rounds, but every row
    refilled: tuple[str, ...] = ()
    # attributes of its own instance the method assigns ("[self].action" for `self.action =
    # "retrieve"`): what the framework set for the request no longer holds here and below
    own_rebound: tuple[str, ...] = ()
    # loops over what a call returns (`for order in orders_by_ids([order_id])`): (the loop, the
    # loop around it or 0, the call's index in `calls`)
    call_loops: tuple[tuple[int, int, int], ...] = ()
    # loops over a query whose filters pin columns with `==` (`for dev in
    # Device.objects.filter(uuid=u)`): (the loop, the loop around it or 0, the query call's index
    # in `calls`, the columns, the model); one round when the columns cover a unique key
    query_loops: tuple[tuple[int, int, int, tuple[str, ...], Ref], ...] = ()
    # comprehensions of coroutines given starred to an awaited call (`await gather_limited(10,
    # *tasks)`): (the loop, the loop around it or 0, the call's index in `calls`); a few fixed
    # rounds when the function called gathers its `*coros` (`gathers_varargs`)
    gathered_loops: tuple[tuple[int, int, int], ...] = ()
    gathers_varargs: bool = False
    # loops over a schema's fields, `for key, value in params.model_dump().items()` with
    # `params` annotated: (the loop, the loop around it or 0, the annotated class); a few fixed
    # rounds when the class is a schema that declares its fields (`schema_dumps` in rules/)
    schema_loops: tuple[tuple[int, int, Ref], ...] = ()


@dataclass(frozen=True)
class ClassFact:
    qualname: str
    span: Span
    bases: tuple[Ref | None, ...]
    methods: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...] = ()  # columns that identify one row (primary, unique, constraints)
    composites: tuple[tuple[str, tuple[str, ...]], ...] = ()  # object = generic_relationship(object_type, object_id)
    # class attributes set to a name or a call: `queryset = Location.objects.all()`, `form = LocationForm`
    attributes: tuple[tuple[str, Ref], ...] = ()
    # what instances hold (full facts only, not outlines): `self.bg = bg` in `__init__` with
    # `bg: BackgroundTasks`, `self.mailer = Mailer()`, a class-level `bg: BackgroundTasks`
    instance_attributes: tuple[tuple[str, Ref], ...] = ()
    # class attributes set to a literal (`DONE = "done"`, `LOW = 1, "Low"`, `auto()`): the
    # members of an enumeration, which a loop over the class repeats once each
    literals: int = 0
    # (full facts only) foreign keys: `workspace = ForeignKey("db.Workspace")` -> the model it
    # names, a reference, or (STRING_ANCHOR, "db.Workspace") for Django's lazy "app.Model"
    foreign_keys: tuple[tuple[str, Ref], ...] = ()
    # (full facts only) its own columns: the foreign keys, and how many others besides a primary
    # key (two foreign keys and at most two others in all, bases included: a link model)
    foreign_columns: tuple[str, ...] = ()
    other_columns: int = 0
    # (full facts only) `ticket = ForeignKey(Ticket, related_name="attrs")`: ("ticket", "attrs"),
    # the name of the manager of its rows on the model it names (`ticket.attrs`); also every
    # many-to-many field, `tags = ManyToManyField(Tag)`: ("tags", its related_name or "")
    related_names: tuple[tuple[str, str], ...] = ()
    # class attributes set to a list or tuple of strings written out, the last such assignment
    # of each name: `http_method_names = ["get", "head", "options"]`; the strings of one that
    # holds other values too under the name and `*` (`actions = [publish, "archive"]`:
    # ("actions*", ("archive",)))
    string_lists: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (full facts only) `tags = GenericRelation(Tag)`: ("tags", the model, (its content type
    # column, its object id column)), the manager of the rows of Tag that point at this row
    generic_relations: tuple[tuple[str, Ref, tuple[str, str]], ...] = ()
    # (full facts only) the models a registrar decorator gives the class, as Django gives a
    # ModelAdmin its `model`: `@admin.register(Item)` (`model_registrars` in rules/)
    registered_models: tuple[Ref, ...] = ()
    # (full facts only) pydantic's `extra="allow"` in its class keywords, `model_config` or
    # `class Config:`: its instances hold fields the class does not declare
    allows_extra: bool = False


@dataclass(frozen=True)
class Binding:
    kind: str  # import | instance | alias | function | class | string | number | mapping | star | other
    # what the name refers to; for a function, the instance its return annotation names (`Server()`)
    ref: Ref | None = None
    value: str | None = None
    span: Span | None = None
    call: int | None = None  # instance: index of the constructing call in the module-level calls
    keys: tuple[str, ...] | None = None  # mapping: its keys; a key written as a name is "$NAME"
    pairs: tuple[tuple[str, str | None], ...] = ()  # mapping: string key -> string value (or its "queue")
    # a tuple, list, set or dict written out (no `*x`, no `**x`): how many elements it has
    items: int | None = None
    # a tuple, list or set of string literals written out: its strings (`listen = ["high", "low"]`)
    strings: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ModuleFacts:
    path: str
    bindings: dict[str, Binding]
    functions: dict[str, FunctionFact]
    classes: dict[str, ClassFact]
    # names the module's functions set on a module object they make (`page.manager = Blueprint(...)`
    # with `page = module_from_spec(spec)`), for the module that object runs: name -> value
    injected: dict[str, Ref] = field(default_factory=dict)


def never_sent(call: CallFact, function: FunctionFact | None, sent_by: frozenset[str]) -> bool:
    """Whether an enqueue call gathers work for an object the function never sends with one
    of `sent_by` (`chain.append(f)` with no `chain.run()`); an object the facts do not follow
    (no receiver call), or no `sent_by`, counts as sent."""
    if not sent_by or function is None or call.receiver is None:
        return False
    return not any(
        other.receiver == call.receiver and other.target is not None and other.target[1].rpartition(".")[2] in sent_by
        for other in function.calls
    )


def given_argument(function: FunctionFact, call: CallFact, parameter: str) -> ArgFact | None:
    """The argument a call gives one parameter of the function it runs: by keyword, else by
    position, past the `self` or `cls` that a call of a method (not a static one) binds. A
    method called on its class with the instance written out (`View.post(self, request)`) is
    taken as bound too, so its positions are read one off: such calls are rare."""
    for arg in call.args:
        if arg.keyword == parameter:
            return arg
    if parameter not in function.params[: function.positional]:
        return None
    static = any(decorator.target == ("", "staticmethod") for decorator in function.decorators)
    position = function.params.index(parameter) - (function.class_name is not None and not static)
    positional = [arg for arg in call.args if arg.keyword is None]
    known = len(positional) if call.unpacked_at is None else call.unpacked_at
    return positional[position] if 0 <= position < known else None


def argument(
    args: tuple[ArgFact, ...], spec: tuple[int | None, str | None], extra_keywords: frozenset[str] = frozenset()
) -> ArgFact | None:
    """The argument a `(position, keyword)` spec names: by keyword first, else by position."""
    position, keyword = spec
    for arg in args:
        if arg.keyword is not None and (arg.keyword == keyword or arg.keyword in extra_keywords):
            return arg
    positional = [a for a in args if a.keyword is None]
    if position is not None and position < len(positional):
        return positional[position]
    return None
