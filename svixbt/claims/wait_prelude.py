"""A call a wait makes on the owner of its duration just before it sleeps: fang's worker naps
through `self.sleep()`, which calls `self.sleep_params.maybe_increase_sleep_period()` and then
sleeps `self.sleep_params.sleep_period`. "a `tokio::time::sleep` on that field" left the call
out, and with it the reason the pause changes (a held-out read). What the call does is not
said; that it is made, on the same value the wait reads, is.
"""

from __future__ import annotations

from ..facts import ItemFacts, Wait
from .core import Claim, FileContext, make

__all__ = ["wait_prelude_claims"]


def _prelude(f: ItemFacts, w: Wait) -> tuple[str, str, int] | None:
    """(the call as written, the owner it is made on, its index into ``f.calls``) for a method
    call on the owner of ``w``'s duration (`self.sleep_params` of `self.sleep_params.period`)
    made in the same block before ``w``, or None."""
    parts = w.arg.split(".")
    if len(parts) < 3 or parts[0] != "self" or not all(p.isidentifier() for p in parts):
        return None
    owner = ".".join(parts[:-1])
    for n, c in enumerate(f.calls):
        if (
            c.kind == "method"
            and c.receiver == owner
            and c.region == w.region
            and c.src.end <= w.src.start
            and not c.awaited
        ):
            return f"{owner}{c.written}()" if not c.args else "", owner, n
    return None


def wait_prelude_claims(
    ctx: FileContext, f: ItemFacts, waits: list[tuple[Wait, str]]
) -> list[Claim]:
    """``waits``: the item's own waits with the same-file helper each goes through
    (``own_waits``). One claim per helper (or for the item itself) whose sleep follows such a
    call."""
    out: list[Claim] = []
    seen: set[str] = set()
    for w, via in waits:
        if w.role != "sleep" or via in seen:
            continue
        seen.add(via)
        helper = f if not via else _helper(ctx, f, via)
        if helper is None:
            continue
        sleeps = [x for x in helper.waits if x.role == "sleep" and helper.own(x.region)]
        if len(sleeps) != 1:
            continue
        found = _prelude(helper, sleeps[0])
        if found is None or not found[0]:
            continue
        call, owner, n = found
        slots = {"before": call, "owner": owner, "arg": sleeps[0].arg, "mech": sleeps[0].mechanism}
        flags = set()
        if via:
            slots["via"] = via
            flags.add("via-helper")
        proof = [ctx.proof(helper.calls[n].src), ctx.proof(sleeps[0].src)]
        out.append(make("wait_prelude", f.name, slots, proof, flags))
    return out


def _helper(ctx: FileContext, f: ItemFacts, via: str) -> ItemFacts | None:
    if via.startswith("self."):
        return ctx.same_impl_fn(f, via.split(".", 1)[1])
    return ctx.local_fn(via)
