"""Each place the audited code hands work to a queue, with what the standard asks
of it: the request handlers that reach the enqueue call, and whether the job
loops over work (only then do WA301, WA302 and WA307 ask for a tracking
record, a 202 answer and a timeout)."""

from __future__ import annotations

from dataclasses import dataclass

from worker_audit.analysis import Analysis, display_path
from worker_audit.facts import CallFact
from worker_audit.queue_topology import Producer


@dataclass(frozen=True)
class EnqueueSite:
    producer: Producer
    handlers: tuple[tuple[str, str], ...]  # (display path, qualname) of each request handler reaching the call
    long_work: bool  # the enqueued function loops over work

    @property
    def path(self) -> str:
        """Display path of the enqueue call (or the `@job` decorator)."""
        return display_path(self.producer.site_path)

    @property
    def line(self) -> int:
        return self.producer.site_span.line


def enqueue_sites(analysis: Analysis) -> tuple[EnqueueSite, ...]:
    """Every producer in the reported files, in source order."""
    reaching: dict[tuple, set[tuple[str, str]]] = {}
    for handler in analysis.handlers:
        for reached in analysis.reached(handler):
            if reached.effect.kind == "enqueue":
                key = (reached.effect.path, reached.effect.call.span)
                reaching.setdefault(key, set()).add((analysis.display(handler.path), handler.qualname))
    sites = [
        EnqueueSite(
            producer,
            tuple(sorted(reaching.get((producer.site_path, producer.site_span), ()))),
            analysis.is_long_work(producer.job, _enqueue_call(producer)),
        )
        for producer in analysis.topology.producers
        if producer.site_path in analysis.reported
    ]
    return tuple(sorted(sites, key=lambda s: (s.path, s.producer.site_span, s.producer.function, s.producer.how)))


def _enqueue_call(producer: Producer) -> tuple[str, CallFact] | None:
    """The call whose arguments the job gets: not a helper's, given the job (`via`)."""
    return (producer.site_path, producer.call) if producer.call is not None and producer.via is None else None
