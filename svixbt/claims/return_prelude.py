"""What a branch awaits right before it returns: `Err(err) => { join_set.shutdown().await;
return Err(err); }` aborts and waits for the tasks still in the set first. "When the result is
`Err(err)`, it returns `Err(err)`" dropped that step (blind read 20 on dragonfly's
`upload_content`, misleading twice)."""

from __future__ import annotations

from ..facts import ItemFacts
from .core import Claim, FileContext, Proof, make
from .round_work import call_said
from .shape import codes

__all__ = ["return_prelude_claims"]


def return_prelude_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts.get(idx)
    if f is None or f.flow is None:
        return []
    fl = f.flow
    sets = _sets(f)
    # Arms that await the same calls before their return are said together (dragonfly's piece
    # download shuts its set down in three error arms).
    groups: dict[tuple[str, ...], tuple[list[str], list[str], list[Proof]]] = {}
    for e in f.exits:
        if e.kind != "return" or not f.own(e.region) or not e.expr:
            continue
        home = fl.regions[e.region]
        if home.kind != "arm" or not home.head:
            continue  # a branch of a `match`: what the request names by its pattern
        before = [
            c
            for c in f.calls
            if c.awaited
            and c.region == e.region
            and c.src.end <= e.src.start
            and call_said(c)
            and not any(c.src.start < x.src.start < e.src.start for x in f.exits if x is not e)
        ]
        if not before:
            continue
        key = tuple(dict.fromkeys(call_said(c) for c in before))
        arms, exprs, proof = groups.setdefault(key, ([], [], []))
        if home.head not in arms:
            arms.append(home.head)
        if e.expr not in exprs:
            exprs.append(e.expr)
        proof += [ctx.proof(c.src) for c in before] + [ctx.proof(e.src)]
    out: list[Claim] = []
    for calls, (arms, exprs, proof) in groups.items():
        slots = {"expr": codes(*exprs), "arm": codes(*arms), "calls": codes(*calls)}
        flags: set[str] = {"several"} if len(arms) > 1 else set()
        # Only where the set's shutdown is all the arm awaits: "which aborts every task" after
        # two calls would be said of both.
        if len(calls) == 1 and any(f"{name}.shutdown()" == calls[0] for name in sets):
            flags.add("joinset-shutdown")
        out.append(make("return_prelude", f.name, slots, proof, flags))
    return out


def _sets(f: ItemFacts) -> set[str]:
    """The names of the JoinSets the fn spawns into."""
    assert f.flow is not None
    return {
        f.flow.regions[s.region].detail.split(".", 1)[0]
        for s in f.spawns
        if s.handle == "in-set" and f.flow.regions[s.region].detail
    }
