"""A sleep in the handler of one `select!` branch, under no other condition: it runs only on the
rounds that branch wins, after its work. linera's indexer exporter sleeps 500 ms once its ack
stream ends, before it reconnects; its record called that "the pause between rounds" and asked
for it as pacing (read 75 #4), while a round the streamer wins goes round with no wait."""

from __future__ import annotations

from ..fact_types import Wait
from ..facts import ItemFacts
from .core import Claim, FileContext, make

__all__ = ["handler_sleep"]


def handler_sleep(ctx: FileContext, f: ItemFacts, w: Wait, slots: dict[str, str]) -> Claim | None:
    """The claim for ``w`` when it sits in a select handler inside its loop; None otherwise."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    for r in f.flow.chain(w.region):
        if loop is not None and r.id == loop.id:
            return None
        if r.kind in ("async", "closure"):
            # A sleep in a future written inside the handler (faktory's shutdown grace sleep,
            # a branch of a second select) runs as that future, not as the handler's step.
            return None
        if r.kind == "select-handler":
            future = " ".join(r.detail.split())
            if not future or len(future) > 60 or not slots.get("dur"):
                return None
            out = dict(slots, branch=future)
            flags = {"in-loop"} if loop is not None else set()
            return make("handler_sleep", f.name, out, [ctx.proof(w.src)], flags)
    return None
