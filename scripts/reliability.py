"""Peak memory and time of `worker-audit check --no-cache` on hostile inputs
(issue 8: the alias bomb and the 5 MB module must stay under 500 MB).

Each case is generated into its own temporary folder and checked by a fresh
child process; `os.wait4` gives that child's own rusage (peak RSS, including the
processes it waited for), so one case's peak never hides another's. Prints a
Markdown table; exit 1 if a case is over the limit or printed a traceback.

    .venv/bin/python scripts/reliability.py [--limit-mb 500]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LIMIT_MB = 500


def alias_bomb(levels: int = 10, width: int = 10) -> str:
    """ "Billion laughs": `width ** levels` strings once every alias is expanded."""
    lines = ["a: &a [" + ",".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * width) + "]")
    return "\n".join(lines) + "\n"


def kubernetes_alias_bomb(documents: int = 50) -> str:
    """Manifests whose one container is reached through 9**8 alias paths each."""
    out = []
    for number in range(documents):
        lines = ["kind: Deployment", f"metadata: {{name: app{number}}}", "spec:", "  containers: &a"]
        lines += ["  - name: worker", "    command: [rq, worker, emails]"]
        for level in "bcdefghi":
            previous = chr(ord(level) - 1)
            lines.append(f"x-{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
        out.append("\n".join(lines))
    return "\n---\n".join(out) + "\n"


LIBRARY_FUNCTION = '''

def summarize_orders_{n}(orders, currency="EUR", limit={n}):
    """Totals per customer for report {n}."""
    totals = {{}}
    for order in orders[:limit]:
        if order.currency != currency:
            continue
        key = (order.customer_id, order.region)
        totals[key] = totals.get(key, 0) + order.amount * (1 + order.tax_rate)
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    return [{{"customer": c, "region": r, "total": round(t, 2)}} for (c, r), t in ranked]


class Report{n}:
    title = "Quarterly report {n}"

    def __init__(self, rows):
        self.rows = list(rows)

    def render(self):
        return "\\n".join(f"{{row['customer']}}: {{row['total']}}" for row in self.rows)
'''

HANDLER = """

@app.route("/leads/purge", methods=["POST"])
def purge_leads():
    owner_id = request.json["owner_id"]
    Lead.query.filter(Lead.owner_id == owner_id).delete()
    db.session.commit()
    return {"status": "done"}
"""

HEAD = """from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class Lead(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer)
"""


def five_mb_module(size: int = 5 * 1024 * 1024) -> str:
    """A Flask app padded with ordinary functions and classes to `size` bytes,
    its bulk-delete handler at the end. Over the default max-file-bytes (512 KiB), it is one WA001."""
    parts, total, n = [HEAD], len(HEAD) + len(HANDLER), 0
    while total < size:
        chunk = LIBRARY_FUNCTION.format(n=n)
        parts.append(chunk)
        total += len(chunk)
        n += 1
    parts.append(HANDLER)
    return "".join(parts)


def nested_parentheses(depth: int = 1000) -> str:
    return HEAD + HANDLER + "\n\nVALUE = " + "(" * depth + "1" + ")" * depth + "\n"


def deep_expression(depth: int = 1000) -> str:
    """A left-deep chain of 1,000 binary operations inside the handler's module."""
    return HEAD + HANDLER + "\n\nTOTAL = " + " + ".join(["1"] * depth) + "\n"


def nested_calls(depth: int = 1000) -> str:
    return HEAD + HANDLER + "\n\nVALUE = " + "f(" * depth + "1" + ")" * depth + "\n"


CASES: list[tuple[str, str, Callable[[], str]]] = [
    ("alias bomb, compose (10 levels x 10)", "docker-compose.yml", alias_bomb),
    ("alias bomb, 50 Kubernetes documents", "worker.yaml", kubernetes_alias_bomb),
    ("5 MB Flask module, bulk delete handler", "app.py", five_mb_module),
    ("500 KiB Flask module (under the limit: parsed)", "app.py", lambda: five_mb_module(500 * 1024)),
    ("1,000 nested parentheses", "app.py", nested_parentheses),
    ("1,000 nested calls f(f(...))", "app.py", nested_calls),
    ("1,000-term expression 1 + 1 + ...", "app.py", deep_expression),
    ("10,000-level YAML [[[...]]]", "docker-compose.yml", lambda: "x: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    ("10,000-level YAML {a: {a: ...}}", "docker-compose.yml", lambda: "x: " + "{a: " * 10_000 + "1" + "}" * 10_000),
    ("7 MB compose command", "docker-compose.yml", lambda: "services:\n  w:\n    command: " + "a" * 7_000_000 + "\n"),
    (
        "10,000-level TOML array",
        "pyproject.toml",
        lambda: "[tool.worker-audit]\nselect = " + "[" * 10_000 + "]" * 10_000 + "\n",
    ),
]


def run_case(name: str, filename: str, make: Callable[[], str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="worker-audit-reliability-") as folder:
        root = Path(folder)
        content = make()
        (root / filename).write_text(content)
        command = [sys.executable, "-m", "worker_audit", "check", "--no-cache", "."]
        with tempfile.TemporaryFile() as out:
            start = time.perf_counter()
            child = subprocess.Popen(command, cwd=root, stdout=out, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            output = out.read().decode("utf-8", errors="replace")
    lines = [line for line in output.splitlines() if line.strip()]
    return {
        "case": name,
        "size": len(content.encode()),
        "wall": wall,
        "rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "exit": child.returncode,
        "first": lines[0] if lines else "",
        "traceback": "Traceback" in output,
    }


def _size(count: int) -> str:
    if count < 1024 * 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


def table(results: list[dict], limit_mb: int) -> str:
    rows = [
        f"| case | size | wall s | peak RSS MB | exit | first line of output | < {limit_mb} MB |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        first = r["first"] if len(r["first"]) <= 110 else r["first"][:107] + "..."
        ok = r["rss_mb"] < limit_mb and not r["traceback"]
        verdict = "PASS" if ok else ("FAIL (traceback)" if r["traceback"] else "FAIL")
        first = first.replace("|", "\\|")
        rows.append(
            f"| {r['case']} | {_size(r['size'])} | {r['wall']:.2f} | {r['rss_mb']:.0f} | {r['exit']} | "
            f"`{first}` | {verdict} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit-mb", type=int, default=LIMIT_MB)
    args = parser.parse_args()
    results = []
    for name, filename, make in CASES:
        print(f"reliability: {name}...", file=sys.stderr, flush=True)
        results.append(run_case(name, filename, make))
    print(table(results, args.limit_mb))
    failed = [r for r in results if r["rss_mb"] >= args.limit_mb or r["traceback"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
