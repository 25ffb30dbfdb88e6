"""Other places worker processes are declared: supervisord programs, systemd
services, Kubernetes containers and Cloud Foundry apps. Each yields the command line a
process runs."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

from worker_audit.compose import UNSAFE_TAG, YamlProblem, compose_yaml, refused_tag
from worker_audit.worker_commands import MAX_COMMAND_CHARS


@dataclass
class DeploymentFiles:
    """What the deployment files of a run said: compose documents, Procfiles,
    supervisord programs, systemd services, Kubernetes containers and Cloud Foundry apps, and
    the YAML that broke."""

    compose_documents: list = field(default_factory=list)  # ComposeDocument
    procfiles: list = field(default_factory=list)  # (path, [ProcfileEntry])
    declared: list = field(default_factory=list)  # (path, [DeclaredProcess])
    images: list = field(default_factory=list)  # Dockerfiles: what a service builds, or an image run elsewhere
    problems: list = field(default_factory=list)  # (path, message, line, column)


@dataclass(frozen=True)
class DeclaredProcess:
    label: str  # "supervisord program `worker`", "Deployment `app-worker` container `worker`"
    command: str
    line: int


_INI_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]+)\]\s*$")


def _ini_entries(text: str, key: str, backslash: bool) -> Iterator[tuple[str, str, int]]:
    """(section, value, line) of each `key = value` of an INI-style file, with its continuation
    lines: the indented lines below it (supervisord), or the next line after one that ends in a
    backslash (systemd)."""
    assignment = re.compile(rf"^\s*{re.escape(key)}\s*=\s*(?P<value>.*)$")
    section = None
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        header = _INI_SECTION.match(line)
        if header or line.lstrip().startswith("["):
            section = header.group("name").strip() if header else None
        elif section is not None and (found := assignment.match(line)):
            start = index + 1
            value = found.group("value")
            if backslash:
                value = value.rstrip()
                while value.endswith("\\") and index + 1 < len(lines):
                    index += 1
                    value = value[:-1] + " " + lines[index].strip()
            else:
                while index + 1 < len(lines) and lines[index + 1][:1] in (" ", "\t") and lines[index + 1].strip():
                    index += 1
                    value += " " + lines[index].strip()
            yield section, value, start
        index += 1


def supervisor_programs(text: str) -> list[DeclaredProcess]:
    """`[program:x]` sections and their `command=` (continuation lines included).
    Jinja placeholders (`{{ queues }}`) and `%(ENV_QUEUES)s` become `$` words: not static."""
    found = []
    for section, value, start in _ini_entries(text, "command", backslash=False):
        kind, _, program = section.partition(":")
        if kind != "program":
            continue
        # Jinja placeholders and supervisord's %(ENV_X)s expansions are not static
        value = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "$TEMPLATE", value)
        value = re.sub(r"%\((?:ENV_)?(\w+)\)s", r"$\1", value)
        found.append(DeclaredProcess(f"supervisord program `{program.strip()}`", value, start))
    return found


def systemd_services(text: str, unit: str) -> list[DeclaredProcess]:
    """The `ExecStart=` lines of a systemd unit's `[Service]` section (a line ending in a backslash
    goes on), without the prefixes that change how it runs (`-`, `@`, `:`, `+`, `!`).
    `${QUEUES}` and `$QUEUES` stay `$` words: not static."""
    found = []
    for section, value, start in _ini_entries(text, "ExecStart", backslash=True):
        value = re.sub(r"\$\{(\w+)\}", r"$\1", value.lstrip("-@:+!"))
        if section == "Service" and value:
            found.append(DeclaredProcess(f"systemd unit `{unit}`", value, start))
    return found


def _nodes(root: yaml.Node):
    """Every node below `root` once, however many aliases point at it: an alias bomb
    ("billion laughs") costs what its text costs. No recursion: nesting depth is free."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.append(value)
                stack.append(key)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))


def mapping_value(node: yaml.MappingNode, key: str, depth: int = 0) -> yaml.Node | None:
    """The value of `key` in a mapping, also through YAML merge keys (`<<: *worker`, `<<: [*a,
    *b]`), the mapping's own keys first."""
    merged: list[yaml.Node] = []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
        if isinstance(k, yaml.ScalarNode) and k.value == "<<" and depth < 8:
            merged.extend(v.value if isinstance(v, yaml.SequenceNode) else [v])
    for source in merged:
        found = mapping_value(source, key, depth + 1) if isinstance(source, yaml.MappingNode) else None
        if found is not None:
            return found
    return None


