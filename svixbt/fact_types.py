"""The facts an item yields, as data: each with the source span (``Src``) that proves it.

Read by ``facts`` and ``consts``, used by the claim builders. No behaviour beyond lookups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .flow import Flow, Region
from .scanner import Item

__all__ = [
    "Src",
    "Call",
    "Wait",
    "Log",
    "Exit",
    "Assign",
    "Const",
    "Sql",
    "Spawn",
    "Schedule",
    "Backoff",
    "Jitter",
    "ItemFacts",
    "LOG_LEVELS",
]

LOG_LEVELS = ("trace", "debug", "info", "warn", "error")


@dataclass(frozen=True)
class Src:
    """A span of the file's text: the proof of a fact. ``text`` equals ``file[start:end]``."""

    start: int
    end: int
    text: str


@dataclass
class Call:
    name: str  # last path segment or method name
    written: str  # as written: `tokio::time::sleep`, `clean_expired_messages`, `.ack`
    full: str  # resolved through `use` (fns and macros); the method name for methods
    kind: str  # fn | method | macro
    args: list[str]  # folded
    awaited: bool
    propagates: bool  # followed by `?` (after `.await` when awaited)
    region: int
    tok: int  # token of the name
    open_tok: int
    close_tok: int
    src: Src  # from the path (or method name) through the closing bracket
    receiver: str = ""  # for a method: the receiver as written (folded), when short


@dataclass
class Wait:
    role: str  # sleep | interval | tick | timeout
    mechanism: str  # resolved path, or `tick` for `interval.tick()`
    written: str
    arg: str  # the duration argument as written
    seconds: float | None
    region: int
    src: Src
    const: str = ""  # a const the duration comes from
    var: str = ""  # the interval variable a tick reads, or the variable a duration comes from


@dataclass
class Log:
    level: str
    macro: str  # as written
    message: str  # the format string, if any
    fields: list[str]
    region: int
    src: Src


@dataclass
class Exit:
    kind: str  # return | break | continue | question | exit (`std::process::exit(..)`) | ensure
    expr: str  # `return Ok(())` -> `Ok(())`
    region: int
    src: Src


@dataclass
class Assign:
    var: str
    value: str  # folded
    region: int
    src: Src
    is_let: bool = False
    # `x = if cond { a } else { b }` -> (cond, a, b)
    branches: tuple[str, str, str] | None = None


@dataclass
class Const:
    name: str
    type_text: str
    expr: str
    value: float | None  # seconds for a Duration
    is_duration: bool
    local: bool
    src: Src
    comment: str = ""  # a plain comment right above it (the author's words)


@dataclass
class Sql:
    verbs: list[str]  # statement verbs in order (UPDATE, DELETE ...)
    tables: list[str]
    limit: bool
    skip_locked: bool
    statement_timeout: str  # the value set by `SET [LOCAL] statement_timeout`, if any
    local: bool  # `SET LOCAL`
    region: int
    src: Src


@dataclass
class Spawn:
    region: int  # the spawn/blocking region
    mechanism: str
    written: str
    src: Src
    # "dropped" | "bound:<name>" | "awaited" | "returned" | "in-set" | "unknown" |
    # "pushed:<vec>[:joined|:joined-dropped]" (kept in a Vec, awaited by a later loop or not)
    handle: str
    repeated: str  # "" or the loop/closure head that makes it one task per element
    at_region: int  # the region the spawn call itself sits in

    @property
    def said(self) -> str:
        """The spawn as prose names it (``mechanisms.spawn_said``)."""
        from .mechanisms import spawn_said

        return spawn_said(self.mechanism, self.written)


@dataclass
class Schedule:
    """An array of durations: a retry or migration schedule."""

    name: str
    seconds: list[float]
    src: Src
    region: int


@dataclass
class Backoff:
    """`x = (x * f).min(cap)`: doubling (or growing) a wait up to a cap."""

    var: str
    factor: float
    cap_seconds: float | None
    cap_expr: str
    src: Src
    region: int


@dataclass
class Growth:
    """`successors(Some(d), |x| Some(CAP.min(*x * f))).take(n)`: a schedule of waits built from
    a first one, each the last times a factor, capped."""

    first_seconds: float
    factor: float
    cap_expr: str
    cap_seconds: float | None
    take: str  # the `.take(..)` argument as written, or ""
    src: Src
    region: int


@dataclass
class Jitter:
    """`random_range(d.mul_f32(1.0 - J)..=d.mul_f32(1.0 + J))`: a delay varied by ±J."""

    fraction: float
    const: str
    base: str  # the duration being varied, as written
    src: Src
    region: int


@dataclass
class ItemFacts:
    index: int
    item: Item
    name: str
    kind: str
    is_async: bool
    is_pub: bool
    params: list[tuple[str, str]]
    returns: str
    doc: str
    flow: Flow | None
    calls: list[Call] = field(default_factory=list)
    waits: list[Wait] = field(default_factory=list)
    logs: list[Log] = field(default_factory=list)
    exits: list[Exit] = field(default_factory=list)
    assigns: list[Assign] = field(default_factory=list)
    updates: list[Assign] = field(default_factory=list)  # `x += 1`: value is `+= 1`
    consts: list[Const] = field(default_factory=list)
    sql: list[Sql] = field(default_factory=list)
    spawns: list[Spawn] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    backoffs: list[Backoff] = field(default_factory=list)
    jitters: list[Jitter] = field(default_factory=list)
    growths: list[Growth] = field(default_factory=list)
    comments: list[Src] = field(default_factory=list)
    idents: set[str] = field(default_factory=set)
    # A `break`/`continue`/`return` inside a macro's own syntax (librespot's `unwrap!` that
    # breaks on `None`): where it sits after expansion, and under what, is not known.
    macro_exits: bool = False
    # Char spans of macro invocations whose bodies hold control flow (`if`, `match`, `break`):
    # what runs there, and under what condition, is the macro's business.
    macro_code: list[tuple[int, int]] = field(default_factory=list)
    macro_names: set[str] = field(default_factory=set)  # every `name!` the item's own code calls
    tail: Src | None = None  # the body's final expression
    attrs: tuple[str, ...] = ()

    def const(self, name: str) -> Const | None:
        return next((c for c in self.consts if c.name == name), None)

    def region(self, rid: int) -> Region:
        assert self.flow is not None
        return self.flow.regions[rid]

    def own(self, rid: int) -> bool:
        """True when region ``rid`` runs in the item's own task (not a task it spawns)."""
        return self.flow is not None and self.flow.task_of(rid).parent is None

    def loops(self) -> list[Region]:
        return [r for r in self.flow.regions if r.kind == "loop"] if self.flow else []
