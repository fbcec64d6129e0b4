"""Claims about which errors a retry loop retries at all: a `match` on an attempt's result that
returns some errors at once and lets the rest fall through to the wait and another attempt."""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import ItemFacts, Wait
from ..flow import Region
from .core import Claim, FileContext, Proof, make
from .redo import variant_names
from .shape import await_name, codes

__all__ = ["retry_filters"]


def _arm_pattern(head: str) -> str:
    """`e @ Err(Error::Validation(_))` -> `Err(Error::Validation(_))`: the binding says nothing
    about which errors the arm takes."""
    return re.sub(r"^[a-z_]\w*\s*@\s*", "", head.strip())


def retry_filters(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A retry loop's `match` on the attempt's result whose arms return some errors at once and
    let the rest fall through to the wait and another attempt (the Rust SDK's
    `execute_with_backoff`: a validation error or a 4xx goes straight back, anything else is
    retried). Blind reads 57-58 docked its think for never saying which errors reach the sleep.
    Nothing is claimed unless every arm is an `Ok(..)` or `Err(..)` pattern and each `Err` arm
    either returns directly or reaches the wait (at most one `if` inside it returns)."""
    assert f.flow is not None
    out: list[Claim] = []
    regions = f.flow.regions
    for w in f.waits:
        if w.role != "sleep" or not f.own(w.region):
            continue
        loop = f.flow.loop_of(w.region)
        if loop is None or loop.keyword != "loop":
            continue
        for m in regions:
            if m.kind != "match" or f.flow.loop_of(m.id) is not loop:
                continue
            if ctx.fs.scan.starts[m.hi - 1] > w.src.start:
                continue  # the wait must come after the match, in the same round
            arms = [a for a in regions if a.kind == "arm" and a.parent == m.id]
            claim = _retry_filter(ctx, f, w, arms)
            if claim is None:
                continue
            # A `?` earlier in the round hands its error up before the match sees it (the SDK's
            # timeout): "only the rest are retried" must not read as the whole list of what is
            # not (blind read 59).
            start = ctx.fs.scan.starts[m.lo]
            early = [
                e
                for e in f.exits
                if e.kind == "question" and f.flow.inside(e.region, loop.id) and e.src.start < start
            ]
            if early:
                # Which `?` it is, by the awaited call it follows: "an error a `?` earlier in
                # the round hands up" was read as any `?`, the request closure's too (blind
                # read 79), whose errors are the very result the match sorts.
                at = early[0].src.start
                before = sorted(
                    [(c.src.end, await_name(c)) for c in f.calls if c.awaited]
                    + [(w.src.end, w.mechanism) for w in f.waits if w.role == "timeout"],
                )
                # In the same statement: no `;` between the call and its `?`.
                text = ctx.fs.text
                near = [name for end, name in before if end <= at and ";" not in text[end:at]]
                slots = dict(claim.slot_map)
                if len(early) == 1 and near:
                    slots["escape"] = near[-1]
                claim = replace(
                    claim,
                    slots=tuple(slots.items()),
                    flags=claim.flags | {"escapes"},
                    proof=claim.proof + tuple(ctx.proof(e.src) for e in early),
                )
            out.append(claim)
    return out


def _retry_filter(ctx: FileContext, f: ItemFacts, w: Wait, arms: list[Region]) -> Claim | None:
    """See ``retry_filters``: one `match` whose ``arms`` decide what reaches the wait ``w``."""
    assert f.flow is not None
    returned: list[str] = []
    retried: list[Region] = []
    proofs: list[Proof] = []
    for a in arms:
        pattern = _arm_pattern(a.head)
        if not re.match(r"(Ok|Err)\(", pattern):
            return None
        direct = [e for e in f.exits if e.region == a.id]
        if any(e.kind in ("continue", "break") for e in f.exits if f.flow.inside(e.region, a.id)):
            return None
        if pattern.startswith("Ok("):
            continue
        if direct:
            if not all(e.kind == "return" for e in direct):
                return None
            if any(
                re.fullmatch(r"(?:Ok|Some)\b.*|None|\(\)|", e.expr.strip(), re.S) for e in direct
            ):
                # `Err(Shutdown(_)) => return Ok(())` stops quietly: no error "is returned at
                # once" (restate's tail checker, read 65, FALSE).
                return None
            returned.append(pattern)
            proofs.append(ctx.proof(ctx.head_src(a)))
            proofs += [ctx.proof(e.src) for e in direct]
        else:
            retried.append(a)
    if not returned or len(retried) != 1:
        return None
    arm = retried[0]
    slots = {
        "returned": codes(*returned),
        "retried": _arm_pattern(arm.head),
        "mech": w.mechanism,
    }
    flags: set[str] = set()
    if re.fullmatch(r"Err\(_\)", slots["retried"]) and arm is arms[-1]:
        flags.add("catch-all")
    proofs.append(ctx.proof(ctx.head_src(arm)))
    proofs.append(ctx.proof(w.src))
    inner = [e for e in f.exits if f.flow.inside(e.region, arm.id)]
    if inner:
        gates = {e.region for e in inner}
        if len(gates) != 1 or any(e.kind != "return" for e in inner):
            return None
        gate = f.flow.regions[gates.pop()]
        if gate.kind != "if" or gate.parent != arm.id or gate.after:
            return None
        slots["stop"] = gate.head
        flags.add("stops")
        proofs.append(ctx.proof(ctx.head_src(gate)))
    if len(returned) > 1:
        flags.add("several")
    # The variants by name, for a request: a person writes "a `Validation` error", not the
    # pattern. Only when every arm names its variants and none has a guard, which a name alone
    # would drop.
    plain = [p[4:-1] for p in returned if re.fullmatch(r"Err\(.*\)", p) and " if " not in p]
    names = [variant_names(p) for p in plain]
    if len(plain) == len(returned) and all(names):
        slots["returned_names"] = codes(*(n for ns in names for n in ns))
    return make("retry_filter", f.name, slots, proofs, flags)
