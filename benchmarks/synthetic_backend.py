"""A synthetic Flask + SQLAlchemy + RQ backend for benchmarking worker-audit.

    python benchmarks/synthetic_backend.py DEST [--scale 1] [--seed 7]

At scale 1 the tree holds 400 Python files (20 per entity), about 100k lines:

- `storefront/api/<plural>.py`: one blueprint of request handlers per entity,
  exactly 5% of the files. Each has list / get / update / delete-one handlers,
  and by the entity's place in `HANDLER_KINDS` one more: an inline bulk delete
  (WA101), a `threading.Thread(...).start()` (WA102), a bulk delete in the
  service it calls (WA101, one module away), an RQ enqueue with `job_timeout`,
  or nothing;
- `storefront/models/<entity>.py` (SQLAlchemy classes), `storefront/services/`
  (what handlers call across modules) and `storefront/jobs/` (RQ jobs);
- `storefront/lib/<area>/<module>.py`: library-like modules, most of the files,
  150-400 lines each of classes, functions, loops and string handling, some
  calling into each other;
- `docker-compose.yml` with a worker running `rq worker default`.

The same scale and seed always give byte-identical files. Only the standard
library is used.
"""

from __future__ import annotations

import argparse
import math
import random
from dataclasses import dataclass
from pathlib import Path
from string import Template

PACKAGE = "storefront"
FILES_PER_ENTITY = 20
ENTITIES_AT_SCALE_1 = 20
MODULES_PER_AREA = 13  # lib modules plus the area's __init__.py

# What the extra handler of each entity does, by the entity's index (cycled).
HANDLER_KINDS = (
    "bulk_delete",
    "enqueue",
    "crud",
    "thread",
    "service_bulk_delete",
    "enqueue",
    "crud",
    "crud",
)
# The finding worker-audit must report on the handler module of each kind.
EXPECTED_CODE = {"bulk_delete": "WA101", "thread": "WA102", "service_bulk_delete": "WA101"}

ENTITY_NOUNS = (
    "order", "invoice", "customer", "product", "shipment", "coupon", "review", "supplier",
    "warehouse", "payment", "refund", "subscription", "ticket", "campaign", "category", "cart",
    "voucher", "payout", "banner", "vendor", "listing", "booking", "courier", "return",
)  # fmt: skip
ENTITY_QUALIFIERS = ("partner", "archived", "bulk", "regional", "legacy", "draft", "wholesale", "gift")
AREA_NAMES = (
    "text", "money", "dates", "geo", "catalog", "pricing", "search", "notify", "billing", "reporting",
    "auth", "storage", "imports", "exports", "metrics", "rules", "i18n", "media", "shipping", "support",
)  # fmt: skip
TOPICS = (
    "ledger", "tariff", "locale", "webhook", "token", "badge", "quota", "metric", "basket", "parcel",
    "route", "schedule", "profile", "currency", "discount", "stock", "rating", "segment", "cohort",
    "feed", "slot", "batch", "margin", "bundle", "carrier", "region", "label", "rebate", "channel",
    "counter", "digest", "envelope", "fee", "grade", "hold", "journal", "kit", "lane", "manifest",
)  # fmt: skip
SUFFIXES = ("parsing", "formatting", "rules", "registry", "policy", "index", "codec", "window", "planner", "tables")
LABEL_WORDS = (
    "new", "open", "paid", "late", "void", "held", "sent", "lost", "done", "draft", "queued", "failed",
    "partial", "refunded", "expired", "blocked", "review", "archived",
)  # fmt: skip
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "PLN")


@dataclass(frozen=True)
class SyntheticBackend:
    """What was generated: relative POSIX paths, and what worker-audit must find."""

    root: Path
    python_files: tuple[str, ...]
    entities: tuple[str, ...]
    handler_modules: tuple[str, ...]  # one per entity, in the same order
    expected_findings: tuple[tuple[str, str], ...]  # (code, relative path), sorted

    def pre_commit_files(self) -> list[str]:
        """Five files a commit might touch: a handler module, its model and service, two library modules."""
        handler, entity = self.handler_modules[0], self.entities[0]
        libs = [path for path in self.python_files if "/lib/" in path and not path.endswith("__init__.py")]
        return [handler, f"{PACKAGE}/models/{entity}.py", f"{PACKAGE}/services/{entity}_service.py", libs[0], libs[-1]]


def entity_count(scale: float) -> int:
    return max(1, round(ENTITIES_AT_SCALE_1 * scale))


def entity_names(count: int) -> list[str]:
    names = list(ENTITY_NOUNS)
    for qualifier in ENTITY_QUALIFIERS:
        names.extend(f"{qualifier}_{noun}" for noun in ENTITY_NOUNS)
    if count > len(names):
        raise ValueError(f"at most {len(names)} entities (scale {len(names) / ENTITIES_AT_SCALE_1:g})")
    return names[:count]


def plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


# ---------------------------------------------------------------------------
# Library modules: each is a handful of blocks, chosen and named per module.
# A block is a string.Template over $t (topic), $T (Topic), $TU (TOPIC) and a
# few numbers; `$$` is a literal dollar sign.


@dataclass(frozen=True)
class Block:
    name: str
    imports: tuple[str, ...]
    template: str
    exports: tuple[str, ...] = ()  # functions of signature (str) -> str, for other modules to call


BLOCKS = (
    Block(
        "record",
        ("from dataclasses import dataclass",),
        r'''
@dataclass(frozen=True)
class ${T}Record:
    """One $t row as it arrives from a partner feed."""

    key: str
    label: str
    weight: int = 0
    tags: tuple[str, ...] = ()

    @classmethod
    def from_line(cls, line: str, separator: str = "|") -> ${T}Record:
        parts = [part.strip() for part in line.split(separator)]
        if len(parts) < 2:
            raise ValueError(f"expected at least 2 fields in {line!r}")
        key, label = parts[0].lower(), parts[1]
        weight = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
        tags = tuple(tag for tag in parts[3:] if tag)
        return cls(key=key, label=label, weight=weight, tags=tags)

    def to_line(self, separator: str = "|") -> str:
        fields = [self.key, self.label, str(self.weight), *self.tags]
        return separator.join(fields)

    def heavier_than(self, other: ${T}Record) -> bool:
        return (self.weight, self.key) > (other.weight, other.key)


def parse_${t}_records(text: str) -> list[${T}Record]:
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            records.append(${T}Record.from_line(line))
        except ValueError as error:
            raise ValueError(f"line {number}: {error}") from None
    records.sort(key=lambda record: (-record.weight, record.key))
    return records
''',
    ),
    Block(
        "labels",
        ("import re",),
        r'''
_${TU}_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize_${t}_label(value: str, max_length: int = $n2) -> str:
    """Title-case a free-text $t label, keep acronyms, cut it at `max_length`."""
    cleaned = _${TU}_SEPARATORS.sub(" ", value).strip()
    words = []
    for word in cleaned.split(" "):
        if word.isupper() and len(word) > 1:
            words.append(word)
        else:
            words.append(word.capitalize())
    label = " ".join(words)
    if len(label) > max_length:
        label = label[: max_length - 3].rstrip() + "..."
    return label


def ${t}_slug(value: str) -> str:
    chars = []
    previous_dash = False
    for char in value.lower():
        if char.isalnum():
            chars.append(char)
            previous_dash = False
        elif not previous_dash:
            chars.append("-")
            previous_dash = True
    return "".join(chars).strip("-")
''',
        exports=("normalize_${t}_label", "${t}_slug"),
    ),
    Block(
        "window",
        ("import time", "from collections import deque"),
        r'''
class ${T}Window:
    """Counts $t events in a sliding window of `size` seconds."""

    def __init__(self, size: float = $n1.0, limit: int = $n3) -> None:
        self.size = size
        self.limit = limit
        self._events: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self._events and now - self._events[0] > self.size:
            self._events.popleft()

    def record(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        self._trim(now)
        if len(self._events) >= self.limit:
            return False
        self._events.append(now)
        return True

    @property
    def remaining(self) -> int:
        self._trim(time.monotonic())
        return max(0, self.limit - len(self._events))

    def __len__(self) -> int:
        return len(self._events)

    def __repr__(self) -> str:
        return f"${T}Window(size={self.size}, limit={self.limit}, used={len(self._events)})"
''',
    ),
    Block(
        "options",
        (),
        r'''
def parse_${t}_options(text: str) -> dict[str, str | int | bool]:
    """Read `key=value; flag; other=3` into a dict of typed values."""
    options: dict[str, str | int | bool] = {}
    for raw in text.split(";"):
        if "=" not in raw:
            if raw.strip():
                options[raw.strip().lower()] = True
            continue
        key, _, value = raw.partition("=")
        key = key.strip().lower().replace("-", "_")
        value = value.strip().strip('"')
        if value.lower() in ("true", "yes", "on"):
            options[key] = True
        elif value.lower() in ("false", "no", "off"):
            options[key] = False
        elif value.lstrip("-").isdigit():
            options[key] = int(value)
        else:
            options[key] = value
    return options


def format_${t}_options(options: dict[str, str | int | bool]) -> str:
    parts = []
    for key in sorted(options):
        value = options[key]
        if value is True:
            parts.append(key)
        elif value is False:
            parts.append(f"{key}=off")
        else:
            parts.append(f"{key}={value}")
    return "; ".join(parts)
''',
    ),
    Block(
        "states",
        ("from enum import Enum",),
        r'''
class ${T}State(str, Enum):
    DRAFT = "draft"
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


_${TU}_TRANSITIONS = {
    ${T}State.DRAFT: (${T}State.PENDING, ${T}State.CLOSED),
    ${T}State.PENDING: (${T}State.ACTIVE, ${T}State.DRAFT, ${T}State.CLOSED),
    ${T}State.ACTIVE: (${T}State.SUSPENDED, ${T}State.CLOSED),
    ${T}State.SUSPENDED: (${T}State.ACTIVE, ${T}State.CLOSED),
}


class ${T}TransitionError(Exception):
    """A $t cannot move to the state asked for."""


def advance_${t}(current: ${T}State, target: ${T}State) -> ${T}State:
    allowed = _${TU}_TRANSITIONS.get(current, ())
    if target not in allowed:
        names = ", ".join(state.value for state in allowed) or "nothing"
        raise ${T}TransitionError(f"{current.value} -> {target.value} is not allowed (allowed: {names})")
    return target


def is_valid_${t}_path(states: list[${T}State]) -> bool:
    return all(after in _${TU}_TRANSITIONS.get(before, ()) for before, after in zip(states, states[1:]))
''',
    ),
    Block(
        "cache",
        ("from collections import OrderedDict",),
        r'''
class ${T}Cache:
    """A small least-recently-used cache of $t lookups."""

    def __init__(self, capacity: int = $n3) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, object] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, default: object = None) -> object:
        if key in self._items:
            self._items.move_to_end(key)
            self.hits += 1
            return self._items[key]
        self.misses += 1
        return default

    def put(self, key: str, value: object) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def hit_ratio(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def __contains__(self, key: object) -> bool:
        return key in self._items
''',
    ),
    Block(
        "locked_cache",
        ("import threading",),
        r'''
class Shared${T}Table:
    """A $t table shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, list[str]] = {}

    def add(self, key: str, value: str) -> int:
        with self._lock:
            rows = self._rows.setdefault(key, [])
            rows.append(value)
            return len(rows)

    def pop_all(self, key: str) -> list[str]:
        with self._lock:
            return self._rows.pop(key, [])

    def keys(self) -> list[str]:
        with self._lock:
            return sorted(self._rows)
''',
    ),
    Block(
        "pages",
        ("from dataclasses import dataclass",),
        r"""
@dataclass
class ${T}Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def as_dict(self) -> dict:
        return {"items": self.items, "page": self.page, "pages": self.pages, "total": self.total}


def paginate_${t}(items: list, page: int = 1, per_page: int = $n2) -> ${T}Page:
    per_page = max(1, min(per_page, $n4))
    page = max(1, page)
    start = (page - 1) * per_page
    return ${T}Page(items=items[start : start + per_page], page=page, per_page=per_page, total=len(items))
""",
    ),
    Block(
        "money",
        ("from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal",),
        r'''
_${TU}_CENT = Decimal("0.01")


def format_${t}_amount(value: str | int | float | Decimal, currency: str = "$currency") -> str:
    amount = Decimal(str(value)).quantize(_${TU}_CENT, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{','.join(groups)}.{cents} {currency}"


def split_${t}_amount(total: Decimal, parts: int) -> list[Decimal]:
    """Split `total` in `parts` shares that differ by at most one cent."""
    if parts <= 0:
        raise ValueError("parts must be positive")
    share = (total / parts).quantize(_${TU}_CENT, rounding=ROUND_DOWN)
    shares = [share] * parts
    remainder = total - share * parts
    index = 0
    while remainder > 0:
        shares[index % parts] += _${TU}_CENT
        remainder -= _${TU}_CENT
        index += 1
    return shares
''',
    ),
    Block(
        "dates",
        ("from collections.abc import Iterator", "from datetime import date, timedelta"),
        r"""
def ${t}_days(start: date, end: date, step: int = 1) -> Iterator[date]:
    if step <= 0:
        raise ValueError("step must be positive")
    current = start
    while current <= end:
        yield current
        current += timedelta(days=step)


def count_${t}_business_days(start: date, end: date, holidays: frozenset[date] = frozenset()) -> int:
    count = 0
    for day in ${t}_days(start, end):
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count


def ${t}_period_label(day: date) -> str:
    quarter = (day.month - 1) // 3 + 1
    return f"{day.year}-Q{quarter} week {day.isocalendar()[1]:02d}"
""",
    ),
    Block(
        "csv",
        ("import csv", "import io"),
        r"""
${TU}_COLUMNS = ("id", "name", "status", "created", "amount")


def ${t}_rows_to_csv(rows: list[dict], columns: tuple[str, ...] = ${TU}_COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_${t}_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _${t}_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.${n5}f}"
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    return str(value).replace("\n", " ").strip()


def read_${t}_csv(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    return [{key: (value or "").strip() for key, value in row.items()} for row in reader]
""",
    ),
    Block(
        "retry",
        ("import time", "from collections.abc import Callable", "from dataclasses import dataclass"),
        r"""
@dataclass
class ${T}RetryPolicy:
    attempts: int = $n1
    base_delay: float = 0.$n3
    max_delay: float = $n2.0

    def delays(self) -> list[float]:
        delays = []
        delay = self.base_delay
        for _ in range(self.attempts - 1):
            delays.append(min(delay, self.max_delay))
            delay *= 2
        return delays

    def call(self, function: Callable[[], object], sleep: Callable[[float], None] = time.sleep) -> object:
        last_error: Exception | None = None
        for delay in [*self.delays(), None]:
            try:
                return function()
            except (ConnectionError, TimeoutError) as error:
                last_error = error
                if delay is None:
                    break
                sleep(delay)
        assert last_error is not None
        raise last_error
""",
    ),
    Block(
        "validate",
        ("import re",),
        r'''
_${TU}_CODE = re.compile(r"^[A-Z]{2,4}-\d{$n1,$n2}$$")


def validate_${t}(payload: dict) -> list[str]:
    """Every problem with a $t payload, as one sentence each."""
    errors = []
    code = str(payload.get("code", "")).strip().upper()
    if not code:
        errors.append("code is required")
    elif not _${TU}_CODE.match(code):
        errors.append(f"code {code!r} does not look like XX-0000")
    name = (payload.get("name") or "").strip()
    if len(name) < 2:
        errors.append("name is too short")
    elif len(name) > $n4:
        errors.append("name is too long")
    quantity = payload.get("quantity", 0)
    if not isinstance(quantity, int) or quantity < 0:
        errors.append("quantity must be a non-negative integer")
    for index, tag in enumerate(payload.get("tags") or []):
        if not isinstance(tag, str) or not tag.strip():
            errors.append(f"tags[{index}] must be a non-empty string")
    return errors
''',
    ),
    Block(
        "graph",
        ("from collections import deque",),
        r"""
def ${t}_reachable(edges: dict[str, list[str]], start: str) -> list[str]:
    seen = {start}
    order = []
    pending = deque([start])
    while pending:
        node = pending.popleft()
        order.append(node)
        for neighbour in sorted(edges.get(node, ())):
            if neighbour not in seen:
                seen.add(neighbour)
                pending.append(neighbour)
    return order


def ${t}_topological_order(edges: dict[str, list[str]]) -> list[str]:
    incoming = {node: 0 for node in edges}
    for targets in edges.values():
        for target in targets:
            incoming[target] = incoming.get(target, 0) + 1
    ready = sorted(node for node, count in incoming.items() if count == 0)
    order = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for target in sorted(edges.get(node, ())):
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
        ready.sort()
    if len(order) != len(incoming):
        raise ValueError("the $t graph has a cycle")
    return order
""",
    ),
    Block(
        "stats",
        (),
        r"""
def summarize_${t}(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0, "mean": 0.0, "median": 0.0, "p95": 0.0}
    ordered = sorted(values)
    count = len(ordered)
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    p95 = ordered[min(count - 1, int(count * 0.95))]
    return {"count": count, "mean": sum(ordered) / count, "median": median, "p95": p95}


def ${t}_histogram(values: list[float], buckets: int = $n1) -> list[int]:
    if not values or buckets <= 0:
        return []
    low, high = min(values), max(values)
    width = (high - low) / buckets or 1.0
    counts = [0] * buckets
    for value in values:
        index = min(buckets - 1, int((value - low) / width))
        counts[index] += 1
    return counts
""",
    ),
    Block(
        "template",
        ("import logging", "from string import Template"),
        r"""
_${t}_log = logging.getLogger(__name__ + ".${t}")

${TU}_MESSAGES = {
    "created": Template("Your $$kind $$name was created."),
    "updated": Template("Your $$kind $$name changed: $$fields."),
    "closed": Template("Your $$kind $$name was closed on $$day."),
}


def render_${t}_message(event: str, **values: str) -> str:
    template = ${TU}_MESSAGES.get(event)
    if template is None:
        _${t}_log.warning("no $t message for %s", event)
        return ""
    try:
        return template.substitute(values)
    except KeyError as missing:
        _${t}_log.warning("$t message %s lacks %s", event, missing)
        return template.safe_substitute(values)


def ${t}_changed_fields(before: dict, after: dict) -> str:
    changed = [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
    if len(changed) > 3:
        return ", ".join(changed[:3]) + f" and {len(changed) - 3} more"
    return ", ".join(changed) or "nothing"
""",
    ),
)
BLOCK_BY_NAME = {block.name: block for block in BLOCKS}


