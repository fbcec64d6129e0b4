"""What a spawn is handed: the call it runs, or, for a short block with no one call, the
calls it awaits in turn."""

from __future__ import annotations

import re

from ..facts import Call, ItemFacts, Spawn
from ..flow import Region
from ..mechanisms import mechanism
from .main_call import in_loop_of, main_call_of
from .shape import await_name, codes

__all__ = ["spawn_body"]


def spawn_body(
    f: ItemFacts, sp: Spawn, reg: Region, slots: dict[str, str], flags: set[str]
) -> None:
    """What the task is handed: the call it runs (`runs`, `args`), and whether that is a block."""
    assert f.flow is not None
    call = _unboxed(f, main_call_of(f, reg))
    # `tokio::spawn(async move { .. run_x(..).await .. })`: what is spawned is a block that
    # calls it, not the call itself (blind read 34 on new_pair_inner).
    # A wrapper's name comes first (`spawn_named("dispatch", async move { .. })`).
    # And a turbofish (`spawn_named::<_, Result<_>>("typing", async move { .. })`).
    if re.match(
        r"[\w:.()]*?(?:::<[^()]*>)?\(\s*(?:[^,(){}]+(?:\([^()]*\))?\s*,\s*)?(?:async\b|\{)",
        sp.src.text,
    ):
        flags.add("block")
    fl = f.flow
    looped = any(r.kind == "loop" and fl.task_of(r.id).id == reg.id for r in fl.regions)
    # Nor the call after a loop the block runs first (rabbitmq-stream's dispatcher loops on its
    # stream and then calls `state.close`: "should start `state.close` on its own task" said
    # the loop's clean-up was the task, held-out read 49).
    if call is not None and _much_more(f, reg, call):
        # Nor the first of many steps (garage's RPC server decodes, handles, encodes, sends
        # and deregisters in one task: "should run `ReqEnc::decode` on its own task", read 51).
        call = None
    if _works_first(f, sp):
        # mycelium's `push_message` files the message and sends its first packet inline,
        # then spawns the retransmissions: "it should hand the work to a task" was
        # misleading (held-out read 55).
        flags.add("works-first")
    if call is not None and _may_stop_before(f, reg, call):
        # Nor a call the task reaches only past an early `return` or `?` (pueue's listener
        # task runs `handle_incoming` only after a handshake under a 10 s timeout: "hands
        # `handle_incoming` to a `tokio::spawn` task" was misleading, held-out read 53).
        call = None
    if call is not None and _slept_before(f, reg, call):
        # HotShot's view timer sleeps the timeout and then broadcasts: "`broadcast_event`
        # runs on a task of its own" hid the delay that makes it a timer (held-out read 83 #4).
        call = None
    if call is not None and not looped and not in_loop_of(f, call.region, reg.id):
        # A call in a loop of the task is one step of that loop, not what is handed over
        # (shuttle's health task loops on `sleep` and `reqwest::get`: "hands
        # `reqwest::get` to `tokio::spawn`" was misleading, a held-out read).
        slots["runs"] = await_name(call)
        if call.args:
            slots["args"] = codes(*call.args)
    elif "block" in flags:
        _steps(f, reg, slots, flags)


# Calls that only move or convert a value: no step of a task's work.
# (`drop(permit)` lets go of a value; what it releases is said by the claims about that value.)
# Adapters on a value (`join_all(tasks).await.into_iter()`) are part of the step they follow.
_TRIVIAL = frozenset(
    {
        "clone",
        "into",
        "to_string",
        "to_owned",
        "as_ref",
        "unwrap",
        "expect",
        "ok",
        "err",
        "drop",
        "into_iter",
        "iter",
        "collect",
        "map",
        "len",
        "is_empty",
        "unwrap_or",
        "unwrap_or_default",
    }
)
_BOXING = frozenset({"Box::pin", "std::boxed::Box::pin", "Box::new", "std::boxed::Box::new"})


def _unboxed(f: ItemFacts, call: Call | None) -> Call | None:
    """`Box::pin(sink.launch()).await`: the task runs `sink.launch`, which `Box::pin` only
    puts on the heap (songbird's async adapter: "has `Box::pin` finished?", held-out read 78)."""
    if call is None or call.written not in _BOXING or len(call.args) != 1:
        return call
    inner = [
        c
        for c in f.calls
        if call.src.start < c.src.start
        and c.src.end < call.src.end
        and c.kind in ("fn", "method")
        and call.src.text[c.src.end - call.src.start :].strip() == ")"
    ]
    return min(inner, key=lambda c: c.src.start) if inner else None


