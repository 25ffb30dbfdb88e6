"""`worker-audit queues`: the queue topology as a table (or JSON): each queue,
where code produces to it, which workers consume it, and its status."""

from __future__ import annotations

import json

from worker_audit.analysis import display_path
from worker_audit.queue_topology import Topology

DYNAMIC = "<dynamic>"
UNKNOWN = "<unknown>"


def topology_rows(topology: Topology) -> list[dict]:
    consumed = topology.consumed()
    scheduled = topology.scheduled()
    task_queues = topology.task_queues()
    queues = sorted(topology.produced() | {q for c in topology.consumers for q in c.queues or ()})
    rows = []
    for queue in queues:
        producers = [p for p in topology.producers if p.queue == queue]
        consumers = sorted(
            (c for c in topology.consumers if queue in (c.queues or ())),
            key=lambda c: (c.overridden, c.kind.startswith("python"), c.path, c.line),
        )
        active = [c for c in consumers if not c.overridden]
        if not producers and (scheduled is None or queue in scheduled):
            status = "listened to; a scheduler the deployment runs may send to it"
        elif not producers and queue in task_queues:
            status = "listened to; tasks are declared on it, none sent from this code"
        elif not producers:
            status = "listened to, never used" if not topology.has_dynamic_producers() else "listened to"
        elif active:
            status = "ok"
        elif consumed is None:
            status = (
                "unknown: a worker's queue list is not static" if topology.active_consumers() else "no worker found"
            )
        else:
            status = "NOT CONSUMED"
        rows.append(_row(queue, producers, consumers, status))
    dynamic = [p for p in topology.producers if p.queue is None]
    if dynamic:
        rows.append(_row(DYNAMIC, dynamic, [], "named at run time: not checked"))
    unknown = [c for c in topology.consumers if c.queues is None]
    if unknown:
        rows.append(_row(UNKNOWN, [], unknown, "a worker whose queue list is not static"))
    return rows


def _row(queue: str, producers: list, consumers: list, status: str) -> dict:
    return {
        "queue": queue,
        "producers": [
            {"path": display_path(p.site_path), "line": p.site_span.line, "function": p.function} for p in producers
        ],
        "consumers": [
            {
                "path": display_path(c.path),
                "line": c.line,
                "worker": c.label
                + (" [overridden]" if c.overridden else "")
                + (f" [{', '.join(c.queues or ())} and more set at run time]" if c.open_ended else "")
                + (" [queues not static]" if c.queues is None else ""),
            }
            for c in consumers
        ],
        "status": status,
    }


def render_topology_json(topology: Topology) -> str:
    return json.dumps(topology_rows(topology), indent=2) + "\n"


def render_topology_table(topology: Topology) -> str:
    rows = topology_rows(topology)
    if not rows:
        return "No queues found.\n"
    table = [("QUEUE", "PRODUCED AT", "CONSUMED BY", "STATUS")]
    for row in rows:
        produced = [f"{p['path']}:{p['line']} {p['function']}" for p in row["producers"]] or ["-"]
        consumed = [f"{c['path']}:{c['line']} {c['worker']}" for c in row["consumers"]] or ["-"]
        for index in range(max(len(produced), len(consumed))):
            table.append(
                (
                    row["queue"] if index == 0 else "",
                    produced[index] if index < len(produced) else "",
                    consumed[index] if index < len(consumed) else "",
                    row["status"] if index == 0 else "",
                )
            )
    widths = [max(len(line[i]) for line in table) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line[:3], widths, strict=True)) + "  " + line[3]
        for line in table
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"