def _label_table(topic: str, rng: random.Random) -> str:
    words = rng.sample(LABEL_WORDS, rng.randint(6, 12))
    rows = "\n".join(f'    "{word}": "{word.capitalize()}",' for word in words)
    upper = topic.upper()
    return f"""
{upper}_LABELS = {{
{rows}
}}


def {topic}_label(code: str) -> str:
    return {upper}_LABELS.get(code.lower(), code.replace("_", " ").title())
"""


def _calls_into(topic: str, imported: str) -> str:
    return f'''
def describe_{topic}(raw: str, extra: str = "") -> str:
    """A one-line description of a {topic}, reusing the shared label rules."""
    label = {imported}(raw)
    if extra:
        label = f"{{label}} ({{extra.strip()}})"
    return f"{topic}: {{label}}"
'''


@dataclass(frozen=True)
class LibModule:
    path: str  # relative, POSIX
    dotted: str
    topic: str
    blocks: tuple[str, ...]

    def exports(self) -> list[str]:
        names = []
        for name in self.blocks:
            names.extend(Template(e).substitute(t=self.topic) for e in BLOCK_BY_NAME[name].exports)
        return names


def plan_lib_modules(count: int, areas: int, rng: random.Random) -> list[LibModule]:
    """`count` modules spread over `areas` packages, named uniquely."""
    modules = []
    used: set[str] = set()
    block_names = [block.name for block in BLOCKS if block.name != "locked_cache"]
    for index in range(count):
        area_index = index % areas
        area = AREA_NAMES[area_index % len(AREA_NAMES)]
        if area_index >= len(AREA_NAMES):
            area = f"{area}_{area_index // len(AREA_NAMES) + 1}"
        while True:
            topic = rng.choice(TOPICS)
            name = f"{topic}_{rng.choice(SUFFIXES)}"
            if (area, name) not in used:
                used.add((area, name))
                break
        blocks = rng.sample(block_names, rng.randint(6, 10))
        if rng.random() < 0.15:
            blocks.append("locked_cache")
        path = f"{PACKAGE}/lib/{area}/{name}.py"
        modules.append(LibModule(path, path[:-3].replace("/", "."), topic, tuple(blocks)))
    return modules


