"""The project index: every module's facts, parsed lazily and at most once, and
names resolved across modules (imports, re-exports, aliases, instances).

`resolve()` turns a reference recorded in one module into what it means:
- `external` `flask.Blueprint().route`: a library name, `()` marking an instance;
- `project` `(path, qualname)`: a function or class of the audited code;
- `module` `path`: a module of the audited code;
- `unknown`: a local variable, a dynamic value, something not found.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from worker_audit.facts import (
    FIXED_LOOP_LIMIT,
    FREE,
    MODULE_SCOPE,
    RETURNS_OWN_CLASS,
    SERVICE_ANCHOR,
    STRING_ANCHOR,
    SUPER,
    ArgFact,
    Binding,
    CallFact,
    DecoratorFact,
    FunctionFact,
    ModuleFacts,
    Ref,
    outer_loop,
    returned_functions,
    service_lookup,
)
from worker_audit.knowledge import NamePatterns, ViewModels
from worker_audit.outline import ModuleOutline


@dataclass(frozen=True)
class Resolved:
    kind: str  # external | project | module | variable | unknown
    dotted: str = ""  # external: the qualified name; project: the definition's qualname
    path: str = ""  # project / module / variable: the file
    rest: str = ""  # project: what follows the definition (".method", "().method", "as_view()")
    binding: Binding | None = None  # variable: the module-level binding


UNKNOWN = Resolved("unknown")
# what a `load_function` answers when the function must be read with its whole module
WHOLE_MODULE = object()
# a module from which this many functions were read alone is read whole for the next one
PARTS_BEFORE_WHOLE = 6


# a method read as an attribute: `repos.recipes` is what `recipes` returns (functools', Django's, ...)
PROPERTY_DECORATORS = frozenset({"property", "cached_property"})


# the words of a module that may make module objects and set names on them (extract._MODULE_MAKERS)
_MODULE_MAKER_WORDS = (b"module_from_spec", b"ModuleType")


class ProjectIndex:
    """Facts by file path, loaded on first use through `load` (parse + extract).

    Following a name through a module needs only its outline (`outline.py`,
    from `ast`): `load_outline` gives it, and the full facts are loaded only
    when something needs more (a function's calls, a variable's value)."""

    def __init__(
        self,
        root: Path,
        load: Callable[[Path], ModuleFacts | None],
        load_outline: Callable[[Path], ModuleOutline | None] | None = None,
        returned_methods: frozenset[str] = frozenset(),
        load_function: Callable[[Path, str], FunctionFact | None | object] | None = None,
        library_packages: frozenset[str] = frozenset(),
        enumerations: NamePatterns | None = None,
        view_models: ViewModels | None = None,
        project_root: Path | None = None,
        model_loaders: NamePatterns | None = None,
        queue_keywords: frozenset[str] = frozenset(),
        service_registrars: dict[str, str] | None = None,
    ) -> None:
        self.root = _import_root(root.absolute())
        # calls that give a model by its app label and name (`apps.get_model("shop", "Line")`)
        self.model_loaders = model_loaders or NamePatterns()
        # the keywords that send a task to a queue (`queue=`, `queue_name=`): an override that sets
        # one is no mere hand-on to the library's method
        self.queue_keywords = queue_keywords
        # pyramid_services' registrars, by method name: "factory" (`register_service_factory`)
        # or "instance" (`register_service`)
        self.service_registrars = service_registrars or {}
        self._services: dict[tuple[str, ...], set[tuple[str, str]]] | None = None
        # the project's Python files (set by the engine), listed when a name is looked for by
        # its file rather than by an import: a model by its app label, a command by its name
        self.project_files: Callable[[], Iterable[Path]] | None = None
        self.test_code: Callable[[Path], bool] = lambda file: False  # a module of the project's tests
        self._files_by_name: dict[str, list[str]] | None = None
        self._models_modules: list[str] | None = None
        self._injected: dict[str, tuple[str, Ref]] | None = None
        # the project's folder (`settings.project_root`), a package or not: a stray `__init__.py`
        # there makes no package of the modules below it for the names Celery gives tasks
        self.project_root = project_root.absolute() if project_root is not None else root.absolute()
        # `run = form.save()`: an instance of the form's `Meta.model` (Django's ModelForm, DRF's ModelSerializer)
        self.view_models = view_models
        # the library classes of enumerations (`enum.Enum`, Django's `TextChoices`)
        self.enumerations = enumerations or NamePatterns()
        # top-level names that are libraries: never found in the packages above an importer
        self.library_packages = library_packages
        self._root_text = str(self.root)
        # what a project function returns is read (a full parse of its module) only for
        # these methods called on the result (`get_queue().enqueue`), or for a method the
        # class itself defines (`DataSource.get_by_id(i).delete`): nothing else can matter
        self.returned_methods = returned_methods
        self._load = load
        self._load_outline = load_outline
        # one function's facts without its module's (`WHOLE_MODULE`: read the module instead)
        self._load_function = load_function
        self._functions: dict[tuple[str, str], FunctionFact | None | object] = {}
        self._parts: dict[str, int] = {}  # functions of a module read alone so far
        self._outlines: dict[str, ModuleOutline | None] = {}
        self._facts: dict[str, ModuleFacts | None] = {}
        self._module_cache: dict[tuple[str, str, str], tuple[str, str] | None] = {}
        self._files: dict[tuple[str, tuple[str, ...]], str | None] = {}  # (folder, dotted parts) -> the module file
        self._packages: dict[str, bool] = {}  # folder -> whether it holds an `__init__.py`
        self._lineages: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self._binding_homes: dict[tuple[str, str], bool] = {}  # (module, name): bound there or by its stars
        self._resolved: dict[tuple[str, str, str], Resolved] = {}
        self._star_modules: dict[str, list[str]] = {}
        self._loading = 0  # while a module loads, answers may be partial: do not remember them

    # -- modules -------------------------------------------------------------

    def module(self, path: str) -> ModuleFacts | None:
        if path not in self._facts:
            self._facts[path] = None  # guards against re-entry while loading
            self._loading += 1
            try:
                self._facts[path] = self._load(Path(path))
            finally:
                self._loading -= 1
            facts = self._facts[path]
            if facts is not None and any(_to_settle(f) for f in facts.functions.values()):
                settled = {q: self.settle_constant_loops(path, f) for q, f in facts.functions.items()}
                self._facts[path] = replace(facts, functions=settled)
        return self._facts[path]

    def settle_constant_loops(self, path: str, function: FunctionFact) -> FunctionFact:
        """A loop over an imported name in capitals (`for size in THUMBNAIL_SIZES`) that names a
        constant written out with 1 to 10 elements is a few fixed repetitions, as a literal is:
        what it repeats belongs to the loop around it. A `bulk_create(...)` of rows built over
        such a constant writes a few rows."""
        around = {loop: outer for loop, outer, ref in function.constant_loops if self._short_constant(path, ref)}
        few = {index for index, call in enumerate(function.calls) if self._short_constant(path, call.bounded_by)}
        if few:
            function = replace(
                function,
                calls=tuple(
                    replace(c, shape="row", shape_detail=c.shape_detail.replace("many rows", "a few rows"))
                    if index in few
                    else c
                    for index, c in enumerate(function.calls)
                ),
            )
        if not around:
            return function

        return replace(
            function,
            calls=tuple(replace(c, loop=outer_loop(c.loop, around)) if c.loop in around else c for c in function.calls),
            marks=tuple(replace(m, loop=outer_loop(m.loop, around)) if m.loop in around else m for m in function.marks),
        )

    def _short_constant(self, path: str, ref: Ref | None) -> bool:
        """Whether a name is a constant written out with 1 to 10 elements, or an enumeration
        class that lists 1 to 10 members."""
        if ref is None:
            return False
        resolved = self.resolve(path, ref)
        if resolved.kind != "variable":
            return self.few_members(resolved)
        items = resolved.binding.items if resolved.binding is not None else None
        return items is not None and 1 <= items <= FIXED_LOOP_LIMIT

    def registrations(self, view: tuple[str, str], registrars: NamePatterns) -> list[tuple[str, Ref]]:
        """(module, reference) of each model a registrar gives the class, as Django gives a
        ModelAdmin its `model` (`model_registrars`): `@admin.register(Item)` on the class, or
        `admin.site.register(Item, ItemAdmin)` in the class's module or its package's
        `__init__.py`."""
        path, name = view
        facts = self.module(path)
        found = facts.classes.get(name) if facts is not None else None
        given_by = [(path, ref) for ref in found.registered_models] if found is not None else []
        for module_path in dict.fromkeys([path, str(Path(path).with_name("__init__.py"))]) if registrars else ():
            module = self.module(module_path) if Path(module_path).is_file() else None
            top = module.functions.get(MODULE_SCOPE) if module is not None else None
            for call in top.calls if top is not None else ():
                given = [arg.ref for arg in call.args if arg.keyword is None]
                if call.target is None or call.starred or len(given) != 2 or given[0] is None or given[1] is None:
                    continue
                called = self.resolve(module_path, call.target)
                if called.kind != "external" or not registrars.matches(called.dotted):
                    continue
                admin = self.resolve(module_path, given[1])
                if admin.kind == "project" and not admin.rest and (admin.path, admin.dotted) == view:
                    given_by.append((module_path, given[0]))
        return given_by

    def named_model(self, path: str, owner: str, named: Ref) -> tuple[str, str] | None:
        """(path, class) of the model a foreign key of `owner` names: a reference, `"self"`,
        `"Model"` of the same module or else of its app's `models` module (the package the
        module is in, or the `models.py` beside it), or Django's lazy `"app.Model"`, the class
        of that app's `models` module (the nearest folder named `app` above the model's module,
        or beside a folder above it: a sibling app)."""
        anchor, dotted = named
        label, _, model = dotted.rpartition(".")
        if anchor != STRING_ANCHOR:
            found = self.resolve(path, named)
        elif dotted == "self":
            return path, owner
        elif not label:
            found = self.resolve(path, ("@", model))
            if found.kind != "project":
                # `"User"` in `models/status.py`: a model of the same app, which its `models`
                # package (or the `models.py` beside) gives by that name
                folder = Path(path).parent
                module = folder / "__init__.py" if folder.name == "models" else folder / "models.py"
                if module.is_file() and str(module) != path:
                    found = self.resolve(str(module), ("@", model))
        else:
            # the app's folder: the nearest folder of that name above the model's module, or
            # beside one of them (`"boards.Board"` in `cards/models.py`, a sibling app)
            modules = (
                candidate
                for folder in Path(path).parents
                for candidate in (folder / label / "models.py", folder / label / "models" / "__init__.py")
            )
            module = next((str(m) for m in modules if m.is_file()), None)
            found = self.resolve(module, ("@", model)) if module is not None else UNKNOWN
        return (found.path, found.dotted) if found.kind == "project" and not found.rest else None

    def models_beside(self, path: str) -> list[str]:
        """A model's module and the other models modules of its folder (`models.py`,
        `models_*.py`, or every module of a `models/` package): where Django apps keep the models
        that point to it."""
        folder = os.path.dirname(path)
        names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
        beside = [os.path.join(folder, n) for n in names if _a_models_module(os.path.basename(folder), n)]
        return list(dict.fromkeys([path, *beside]))

    def few_members(self, resolved: Resolved) -> bool:
        """Whether a name resolves to a project enumeration class that lists 1 to 10 members."""
        items = self._enumeration_members(resolved) if resolved.kind == "project" else None
        return items is not None and 1 <= items <= FIXED_LOOP_LIMIT

    def _enumeration_members(self, resolved: Resolved) -> int | None:
        """How many members a project class lists when it derives from an enumeration of a
        library (`enum.Enum`); also a class nested in another (`Preference.Keys`)."""
        outline = self.outline(resolved.path)
        nested = resolved.rest.lstrip(".")  # (what follows a class found by its module's path has no dot)
        qualname = f"{resolved.dotted}.{nested}" if nested else resolved.dotted
        if outline is None or qualname not in outline.classes:
            return None
        if not any(self.enumerations.matches(base) for base in self.external_bases(resolved.path, qualname)):
            return None
        return outline.classes[qualname].literals

    def outline(self, path: str) -> ModuleFacts | ModuleOutline | None:
        """What name resolution needs of a module: its full facts when loaded, else its outline."""
        if self._load_outline is None:
            return self.module(path)
        if self._facts.get(path) is not None:
            return self._facts[path]
        if path not in self._outlines:
            self._outlines[path] = self._load_outline(Path(path))
        return self._outlines[path] or self.module(path)

    def may_be_decorated(self, path: str, qualname: str) -> bool:
        """Whether a function of a module may have a decorator, read from its outline when the
        module is not parsed (a method: may). A call of an undecorated one is no task's."""
        facts = self._facts.get(path)
        if facts is not None:
            function = facts.functions.get(qualname)
            return function is None or bool(function.decorators)
        outline = self.outline(path) if "." not in qualname else None
        return not isinstance(outline, ModuleOutline) or qualname in outline.decorated

    def loaded(self) -> list[ModuleFacts | ModuleOutline]:
        """Every module read so far: full facts, or the outline of one read only to follow names."""
        outlines = [o for path, o in self._outlines.items() if o is not None and self._facts.get(path) is None]
        return [facts for facts in self._facts.values() if facts is not None] + outlines

    def function(self, path: str, qualname: str) -> FunctionFact | None:
        """A function's facts: from its module's, or, when the module is not parsed (or its
        whole read failed: nested too deep elsewhere), from a parse of that function alone
        (`load_function`)."""
        if self._facts.get(path) is None and self._load_function is not None:
            key = (path, qualname)
            if key not in self._functions and self._parts.get(path, 0) < PARTS_BEFORE_WHOLE:
                self._parts[path] = self._parts.get(path, 0) + 1
                found = self._load_function(Path(path), qualname)
                self._functions[key] = (
                    self.settle_constant_loops(path, found) if isinstance(found, FunctionFact) else found
                )
            found = self._functions.get(key, WHOLE_MODULE)
            if found is not WHOLE_MODULE:
                return found
        facts = self.module(path)
        return facts.functions.get(qualname) if facts is not None else None

    def dotted_name(self, path: str, qualname: str = "") -> str:
        """`server.services.x.send` for reading and for matching configured names."""
        file = Path(path)
        try:
            parts = list(file.relative_to(self.root).with_suffix("").parts)
        except ValueError:  # outside the project (`--config` elsewhere): named by its packages
            parts = [file.stem]
            folder = str(file.parent)
            while self._is_package(folder) and os.path.dirname(folder) != folder and len(parts) < 12:
                parts.insert(0, os.path.basename(folder))
                folder = os.path.dirname(folder)
        if parts and parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts + ([qualname] if qualname else []))

    def _search_roots(self, folder: str, library: bool = False) -> list[str]:
        """The folders an absolute import may start from, up to the project root (at most 12).
        Python 3 starts an absolute import from `sys.path`, never from the importing package's
        own folder: `from celery import Celery` in `proj/celery.py` is the library, not the
        module itself, so the importer's folder is a root only when it is not a package (a
        script's folder: `import models` beside `app.py`). Folders above it come first when
        they are not packages, then the project root, then the packages above it (a tree run
        from a folder that holds a stray `__init__.py`: `backend/__init__.py`, with
        `from app.services import x` in `backend/app/routes.py`). `library`: the name is one
        the packs know as a library (`celery`), so not those packages: `from celery import
        Celery` in `proj/celery/__init__.py` is the library, not the package itself."""
        roots, packages = [], []
        own = True
        for _ in range(11):  # the twelfth folder is the last
            parent = os.path.dirname(folder)
            if folder == self._root_text or parent == folder:
                break
            if not self._is_package(folder):
                roots.append(folder)
            elif not own:
                packages.append(folder)
            own = False
            folder = parent
        return [*roots, folder] if library else [*roots, folder, *packages]

    def _is_package(self, folder: str) -> bool:
        known = self._packages.get(folder)
        if known is None:
            known = self._packages[folder] = os.path.isfile(os.path.join(folder, "__init__.py"))
        return known

    def _module_file(self, base: str, parts: list[str]) -> str | None:
        key = (base, tuple(parts))
        if key not in self._files:
            candidate = os.path.join(base, *parts)
            as_file, package = candidate + ".py", os.path.join(candidate, "__init__.py")
            self._files[key] = as_file if os.path.isfile(as_file) else package if os.path.isfile(package) else None
        return self._files[key]

    def find_module(self, importer: str, anchor: str, dotted: str) -> tuple[str, str] | None:
        """The project file a dotted name starts in, and the attributes after it."""
        folder = os.path.dirname(importer)
        key = (folder, anchor, dotted)
        if key in self._module_cache:
            return self._module_cache[key]
        parts = dotted.split(".") if dotted else []
        plain = []
        for part in parts:  # a module path stops at the first call: `a.B().c`
            if part.endswith("()"):
                break
            plain.append(part)
        if anchor:
            base = folder
            for _ in range(len(anchor) - 1):
                base = os.path.dirname(base)
            bases = [base]
        else:
            bases = self._search_roots(folder, library=bool(plain) and plain[0] in self.library_packages)
        found = None
        matched = 0
        for base in bases:
            for length in range(len(plain), matched, -1):
                module_file = self._module_file(base, plain[:length])
                if module_file is not None:
                    found, matched = (module_file, ".".join(parts[length:])), length
                    break
            # a root whose modules name every part wins; else the first that names the most: a
            # checkout `mayan/` holding a stray `__init__.py` beside the package `mayan/mayan/`
            # makes `mayan.apps.tags` the package `mayan/mayan/apps/tags`, not `mayan/` and its
            # attributes `apps.tags`
            if found and matched == len(plain):
                break
            if anchor:  # `from . import router`: a name the package's `__init__.py` binds
                init = os.path.join(base, "__init__.py")
                found = (init, ".".join(parts)) if os.path.isfile(init) and not found else found
        self._module_cache[key] = found
        return found

    # -- names ---------------------------------------------------------------

    def resolve(self, path: str, ref: Ref | None, depth: int = 0) -> Resolved:
        if ref is None or depth > 16:
            return UNKNOWN
        key = (path, ref[0], ref[1])
        known = self._resolved.get(key)
        if known is not None:
            return known
        resolved = self._resolve(path, ref, depth)
        if self._loading == 0 and depth == 0:
            self._resolved[key] = resolved
        return resolved

    def _resolve(self, path: str, ref: Ref, depth: int) -> Resolved:
        anchor, dotted = ref
        if anchor == "$":  # a parameter: its class is the caller's to say (reach.py)
            return UNKNOWN
        if anchor == "@":
            return self._resolve_in_module(path, dotted, depth)
        if anchor == "^":  # a function nested in another, by its qualname (`export.push`)
            return Resolved("project", dotted, path, "")
        if anchor == SERVICE_ANCHOR:  # `request.find_service(IUserService)`: what was registered for it
            iface, name, rest = service_lookup(dotted)
            served = self._served_class(path, iface, name, depth)
            return self.resolve(served[0], ("@", served[1] + rest), depth + 1) if served is not None else UNKNOWN
        if anchor == FREE:  # `manager.route`, `manager` set on the module by the one that runs it
            name, _, rest = dotted.partition(".")
            injected = self.injected_names().get(name)
            if injected is None:
                return UNKNOWN
            home, (anchor, value) = injected
            return self.resolve(home, (anchor, value + (f".{rest}" if rest else "")), depth + 1)
        found = self.find_module(path, anchor, dotted)
        if found is None:
            return Resolved("external", dotted) if not anchor else UNKNOWN
        module_path, rest = found
        if not rest:
            return self._rebound_in_package(module_path, depth) or Resolved("module", path=module_path)
        return self._resolve_in_module(module_path, rest, depth + 1)

    def _rebound_in_package(self, module_path: str, depth: int) -> Resolved | None:
        """`views.follow` where `views/__init__.py` says `from .follow import follow`: the package's
        name `follow` is the function, which replaced the submodule of that name when the
        package ran (bookwyrm routes `views.follow`). None when the package binds no other
        thing under the submodule's name."""
        folder, file = os.path.split(module_path)
        if file == "__init__.py":
            folder, name = os.path.split(folder)
        else:
            name = file.removesuffix(".py")
        package = os.path.join(folder, "__init__.py")
        facts = self.outline(package) if package != module_path and os.path.isfile(package) else None
        binding = facts.bindings.get(name) if facts is not None else None
        if binding is None or binding.kind != "import" or binding.ref is None:
            return None
        bound = self.find_module(package, *binding.ref)
        if bound is not None and not bound[1]:
            return None  # `from . import follow`: the submodule itself
        return self.resolve(package, ("@", name), depth + 1)

    def _resolve_in_module(self, path: str, dotted: str, depth: int) -> Resolved:
        first, _, rest = dotted.partition(".")
        name = first.split("(", 1)[0]
        calls = first[len(name) :]  # `()`, or `()()`: the call of what a call returns
        facts = self.outline(path)
        if facts is None:
            return UNKNOWN
        binding = facts.bindings.get(name)
        if binding is None:
            # a submodule reached through its package: `import pkg` then `pkg.sub.f`
            found = self.find_module(path, ".", dotted) if Path(path).name == "__init__.py" else None
            if found is not None and found[0] != path:
                return (
                    self.resolve(found[0], ("@", found[1]), depth + 1)
                    if found[1]
                    else Resolved("module", path=found[0])
                )
            return self._through_star_imports(facts, dotted, depth)
        suffix = calls + (f".{rest}" if rest else "")
        if binding.kind == "instance" and binding.strings and not calls:
            model = self._loaded_model(path, binding, depth)  # `Line = get_model("basket", "Line")`
            if model is not None:
                return self.resolve(model[0], ("@", model[1] + suffix), depth + 1)
        if binding.kind == "class" and suffix.startswith(f".{SUPER}."):
            return self._super_method(path, name, suffix[len(SUPER) + 2 :])
        if binding.kind == "class" and suffix.startswith("()."):
            # `RunForm(...).save().add_item`: the instance of its Meta.model the form's save() returns
            method, _, after = suffix[3:].partition("().")
            made = self._meta_instance(path, name, method) if after and depth <= 12 else None
            if made is not None:
                return self.resolve(made[0], (made[1][0], f"{made[1][1]}().{after}"), depth + 1)
            # an instance of a project subclass of a library class: a method the project
            # does not define is the library's (redash's RedashQueue(rq.Queue).enqueue)
            method = suffix[3:].split(".")[0].removesuffix("()")
            if not any(
                method in self.outline(p).classes[cls].methods and not self._hands_on_to_super(p, cls, method)
                for p, cls in self.lineage(path, name)
            ):
                held = self._held(path, name, suffix)
                if held is not None:  # `Worker().queue`: what its `__init__` keeps, not the library base's
                    return self.resolve(held[0], held[1], depth + 1)
                for base in self.external_bases(path, name):
                    return Resolved("external", base + suffix)
        if binding.kind == "class":
            held = self._held(path, name, suffix)
            if held is not None:
                return self.resolve(held[0], held[1], depth + 1)
        if binding.kind in ("function", "class"):
            returned = self._through_return(path, name, binding, suffix, depth)
            if returned is not None:
                return returned
            return Resolved("project", name, path, suffix.lstrip("."))
        if binding.kind in ("import", "alias") and binding.ref is not None:
            anchor, target = binding.ref
            return self.resolve(path, (anchor, target + suffix), depth + 1)
        if not suffix:
            if isinstance(facts, ModuleOutline):  # a value: its details are in the full facts
                full = self.module(path)
                binding = full.bindings.get(name) if full is not None else None
                if binding is None:
                    return UNKNOWN
            return Resolved("variable", name, path, binding=binding)
        if binding.kind == "instance" and binding.ref is not None:
            anchor, target = binding.ref
            return self.resolve(path, (anchor, target + suffix), depth + 1)
        return UNKNOWN

    def injected_names(self) -> dict[str, tuple[str, Ref]]:
        """What the project's functions set on the module objects they make and run
        (`page.manager = Blueprint(...)`, `page = module_from_spec(spec)`), by name: the module
        that sets it and the value there. A name two modules set differently is left out."""
        if self._injected is None:
            self._injected = {}  # (what a value below resolves through sees none)
            found: dict[str, tuple[str, Ref] | None] = {}
            meant: dict[str, Resolved] = {}
            # (not the tests: the stubs a test sets on the module it loads, `page.manager = Mock()`)
            for file in self._files_naming(_MODULE_MAKER_WORDS):
                facts = self.module(str(file))
                for name, value in facts.injected.items() if facts is not None else ():
                    what = self.resolve(str(file), value)  # two loaders may set the same thing
                    if name not in found:
                        found[name], meant[name] = (str(file), value), what
                    elif what != meant[name] or what.kind == "unknown":
                        found[name] = None
            self._injected = {name: home for name, home in found.items() if home is not None}
        return self._injected

    def _service_key(self, path: str, iface: Ref | None, name: str | None, depth: int) -> tuple[str, ...] | None:
        """The registry's key of a lookup or a registration written in `path`, as pyramid_services
        looks them up: ("n", name), or ("i", module, class) of the interface it resolves to (a
        project class; a library's: no module), with the name after it when both are given."""
        if iface is None:
            return ("n", name) if name is not None else None
        named = (name,) if name is not None else ()
        anchor, dotted = iface
        if not anchor and "." in dotted and self.find_module(path, "", dotted) is None:
            return ("i", "", dotted, *named)  # a library's interface
        resolved = self.resolve(path, iface, depth + 1)
        if resolved.kind == "project" and not resolved.rest:
            return ("i", resolved.path, resolved.dotted, *named)
        return ("i", "", resolved.dotted, *named) if resolved.kind == "external" else None

    def _served_class(self, path: str, iface: Ref | None, name: str | None, depth: int) -> tuple[str, str] | None:
        """(path, class) of what the project registers for a lookup's key, when it registers one
        class for it: the class a factory is (`register_service_factory(UserService, IUser)`),
        the class of what a factory function returns (`-> UserService`, `return
        UserService(...)`, a classmethod's `cls(...)`), or of an instance registered."""
        wanted = self._service_key(path, iface, name, depth)
        found = self.services().get(wanted) if wanted is not None else None
        return next(iter(found)) if found is not None and len(found) == 1 else None

    def services(self) -> dict[tuple[str, ...], set[tuple[str, str]]]:
        """What the project's modules register in a service registry (pyramid_services'
        `config.register_service_factory(factory, iface, name=...)`, `register_service(obj,
        ...)`): registry key -> the classes registered for it. The modules that name a registrar
        are read; the factory or instance may be a name, an attribute or a dotted path written
        as a string (`"h.services.user.factory"`)."""
        if self._services is not None:
            return self._services
        self._services = {}
        for file in self._files_naming(tuple(name.encode() for name in self.service_registrars)):
            facts = self.module(str(file))
            for function in facts.functions.values() if facts is not None else ():
                for call in function.calls:
                    self._register_service(str(file), call)
        return self._services

    def _files_naming(self, words: tuple[bytes, ...]) -> Iterator[Path]:
        """The project's modules, tests left out, whose bytes contain one of `words`."""
        for file in self.project_files() if self.project_files is not None and words else ():
            if self.test_code(file):
                continue
            try:
                data = file.read_bytes()
            except OSError:
                continue
            if any(word in data for word in words):
                yield file

    def _register_service(self, path: str, call: CallFact) -> None:
        # `config.register_service_factory(...)` in `includeme(config)`: a method of a parameter
        called = call.target[1] if call.target is not None else call.parameter_method or ""
        kind = self.service_registrars.get(called.rpartition(".")[2])
        if kind is None or call.starred:
            return
        positional = [arg for arg in call.args if arg.keyword is None]
        given = next((a for a in call.args if a.keyword == "iface"), positional[1] if len(positional) > 1 else None)
        name = next((a.text for a in call.args if a.keyword == "name"), None)
        made = positional[0] if positional else None
        if made is None:
            return
        ref = made.ref if made.ref is not None else ("", made.text) if made.text else None
        served = self._class_served(path, ref, kind) if ref is not None else None
        if served is None:
            return
        iface = None if given is None else given.ref or (("", given.text) if given.text else None)
        if given is not None and iface is None:
            return  # an interface not written out: what it is, unknown
        # found by the interface and name given (`find_service(IStorage)` finds no named one), and
        # a named one by its name alone too: a lookup for the base interface finds it, as the
        # registry finds what extends the interface asked for
        for key in {self._service_key(path, iface, name, 0), self._service_key(path, None, name, 0)}:
            if key is not None:
                self._services.setdefault(key, set()).add(served)  # type: ignore[union-attr]

    def _class_served(self, path: str, ref: Ref, kind: str) -> tuple[str, str] | None:
        """(path, class) of what a registration serves: the class of an instance registered; a
        factory class, or the class of what a factory function returns."""
        resolved = self.resolve(path, ref)
        if resolved.kind != "project":
            return None
        if kind == "instance":
            return (resolved.path, resolved.dotted.removesuffix("()")) if resolved.rest in ("", "()") else None
        outline = self.outline(resolved.path)
        if outline is None or resolved.rest and not resolved.rest.isidentifier():
            return None
        if resolved.dotted in outline.classes and not resolved.rest:
            return resolved.path, resolved.dotted
        qualname = f"{resolved.dotted}.{resolved.rest}" if resolved.rest else resolved.dotted
        function = self.function(resolved.path, qualname)
        returned = function.returns if function is not None else None
        if returned is None:
            return None
        if returned == RETURNS_OWN_CLASS:  # `SearchService.create_service`: `return cls(...)`
            owner = qualname.rpartition(".")[0]
            return (resolved.path, owner) if owner in outline.classes else None
        made = self.resolve(resolved.path, returned)
        if made.kind == "project" and made.rest == "()" and made.dotted in (self.outline(made.path) or outline).classes:
            return made.path, made.dotted
        return None

    def models_modules(self) -> list[str]:
        """The project's models modules by the convention `models_beside` reads (`models.py`,
        `models_*.py`, every module of a `models/` package), in path order."""
        if self._models_modules is None:
            self._models_modules = sorted(
                str(file)
                for file in (self.project_files() if self.project_files is not None else ())
                if _a_models_module(file.parent.name, file.name)
            )
        return self._models_modules

    def files_named(self, name: str) -> list[str]:
        """The project's Python files of that file name (`models.py`, `reindex.py`)."""
        if self._files_by_name is None:
            self._files_by_name = {}
            for file in self.project_files() if self.project_files is not None else ():
                self._files_by_name.setdefault(file.name, []).append(str(file))
        return self._files_by_name.get(name, [])

    def _loaded_model(self, path: str, binding: Binding, depth: int) -> tuple[str, str] | None:
        """(path, class) of the project model a model loader gives (`get_model("basket",
        "Line")`, `apps.get_model("basket.Line")`): the class of that name in the `models`
        module of a package whose folder is the app label, as Django's default label is."""
        if binding.ref is None or not self.model_loaders or not binding.ref[1].endswith("()") or depth > 8:
            return None
        if binding.ref[1].removesuffix("()").rpartition(".")[2] not in self.model_loaders.last_segments():
            return None  # `URL = URL.rstrip("/")`, `_ = gettext("...")`: no model loader
        # (`_ = _("text")` names itself: the depth stops it)
        loader = self.resolve(path, (binding.ref[0], binding.ref[1].removesuffix("()")), depth + 1)
        if loader.kind != "external" or not self.model_loaders.matches(loader.dotted):
            return None
        label, _, name = ".".join(binding.strings or ()).rpartition(".")
        if not label or "." in label or not name.isidentifier():
            return None
        modules = [f for f in self.files_named("models.py") if Path(f).parent.name == label]
        modules += [f for f in self.files_named("__init__.py") if Path(f).parent.match(f"{label}/models")]
        for module in modules:
            found = self.resolve(module, ("@", name), depth + 1)
            outline = self.outline(found.path) if found.kind == "project" and not found.rest else None
            if outline is not None and found.dotted in outline.classes:
                return found.path, found.dotted
        return None

    def _super_method(self, path: str, name: str, method: str) -> Resolved:
        """`super().post` in a method of the class `name`: the `post` its project bases define,
        nearest first, as a method of an instance of the class that defines it; unknown when
        only a library base does (`super().save()` of a Django model)."""
        if "." in method or "(" in method:
            return UNKNOWN
        for class_path, class_name in list(self.lineage(path, name))[1:]:
            outline = self.outline(class_path)
            if outline is not None and method in outline.classes[class_name].methods:
                return Resolved("project", class_name, class_path, f"().{method}")
        return UNKNOWN

    def _held(self, path: str, name: str, suffix: str) -> tuple[str, Ref] | None:
        """`self.bg.add_task` in a method of `Bus`, whose `__init__` keeps `self.bg = bg` with
        `bg: BackgroundTasks`: `fastapi.BackgroundTasks().add_task`, resolved in the class's module."""
        body = suffix[3:] if suffix.startswith("().") else suffix[1:] if suffix.startswith(".") else ""
        attribute, _, after = body.partition(".")
        if not attribute or attribute.endswith("()") or "[" in attribute:
            return None
        tail = f".{after}" if after else ""
        own = self.outline(path)
        cls = own.classes.get(name) if own is not None else None
        if cls is None or attribute in dict(cls.attributes):
            return None  # `Contact.id`: a class attribute of its own (no base class is read for it)
        if attribute in cls.methods:
            return self._property_value(path, name, attribute, tail)
        for class_path, class_name in self.lineage(path, name):
            facts = self.outline(class_path)
            cls = facts.classes.get(class_name) if facts is not None else None
            if cls is None:
                continue
            held = dict(cls.instance_attributes).get(attribute)
            if held is not None:
                return class_path, (held[0], held[1] + tail)
            if attribute in cls.methods:
                return self._property_value(class_path, class_name, attribute, tail)
            if attribute in dict(cls.attributes):
                return None  # the nearest class that says what the name is says something else
        return None

    def _property_value(self, path: str, class_name: str, attribute: str, tail: str) -> tuple[str, Ref] | None:
        """`repos.recipes.delete` where `recipes` is a `@property` / `@cached_property` of the class
        that returns (or is annotated to return) a `RecipeRepo`: `RecipeRepo().delete`. One
        annotated to return a class (`-> type[orm.Configuration]`) is that class, used or not:
        `delete(db.Configuration)` deletes rows of `Configuration`."""
        function = self.function(path, f"{class_name}.{attribute}")
        if function is None or function.returns is None or function.returns == RETURNS_OWN_CLASS:
            return None
        if not tail and function.returns[1].endswith("()"):
            return None  # `repos.recipes` itself: only what is used of it can matter
        decorators = {d.target[1].rsplit(".", 1)[-1] for d in function.decorators if d.target and not d.is_call}
        if not decorators & PROPERTY_DECORATORS:
            return None
        return path, (function.returns[0], function.returns[1] + tail)

    def _through_return(self, path: str, name: str, binding: Binding, suffix: str, depth: int) -> Resolved | None:
        """`get_queue().enqueue` when `get_queue` returns `rq.Queue(...)`: `rq.Queue().enqueue`;
        `DataSource.get_by_id(i).delete` when the method returns `cls.query...one()`:
        `DataSource().delete`; `load(pk).block` when `def load(pk) -> Server`: `Server().block`.
        None when what the call returns is not known, or not used."""
        kind = binding.kind
        if kind == "function" and suffix.startswith("()("):
            # `make_router()(prefix=...)`: an instance of the class its annotation says it returns
            # (`-> type[APIRouter]`); unknown without one
            if binding.ref is None or depth > 12:
                return UNKNOWN
            return self.resolve(path, (binding.ref[0], binding.ref[1] + suffix[2:]), depth + 1)
        if kind == "function":
            used = suffix[3:].split(".")[0].removesuffix("()")
            if not suffix.startswith("().") or depth > 12:
                return None
            if used not in self.returned_methods:
                # what its return annotation says (kept in the outline too): no body is read
                annotated = binding.ref
                return self.resolve(path, (annotated[0], annotated[1] + suffix[2:]), depth + 1) if annotated else None
            found, tail = (path, self.function(path, name)), suffix[2:]
        else:
            call = suffix[3:] if suffix.startswith("().") else suffix[1:] if suffix.startswith(".") else ""
            method, _, rest = call.partition("().")
            used = rest.split(".")[0].removesuffix("()")
            if not rest or "(" in method or depth > 12:
                return None
            if "." in method:
                return self._through_manager(path, name, method, rest, depth)
            if used not in self.returned_methods and not self._defines(path, name, used):
                return None
            found, tail = self.method(path, name, method), "." + rest
        if found is None or found[1] is None or found[1].returns is None:
            return None
        defined_in, returns = found[0], found[1].returns
        if returns == RETURNS_OWN_CLASS:
            # an instance of the class it was called on, though a base class defines it
            return self._resolve_in_module(path, f"{name}(){tail}", depth + 1) if kind == "class" else None
        return self.resolve(defined_in, (returns[0], returns[1] + tail), depth + 1)

    def _meta_instance(self, path: str, name: str, method: str) -> tuple[str, Ref] | None:
        """`RunForm(...).save()` of a project form whose `class Meta: model = Run` (nearest class
        first): (module, `Run`), the model whose instance it returns. None when the method is not
        one of `meta_instance_methods`, or a project class of the form defines it."""
        views = self.view_models
        if views is None or method not in views.meta_instance_methods:
            return None
        for class_path, class_name in self.lineage(path, name):
            outline = self.outline(class_path)
            cls = outline.classes.get(class_name) if outline is not None else None
            if cls is None or method in cls.methods:
                return None  # its own `save()` returns what it returns
        return self.meta_attribute(path, name, views.meta_class, views.meta_model)

    def meta_attribute(self, path: str, qualname: str, nested: str, attribute: str) -> tuple[str, Ref] | None:
        """(module, value) of a nested class's attribute, from the nearest class of the lineage
        that sets it: `class Meta: model = Location` of a form or one of its project bases."""
        for class_path, class_name in self.lineage(path, qualname):
            value = self.nested_attribute(class_path, class_name, nested, attribute)
            if value is not None:
                return class_path, value
        return None

    def _through_manager(self, path: str, name: str, method: str, rest: str, depth: int) -> Resolved | None:
        """`Server.objects.named(n).block` where `objects = ServerManager()` and the project's
        `ServerManager.named` is annotated to return a `Server` (or returns one): `Server().block`.
        A method the manager class does not define (`get`, `filter`) stays the model's query."""
        attribute, _, called = method.partition(".")
        own = self.outline(path)
        cls = own.classes.get(name) if own is not None else None
        held = dict(cls.attributes).get(attribute) if cls is not None and "." not in called else None
        if held is None or not held[1].endswith("()"):
            return None
        manager = self.resolve(path, (held[0], held[1].removesuffix("()")), depth + 1)
        # `method` finds only what the manager class (or a project base) defines
        found = (
            self.method(manager.path, manager.dotted, called)
            if manager.kind == "project" and not manager.rest
            else None
        )
        returns = found[1].returns if found is not None else None
        if found is None or returns is None or returns == RETURNS_OWN_CLASS:
            return None
        return self.resolve(found[0], (returns[0], f"{returns[1]}.{rest}"), depth + 1)

    def _hands_on_to_super(self, path: str, class_name: str, method: str) -> bool:
        """`def task(self, *args, **kwargs): kwargs.setdefault(...); return super().task(*args,
        **kwargs)`: an override that only adjusts what it was given and returns what the bases'
        method of its name gives for it, which stays the library's (koku's
        `LoggingCelery(Celery).task`)."""
        function = self.function(path, f"{class_name}.{method}")
        if function is None or function.is_async:
            return False
        forward = ("@", f"{class_name}.{SUPER}.{method}")
        given = set(function.params[1:])
        # nothing else: no call but `super()` and methods of what it was given (`kwargs.setdefault`),
        # not of a key that routes (`kwargs.setdefault("queue", "reports")`); a form's `save()`
        # that writes before it hands on is the project's
        alone = all(
            call.target in (forward, ("", "super"))
            or call.text.partition(".")[0] in given
            and not any(arg.text in self.queue_keywords for arg in call.args)
            for call in function.calls
        )
        return alone and any(call.handed_back and call.starred and call.target == forward for call in function.calls)

    def _through_star_imports(self, facts: ModuleFacts | ModuleOutline, dotted: str, depth: int) -> Resolved:
        """`from .bulk_views import *`: look for the name in each star-imported project module."""
        name = dotted.partition(".")[0].removesuffix("()")
        if depth > 12:
            return UNKNOWN
        for star_path in self._stars_of(facts):
            if self._binds(star_path, name):
                resolved = self._resolve_in_module(star_path, dotted, depth + 1)
                if resolved.kind != "unknown":
                    return resolved
        return UNKNOWN

    def _binds(self, path: str, name: str, depth: int = 0) -> bool:
        """Whether a module binds `name`, itself or through its star imports (remembered)."""
        key = (path, name)
        known = self._binding_homes.get(key) if depth == 0 else None
        if known is not None:
            return known
        facts = self.outline(path)
        found = facts is not None and (
            name in facts.bindings
            or (depth < 12 and any(self._binds(p, name, depth + 1) for p in self._stars_of(facts)))
        )
        if self._loading == 0 and depth == 0:  # a deeper answer may be cut short by the depth limit
            self._binding_homes[key] = found
        return found

    def _stars_of(self, facts: ModuleFacts | ModuleOutline) -> list[str]:
        """The project modules a module star-imports, found once."""
        if facts.path not in self._star_modules:
            paths = []
            for binding in facts.bindings.values():
                if binding.kind == "star" and binding.ref is not None:
                    found = self.find_module(facts.path, *binding.ref)
                    if found is not None and not found[1]:
                        paths.append(found[0])
            self._star_modules[facts.path] = paths
        return self._star_modules[facts.path]

    def lineage(self, path: str, qualname: str, depth: int = 0):
        """A project class and its project base classes, nearest first: (path, qualname)."""
        if depth == 0:
            known = self._lineages.get((path, qualname))
            if known is None:
                known = tuple(self._lineage(path, qualname, 0))
                if self._loading == 0:
                    self._lineages[(path, qualname)] = known
            yield from known
            return
        yield from self._lineage(path, qualname, depth)

    def _lineage(self, path: str, qualname: str, depth: int):
        facts = self.outline(path)
        if facts is None or qualname not in facts.classes or depth > 8:
            return
        yield path, qualname
        for base in facts.classes[qualname].bases:
            resolved = self.resolve(path, base, depth + 1)
            if resolved.kind == "project" and not resolved.rest:
                yield from self.lineage(resolved.path, resolved.dotted, depth + 1)

    def lineage_methods(self, path: str, qualname: str) -> set[str]:
        """The methods a project class and its project bases define."""
        found: set[str] = set()
        for class_path, name in self.lineage(path, qualname):
            facts = self.outline(class_path)
            found |= set(facts.classes[name].methods) if facts is not None else set()
        return found

    def external_bases(self, path: str, qualname: str) -> list[str]:
        """The library classes a project class derives from, through its project bases."""
        found = []
        for class_path, name in self.lineage(path, qualname):
            facts = self.outline(class_path)
            for base in facts.classes[name].bases if facts is not None else ():
                resolved = self.resolve(class_path, base)
                if resolved.kind == "external":
                    found.append(resolved.dotted)
        return found

    def nested_attribute(self, path: str, qualname: str, nested: str, attribute: str) -> Ref | None:
        """What a class's nested class sets an attribute to, by the class alone (not its bases):
        `class Meta: model = Location` -> `Location`, `class Meta: abstract = True` -> `True`."""
        outline = self.outline(path)
        inner = outline.classes.get(f"{qualname}.{nested}") if outline is not None else None
        return dict(inner.attributes).get(attribute) if inner is not None else None

    def derives_from_no_library(self, path: str, qualname: str) -> bool:
        """Whether a project class and its project bases derive from nothing but each other
        (and `object`): no model, no library class whose methods are known by name."""
        lineage = list(self.lineage(path, qualname))
        return bool(lineage) and all(
            (resolved := self.resolve(class_path, base)).kind == "project" or resolved.dotted == "object"
            for class_path, name in lineage
            for base in self.outline(class_path).classes[name].bases
        )

    def decorator_taker(self, path: str, decorator: DecoratorFact) -> tuple[str, FunctionFact] | None:
        """The project function a decorator hands the decorated function to: the decorator
        itself (`@check_locked`), what it returns when called (`@task()`, `@log_with(log)`), or
        the `__call__` of a class called (`@LogWith(log)`); None for anything else."""
        made = self.resolve(path, decorator.target) if decorator.target else None
        if made is None or made.kind != "project" or made.rest:
            return None
        outline = self.outline(made.path)
        qualname: str | None = made.dotted
        if outline is not None and made.dotted in outline.classes:
            qualname = f"{made.dotted}.__call__" if decorator.is_call else None
        elif decorator.is_call:  # what it returns is nested in it: the module is read whole
            facts = self.module(made.path)
            takers = returned_functions(facts.functions, made.dotted) if facts is not None else []
            qualname = takers[0] if len(takers) == 1 else None
        taker = self.function(made.path, qualname) if qualname is not None else None  # read alone if it can be
        return (made.path, taker) if taker is not None else None

    def library_decorator(self, path: str, decorator: DecoratorFact) -> str:
        """The library decorator a decorator applies (see `library_call`); "" for anything else."""
        return self.library_call(path, decorator)[0]

    def library_call(self, path: str, decorator: DecoratorFact) -> tuple[str, str, tuple[ArgFact, ...]]:
        """The library decorator a decorator applies, the module its arguments are written in
        and those arguments: the decorator itself (`@huey.task(retries=3)`), or, for a project
        decorator, the library one whose result the function it applies returns (`def task(
        retries=5): def deco(fn): ... return huey.task(retries=retries)(inner)`, then `@task()`;
        `def actor(fn): return dramatiq.actor(fn, queue_name="mail")`); ("", "", ()) for
        anything else."""
        nothing: tuple[str, str, tuple[ArgFact, ...]] = ("", "", ())
        made = self.resolve(path, decorator.target)
        if made.kind == "external":
            return made.dotted, path, decorator.args
        taken = self.decorator_taker(path, decorator)
        if taken is None:
            return self._library_factory(path, made, decorator) or nothing
        where, function = taken
        returns = function.returns
        if returns is None or not returns[1].endswith("()"):
            return nothing
        # `huey.task(...)(inner)` or `dramatiq.actor(fn, ...)`: the library decorator, applied
        called = returns[1].removesuffix("()").removesuffix("()")
        library = self.resolve(where, (returns[0], called))
        if library.kind != "external":
            return nothing
        calls = [c for c in function.calls if c.target is not None and self.resolve(where, c.target) == library]
        return library.dotted, where, calls[0].args if len(calls) == 1 else ()

    def _library_factory(
        self, path: str, made: Resolved, decorator: DecoratorFact
    ) -> tuple[str, str, tuple[ArgFact, ...]] | None:
        """`@task(queue="mail")` with `def task(*args, **kwargs): return celery.task(*args,
        **kwargs)`, no function nested in it: the library decorator the project function makes
        and returns, with the arguments it makes it with: those it writes out (`queue="low"`), the
        decorator's given to the parameters it passes on (`name=name`), and the decorator's
        keywords its `**kwargs` hands on; also through a project factory it returns the result of
        (`def job(name, **kw): return task(name=name, **kw)`). Their module: the decorator's
        when any of them is the decorator's."""
        if not decorator.is_call:
            return None
        given, written_in = decorator.args, path
        for _ in range(2):  # a factory, and one it returns the result of
            if made.kind != "project" or made.rest:
                return None
            function = self.function(made.path, made.dotted)
            returns = function.returns if function is not None else None
            if function is None or returns is None or not returns[1].endswith("()") or returns[1].endswith("()()"):
                return None
            made_by = self.resolve(made.path, (returns[0], returns[1].removesuffix("()")))
            calls = [c for c in function.calls if c.target is not None and self.resolve(made.path, c.target) == made_by]
            if len(calls) != 1:
                return None
            # a constant of the factory's module it writes (`queue=LOW`) is read here, where it is
            # written, since what it hands on is read where that was written
            call = replace(calls[0], args=tuple(self._with_string(made.path, arg) for arg in calls[0].args))
            given, handed = _factory_arguments(function, call, given)
            written_in = written_in if handed else made.path
            if made_by.kind == "external" and not made_by.rest:
                return made_by.dotted, written_in, given
            made = made_by
        return None

    def _with_string(self, path: str, arg: ArgFact) -> ArgFact:
        """An argument naming a module's string constant (`LOW = "low"`), with its text."""
        if arg.text is not None or arg.ref is None or arg.parameter is not None:
            return arg
        variable = self.resolve_variable(path, arg.ref)
        binding = variable.binding if variable is not None else None
        return replace(arg, text=binding.value) if binding is not None and binding.kind == "string" else arg

    def resolve_function(self, path: str, ref: Ref | None) -> tuple[str, FunctionFact] | None:
        """The project function a call reaches: `helper`, `mod.helper`, `Class().method`, `self.method`."""
        resolved = self.resolve(path, ref)
        if resolved.kind != "project":
            return None
        # the outline says whether it is a class; only the module that defines the function is parsed in full
        facts = self.outline(resolved.path)
        if facts is None:
            return None
        rest = resolved.rest
        if rest.endswith("()"):
            rest = rest[:-2]
        if not rest and resolved.dotted not in facts.classes:
            function = self.function(resolved.path, resolved.dotted)
            return (resolved.path, function) if function is not None else None
        method = rest.removeprefix("().") if rest else "__init__"
        if "." in method or "(" in method or resolved.dotted not in facts.classes:
            return None
        if method == "__init__" and self._made_by_metaclass(resolved.path, resolved.dotted):
            return None
        return self.method(resolved.path, resolved.dotted, method)

    def _made_by_metaclass(self, path: str, qualname: str) -> bool:
        """Whether calling a class runs a project metaclass's `__call__` (a singleton's
        `class Pusher(metaclass=Once)`), which decides whether `__init__` runs at all."""
        for class_path, name in self.lineage(path, qualname):
            metaclass = dict(self.outline(class_path).classes[name].attributes).get("__metaclass__")
            made = self.resolve(class_path, metaclass) if metaclass is not None else None
            if made is None or made.kind != "project" or made.rest:
                continue  # `abc.ABCMeta` and other library metaclasses run `__init__` as `type` does
            outline = self.outline(made.path)
            if (
                outline is not None
                and made.dotted in outline.classes
                and self._defines(made.path, made.dotted, "__call__")
            ):
                return True
        return False

    def _defines(self, path: str, qualname: str, method: str) -> bool:
        """Whether a project class or one of its project bases defines `method` (outlines only)."""
        return any(method in self.outline(p).classes[name].methods for p, name in self.lineage(path, qualname))

    def method(self, path: str, qualname: str, method: str) -> tuple[str, FunctionFact] | None:
        """A class's method: its own, else the nearest project base class's."""
        for class_path, class_name in self.lineage(path, qualname):
            if method not in self.outline(class_path).classes[class_name].methods:
                continue
            function = self.function(class_path, f"{class_name}.{method}")
            if function is not None:
                return class_path, function
        return None

    def spelled(self, path: str, ref: Ref | None) -> str | None:
        """A name as the module spells it, through its own imports and instances but no
        further: `router.post`, with `router = APIRouter()` and `from app.routing import
        APIRouter`, is `app.routing.APIRouter().post`, whatever `app.routing.APIRouter` turns
        out to be. Configured names are matched against it when resolution cannot reach a
        library name (a router class made by a factory function)."""
        if ref is None or ref[0] not in ("", "@"):
            return None
        anchor, dotted = ref
        if anchor == "":
            return dotted
        first, _, rest = dotted.partition(".")
        facts = self.outline(path)
        binding = facts.bindings.get(first.removesuffix("()")) if facts is not None else None
        if binding is None or binding.kind not in ("import", "alias", "instance") or binding.ref is None:
            return None
        if binding.ref[0] != "":
            return None  # a relative import: its module's own name is for resolve() to find
        return binding.ref[1] + ("()" if first.endswith("()") else "") + (f".{rest}" if rest else "")

    def resolve_variable(self, path: str, ref: Ref | None) -> Resolved | None:
        """The module-level variable a reference names, through imports and aliases."""
        resolved = self.resolve(path, ref)
        return resolved if resolved.kind == "variable" else None

    def instance_type(self, variable: Resolved) -> Resolved:
        """What a module-level `X = Something(...)` is an instance of."""
        binding = variable.binding
        if binding is None or binding.kind != "instance" or binding.ref is None:
            return UNKNOWN
        anchor, dotted = binding.ref
        return self.resolve(variable.path, (anchor, dotted.removesuffix("()")))


