"""What a task's branches on a callee's result come from: the callee of the file that makes them.

A loop that matches on `try_execute_task(..).await` has an `Err(_)` arm and, often, an arm for a
result that means "nothing to do". Which failures reach the `Err` arm, and when the "nothing to
do" result comes back, are written in the callee, not in the loop: its `?`s, the errors it logs
itself and goes on from, and the condition on its early `return`. A think that stops at the
loop says only "an error lands in `Err(_)`" (blind read 98 on zero2prod and omniqueue: "never
says which failures reach the arm", "the 10 s empty-queue wait is never explained").

Only a callee this file defines as a free fn is followed: its name alone says which fn it is.
"""

from __future__ import annotations

import re

from ..facts import Exit, ItemFacts
from ..flow import Region
from .core import LIST_SEP, NOT, Claim, FileContext, make
from .failures import NOT_SOURCES, failure_claims, scrutinee_call
from .premises import of_kind
from .shape import codes, main_loop

__all__ = ["callee_result_claims"]


def callee_result_claims(ctx: FileContext, idx: int, own: list[Claim]) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None or main_loop(f) is None:
        return []
    return _err_sources(ctx, f, own) + _idle_arms(ctx, f, own)


def _callee(ctx: FileContext, f: ItemFacts, call: str) -> ItemFacts | None:
    """The file's free fn ``call`` names (`try_execute_task`, `self::x`), never a method."""
    if not call or "." in call:
        return None
    segs = call.split("::")
    if len(segs) > 1 and segs[:-1] not in (["self"], ["crate"]):
        return None
    callee = ctx.local_fn(segs[-1])
    if callee is None or callee.index == f.index:
        return None
    return callee


def _callee_claims(ctx: FileContext, callee: ItemFacts) -> list[Claim]:
    key = ("callee_failures", callee.index)
    if key not in ctx.memo:
        ctx.memo[key] = failure_claims(ctx, callee.index)
    claims: list[Claim] = ctx.memo[key]
    return claims


def _err_sources(ctx: FileContext, f: ItemFacts, own: list[Claim]) -> list[Claim]:
    """`err_sources`: the errors an in-loop `Err` arm catches are the ones its callee passes up
    with `?` (named by the calls that carry it); the failures the callee logs in an arm of its
    own and does not return never reach the loop."""
    out: list[Claim] = []
    for arm in of_kind(own, "err_arm"):
        if "in-loop" not in arm.flags:
            continue
        callee = _callee(ctx, f, arm.get("call"))
        if callee is None:
            continue
        cc = _callee_claims(ctx, callee)
        ups = [c for c in of_kind(cc, "propagate") if c.get("calls")]
        if not ups:
            continue
        calls = _named_calls(callee)
        ways = _other_errors(callee)
        if not calls or ways is None:
            continue
        slots = {
            "arm": arm.get("pattern"),
            "call": callee.name,
            "calls": codes(*calls),
            # Every `?` of the callee's own task, whether or not a propagate claim names its
            # call (a `.send().await?` after a chain was left out: "seven `?`s" of eight, held-
            # out read 13).
            "count": str(
                max(
                    sum(int(c.get("count")) for c in ups),
                    sum(1 for e in callee.exits if e.kind == "question" and callee.own(e.region)),
                )
            ),
        }
        proof = [arm.proof[0], *(p for c in ups for p in c.proof)]
        flags: set[str] = set()
        # An error the callee catches, logs and does not leave on: a failure of that call is
        # not one the loop's arm ever sees.
        kept = [
            c
            for c in of_kind(cc, "err_arm")
            if c.has("logs")
            and not {"returns", "breaks", "exits-sometimes"} & c.flags
            and c.get("call") not in calls
        ]
        if kept:
            slots["handled"] = codes(*dict.fromkeys(c.get("call") for c in kept))
            slots["level"] = kept[0].get("level")
            flags.add("handled")
            proof += [p for c in kept for p in c.proof[:1]]
        if len(calls) == 1:
            flags.add("one-call")
        if len(calls) < int(slots["count"]):
            flags.add("some-named")  # other `?`s sit on calls no short name says
        if ways:
            flags.add("returns-err")  # and errors it makes or hands back with `return`
            proof += [ctx.proof(e.src) for e in ways]
        out.append(make("err_sources", f.name, slots, proof, flags))
    return out


_SHORT = re.compile(r"[A-Za-z_][\w.]*")