def render_lib_module(module: LibModule, earlier: list[LibModule], rng: random.Random) -> str:
    numbers = {f"n{i}": str(rng.randint(2, 9) * (10 if i in (2, 4) else 1)) for i in range(1, 6)}
    values = {"t": module.topic, "T": camel(module.topic), "TU": module.topic.upper(), **numbers}
    values["currency"] = rng.choice(CURRENCIES)
    imports = {"from __future__ import annotations"}
    parts = []
    for name in module.blocks:
        block = BLOCK_BY_NAME[name]
        imports.update(block.imports)
        parts.append(Template(block.template).substitute(values))
    if rng.random() < 0.6:
        parts.append(_label_table(module.topic, rng))
    providers = [m for m in earlier if m.exports() and m.topic != module.topic]
    if providers and rng.random() < 0.5:
        provider = rng.choice(providers[-60:])
        function = rng.choice(provider.exports())
        imports.add(f"from {provider.dotted} import {function}")
        parts.append(_calls_into(module.topic, function))
    title = module.path.rsplit("/", 1)[1][:-3].replace("_", " ")
    header = f'"""{title.capitalize()}: the {module.topic} helpers shared by the storefront services."""\n\n'
    return header + _import_lines(imports) + "\n" + "\n".join(parts).rstrip() + "\n"


