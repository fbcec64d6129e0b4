"""Where code sits in an item: its own loops, the main one, and the conditions and match arm a
region runs under. Shared by every claim builder."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from ..crate_index import owner_of
from ..fact_types import Call, Spawn, Wait
from ..facts import ItemFacts
from ..facts import in_closure as flow_in_closure
from ..flow import Region, lone_branch
from .blocks import own_loops
from .core import FileContext, codes, codes_upto
from .exits import continue_is_last, skips
from .guards import (
    arm_cond,
    guard_of,
    is_error_arm,
    passed_guards,
    put_guard,
    skipped_by_continue,
)
from .loops import main_loop, own_main_loop, side_loops

__all__ = [
    "call_said",
    "made_in",
    "passes_token",
    "self_counted",
    "SIGNAMES",
    "signal_name",
    "codes",
    "codes_upto",
    "own_loops",
    "side_loops",
    "main_loop",
    "own_main_loop",
    "guard_of",
    "skips",
    "skipped_by_continue",
    "continue_is_last",
    "put_guard",
    "arm_cond",
    "is_error_arm",
    "passed_guards",
    "SHUTDOWN_WORD",
    "CANCEL_FUTURE",
]

SHUTDOWN_WORD = re.compile(r"(?i)shut_?down|shutting_down|cancel|terminat|stop")
CANCEL_FUTURE = re.compile(r"(?i)cancelled|shut_?down|shutting_down|ctrl_c|terminate|stop")

_TOKEN = re.compile(r"([A-Za-z_][\w.]*?)\s*\.\s*(?:is_)?cancelled\s*\(")


def passes_token(call: Call, said: Iterable[str]) -> bool:
    """Whether ``call`` is handed a cancellation token that the code in ``said`` waits on or
    checks (`ctx.is_cancelled()` there, `&ctx`, `ctx.clone()` or `ctx.child_token()` as an
    argument): the callee may race the stop itself, deeper down (rustfs's scanner hands `&ctx`
    to the callees its loop awaits, and those return on `ctx.cancelled()`)."""
    tokens = {m.group(1) for text in said for m in _TOKEN.finditer(text)}
    return any(
        re.fullmatch(rf"&?\s*(?:mut\s+)?{re.escape(t)}(?:\s*\.\s*\w+\(\s*\))?", a.strip())
        for t in tokens
        for a in call.args
    )


# What a person calls the signal a future waits for: `tokio::signal::ctrl_c()` is a Ctrl-C,
# `signal(SignalKind::terminate())` a SIGTERM.
SIGNAMES = {
    "terminate": "SIGTERM",
    "interrupt": "SIGINT",
    "hangup": "SIGHUP",
    "quit": "SIGQUIT",
}


# Signals that ask for something other than a stop: named all the same where a task waits for
# one (vaultwarden backs up its SQLite file on each SIGUSR1).
OTHER_SIGNAMES = {
    "user_defined1": "SIGUSR1",
    "user_defined2": "SIGUSR2",
    "child": "SIGCHLD",
    "alarm": "SIGALRM",
    "pipe": "SIGPIPE",
    "window_change": "SIGWINCH",
}


def signal_name(text: str, stops_only: bool = True) -> str | None:
    """The signal a piece of code waits for, by the name a person knows, or None; with
    ``stops_only`` off, signals that ask for no stop are named too."""
    if re.search(r"\bsignal::ctrl_c\s*\(", text):
        return "Ctrl-C"
    kind = re.search(r"SignalKind::(\w+)\(\)", text)
    if kind is None:
        return None
    found = SIGNAMES.get(kind.group(1))
    return found if found or stops_only else OTHER_SIGNAMES.get(kind.group(1))


def not_a_stop_signal(text: str) -> bool:
    """A listener for a signal that asks for no stop (`SignalKind::user_defined1()`, `child()`):
    pingora's daemon parent waits on SIGUSR1 for its child's readiness, which read as "should
    wait for the process's stop signals" (a held-out read)."""
    kind = re.search(r"SignalKind::(\w+)\(\)", text)
    return kind is not None and kind.group(1) not in SIGNAMES


