"""docker-compose files, read safely: YAML nodes with their marks, never objects.

Only `yaml.compose` with the safe loader is used: no constructor runs, tags
like `!!python/object` are refused, and walking the node graph has a budget so
an alias bomb ("billion laughs") costs bounded time and memory.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

NODE_BUDGET = 200_000
MAX_DEPTH = 100  # compose files nest about 6 levels, Kubernetes manifests about 15
UNSAFE_TAG = "tag:yaml.org,2002:python/"


INVALID_YAML = "invalid YAML"  # the start of a parse error's message


@dataclass(frozen=True)
class YamlProblem:
    message: str
    line: int
    column: int


@dataclass(frozen=True)
class ComposeDocument:
    path: str
    root: yaml.MappingNode


def _first_line(exc: yaml.YAMLError, text: str) -> tuple[str, int, int]:
    """The message and the most useful mark: where the problem is, unless that is
    the end of the file, where the unclosed construct began is more helpful."""
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses: NUL, control bytes
        line = text.count("\n", 0, exc.position) + 1
        return str(exc).splitlines()[0], line, exc.position - text.rfind("\n", 0, exc.position)
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if mark is None or (context_mark is not None and mark.index >= len(text.rstrip())):
        mark = context_mark or mark
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context else str(problem)
    if mark is None:
        return text, 1, 1
    return text, mark.line + 1, mark.column + 1


def refused_tag(node: yaml.Node) -> YamlProblem:
    mark = node.start_mark
    return YamlProblem(
        f"unsafe tag {node.tag.replace('tag:yaml.org,2002:', '!!')} refused", mark.line + 1, mark.column + 1
    )


def _check_nodes(root: yaml.Node) -> YamlProblem | None:
    """Refuse unsafe tags, alias bombs and nesting deeper than `MAX_DEPTH`, walking
    without recursion; the budget counts every node once per path to it, as `_plain`
    (which expands aliases) will visit it."""
    budget = NODE_BUDGET
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        budget -= 1
        if budget < 0:
            mark = root.start_mark
            return YamlProblem(
                f"more than {NODE_BUDGET} nodes once aliases are expanded (an alias bomb?)",
                mark.line + 1,
                mark.column + 1,
            )
        if node.tag.startswith(UNSAFE_TAG):
            return refused_tag(node)
        if depth > MAX_DEPTH:
            mark = node.start_mark
            return YamlProblem(f"nested more than {MAX_DEPTH} levels deep", mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return None


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _SafeDepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's composer recurses once per level: stop it at `MAX_DEPTH`, at the
    node where it happens, long before Python's recursion limit."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def compose_yaml(text: str, stream: bool = False) -> list[yaml.Node] | YamlProblem:
    """The node of the document (of each one if `stream`), composed with the safe
    loader: no constructor runs, so no tag can build an object."""
    loader = None
    try:
        loader = _SafeDepthLimitedLoader(text)
        if not stream:
            node = loader.get_single_node()
            return [] if node is None else [node]
        documents = []
        while loader.check_node():
            documents.append(loader.get_node())
        return documents
    except yaml.YAMLError as exc:
        message, line, column = _first_line(exc, text)
        return YamlProblem(f"{INVALID_YAML}: {message}", line, column)
    except _TooDeep as exc:
        return YamlProblem(f"nested more than {MAX_DEPTH} levels deep", exc.mark.line + 1, exc.mark.column + 1)
    except RecursionError:  # called deep in the stack already
        return YamlProblem("nested too deeply", 1, 1)
    finally:
        if loader is not None:
            loader.dispose()


# Jinja's statement and comment tags (`{% if postgres %}`, `{# ... #}`) on a line that is no YAML
# comment; its `{{ ... }}` is left out: Go templates (`"{{.Task.Slot}}"`, `--format "{{ .Names }}"`)
# are plain strings of compose files that docker compose reads as they are
_TEMPLATE_TAG = re.compile(r"^(?!\s*#).*?(\{%.*?%\}|\{#.*?#\})", re.MULTILINE)


def is_template(text: str, problem: YamlProblem) -> bool:
    """Whether a file that is not YAML (`problem`, a parse error) holds Jinja statements or
    comments outside YAML comments: a template a tool renders into a compose file (Mailu's setup
    wizard), no compose file."""
    return problem.message.startswith(INVALID_YAML) and _TEMPLATE_TAG.search(text) is not None


def load_compose(path: Path, text: str) -> ComposeDocument | YamlProblem:
    documents = compose_yaml(text)
    if isinstance(documents, YamlProblem):
        return documents
    if not documents:
        return YamlProblem("empty compose file", 1, 1)
    root = documents[0]
    problem = _check_nodes(root)
    if problem is not None:
        return problem
    if not isinstance(root, yaml.MappingNode):
        mark = root.start_mark
        return YamlProblem("a compose file must be a mapping (services: ...)", mark.line + 1, mark.column + 1)
    return ComposeDocument(str(path), root)


# ---------------------------------------------------------------- services


class Scalar(str):
    """A YAML scalar that remembers where it is written (1-based line and column)."""

    line: int
    column: int
    end_line: int
    end_column: int
    block: bool  # a `|` or `>` block scalar: its text is not where a fix could append to it

    def __new__(
        cls, value: str, line: int, column: int = 1, end_line: int = 0, end_column: int = 0, block: bool = False
    ) -> Scalar:
        made = super().__new__(cls, value)
        made.line = line
        made.column = column
        made.end_line = end_line or line
        made.end_column = end_column or column
        made.block = block
        return made


def _plain(node: yaml.Node) -> object:
    """Nodes to dicts, lists and `Scalar`s, applying `<<` merge keys.

    `load_compose` has already bounded the expansion of aliases."""
    if isinstance(node, yaml.ScalarNode):
        start, end = node.start_mark, node.end_mark
        block = node.style in ("|", ">")
        return Scalar(str(node.value), start.line + 1, start.column + 1, end.line + 1, end.column + 1, block)
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        merged: dict = {}
        own: dict = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag == "tag:yaml.org,2002:merge":
                sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
                for source in reversed(sources):
                    data = _plain(source)
                    if isinstance(data, dict):
                        merged.update(data)
            else:
                if not isinstance(key, yaml.ScalarNode):
                    continue  # `? [a, b] : x`: compose names are strings
                own[Scalar(str(key.value), key.start_mark.line + 1, key.start_mark.column + 1)] = _plain(value)
        merged.update(own)
        return merged
    return None


_VARIABLE = re.compile(r"\$(?:\$|\{(?P<braced>[^}]*)\}|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))")


def interpolate(text: str, variables: dict[str, str]) -> str | None:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR` and `$$`.

    None when a variable is neither defined (in `.env` / env files) nor defaulted:
    the value is then unknown to a static audit, never guessed."""
    unknown = False

    def replace(match: re.Match) -> str:
        nonlocal unknown
        if match.group(0) == "$$":
            return "$"
        expression = match.group("braced") if match.group("braced") is not None else match.group("plain")
        name, operator, default = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(:?[-?+]?)(.*)", expression or "").groups() or (
            "",
            "",
            "",
        )
        value = variables.get(name)
        if operator in (":-",):
            return value if value else default
        if operator == "-":
            return value if value is not None else default
        if operator in (":+", "+"):
            return default if (value if operator == ":+" else value is not None) else ""
        if value is None:
            unknown = True
            return ""
        return value

    result = _VARIABLE.sub(replace, text)
    return None if unknown else result