def _import_lines(imports: set[str]) -> str:
    future = sorted(line for line in imports if line.startswith("from __future__"))
    project = sorted(line for line in imports if f" {PACKAGE}" in line)
    stdlib = sorted(set(imports) - set(future) - set(project), key=lambda line: (line.startswith("from"), line))
    groups = [group for group in (future, stdlib, project) if group]
    return "\n\n".join("\n".join(group) for group in groups) + "\n\n"


# ---------------------------------------------------------------------------
# The application: models, services, jobs and handlers of one entity.


def _entity_values(entity: str, label_function: tuple[str, str]) -> dict[str, str]:
    return {
        "e": entity,
        "E": camel(entity),
        "es": plural(entity),
        "label_module": label_function[0],
        "label_function": label_function[1],
    }


MODEL_MODULE = Template('''"""The $es tables."""

from __future__ import annotations

from datetime import datetime

from storefront.extensions import db


class $E(db.Model):
    __tablename__ = "$es"

    id = db.Column(db.Integer, primary_key=True)
    account_id = db.Column(db.Integer, nullable=False, index=True)
    name = db.Column(db.String(255), nullable=False)
    status = db.Column(db.String(32), nullable=False, default="active")
    total_cents = db.Column(db.Integer, nullable=False, default=0)
    notes = db.Column(db.Text)
    created_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)

    events = db.relationship("${E}Event", backref="$e", lazy="dynamic")

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "account_id": self.account_id,
            "name": self.name,
            "status": self.status,
            "total_cents": self.total_cents,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }

    def __repr__(self) -> str:
        return f"<$E {self.id} {self.name!r}>"


class ${E}Event(db.Model):
    __tablename__ = "${e}_events"

    id = db.Column(db.Integer, primary_key=True)
    ${e}_id = db.Column(db.Integer, db.ForeignKey("${es}.id"), nullable=False, index=True)
    kind = db.Column(db.String(64), nullable=False)
    payload = db.Column(db.JSON)
    created_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "payload": self.payload or {},
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }
''')

