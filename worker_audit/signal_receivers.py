"""Signal receivers as calls: what runs inside `obj.save()` besides the write.

Django sends `pre_save` / `post_save` around every `save()` and `pre_delete` /
`post_delete` around every `delete()`; each receiver registered for the signal
runs there, in the request. A receiver is registered with `@receiver(signal,
sender=Model)` or `signal.connect(function, sender=Model)`; without a sender it
runs for every model. A project's own signal (`trace_paths = Signal()`) runs its
receivers where the project calls `trace_paths.send(Cable, ...)`.

The registry is read from the modules given to it (those that import the
framework and register receivers); it never imports anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from worker_audit.facts import MODULE_SCOPE, CallFact, ModuleFacts, Ref, argument
from worker_audit.knowledge import Signals
from worker_audit.project import ProjectIndex

SignalKey = tuple[str, str]  # ("", "django.db.models.signals.post_save"), or (path, name) of a project Signal()
Sender = tuple[str, str]  # (path, qualname) of a project class, ("", dotted) of a library class
UNKNOWN_SENDER: Sender = ("?", "?")  # a sender that is named but cannot be resolved: matches no write


@dataclass(frozen=True)
class Receiver:
    path: str
    qualname: str
    signal: SignalKey
    sender: Sender | None  # None: every sender

    @property
    def signal_name(self) -> str:
        return self.signal[1].rsplit(".", 1)[-1]


class SignalRegistry:
    def __init__(self, index: ProjectIndex, signals: Signals, modules: list[ModuleFacts]) -> None:
        self.index = index
        self.signals = signals
        self.receivers: list[Receiver] = []
        self._seen: set[str] = set()
        self.add_modules(modules)

    def add_modules(self, modules: list[ModuleFacts]) -> None:
        for facts in modules:
            if facts.path not in self._seen:
                self._seen.add(facts.path)
                self._add_module(facts)

    def signal_key(self, path: str, ref: Ref | None) -> SignalKey | None:
        """A library signal (`post_save`) by its name; a project's `Signal()` instance by where it is."""
        resolved = self.index.resolve(path, ref)
        if resolved.kind == "external" and "(" not in resolved.dotted:
            return ("", resolved.dotted)
        if resolved.kind == "variable":
            made = self.index.instance_type(resolved)
            if made.kind == "external" and self.signals.signal_classes.matches(made.dotted):
                return (resolved.path, resolved.dotted)
        return None

    def sender_key(self, path: str, ref: Ref | None) -> Sender:
        resolved = self.index.resolve(path, ref)
        if resolved.kind == "project" and not resolved.rest:
            return (resolved.path, resolved.dotted)
        if resolved.kind == "external" and "(" not in resolved.dotted:
            return ("", resolved.dotted)
        return UNKNOWN_SENDER

    def _add_module(self, facts: ModuleFacts) -> None:
        for function in facts.functions.values():
            for decorator in function.decorators:
                made = self.index.resolve(facts.path, decorator.target)
                if (
                    decorator.is_call
                    and made.kind == "external"
                    and self.signals.receiver_decorators.matches(made.dotted)
                ):
                    self._add(facts.path, function.qualname, decorator.args)
        module = facts.functions.get(MODULE_SCOPE)
        for call in module.calls if module is not None else ():
            self._add_connected(facts.path, call)
        for function in facts.functions.values():
            if self._connects_at_start_up(facts.path, function):
                for call in function.calls:
                    self._add_connected(facts.path, call)
                    # and what a method of its class it calls connects (`self.connect_signals()`)
                    method = (
                        self.index.resolve_function(facts.path, call.target) if _on_own_class(call, function) else None
                    )
                    for connected in method[1].calls if method is not None and method[1] is not function else ():
                        self._add_connected(method[0], connected)

    def _connects_at_start_up(self, path: str, function) -> bool:
        """Django's `AppConfig.ready()` of a project app: run once at start-up, so what it
        connects is connected as at module level; so is what a method of the class it calls
        on `self` connects (one method deep)."""
        method, classes = self.signals.connecting_method, self.signals.connecting_classes
        if not method or function.name != method or function.class_name is None:
            return False
        return any(classes.matches(base) for base in self.index.external_bases(path, function.class_name))

    def _add_connected(self, path: str, call: CallFact) -> None:
        """`post_save.connect(handler, sender=Model)` at module level, or in `AppConfig.ready()`
        (a connection made in another function, such as a test's, lasts as long as the
        function wants)."""
        if call.target is None:
            return
        anchor, dotted = call.target
        signal, _, method = dotted.rpartition(".")
        if method not in self.signals.connect_methods or not signal:
            return
        key = self.signal_key(path, (anchor, signal))
        handler = argument(call.args, (0, "receiver"))
        found = self.index.resolve_function(path, handler.ref) if key is not None and handler is not None else None
        if key is not None and found is not None:
            sender = argument(call.args, (None, self.signals.sender_keyword))
            self.receivers.append(
                Receiver(found[0], found[1].qualname, key, self.sender_key(path, sender.ref) if sender else None)
            )

    def _add(self, path: str, qualname: str, args) -> None:
        """`@receiver(post_save, sender=Model)` or `@receiver((post_save, post_delete))`."""
        first = argument(args, (0, "signal"))
        if first is None:
            return
        sender = argument(args, (None, self.signals.sender_keyword))
        sender_key = self.sender_key(path, sender.ref) if sender is not None else None
        for ref in first.refs or (first.ref,):
            key = self.signal_key(path, ref)
            if key is not None:
                self.receivers.append(Receiver(path, qualname, key, sender_key))

    def for_write(self, method: str, sender: Sender | None) -> list[Receiver]:
        """The receivers a model write (`save`, `delete`) of `sender` runs (None: not known)."""
        sent = self.signals.sent_by_writes.get(method)
        if sent is None:
            return []
        return [r for r in self.receivers if r.signal[0] == "" and sent.matches(r.signal[1]) and _hears(r, sender)]

    def for_send(self, signal: SignalKey, sender: Sender | None) -> list[Receiver]:
        """The receivers a project's own signal sent by name (`case_created.send(...)`) runs:
        those of its sender, and those registered for every sender, which the send names."""
        return [r for r in self.receivers if r.signal == signal and (r.sender is None or _hears(r, sender))]


def _hears(receiver: Receiver, sender: Sender | None) -> bool:
    """A receiver registered for the sender. One registered for every sender is the project's
    overhead on every write (a change log, a search index); following it would make every
    write of the project bulk work of every handler, so it is not followed."""
    return receiver.sender is not None and receiver.sender == sender and sender != UNKNOWN_SENDER


def _on_own_class(call: CallFact, function) -> bool:
    """`self.connect_signals()` in a method of the class: a call of a method of it (or of a base)."""
    return call.target is not None and call.target[0] == "@" and call.target[1].startswith(f"{function.class_name}.")
