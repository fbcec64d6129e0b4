"""Where a wait sits, for the claims of ``schedule_waits``: an interval's tick in its loop (first
in the round, taken once before the loop, or under a condition some rounds miss), and what a
sleep is wrapped in (a cancellable wrapper, a `select!` branch, one that moves its own instant
on)."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Wait
from ..flow import Region
from ..mechanisms import mechanism
from ..values import duration_seconds, expr_tokens, human_duration
from .core import NOT, Claim, FileContext, codes, make
from .select_parts import handler_of, restarts
from .shape import CANCEL_FUTURE, guard_of

__all__ = [
    "bound_once",
    "ranged",
    "waits_first",
    "opens_round",
    "both_arms_leave",
    "interval_start",
    "element_sleep",
    "fixed_option",
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
    after = [
        ctx.fs.scan.texts[k]
        for k in range(tloop.lo, tloop.hi)
        if codes_[k] not in "cdi" and starts[k] >= tick.src.end
    ]
    if tick.region == tloop.id and set(after) <= {".", "await", ";"} and "tick-first" not in flags:
        # `loop { work().await; interval.tick().await; }`: the immediate first tick ends round
        # one, so round two follows at once (zebrad's peer-metrics refresh: "waits on
        # `interval.tick()` every 5 seconds" hid that, held-out read 81 #20).
        flags.add("tick-last")
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
    secs = duration_seconds(expr_tokens(m.group(1)))
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


def fixed_option(f: ItemFacts, tick: Wait, guard: str) -> str:
    """The Option a tick's guard unwraps (`let Some(t) = ticker.as_mut()`), when nothing in the
    loop changes it: every round waits on the tick or none does (quilkin's ping loop, where
    `ticker` is set once from the `--interval` flag: "only a round where .. matches waits on
    `ticker.tick()`; the other rounds go another way" was misleading, held-out read 81 #1)."""
    assert f.flow is not None
    m = re.fullmatch(
        r"let Some\(\s*(?:mut\s+)?\w+\s*\) = (?:&\s*(?:mut\s+)?)?(\w+)(?:\.as_(?:mut|ref)\(\))?",
        guard,
    )
    tloop = f.flow.loop_of(tick.region)
    if m is None or tloop is None:
        return ""
    var = m.group(1)
    lo, hi = f.flow.scan.starts[tloop.lo], f.flow.end_of(tloop)
    body = f.flow.scan.text[lo:hi].replace(guard.split(" = ", 1)[1], " ", 1)
    if re.search(
        rf"\b{var}\s*(?:=[^=]|\.\s*(?:take|replace|insert|get_or_insert\w*)\s*\()|&\s*mut\s+{var}\b",
        body,
    ):
        return ""
    return var


def ranged(loop: Region) -> bool:
    """Whether ``loop`` is a `for` over a range (`for i in 0..tries`): a round per try."""
    return loop.keyword == "for" and ".." in loop.head.partition(" in ")[2]


def bound_once(f: ItemFacts, name: str) -> str:
    """What a local bound once with `let` and never changed holds, folded ("" otherwise)."""
    bound = [a for a in f.assigns if a.var == name]
    if len(bound) == 1 and bound[0].is_let and not any(u.var == name for u in f.updates):
        return bound[0].value
    return ""


def interval_start(f: ItemFacts, w: Wait, slots: dict[str, str], flags: set[str]) -> None:
    """An `interval_at(start, period)`: its first tick waits for ``start`` (cnosdb's metrics
    loops start `Instant::now() + 10 s` out: "the first tick completes at once" was FALSE,
    held-out read 82 #7, #12), and a period bound once to a duration is said by its value."""
    if w.seconds is None and w.arg.isidentifier():
        period = duration_seconds(expr_tokens(bound_once(f, w.arg)))
        if period is not None:
            slots["dur"] = human_duration(period)
            flags.discard("unvalued")
    if not w.mechanism.endswith("interval_at"):
        return
    flags -= {"tick-first", "tick-last"}
    flags.add("interval-at")
    m = re.search(r"interval_at\s*\(\s*([^,()]+(?:\([^()]*\))?[^,()]*)\s*,", w.src.text)
    if m is None:
        return
    start = " ".join(m.group(1).split())
    slots["start"] = start
    value = bound_once(f, start) if start.isidentifier() else start
    later = re.fullmatch(r"(?:[\w:]*::)?Instant\s*::\s*now\(\)\s*\+\s*(.+)", value, re.S)
    secs = duration_seconds(expr_tokens(later.group(1))) if later else None
    if secs is not None:
        slots["first_in"] = human_duration(secs)


_LET_RESULT = re.compile(r"let\s+(Ok|Err)\s*\(.*\)\s*=\s*(.+)", re.S)


def both_arms_leave(f: ItemFacts, loop: Region, pos: int) -> bool:
    """Whether, before ``pos`` in ``loop``'s body, `if let Ok(..) = r { .. return }` and its
    `else if let Err(..) = r { .. return }` both leave: nothing after them in the round runs
    (cnosdb's `add_node` returns on either result, so its retry sleep never runs: "should pause
    10 seconds between rounds" and "closes each round" were FALSE, held-out read 82 #9-10)."""
    assert f.flow is not None
    fl = f.flow
    leaving: dict[str, set[str]] = {}
    for r in fl.regions:
        if r.kind != "if" or r.parent != loop.id or fl.scan.starts[r.lo] >= pos:
            continue
        m = _LET_RESULT.fullmatch(r.head)
        if m is None or not any(
            e.region == r.id and e.kind in ("return", "break") for e in f.exits
        ):
            continue
        leaving.setdefault(" ".join(m.group(2).split()), set()).add(m.group(1))
    return any(v == {"Ok", "Err"} for v in leaving.values())


def opens_round(f: ItemFacts, w: Wait) -> bool:
    """Whether sleep ``w`` is written in its loop's own body with nothing awaited before it
    in the round: every round, the first included, starts by waiting."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    if loop is None or w.region != loop.id or loop.keyword not in ("loop", "while", "for"):
        return False
    return not any(
        c.awaited
        and f.flow.loop_of(c.region) is loop
        and f.own(c.region)
        and c.src != w.src
        and c.src.start < w.src.start
        for c in f.calls
    )


def waits_first(f: ItemFacts, w: Wait) -> str:
    """The work of a round that starts with this sleep (`loop { sleep(..).await; get().await }`):
    the round's first awaited call after it, when nothing awaited comes before the sleep."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    # A `for` or `while` body that opens with the sleep waits first too (stalwart's ACME
    # `authorize`: "the wait a round ends with" of `for i in 0..5 { sleep(1 << i); .. }` was
    # FALSE, read 61).
    if loop is None or w.region != loop.id or loop.keyword not in ("loop", "while", "for"):
        return ""
    inside = [
        c
        for c in f.calls
        if c.awaited and f.flow.loop_of(c.region) is loop and f.own(c.region) and c.src != w.src
    ]
    if any(c.src.start < w.src.start for c in inside):
        return ""
    loop_start = f.flow.scan.starts[loop.start_tok if loop.start_tok >= 0 else loop.lo]
    later = [c for c in inside if c.src.start > w.src.end and mechanism(c.full) is None]
    if not later:
        return ""
    c = min(later, key=lambda c: c.src.start)
    if f.flow.conditions(c.region, stop=loop.id):
        # Under a condition, it is not the round's work: tonic's health example sets serving on
        # even rounds only ("the first `set_serving` comes 1 second after the loop starts" was
        # FALSE, held-out read 38).
        return ""
    if any(
        o.name == c.name and o.awaited and f.own(o.region) and o.src.end <= loop_start
        for o in f.calls
    ):
        # The fn made that call already before the loop (cnosdb's `remove_node` posts to the
        # cluster first, then polls it 100 ms apart: "the very first look happens 100
        # milliseconds in" was misleading, held-out read 82 #11).
        return ""
    if c.kind == "method":
        return f"{c.receiver}.{c.name}" if c.receiver and len(c.receiver) <= 30 else ""
    return c.written
