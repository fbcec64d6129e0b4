"""Reading a `select!` branch: whether its pattern can fail, whether a timer races it, and
which event futures race a tick."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Wait
from ..flow import IRREFUTABLE, Region, branch_future, covers_all
from .core import FileContext
from .exits import exit_loop
from .shape import CANCEL_FUTURE, SHUTDOWN_WORD, await_name, codes, next_call, passes_token

__all__ = [
    "EVENT_WAITS",
    "round_flags",
    "waits_unraced",
    "unraced_wait",
    "idle_expiry",
    "expiry_check",
    "precondition",
    "gated_branches",
    "IRREFUTABLE",
    "always_leaves",
    "beside_timer",
    "biased",
    "select_place",
    "raced_events",
    "tick_race",
    "refutable",
    "restarts",
    "tick_precondition",
]

# Methods that wait for something that may rightly not come: a message, a change, a peer.
EVENT_WAITS = frozenset({"recv", "next", "changed", "notified", "recv_many", "message", "accept"})


# A select pattern that matches every result: `_`, `()`, a binding, a tuple of bindings
# (lemmy's `() = sleep(..)`: "a result that fails its branch's pattern" of patterns that
# cannot fail, blind read 104). `None` is a path, not a binding.
def refutable(h: Region, slots: dict[str, str]) -> set[str]:
    """`Ok(()) = ctrl_c()`: only that result stops it (kanidm's unixd; a held-out read)."""
    if IRREFUTABLE.fullmatch(h.head.strip()) or covers_all(h.head):
        return set()
    slots["pattern"] = " ".join(h.head.split())
    return {"refutable"}


def beside_timer(f: ItemFacts, others: list[str]) -> bool:
    """Whether the other branches' futures are all timer waits of the fn: the race is a pause
    a stop cuts short. Beside an event future the timer is restarted whenever that event
    comes, and runs out only if none does (rathole's heartbeat timeout, blind read 10: "would
    have to wait for the timer to run out" was false)."""
    futures = [fut for fut in others if fut]
    return bool(futures) and all(any(w.src.text.strip() in fut for w in f.waits) for fut in futures)


def always_leaves(f: ItemFacts, h: Region) -> bool:
    """A branch whose handler leaves the loop on every path (a `return`, `break` or process
    exit written straight in it): it never sends the loop round (pingora's daemon parent
    returns on SIGUSR1; "the loop also goes round on `sigusr1.recv()`" was false)."""
    return any(e.region == h.id and e.kind in ("return", "break", "exit") for e in f.exits)


def tick_race(f: ItemFacts, tick: Wait, slots: dict[str, str], flags: set[str]) -> None:
    """What a tick is raced against in its `select!`, as slots: ``others``, events that run
    the loop as well (flag `beside-events`), and ``rivals``, other timers (flag
    `beside-timer`): a tick raced against `sleep(new_wait)` ends the round's wait at whichever
    is first, and "paces the loop through `tick()`" was misleading (greptimedb's flow engine,
    read 68)."""
    others = raced_events(f, tick)
    if others:
        # The loop goes round on those too, and the interval paces only its own branch (blind
        # read 99 on corrosion's subscription loops: "paces the loop").
        slots["others"] = codes(*others)
        flags.add("beside-events")
    rivals = raced_events(f, tick, timers=True)
    if rivals:
        slots["rivals"] = codes(*rivals)
        flags.add("beside-timer")
    ends = _ending_events(f, tick)
    if ends:
        # `_ = self.tasks.wait() => break` beside the tick: the loop waits for that, and the
        # tick only runs its branch meanwhile (influxdb3's shutdown `join` logs progress every
        # 5 s: "paces it" of that tick was misleading, read 73 #35).
        slots["ends"] = codes(*ends)
        flags.add("beside-exit")


def raced_events(f: ItemFacts, tick: Wait, timers: bool = False) -> list[str]:
    """The other futures of the `select!` a tick is a branch of that are neither a shutdown nor
    a timer: events that run the loop as well (``timers``: the other timers instead)."""
    assert f.flow is not None
    reg = f.flow.regions[tick.region]
    if reg.kind != "select-future":
        return []
    branches = [
        r
        for r in f.flow.regions
        if r.kind == "select-handler" and r.start_tok == reg.start_tok and r.detail
    ]
    waits = {w.src.text.strip() for w in f.waits}
    return [
        h.detail
        for h in branches
        if tick.src.text.strip() not in h.detail
        and not CANCEL_FUTURE.search(h.detail)
        and any(t and t in h.detail for t in waits) == timers
        and not re.search(r"(?i)tripwire|token", h.detail)
        and not _leaves_for_good(f, h)
    ]


def _ending_events(f: ItemFacts, tick: Wait) -> list[str]:
    """The other futures of the tick's `select!` that are no shutdown and whose branch always
    leaves the loop: what the loop is waiting for."""
    assert f.flow is not None
    reg = f.flow.regions[tick.region]
    if reg.kind != "select-future":
        return []
    return [
        h.detail
        for h in f.flow.regions
        if h.kind == "select-handler"
        and h.start_tok == reg.start_tok
        and h.detail
        and tick.src.text.strip() not in h.detail
        and not CANCEL_FUTURE.search(h.detail)
        and not re.search(r"(?i)tripwire|token", h.detail)
        and _leaves_for_good(f, h)
    ]


def _leaves_for_good(f: ItemFacts, h: Region) -> bool:
    """A branch that always leaves, and not just an inner loop an outer one goes round
    (hyperlane's tx-id indexer waits in `loop { select! { id = recv.recv() => break id, _ =
    tick => .. } }` and handles the id in the outer loop: "the interval paces the loop" was
    FALSE, read 63)."""
    assert f.flow is not None
    fl = f.flow
    for e in f.exits:
        if e.region != h.id or e.kind not in ("return", "break", "exit"):
            continue
        if e.kind != "break":
            return True
        left = exit_loop(f, e)
        outer = fl.loop_of(left.parent) if left is not None and left.parent is not None else None
        if outer is None:
            return True
    return False


def restarts(
    f: ItemFacts, w: Wait, r: Region, siblings: list[Region], slots: dict[str, str], flags: set[str]
) -> None:
    """A sleep written as a loop's select branch is a new timer each round: a round another
    branch wins and that goes on round starts its countdown over, so it fires only after that
    long with nothing else coming (an idle timeout, not a period)."""
    assert f.flow is not None
    mine = handler_of(f, r)
    if mine is None or not mine.detail.startswith(w.written + "(") or f.flow.loop_of(r.id) is None:
        return
    goes_on = [
        x.detail
        for x in siblings
        if x.detail
        and not any(
            e.kind in ("break", "return") and f.flow.inside(e.region, x.id) for e in f.exits
        )
    ]
    if goes_on and all(len(d) <= 48 for d in goes_on):
        slots["others"] = codes(*goes_on)
        flags.add("restarts")


def _expiry_arms(f: ItemFacts, w: Wait) -> list[Region]:
    """The `Err` arms of the `match` on timeout ``w``'s result: where its expiry is handled."""
    assert f.flow is not None
    # Or a `match` on the name it was bound to: `let result = timeout(..).await; match result`
    # (qdrant's optimization worker, whose expiry `continue`s: "stopped at a read that never
    # completed" was an invented premise, held-out read 58).
    names = {
        a.var
        for a in f.assigns
        if a.is_let and a.src.start <= w.src.start < a.src.end and a.var.isidentifier()
    }
    return [
        r
        for r in f.flow.regions
        if r.kind == "arm"
        and r.head.startswith("Err")
        and (w.written + "(" in r.keyword or r.keyword.strip() in names)
    ]


def idle_expiry(f: ItemFacts, w: Wait) -> bool:
    """Whether an expiry of timeout ``w`` is a cue, not a failure: the `Err` arm of the `match`
    on it calls something and neither returns nor breaks. A wait for something that may rightly
    not come (a message) bounded so is an idle timer (neon's deleter flushes when no message
    came in time; "one `recv` that never completes would stall the loop" was an invented
    premise, held-out read 23): running out of time is a turn of the loop
    (neon's deleter flushes and goes on; a handshake's read that returns on expiry is a guard
    against a hang)."""
    assert f.flow is not None
    arms = _expiry_arms(f, w)
    # And it does something on expiry (a flush): an arm that only goes round again counts
    # the expiry as a failed try (a handshake read under an attempt cap).
    # Or an arm that falls through into the rest of the round (qdrant's optimization worker:
    # `Err(Elapsed { .. }) if cleaned_any => { warn!(..); true }` runs the optimizers).
    return (
        bool(arms)
        and not any(
            e.kind in ("return", "break") and f.flow.inside(e.region, a.id)
            for a in arms
            for e in f.exits
        )
        and (
            any(f.flow.inside(c.region, a.id) and c.kind != "macro" for a in arms for c in f.calls)
            or any(not any(f.flow.inside(e.region, a.id) for e in f.exits) for a in arms)
        )
    )


def expiry_check(f: ItemFacts, w: Wait) -> str:
    """The match guard of an `Err` arm on timeout ``w``'s result (`Err(_) if cond => ..`) when
    another `Err` arm goes round again: the expiry is a cue to check ``cond``; "" otherwise."""
    assert f.flow is not None
    arms = _expiry_arms(f, w)
    # The guarded arm leaves: "checks whether `x` and stops if so" (not an arm that runs on).
    guarded = [
        a.head.split(" if ", 1)[1].strip()
        for a in arms
        if " if " in a.head
        and any(e.kind in ("return", "break") and f.flow.inside(e.region, a.id) for e in f.exits)
    ]
    again = [
        a
        for a in arms
        if " if " not in a.head
        and any(e.kind == "continue" and f.flow.inside(e.region, a.id) for e in f.exits)
    ]
    return guarded[0] if len(guarded) == 1 and again else ""


def precondition(h: Region) -> str:
    """The `, if cond` of select branch ``h`` (`fut, if cond => ..`), "" when it has none: read
    before every poll, it only switches the branch off and is no condition of its handler
    (iroh's relay actor, held-out read 24)."""
    return h.detail.partition(", if ")[2].strip()


def gated_branches(handlers: list[Region], slots: dict[str, str], flags: set[str]) -> None:
    """`preconditioned` when a branch of the select has a `, if cond`, with `gated` (its future)
    and `gate` (the condition) when it is the only one: "races `signals.recv()` and
    `event_stream.as_mut().unwrap().next()`" left out that the second takes part only while
    `event_stream.is_some()` (aardvark-dns's serve loop, held-out read 102 #3)."""
    gated = [(branch_future(h.detail), precondition(h)) for h in handlers]
    gated = [(fut, cond) for fut, cond in gated if cond]
    if not gated:
        return
    flags.add("preconditioned")
    fut, cond = gated[0]
    if len(gated) == 1 and "\n" not in cond and len(cond) <= 60:
        slots["gated"], slots["gate"] = fut, cond
        flags.add("one-gate")


def tick_precondition(f: ItemFacts, tick: Wait, slots: dict[str, str], flags: set[str]) -> None:
    """The `, if cond` of the select branch a tick is the future of, as slot `precondition`:
    the branch is switched off while it is false (restate's watchdog: "fires every second ..
    as one branch of the select" dropped `if !disable_auto_improvement`, read 65)."""
    pre = _precondition_of(f, tick)
    if pre:
        slots["precondition"] = pre
        flags |= {"guarded", "switched"}


def _precondition_of(f: ItemFacts, tick: Wait) -> str:
    assert f.flow is not None
    fut = next((r for r in f.flow.chain(tick.region) if r.kind == "select-future"), None)
    if fut is None:
        return ""
    handler = handler_of(f, fut)
    return precondition(handler) if handler is not None else ""


def biased(ctx: FileContext, r: Region) -> bool:
    """Whether the `select!` whose branch is ``r`` opens with `biased;`: it polls its branches
    in the order written, so of two that are ready together the first written wins."""
    texts = ctx.fs.scan.texts
    k = r.start_tok
    j = k + 1
    while j < len(texts) and j < k + 4 and texts[j] not in ("{", "("):
        j += 1
    j += 1
    while j < len(texts) and ctx.fs.scan.codes[j] in "cdi":
        j += 1  # a comment above `biased;`
    return j + 1 < len(texts) and texts[j] == "biased" and texts[j + 1] == ";"


def select_place(f: ItemFacts, r: Region) -> set[str]:
    """`several-selects` when the fn's own task has more than one `select!`, with
    `after-loop` for one written after a loop it is not in: "The `tokio::select!` is biased, so
    it polls `canceller.cancelled()` and `shutdown.cancelled()` in the order written" read as the
    loop's select, which lists them the other way round (surrealdb's websocket `read`, read 72)."""
    assert f.flow is not None
    fl = f.flow
    starts = {x.start_tok for x in fl.regions if x.kind == "select-handler" and f.own(x.id)}
    if len(starts) < 2:
        return set()
    out = {"several-selects"}
    at = fl.scan.starts[r.start_tok]
    if fl.loop_of(r.id) is None and any(
        x.kind == "loop" and f.own(x.id) and fl.end_of(x) <= at for x in fl.regions
    ):
        out.add("after-loop")
    elif fl.loop_of(r.id) is None and any(
        x.kind == "loop" and f.own(x.id) and fl.scan.starts[x.lo] > fl.end_of(r) for x in fl.regions
    ):
        # mirrord's interceptor accepts its socket in a select before the loop: "Cancellation
        # is one arm of the `tokio::select!`" read as the loop's select (held-out read 87 #22).
        out.add("before-loop")
    return out


def handler_of(f: ItemFacts, fut: Region) -> Region | None:
    """The handler region of select future ``fut`` (same select, same branch)."""
    assert f.flow is not None
    return next(
        (
            x
            for x in f.flow.regions
            if x.kind == "select-handler" and x.start_tok == fut.start_tok and x.index == fut.index
        ),
        None,
    )


def waits_unraced(f: ItemFacts, h: Region) -> bool:
    """Whether the fn's own task waits on a timer outside any select before the select of
    stop branch ``h``: a stop that comes then waits it out."""
    assert f.flow is not None
    start = f.flow.scan.starts[h.start_tok] if h.start_tok >= 0 else 0
    return any(
        w.role in ("sleep", "tick")
        and w.src.start < start
        and f.own(w.region)
        and not any(r.kind in ("select-future", "select-handler") for r in f.flow.chain(w.region))
        for w in f.waits
    )


def round_flags(f: ItemFacts, h: Region, handlers: list[Region], flags: set[str]) -> set[str]:
    """`others-leave`: another branch's win gets past the wait (one that only goes round again
    means a stop would never end it: corrosion's `wait_conn_drop`, read 99). `while-head`: the
    loop's head may see a stop too (greptimedb's scheduler checks its state there, read 68)."""
    assert f.flow is not None
    out = set()
    if "in-loop" not in flags or any(
        e.kind in ("break", "return", "question")
        for x in handlers
        if x is not h
        for e in f.exits
        if f.flow.inside(e.region, x.id)
    ):
        out.add("others-leave")
    if (lp := f.flow.loop_of(h.id)) is not None and lp.keyword == "while":
        out.add("while-head")
    return out


def unraced_wait(
    ctx: FileContext, f: ItemFacts, r: Region, loop: Region, slots: dict[str, str], flags: set[str]
) -> None:
    """The round's next await after a check that does not wait (`shutdown.try_recv()`,
    `token.is_cancelled()`): a stop that comes in while it is pending is seen only once it
    returns (nostr-rs-relay's `db_writer` blocks on `event_rx.recv().await` after its check)."""
    nxt = next_call(ctx, f, r, loop.id, lambda c: c.awaited, through_exits=True)
    # A call handed the token may well race it inside (`wait_for_cycle(&ctx, ..)`, read 77 #10).
    if (
        nxt is None
        or passes_token(nxt, [r.head])
        or SHUTDOWN_WORD.search(nxt.src.text + " " + nxt.receiver)
    ):
        return
    slots["wait"] = await_name(nxt)
    flags.add("waits-after")
