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

from ..crate_index import owner_of
from ..facts import Call, ItemFacts
from .core import Claim, FileContext, Proof, make
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
    if any(r.kind in ("if", "else", "arm", "let-else") for r in g.flow.chain(c.region)):
        return True
    # Or past an earlier `return` that skips it (propolis' `SourceBuffer::notify` returns
    # before its `notify_one` while polling is active: said unconditional, read 85 #4).
    return any(
        e.kind in ("return", "question", "ensure") and e.src.end <= c.src.start and g.own(e.region)
        for e in g.exits
    )


def waker_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    waits: dict[str, Call] = {}
    for c in f.calls:
        if c.kind == "method" and c.name == "notified" and f.own(c.region):
            field_ = _field(c.receiver)
            if field_:
                waits.setdefault(field_, c)
    out: list[Claim] = []
    mine = owner_of(ctx.fs, idx)
    for field_, wait in waits.items():
        sites: list[tuple[ItemFacts, Call]] = [
            (g, c)
            for g in ctx.facts.values()
            if g.kind == "fn" and g.index != idx
            for c in g.calls
            if c.kind == "method"
            and c.name in _WAKE
            and _field(c.receiver) == field_
            # `self.data_ready` of another type is another `Notify` (propolis' pollers: the
            # blocking buffer's own field was said to wake `SourceBuffer::wait`, read 85 #3).
            and not (
                wait.receiver.startswith("self.")
                and c.receiver.startswith("self.")
                and mine
                and owner_of(ctx.fs, g.index) != mine
            )
        ]
        nested = _nested_sites(ctx, idx, field_)
        if not sites and not nested:
            continue
        by = list(dict.fromkeys([*(owned_name(ctx, g) for g, _ in sites), *nested]))
        methods = sorted({c.name for _, c in sites} | {m for _, m in nested.values()})
        flags = {"stored"} if methods == ["notify_one"] else set()
        # A wake made only under a condition (`if notify { .. }` in mini-redis's `Db::set`) is
        # said as one (blind read 99: "dropped condition"); one in a fn nested in a body runs
        # only when that fn is called.
        when = list(
            dict.fromkeys([*(owned_name(ctx, g) for g, c in sites if _conditional(g, c)), *nested])
        )
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
        proof += [p for ps, _ in nested.values() for p in ps]
        out.append(make("woken_by", f.name, slots, proof, flags))
    return out


def _nested_sites(ctx: FileContext, idx: int, field_: str) -> dict[str, tuple[list[Proof], str]]:
    """Wakes on ``field_`` that no fn's facts hold: those in a fn declared inside another fn's
    body (rqbit's `ManagedTorrent::start` wakes its waiters from its nested `_start`; "woken in
    `stop_with_error` and `pause`" left out the five that matter, held-out read 28). By the
    enclosing fn's name, with the proofs and the method."""
    scan = ctx.fs.scan
    t, starts = scan.texts, scan.starts
    out: dict[str, tuple[list[Proof], str]] = {}
    for k in range(2, len(t) - 1):
        if t[k] not in _WAKE or t[k - 1] != "." or t[k + 1] != "(" or t[k - 2] != field_:
            continue
        at = starts[k - 2]
        owner = next(
            (
                i
                for i, it in enumerate(ctx.fs.items)
                if it.kind == "fn" and it.start <= at < it.end and not it.is_test
            ),
            None,
        )
        g = ctx.facts.get(owner) if owner is not None else None
        if g is None or owner == idx or any(c.tok == k for c in g.calls):
            continue
        close = scan.match[k + 1] if scan.match[k + 1] > k else k + 1
        end = starts[close] + 1
        name = owned_name(ctx, g)
        entry = out.setdefault(name, ([], t[k]))
        entry[0].append(Proof(ctx.display, at, end, scan.text[at:end]))
    return out
