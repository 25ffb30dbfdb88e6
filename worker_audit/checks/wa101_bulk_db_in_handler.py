from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from worker_audit.checks.job_examples import tracked
from worker_audit.finding import Edit, Finding, Fix, Severity
from worker_audit.queue_topology import python_module_name
from worker_audit.rule import Example, Rule


class BulkDbInHandler(Rule):
    code = "WA101"
    name = "bulk-db-in-handler"
    severity = Severity.ERROR
    follows_helpers = True
    summary = "A request handler deletes, updates or inserts many rows inline."
    what = """
Reports a request handler that runs database work over a collection of rows
inside the request, directly or through project helpers it calls (followed
across modules up to `max-call-depth`, and into the wrapper of a project
decorator, which runs around the handler):

- a query-level `delete()` / `update()` (Django's `_raw_delete()` too) whose
  filters do not pin one primary key (`.filter(Lead.id.in_(ids)).delete()`,
  `Lead.query.delete()`), also
  of a relation's manager, whatever its name
  (`check.ping_set.all().delete()`, `project.examples.filter(...).update(...)`, and
  `account.invoice_set.update(paid=True)` on a manager's default name), and of the rows a
  view's own getters give in its methods (`self.filter_queryset(self.get_queryset())`:
  `self_query_getters` in the packs), not of the rows an admin action is given (one
  `queryset.update(...)` over the rows a person ticked: its model's methods run per row are
  followed, below); a model whose
  Flask-SQLAlchemy `query_class` (a project class) defines the method makes
  `Note.query.delete(owner, note_id)` that method, followed as the project's code, and so
  does a Django manager made from a project class (`objects = TicketQuerySet.as_manager()`,
  `objects = NoteManager()`): `Ticket.objects.filter(...).close_all(note)` is its method;
- `session.execute(delete(M)...)` / `update(M)` over many rows, or
  `insert(M)` with a list of rows, whatever runs the statement (a session,
  a Core connection);
- raw SQL run by `execute()` (`cursor.execute("UPDATE ...")`,
  `connection.execute(text("DELETE ..."))`) with no WHERE, or one that does not pin
  the primary key to one value (`id = :id`, `id = %s`), written as a string, an
  f-string, `"...".format(...)` or `"..." % (...)` (each value put in counts as one
  placeholder), also through a local (`sql = text(...)`, then `execute(sql)`; a local
  bound to several statements holds, at each `execute(sql)`, the one assigned last above
  it in the same block; one the function extends, `sql += " AND kind = %s"`, is read with
  every piece added, in the order written); and
  `executemany()`;
- DRF's `save()` of a serializer built with `many=True` (`save(owner=request.user)` too):
  one row per item;
- `bulk_save_objects`, `bulk_insert_mappings`, `bulk_update_mappings`,
  `add_all()` of a computed collection; Django's `bulk_create` /
  `bulk_update`, and a relation given the rows of a query
  (`channel.checks.add(*Check.objects.filter(...))`, `.set(queryset)`: the query is its first
  argument or a `*` spread, on an attribute; a cache's `cache.set(key, queryset)` keeps a value);
- a one-row write (`session.add/delete/merge`, `commit`, a delete by id,
  Django's `obj.save()` / `obj.delete()`, `Model.objects.create()` /
  `get_or_create()` / `update_or_create()`, also on the manager of a relation of a row
  of a project model, `board.cards.create()` with `Card.board` `related_name="cards"`
  (or `board.card_set`), `board` a row a query got or `self` in a method of the model;
  the related model may be in any models module of the project; a new instance of a
  project model class with a key column appended to a row's relationship,
  `shelf.books.append(BookShelf(...))`, not on `self`)
  repeated in a loop. `x.delete()`
  is not a model's when it has an argument `Model.delete()` does not take
  (`directory.delete(email=e)`), or when `x` is an instance of a project
  class that derives from no library class (or `x` is `self` in a method of
  such a class that defines the method itself): that method is followed
  instead, as a model's own override is when the call gives it keywords of
  its own (`post.delete(broadcast=False)`); there `self.save(*args, **kwargs)`
  writes the row. A session is a name like `session` or `db_session`, or
  a variable or parameter annotated with a session class, also through
  `Annotated[AsyncSession, Depends(...)]`, `Optional[...]`, `... | None` and a
  type alias of the same module (an alias imported from another module is
  not followed here). A loop over a tuple, list or set written out
  (`for status in ("sent", "read"):`, also through a local bound to one (or, in each of its
  bindings, to one: `teams = ["red", "blue"]` in one branch, `[slug]` in the other), or to an empty list
  given 1 to 10 items by `append` calls outside loops, before the loop over it, or a call of a
  project function each `return` of which gives one: `for key in config_items():`), over a
  dict written out with 1 to 10 entries (or its `.items()`, also through a local bound once to
  one and given no key but those written out: `widths = {"small": 120, "large": 640}`), over
  `range(n)` with n up to 10 (written out, a local bound once to it, a module constant bound
  once to it, `ATTEMPTS = 3`, or a class constant, `cls.RETRY_ATTEMPTS`; also through a local
  list a comprehension builds over it: `codes = [token() for _ in range(8)]`), over a list
  the function capped before at 1 to 10 items
  (`if len(files) > MAX_FILES: return ...`, `>= 3`, the limit written out or a constant
  of the module, nothing added to it after; also `zip(files, names)`, and given to a
  helper that loops over it), or a `while` that counts up to 10 rounds (`attempt = 0`, `while
  attempt < 4: attempt += 1`), or
  whose body returns or breaks when nothing fails (a retry: `while attempts: try:
  ...; return result; except ...: ...`, `while True: try: row.save(); break; except
  IntegrityError: continue`) or that looks for one item (each
  match of `if item.get("kind") == "self":` overwrites a name set to None
  before the loop), or over a query whose `==` filters pin a unique key of
  its model (`for dev in Device.objects.filter(uuid=u, active=False):`) is a
  few fixed writes, not a loop over a collection (and in a loop over the keys
  of a mapping, `for field, value in request.POST.items():`, a branch taken
  for keys written out only (or module constants bound to them, `if field == NAME_FIELD:`),
  `if field == "email":` or `match field:` with
  `case "bio" | "chat":`, runs once for each of them, not once per item; in a
  loop over the rows of a query, also through `enumerate()` or `list()`, a
  branch taken for the row that equals a value the loop does not change,
  `if status == current:` or `if status.pk == current.pk:`, runs once, as the
  rows differ: not when the loop's body binds that value, sets an attribute of
  it or calls a method of it other than `save()` / `delete()` (`if status ==
  ticket.status: ticket.status = next_status` matches again next round), nor
  for the loop's own counter (`chosen[i]`), nor over `values_list()` /
  `values()`, whose values repeat; and a block that runs in the loop's first round
  only, `if ctx is None: ctx = build(...)` with `ctx` bound nowhere else in the loop (not
  its target) nor emptied again (`ctx.clear()`), runs once); so
  is a helper's loop over a parameter the call gives
  a list of 1 to 10 items written out (`mark_read([note])`, or a dict of 1
  to 10 string keys, `save_settings({"ui.theme": t})`, for its `.items()`; a function's, a
  `@classmethod`'s, a `@staticmethod`'s, or a method's called on an instance
  (a module's too: `option_log = OptionLog()`) or on `self`; `Cls.method(obj,
  [note])` is not matched; a decorator that calls the function with its
  arguments, `@transaction.atomic`, hides nothing: `transparent_decorators` in
  the packs), also when a helper between them passes the parameter on
  (`stamp(shelf, codes)`), or rebinds it only to a map of itself, one item for
  one (`options = {k: str(v) for k, v in options.items()}`), or to a filter of
  itself, no more items (`emails = [e for e in emails if e not in BLOCKED]`), or
  only when it is empty (`if not users: users = User.objects.all()`, also `if
  len(users) == 0:` or `if users is None:`; a call that gives none, or a list it
  computed, runs the loop over every row); so
  is its loop over a query of the rows whose primary keys the parameter
  holds (`filter(id__in=doc_ids)`, `Doc.id.in_(doc_ids)`), or over a local
  container made empty and filled one item per round of loops over the
  parameter (`groups[obj.kind].append(obj)`, then `groups.items()`), a
  loop over its `**kwargs` (or their `.items()`) when the call writes out 0
  to 10 keywords and spreads no `**dict` (`subscribe(user, lang="de")`), or a query
  pinned to one primary key (`touch(State.objects.filter(pk=pk))`), or a loop
  over a project enumeration that lists 1 to 10 members (`for s in Status:`,
  Django's `Status.choices`; `rules/enumerations.yaml`), or over the fields of a
  pydantic schema (`for key, value in params.model_dump().items()`, `params`
  annotated with a schema that is no RootModel and allows no extra fields;
  `rules/pydantic.yaml`). So is `bulk_create()` of a list written out, or of a
  comprehension over such a collection, over a module constant in
  capitals written out with 1 to 10 elements (`for s in DEFAULT_STATES`) or over
  such an enumeration, or of a list the function fills with `append()` outside
  loops or in the loop of the write only (`rows = []`, `rows.append(...)`),
  or of a helper's parameter, or a comprehension over it, or a list filled one
  row per round of a loop over it (`rows.append(Lead(email=a))` in `for a in addresses:`), or what a project
  function returns for it (`bulk_create(lead_rows(emails))`, `lead_rows`
  returning at most one row per item, below), that the call gives a few items
  (`add_leads(owner, [email])`). And so is a loop over what a
  project function returns when it returns at most as many items as a
  parameter (the parameter, a list filled one item per round of a loop over
  it, a comprehension over it) and the call gives that parameter a few items
  written out (`for doc in documents_by_ids([doc_id])`), in a handler or in a
  job (WA303-WA306).

A delete or update of one row is not reported: by primary key, or by
equalities (also the keys of a mapping given as `**name`: a module's
`OPT_OUT = dict(module="telemetry", key="opt_out")`, or a local bound once to
a dict written out; and of the helper's own `**kwargs`,
`cls.objects.filter(**kwargs).delete()`: the keywords each call writes, less the keys
the helper takes out, `kwargs.pop("level")`, but not when the call spreads a dict of its
own, nor when the helper hands the dict on, holds it by another name or uses it in a
nested function; a condition held in a local bound once, `where = Quota.id == i`, and
one arm or the other of `Quota.id == i if i else Quota.name == n`, each arm covering a
key) that cover a unique key of the model (`unique=True`, a
`UniqueConstraint`, an `Index(name, *columns, unique=True)` (a partial one,
`postgresql_where=text("deleted_at IS NULL")`, when the filter also tests the columns its
condition names, `M.deleted_at.is_(None)`), also in a `declared_attr`
`__table_args__` method, Django's `unique_together` and `OneToOneField`, the
primary key columns together, and for library models the pack's
`library_unique_keys`, such as DRF's `Token.user`; a name of the primary key
(`orm.primary_keys`: Django's `pk`, and `id`, which Django adds when no field
says `primary_key=True`) that the model does not declare as a column that is
no key, whatever library class it derives from, so that `filter(id__in=team_ids)`
in a helper given `[team.id]` is a few rows; the two foreign keys of a link model,
a row per pair by convention even when no key says so: a model whose columns, its bases'
included, are two foreign keys, a primary key and at most two others, such as a many-to-many
`through` model; a
relationship `user` stands for its column
`user_id`, and Django's `user_id=` or `user__pk=` for `user`, and so does
`user__email=` when the model `user` names (`ForeignKey(User)`, `"app.User"`) has `email` unique
(Django's User, by any of its names, `settings.AUTH_USER_MODEL` too: `user__username=`);
a relation's manager pins its foreign key (`team.membership_set.filter(member=u)`, or
`self.attrs` of a `related_name`, on an object of a project model: `self` in its method or
a row its query fetched; the related model is looked for in the modules beside that
model's, not in other apps, and a foreign key naming its model by a bare string
(`ForeignKey("Author")`) finds it in its own module or its app's `models` package; on an
object of unknown class, such as `request.user` or a parameter, the manager is looked for
among the foreign keys of every models module of the project that have that name, leaving
out the ones the filter names (`user.seats.filter(team=t)` with `Seat.user` and `Seat.team`
both `related_name="seats"`: the manager is `Seat.user`, as a filter on its own foreign key
would be redundant; a filter that names each of them pins what it pins), and each such
reading must pin a key the model declares, not the link-model convention; a name that is
also a many-to-many's manager, on either side, or a `GenericRelation`'s, is not read so); a
unique
column's `key__in=[...]` with up to 10 values written out is a few rows, and so is a
helper's `key__in=keys` (SQLAlchemy's `Model.key.in_(keys)`) when the call gives `keys` 1
to 10 items written out (a list, or
as many arguments to `*keys`: `clear_settings("MAIL_HOST", "MAIL_PORT")`);
the keywords of a Django `Q(...)` count as the filter's own), or under a test that counts the
query's rows, 1 to 10 (`if addresses.count() == 1: addresses.delete()`, `<= 3`). Nor is what a
singleton's first creation runs: after a lookup by a constant primary key
(`try: return cls.objects.get(id=1)`, or `cls.objects.get()` with no filter, which only a
table of one row answers), the writes of the `except
cls.DoesNotExist:` block that creates the row (and what they run, such as
the model's `save()`) happen once per database, not once per request; so do
those of `if row is None:` (or `if not row:`) after `row =
Settings.query.first()` or `.one_or_none()` with no filter, a table of one
row. The
rest of that block (an enqueue, a thread) counts as anywhere else. So is a
`get_or_create()` whose every lookup is a value written out, a module's name or an
f-string of them (`get_or_create(username=f"{ACTOR}@{DOMAIN}", defaults={...})`): it
creates its row the first time, and every later call reads it, also in a loop. Nor is an update that
only clears flags (`Theme.objects.update(is_active=False)`, Django's keywords set to `False`, or to
`None` for a nullable unique flag, or SQLAlchemy's `Area.query.update({Area.is_default: False})` or
`session.execute(update(Area).values(is_default=False))`) in a function that sets one of them to
`True` on one row (`Theme.objects.filter(pk=pk).update(is_active=True)`, by `pk=` or `id=`, or
`theme.is_active = True`, or a row built with it, `Area(is_default=True)`, or to the value an `if`
around the update tests: `if default:` ... `area.is_default = default`): it moves a marker that one
row holds, and the table is the alternatives it picks from (themes, agreements, configuration
revisions); an update that clears a flag set nowhere, or sets other values, is bulk. Nor is a
write that saves a row (`commit`, `add`,
`save`, `objects.create()`; never a delete) followed, later in the same loop body, by an enqueue
(`participant.status = ...; session.commit(); queue.enqueue(notify,
participant.id)`): that loop hands each row to the worker, which is what the
standard asks for. Nor is a write in a block (an `if`, `else`, `except` or `case` arm) that
ends by raising (`raise`, Flask's `abort(400)` or `return abort(400)`: `raising_calls` in the
packs) repeated by the loops the raise leaves: its function's, unless a `try:` (or a `with
suppress(...)`) inside the loop holds it or the block may `continue` first, and those of the
functions that led to it, up to one that called on inside a `try:` (inside its loop,
`except ValueError: rejected += 1`, the loop goes on; around it, the loop ends there): it runs
once. The finding
sits on the handler's first such statement (or on the call into the helper
that runs it); `related` lists the helper chain and the other statements.

What a model write runs is followed too: the model's own `save()` /
`delete()` (and its other methods, on an instance made or read by a query:
`Server.objects.get(...).block()`, `get_object_or_404(Server, ...)`, the
first of `get_or_create()`'s pair, the new row `Server.objects.create(...)`
returns, the row `ServerForm(request.POST).save()` returns, of a project
ModelForm or ModelSerializer whose `Meta.model` is `Server` and which does not
write its own `save()`, or returned by a function or a manager
method annotated `-> Server`, or a row of a relation's default manager,
`for account in server.account_set.all(): account.retire()`, or the row a foreign key the
model of such an instance declares names, `self.game.absorb(other)` with `game =
ForeignKey(Game)`), and the
receivers
of the signals the write sends (also a manager's `Location.objects.create(...)`,
whose `created` is true, and `get_or_create()` / `update_or_create()`;
`@receiver(post_save, sender=Location)`, `post_save.connect(f,
sender=Location)` at module level, a project's `Signal().send(Cable, ...)`;
a connection in an `AppConfig`'s `ready()`, which Django runs once at start-up, or in a
method of its class that `ready()` calls on `self` (`self.connect_signals()`);
one made in another function is not read),
with the
receiver's `instance` known to be the model written. So is DRF's
`perform_destroy(self, instance)` (a `row_hooks` method) written in a view
whose model is known: `instance` is a row of it, and `instance.delete()`
runs its `delete()` and receivers. With `preview = true` (`--preview`), so
is an action a library's generic view runs by itself, for a view that says
its model and writes neither the action nor a hook it runs: DRF's `ModelViewSet` (and `mixins.*ModelMixin`, the
generic `*APIView`s) `create` / `update` save a row and `destroy` deletes one
(the finding is named `TagViewSet.create/update`); Django's `CreateView` /
`UpdateView` `post` saves the form's row and `DeleteView`'s deletes
`self.object`. An action none of whose HTTP methods the view's
`http_method_names` allows is not read (DRF answers 405). A project
serializer or form that writes its own `create()` / `update()` / `save()`
is not read then. A receiver registered for
every sender is the project's overhead on each write (a change log, a search
index) and is not followed from a write; a project's own signal sent by name
runs it. A `post_save` receiver's `if created:` block (and
what follows `if not created: return`) is left out for a save that updates a
row: one with `update_fields=`, or of an instance read from the database
(`Media.objects.filter(...).first()`); its `else` is left out for an instance
made in the handler (`Media(...)`). So is a model method's own branch for a new row
(`if not self.pk:`, `if self.pk is None:`, `if self._state.adding:`, or `if not created:
... return` after `created = not bool(self.id)`) for an instance read from the database,
also through another method of the model that saves it (`user.touch()` calling
`self.save(update_fields=[...])`), and its branch for a saved row for an instance made in
the handler. Likewise, a helper's branch that tests a
parameter (`if with_events:`, or an arm of a conditional expression:
`store(files) if files else []`) is left out when the call gives it the other
value, written out (`with_events=False`) or as the parameter's default
(also a string compared: `if order == "newest": return` and `order="newest"`);
a test of two parameters with `and` (`if confirmed and hard:`) needs both in
its body, and one with `or` (`if dry_run or keep: return`) leaves what
follows to calls that give both false, as an `if` / `elif` chain each arm
of which returns does (`if event is not None: return event`, `elif not
create: return None`: what follows needs `create`), and as an `if` whose `else` leaves
every time does (`if domerge: ...` `else: return`: what follows needs `domerge`), or an `if` /
`elif` / `else` each arm of which, when it goes on, has passed such a test (also inside a `with`
block before what follows). A local bound once to an `and` of
such tests (`run_now = immediate and ready`, then `if run_now:`) tests them
too, and so does a local that only statements under such a test fill
(`moved = []`, then `moved = query.all()` under `if source:`): `if moved:` and
`for a in moved:` need `source`. A parameter passed on to another helper keeps what the call gave it,
also when the helper's only rebindings of it are to false (`if
settings.PREFER_DEFER: immediate = False`): a false stays false. A test of
a string in what the call gives (`if "shelf" in update_fields:`, also after
`update_fields is not None and`, or in `kwargs.get("update_fields",
["shelf"])` of the method's own `**kwargs`) is decided by a list or tuple of
strings written out (`book.save(update_fields=["title"])`): a model's
`save()` that moves every copy of a book to its shelf only when the shelf is
saved moves nothing for that call. So is a local bound once to `kwargs.pop("photo", None)`
(or `.get`, with a default of `False`, `0` or `""`) of the method's own `**kwargs`: what the
call gives as `photo=`, false when it gives none, so `if photo:` does not run for
`club.save()`. And a method's test of an attribute its class's `__init__` keeps from a
parameter (`self.dry_run = dry_run`, then `if not self.dry_run:`) is decided by the
constructor call of the instance it runs on, a truth written out or a default
(`RowImporter(batch, dry_run=True).process(row)`, also through `importer = RowImporter(...)`
first), unless `__init__` sets that attribute twice, another method of the class sets it
(or calls `setattr()`), the calling function sets it on the instance, or builds the class
more than once.

A handler a Django or DRF view inherits from a generic view
(`class LocationEditView(ObjectEditView)`) is also read for that view, when
the view says its model (`queryset = Location.objects.all()`, `model =
Location`, `form = LocationForm` with `Meta.model`, or, with none of these, a
`get_queryset()` that returns `Location.objects.filter(...)`): `self.get_object()`,
`form.save()` and DRF's `perform_update()` then write a Location, and a method
called on `self.get_object()` (`obj.release(user)`) is Location's (unless the view's
own `get_object()` says it returns another model: `def get_object(self) -> Site:`). What that
adds to the inherited handler is reported on the view's name, one finding per
view (`LocationViewSet.update/destroy`), unless the inherited handler is
reported by itself already. A view that overrides a method the inherited
handler calls on `self` (a template method: the base `post` runs
`self.import_row(row)`, which the view replaces with writes) is read the
same way, whatever its model; so is the base's handler that a view's own
handler calls with `super().post(...)`.
"""
    why = """
The standard says every operation that can take more than 2 seconds goes
through the worker. Deleting a few hundred rows with their related rows takes
minutes: the request holds a web worker and a database transaction the whole
time, times out at the proxy, gives no progress and cannot be cancelled, and
if it dies half-way there is nothing to resume.
"""
    instead = """
Create a tracking record, enqueue a job that processes the ids in batches of
50-100 (heartbeat, cancel check and `JOB_*` logs per batch), and answer
`202` with the job id.
"""
    fix_safety = """
Unsafe (`--unsafe-fixes`): when the bulk statements are in the handler itself
and filter by one id list (`X.in_(ids)`), they move into a new job module in
the project's jobs package (a `jobs` package beside the handler or above it;
created in the handler's top-level package when there is none). The job processes the list in batches
(`batch-size-min`), updates `processed` and the heartbeat, checks for cancel
and logs the `JOB_*` markers per batch. The handler records the job, enqueues
it with `job_timeout` on the `fix-queue` (as for WA102) and answers 202 with
the job id. It changes when the rows disappear: after the response, not
before. Offered only when the handler is in a package and the project has a
job model, a Flask-SQLAlchemy `db` and a module-level Redis connection: in the
modules the run reads, or in the module a checked file imports the job model
from. Without them there is no fix (the example below has none). When the
statements do not have the shape above, no change is made and a line says why.
"""
    bad = Example(
        {
            "app.py": """\
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class Lead(db.Model):
    id = db.Column(db.Integer, primary_key=True)


@app.route("/leads/bulk-delete", methods=["POST"])
def bulk_delete_leads():
    ids = request.get_json()["ids"]
# expect: WA101
    Lead.query.filter(Lead.id.in_(ids)).delete(synchronize_session=False)
    db.session.commit()
    return jsonify({"deleted": len(ids)})
"""
        }
    )
    good = tracked(
        {
            "app.py": """\
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

from jobs import start_job

app = Flask(__name__)
db = SQLAlchemy(app)


class Lead(db.Model):
    id = db.Column(db.Integer, primary_key=True)


@app.route("/leads/<int:lead_id>", methods=["DELETE"])
def delete_lead(lead_id):
    Lead.query.filter_by(id=lead_id).delete()
    db.session.commit()
    return "", 204


@app.route("/leads/bulk-delete", methods=["POST"])
def bulk_delete_leads():
    ids = request.get_json()["ids"]
    job = start_job("maintenance", "tasks.delete_leads", ids)
    return jsonify({"job_id": job.id}), 202
"""
        }
    )

    def check(self, analysis) -> Iterator[Finding]:
        def bulk(r) -> bool:
            return r.effect.kind == "bulk-db" or (r.effect.kind == "row-write" and r.looped and not r.hands_off)

        for found in analysis.handler_hits(bulk, self.code):
            effect = found.first.effect
            detail = f"{effect.detail} once per item of a loop" if effect.kind == "row-write" else effect.detail
            message = (
                f"`{found.handler.qualname}` runs bulk database work inside the request: "
                f"{detail}{found.via}{found.more}; enqueue a job that works in batches"
            )
            yield self.finding(
                analysis,
                found.handler.path,
                found.anchor,
                message,
                found.related("bulk database work"),
                scope=found.scope,
                fix=_job_fix(analysis, found),
            )