def _named_calls(callee: ItemFacts) -> list[str]:
    """The calls whose `?` hands an error up, as a reader would name them: a fn by its path, a
    method by its receiver and name (`conn.lrange`) when the receiver is a plain name."""
    out: list[str] = []
    for c in callee.calls:
        if not c.propagates or not callee.own(c.region) or c.name in NOT_SOURCES:
            continue
        if c.kind == "fn":
            name = c.written
        elif c.kind == "method" and c.receiver and _SHORT.fullmatch(c.receiver):
            name = f"{c.receiver}.{c.name}"
        else:
            continue
        if name not in out:
            out.append(name)
    return out


def _other_errors(callee: ItemFacts) -> list[Exit] | None:
    """The callee's `return`s of an `Err`, besides its `?`s; None when its final expression is
    not plainly a success (a `match` there may hand back an error no fact names)."""
    tail = callee.tail
    if tail is not None and not re.match(r"Ok\s*\(", tail.text.strip()):
        return None
    exits = [e for e in callee.exits if e.kind == "return" and callee.own(e.region)]
    if any(not re.match(r"(?:Ok|Err)\s*\(", e.expr) for e in exits):
        return None  # a `return` of a value built elsewhere: an error or not
    return [e for e in exits if e.expr.startswith("Err")]


def _tested_source(callee: ItemFacts, guard: list[str]) -> tuple[str, str] | None:
    """(the fn, `none` | `empty`) when the one condition tests a local for `None` or emptiness
    that the callee bound straight from a call of the file's crate (`let x = f(..).await?;`)."""
    if len(guard) != 1:
        return None
    m = re.fullmatch(r"(\w+)\.(is_none|is_empty)\(\)", guard[0].strip())
    if m is None:
        return None
    bound = [a for a in callee.assigns if a.is_let and a.var == m.group(1)]
    if len(bound) != 1:
        return None
    call = re.fullmatch(r"([\w:]+)\((?:.|\n)*\)(?:\s*\.\s*await)?\s*\??", bound[0].value)
    if call is None or call.group(1) in ("Some", "Ok", "Vec::new"):
        return None
    return call.group(1), "none" if m.group(2) == "is_none" else "empty"


def _arm_of(f: ItemFacts, pattern: str) -> Region | None:
    assert f.flow is not None
    want = " ".join(pattern.split())
    found = [r for r in f.flow.regions if r.kind == "arm" and " ".join(r.head.split()) == want]
    return found[0] if len(found) == 1 else None


def _idle_arms(ctx: FileContext, f: ItemFacts, own: list[Claim]) -> list[Claim]:
    """`idle_arm`: a loop's sleep in the arm of a result (not an error) that its callee
    returns only under a condition (`return Ok(ExecutionOutcome::EmptyQueue)` when
    `task.is_none()`): the loop waits when that condition held in the callee."""
    out: list[Claim] = []
    for s in of_kind(own, "sleep"):
        pattern = s.get("arm")
        if not pattern or "err-arm" in s.flags or "in-loop" not in s.flags or not s.get("dur"):
            continue
        if pattern.startswith("Err") or "in-select" in s.flags:
            continue
        r = _arm_of(f, pattern)
        if r is None:
            continue
        callee = _callee(ctx, f, scrutinee_call(r.keyword))
        if callee is None:
            continue
        want = " ".join(pattern.split())
        rets = [
            c
            for c in of_kind(_callee_claims(ctx, callee), "return")
            if " ".join(c.get("expr").split()) == want and c.has("early", "guarded")
        ]
        if len(rets) != 1:
            continue
        ret = rets[0]
        guard = [g for g in ret.get("guard").split(LIST_SEP) if g and not g.startswith(NOT)]
        if not guard or ret.get("arm"):
            continue
        slots = {
            "arm": pattern,
            "call": callee.name,
            "returns_when": codes(*guard),
            "dur": s.get("dur"),
            "mech": s.get("mech"),
        }
        # The tested value, when the callee got it from a call of its own a line before
        # (`let task = dequeue_task(pool).await?;` then `task.is_none()`): the wait is really
        # on what that call found (blind read 100: "restates `task.is_none()`").
        src = _tested_source(callee, guard)
        if src is not None:
            slots["source_call"], kind = src
            flags_extra = {f"source-{kind}"}
        else:
            flags_extra = set()
        # What a person calls the result: `ExecutionOutcome::EmptyQueue`, not the pattern.
        m = re.fullmatch(r"(?:Ok|Some)\(\s*([\w:]+)\s*\)", want)
        if m and "::" in m.group(1):
            slots["outcome"] = m.group(1)
        proof = [*s.proof, *ret.proof]
        out.append(make("idle_arm", f.name, slots, proof, {"guarded-callee", *flags_extra}))
    return out
