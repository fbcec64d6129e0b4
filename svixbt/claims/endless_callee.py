"""A spawned call of a crate fn that never returns: every definition of the callee is a `loop`
nothing leaves and that looks at no shutdown signal, so the task never ends by itself."""

from __future__ import annotations

from ..facts import ItemFacts, Spawn, Src, item_facts
from .callee_ends import callee_pace
from .core import Claim, FileContext, make
from .main_call import main_call_of
from .shape import await_name, never_ends
from .spawn_shapes import runs_the_runtime

__all__ = ["endless_callee"]


def endless_callee(ctx: FileContext, f: ItemFacts, sp: Spawn) -> list[Claim]:
    """`tokio::spawn(twiddle(reporter))` where every definition of `twiddle` in the crate is a
    `loop` nothing leaves and that looks at no shutdown signal: the task never ends by itself
    ("whose task goes on by itself for as long as it takes" of tonic's health example, read
    38). Said with the callee's own loop as proof."""
    assert f.flow is not None
    call = main_call_of(f, f.flow.regions[sp.region])
    fi = ctx.index.file_of(ctx.fs)
    if call is None or fi is None or f.flow.loop_of(call.region) is not None:
        return []
    defs = ctx.index.callees_at(fi, call.src.start)
    if not defs:
        return []
    proofs = []
    for d in defs:
        g = item_facts(ctx.index.files[d.file], d.item)
        if g.flow is None or not g.flow.regions:
            return []
        top = g.flow.regions[0]
        text = ctx.index.files[d.file].scan.text[g.item.start : g.item.end]
        if not never_ends(g, top.id, text):
            return []
        loop = next(r for r in g.flow.regions if r.kind == "loop")
        src = g.flow.scan.starts[loop.start_tok] if loop.start_tok >= 0 else g.item.start
        said = ctx.index.files[d.file].scan.text[src : src + 4]
        proofs.append(ctx.other_proof(d.file, Src(src, src + 4, said)))
    slots, flags, paced = callee_pace(ctx, defs)  # its round, when it can be said
    slots |= {"mech": sp.said, "callee": await_name(call)}
    flags.add("callee")
    if sp.handle == "dropped" or sp.handle.startswith("bound:_"):  # `let _task` (read 85 #2)
        flags.add("in-main" if runs_the_runtime(f) else "outlives")
    return [make("endless_task", f.name, slots, [ctx.proof(sp.src), *proofs, *paced], flags)]
