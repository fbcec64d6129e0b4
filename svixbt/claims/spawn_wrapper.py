"""What a crate's own spawn wrapper does, said where an item spawns through it (serenity's
`spawn_named`): "`spawn_named` runs a task" alone leaves a reader to guess it is a spawn."""

from __future__ import annotations

from ..facts import ItemFacts, Src
from ..mechanisms import WRAPPED_SPAWN
from .core import Claim, FileContext, make

__all__ = ["wrapper_claims"]


def wrapper_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """What each crate wrapper the item spawns through does (serenity's `spawn_named`): a think
    that says "`spawn_named` runs a task" would leave a reader to guess that it is a spawn."""
    out: list[Claim] = []
    for said in dict.fromkeys(
        sp.said for sp in f.spawns if sp.mechanism == WRAPPED_SPAWN and f.own(sp.at_region)
    ):
        w = ctx.index.wrappers.get(said.split("::")[-1])
        if w is None:
            continue
        text = ctx.index.files[w.file].scan.text[w.start : w.end]
        # Named as the spawn names it (`crate::sync::spawn` called by its path, pict-rs): the
        # plans match the wrapper to the spawns that go through it by that name.
        slots = {"wrapper": said, "wrapper_file": ctx.other_display(w.file), "wraps": w.wraps}
        proof = [ctx.other_proof(w.file, Src(w.start, w.end, text))]
        flags = {"several"} if w.spawns > 1 else set()
        out.append(make("spawn_wrapper", f.name, slots, proof, flags))
    return out
