"""Which functions are request handlers: decorated routes, registered view
functions and class-based views, as the knowledge packs describe them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from worker_audit.facts import ArgFact, CallFact, FunctionFact, ModuleFacts
from worker_audit.finding import Span
from worker_audit.knowledge import Knowledge, NamePatterns, ViewClasses, ViewRegistrar
from worker_audit.project import ProjectIndex, Resolved

# the methods of a view class named after the HTTP method they answer
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})


@dataclass(frozen=True)
class Handler:
    path: str
    qualname: str
    span: Span  # the function's name
    how: str  # "route '/api/leads/bulk-delete'", "view class LeadAPI", "add_url_rule"
    # a method a view inherits, read for that view: `view` is the class (path, qualname), `defined`
    # the method (path, qualname) in the base class; `span` is the view's name
    view: tuple[str, str] | None = None
    defined: tuple[str, str] | None = None
    sets_http_status: bool = True  # False for a GraphQL resolver: the response is 200 whatever it returns
    # the view overrides a method the inherited one calls on `self` (a template method:
    # `self.import_row(row)`): read for the view, whatever its model
    template: bool = False
    # an action a library's generic view runs by itself (`ModelViewSet.destroy`, no method of the
    # project): the write it does to a row of the view's model (create, update, delete)
    library_write: str = ""
    # the attribute of `self` the framework sets for the request and the values it may have:
    # ("action", {"subscribe"}) for DRF's `@action def subscribe` (`routed_action` in the packs)
    routed_action: tuple[str, frozenset[str]] | None = None


def _self_method(function: FunctionFact, call) -> str | None:
    """`import_row` of `self.import_row(row)` in a method."""
    anchor, dotted = call.target or ("", "")
    prefix = f"{function.class_name}."
    name = dotted[len(prefix) :] if anchor == "@" and function.class_name and dotted.startswith(prefix) else ""
    return name if name.isidentifier() else None


def _routed_action(views: ViewClasses, method: str, decorated: bool) -> tuple[str, frozenset[str]] | None:
    """("action", {"subscribe"}): what the framework may set `self.action` to when the method
    runs as a request's action (DRF: its name, and `partial_update` for `update`), or None when
    that is not known (a hook, `dispatch`)."""
    if not views.routed_action or not (decorated or method in views.routed_methods):
        return None
    return views.routed_action, frozenset({method}) | views.routed_also.get(method, frozenset())


def _matches(patterns: NamePatterns, index: ProjectIndex, resolved: Resolved) -> bool:
    if resolved.kind == "external":
        return patterns.matches(resolved.dotted)
    if resolved.kind == "project":
        name = index.dotted_name(resolved.path, resolved.dotted + (f".{resolved.rest}" if resolved.rest else ""))
        return any(patterns.matches(".".join(name.split(".")[i:])) for i in range(name.count(".") + 1))
    return False


def _route_text(args: tuple[ArgFact, ...]) -> str:
    for arg in args:
        if arg.keyword in (None, "rule", "path") and arg.text is not None:
            return f"route '{arg.text}'"
    return "route"


def _argument(args: tuple[ArgFact, ...], position: int, keyword: str) -> ArgFact | None:
    positional = [a for a in args if a.keyword is None]
    for arg in args:
        if keyword and arg.keyword == keyword:
            return arg
    return positional[position] if position < len(positional) else None


def _class_methods(registrar: ViewRegistrar, args: tuple[ArgFact, ...]) -> frozenset[str]:
    """The methods of a class the registrar routes to: its `class_methods`, each with the suffix
    the call gives after it (Falcon's `suffix="item"`: `on_get_item`)."""
    given = next((a for a in args if registrar.method_suffix and a.keyword == registrar.method_suffix), None)
    if given is None or given.literal == "None" or given.text == "":
        return registrar.class_methods  # Falcon's default, `suffix=None`: the plain responders
    if given.text is None or not given.text.isidentifier():
        return frozenset()  # a suffix not written out: which responders, unknown
    return frozenset(f"{method}_{given.text}" for method in registrar.class_methods)


class HandlerFinder:
    def __init__(self, index: ProjectIndex, knowledge: Knowledge) -> None:
        self.index = index
        self.knowledge = knowledge
        self._registrar_names = set().union(*(r.call.last_segments() for r in knowledge.view_registrars))
        self._action_maps = {views.action_map for views in knowledge.view_classes if views.action_map}

    def view_kind(self, path: str, qualname: str) -> ViewClasses | None:
        """The kind of class-based view a class is (through project base classes), or None.
        A class with bases of several kinds (`class V(UserMixin, ModelViewSet)`, the mixin
        deriving from `GenericAPIView`) is a view of each: their handler methods and
        decorators together."""
        kinds = self._view_kinds(path, qualname, 0)
        if len(kinds) <= 1:
            return kinds[0] if kinds else None
        return ViewClasses(
            kinds[0].bases,
            frozenset().union(*(k.methods for k in kinds)),
            NamePatterns(p for k in kinds for p in [*k.method_decorators.exact, *k.method_decorators.globs]),
            any(k.implicit for k in kinds),
            all(k.sets_http_status for k in kinds),
            next((k.abstract_flag for k in kinds if k.abstract_flag), ""),
            listed_in=next((k.listed_in for k in kinds if k.listed_in), ""),
            public_methods=any(k.public_methods for k in kinds),
            not_routed=NamePatterns(p for k in kinds for p in [*k.not_routed.exact, *k.not_routed.globs]),
        )

    def _view_kinds(self, path: str, qualname: str, depth: int) -> list[ViewClasses]:
        facts = self.index.outline(path)
        if facts is None or qualname not in facts.classes or depth > 8:
            return []
        kinds: list[ViewClasses] = []
        for base in facts.classes[qualname].bases:
            resolved = self.index.resolve(path, base)
            if resolved.kind == "external":
                found = [v for v in self.knowledge.view_classes if v.bases.matches(resolved.dotted)][:1]
            elif resolved.kind == "project" and not resolved.rest:
                found = self._configured_kinds(resolved.path, resolved.dotted) or self._view_kinds(
                    resolved.path, resolved.dotted, depth + 1
                )
            else:
                found = []
            kinds.extend(kind for kind in found if kind not in kinds)
        return kinds

    def _configured_kinds(self, path: str, qualname: str) -> list[ViewClasses]:
        """The project's own handler base (`extra-handler-classes`) a project class is, by its name."""
        if not self.knowledge.project_view_classes:
            return []
        name = self.index.dotted_name(path, qualname)
        return [v for v in self.knowledge.project_view_classes if v.bases.matches_project_name(name)][:1]

    def _class_handlers(
        self, path: str, qualname: str, how: str, fallback: ViewClasses | None = None
    ) -> Iterable[Handler]:
        """The handler methods of a view class, inherited ones included (where they are defined).
        An inherited method is also a handler of this view when the view says its model
        (`queryset = Location.objects.all()`, `form = LocationForm`): read for this view, it
        saves a Location. `fallback`: the kind of a registered class whose bases say none."""
        views = self.view_kind(path, qualname) or fallback
        if views is None:
            return
        says_model = self._says_model(path, qualname, views.listed_in)
        listed = self._listed_methods(path, qualname, views.listed_in)
        allowed = self._allowed_methods(path, qualname)
        seen: set[str] = set()
        for class_path, class_name in self.index.lineage(path, qualname):
            outline = self.index.outline(class_path)
            for method in outline.classes[class_name].methods if outline is not None else ():
                if method in seen:
                    continue
                # Flask-Classful routes every public method but its hooks
                routed = views.public_methods and not method.startswith("_") and not views.not_routed.matches(method)
                if method not in views.methods and method not in listed and not routed and not views.method_decorators:
                    seen.add(method)  # no handler, whatever its facts say
                    continue
                if allowed is not None and method in _HTTP_VERBS and method not in allowed and method not in listed:
                    seen.add(method)  # `http_method_names = ["post"]`: a DELETE is answered 405
                    continue
                function = self.index.function(class_path, f"{class_name}.{method}")
                if function is None:
                    continue
                seen.add(method)
                decorated = any(
                    views.method_decorators.matches(self.index.resolve(class_path, d.target).dotted)
                    for d in function.decorators
                )
                if method in views.methods or decorated or method in listed or routed:
                    status = views.sets_http_status
                    action = _routed_action(views, method, decorated)
                    yield Handler(
                        class_path, function.qualname, function.span, how, sets_http_status=status, routed_action=action
                    )
                    if (class_path, class_name) == (path, qualname):
                        continue
                    template = self._runs_an_override((path, qualname), (class_path, class_name), function)
                    if says_model or template:
                        inherited = self._inherited(path, qualname, method, (class_path, function.qualname), how)
                        yield replace(inherited, sets_http_status=status, template=template, routed_action=action)
        if says_model:
            yield from self._library_actions(path, qualname, views, how)
        for function_path, function in self._listed_functions(path, qualname, views.listed_in):
            yield Handler(function_path, function.qualname, function.span, how, sets_http_status=views.sets_http_status)

    def _listed_methods(self, path: str, qualname: str, attribute: str) -> frozenset[str]:
        """The methods the view's nearest `actions = ["publish", ...]` names (`listed_in`)."""
        listed = self._nearest_list(path, qualname, attribute)
        return frozenset(listed[0]) if listed is not None else frozenset()

    def _listed_functions(self, path: str, qualname: str, attribute: str) -> Iterator[tuple[str, FunctionFact]]:
        """The project functions the view's nearest `actions = [publish, ...]` names by name
        (`def publish(modeladmin, request, queryset)` of the module, or imported)."""
        listed = self._nearest_list(path, qualname, attribute)
        for name in listed[1] if listed is not None else ():
            found = self.index.resolve_function(listed[2], ("@", name))
            if found is not None and found[1].class_name is None:
                yield found

    def _nearest_list(
        self, path: str, qualname: str, attribute: str
    ) -> tuple[tuple[str, ...], tuple[str, ...], str] | None:
        """The strings and the names the nearest class of the view's lineage that sets
        `attribute` lists, and that class's module (`actions = []` too: no action)."""
        if not attribute:
            return None
        for class_path, class_name in self.index.lineage(path, qualname):
            outline = self.index.outline(class_path)
            lists = dict(outline.classes[class_name].string_lists) if outline is not None else {}
            names = lists.get(f"{attribute}()", ())
            if attribute in lists or f"{attribute}*" in lists or names:
                return lists.get(attribute, lists.get(f"{attribute}*", ())), names, class_path
        return None

    def _allowed_methods(self, path: str, qualname: str) -> set[str] | None:
        """The HTTP methods the nearest `http_method_names = ["get", "options"]` of the view's
        lineage lists, lower-cased; None when no class of it sets one."""
        views = self.knowledge.view_models
        attribute = views.allowed_methods_attribute if views is not None else ""
        if not attribute:
            return None
        for class_path, class_name in self.index.lineage(path, qualname):
            outline = self.index.outline(class_path)
            lists = dict(outline.classes[class_name].string_lists) if outline is not None else {}
            if attribute in lists:
                return {method.lower() for method in lists[attribute]}
        return None

    def _library_actions(self, path: str, qualname: str, views: ViewClasses, how: str) -> Iterable[Handler]:
        """The actions a library's generic view runs by itself for this view (DRF's
        `ModelViewSet.destroy` deletes a row of the view's model), when no class of its project
        lineage writes the action or a hook it runs."""
        actions = self.knowledge.view_models.library_actions if self.knowledge.view_models is not None else ()
        if not actions:
            return
        written = self.index.lineage_methods(path, qualname)
        allowed = self._allowed_methods(path, qualname)
        bases = self.index.external_bases(path, qualname)
        done: set[str] = set()
        for action in actions:
            if action.action in done or action.hooks & written or action.action not in views.methods:
                continue
            if allowed is not None and action.http_methods and not action.http_methods & allowed:
                continue  # answered 405: `http_method_names = ["get", "options"]` leaves DELETE out
            if any(action.bases.matches(base) for base in bases):
                done.add(action.action)
                inherited = self._inherited(path, qualname, action.action, None, how)
                yield replace(inherited, sets_http_status=views.sets_http_status, library_write=action.writes)

    def _runs_an_override(self, view: tuple[str, str], defined: tuple[str, str], function: FunctionFact) -> bool:
        """Whether a method a view inherits calls on `self`, itself or through other methods of
        `self`, a method that a class of the view below the method's own class defines: zou's
        import views override `import_row`, which the base `post` runs through `run_import`.
        `defined`: (path, name) of the class that defines the method."""
        below: set[str] = set()
        for class_path, class_name in self.index.lineage(*view):
            if (class_path, class_name) == defined:
                break
            outline = self.index.outline(class_path)
            below |= set(outline.classes[class_name].methods) if outline is not None else set()
        pending, seen = [function], {function.name}
        while pending and below and len(seen) < 30:
            current = pending.pop()
            for call in current.calls:
                name = _self_method(current, call)
                if name is None or name in seen:
                    continue
                if name in below:
                    return True
                seen.add(name)
                found = self.index.method(*view, name)
                if found is not None:
                    pending.append(found[1])
        return False

    def _says_model(self, path: str, qualname: str, listed_in: str = "") -> bool:
        """Whether the view, or a class it derives from, sets `queryset` or `model`; or, for a
        kind whose actions are listed (a ModelAdmin's `actions`), a registrar gives it its model
        (`admin.site.register(Contest, ContestAdmin)`: the actions of a base run on Contests)."""
        views = self.knowledge.view_models
        if views is None:
            return False
        for class_path, class_name in self.index.lineage(path, qualname):
            outline = self.index.outline(class_path)
            attributes = dict(outline.classes[class_name].attributes) if outline is not None else {}
            if any(name in attributes for name in views.model_attributes):
                return True
        registrars = self.knowledge.model_registrars
        return bool(listed_in and registrars and self.index.registrations((path, qualname), registrars))

    def _inherited(self, path: str, qualname: str, method: str, defined: tuple[str, str] | None, how: str) -> Handler:
        facts = self.index.module(path)
        span = facts.classes[qualname].span if facts is not None else Span(1, 1, 1, 1)
        return Handler(path, f"{qualname}.{method}", span, how, view=(path, qualname), defined=defined)

    def in_module(self, facts: ModuleFacts) -> list[Handler]:
        found: dict[tuple[str, str], Handler] = {}
        decorators = self.knowledge.handler_decorators
        for function in facts.functions.values():
            for decorator in function.decorators:
                resolved = self.index.resolve(facts.path, decorator.target)
                if _matches(decorators, self.index, resolved) or (
                    resolved.kind == "unknown" and decorators.matches(self.index.spelled(facts.path, decorator.target))
                ):
                    status = not _matches(self.knowledge.statusless_decorators, self.index, resolved)
                    how = _route_text(decorator.args)
                    how = how if status else "resolver" + how.removeprefix("route")  # resolver 'archiveBooks'
                    handler = Handler(facts.path, function.qualname, function.span, how, sets_http_status=status)
                    found.setdefault((facts.path, function.qualname), handler)
                    break
            for call in function.calls:
                for handler in self._mapped_actions(facts.path, call):
                    found.setdefault((handler.path, handler.qualname), handler)
                if not self._may_register(facts.path, call.target):
                    continue
                dotted = self.index.resolve(facts.path, call.target).dotted
                for registrar in self.knowledge.view_registrars:
                    if not registrar.call.matches(dotted):
                        continue
                    arg = _argument(call.args, registrar.position, registrar.keyword)
                    if arg is None or arg.ref is None:
                        continue
                    for handler in self._registered(facts.path, arg, call.args, registrar):
                        found.setdefault((handler.path, handler.qualname), handler)
        for qualname in facts.classes:
            views = self.view_kind(facts.path, qualname)
            if views is not None and views.implicit and not self._abstract(facts.path, qualname, views):
                for handler in self._class_handlers(facts.path, qualname, f"view class {qualname}"):
                    found.setdefault((handler.path, handler.qualname), handler)
        return list(found.values())

    def _mapped_actions(self, path: str, call: CallFact) -> Iterable[Handler]:
        """`MemberViewSet.as_view({"post": "deactivate"})`: each action the dict literal names
        is a handler of the view class, whatever its name."""
        if call.target is None or not self._action_maps:
            return
        anchor, dotted = call.target
        owner, _, method = dotted.rpartition(".")
        actions = _argument(call.args, 0, "actions") if method in self._action_maps and owner else None
        if actions is None or not actions.pairs:
            return
        resolved = self.index.resolve(path, (anchor, owner))
        if resolved.kind != "project" or resolved.rest:
            return
        views = self.view_kind(resolved.path, resolved.dotted)
        if views is None or views.action_map != method:
            return
        for http_method, action in actions.pairs:
            found = self.index.method(resolved.path, resolved.dotted, action) if action else None
            if found is not None:
                how = f"view class {resolved.dotted} ({http_method.upper()} -> {action})"
                routed = _routed_action(views, action, True)
                yield Handler(found[0], found[1].qualname, found[1].span, how, routed_action=routed)

    def _abstract(self, path: str, qualname: str, views: ViewClasses) -> bool:
        """Whether the class says it is abstract (`class Meta: abstract = True`), by itself:
        the flag is not inherited."""
        if not views.abstract_flag:
            return False
        nested, attribute = views.abstract_flag.split(".")
        return self.index.nested_attribute(path, qualname, nested, attribute) == ("", "True")

    def _may_register(self, path: str, target) -> bool:
        """Whether a call can be a registrar's: a library name (an absolute reference outside
        the project resolves to itself) must end like one (`path`, `register`); a name of this
        module, a relative import or a project module may be an alias of one, so it is resolved."""
        if target is None:
            return False
        anchor, dotted = target
        if anchor != "" or dotted.rsplit(".", 1)[-1].removesuffix("()") in self._registrar_names:
            return True
        return self.index.find_module(path, "", dotted.split(".")[0]) is not None  # a project module may alias one

    def _registered(
        self, path: str, arg: ArgFact, args: tuple[ArgFact, ...], registrar: ViewRegistrar
    ) -> Iterable[Handler]:
        resolved = self.index.resolve(path, arg.ref)
        if arg.wrapped is not None and (resolved.kind != "project" or resolved.rest.endswith("()")):
            # `login_required(views.f)`, `self.admin_site.admin_view(self.f)`: a wrapper around
            # the project's view; `items = ItemCollection()` bound once: that instance
            resolved = self.index.resolve(path, arg.wrapped)
        if resolved.kind != "project" or (resolved.rest == "()" and not registrar.instances):
            # an instance given to Django's `path()` is called: its `__call__`, not its `get()`
            return
        class_methods = _class_methods(registrar, args)
        facts = self.index.module(resolved.path)
        if facts is None:
            return
        how = f"add_url_rule {_route_text(args)}"
        method = f"{resolved.dotted}.{resolved.rest}"
        if resolved.dotted in facts.classes and resolved.rest.isidentifier() and method in facts.functions:
            # `path("rate/", self.rate_view)` in a ModelAdmin's `get_urls()`: that method
            function = facts.functions[method]
            yield Handler(resolved.path, function.qualname, function.span, how)
        elif resolved.dotted in facts.classes:
            # a class of no view kind the packs know still answers with the methods its
            # `as_view()` dispatches to, when the registrar names them
            fallback = ViewClasses(NamePatterns(), class_methods) if class_methods else None
            yield from self._class_handlers(resolved.path, resolved.dotted, f"view class {resolved.dotted}", fallback)
        elif resolved.dotted in facts.functions and not resolved.rest:
            function = facts.functions[resolved.dotted]
            yield Handler(resolved.path, function.qualname, function.span, how)


def find_handlers(
    index: ProjectIndex,
    knowledge: Knowledge,
    modules: Iterable[ModuleFacts],
    named: Iterable[tuple[str, str, str]] = (),
) -> list[Handler]:
    """The handlers `modules` define or register, and the functions `named` (path, qualname,
    how) elsewhere says answer requests (an API spec's operations)."""
    finder = HandlerFinder(index, knowledge)
    handlers: dict[tuple[str, str], Handler] = {}
    for facts in modules:
        for handler in finder.in_module(facts):
            handlers.setdefault((handler.path, handler.qualname), handler)
    for path, qualname, how in named:
        facts = index.module(path)
        function = facts.functions.get(qualname) if facts is not None else None
        if function is not None:
            handlers.setdefault((path, qualname), Handler(path, qualname, function.span, how))
    return sorted(handlers.values(), key=lambda h: (h.path, h.span.line))