def _steps(f: ItemFacts, reg: Region, slots: dict[str, str], flags: set[str]) -> None:
    """What a spawned block with no one call does, when it is short and has no loop: the calls
    it awaits in turn (`steps`), or, after a lone sleep, the call it makes then (`then`).
    "Hand the work to a task" said nothing, and more than was spawned: arroyo's worker does
    its job-finished work inline and spawns only a cancel one second later (read 27)."""
    assert f.flow is not None
    fl = f.flow
    if any(r.kind == "loop" and fl.task_of(r.id).id == reg.id for r in fl.regions):
        return

    def plain(rid: int) -> bool:
        return fl.task_of(rid).id == reg.id and not fl.conditions(rid, stop=reg.id)

    if not all(plain(c.region) for c in f.calls if c.awaited and fl.inside(c.region, reg.id)):
        return  # a step under a condition would be said as if it always ran
    waits = [w for w in f.waits if fl.inside(w.region, reg.id)]
    awaited = [
        c
        for c in f.calls
        if c.awaited
        and plain(c.region)
        and mechanism(c.full) is None
        and not any(w.src.start <= c.src.start < w.src.end for w in waits)
    ]
    if not waits and 1 <= len(awaited) <= 3:
        if any(
            plain(c.region)
            and fl.inside(c.region, reg.id)
            and not c.awaited
            and c.kind != "macro"
            and c.name not in _TRIVIAL
            and not any(a.src.start <= c.src.start < a.src.end for a in awaited)
            for c in f.calls
        ):
            # Other work besides what it awaits (quilkin's phoenix finalizer task awaits
            # `srx.changed()`, then hands the finalizer to `spawn_blocking` and sends on
            # `finished`: "whose one step is to await" was FALSE, held-out read 81 #14).
            return
        steps = list(dict.fromkeys(await_name(c) for c in awaited))
        slots["steps"] = codes(*steps)
        flags.add("steps")
        if len(steps) == 1:
            flags.add("one-step")  # not "awaits .. in turn" of one call (async-nats, read 33)
        return
    if len(waits) != 1 or waits[0].role != "sleep" or not plain(waits[0].region):
        return
    if any(c.src.start < waits[0].src.start for c in awaited):
        return  # work before the sleep: not a delayed call
    after = [c for c in f.calls if plain(c.region) and c.src.start >= waits[0].src.end]
    later = [
        c
        for c in after
        if c.kind in ("fn", "method")
        and c.name not in _TRIVIAL
        # Not the calls that build its arguments (`Arc::new(..)` inside `broadcast(..)`).
        and not any(
            a is not c and a.src.start <= c.src.start and c.src.end <= a.src.end for a in after
        )
    ]
    if len(later) == 1:
        c = later[0]
        slots["then"] = f"{c.receiver}.{c.src.text}" if c.receiver else c.src.text
        if len(slots["then"]) > 40 or "\n" in slots["then"]:
            slots["then"] = await_name(c)
        flags.add("delayed")


def _slept_before(f: ItemFacts, reg: Region, call: Call) -> bool:
    """The task sleeps on every path before it makes ``call``: it is a delayed call, not the
    work handed over as it is."""
    assert f.flow is not None
    fl = f.flow
    return any(
        w.role == "sleep"
        and w.src.end <= call.src.start
        and fl.task_of(w.region).id == reg.id
        and not fl.conditions(w.region, stop=reg.id)
        for w in f.waits
    )


def _is_step(c: Call) -> bool:
    """A call that is a step of the work: not a macro, not bookkeeping (clones, lock guards,
    counters), not a value built (`Duration::from_secs(..)`, `SendItem::Stream(..)`)."""
    return c.kind != "macro" and c.name not in _BOOKKEEPING and not _CONSTRUCTOR_NAME.match(c.name)


_CONSTRUCTOR_NAME = re.compile(r"[A-Z]|new$|from_|with_|default$")
_BOOKKEEPING = frozenset(
    {"clone", "to_string", "to_owned", "into", "unwrap", "expect", "lock", "is_err", "is_ok"}
    | {"fetch_add", "fetch_sub", "store", "load"}
)


def _works_first(f: ItemFacts, sp: Spawn) -> bool:
    """Whether the fn's own task takes two or more steps of its own before the spawn, on
    every path: bookkeeping, values built and checks aside."""
    assert f.flow is not None
    fl = f.flow
    steps = {
        c.name
        for c in f.calls
        if c.src.end <= sp.src.start
        and _is_step(c)
        and f.own(c.region)
        and not fl.conditions(c.region)
        and not any(r.kind in ("closure", "async") for r in fl.chain(c.region))
    }
    return len(steps) >= 2


def _may_stop_before(f: ItemFacts, reg: Region, call: Call) -> bool:
    """Whether the spawned block can end by a `return` or `?` of its own before ``call``."""
    assert f.flow is not None
    fl = f.flow
    return any(
        e.kind in ("return", "question")
        and e.src.start < call.src.start
        and fl.inside(e.region, reg.id)
        and fl.task_of(e.region).id == reg.id
        and not any(a.kind == "closure" and fl.inside(a.id, reg.id) for a in fl.chain(e.region))
        for e in f.exits
    )


def _much_more(f: ItemFacts, reg: Region, call: Call) -> bool:
    """Whether the spawned block goes on to two or more steps after ``call`` whatever happens:
    clones, conversions, lock guards, values built and counters aside."""
    assert f.flow is not None
    fl = f.flow
    after = [
        c
        for c in f.calls
        if c.src.start >= call.src.end
        and _is_step(c)
        and fl.inside(c.region, reg.id)
        and fl.task_of(c.region).id == reg.id
        # Every time, not on one outcome (svix's worker acks or nacks after its task).
        and not fl.conditions(c.region, stop=reg.id)
    ]
    return len(after) >= 2
