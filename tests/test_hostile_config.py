"""Hostile configuration (issue 8, item 3): deployment YAML with `!!python/...`
tags, alias bombs, deep nesting, huge or binary content, and pyproject.toml files
that are malformed or of the wrong types. Each is one WA002 (or WA001) finding
with its file and line, or exit 2 with one line; never a traceback, never a
payload run. Memory and time on the big inputs are measured by
scripts/reliability.py, not here."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from worker_audit.cli import main
from worker_audit.deploy_files import DeclaredProcess, cloud_foundry_apps, kubernetes_containers

PAYLOAD = '["touch pwned"]'  # what each tag would run or call: it would create ./pwned

KUBERNETES_HEAD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n"


def check(*args: str):
    """`worker-audit check --no-cache --format json` in the current folder."""
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def findings(*args: str) -> list[tuple[str, str, int, int, str]]:
    result = check(*args)
    assert result.stderr == ""
    return [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(folder, name: str, text: str | bytes) -> None:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())


# ---------------------------------------------------------------- unsafe tags


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        (f"!!python/object/apply:os.system {PAYLOAD}", "!!python/object/apply:os.system"),
        ("!!python/object/new:subprocess.Popen [[touch, pwned]]", "!!python/object/new:subprocess.Popen"),
        ("!!python/object:subprocess.Popen {args: [touch, pwned]}", "!!python/object:subprocess.Popen"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/module:os", "!!python/module:os"),
    ],
)
def test_unsafe_tag_in_compose_is_refused_and_nothing_runs(folder, value, tag):
    write(folder, "docker-compose.yml", f"services:\n  worker:\n    image: app\n    command: {value}\n")
    assert findings() == [("WA002", "docker-compose.yml", 4, 14, f"unsafe tag {tag} refused")]
    assert not (folder / "pwned").exists()


def test_unsafe_tag_in_a_compose_key_is_refused(folder):
    write(folder, "compose.yaml", f"services:\n  ? !!python/object/apply:os.system {PAYLOAD}\n  : {{image: app}}\n")
    assert findings() == [("WA002", "compose.yaml", 2, 5, "unsafe tag !!python/object/apply:os.system refused")]
    assert not (folder / "pwned").exists()


def test_unsafe_tag_in_a_kubernetes_manifest_is_refused(folder):
    write(
        folder,
        "worker.yaml",
        KUBERNETES_HEAD + f"  - name: worker\n    image: app\n    command: !!python/object/apply:os.system {PAYLOAD}\n",
    )
    assert findings() == [("WA002", "worker.yaml", 9, 14, "unsafe tag !!python/object/apply:os.system refused")]
    assert not (folder / "pwned").exists()


def test_unsafe_tag_in_a_later_kubernetes_document_is_refused(folder):
    write(
        folder,
        "worker.yaml",
        KUBERNETES_HEAD
        + "  - name: web\n    image: app\n---\nkind: Pod\nspec:\n  containers: !!python/name:os.system\n",
    )
    assert findings() == [("WA002", "worker.yaml", 12, 15, "unsafe tag !!python/name:os.system refused")]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Procfile", f"worker: !!python/object/apply:os.system {PAYLOAD}\n"),
        ("supervisord.conf", f"[program:worker]\ncommand=!!python/object/apply:os.system {PAYLOAD}\n"),
    ],
)
def test_yaml_tags_in_line_based_process_files_are_plain_text(folder, name, text):
    # Procfiles and supervisord confs are not YAML: the tag is a word of a command
    # line that starts no known worker, so there is nothing to report and nothing runs.
    write(folder, name, text)
    assert findings() == []
    assert not (folder / "pwned").exists()


# ---------------------------------------------------------------- alias bombs


def _sequence_bomb(levels: int, width: int) -> str:
    lines = ["a: &a [" + ",".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_in_compose_is_one_finding(folder):
    write(folder, "docker-compose.yml", _sequence_bomb(10, 10))  # 10**10 strings once expanded
    assert findings() == [
        ("WA002", "docker-compose.yml", 1, 1, "more than 200000 nodes once aliases are expanded (an alias bomb?)")
    ]


def test_merge_key_bomb_in_compose_is_one_finding(folder):
    lines = ["x-a: &a {lol: 1, lol2: 2}"]
    for level in range(1, 10):
        name, previous = f"x-{chr(ord('a') + level)}", chr(ord("a") + level - 1)
        anchors = ", ".join(f"k{i}: *{previous}" for i in range(10))
        lines.append(f"{name}: &{chr(ord('a') + level)} {{<<: [*{previous}, *{previous}], {anchors}}}")
    lines.append("services:\n  worker:\n    <<: *j\n    image: app")
    write(folder, "compose.yaml", "\n".join(lines) + "\n")
    assert findings() == [
        ("WA002", "compose.yaml", 1, 1, "more than 200000 nodes once aliases are expanded (an alias bomb?)")
    ]


def test_alias_bomb_in_a_kubernetes_manifest_reads_each_container_once(folder):
    # the container is reached through 9**8 alias paths; each node is visited once
    lines = ["kind: Deployment", "metadata: {name: app}", "spec:", "  containers: &a"]
    lines += ["  - name: worker", "    image: app", "    command: [rq, worker, emails]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"x-{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    write(folder, "worker.yaml", "\n".join(lines) + "\n")
    command = DeclaredProcess("Deployment `app` container `worker`", "rq worker emails", 7)
    assert kubernetes_containers((folder / "worker.yaml").read_text()) == [command]  # not 9**8 of them
    assert findings() == [
        (
            "WA202",
            "worker.yaml",
            7,
            1,
            "Deployment `app` container `worker` (`rq worker`) listens to queue `emails`, which no code enqueues to",
        )
    ]


# ---------------------------------------------------------------- deep nesting


@pytest.mark.parametrize(
    ("value", "column"),
    [("[" * 10_000 + "]" * 10_000, 103), ("{a: " * 10_000 + "1" + "}" * 10_000, 397)],
    ids=["sequences", "mappings"],
)
def test_ten_thousand_levels_of_yaml_is_a_finding_where_it_gets_too_deep(folder, value, column):
    # PyYAML's composer recurses once per level: it is stopped at level 101, not by a RecursionError
    write(folder, "docker-compose.yml", f"x: {value}\n")
    assert findings() == [("WA002", "docker-compose.yml", 1, column, "nested more than 100 levels deep")]


def test_ten_thousand_block_levels_of_yaml(folder):
    # block style, `- - - ... - x` on one line (indented block mappings would be 47 MiB: over max-file-bytes)
    write(folder, "compose.yaml", "x:\n" + "- " * 10_000 + "x\n")
    assert findings() == [("WA002", "compose.yaml", 2, 199, "nested more than 100 levels deep")]


def test_ten_thousand_levels_of_yaml_in_a_kubernetes_manifest(folder):
    write(folder, "worker.yaml", KUBERNETES_HEAD + "  - name: worker\n    args: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert findings() == [("WA002", "worker.yaml", 8, 107, "nested more than 100 levels deep")]


def test_a_chain_of_aliases_nesting_deeper_than_the_text_is_a_finding(folder):
    # each line nests one level deeper than the last only through its alias: `_plain` would recurse 1,000 deep
    lines = ["x-0: &l0 [end]", *(f"x-{n}: &l{n} [*l{n - 1}]" for n in range(1, 1000))]
    write(folder, "compose.yaml", "\n".join(lines) + "\nservices: {web: {labels: *l999}}\n")
    assert findings() == [("WA002", "compose.yaml", 903, 8, "nested more than 100 levels deep")]


def test_nesting_over_the_limit_is_a_finding_at_the_deepest_node(folder):
    write(folder, "compose.yaml", "services:\n  web:\n    labels: " + "[" * 150 + "]" * 150 + "\n")
    assert findings() == [("WA002", "compose.yaml", 3, 110, "nested more than 100 levels deep")]


def test_a_deeply_nested_key_is_a_finding_not_a_crash(folder):
    # `? [[[...]]] : x` used to be turned into a dict key with repr(): a RecursionError in WA201-WA203
    write(folder, "compose.yaml", "services:\n  web:\n    labels:\n      ? " + "[" * 300 + "]" * 300 + "\n      : x\n")
    assert findings() == [("WA002", "compose.yaml", 4, 105, "nested more than 100 levels deep")]


def test_a_collection_used_as_a_key_is_ignored(folder):
    write(folder, "compose.yaml", "services:\n  ? [a, b]\n  : {image: app}\n  worker:\n    command: rq worker jobs\n")
    assert findings() == [
        (
            "WA202",
            "compose.yaml",
            5,
            14,
            "service `worker` (`rq worker`) listens to queue `jobs`, which no code enqueues to",
        )
    ]


# ---------------------------------------------------------------- huge scalars


def test_compose_file_over_max_file_bytes_is_skipped_with_a_finding(folder):
    write(folder, "docker-compose.yml", "services:\n  web:\n    image: " + "a" * 20_000_000 + "\n")
    assert findings() == [
        ("WA001", "docker-compose.yml", 1, 1, "skipped: 19 MiB is over the 512 KiB limit (max-file-bytes)")
    ]


def test_a_two_megabyte_command_is_no_worker_and_no_hang(folder):
    # shlex splits a long word in quadratic time: 2 MB used to take a minute
    write(folder, "pyproject.toml", "[tool.worker-audit]\nmax-file-bytes = 8388608\n")  # read it, do not skip it
    write(folder, "docker-compose.yml", "services:\n  worker:\n    command: rq worker " + "a" * 2_000_000 + "\n")
    write(folder, "Procfile", "worker: rq worker " + "b" * 2_000_000 + "\n")
    assert findings() == []


def test_a_long_kubernetes_command_is_no_worker(folder):
    write(folder, "worker.yaml", KUBERNETES_HEAD + "  - name: worker\n    command: rq worker " + "a" * 200_000 + "\n")
    assert findings() == []


def test_unterminated_quote_in_a_kubernetes_command_is_no_worker(folder):
    # shlex's ValueError used to escape as a traceback
    write(folder, "worker.yaml", KUBERNETES_HEAD + '  - name: worker\n    command: "sh -c \'rq worker jobs"\n')
    assert findings() == []


# ---------------------------------------------------------------- shapes and bytes


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"- web\n- worker\n", (1, 1, "a compose file must be a mapping (services: ...)")),
        (b"just a string\n", (1, 1, "a compose file must be a mapping (services: ...)")),
        (b"", (1, 1, "empty compose file")),
        (b"# only a comment\n", (1, 1, "empty compose file")),
        (
            b"services: {}\n---\nservices: {}\n",
            (2, 1, "invalid YAML: expected a single document in the stream: but found another document"),
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            (2, 1, "invalid YAML: unacceptable character #x001a: special characters are not allowed"),
        ),
        (
            b"services:\n  web:\n    image: a\x00b\n",
            (3, 13, "invalid YAML: unacceptable character #x0000: special characters are not allowed"),
        ),
    ],
    ids=["list", "scalar", "empty", "comment", "two-documents", "png", "nul"],
)
def test_compose_of_the_wrong_shape_or_bytes(folder, content, expected):
    write(folder, "docker-compose.yml", content)
    assert findings() == [("WA002", "docker-compose.yml", *expected)]


def test_invalid_utf8_in_compose_is_read_with_replacement(folder):
    # a stray Latin-1 byte becomes U+FFFD, which YAML accepts: the file is read, the worker found
    write(folder, "docker-compose.yml", b"services:\n  worker:\n    command: rq worker caf\xe9\n")
    assert findings() == [
        (
            "WA202",
            "docker-compose.yml",
            3,
            14,
            "service `worker` (`rq worker`) listens to queue `caf\ufffd`, which no code enqueues to",
        )
    ]


# ---------------------------------------------------------------- pyproject.toml


def config_error(folder, pyproject: str | bytes) -> str:
    """The one stderr line of a run with this pyproject.toml; exit 2, nothing on stdout."""
    write(folder, "pyproject.toml", pyproject)
    write(folder, "app.py", "x = 1\n")
    result = check()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    return result.stderr.removeprefix("worker-audit: error: ").removesuffix("\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[tool.worker-audit\nselect = []\n", "1:19: invalid TOML: Expected ']' at the end of a table declaration"),
        ('[tool.worker-audit]\nselect = "WA1\n', "2:14: invalid TOML: Illegal character '\\n'"),
        (
            "[tool.worker-audit]\nselect = [] []\n",
            "2:13: invalid TOML: Expected newline or end of document after a statement",
        ),
        ("[tool.worker-audit]\nselect = []\nselect = []\n", "3:12: invalid TOML: Cannot overwrite a value"),
    ],
    ids=["header", "string", "trailing", "duplicate"],
)
def test_malformed_toml_gives_line_and_column(folder, text, expected):
    assert config_error(folder, text) == f"{folder / 'pyproject.toml'}:{expected}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('select = "WA1"', "2:1: [tool.worker-audit] 'select' must be a list of strings"),
        ("exclude = [1, 2]", "2:1: [tool.worker-audit] 'exclude' must be a list of strings"),
        (
            'exclude = ["vendor/", "!"]',
            "2:1: [tool.worker-audit] 'exclude' holds a pattern that is not gitignore-style: '!'"
            " (Invalid git pattern: '!')",
        ),
        (
            'exclude = ["[z-a]"]',
            "2:1: [tool.worker-audit] 'exclude' holds a pattern that is not gitignore-style: '[z-a]'"
            " (bad character range z-a)",
        ),
        ('respect-gitignore = "yes"', "2:1: [tool.worker-audit] 'respect-gitignore' must be true or false"),
        ("preview = 1", "2:1: [tool.worker-audit] 'preview' must be true or false"),
        ("max-file-bytes = -5", "2:1: [tool.worker-audit] 'max-file-bytes' must be a positive integer"),
        ("max-call-depth = 0", "2:1: [tool.worker-audit] 'max-call-depth' must be a positive integer"),
        ("batch-size-min = true", "2:1: [tool.worker-audit] 'batch-size-min' must be a positive integer"),
        ("max-call-depth = 1.5", "2:1: [tool.worker-audit] 'max-call-depth' must be a positive integer"),
        (
            "max-file-bytes = 99999999999999999999999",
            "2:1: [tool.worker-audit] 'max-file-bytes' must be at most 1073741824 (1 GiB)",
        ),
        ('per-file-ignores = ["x"]', "2:1: [tool.worker-audit] 'per-file-ignores' must be a table of glob = [codes]"),
        ('fail-on = "never"', "2:1: [tool.worker-audit] 'fail-on' must be one of error, warning, info"),
        (
            'extra-handler-classes = ["app.RH"]',
            "2:1: [tool.worker-audit] 'extra-handler-classes' must be a table of"
            ' "package.module.Class" = [handler methods]',
        ),
        (
            'extra-handler-classes = {"app RH" = ["_process"]}',
            "2:1: [tool.worker-audit] 'extra-handler-classes': 'app RH' is not a dotted class name"
            " (package.module.Class)",
        ),
        (
            'extra-handler-classes = {"app.RH" = []}',
            "2:1: [tool.worker-audit] 'extra-handler-classes.app.RH' must list the names of the methods"
            " that handle requests",
        ),
        ('cache-dir = ""', "2:1: [tool.worker-audit] 'cache-dir' must be a non-empty string"),
        ("job-model = {a = 1}", "2:1: [tool.worker-audit] 'job-model' must be a non-empty string"),
        ('cancel-states = "cancelled"', "2:1: [tool.worker-audit] 'cancel-states' must be a list of strings"),
        ("batch-size-min = 500", "2:1: [tool.worker-audit] batch-size-min is larger than batch-size-max"),
        ('  "fail-on" = 1', "2:3: [tool.worker-audit] 'fail-on' must be one of error, warning, info"),
    ],
)
def test_wrong_type_or_value_gives_the_line_of_the_key(folder, text, expected):
    assert config_error(folder, f"[tool.worker-audit]\n{text}\n") == f"{folder / 'pyproject.toml'}:{expected}"


def test_wrong_type_in_a_sub_table_gives_the_line_of_its_header(folder):
    text = '[project]\nname = "x"\n\n[tool.worker-audit.per-file-ignores]\n"a.py" = "WA1"\n'
    assert config_error(folder, text) == (
        f"{folder / 'pyproject.toml'}:4:1: [tool.worker-audit] 'per-file-ignores.a.py' must be a list of strings"
    )


def test_unknown_key_gives_its_line(folder):
    message = config_error(folder, '[tool.worker-audit]\nselect = ["WA1"]\nselct = ["WA1"]\n')
    assert message.startswith(f"{folder / 'pyproject.toml'}:3:1: [tool.worker-audit] unknown key 'selct' (known keys: ")


def test_tool_worker_audit_that_is_not_a_table(folder):
    assert config_error(folder, "[tool]\nworker-audit = 3\n") == (
        f"{folder / 'pyproject.toml'}: [tool.worker-audit] must be a table"
    )


@pytest.mark.parametrize(
    "value",
    ["[" * 10_000 + "]" * 10_000, "{a = " * 10_000 + "1" + "}" * 10_000],
    ids=["arrays", "inline-tables"],
)
def test_ten_thousand_levels_of_toml(folder, value):
    assert config_error(folder, f"[tool.worker-audit]\nselect = {value}\n") == (
        f"{folder / 'pyproject.toml'}: invalid TOML: arrays or inline tables nested too deeply"
    )


@pytest.mark.parametrize(
    "content",
    [b'[tool.worker-audit]\nselect = ["caf\xe9"]\n', '[tool.worker-audit]\nselect = ["WA1"]\n'.encode("utf-16")],
    ids=["latin-1", "utf-16"],
)
def test_pyproject_that_is_not_utf8(folder, content):
    assert config_error(folder, content) == f"{folder / 'pyproject.toml'}: not UTF-8 text"


def test_nul_in_pyproject(folder):
    assert config_error(folder, b'[tool.worker-audit]\nselect = ["a\x00"]\n') == (
        f"{folder / 'pyproject.toml'}:2:13: invalid TOML: Illegal character '\\x00'"
    )


# ---------------------------------------------------------------- Cloud Foundry manifests


def test_unsafe_tag_in_a_cloud_foundry_manifest_is_refused(folder):
    write(
        folder,
        "manifest.yml",
        f"applications:\n  - name: worker\n    command: !!python/object/apply:os.system {PAYLOAD}\n",
    )
    assert findings() == [("WA002", "manifest.yml", 3, 14, "unsafe tag !!python/object/apply:os.system refused")]
    assert not (folder / "pwned").exists()


def test_a_yaml_file_that_names_applications_below_its_top_is_no_manifest(folder):
    # not composed at all (a tag it refuses says so): a big file of nested `applications:`
    # keys costs nothing
    write(
        folder,
        "features.yml",
        f"features:\n  applications:\n    - name: worker\n      command: !!python/object/apply:os.system {PAYLOAD}\n",
    )
    assert findings() == []
    assert not (folder / "pwned").exists()


def test_cloud_foundry_apps_and_their_processes_are_declared_processes():
    text = (
        "applications:\n"
        "  - name: shop\n"
        "    command: gunicorn app:app\n"
        "    processes:\n"
        "      - type: worker\n"
        "        command: \"rq worker 'high jobs' low\"\n"
        "      - type: clock\n"
        "  - command: [not, a, string]\n"
        "  - just text\n"
    )
    assert cloud_foundry_apps(text) == [
        DeclaredProcess("Cloud Foundry app `shop`", "gunicorn app:app", 3),
        DeclaredProcess("Cloud Foundry app `shop` process `worker`", "rq worker 'high jobs' low", 6),
        DeclaredProcess("Cloud Foundry app", "not a string", 8),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "applications: {{ apps }}\n",
        "applications: none\n",
        "- applications:\n  - command: rq worker\n",
        "{{ jinja }}: [\n",
    ],
)
def test_what_is_not_a_cloud_foundry_manifest_declares_nothing(text):
    assert cloud_foundry_apps(text) == []


def test_a_cloud_foundry_command_shared_through_a_merge_key_is_read():
    text = (
        "applications:\n"
        "  - name: exporter\n"
        "    <<: &worker\n"
        "      no-route: true\n"
        "      command: rq worker exports\n"
        "  - name: exporter-eu\n"
        "    <<: [*worker]\n"
        "    command: rq worker exports-eu\n"
        "  - name: exporter-us\n"
        "    <<: *worker\n"
    )
    assert cloud_foundry_apps(text) == [
        DeclaredProcess("Cloud Foundry app `exporter`", "rq worker exports", 5),
        DeclaredProcess("Cloud Foundry app `exporter-eu`", "rq worker exports-eu", 8),
        DeclaredProcess("Cloud Foundry app `exporter-us`", "rq worker exports", 5),
    ]
