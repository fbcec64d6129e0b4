"""Claims about a failed call retried in place: the loop that runs it again while it fails, the
count that ends the retries, the error kinds that are retried or dropped, and the call the pass
goes on to afterwards (a dropped error still reaches it)."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Src
from ..flow import Region
from .core import Claim, FileContext, Proof, make
from .shape import codes, next_call

__all__ = ["redo_claims", "variant_names"]


_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}


_COUNT_CHECK = re.compile(r"^(\w+)\s*(>=|>|==)\s*(\d+)$")


def variant_names(pattern: str) -> list[str]:
    """`Error::MissingPayload | Error::Deserialization(_)` -> MissingPayload, Deserialization;
    [] for a pattern that is not a plain alternation of enum variants."""
    names = []
    for alt in pattern.split("|"):
        m = re.fullmatch(r"\s*(?:[A-Z]\w*::)+([A-Z]\w*)\s*(?:\([^()]*\)|\{[^{}]*\})?\s*", alt)
        if m is None:
            return []
        names.append(m.group(1))
    return names


def redo_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`while let Err(e) = call.await { .. }`: a failed call is tried again at once (no wait in
    the loop), until a counter bumped in one arm reaches a limit and the error is returned; an
    arm that breaks gives up on that call without retrying it (kafka's consumer: invalid payloads
    are skipped, transient errors tried three times)."""
    assert f.flow is not None
    out: list[Claim] = []
    for r in f.flow.regions:
        if r.kind != "loop" or r.keyword != "while" or not f.own(r.id):
            continue
        m = re.match(r"let Err\((\w+)\) = (.+?)(?:\.await)?$", r.head)
        if m is None or any(f.flow.inside(w.region, r.id) for w in f.waits):
            continue
        err, call = m.groups()
        for u in f.updates:
            if u.value != "+= 1" or not f.flow.inside(u.region, r.id):
                continue
            init = next(
                (a for a in f.assigns if a.is_let and a.var == u.var and a.src.end < u.src.start),
                None,
            )
            check = next(
                (
                    i
                    for i in f.flow.regions
                    if i.kind == "if"
                    and f.flow.inside(i.id, u.region)
                    and (cm := _COUNT_CHECK.match(i.head)) is not None
                    and cm.group(1) == u.var
                ),
                None,
            )
            if init is None or init.value != "0" or check is None:
                continue
            gives = [e for e in f.exits if e.kind == "return" and f.flow.inside(e.region, check.id)]
            cm = _COUNT_CHECK.match(check.head)
            assert cm is not None
            # Counted from 0 and bumped before the check: `>= n` / `== n` returns on the n-th
            # failure in a row, `> n` on the one after.
            nth = int(cm.group(3)) + (1 if cm.group(2) == ">" else 0)
            if not gives or check.start_tok < 0 or nth not in _ORDINAL:
                continue
            slots = {
                "call": call,
                "var": u.var,
                "limit": str(nth),
                "nth": _ORDINAL[nth],
                "expr": gives[0].expr,
            }
            flags: set[str] = set()
            proof = [ctx.proof(ctx.region_src(f, r)), ctx.proof(u.src), ctx.proof(gives[0].src)]
            _redo_arms(ctx, f, r, f.flow.regions[u.region], slots, flags, proof)
            outer = f.flow.loop_of(r.parent) if r.parent is not None else None
            if outer is not None and f.flow.inside(init.region, outer.id):
                flags.add("per-pass")  # the count starts again for every pass of the outer loop
                slots["outer"] = outer.head or outer.keyword
            if err:
                flags.add("binds-error")
            if outer is not None and "skips" in flags:
                _redo_next(ctx, f, r, outer, slots, flags, proof)
            out.append(make("redo", f.name, slots, proof, flags))
            break
    return out


def _redo_next(
    ctx: FileContext,
    f: ItemFacts,
    r: Region,
    outer: Region,
    slots: dict[str, str],
    flags: set[str],
    proof: list[Proof],
) -> None:
    """The call the pass goes on to after the retry loop, however that loop ended: an error an
    arm broke out on reaches it too (kafka's consumer commits a message it dropped as invalid)."""
    nxt = next_call(ctx, f, r, outer.id, lambda c: c.kind != "macro")
    if nxt is None:
        return
    text = (
        f"{nxt.receiver}.{nxt.src.text}" if nxt.kind == "method" and nxt.receiver else nxt.src.text
    )
    at = nxt.src.start - (len(nxt.receiver) + 1 if nxt.kind == "method" and nxt.receiver else 0)
    if ctx.fs.scan.text[at : nxt.src.end] != text or len(text) > 64:
        return
    slots["next_call"] = text
    flags.add("then-next")
    proof.append(ctx.proof(Src(at, nxt.src.end, text)))


def _redo_arms(
    ctx: FileContext,
    f: ItemFacts,
    r: Region,
    arm: Region,
    slots: dict[str, str],
    flags: set[str],
    proof: list[Proof],
) -> None:
    """The arm that counts and retries, and an arm that breaks out: errors dropped untried."""
    assert f.flow is not None
    if arm.kind == "arm":
        slots["retry_arm"] = arm.head
        level = next((lg.level for lg in f.logs if lg.region == arm.id), "")
        if level:
            slots["retry_level"] = level
    skips = [
        e
        for e in f.exits
        if e.kind == "break"
        and f.flow.inside(e.region, r.id)
        and f.flow.loop_of(e.region) is r
        and f.flow.regions[e.region].kind == "arm"
    ]
    if not skips:
        return
    skip = f.flow.regions[skips[0].region]
    slots["skip_arm"] = skip.head
    # The variants each arm matches, by name (`MissingPayload`, `Kafka`): a request names the
    # errors, not "the errors of one arm" (blind read 40), nor the whole pattern.
    for key, head in (("skip_names", skip.head), ("retry_names", slots.get("retry_arm", ""))):
        names = variant_names(head)
        if names:
            slots[key] = codes(*names)
    level = next((lg.level for lg in f.logs if lg.region == skip.id), "")
    if level:
        slots["skip_level"] = level
    proof.append(ctx.proof(skips[0].src))
    flags.add("skips")
    if skip.parent is not None:
        arms = [a for a in f.flow.children(skip.parent) if a.kind == "arm"]
        if len(arms) == 2 and arm in arms:
            flags.add("two-arms")  # one arm drops, the other retries