def _to_settle(function: FunctionFact) -> bool:
    """Whether a function has loops or writes over imported constants to settle."""
    return bool(function.constant_loops) or any(call.bounded_by is not None for call in function.calls)


def _import_root(root: Path) -> Path:
    """Where absolute imports start: the project root, or, when the root is itself a package
    (a run from `proj/`, with `proj/__init__.py`), the folder above its packages, as Python
    would import it: `from celery import shared_task` in `proj/tasks.py` is the library, not
    `proj/celery.py`, and that module is `proj.celery`."""
    for _ in range(12):
        if not (root / "__init__.py").is_file() or root.parent == root:
            break
        root = root.parent
    return root


def _factory_arguments(
    factory: FunctionFact, call: CallFact, given: tuple[ArgFact, ...]
) -> tuple[tuple[ArgFact, ...], bool]:
    """The arguments a factory's call of what it makes gets, given the factory's own arguments
    (`given`): those written out in the call, a parameter passed on by keyword (`name=name`) as
    what `given` gives it, and, when the call hands `**kwargs` on, `given`'s keywords no
    parameter takes. Whether any of them comes from `given`."""
    positional = [arg for arg in given if arg.keyword is None]
    bound = dict(zip(factory.params[: factory.positional], positional, strict=False))
    bound |= {arg.keyword: arg for arg in given if arg.keyword is not None and arg.keyword in factory.params}
    out: list[ArgFact] = []
    handed = False
    for arg in call.args:
        if arg.parameter is not None and arg.parameter in bound:
            out.append(replace(bound[arg.parameter], keyword=arg.keyword))
            handed = True
        elif arg.parameter is None or arg.parameter not in factory.params:
            out.append(arg)
    if call.starred and factory.kwargs is not None:
        extra = [arg for arg in given if arg.keyword is not None and arg.keyword not in factory.params]
        out.extend(extra)
        handed = handed or bool(extra)
    return tuple(out), handed


def _a_models_module(folder: str, name: str) -> bool:
    """Where Django apps keep models: `models.py`, `models_*.py`, every module of a `models/` package."""
    return name.endswith(".py") and (folder == "models" or name.startswith("models"))
