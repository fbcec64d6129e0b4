"""The `?`s of a fn: which calls they sit on, and whether they can end it before its loop, from
inside it, or at any point."""

from __future__ import annotations

import re

from ..facts import Call, Exit, ItemFacts
from ..flow import Region
from .blocks import deferred
from .callee_ends import never_errs, stub_callee
from .core import Claim, FileContext, make
from .shape import codes, guard_of

__all__ = ["NOT_SOURCES", "propagate_claims"]

_CONVERSIONS = frozenset(
    {"map_err", "ok_or_else", "ok_or", "context", "with_context", "into", "map", "map_ok"}
)
_PANICS = frozenset({"expect", "unwrap"})
# Calls a `?` sits on whose error is not their own: a conversion passes on the error of the call
# it wraps, and `expect` panics on its own failure.
NOT_SOURCES = _CONVERSIONS | _PANICS


def _said_call(c: Call) -> str:
    # A method reads best as the call it is (`commit()`); a fn by its path.
    if c.kind == "method":
        # With its receiver when that is a plain path: `sign(checkpoint)` named neither
        # `self.signer` nor `self.singleton_signer` (hyperlane's validator, read 63).
        if re.fullmatch(r"[\w.]+", c.receiver) and len(c.receiver) + len(c.src.text) < 48:
            return f"{c.receiver}.{c.src.text}"
        return c.src.text if len(c.src.text) <= 40 else c.name
    return c.written


