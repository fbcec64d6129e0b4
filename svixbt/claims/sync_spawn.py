"""A plain (not `async`) fn that calls `tokio::spawn` itself: it cannot await the task it
starts, and the spawn needs a Tokio runtime around its caller or it panics. rathole's
`ControlChannelHandle::new` was asked "does it wait for `ch.run` to finish?" and the think never
said the one thing that settles it, that `new` is a plain `fn` (held-out read 41)."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Spawn
from .core import Claim, FileContext, make

__all__ = ["sync_spawn_claims"]

# The spawns that panic outside a runtime context (`Handle::spawn` and a runtime's own `spawn`
# do not: they carry theirs).
_NEEDS_CONTEXT = frozenset({"tokio::spawn", "tokio::task::spawn", "tokio::task::spawn_blocking"})


def sync_spawn_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.is_async or f.flow is None or f.kind != "fn":
        return []
    fl = f.flow
    direct = [
        sp
        for sp in f.spawns
        if sp.mechanism in _NEEDS_CONTEXT
        and f.own(sp.at_region)
        # In a closure or an async block the spawn runs wherever that is run, not here.
        and not any(r.kind in ("closure", "async") for r in fl.chain(sp.at_region))
    ]
    if not direct:
        return []
    if _handle_path(f, direct):
        return []
    body = ctx.fs.text[f.item.start : f.item.end]
    if re.search(r"\bblock_on\s*\(|\.join\s*\(\s*\)", body):
        return []  # it may wait after all, by blocking its thread
    mechs = list(dict.fromkeys(sp.said for sp in direct))
    if len(mechs) != 1:
        return []
    proof = [ctx.proof(sp.src) for sp in direct]
    flags = {"blocking"} if direct[0].mechanism.endswith("spawn_blocking") else set()
    last = max(direct, key=lambda sp: sp.src.end)
    # Statements between the spawn and the value the fn hands back (that value itself is
    # built as the call returns).
    end = f.tail.start if f.tail is not None and f.tail.start >= last.src.end else f.item.end
    rest = ctx.fs.text[last.src.end : end]
    if re.sub(r"[\s;,})\]]", "", rest) and not (f.tail and f.tail.start <= last.src.start):
        # rustpad's `backend` spawns its cleaner and then builds its routes: "returns as
        # soon as the task is queued" was misleading (held-out read 45).
        flags.add("then-more")
    slots = {"mech": mechs[0]}
    current = next(
        (
            c
            for c in f.calls
            if c.full.endswith("Handle::current")
            and f.own(c.region)
            and c.src.end <= direct[0].src.start
        ),
        None,
    )
    if current is not None:
        # `let handle = Handle::current();` first: that call panics outside a runtime before
        # the spawn is reached (etl's tokio metrics task, held-out read 56).
        slots["current_call"] = current.src.text
        flags.add("current-first")
        proof.append(ctx.proof(current.src))
    if _async_callers(ctx, f):
        flags.add("async-callers")
    d = ctx.fn_def(f.index)
    if d is not None and d.visibility != "pub":
        flags.add("private")  # called from the crate only: no runtime caveat (read 85)
    if len(direct) > 1 and not all(
        fl.exclusive(a.at_region, b.at_region)
        for i, a in enumerate(direct)
        for b in direct[i + 1 :]
    ):
        # Spawns in different arms of one match start one task per call, not several
        # (hyperlane's `ContractSync::sync`: its `None` arm spawns an empty task).
        # mycelium's `Router::new` starts nine tasks: "does not wait for the task .. the call
        # is over once the task is queued" hid eight of them (held-out read 55).
        flags.add("several")
        if any(fl.loop_of(sp.at_region) is not None for sp in direct):
            # HotShot's `generator` spawns once per pass of `for i in 0..2` and once after:
            # "starts two tasks" counted spawn calls, not tasks (held-out read 83 #7).
            flags.add("looped")
        elif any(fl.conditions(sp.at_region) for sp in direct):
            # feroxbuster's output handlers spawn the file task only `if !config.output
            # .is_empty()`: "`initialize` starts two tasks" was FALSE (held-out read 86 #8).
            flags.add("some-conditional")
        else:
            slots["count"] = str(len(direct))
    return [make("sync_spawn", f.name, slots, proof, flags)]


def _async_callers(ctx: FileContext, f: ItemFacts) -> bool:
    """Whether every call of the fn in the program is made from an `async fn`, which runs
    inside a runtime: then "it must be called from inside a Tokio runtime, or `tokio::spawn`
    panics" warns of nothing that can happen (read 62 counted that sentence in four records of
    21)."""
    d = ctx.fn_def(f.index)
    if d is None or not ctx.index.callers_complete(d):
        return False
    sites = ctx.index.callers(d)
    if not sites:
        return False
    for s in sites:
        if s.caller is None:
            return False
        item = ctx.index.files[s.file].items[s.caller]
        if item.kind != "fn" or "async" not in item.qualifiers:
            return False
    return True


def _handle_path(f: ItemFacts, direct: list[Spawn]) -> bool:
    """`Some(rt) => rt.spawn(..)`, `None => tokio::spawn(..)`: on the path with a handle no
    runtime need be current, so "the caller must supply a running Tokio runtime" holds on one
    arm only (jsonrpsee's `start`, held-out read 94 F20)."""
    assert f.flow is not None
    return any(
        sp not in direct and f.own(sp.at_region) and f.flow.exclusive(sp.at_region, d.at_region)
        for sp in f.spawns
        for d in direct
    )
