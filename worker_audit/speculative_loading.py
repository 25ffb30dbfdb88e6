"""Modules a run may read later, loaded ahead in a process of their own.

After the modules known to matter are loaded in parallel (parallel_loading.py), the
analysis runs in one process and reads other modules as it meets them: the models
whose keys a write names, the helpers a handler calls. Those reads take about half of
that phase on netbox, while the other core waits. So a forked process loads the
modules the analysis is likely to ask for, in order, and the run takes a module from it
when it is there (or being loaded), and loads it itself otherwise.

What the run sees does not change: a module is taken from here only where the run
would load it whole anyway, and its facts are those `load_module` gives in the run's
own process. An item the run asks for first is claimed by the run and skipped here.
"""

from __future__ import annotations

import pickle
import threading

from worker_audit.module_loading import Loaded, collect_less, load_module

_FREE, _HERS, _OURS = 0, 1, 2  # who loads an item: nobody yet, the speculating process, the run
_LOCK_WAIT = 5.0  # seconds; the claims' lock is held for a read and a write, never longer


class SpeculativeLoader:
    """Loads `items` ((path, bytes), most likely first) in a forked process until `stop()`."""

    def __init__(self, items: list[tuple[str, bytes]], knowledge) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._items = items
        self._index = {path: n for n, (path, _) in enumerate(items)}
        self._claims = context.Array("b", len(items))  # _FREE, _HERS or _OURS, under its lock
        self._results: dict[int, bytes] = {}
        self._arrived = threading.Condition()
        self._ended = False
        self._receiving, sending = context.Pipe(duplex=False)
        # the process first: forked while this one has a single thread (Python 3.12 warns of a
        # fork with threads running)
        self._process = context.Process(target=_load_ahead, args=(items, knowledge, self._claims, sending), daemon=True)
        try:
            self._process.start()
        finally:
            sending.close()  # (the process has its own copy)
        self._receiver = threading.Thread(target=self._receive, daemon=True)
        try:
            self._receiver.start()
        except BaseException:  # no thread to read the pipe: no process left behind either
            self._process.kill()
            self._process.join()
            self._receiving.close()
            raise

    def _receive(self) -> None:
        try:
            while True:
                data = self._receiving.recv_bytes()
                index = int.from_bytes(data[:4], "little")
                with self._arrived:
                    self._results[index] = data[4:]
                    self._arrived.notify_all()
        except (EOFError, OSError):
            pass
        with self._arrived:
            self._ended = True
            self._arrived.notify_all()

    def take(self, path: str, data: bytes) -> Loaded | None:
        """The module's load from the speculating process: waited for when it is loading it;
        None when it has not started it (it will not now), cannot give it, or read other bytes."""
        index = self._index.get(path)
        if index is None or self._items[index][1] != data:
            return None
        lock = self._claims.get_lock()
        if not lock.acquire(timeout=_LOCK_WAIT):  # the process died holding it: load it here
            return None
        try:
            claim = self._claims[index]
            self._claims[index] = _OURS  # given once: a second ask loads it in the run
        finally:
            lock.release()
        if claim != _HERS:
            return None
        with self._arrived:
            while index not in self._results and not self._ended:
                self._arrived.wait()
            payload = self._results.pop(index, None)
        return pickle.loads(payload) if payload else None  # (empty: it could not send the load)

    def stop(self) -> None:
        self._process.kill()
        self._process.join()
        self._receiver.join()  # the pipe's end closed with the process
        self._receiving.close()


def _load_ahead(items, knowledge, claims, sending) -> None:
    collect_less()
    for index, (path, data) in enumerate(items):
        with claims.get_lock():
            if claims[index] != _FREE:
                continue
            claims[index] = _HERS
        try:
            payload = pickle.dumps(load_module(path, data, knowledge), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # (`load_module` keeps its own errors) unpicklable: the run loads it itself
            payload = b""
        sending.send_bytes(index.to_bytes(4, "little") + payload)
    sending.close()
