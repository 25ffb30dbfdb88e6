"""Command lines that start workers: `rq worker [options] q1 q2`, `rqworker`,
`python -m server.worker`, possibly behind `sh -c "..."`, `exec` or `&&`."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from worker_audit.knowledge import WorkerCommand

_SHELLS = {"sh", "bash", "/bin/sh", "/bin/bash", "dash", "/bin/dash"}
_SEPARATORS = {"&&", "||", ";", "|", "&"}
_PYTHONS = ("python", "python3", "python2")
# programs whose words are text they print, not a command they run
_TEXT_PROGRAMS = frozenset({"echo", "printf"})
# a program packaged for one Python version: Fedora's `/usr/bin/celery-3`, `celery-3.9`
_PYTHON_VERSION_SUFFIX = re.compile(r"(?<=[a-z])-3(?:\.\d+)?$")


@dataclass(frozen=True)
class WorkerLine:
    # "queues": a worker command with its queue list; "module": runs a Python module or script;
    # "scheduler": sends the tasks of a schedule (`celery beat`, or `celery worker -B` besides its "queues")
    kind: str
    queues: tuple[str, ...] | None = None  # None: the list is not static ($VARS)
    module: str | None = None  # "server.worker" for `python -m server.worker`; "worker.py" for a script
    program: str = ""  # "rq worker", for messages
    defaulted: bool = False  # no queue was given: the command's default queues
    command: WorkerCommand | None = field(default=None, compare=False)  # the worker command matched
    # "module", "script": the words given to it (`python run_worker.py high email`,
    # `/start.sh worker`); None when they are not static or hold options (`_static`)
    arguments: tuple[str, ...] | None = ()
    # `celery worker -Q a &`: sent to the background, so the lines after it run too; a worker in
    # the foreground keeps its shell until it stops, and what follows it never starts
    background: bool = False


def _segments(tokens: list[str]) -> list[tuple[list[str], bool]]:
    """The commands of a shell line, each with whether it is sent to the background (`&`)."""
    segments: list[tuple[list[str], bool]] = [([], False)]
    for token in tokens:
        if token in _SEPARATORS:
            segments[-1] = (segments[-1][0], token == "&")
            segments.append(([], False))
        else:
            segments[-1][0].append(token)
    return [s for s in segments if s[0]]


# Linux takes at most 128 KiB in one argument (MAX_ARG_STRLEN), `sh -c` scripts
# included; shlex's time grows with the square of a word's length, so longer is no command.
MAX_COMMAND_CHARS = 128 * 1024


def _tokens(command: str) -> list[str] | None:
    if len(command) > MAX_COMMAND_CHARS:
        return None
    try:
        split = shlex.split(command, posix=True)
    except ValueError:
        return None
    # `rq worker a; rq worker b &`: a separator written against the word before it ends that
    # command too (shlex splits on spaces only)
    tokens: list[str] = []
    for token in split:
        ending = next((end for end in (";", "&") if token.endswith(end) and not token.endswith("&&")), None)
        if ending is not None and len(token) > 1:
            tokens += [token[:-1], ending]
        else:
            tokens.append(token)
    # sh -c "rq worker a b": the shell's script is one more command line
    for index, token in enumerate(tokens[:-1]):
        if token in _SHELLS and tokens[index + 1] == "-c" and index + 2 < len(tokens):
            inner = _tokens(tokens[index + 2])
            return inner if inner is not None else None
    return tokens


def _queue_arguments(rest: list[str], spec: WorkerCommand) -> tuple[str, ...] | None:
    """The queues the command line names (`()`: none, so the command's default), None when not static."""
    queues: list[str] = []
    skip = False
    for index, token in enumerate(rest):
        if skip:
            skip = False
            continue
        if spec.queue_options:
            # celery worker -Q a,b / --queues=a,b / -Qa,b
            value = None
            for option in spec.queue_options:
                if token == option and spec.many_queue_values:
                    following = []
                    for word in rest[index + 1 :]:
                        if word.startswith("-"):
                            break
                        following.append(word)
                    value = ",".join(following)
                elif token.startswith(option + ":") and "=" in token:
                    value = token.split("=", 1)[1]  # `--queues:w1=a,b` (celery multi, one node's queues)
                elif (token == option or token.startswith(option + ":")) and index + 1 < len(rest):
                    value = rest[index + 1]  # `-Q a,b`; `-Q:w1 a` (celery multi, one node's queues)
                    skip = True
                elif token.startswith(option + "="):
                    value = token.split("=", 1)[1]
                elif len(option) == 2 and token.startswith(option) and len(token) > 2 and not token.startswith("--"):
                    value = token[2:]
            if value is not None:
                if "$" in value:
                    return None
                queues.extend(part.strip() for part in value.split(",") if part.strip())
                continue
        if token.startswith("-"):
            if "=" not in token and token in spec.value_options:
                skip = True  # `-c $CONCURRENCY`: an option's value
            continue
        if "$" in token or "`" in token:
            return None  # `rq worker $QUEUES`, `celery worker $CELERY_EXTRA_ARGS`: they may name the queues
        if not spec.queue_options and spec.queue_arguments:  # celery's other words are no queues
            queues.append(token)
    return tuple(queues)


def _names_config(rest: list[str], spec: WorkerCommand) -> bool:
    """Whether the command line gives a configuration module (`-c settings`, `--config=x`)."""
    return any(token in spec.config_options or token.split("=", 1)[0] in spec.config_options for token in rest)


def _match(words: list[str], spec: WorkerCommand) -> int | None:
    """Where the command's words end, when they appear in order; only options (and
    their values) may stand between them: `celery -A proj worker`, `rq worker`."""
    for first, word in enumerate(words):
        if word != spec.words[0]:
            continue
        index, wanted = first + 1, 1
        while wanted < len(spec.words) and index < len(words):
            token = words[index]
            if token == spec.words[wanted]:
                wanted += 1
            elif token in spec.value_options:
                index += 1  # skip the option's value
            elif not token.startswith("-"):
                break
            index += 1
        if wanted == len(spec.words):
            return index
    return None


def _static(words: list[str]) -> tuple[str, ...] | None:
    """The words given to a script or module, or None when they are not static ($VARS,
    {{ templates }}) or hold options, whose meaning only the script knows."""
    if any(w.startswith("-") or "$" in w or "`" in w or "{" in w for w in words):
        return None
    return tuple(words)


def parse_worker_command(command: str, specs: list[WorkerCommand], nested: bool = False) -> list[WorkerLine]:
    """Every worker started by one command line (a shell line may start several)."""
    tokens = _tokens(command)
    if tokens is None:
        return []
    found: list[WorkerLine] = []
    for segment, background in _segments(tokens):
        words = [w.rsplit("/", 1)[-1] for w in segment]
        words[0] = _PYTHON_VERSION_SUFFIX.sub("", words[0])
        if words[0] in _TEXT_PROGRAMS:
            continue  # `echo "celery-worker: start the celery worker"`: text, no command
        matched = False
        for spec in specs:
            end = _match(words, spec)
            if (
                end is not None
                and spec.scheduler
                and (not spec.consumes or spec.scheduler_options & set(segment[end:]))
            ):
                found.append(WorkerLine("scheduler", program=" ".join(spec.words), command=spec))
            if end is not None and not spec.consumes:
                matched = True
                break
            if end is not None:
                given = _queue_arguments(segment[end:], spec)
                queues = spec.default_queues if given == () else given
                if given == () and _names_config(segment[end:], spec):
                    queues = None  # `rq worker -c settings`: its QUEUES, if it has some, are not read
                found.append(
                    WorkerLine("queues", queues, None, " ".join(spec.words), given == (), spec, background=background)
                )
                matched = True
                break
        if matched:
            continue
        if "--" in segment[1:] and not nested:
            # `/wait-for-it.sh db:5432 -t 30 -- /entrypoint-worker.sh`: the wrapper waits, then runs
            # the command after `--`, which is the process that stays
            after = segment[segment.index("--", 1) + 1 :]
            handed = parse_worker_command(shlex.join(after), specs, True) if after else []
            if handed:
                found.extend(handed)
                continue
        # a word that is itself a command line, run by the program before it:
        # `watchfiles --filter python 'celery -A app worker -Q a'`, `su app -c '...'`
        inner = (
            []
            if nested
            else [w for word in segment[1:] if " " in word for w in parse_worker_command(word, specs, True)]
        )
        if any(w.kind == "queues" for w in inner):
            found.extend(w for w in inner if w.kind == "queues")
            continue
        if segment[0].startswith("/") and not words[0].startswith(_PYTHONS) and segment[0] not in _SHELLS:
            # `/start-celeryworker`: a program the image holds, maybe a script its Dockerfile copies in
            found.append(WorkerLine("script", None, segment[0], segment[0], arguments=_static(segment[1:])))
            continue
        for start, word in enumerate(words):
            if word.startswith(_PYTHONS):
                rest = segment[start + 1 :]
                while rest and rest[0].startswith("-") and rest[0] != "-m":
                    rest = rest[1:]
                if len(rest) >= 2 and rest[0] == "-m":
                    module, given, program = rest[1], rest[2:], f"python -m {rest[1]}"
                elif rest and rest[0].endswith(".py"):
                    module, given, program = rest[0], rest[1:], f"python {rest[0]}"
                else:
                    break
                found.append(WorkerLine("module", None, module, program, arguments=_static(given)))
                break
            if word.endswith(".sh"):
                found.append(
                    WorkerLine("script", None, segment[start], segment[start], arguments=_static(segment[start + 1 :]))
                )
                break
    return found


@dataclass(frozen=True)
class ProcfileEntry:
    name: str
    command: str
    line: int


def parse_procfile(text: str) -> list[ProcfileEntry]:
    """`name: command` lines (Heroku / honcho / foreman)."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or ":" not in stripped:
            continue
        name, _, command = stripped.partition(":")
        if name.strip() and command.strip():
            entries.append(ProcfileEntry(name.strip(), command.strip(), number))
    return entries
