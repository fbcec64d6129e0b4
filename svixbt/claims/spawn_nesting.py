"""A spawn per iteration of a `for` that sits in another `for` of the same task: one task per
pair of the two loops' elements (kept apart from ``spawns`` to keep each module small)."""

from __future__ import annotations

from ..facts import ItemFacts, Spawn
from .core import Claim, FileContext, make

__all__ = ["spawn_nesting"]


def spawn_nesting(ctx: FileContext, f: ItemFacts, sp: Spawn) -> list[Claim]:
    """A spawn per iteration of a loop that sits in another loop of the same task: one task
    per pair, not per element of either (triagebot's `Step::call` spawns inside `for .. in
    queries`, itself inside `for repo in repos`: "one task per element of `repos`" was false,
    blind reads 17 and 19)."""
    assert f.flow is not None
    if not sp.repeated.startswith(("for ", "while ")):
        return []
    loops = [r for r in f.flow.chain(sp.at_region) if r.kind == "loop"]
    home = f.flow.task_of(sp.at_region).id
    loops = [r for r in loops if f.flow.task_of(r.id).id == home]
    if len(loops) < 2 or loops[0].keyword != "for" or loops[1].keyword != "for":
        return []
    inner, outer = loops[0], loops[1]
    slots = {"repeated": sp.repeated, "outer": f"for {outer.head}", "mech": sp.said}
    proof = [ctx.proof(ctx.region_src(f, inner)), ctx.proof(ctx.region_src(f, outer))]
    return [make("spawn_nesting", f.name, slots, proof)]