def _words(node: yaml.Node | None) -> list[str]:
    if isinstance(node, yaml.SequenceNode):
        return [str(item.value) for item in node.value if isinstance(item, yaml.ScalarNode)]
    if isinstance(node, yaml.ScalarNode) and len(node.value) <= MAX_COMMAND_CHARS:
        try:
            return shlex.split(str(node.value)) if node.value else []
        except ValueError:  # `command: "sh -c 'unterminated"`
            return []
    return []


def _manifest_documents(text: str) -> list[yaml.Node] | YamlProblem:
    """The YAML documents of a manifest: none for a file that is not YAML (a template, say); a
    problem for `!!python/...` tags or nesting too deep to compose."""
    documents = compose_yaml(text, stream=True)
    if isinstance(documents, YamlProblem):
        return documents if documents.message.startswith("nested ") else []
    for document in documents:
        for node in _nodes(document):
            if node.tag.startswith(UNSAFE_TAG):
                return refused_tag(node)
    return documents


def kubernetes_containers(text: str) -> list[DeclaredProcess] | YamlProblem:
    """Containers of Kubernetes manifests (any kind: Deployment, StatefulSet, Job,
    CronJob, Pod; also the `podSpec` of a Clowder ClowdApp's deployments and jobs, named by
    theirs): `command` + `args`, the way the kubelet joins them.

    A file that is not YAML is no manifest (a Helm template, say): nothing. YAML
    with `!!python/...` tags, or nested too deeply to compose, is a problem."""
    found: list[DeclaredProcess] = []
    documents = _manifest_documents(text)
    if isinstance(documents, YamlProblem):
        return documents
    for document in documents:
        if not isinstance(document, yaml.MappingNode):
            continue
        kind = mapping_value(document, "kind")
        metadata = mapping_value(document, "metadata")
        name = mapping_value(metadata, "name") if isinstance(metadata, yaml.MappingNode) else None
        owner = f"{kind.value if isinstance(kind, yaml.ScalarNode) else 'manifest'}"
        if isinstance(name, yaml.ScalarNode):
            owner += f" `{name.value}`"
        for node in _nodes(document):
            if not isinstance(node, yaml.MappingNode):
                continue
            containers = mapping_value(node, "containers")
            pod = mapping_value(node, "podSpec")  # a Clowder ClowdApp's deployment or job: one container
            if isinstance(pod, yaml.MappingNode):
                containers = yaml.SequenceNode("tag:yaml.org,2002:seq", [pod])
                named = mapping_value(node, "name")
            elif not isinstance(containers, yaml.SequenceNode):
                continue
            else:
                named = None
            for container in containers.value:
                if not isinstance(container, yaml.MappingNode):
                    continue
                words = _words(mapping_value(container, "command")) + _words(mapping_value(container, "args"))
                if not words:
                    continue
                container_name = named or mapping_value(container, "name")
                label = owner + (
                    f" container `{container_name.value}`" if isinstance(container_name, yaml.ScalarNode) else ""
                )
                where = mapping_value(container, "command") or mapping_value(container, "args")
                line = where.start_mark.line + 1 if where is not None else container.start_mark.line + 1
                command = " ".join(re.sub(r"\$\((\w+)\)", r"$\1", w) if "$(" in w else shlex.quote(w) for w in words)
                found.append(DeclaredProcess(label, command, line))
    return found


def cloud_foundry_apps(text: str) -> list[DeclaredProcess] | YamlProblem:
    """The apps of a Cloud Foundry manifest (`cf push`): each entry of `applications` with a
    `command`, and each of its `processes` with one (`type: worker`).

    A file that is not YAML, or whose top level has no `applications` list, is no manifest:
    nothing. YAML with `!!python/...` tags, or nested too deeply to compose, is a problem."""
    found: list[DeclaredProcess] = []
    documents = _manifest_documents(text)
    if isinstance(documents, YamlProblem):
        return documents
    for document in documents:
        applications = mapping_value(document, "applications") if isinstance(document, yaml.MappingNode) else None
        if not isinstance(applications, yaml.SequenceNode):
            continue
        for app in applications.value:
            if not isinstance(app, yaml.MappingNode):
                continue
            name = mapping_value(app, "name")
            label = "Cloud Foundry app" + (f" `{name.value}`" if isinstance(name, yaml.ScalarNode) else "")
            entries = [(label, app)]
            processes = mapping_value(app, "processes")
            for process in processes.value if isinstance(processes, yaml.SequenceNode) else ():
                if isinstance(process, yaml.MappingNode):
                    kind = mapping_value(process, "type")
                    named = f" process `{kind.value}`" if isinstance(kind, yaml.ScalarNode) else ""
                    entries.append((label + named, process))
            for entry_label, entry in entries:
                command = mapping_value(entry, "command")
                words = _words(command)
                if words and command is not None:
                    found.append(
                        DeclaredProcess(entry_label, " ".join(map(shlex.quote, words)), command.start_mark.line + 1)
                    )
    return found
