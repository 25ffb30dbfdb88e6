"""`--jobs N`: the modules known to matter are parsed and extracted in a pool of
processes before the analysis starts; their facts come back pickled.

Only the per-file phase runs in parallel. What crosses modules (names,
helpers that do bulk work, enqueued functions, queues) is resolved afterwards
from the facts, once, in the main process."""

from __future__ import annotations

import os
from collections.abc import Callable

from worker_audit.module_loading import Loaded, collect_less, load_module

# Below this much source, starting processes costs more than it saves.
MIN_PARALLEL_BYTES = 256 * 1024

_worker_knowledge = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _start_worker(slow_calls: list[str], handler_decorators: list[str]) -> None:
    global _worker_knowledge
    from worker_audit.knowledge import load_knowledge

    collect_less()  # a forked worker has it already; a spawned one does not

    _worker_knowledge = load_knowledge().with_extras(slow_calls, handler_decorators)


def _load(item: tuple[str, bytes]) -> tuple[str, Loaded]:
    path, data = item
    return path, load_module(path, data, _worker_knowledge)


def load_in_parallel(
    items: list[tuple[str, bytes]],
    jobs: int,
    slow_calls: list[str],
    handler_decorators: list[str],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Loaded] | None:
    """Each (path, bytes) loaded in `jobs` processes; None when a pool would not pay
    (one job, little source) or cannot start here (then the caller loads them itself)."""
    if jobs < 2 or len(items) < 2 or sum(len(data) for _, data in items) < MIN_PARALLEL_BYTES:
        return None
    import multiprocessing  # here: a run too small for a pool does without them (20 ms)
    from concurrent.futures import ProcessPoolExecutor

    largest_first = sorted(items, key=lambda item: -len(item[1]))  # the big modules do not end up last
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else None)
    if forking:  # the workers inherit libcst and the extraction, imported once (0.2 s), not each
        import worker_audit.extract  # noqa: F401  (and this process reads modules on demand later)
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(items)),
            mp_context=context,
            initializer=_start_worker,
            initargs=(slow_calls, handler_decorators),
        ) as pool:
            loaded = {}
            for done, (path, result) in enumerate(pool.map(_load, largest_first, chunksize=1)):
                loaded[path] = result
                if progress is not None:
                    progress(done, len(items))
            return loaded
    except (OSError, RuntimeError, ImportError):  # no processes here (a sandbox, a frozen build)
        return None