def endless_loop(f: ItemFacts, task: int) -> bool:
    """The spawned task's own `loop` has no `break`, `return` or `?` in it: only a panic or the
    runtime's end stops it."""
    assert f.flow is not None
    loops = [
        r
        for r in f.flow.regions
        if r.kind == "loop" and f.flow.inside(r.id, task) and f.flow.task_of(r.id).id == task
    ]
    if len(loops) != 1 or loops[0].keyword != "loop":
        return False
    # Nor one that can return before it: etl's jemalloc task returns when a lookup fails
    # ("stops only if whoever holds that handle aborts it" was false, held-out read 56).
    return not any(
        e.kind in ("break", "return", "question", "exit")
        and (
            f.flow.inside(e.region, loops[0].id)
            or e.kind != "break"
            and f.flow.task_of(e.region).id == task
        )
        for e in f.exits
    )


# Names of things a task may be stopped through without a `select!` of its own: a future
# wrapped `.preemptible(tripwire)` or `.take_until(token)` ends when they fire (blind read 99 on
# corrosion's keepalive task: "nothing in it looks at a shutdown or cancellation signal", false).
_STOP_HANDLE = re.compile(r"(?i)tripwire|preempt|take_until|token|abort|kill")


def never_ends(f: ItemFacts, task: int, text: str) -> bool:
    """A spawned task whose one `loop` nothing leaves and which looks at no shutdown or
    cancellation signal: it runs as long as the runtime does (a metrics ticker, a supervisor
    that reruns its input forever)."""
    assert f.flow is not None
    flow = f.flow
    # The words are looked for in code, not comments or strings: "needs much better signaling
    # for termination" above a `loop` that nothing leaves is a wish, and "input {} unexpectedly
    # terminated" a log line, not a shutdown check.
    code = re.sub(r'//[^\n]*|/\*.*?\*/|"(?:[^"\\]|\\.)*"', "", text, flags=re.S)
    if not endless_loop(f, task) or SHUTDOWN_WORD.search(code) or _STOP_HANDLE.search(code):
        return False
    # A `select!` of one branch that cannot fail to match (`_ = sleep(t) => ..`) is a plain
    # wait: nothing in it is a way out (nostr-rs-relay's expiry cleanup).
    lone = {r.start_tok for r in flow.regions if r.kind == "select-handler" and lone_branch(r)}
    return not any(
        r.kind in ("select-future", "select-handler", "cancellable")
        and not (r.kind != "cancellable" and r.start_tok in lone)
        for r in flow.regions
        if flow.inside(r.id, task)
    )


def self_counted(f: ItemFacts) -> Iterator[tuple[Spawn, Call, Call, list[Call]]]:
    """Each counter a spawned task bumps with `fetch_add` and drops with `fetch_sub` in its own
    body: (the spawn, the add, the last sub, the task's method calls in source order). While
    such a counter is above zero, a task that added itself has not reached its sub."""
    assert f.flow is not None
    for sp in f.spawns:
        inside = sorted(
            (c for c in f.calls if f.flow.inside(c.region, sp.region) and c.kind == "method"),
            key=lambda c: c.tok,
        )
        for add in (c for c in inside if c.name == "fetch_add" and c.receiver):
            subs = [c for c in inside if c.name == "fetch_sub" and c.receiver == add.receiver]
            if subs:
                yield sp, add, subs[-1], inside


def called_elsewhere(f: ItemFacts, r: Region, head: Region, call: str, bare: str) -> bool:
    """Whether the fn calls the callee an error branch ``r`` handles elsewhere too, outside the
    branch and its head: this is one call of several, and the others may not absorb their
    errors. A method of one receiver is not another receiver's call of the same name (rathole:
    "its other calls of `conn.with_context`" where only one exists, blind read 100)."""
    assert f.flow is not None
    recv = call.rsplit(".", 1)[0] if "." in call else ""
    # A call in a task the fn spawns counts too (quilkin's xDS client connects once inline and
    # again with `?` in its spawned task: "if `connect` fails .. the function returns" read as
    # every connect, held-out read 81 #15).
    return any(
        c.name == bare
        and (not recv or c.receiver == recv)
        and not f.flow.inside(c.region, r.id)
        and not (head.head_start <= c.src.start < max(head.head_end, head.head_start + 1))
        for c in f.calls
    )


def context_added(f: ItemFacts, rid: int) -> bool:
    """Whether the error an arm or `if let Err` holds had context attached in its head."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        text = r.keyword if r.kind == "arm" else r.head if r.kind == "if" else ""
        if re.search(r"\.\s*(?:with_context|context|wrap_err|wrap_err_with)\s*\(", text):
            return True
    return False


def leaves_early(f: ItemFacts, loop: Region) -> bool:
    assert f.flow is not None
    return any(
        e.kind in ("question", "return") and f.flow.inside(e.region, loop.id) for e in f.exits
    )


def in_closure(f: ItemFacts, rid: int) -> bool:
    """Whether region ``rid`` sits in a closure of the item's own code."""
    assert f.flow is not None
    return flow_in_closure(f.flow, rid)


