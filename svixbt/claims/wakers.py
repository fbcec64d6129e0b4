"""Who wakes a task that waits on a `Notify`: the fns of its file that call `notify_one` or
`notify_waiters` on the field it awaits `notified()` on.

A loop parked on `shared.background_task.notified()` is woken from elsewhere: mini-redis's
purge task by `Db::set` (a key that expires sooner) and by `Db::shutdown_purge_task`. A think
that stops at the `select!` says only "the two are raced" (blind read 98: "misses the
`notify_one` wake that makes shutdown prompt").

The match is by the field's name within one file: a field of that name in another file may be
another `Notify` altogether, so other files are not searched and nothing is said about them.
"""

from __future__ import annotations

from ..facts import Call, ItemFacts
from .core import Claim, FileContext, make
from .shape import codes, owned_name

__all__ = ["waker_claims"]

_WAKE = ("notify_one", "notify_waiters")


def _field(receiver: str) -> str:
    """The last field of a receiver path (`shared.background_task` -> `background_task`); ""
    for a receiver that is a bare local, which names no field another fn could reach."""
    parts = receiver.split(".")
    return parts[-1] if len(parts) >= 2 and parts[-1].isidentifier() else ""


def _conditional(g: ItemFacts, c: Call) -> bool:
    """Whether call ``c`` runs only under an `if`, a `match` arm or an `else` of ``g``."""
    if g.flow is None:
        return True
    return any(r.kind in ("if", "else", "arm", "let-else") for r in g.flow.chain(c.region))


def waker_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    waits: dict[str, Call] = {}
    for c in f.calls:
        if c.kind == "method" and c.name == "notified" and f.own(c.region):
            field_ = _field(c.receiver)
            if field_:
                waits.setdefault(field_, c)
    out: list[Claim] = []
    for field_, wait in waits.items():
        sites: list[tuple[ItemFacts, Call]] = [
            (g, c)
            for g in ctx.facts.values()
            if g.kind == "fn" and g.index != idx
            for c in g.calls
            if c.kind == "method" and c.name in _WAKE and _field(c.receiver) == field_
        ]
        if not sites:
            continue
        by = list(dict.fromkeys(owned_name(ctx, g) for g, _ in sites))
        methods = sorted({c.name for _, c in sites})
        flags = {"stored"} if methods == ["notify_one"] else set()
        # A wake made only under a condition (`if notify { .. }` in mini-redis's `Db::set`) is
        # said as one (blind read 99: "dropped condition").
        when = list(dict.fromkeys(owned_name(ctx, g) for g, c in sites if _conditional(g, c)))
        if len(by) == 1:
            flags.add("one-waker")
        slots = {
            "future": f"{wait.receiver}.notified()",
            "method": codes(*methods),
            "by": codes(*by),
        }
        if when:
            slots["sometimes"] = codes(*when)
            flags.add("some-conditional")
        proof = [ctx.proof(wait.src), *(ctx.proof(c.src) for _, c in sites)]
        out.append(make("woken_by", f.name, slots, proof, flags))
    return out
