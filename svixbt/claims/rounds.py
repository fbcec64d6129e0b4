"""What a failed step costs the rest of its round: an error branch that `continue`s skips every
later call of the loop body until the next round (a failed first migration means the second is
not tried in that round either)."""

from __future__ import annotations

import re

from ..mechanisms import mechanism
from .core import Claim, FileContext, make
from .failures import scrutinee_call
from .shape import codes, main_loop

__all__ = ["round_claims"]


def round_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    loop = main_loop(f)
    if loop is None:
        return []
    out: list[Claim] = []
    scan = ctx.fs.scan
    for r in f.flow.regions:
        if not (r.kind == "if" and r.head.startswith("let Err(")) or not f.own(r.id):
            continue
        if f.flow.loop_of(r.id) is not loop or f.flow.conditions(r.id, stop=loop.id)[1:]:
            continue  # a nested branch: its skip is not the round's
        # Only a `continue` that the branch always takes: an exit under a further `if` is not.
        exits = [e for e in f.exits if f.flow.inside(e.region, r.id)]
        if not any(e.kind == "continue" and e.region == r.id for e in exits):
            continue
        if any(e.kind in ("return", "break") for e in exits):
            continue
        call = scrutinee_call(r.head.split("=", 1)[1])
        end = scan.starts[min(r.hi, len(scan.starts) - 1)]
        later = [
            c
            for c in f.calls
            if c.kind == "fn"
            and c.awaited
            and c.src.start > end
            and f.flow.loop_of(c.region) is loop
            and f.own(c.region)
            and mechanism(c.full) is None
            and not c.full.startswith(("tokio::", "std::", "futures::"))
        ]
        if not call or not later:
            continue
        slots = {"call": call, "skipped": codes(*dict.fromkeys(c.written for c in later))}
        flags = {"continues"}
        # `for delay in delays`: the rounds run out, and the last one has no next to catch up in.
        over = re.fullmatch(r"(?:for\s+)?.+?\s+in\s+&?([A-Za-z_][\w.]*)", loop.head)
        if loop.keyword == "for" and over:
            slots["over"] = over.group(1)
            flags.add("for")
        proof = [ctx.proof(ctx.region_src(f, r))] + [ctx.proof(c.src) for c in later]
        out.append(make("round_skips", f.name, slots, proof, flags))
    return out
