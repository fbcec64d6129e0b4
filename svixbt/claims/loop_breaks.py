"""A `break` of a fn's main loop taken under a condition or in one `match` arm, outside any
select: hickory's UDP server also leaves its loop when a receive error is unrecoverable, and its
exits answer named only the select's `None` (a held-out read). Each is said with what it needs.
"""

from __future__ import annotations

from ..facts import ItemFacts
from ..flow import Region
from .core import Claim, FileContext, make
from .exits import exit_loop
from .shape import guard_of, put_guard

__all__ = ["loop_break_claims"]


def loop_break_claims(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    if f.flow is None or loop is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    for e in f.exits:
        if e.kind != "break" or not f.own(e.region) or exit_loop(f, e) is not loop:
            continue
        if any(a.kind in ("select-handler", "closure", "async") for a in fl.chain(e.region)):
            continue  # a select branch's break is ``select_exit``'s
        conds, arm, negated = guard_of(f, e.region, loop.id, e.src.start)
        if negated or not (conds or arm):
            continue  # under an `else`, or the loop's one way out (said by ``loop``)
        slots: dict[str, str] = {}
        flags: set[str] = set()
        put_guard(slots, flags, conds, arm)
        out.append(make("loop_break", f.name, slots, [ctx.proof(e.src)], flags))
    return out
