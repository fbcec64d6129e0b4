"""A `for` loop of a fn's own task that awaits a call each round, beside a fan-out the fn
spawns: those calls go one after another where the fan-out's run side by side (kept apart from
``spawns`` to keep each module small)."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Spawn
from ..mechanisms import mechanism
from .core import Claim, FileContext, make

__all__ = ["serial_loops"]

_PERMITS = frozenset({"acquire", "acquire_owned", "acquire_many", "acquire_many_owned"})


def serial_loops(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A `for` loop of the fn's own task that awaits a call each round, beside a fan-out the
    fn spawns per element or count: those calls go one after another, where the fan-out's run
    side by side. svix-cli's seed `exec` creates its event types in such a loop between two
    fan-outs; asked how long a full run takes, its answers never said so (blind reads 82, 87)."""
    assert f.flow is not None
    fans = [sp for sp in f.spawns if _side_by_side(f, sp)]
    if not fans:
        return []
    out: list[Claim] = []
    for loop in f.flow.regions:
        if loop.kind != "loop" or loop.keyword != "for" or not f.own(loop.id):
            continue
        awaited = [
            c
            for c in f.calls
            if c.awaited
            and f.flow.loop_of(c.region) is loop  # not an inner loop's (a page loop's)
            and f.flow.task_of(c.region).parent is None
            and mechanism(c.full) is None
        ]
        # A loop that only awaits handles (`for h in handles { h.await }`) awaits no call: it
        # is the fan-in, not a series.
        if not awaited:
            continue
        # A loop that awaits a permit (`semaphore.acquire_owned()`) and hands the work on is a
        # throttle, not a series (ballista's poll loop: "its elements go in series" while
        # each task runs on an executor, blind read 19).
        if any(c.name in _PERMITS for c in awaited):
            continue
        # Only beside a fan-out on a path it shares: a loop in another arm of a `match` than
        # the spawns runs when none of them does (linera's `QueryShardInfo` arm, read 75 #19).
        if all(f.flow.exclusive(loop.id, sp.at_region) for sp in fans):
            continue
        # A loop that also sleeps is timed by its pauses, not by the sum of its calls (read 75
        # #19: `delay_between_processes` between children).
        if any(f.flow.loop_of(w.region) is loop for w in f.waits):
            continue
        head = f"{loop.keyword} {loop.head}".strip()
        if any(sp.repeated == head for sp in f.spawns):
            continue
        # A path call is named by its path (`Self::submit_task_outcome`; "it awaits `Self`"
        # named a type, read 75 #32); a method by its receiver chain.
        first = awaited[0]
        call = _chain_of(ctx, first.tok) if first.kind == "method" else first.written
        slots = {"head": head, "call": call}
        proof = [ctx.proof(ctx.region_src(f, loop)), ctx.proof(awaited[0].src)]
        out.append(make("serial_loop", f.name, slots, proof))
    return out


def _side_by_side(f: ItemFacts, sp: Spawn) -> bool:
    """Whether ``sp`` is a fan-out whose tasks run side by side: one per element, not each
    awaited before the next starts (surrealdb's external sort awaits every `spawn_blocking` in
    its loop: "while the spawned tasks run side by side" was FALSE, read 72), nor each held to a
    permit first (its module loader takes a semaphore's: read 72 #9)."""
    assert f.flow is not None
    if not sp.repeated or not f.own(sp.at_region) or sp.handle == "awaited":
        return False
    return not any(
        c.name in _PERMITS and f.flow.inside(c.region, sp.region) for c in f.calls if c.awaited
    )


def _chain_of(ctx: FileContext, tok: int) -> str:
    """The method call at token ``tok`` with the receiver chain before it, without arguments
    (`client.event_type().create`)."""
    t, match = ctx.fs.scan.texts, ctx.fs.scan.match
    k = tok
    while k >= 2 and t[k - 1] == ".":
        j = k - 2
        if t[j] == ")":
            # `event_type()`: the call before the parens (``match`` is kept on the opener).
            opener = next((i for i in range(j - 1, max(j - 200, 0), -1) if match[i] == j), 0)
            j = opener - 1
        if not re.fullmatch(r"\w+", t[j]):
            break
        k = j
    return "".join(t[k : tok + 1])