def read_text(path: Path) -> str | None:
    """A deployment file's text; None when it cannot be read. The run passes its own reader,
    which remembers what it read for the run cache."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def read_env_file(path: Path, read: Callable[[Path], str | None] = read_text) -> dict[str, str]:
    """`KEY=VALUE` lines (compose's .env format); a missing file is empty."""
    values: dict[str, str] = {}
    text = read(path)
    if text is None:
        return values
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class Setting:
    """A value of a service, interpolated, with the file and line it is written on."""

    value: str | None  # None: it uses a variable nobody defines
    path: str
    line: int
    column: int = 1
    raw: str = ""  # as written, before interpolation
    end_line: int = 0  # where the scalar ends, for fixes that append to it
    end_column: int = 0


@dataclass
class Service:
    name: str
    path: str
    line: int
    environment: dict[str, Setting] = field(default_factory=dict)
    command: Setting | None = None  # entrypoint and command, as one line
    dockerfile: str | None = None  # the Dockerfile of `build:`, whose CMD runs when there is no command
    context: str | None = None  # the build context: where the Dockerfile's COPY sources are
    entrypoint: bool = False  # the service sets `entrypoint:`, which replaces the image's
    image: str | None = None  # `image:`, which runs when there is no `build:`


def _command_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return shlex.join(value)
    return None


def _environment(value: object, path: str, variables: dict[str, str]) -> dict[str, Setting]:
    out: dict[str, Setting] = {}
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = []
        for entry in value:
            if isinstance(entry, str):
                key, sep, rest = entry.partition("=")
                items.append(
                    (
                        key,
                        Scalar(rest, entry.line, entry.column, entry.end_line, entry.end_column, entry.block)
                        if sep and isinstance(entry, Scalar)
                        else None,
                    )
                )
    else:
        return out
    for key, raw in items:
        if raw is None:
            continue
        if isinstance(raw, Scalar):
            end_line, end_column = (0, 0) if raw.block else (raw.end_line, raw.end_column)  # 0: no fix edits it
            value = interpolate(str(raw), variables)
            out[key] = Setting(value, path, raw.line, raw.column, str(raw), end_line, end_column)
        else:
            out[key] = Setting(interpolate(str(raw), variables), path, 1, 1, str(raw))
    return out


def _place_of(value: object, fallback: tuple[int, int]) -> tuple[int, int]:
    if isinstance(value, Scalar):
        return value.line, value.column
    if isinstance(value, list) and value and isinstance(value[0], Scalar):
        return value[0].line, value[0].column
    return fallback


def _service(
    name: Scalar | str, data: dict, path: Path, variables: dict[str, str], read: Callable[[Path], str | None]
) -> Service:
    line = name.line if isinstance(name, Scalar) else 1
    service = Service(str(name), str(path), line)
    env_files = data.get("env_file")
    for env_file in [env_files] if isinstance(env_files, str) else env_files or []:
        file_path = path.parent / str(env_file.get("path") if isinstance(env_file, dict) else env_file)
        for key, value in read_env_file(file_path, read).items():
            service.environment[key] = Setting(value, str(file_path), 1)
    service.environment.update(_environment(data.get("environment"), str(path), variables))
    # the process is the entrypoint followed by the command
    parts = [_command_text(data.get(key)) for key in ("entrypoint", "command")]
    if any(part is not None for part in parts):
        text = " ".join(part for part in parts if part is not None)
        where = _place_of(data.get("command"), _place_of(data.get("entrypoint"), (line, 1)))
        service.command = Setting(interpolate(text, variables), str(path), *where, raw=text)
        service.entrypoint = parts[0] is not None
    image = data.get("image")
    if isinstance(image, str):
        service.image = interpolate(image, variables)
    build = data.get("build")
    # `context: ../../` from docker/e2e/: the folder two up, written without the `..`
    if isinstance(build, str):
        service.context = os.path.normpath(path.parent / build)
        service.dockerfile = os.path.normpath(path.parent / build / "Dockerfile")
    elif isinstance(build, dict):
        context = path.parent / str(build.get("context", "."))
        service.context = os.path.normpath(context)
        service.dockerfile = os.path.normpath(context / str(build.get("dockerfile", "Dockerfile")))
    return service


def _merge_service(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if key == "environment":
            merged[key] = _merge_environment(base.get(key), value)
        else:
            merged[key] = value
    return merged


def _merge_environment(base: object, override: object) -> object:
    def as_dict(value: object) -> dict:
        if isinstance(value, dict):
            return dict(value)
        out = {}
        for entry in value or []:
            if isinstance(entry, str):
                key, _, rest = entry.partition("=")
                out[key] = (
                    Scalar(rest, entry.line, entry.column, entry.end_line, entry.end_column, entry.block)
                    if isinstance(entry, Scalar)
                    else rest
                )
        return out

    merged = as_dict(base)
    merged.update(as_dict(override))
    return merged


_BASE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
# what a compose service says that a `services:` mapping of another tool does not
_SERVICE_KEYS = ("image", "build", "command")


def is_compose_document(document: ComposeDocument) -> bool:
    """A YAML file compose runs whatever its name (`docker compose -f local.yml`, cookiecutter-
    django's `local.yml` and `production.yml`): a top-level `services` mapping of mappings, one
    of them with an image, a build or a command. GitLab CI's and Travis' `services:` are lists."""
    data = _plain(document.root)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict) or not services or not all(isinstance(b, dict) for b in services.values()):
        return False
    return any(key in body for body in services.values() for key in _SERVICE_KEYS)


def referenced_files(document: ComposeDocument) -> set[str]:
    """The files a compose file uses as parts of itself, not run on their own: its services'
    `extends: {file: ...}` and its top-level `include:` (paths, or mappings with `path`)."""
    data = _plain(document.root)
    if not isinstance(data, dict):
        return set()
    named: list[object] = []
    services = data.get("services")
    for body in services.values() if isinstance(services, dict) else ():
        extends = body.get("extends") if isinstance(body, dict) else None
        named.append(extends.get("file") if isinstance(extends, dict) else None)
    include = data.get("include")
    for entry in include if isinstance(include, list) else ():
        path = entry.get("path") if isinstance(entry, dict) else entry
        named.extend(path if isinstance(path, list) else [path])
    folder = Path(document.path).parent
    return {os.path.normpath(folder / str(name)) for name in named if isinstance(name, str) and name}


def compose_services(documents: list[ComposeDocument], read: Callable[[Path], str | None] = read_text) -> list[Service]:
    """Services of every compose configuration: `*.override.y*ml` merged into
    its base file, the way `docker compose` merges them by default."""
    by_path = {Path(doc.path): doc for doc in documents}
    overrides: dict[Path, list[Path]] = {}
    for path in by_path:
        if ".override." in path.name:
            base_stem = path.name.split(".override.")[0]
            for base_name in (f"{base_stem}.yml", f"{base_stem}.yaml"):
                if path.with_name(base_name) in by_path:
                    overrides.setdefault(path.with_name(base_name), []).append(path)
                    break
    merged_away = {p for paths in overrides.values() for p in paths}
    services: list[Service] = []
    for path, document in sorted(by_path.items()):
        if path in merged_away:
            continue
        variables = read_env_file(path.parent / ".env", read)
        data = _plain(document.root)
        raw_services = data.get("services") if isinstance(data, dict) else None
        if not isinstance(raw_services, dict):
            continue
        sources: dict[str, tuple[Scalar | str, dict, Path]] = {}
        for name, body in raw_services.items():
            if isinstance(body, dict):
                sources[name] = (name, body, path)
        for override_path in sorted(overrides.get(path, [])):
            override = _plain(by_path[override_path].root)
            for name, body in (override.get("services") or {}).items() if isinstance(override, dict) else []:
                if not isinstance(body, dict):
                    continue
                if name in sources:
                    base_name, base_body, base_path = sources[name]
                    # settings written in the override are reported there
                    where = override_path if _overrides_queue_settings(body) else base_path
                    sources[name] = (
                        name if where == override_path else base_name,
                        _merge_service(base_body, body),
                        where,
                    )
                else:
                    sources[name] = (name, body, override_path)
        for name, body, source_path in sources.values():
            services.append(_service(name, body, source_path, variables, read))
    # a service that builds an image and names it (`build:` and `image: app`) tags what it builds:
    # another service that runs `image: app` runs that build, whose ENTRYPOINT takes its command
    built = {s.image: s for s in services if s.image is not None and s.dockerfile is not None}
    for service in services:
        builder = built.get(service.image) if service.dockerfile is None and service.image is not None else None
        if builder is not None:
            service.dockerfile, service.context = builder.dockerfile, builder.context
    return services


def _overrides_queue_settings(body: dict) -> bool:
    return any(key in body for key in ("environment", "command", "entrypoint"))


_INSTRUCTION = re.compile(r"^\s*(CMD|ENTRYPOINT)\s+(?P<rest>.*)$", re.IGNORECASE)


def _start_instructions(path: Path, read: Callable[[Path], str | None]) -> dict[str, tuple[str, int, bool]]:
    """A Dockerfile's last ENTRYPOINT and last CMD: (the command line, its line, whether it is
    written in exec form, `["a", "b"]`)."""
    text = read(path)
    if text is None:
        return {}
    found: dict[str, tuple[str, int, bool]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _INSTRUCTION.match(line)
        if match is None:
            continue
        rest = match.group("rest").strip()
        exec_form = rest.startswith("[")
        if exec_form:
            try:
                words = json.loads(rest)
                rest = shlex.join(str(w) for w in words)
            except ValueError:
                continue
        found[match.group(1).upper()] = (rest, number, exec_form)
    return found


def dockerfile_command(path: Path, read: Callable[[Path], str | None] = read_text) -> tuple[str, int] | None:
    """The process a Dockerfile starts (ENTRYPOINT then CMD, the last of each), with its line."""
    found = _start_instructions(path, read)
    if not found:
        return None
    parts = [found[k] for k in ("ENTRYPOINT", "CMD") if k in found]
    return " ".join(text for text, _, _ in parts), parts[-1][1]


def dockerfile_entrypoint(path: Path, read: Callable[[Path], str | None] = read_text) -> tuple[str, bool] | None:
    """The image's ENTRYPOINT, and whether a compose `command:` is given to it as arguments:
    in exec form it is (`ENTRYPOINT ["/start.sh"]` with `command: worker` runs `/start.sh
    worker`); in shell form it takes none, and runs alone."""
    found = _start_instructions(path, read).get("ENTRYPOINT")
    return (found[0], found[2]) if found is not None else None


_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(?P<image>\S+)(?:\s+AS\s+(?P<stage>\S+))?\s*$", re.IGNORECASE)
_ARG = re.compile(r"^\s*ARG\s+(?P<name>\w+)(?:=(?P<value>\S*))?\s*$", re.IGNORECASE)


def dockerfile_base_image(path: Path, read: Callable[[Path], str | None] = read_text) -> str | None:
    """The image the last stage of a Dockerfile is built `FROM`, through the stages it names
    (`FROM builder`) and the defaults of the `ARG`s written before (`FROM ${AIRFLOW_IMAGE}`);
    None when it is not known."""
    text = read(path)
    if text is None:
        return None
    arguments: dict[str, str] = {}
    stages: dict[str, str] = {}
    image = None
    for line in text.splitlines():
        argument = _ARG.match(line)
        if argument is not None and image is None and argument.group("value") is not None:
            arguments[argument.group("name")] = interpolate(argument.group("value").strip("\"'"), arguments)
            continue
        found = _FROM.match(line)
        if found is None:
            continue
        image = interpolate(found.group("image"), arguments)
        image = stages.get(image, image)
        if found.group("stage"):
            stages[found.group("stage")] = image
    return image if image is not None and "$" not in image else None


_COPY = re.compile(r"^\s*(?:COPY|ADD)\s+(?P<rest>.*)$", re.IGNORECASE)


def dockerfile_copies(path: Path, context: Path, read: Callable[[Path], str | None] = read_text) -> dict[str, Path]:
    """The files a Dockerfile copies from its build context, by where they land in the image:
    `COPY ./compose/worker/start /start-worker` gives `/start-worker` -> that file. Only plain
    files inside the context; a copy from another stage (`--from=`) or of a folder is not one."""
    text = read(path)
    if text is None:
        return {}
    lines = text.splitlines()
    try:
        top = context.resolve()
    except (OSError, RuntimeError):
        return {}
    found: dict[str, Path] = {}
    for line in lines:
        match = _COPY.match(line)
        if match is None:
            continue
        rest = match.group("rest").strip()
        try:
            words = json.loads(rest) if rest.startswith("[") else shlex.split(rest)
        except ValueError:
            continue
        if not isinstance(words, list) or any(not isinstance(w, str) for w in words):
            continue
        if any(w.startswith("--from") for w in words):
            continue
        words = [w for w in words if not w.startswith("--")]
        if len(words) != 2 or not words[1].startswith("/"):
            continue
        source, target = words
        if target.endswith("/"):
            target += Path(source).name
        candidate = Path(os.path.normpath(context / source))
        try:
            inside = candidate.resolve().is_relative_to(top)
        except (OSError, RuntimeError):
            continue
        if inside and candidate.is_file() and not candidate.is_symlink():
            found[target] = candidate
        elif inside and not candidate.exists():
            read(candidate)  # missing: the run cache then sees it appear
    return found