def _job_fix(analysis, found) -> Fix | None:
    """Offered when every bulk statement is in the handler itself and the project has a
    jobs package, a tracking model, a Flask-SQLAlchemy `db` and a Redis connection. The
    codemod then checks the block filters by one id list (`X.in_(ids)`), or does nothing."""
    names = analysis.project_names
    hits = found.hits
    if found.handler.view is not None or any(hit.chain or hit.effect.kind != "bulk-db" for hit in hits):
        return None
    if not {"job_model", "db", "redis"} <= set(names):
        return None
    package = _jobs_package(analysis, found.handler.path)
    if package is None:
        return None
    standard = analysis.settings.job
    handler = found.handler
    job_function = f"{handler.qualname.rsplit('.', 1)[-1]}_job"
    jobs_module, jobs_folder, new_init = package
    spec = {
        "codemod": "bulk-to-job",
        "function": handler.qualname,
        "first_line": min(hit.effect.call.span.line for hit in hits),
        "last_line": max(hit.effect.call.span.end_line for hit in hits),
        "job_function": job_function,
        "jobs_module": f"{jobs_module}.{job_function}",
        "job_path": str(Path(jobs_folder) / f"{job_function}.py"),
        "package_init": new_init,
        "job_model": list(names["job_model"]),
        "db": list(names["db"]),
        "redis": list(names["redis"]),
        "queue": analysis.fix_queue,
        "timeout": standard.default_job_timeout,
        "batch_size": standard.batch_size_min,
        "heartbeat_field": standard.heartbeat_field,
        "cancel_states": list(standard.cancel_states),
        "log_start": standard.log_start,
        "log_progress": standard.log_progress,
        "log_done": standard.log_done,
    }
    span = found.first.anchor
    edit = Edit(handler.path, span.line, span.column, span.end_line, span.end_column, json.dumps(spec), "codemod")
    return Fix("unsafe", f"move the bulk statements into a batched job `{job_function}` and enqueue it", (edit,))


def _jobs_package(analysis, handler_path: str) -> tuple[str, str, str | None] | None:
    """(module, folder, the `__init__.py` to create or None) of the jobs package the new
    job goes into: the one the project has (a `jobs` package beside the handler or in a
    package above it), else a new `jobs` package in the handler's top-level package.
    None when the handler is not in a package, or `jobs` exists but is not a package."""
    names = analysis.project_names
    if "jobs" in names:
        return (*names["jobs"], None)
    folder, top = Path(handler_path).parent, None
    root = analysis.index.root
    while (folder / "__init__.py").is_file():
        top = folder
        if (folder / "jobs" / "__init__.py").is_file():
            return python_module_name(str(folder / "jobs" / "__init__.py")), str(folder / "jobs"), None
        if folder.absolute() == root or folder.parent == folder:
            break
        folder = folder.parent
    if top is None or (top / "jobs").exists() or (top / "jobs.py").exists():
        return None
    module = python_module_name(str(top / "__init__.py"))
    return f"{module}.jobs", str(top / "jobs"), str(top / "jobs" / "__init__.py")