SERVICE_MODULE = Template('''"""Business logic for $es: summaries, totals, exports and clean-up."""

from __future__ import annotations

import logging

from storefront.extensions import db
from $label_module import $label_function
from storefront.models.$e import $E, ${E}Event

logger = logging.getLogger(__name__)

RECENT_EVENTS = 20


def ${e}_summary(${e}_id: int) -> dict:
    record = $E.query.get(${e}_id)
    if record is None:
        return {}
    events = record.events.order_by(${E}Event.created_at.desc()).limit(RECENT_EVENTS).all()
    summary = record.to_dict()
    summary["label"] = $label_function(record.name)
    summary["recent"] = [event.to_dict() for event in events]
    return summary


def recalculate_${e}_total(${e}_id: int) -> int:
    total = 0
    for event in ${E}Event.query.filter_by(${e}_id=${e}_id).all():
        total += int((event.payload or {}).get("amount_cents", 0))
    record = $E.query.get(${e}_id)
    if record is not None:
        record.total_cents = total
        db.session.commit()
    return total


def export_${e}_history(${e}_id: int) -> str:
    lines = ["created_at,kind,amount_cents"]
    events = ${E}Event.query.filter_by(${e}_id=${e}_id).order_by(${E}Event.created_at)
    for event in events:
        amount = (event.payload or {}).get("amount_cents", 0)
        lines.append(f"{event.created_at.isoformat()},{event.kind},{amount}")
    logger.info("exported %d events of $e %s", len(lines) - 1, ${e}_id)
    return "\\n".join(lines)


def purge_${es}(ids: list[int]) -> int:
    ${E}Event.query.filter(${E}Event.${e}_id.in_(ids)).delete(synchronize_session=False)
    deleted = $E.query.filter($E.id.in_(ids)).delete(synchronize_session=False)
    db.session.commit()
    logger.info("purged %d $es", deleted)
    return deleted
''')

JOB_MODULE = Template('''"""RQ jobs for $es."""

from __future__ import annotations

import logging

from storefront.models.$e import $E
from storefront.services.${e}_service import purge_${es}, recalculate_${e}_total

logger = logging.getLogger(__name__)

BATCH_SIZE = 100


def rebuild_${e}_totals(account_id: int) -> int:
    rebuilt = 0
    for record in $E.query.filter_by(account_id=account_id).yield_per(BATCH_SIZE):
        recalculate_${e}_total(record.id)
        rebuilt += 1
    logger.info("rebuilt the totals of %d $es for account %s", rebuilt, account_id)
    return rebuilt


def purge_${es}_job(ids: list[int]) -> int:
    deleted = 0
    for start in range(0, len(ids), BATCH_SIZE):
        deleted += purge_${es}(ids[start : start + BATCH_SIZE])
    return deleted
''')

HANDLER_HEAD = Template('''"""HTTP API for $es."""

from __future__ import annotations

import logging
$extra_stdlib
from flask import Blueprint, abort, jsonify, request
$extra_third_party
from storefront.api.request_args import page_args, parse_id_list, require_account_id
from storefront.extensions import db$extra_extensions
from storefront.models.$e import $E, ${E}Event
from storefront.services import ${e}_service
$extra_project
logger = logging.getLogger(__name__)

${e}_bp = Blueprint("$es", __name__, url_prefix="/api/$es")

EDITABLE_FIELDS = ("name", "status", "notes")


@${e}_bp.route("", methods=["GET"])
def list_${es}():
    account_id = require_account_id()
    page, per_page = page_args()
    pagination = (
        $E.query.filter_by(account_id=account_id)
        .order_by($E.created_at.desc())
        .paginate(page=page, per_page=per_page, error_out=False)
    )
    return jsonify(
        {
            "items": [record.to_dict() for record in pagination.items],
            "page": pagination.page,
            "pages": pagination.pages,
            "total": pagination.total,
        }
    )


@${e}_bp.route("/<int:${e}_id>", methods=["GET"])
def get_${e}(${e}_id: int):
    summary = ${e}_service.${e}_summary(${e}_id)
    if not summary:
        abort(404)
    return jsonify(summary)


@${e}_bp.route("/<int:${e}_id>", methods=["PATCH"])
def update_${e}(${e}_id: int):
    account_id = require_account_id()
    record = $E.query.filter_by(id=${e}_id, account_id=account_id).first_or_404()
    payload = request.get_json(silent=True) or {}
    for field in EDITABLE_FIELDS:
        if field in payload:
            setattr(record, field, payload[field])
    db.session.add(${E}Event(${e}_id=record.id, kind="updated", payload={"fields": sorted(payload)}))
    db.session.commit()
    return jsonify(record.to_dict())


@${e}_bp.route("/<int:${e}_id>", methods=["DELETE"])
def delete_${e}(${e}_id: int):
    account_id = require_account_id()
    deleted = $E.query.filter_by(id=${e}_id, account_id=account_id).delete()
    db.session.commit()
    if not deleted:
        abort(404)
    return "", 204
''')

