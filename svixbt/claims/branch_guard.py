"""The select branch a timeout sits in: `Ok(tx) = stop_rx => { kill(); timeout(3s, proc.wait()) }`.

A timeout written in one branch's handler bounds a wait on that path only. Said bare, "it
should stop waiting for `proc.wait` after 3 seconds" read as a bound on the select's own
`proc.wait()` branch, which waits without limit (mullvad's eslogger, held-out read 89 #43).
"""

from __future__ import annotations

from dataclasses import replace

from ..facts import ItemFacts
from .core import Claim, FileContext

__all__ = ["mark_handler_branch"]

# Kinds whose sentences say a bound without the branch it is on.
_BRANCH_KINDS = frozenset({"timeout"})


def mark_handler_branch(ctx: FileContext, f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """Timeout claims proven inside one select handler, with that branch's future as slot
    ``won_by`` (flag ``in-handler``)."""
    fl = f.flow
    if fl is None:
        return claims
    scan = ctx.fs.scan
    spans = [
        (scan.starts[r.lo], scan.starts[r.hi - 1] + 1, r.detail)
        for r in fl.regions
        if r.kind == "select-handler" and r.detail and f.own(r.id) and r.hi > r.lo
    ]
    out = []
    for c in claims:
        own = [p for p in c.proof if p.file == ctx.display]
        inside = {d for a, b, d in spans if own and all(a <= p.start and p.end <= b for p in own)}
        if c.kind in _BRANCH_KINDS and len(inside) == 1 and not c.get("won_by"):
            slots = (*c.slots, ("won_by", inside.pop()))
            c = replace(c, slots=slots, flags=c.flags | {"in-handler"})
        out.append(c)
    return out
