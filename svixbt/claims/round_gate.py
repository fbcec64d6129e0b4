"""A check at the top of a pass loop's round that ends the round early: `interval.tick().await;
if !DB::hql().is_leader_cache().await { debug!(..); continue; }`. rauthy's schedulers all do
their work only on the cluster's leader; their cadence records said the interval and nothing of
the rounds a follower skips, and a round with no pause of its own before such a `continue` goes
straight round again (session 54)."""

from __future__ import annotations

from ..facts import ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from .core import Claim, FileContext, make
from .round_work import call_said
from .shape import codes, own_main_loop

__all__ = ["round_gate_claims"]

_MAX_NAMED = 2


def round_gate_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    loop = own_main_loop(f)
    if loop is None:
        return []
    gate = _first_gate(f, loop)
    if gate is None:
        return []
    start = fl.scan.starts[gate.start_tok]
    end = fl.end_of(gate)
    waits = [w for w in f.waits if w.region == loop.id and w.role in ("tick", "sleep")]
    if not waits or any(fl.inside(w.region, gate.id) for w in waits):
        return []
    flags: set[str] = set()
    before = [w for w in waits if w.src.end <= start]
    if before:
        flags.add("wait-first")
        wait = next((w for w in before if w.role == "tick"), before[-1])
    elif all(w.src.start >= end for w in waits):
        # Nothing before the gate holds the round up: the `continue` skips every pause the
        # loop has of its own.
        flags.add("skips-wait")
        wait = waits[0]
    else:
        return []
    slots = {
        "cond": gate.head.strip(),
        "wait": wait.written if wait.role == "tick" else wait.mechanism,
    }
    flags.add("tick" if wait.role == "tick" else "sleep")
    logs = [g for g in f.logs if fl.inside(g.region, gate.id)]
    if logs and not logs[0].message:
        return []  # a bare `debug!()`: no line to quote
    if logs:
        slots["message"] = logs[0].message
        slots["level"] = logs[0].level
        flags.add("logs")
    later = _work_after(f, loop, end)
    if later and all(later) and len(later) <= _MAX_NAMED:
        slots["calls"] = codes(*dict.fromkeys(later))
        flags.add("named")
    proof = [ctx.proof(ctx.region_src(f, gate)), ctx.proof(wait.src)]
    return [make("round_gate", f.name, slots, proof, flags)]


def _first_gate(f: ItemFacts, loop: Region) -> Region | None:
    """The `if` written right in ``loop``'s body, with no `else`, whose block does nothing but
    log and `continue` that loop, and which comes before any awaited work of the round."""
    assert f.flow is not None
    fl = f.flow
    for r in sorted(fl.children(loop.id), key=lambda r: r.lo):
        if r.kind != "if":
            if r.kind in ("closure", "async"):
                continue
            return None  # a branch or loop of the round's own comes first
        start = fl.scan.starts[r.start_tok]
        if _work_before(f, loop, start):
            return None  # a check after the round's work skips nothing of it
        if _gate_block(f, r) and not _has_else(f, r):
            return r
        # An earlier `if` of another kind is work of the round, and may leave it: faktory's
        # heartbeat loop checks its workers and may `break` before the gate, and "right after
        # the tick .. doing none of its work" was FALSE (held-out read 95 #2-#4).
        return None
    return None


def _has_else(f: ItemFacts, r: Region) -> bool:
    """Whether an `else` or `else if` follows ``r``: then the round does not simply go on past
    it."""
    assert f.flow is not None
    return any(
        o.after and o.parent == r.parent and o.lo > r.hi and r.head in o.after
        for o in f.flow.regions
    )


def _gate_block(f: ItemFacts, r: Region) -> bool:
    assert f.flow is not None
    fl = f.flow
    exits = [e for e in f.exits if fl.inside(e.region, r.id)]
    if len(exits) != 1 or exits[0].kind != "continue" or exits[0].expr:
        return False
    if any(o.parent == r.id for o in fl.regions):
        return False
    if any(a.region == r.id for a in f.assigns) or any(w.region == r.id for w in f.waits):
        return False
    logs = {g.src.start for g in f.logs if g.region == r.id}
    # Every call in the block is one of its log lines (or inside one): nothing else is done.
    return all(
        c.kind == "macro"
        and c.src.start in logs
        or any(g.src.start <= c.src.start < g.src.end for g in f.logs if g.region == r.id)
        for c in f.calls
        if c.region == r.id
    )


def _work_before(f: ItemFacts, loop: Region, start: int) -> bool:
    """Whether the round awaits work of its own before char offset ``start`` (its waits
    aside)."""
    assert f.flow is not None
    body = f.flow.scan.starts[loop.lo]
    return any(
        c.awaited
        and body <= c.src.start < start
        and f.flow.inside(c.region, loop.id)
        and f.flow.task_of(c.region).id == f.flow.task_of(loop.id).id
        and mechanism(c.full) is None
        and not any(w.src.start <= c.src.start < w.src.end for w in f.waits)
        and not f.flow.behind_operand(c.src.start)
        and not any(
            r.kind == "if" and r.head_start <= c.src.start < r.head_end for r in f.flow.regions
        )
        for c in f.calls
    )


def _work_after(f: ItemFacts, loop: Region, after: int) -> list[str]:
    """The awaited calls of the round after char offset ``after``, as a reader names them
    ("" for one a name cannot be given): what the early `continue` leaves undone."""
    assert f.flow is not None
    end = f.flow.end_of(loop)
    return [
        call_said(c)
        for c in sorted(f.calls, key=lambda c: c.src.start)
        if c.awaited
        and after <= c.src.start < end
        and f.flow.inside(c.region, loop.id)
        and f.flow.task_of(c.region).id == f.flow.task_of(loop.id).id
        and mechanism(c.full) is None
        and not any(w.src.start <= c.src.start < w.src.end for w in f.waits)
    ]
