"""A select branch on a channel's `recv()` whose handler lets `None` through: once every sender
is gone, that branch is ready at once on every round with `None`, the handler does nothing
that leaves the loop, and the loop goes round without waiting.

helium's reward indexer binds `msg = rx.recv()` and acts under `if let Some(..)`; its gateway
`continue`s on `None`. A held-out read (25) found both records silent on it, though it is the
one behaviour of those loops that would page someone. Said only where the handler binds the
value whole (a `Some(x) = rx.recv()` pattern switches the branch off instead), names `None` or
tests `Some` itself, and holds no `break` or `return`.
"""

from __future__ import annotations

import re

from ..facts import ItemFacts
from .core import Claim, FileContext, make

__all__ = ["closed_spin_claims"]

_RECV = re.compile(r"^(?:&mut\s+)?([\w.]+)\.recv\(\)$")
_BINDING = re.compile(r"^(?:mut\s+)?([a-z_]\w*)$")


def closed_spin_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    t = fl.scan.texts
    out: list[Claim] = []
    for h in fl.regions:
        if h.kind != "select-handler" or not f.own(h.id) or fl.loop_of(h.id) is None:
            continue
        m = _RECV.match(h.detail.strip())
        b = _BINDING.match(h.head.strip())
        if m is None or b is None:
            continue
        body = t[h.lo : h.hi]
        if "None" not in body and not _tests_some(body, b.group(1)):
            continue
        # Under `if let Some(..)` a `?` is on the `Some` path: `None` still passes through.
        # With `None` written out, a `?` may be its way out: not said.
        leaving = (
            ("break", "return", "exit")
            if "None" not in body
            else ("break", "return", "exit", "question")
        )
        if any(e.kind in leaving and fl.inside(e.region, h.id) for e in f.exits) or any(
            fl.inside(w.region, h.id) for w in f.waits
        ):
            continue  # a way out, or a pause of its own on that path
        proof = ctx.proof(ctx.head_src(h))
        slots = {"future": h.detail.strip(), "recv": m.group(1)}
        out.append(make("closed_spin", f.name, slots, [proof]))
    return out


def _tests_some(body: list[str], var: str) -> bool:
    """`if let Some(x) = var` in the handler: `None` passes through it doing nothing."""
    for i in range(len(body) - 6):
        if body[i : i + 3] == ["if", "let", "Some"] and var in body[i + 3 : i + 10]:
            return True
    return False