def propagate_claims(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    assert f.flow is not None
    # A `?` in an async block the fn hands out unawaited (`let fut = async { .. }; fut.boxed()`)
    # ends that future, not the fn (chirpstack's `pg_establish_connection`: "returns from
    # `pg_establish_connection` as its error" was misleading, a held-out read).
    qs = [
        e
        for e in f.exits
        if e.kind == "question"
        and f.own(e.region)
        and not deferred(f, f.flow.regions[e.region], itself=True, closures=False)
    ]
    if not qs or f.returns.strip().startswith(("Option<", "Option <")):
        # A `?` in a fn that returns an `Option` hands up a `None`, not an error (pingora's
        # `process_new`: "it can return an error" of an `Option<Stream>`, a held-out read).
        return []
    calls = _tried_calls(f)
    # A `?` on a crate fn that only ever returns `Ok` never fires.
    sure = [c for c in calls if never_errs(ctx, c)]
    if sure:
        ends = {_question_after(f, c) for c in sure}
        qs = [q for q in qs if q.src.start not in ends]
        calls = [c for c in calls if c not in sure]
        if not qs:
            return []
    # A `?` on a crate fn whose body is `unimplemented!(..)`: it panics, it hands nothing up
    # (conduwuit's service manager: "a `?` can end the loop" of `handle_abort`, whose call
    # ends the task by panicking, held-out read 95 #5).
    stubs = [(c, found) for c in calls if (found := stub_callee(ctx, c)) is not None]
    qs, calls = _past_stubs(f, qs, calls, [c for c, _ in stubs])
    if not qs:
        return []
    names = list(dict.fromkeys(_said_call(c) for c in calls))
    flags: set[str] = set()
    if loop is not None:
        inside = [q for q in qs if f.flow.inside(q.region, loop.id)]
        loop_start = ctx.fs.scan.starts[loop.lo]
        if not inside and all(q.src.start < loop_start for q in qs):
            in_loop_returns = _errs_from_loop(f, loop, loop_start)
            if not in_loop_returns:
                flags |= {"before-loop-only", *_ok_only(loop)}
            if any(
                e.kind == "return"
                and e.src.start < loop_start
                and e.expr.startswith(("Err", "bail!", "anyhow::bail!"))
                and f.own(e.region)
                for e in f.exits
            ):
                flags.add("returns-err-too")  # a `return Err(..)` is a way besides the `?`s
            if loop.keyword == "for":
                # A walk over a collection has no start-up: it is the work itself (blind read
                # 33: "may fail while it starts up" of a one-shot CLI helper).
                flags.add("for-loop")
        elif inside:
            flags.add("in-loop")
            # The ways out from inside the loop are its own `?`s (atuin's relay listed the
            # five set-up calls "even from inside its loop", blind read 104).
            qs = inside
            calls = [c for c in calls if f.flow.inside(c.region, loop.id)]
            names = [n for n in names if any(_said_call(c) == n for c in calls)]
    if len(names) > 1:
        flags.add("several-calls")
    if len(calls) < len(qs):
        # A `?` on a conversion (`bind(..).context(..)?`) or on a value (`frame?`) has no call
        # named here: the list is some of them, not "every `?`".
        flags.add("unnamed-tries")
    proof = [ctx.proof(c.src) for c in calls] or [ctx.proof(q.src) for q in qs]
    slots = {"count": str(len(qs))}
    if names:
        slots["calls"] = codes(*names)
    if stubs and (loop is None or f.flow.inside(stubs[0][0].region, loop.id)):
        macro = stubs[0][1][0].split("(", 1)[0].strip()  # `unimplemented!`, not its message
        slots["stub"], slots["stub_macro"] = _said_call(stubs[0][0]), macro
        flags.add("stub-call")
        proof.append(stubs[0][1][1])
    out = [make("propagate", f.name, slots, proof, flags)]
    if calls and loop is None:
        out += _skips_later(ctx, f, calls)
    return out


def _past_stubs(
    f: ItemFacts, qs: list[Exit], calls: list[Call], stubs: list[Call]
) -> tuple[list[Exit], list[Call]]:
    """The `?`s and calls left once those on ``stubs`` (calls that panic) are taken out."""
    ends = {_question_after(f, c) for c in stubs}
    return (
        [q for q in qs if q.src.start not in ends],
        [c for c in calls if all(c is not x for x in stubs)],
    )


def _ok_only(loop: Region) -> set[str]:
    """`ok-only-loop` for `while let Some(Ok(x)) = ..`: an error from the stream ends the loop
    quietly instead of coming back (surrealdb's `export_ml` returns `Ok(())` after it: read 72
    #23)."""
    if loop.keyword == "while" and re.match(r"let\s+Some\(\s*Ok\(", loop.head):
        return {"ok-only-loop"}
    return set()


def _question_after(f: ItemFacts, c: Call) -> int:
    """The offset of the `?` right after call ``c`` (after its `.await`), or -1."""
    assert f.flow is not None
    t, starts = f.flow.scan.texts, f.flow.scan.starts
    k = c.close_tok + 1
    if k + 1 < len(t) and t[k] == "." and t[k + 1] == "await":
        k += 2
    return starts[k] if k < len(t) and t[k] == "?" else -1


def _tried_calls(f: ItemFacts) -> list[Call]:
    """The calls whose errors the fn's own `?`s pass up, in source order. `x.map_err(..)?`
    passes the error of the call it wraps, not of `map_err`; `x.expect(..)?` panics when `x`
    fails and passes up the value inside: `expect` is not the call whose error goes up."""
    assert f.flow is not None
    texts = f.flow.scan.texts
    # A `?` in a closure ends the closure (`opt.and_then(|v| v.to_str().ok()?.parse().ok())` in
    # apollo-router's exporter: "its `?`s .. on `ok()`" was FALSE, held-out read 79).
    calls = [
        c
        for c in f.calls
        if c.propagates
        and f.own(c.region)
        and c.name not in _CONVERSIONS | _PANICS
        and not any(r.kind == "closure" for r in f.flow.chain(c.region))
    ]
    # `u64::try_from(x).map_err(..)?`: the error going up is the wrapped call's.
    # Not `x.as_ref().ok_or_else(..)?` or `map.get(k).ok_or(..)?`: there the error is a missing
    # value, and the call before it cannot fail (iggy's doris sink: "with `?` after `as_ref()`,
    # any of them failing ends this call", a held-out read).
    calls += [
        w
        for c in f.calls
        if c.propagates
        and f.own(c.region)
        and c.name in _CONVERSIONS
        and c.name not in ("ok_or", "ok_or_else")
        for w in f.calls
        if w.close_tok == c.tok - 2 and texts[c.tok - 1] == "."
    ]
    return sorted(calls, key=lambda c: c.src.start)


def _skips_later(ctx: FileContext, f: ItemFacts, calls: list[Call]) -> list[Claim]:
    """A `?` that returns before a later statement is even built: when the first call fails,
    that statement does not run on this call."""
    first = min(calls, key=lambda c: c.src.start)
    later = [q for q in f.sql if q.src.start > first.src.end and q.tables and q.verbs]
    if not later:
        return []
    q = later[0]
    slots = {"call": _said_call(first), "verbs": codes(*q.verbs), "tables": codes(*q.tables)}
    flags = set()
    conds, _, negated = guard_of(f, first.region, None, first.src.start)
    if negated:
        return []  # under an `else`: its condition is not said
    if conds:
        slots["guard"] = codes(*conds)  # the first call runs only then
        flags.add("guarded")
    return [make("skips_later", f.name, slots, [ctx.proof(first.src), ctx.proof(q.src)], flags)]


def _errs_from_loop(f: ItemFacts, loop: Region, loop_start: int) -> list[Exit]:
    """The exits besides `?` that can hand an error back from inside the loop or after it.

    A `return Err(..)` in the loop would also end the task from inside it, and one
    after the loop (qdrant's `recover` once its retries run out, held-out read 15)
    is an error that comes after the passes, not before them.
    So would a `break Err(err)` whose value the fn hands back (zebrad's `start`
    breaks its task loop with the failed task's error and returns it: "no error is
    returned from inside the loop" was FALSE, held-out read 81 #17).
    """
    assert f.flow is not None
    if f.tail is not None and f.tail.start > loop_start and re.search(r"\bErr\b", f.tail.text):
        # `first_error.map_or(Ok(()), Err)` after the loop: an error a round kept is handed back
        # (rpxy's `entrypoint`, held-out read 82 #3).
        return [Exit("return", f.tail.text, f.flow.regions[0].id, f.tail)]
    return [
        e
        for e in f.exits
        if (
            e.kind == "return"
            and (f.flow.inside(e.region, loop.id) or e.src.start > loop_start)
            or e.kind == "break"
            and e.expr.strip()
            and f.flow.inside(e.region, loop.id)
        )
        and _may_be_err(f, e.expr)
        and f.own(e.region)
        # `ensure!(cond, err)` in the loop returns an error when `cond` fails (read 85 #14).
        or e.kind == "ensure"
        and (f.flow.inside(e.region, loop.id) or e.src.start > loop_start)
        and f.own(e.region)
    ]


def _may_be_err(f: ItemFacts, expr: str) -> bool:
    """Whether a `return expr` may hand back an error: `Err(..)`, or a `Result` value it passes
    on (`return ping_event.result`, `return x.ok_or(Failure::Timeout)`: Forest's `p2p_ping`,
    where "nothing inside the loop returns an error" was false, held-out read 60)."""
    if expr.startswith("Err"):
        return True
    return "Result" in f.returns and not re.match(r"Ok\s*\(|\(\)$|$", expr.strip())