def owned_name(ctx: FileContext, g: ItemFacts) -> str:
    """A fn of this file as a reader names it: `Type::method` for a method, else its name."""
    owner = owner_of(ctx.fs, g.index)
    return f"{owner}::{g.name}" if owner else g.name


def next_call(
    ctx: FileContext,
    f: ItemFacts,
    r: Region,
    home: int,
    accept: Callable[[Call], bool],
    through_exits: bool = False,
) -> Call | None:
    """The first call ``accept`` takes that is written straight in region ``home`` after region
    ``r`` ends, when no exit and no `?` lies between: what runs next however ``r`` was left (a
    retry loop's pass goes on to it; a select of signals was waiting to make it)."""
    starts = ctx.fs.scan.starts
    end = starts[r.hi] if r.hi < len(starts) else 0
    if end == 0:
        return None
    after = [c for c in f.calls if c.region == home and c.src.start > end and accept(c)]
    if not after:
        return None
    first = min(after, key=lambda c: c.src.start)
    if re.match(r"[}\s]*else\b", ctx.fs.text[end : first.src.start]):
        # `if a { .. } else if let Err(e) = b().await { .. }`: `b` runs instead of the first
        # branch, not after it (rauthy's schedulers, held-out read 13: "the round still goes
        # on to `DB::pg_execute`" was false).
        return None
    assert f.flow is not None
    if f.flow.behind_operand(first.src.start):
        # `if is_ingester() && let Err(e) = update().await`: `update` runs only when the
        # condition before it holds ("the round still goes on to `update_parquet_metrics()`"
        # was misleading of openobserve's metrics job, held-out read 29).
        return None
    # ``through_exits``: the next call on the paths that get that far (a `return` between
    # leaves some rounds before it).
    if not through_exits and any(end < e.src.start < first.src.start for e in f.exits):
        return None
    if not through_exits and any(
        end < c.src.start < first.src.start and c.propagates for c in f.calls
    ):
        return None
    if _cfg_between(ctx, end, first.src.start):
        # `#[cfg(unix)] let a = { select! {..} }; #[cfg(windows)] let a = {..}`: the next
        # statement may belong to another build, not run after this one (shuttle's runtime,
        # "then `ctrl_break()` runs" after the unix select).
        return None
    return first


def _cfg_between(ctx: FileContext, start: int, end: int) -> bool:
    """Whether a `#[cfg(..)]` attribute is written between char offsets ``start`` and ``end``."""
    scan = ctx.fs.scan
    t = scan.texts
    toks = scan.token_range(start, end)
    return any(
        t[k] == "#" and k + 2 < len(t) and t[k + 1] == "[" and t[k + 2] in ("cfg", "cfg_attr")
        for k in toks
    )


def await_name(c: Call) -> str:
    """An awaited call as a person names it: a fn by its path as written
    (`RedisManager::from_queue_backend`), a method on a plain receiver with it (`pool.get`), a
    method at the end of a chain by its own name (`build_pair`)."""
    if c.kind == "method":
        return f"{c.receiver}.{c.name}" if c.receiver and "(" not in c.receiver else c.name
    return c.written


def awaits_outside(f: ItemFacts, waits: Sequence[Wait]) -> list[Call]:
    """The awaited calls on the item's own task that none of ``waits`` wraps: what a timeout
    leaves without a deadline."""
    return [
        c
        for c in f.calls
        if c.awaited
        and f.own(c.region)
        and not any(w.src.start <= c.src.start < w.src.end for w in waits)
    ]


def made_in(f: ItemFacts, var: str, loop: Region) -> bool:
    """Whether ``var`` is bound inside ``loop``: worked out anew each round."""
    assert f.flow is not None
    return var.isidentifier() and any(
        a.var == var and f.flow.inside(a.region, loop.id) for a in f.assigns
    )


def call_said(c: Call) -> str:
    """The call as a reader names it: `scheduler.run_pending()` for a method on a short
    receiver, `try_execute_task` for a fn (its arguments are not what the sentence is about);
    "" for a method at the end of a builder chain (`.get_results` alone names nothing)."""
    if c.kind == "method":
        if not c.receiver or len(c.receiver) > 24 or "(" in c.receiver:
            return ""
        return f"{c.receiver}.{c.name}()" if not c.args else f"{c.receiver}.{c.name}"
    return c.written
