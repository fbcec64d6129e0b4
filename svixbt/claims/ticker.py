"""A loop paced by an interval a helper of the file builds: `let mut ticker =
interval_ticker(interval).await;` then `Some(_) = ticker.next() => ..` in the loop's `select!`.
surrealdb's engine tasks (six of them, `src/engine/tasks.rs`) had no record at all: the tick
was a stream's `next()` and the interval sat in the helper, so no fact said what paced them
(session 53). Said only where the helper's code shows the interval: one `tokio::time::interval`,
returned in what the helper gives back (its return type names an interval), with the period
handed in by the caller."""

from __future__ import annotations

import re

from ..facts import Call, ItemFacts
from ..flow import Region
from ..values import human_duration
from .core import Claim, FileContext, make
from .round_work import call_said
from .select_parts import always_leaves, biased
from .shape import codes

__all__ = ["missed_behaviour", "ticker_claims"]

# The future of a select branch that takes the next tick of a stream or interval variable.
_NEXT = re.compile(r"(?P<var>[a-z_]\w*)\.(?:next|tick)\(\)")
# `helper(args)` or `helper(args).await`, the value a `let` binds.
_PATH = re.compile(r"[a-z_]\w*(?:\.[a-z_]\w*)+")
_BUILT = re.compile(r"(?P<fn>[a-z_]\w*)\((?P<args>[^()]*)\)(?:\.await)?")


def ticker_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    out: list[Claim] = []
    seen: set[str] = set()
    for h in f.flow.regions:
        if h.kind != "select-handler" or f.flow.loop_of(h.id) is None:
            continue
        m = _NEXT.fullmatch(h.detail.strip())
        if m is None or m.group("var") in seen:
            continue
        var = m.group("var")
        claim = _ticker(ctx, f, h, var)
        if claim is not None:
            seen.add(var)
            out.append(claim)
    return out


def _ticker(ctx: FileContext, f: ItemFacts, h: Region, var: str) -> Claim | None:
    assert f.flow is not None
    task = f.flow.task_of(h.id).id
    lets = [a for a in f.assigns if a.var == var and f.flow.task_of(a.region).id == task]
    if len(lets) != 1 or not lets[0].is_let:
        return None
    built = _BUILT.fullmatch(lets[0].value.strip())
    if built is None:
        return None
    helper = ctx.local_fn(built.group("fn"))
    if helper is None or "Interval" not in helper.returns:
        return None
    intervals = [w for w in helper.waits if w.role == "interval"]
    if len(intervals) != 1:
        return None
    w = intervals[0]
    slots = {"future": h.detail.strip(), "var": var, "helper": helper.name, "mech": w.mechanism}
    flags: set[str] = set()
    if w.seconds is not None:
        slots["dur"] = human_duration(w.seconds)
        slots["arg"] = w.arg
    else:
        passed = _passed(helper, w.arg, built.group("args"))
        if passed is None:
            return None
        slots["arg"] = _value_of(f, passed)
    proofs = [ctx.proof(lets[0].src), ctx.proof(w.src)]
    # The variable the interval is bound to (``w.var`` names where its period comes from).
    ivar = next((a.var for a in helper.assigns if a.src.start <= w.src.start < a.src.end), "")
    first = [t for t in helper.waits if t.role == "tick" and t.var == ivar]
    if ivar and first and helper.flow is not None and helper.flow.loop_of(first[0].region) is None:
        # The helper awaits the interval's first tick, which tokio completes at once, before
        # handing it back: the loop's first tick is a whole period after the helper returns.
        flags.add("first-taken")
        proofs.append(ctx.proof(first[0].src))
    missed = missed_behaviour(helper, ivar, slots, flags)
    if missed is not None:
        proofs.append(ctx.proof(missed.src))
    _race(ctx, f, h, slots, flags)
    if f.flow.regions[task].kind in ("spawn", "blocking"):
        flags.add("spawned")
    return make("ticker", f.name, slots, proofs, flags)


def _passed(helper: ItemFacts, arg: str, args: str) -> str | None:
    """What the caller passes for the helper's parameter ``arg`` (the period), or None when the
    period is not a parameter taken as it is."""
    names = [p for p, _ in helper.params]
    if arg.strip() not in names:
        return None
    given = [a.strip() for a in args.split(",")] if args.strip() else []
    if len(given) != len(names):
        return None
    return given[names.index(arg.strip())]


def _value_of(f: ItemFacts, arg: str) -> str:
    """A local bound once to a field path (`let interval = opts.refresh_interval;`) said by that
    path: what the period is, not the name it travels under."""
    bound = [a for a in f.assigns if a.var == arg]
    if len(bound) == 1 and bound[0].is_let and _PATH.fullmatch(bound[0].value.strip()):
        return bound[0].value.strip()
    return arg


def missed_behaviour(f: ItemFacts, var: str, slots: dict[str, str], flags: set[str]) -> Call | None:
    """What a late tick of interval ``var`` does: `missed-burst` when nothing sets it (tokio's
    default), else `missed-<behaviour>` and `missed-set` with slot ``missed`` (set in the code:
    not "tokio's default" even when it is Burst, read 68); the setting call, for its proof."""
    missed = next(
        (
            c
            for c in f.calls
            if c.kind == "method"
            and c.receiver == var
            and c.name == "set_missed_tick_behavior"
            and c.args
        ),
        None,
    )
    if missed is None:
        flags.add("missed-burst")
    else:
        flags |= {f"missed-{missed.args[0].split('::')[-1].lower()}", "missed-set"}
        slots["missed"] = missed.args[0]
    return missed


def _race(
    ctx: FileContext, f: ItemFacts, h: Region, slots: dict[str, str], flags: set[str]
) -> None:
    """The other branches of the select: stops that leave the loop (`stops`), and the work the
    ticker's branch does when they all do (`work`); `biased` when the select polls in order."""
    assert f.flow is not None
    others = [
        x
        for x in f.flow.regions
        if x.kind == "select-handler" and x.start_tok == h.start_tok and x.id != h.id
    ]
    if not others:
        return
    if all(always_leaves(f, x) for x in others) and all(x.detail for x in others):
        slots["stops"] = codes(*(x.detail.strip() for x in others))
        flags.add("only-stops")
        work = [
            said
            for c in f.calls
            if c.awaited and c.kind != "macro" and f.flow.inside(c.region, h.id)
            for said in [call_said(c)]
            if said
        ]
        if work:
            slots["work"] = codes(*list(dict.fromkeys(work))[:2])
    else:
        flags.add("beside-events")
    if biased(ctx, h):
        flags.add("biased")
        if all(x.index < h.index for x in others):
            flags.add("tick-last")