HANDLER_EXTRA = {
    "crud": ("", "", "", "", ""),
    "bulk_delete": (
        "",
        "",
        "",
        "",
        """

@${e}_bp.route("/bulk-delete", methods=["POST"])
def bulk_delete_${es}():
    account_id = require_account_id()
    ids = parse_id_list(request.get_json(silent=True) or {}, "ids")
    records = $E.query.filter($E.id.in_(ids)).all()
    if any(record.account_id != account_id for record in records):
        abort(403)
    ${E}Event.query.filter(${E}Event.${e}_id.in_(ids)).delete(synchronize_session=False)
    $E.query.filter($E.id.in_(ids)).delete(synchronize_session=False)
    db.session.commit()
    logger.info("deleted %d $es for account %s", len(records), account_id)
    return jsonify({"deleted": len(records)})
""",
    ),
    "service_bulk_delete": (
        "",
        "",
        "",
        "",
        """

@${e}_bp.route("/purge", methods=["POST"])
def purge_${es}():
    require_account_id()
    ids = parse_id_list(request.get_json(silent=True) or {}, "ids")
    deleted = ${e}_service.purge_${es}(ids)
    return jsonify({"deleted": deleted})
""",
    ),
    "thread": (
        "import threading\n",
        "",
        "",
        "",
        """

@${e}_bp.route("/<int:${e}_id>/export", methods=["POST"])
def export_${e}(${e}_id: int):
    account_id = require_account_id()
    record = $E.query.filter_by(id=${e}_id, account_id=account_id).first_or_404()
    threading.Thread(target=${e}_service.export_${e}_history, args=(record.id,), daemon=True).start()
    return jsonify({"status": "exporting"}), 202
""",
    ),
    "enqueue": (
        "",
        "from rq import Queue\n",
        ", redis_conn",
        "from storefront.jobs.${e}_jobs import rebuild_${e}_totals\n",
        """

@${e}_bp.route("/rebuild-totals", methods=["POST"])
def rebuild_${e}_totals_later():
    account_id = require_account_id()
    job = Queue("default", connection=redis_conn).enqueue(rebuild_${e}_totals, account_id, job_timeout=600)
    logger.info("queued the $e totals rebuild %s for account %s", job.id, account_id)
    return jsonify({"job_id": job.id, "status": "queued"}), 202
""",
    ),
}


def render_handler_module(kind: str, values: dict[str, str]) -> str:
    stdlib, third_party, extensions, project, handler = HANDLER_EXTRA[kind]
    head = HANDLER_HEAD.substitute(
        values,
        extra_stdlib=stdlib,
        extra_third_party=third_party,
        extra_extensions=extensions,
        extra_project=Template(project).substitute(values),
    )
    return head.replace("\n\n\nfrom flask", "\n\nfrom flask") + Template(handler).substitute(values)


FIXED_FILES = {
    "wsgi.py": """from storefront import create_app

app = create_app()
""",
    f"{PACKAGE}/extensions.py": """import os

from flask_sqlalchemy import SQLAlchemy
from redis import Redis

db = SQLAlchemy()

redis_conn = Redis.from_url(os.getenv("REDIS_URL", "redis://redis:6379/0"))
""",
    f"{PACKAGE}/config.py": """import os


class Config:
    SQLALCHEMY_DATABASE_URI = os.getenv("DATABASE_URL", "postgresql://shop:shop@db:5432/shop")
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    REDIS_URL = os.getenv("REDIS_URL", "redis://redis:6379/0")
    MAX_PER_PAGE = int(os.getenv("MAX_PER_PAGE", "100"))
""",
    f"{PACKAGE}/api/request_args.py": """from __future__ import annotations

from flask import abort, current_app, request


def require_account_id() -> int:
    account_id = request.headers.get("X-Account-Id", type=int)
    if not account_id:
        abort(400, description="X-Account-Id header is required")
    return account_id


def parse_id_list(payload: dict, key: str) -> list[int]:
    ids = payload.get(key)
    if not isinstance(ids, list) or not ids:
        abort(400, description=f"{key} must be a non-empty list")
    if not all(isinstance(value, int) for value in ids):
        abort(400, description=f"{key} must contain integers only")
    return ids


def page_args() -> tuple[int, int]:
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", 25, type=int)
    return max(1, page), max(1, min(per_page, current_app.config["MAX_PER_PAGE"]))
""",
    f"{PACKAGE}/models/__init__.py": "",
    f"{PACKAGE}/api/__init__.py": "",
    f"{PACKAGE}/services/__init__.py": "",
    f"{PACKAGE}/jobs/__init__.py": "",
    f"{PACKAGE}/lib/__init__.py": "",
}

