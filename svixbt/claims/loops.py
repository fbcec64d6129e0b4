"""Which of an item's loops is its pass loop (`main_loop`), and which waiting loops run beside it
(`side_loops`): sentences about "the loop" mean the pass loop."""

from __future__ import annotations

from ..facts import ItemFacts
from ..flow import Region
from .blocks import own_loops

__all__ = ["in_async", "main_loop", "own_main_loop", "side_loops"]


def main_loop(f: ItemFacts) -> Region | None:
    """The outermost loop of the item's own task that waits or awaits: the task's pass loop."""
    found = _waiting_loops(f)
    # A `for` over a list under an `if` (corrosion's `run` starting one server per configured
    # address) is set-up, not the pass loop a later `loop` is (blind read 100: its lines were
    # said "on each round of the loop, with no condition around it").
    # A loop in an async block is a future the fn builds and races or hands on (rqbit's DHT
    # `start` builds its response reader, `{ ..; async move { while let .. } }`, and races it
    # in its own `loop { select! }`): the fn's own loop is the pass loop.
    plain = [r for r in found if not _under_condition(f, r) and not in_async(f, r)]
    for r in plain:
        if r.keyword != "for":
            return r
    return plain[0] if plain else (found[0] if found else None)


def own_main_loop(f: ItemFacts) -> Region | None:
    """The pass loop when it is the item's own (not a spawned task's or a closure's)."""
    loop = main_loop(f)
    return loop if loop is not None and f.own(loop.id) else None


def _waiting_loops(f: ItemFacts) -> list[Region]:
    """The item's own outermost loops that wait or await, in source order."""
    assert f.flow is not None
    flow = f.flow
    return [
        r
        for r in own_loops(f)
        if flow.loop_of(r.parent or 0) is None
        and (
            # What a spawned task awaits is not the loop's wait (neon's `flush_remote` spawns
            # one flush per timeline in a `for`, then waits in a `while`).
            any(flow.inside(w.region, r.id) and f.own(w.region) for w in f.waits)
            or _awaits_in(f, r)
            # A `select!` awaits its futures itself (rusty-celery's consumer `loop` is one
            # select: its setup `for` was taken for the pass loop, a held-out read).
            or any(x.kind == "select-future" and flow.inside(x.id, r.id) for x in flow.regions)
        )
    ]


def _awaits_in(f: ItemFacts, r: Region) -> bool:
    """Whether loop ``r`` has an `.await` of its own task: a call's, or a join handle's (`for h
    in handles { h.await }` waits, though it calls nothing)."""
    assert f.flow is not None
    flow, t = f.flow, f.flow.scan.texts
    return any(
        t[k] == "await" and t[k - 1] == "." and f.own(flow.region_at(k).id)
        for k in range(r.lo, r.hi)
    )


def side_loops(f: ItemFacts) -> list[Region]:
    """Waiting loops of the item beside its `main_loop`: a replay loop before the main one, a
    wait-for-start loop before the streaming one. Sentences about "the loop" mean the main one."""
    main = main_loop(f)
    return [r for r in _waiting_loops(f) if main is not None and r.id != main.id]


def _under_condition(f: ItemFacts, r: Region) -> bool:
    assert f.flow is not None
    return r.parent is not None and any(
        a.kind in ("if", "else", "arm", "let-else") for a in f.flow.chain(r.parent)
    )


def in_async(f: ItemFacts, r: Region) -> bool:
    assert f.flow is not None
    return r.parent is not None and any(a.kind == "async" for a in f.flow.chain(r.parent))
