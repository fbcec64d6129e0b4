"""A stop raced only in an inner loop: the loop around it waits on something else unraced.

iroh's packet store races `self.cancel.cancelled()` inside its per-batch `for`, while its outer
`while let Some(msg) = self.recv.recv().await` waits with no stop beside it: "winning makes its
handler do `return`, whatever the other branches were still waiting for" left out that an
idle actor never sees the stop there (held-out read 50).
"""

from __future__ import annotations

from ..facts import ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from .shape import await_name

__all__ = ["checked_again", "inner_loop_of", "outer_wait"]


def outer_wait(f: ItemFacts, handler: Region) -> str:
    """The first call the loop around the stop's own loop awaits outside it, unraced; ""."""
    assert f.flow is not None
    fl = f.flow
    outer = _outer_loop(f, handler)
    if outer is None:
        return ""
    raced = ("select-future", "select-handler", "timeout-future", "cancellable")
    for c in sorted(f.calls, key=lambda c: c.src.start):
        if not c.awaited or fl.loop_of(c.region) is not outer:
            continue
        if any(r.kind in raced for r in fl.chain(c.region)) or mechanism(c.full) is not None:
            continue
        return await_name(c)
    return ""


def inner_loop_of(f: ItemFacts, r: Region) -> bool:
    """Whether region ``r`` sits in a loop that is itself inside another loop of the same
    task."""
    return _outer_loop(f, r) is not None


def _outer_loop(f: ItemFacts, r: Region) -> Region | None:
    """The loop around the loop ``r`` sits in, in the same task; None if there is none."""
    assert f.flow is not None
    fl = f.flow
    inner = fl.loop_of(r.id)
    if inner is None or inner.parent is None:
        return None
    outer = fl.loop_of(inner.parent)
    if outer is None or fl.task_of(outer.id).id != fl.task_of(inner.id).id:
        return None
    return outer


def checked_again(f: ItemFacts, loop: Region, check: Region) -> bool:
    """The same condition is tested again elsewhere in the loop (lumina's pruner, before each
    height of an inner `for`): the top check is not the only place a round reads it, so it is
    not "read once per round" (held-out read 83 #1)."""
    assert f.flow is not None
    return any(
        r.id != check.id
        and r.kind == "if"
        and r.head == check.head
        and f.flow.inside(r.id, loop.id)
        for r in f.flow.regions
    )