COMPOSE = """services:
  web:
    build: .
    command: gunicorn --bind 0.0.0.0:8000 --workers 4 --timeout 60 wsgi:app
    ports:
      - "8000:8000"
    environment:
      - DATABASE_URL=postgresql://shop:shop@db:5432/shop
      - REDIS_URL=redis://redis:6379/0
    depends_on:
      - db
      - redis

  worker:
    build: .
    command: rq worker default
    environment:
      - DATABASE_URL=postgresql://shop:shop@db:5432/shop
      - REDIS_URL=redis://redis:6379/0
    depends_on:
      - db
      - redis

  redis:
    image: redis:7-alpine

  db:
    image: postgres:16-alpine
    environment:
      - POSTGRES_USER=shop
      - POSTGRES_PASSWORD=shop
      - POSTGRES_DB=shop
"""

REQUIREMENTS = "flask>=3.0\nflask-sqlalchemy>=3.1\nrq>=1.16\nredis>=5.0\ngunicorn>=22.0\n"


def render_app_factory(entities: list[str]) -> str:
    imports = "\n".join(f"    from {PACKAGE}.api.{plural(e)} import {e}_bp" for e in entities)
    registers = "\n".join(f"    app.register_blueprint({e}_bp)" for e in entities)
    return f"""import logging
import os

from flask import Flask

from {PACKAGE}.config import Config
from {PACKAGE}.extensions import db


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_object(Config)
    logging.basicConfig(level=os.getenv("LOG_LEVEL", "INFO"))
    db.init_app(app)

{imports}

{registers}

    return app
"""


def lib_layout(entities: int) -> tuple[int, int]:
    """(lib modules, areas) so that the whole tree holds exactly FILES_PER_ENTITY files per entity."""
    lib_files = FILES_PER_ENTITY * entities - len(FIXED_FILES) - 1 - 4 * entities  # 1: the app factory
    areas = max(1, math.ceil(lib_files / MODULES_PER_AREA))
    return lib_files - areas, areas


def generate(dest: Path, scale: float = 1.0, seed: int = 7) -> SyntheticBackend:
    """Write the backend into `dest` (created; existing files are overwritten)."""
    rng = random.Random(seed)
    entities = entity_names(entity_count(scale))
    lib_count, area_count = lib_layout(len(entities))
    lib_modules = plan_lib_modules(lib_count, area_count, rng)
    files = dict(FIXED_FILES)
    files[f"{PACKAGE}/__init__.py"] = render_app_factory(entities)
    for index, module in enumerate(lib_modules):
        files[module.path] = render_lib_module(module, lib_modules[:index], rng)
    for area in sorted({module.path.rsplit("/", 1)[0] for module in lib_modules}):
        files[f"{area}/__init__.py"] = ""
    label_providers = [(m.dotted, m.exports()[0]) for m in lib_modules if m.exports()] or [
        ("storefront.config", "str")  # never reached with the default sizes
    ]
    handlers, expected = [], []
    for index, entity in enumerate(entities):
        kind = HANDLER_KINDS[index % len(HANDLER_KINDS)]
        values = _entity_values(entity, rng.choice(label_providers))
        handler = f"{PACKAGE}/api/{plural(entity)}.py"
        files[f"{PACKAGE}/models/{entity}.py"] = MODEL_MODULE.substitute(values)
        files[f"{PACKAGE}/services/{entity}_service.py"] = SERVICE_MODULE.substitute(values)
        files[f"{PACKAGE}/jobs/{entity}_jobs.py"] = JOB_MODULE.substitute(values)
        files[handler] = render_handler_module(kind, values)
        handlers.append(handler)
        if kind in EXPECTED_CODE:
            expected.append((EXPECTED_CODE[kind], handler))
    files["docker-compose.yml"] = COMPOSE
    files["requirements.txt"] = REQUIREMENTS
    for relative, text in files.items():
        path = dest / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    python_files = tuple(sorted(p for p in files if p.endswith(".py")))
    return SyntheticBackend(dest, python_files, tuple(entities), tuple(handlers), tuple(sorted(expected)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 400 Python files (default: 1)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    backend = generate(args.dest, args.scale, args.seed)
    lines = sum((args.dest / p).read_bytes().count(b"\n") for p in backend.python_files)
    print(f"{len(backend.python_files)} Python files, {lines} lines, {len(backend.handler_modules)} handler modules")


if __name__ == "__main__":
    main()
