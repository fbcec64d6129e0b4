"""The waits of an item's own task, one claim each by its role: an interval with its tick and what
a late tick does, a timeout with what it bounds and where its expiry goes, a sleep with its guard,
its match arm, the helper it goes through and what cancels it.

``schedule`` builds the loop around these waits and merges alike ones; ``own_waits`` (the task's
waits, a same-file wait helper's included) is also read by the adaptive-wait claims
(``schedule_adaptive``) and by the task claims that name a task's tokio waits.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import Call, ItemFacts, Wait
from ..flow import Region
from ..values import human_duration
from .blocks import bound_async_block, bound_blocks, in_handed_block
from .core import Claim, FileContext, make
from .err_arms import failed_call
from .exits import exit_loop
from .handler_sleep import handler_sleep
from .last_try import spares_last
from .loop_guard import in_future
from .loops import in_async, main_loop
from .pause_switch import amount_varies
from .returns import twin_arm_of
from .round_open import mark_opening
from .round_work import calls_each_round, ends_round
from .select_parts import tick_precondition, tick_race
from .shape import (
    arm_cond,
    awaits_outside,
    codes,
    codes_upto,
    continue_is_last,
    guard_of,
    made_in,
    put_guard,
    skipped_by_continue,
)
from .ticker import missed_behaviour
from .timeout_target import bounded_future
from .wait_place import (
    both_arms_leave,
    bound_once,
    element_sleep,
    fixed_option,
    interval_start,
    only_value,
    param_default,
    ranged,
    sleep_wrapping,
    tick_guard,
    tick_place,
    waits_first,
    waits_for_event,
)

__all__ = ["own_waits", "wait_claim", "source_var"]


def _dur(w: Wait, f: ItemFacts) -> str:
    return human_duration(w.seconds) if w.seconds is not None else ""


def source_var(f: ItemFacts, w: Wait) -> tuple[str, bool]:
    """`if let Some(duration) = sleep_time { sleep(duration) }` -> (`sleep_time`, True): the
    variable a sleep's duration comes from, and whether `None` there skips the sleep."""
    assert f.flow is not None
    if not w.var:
        return "", False
    for r in f.flow.chain(w.region):
        m = re.fullmatch(r"let Some\((\w+)\) = (\w+)(?:\.take\(\))?", r.head)
        if r.kind == "if" and m and m.group(1) == w.var:
            return m.group(2), True
    return w.var, False


def own_waits(ctx: FileContext, f: ItemFacts) -> list[tuple[Wait, str]]:
    """The waits of the item's own task, each with the same-file helper it goes through ("" for
    a tokio call written in the item itself): `nap(d, &shutdown).await`, where `nap` sleeps with
    `tokio::time::sleep`, is a sleep on `d` through `nap`."""
    out: list[tuple[Wait, str]] = [
        (w, "") for w in f.waits if f.own(w.region) and not in_handed_block(f, w.region)
    ]
    for c in f.calls:
        if not c.awaited or not f.own(c.region):
            continue
        if c.kind == "method":
            # `self.sleep().await` on a method of the same impl (fang's worker loop naps
            # through `self.sleep()`, and was no task at all: a held-out read).
            helper = ctx.same_impl_fn(f, c.name) if c.receiver == "self" else None
            via = f"self.{c.name}"
        elif c.kind == "fn" and "::" not in c.written:
            helper = ctx.local_fn(c.written)
            via = c.written
        else:
            continue
        if helper is None or helper.index == f.index:
            continue
        # A wait helper waits every time it is called (a `nap`), not only on a failure path.
        sleeps = [
            w
            for w in helper.waits
            if w.role == "sleep"
            and helper.own(w.region)
            and w.mechanism.startswith("tokio::")
            and helper.flow is not None
            and not helper.flow.conditions(w.region)
            and helper.flow.loop_of(w.region) is None
        ]
        if not sleeps:
            continue
        arg = _passed_duration(helper, sleeps[0], c) if c.kind == "fn" else ""
        seconds = sleeps[0].seconds if c.kind == "fn" and arg == sleeps[0].arg else None
        if c.kind == "fn" and not arg:
            continue
        if c.kind == "method":
            # No argument: the method sleeps on its own object's field, which is the caller's
            # `self` too; any other argument of its own is not said.
            arg = sleeps[0].arg if not c.args and sleeps[0].arg.startswith("self.") else ""
            if not arg:
                continue
        var = arg if arg.isidentifier() else ""
        out.append(
            (
                Wait("sleep", sleeps[0].mechanism, via, arg, seconds, c.region, c.src, var=var),
                via,
            )
        )
    return out


def _passed_duration(helper: ItemFacts, w: Wait, c: Call) -> str:
    """What a free helper `nap(d, ..)` sleeps on, as the caller sees it: the argument passed for
    the parameter its sleep reads, or the helper's own fixed duration; "" when neither can be
    said. Not the call's first argument whatever it is (spacedrive's `register_..(&networking)`
    sleeps a fixed 50 ms: "the wait on `&networking`" was misleading, a held-out read)."""
    names = [p for p, _ in helper.params]
    if w.arg in names:
        n = names.index(w.arg)
        return c.args[n] if n < len(c.args) else ""
    if w.seconds is not None and not any(re.search(rf"\b{re.escape(p)}\b", w.arg) for p in names):
        return w.arg
    return ""


def wait_claim(
    ctx: FileContext, f: ItemFacts, w: Wait, loop: Region | None, via: str = ""
) -> Claim | None:
    """One wait of the item's own task, said by its role: an interval (with its tick), a
    timeout (with what it bounds) or a sleep (with its guard, arm and cancellation)."""
    assert f.flow is not None
    if w.role == "tick":
        return None  # told with its interval
    flags: set[str] = {w.role}
    if loop is not None and f.flow.inside(w.region, loop.id) and in_future(f, w.region, loop):
        # `let test = async { sleep(5s).await; .. };` raced in a round: not the loop's pace
        # ("spaces the rounds out" was FALSE of mullvad's leak checker, read 89 #25).
        flags.add("in-future")
    elif loop is not None and f.flow.inside(w.region, loop.id):
        flags.add("in-loop")
        if loop.keyword == "for" and w.role == "sleep":
            flags.add("for")  # a round per element: after the last one there is no next
            if ranged(loop):
                flags.add("range-loop")  # `for i in 0..tries`: a round per try (read 63)
    elif loop is not None and w.src.start < ctx.fs.scan.starts[loop.lo]:
        flags.add("before-loop")
    build = {"interval": _interval_claim, "timeout": _timeout_claim}.get(w.role, _sleep_claim)
    claim = build(ctx, f, w, loop, via, flags)
    arm, head = (claim.get("arm"), claim.get("loop_head")) if claim else ("", "")
    if claim is not None and " if " in arm and spares_last(head, arm.partition(" if ")[2]):
        # `Err(e) if attempt < MAX => sleep(..)`: the last try never waits (read 89 #11).
        claim = replace(claim, flags=claim.flags | {"spares-last"})
    return claim


def _interval_claim(
    ctx: FileContext, f: ItemFacts, w: Wait, loop: Region | None, via: str, flags: set[str]
) -> Claim | None:
    assert f.flow is not None
    var = next((a.var for a in f.assigns if a.src.start <= w.src.start < a.src.end), "")
    if not var:
        return None
    if w.seconds is None:
        # A period from configuration or arithmetic (`Duration::from_secs(cfg.every)`): said
        # by its expression. Without it a loop that ticks was said to have no cadence at all
        # (rauthy's `get_rand_between(3500, 3700)` seconds, qdrant's configured periods).
        flags.add("unvalued")
    task = f.flow.task_of(w.region).id
    ticks = [
        t
        for t in f.waits
        if t.role == "tick" and t.var == var and f.flow.task_of(t.region).id == task
    ]
    # The tick inside the loop is the one that paces it; a first tick before the loop only
    # takes the interval's immediate first tick (corrosion's `clear_buffered_meta_loop`).
    tick = next((t for t in ticks if f.flow.loop_of(t.region) is not None), None)
    tick = tick or (ticks[0] if ticks else None)
    if tick is None:
        return None
    tick_place(ctx, f, tick, ticks, flags)
    guard_of_tick = tick_guard(f, tick)
    slots = {
        "mech": w.mechanism,
        "arg": w.arg,
        "var": var,
        "tick": tick.src.text if tick.src.text.startswith(var) else "",
    }
    if guard_of_tick is not None:
        flags.add("tick-guarded")
        if guard_of_tick:
            slots["tick_guard"] = guard_of_tick
            fixed = fixed_option(f, tick, guard_of_tick)
            if fixed:
                slots["opt_var"] = fixed
                flags.add("fixed-guard")
    if w.seconds is not None:
        slots["dur"] = _dur(w, f)
    interval_start(f, w, slots, flags)
    tick_precondition(f, tick, slots, flags)
    tick_race(f, tick, slots, flags)
    proof = [ctx.proof(w.src)]
    # `set_missed_tick_behavior(..)` changes what a late tick does; tokio's default bursts.
    missed = missed_behaviour(f, var, slots, flags)
    if missed is not None:
        proof.append(ctx.proof(missed.src))
    conds, _, negated = guard_of(f, w.region, loop.id if loop else None, w.src.start)
    if negated:
        return None
    if conds:
        # `if crate::is_shutting_down() { .. interval .. }` is not the loop's cadence.
        slots["guard"] = codes(*conds)
        flags.add("guarded")
    return make("interval", f.name, slots, [*proof, ctx.proof(tick.src)], flags)


def _other_awaits(f: ItemFacts, w: Wait, blocks: list[Region]) -> bool:
    """Whether the fn awaits anything the timeout ``w`` does not cover. With
    `let future = async { .. }; timeout(d, future)`, the block bound to the name is covered
    too (bb8's `get`, whose whole wait loop is in it: "other awaits of `get` are not covered"
    was false, blind read 103), and so are blocks it names inside a call (`timeout(d,
    join(handler_fut, io_fut))`, wasmCloud's HTTP trigger, read 62)."""
    assert f.flow is not None
    flow = f.flow
    return any(not any(flow.inside(c.region, b.id) for b in blocks) for c in awaits_outside(f, [w]))


def _timeout_guard(
    f: ItemFacts, w: Wait, loop: Region | None, slots: dict[str, str], flags: set[str]
) -> None:
    """The conditions a timeout is taken under (`guard`, `guarded`), or `conditional` when one
    of them cannot be said."""
    conds, arm, negated = guard_of(f, w.region, loop.id if loop is not None else None, w.src.start)
    if arm:
        # The `match` arm it sits in is a condition too: rusty-celery bounds a task only under
        # `Some(secs)` of its time limit; "only when `self.is_expired()` is false" dropped it
        # (a held-out read). An arm that says nothing of what matched is no condition to say.
        said = arm_cond(f, w.region)
        if said is None:
            negated = True
        else:
            conds = [said, *conds]
    if negated:
        flags.add("conditional")
    elif conds:
        slots["guard"] = codes(*conds)
        flags.add("guarded")


def _timeout_claim(
    ctx: FileContext, f: ItemFacts, w: Wait, loop: Region | None, via: str, flags: set[str]
) -> Claim | None:
    assert f.flow is not None
    reg = next(
        (
            r
            for r in f.flow.regions
            if r.kind == "timeout-future"
            and r.start_tok >= 0
            and ctx.fs.scan.starts[r.start_tok] == w.src.start
        ),
        None,
    )
    if reg is None:
        return None
    slots = {"mech": w.mechanism, "arg": w.arg, "dur": _dur(w, f)}
    # `if let Some(d) = conf.timeout { timeout(d, fut).await.. } else { fut.await }`: the
    # deadline is there only under that condition (the Rust SDK: only when one is configured).
    _timeout_guard(f, w, loop, slots, flags)
    # `timeout(d, call).await?`: an expiry is returned from the fn, not handled where it is.
    if any(c.src.start == w.src.start and c.propagates for c in f.calls):
        flags.add("propagates")
        # `timeout(d, call).await?.context("..")?`: the first `?` hands the expiry up bare; the
        # message is attached to the inner call's own error.
        after = re.match(
            r"\s*\.\s*await\s*\?\s*\.\s*(?:context|with_context)\(\s*\"([^\"\n]*)\"",
            ctx.fs.text[w.src.end : w.src.end + 200],
        )
        if after:
            flags.add("context-inner")
            slots["context"] = after.group(1)
    # `Duration::from_secs(wait_for_seconds)`: a deadline set by a variable, said as
    # "`wait_for_seconds` seconds" rather than pasted.
    per = re.fullmatch(r"(?:std::time::)?Duration::from_(secs|millis)\((\w+)\)", w.arg)
    if per and not per.group(2).isdigit():
        slots["amount"] = per.group(2)
        slots["unit"] = {"secs": "seconds", "millis": "milliseconds"}[per.group(1)]
    block = bound_async_block(f, ctx.fs.scan.texts[reg.lo : reg.hi])
    if _other_awaits(f, w, bound_blocks(f, ctx.fs.scan.texts[reg.lo : reg.hi])):
        # Other awaits on the fn's own task: the bound covers this call, not the fn.
        flags.add("other-awaits")
    if re.fullmatch(r"(?:\w+::)*[A-Z][A-Z0-9_]*", w.arg) and slots.get("dur"):
        # `SERVER_PING_PERIOD`: the author named the bound, and a maintainer says it by that
        # name ("give up after 21 seconds" read as the value lifted from the code: read 66).
        flags.add("named-const")
    if ctx.fs.scan.texts[reg.lo] == "async" or block is not None:
        # The bounded future is an async block: say what it does, not its first call.
        flags.add("async-block")
        inner = block or reg
        if any(r.kind == "loop" and f.flow.inside(r.id, inner.id) for r in f.flow.regions):
            flags.add("loops")
    elif not bounded_future(ctx, f, w, reg, slots, flags):
        return None
    return make("timeout", f.name, slots, [ctx.proof(w.src)], flags)


def _sleep_claim(
    ctx: FileContext, f: ItemFacts, w: Wait, loop: Region | None, via: str, flags: set[str]
) -> Claim | None:
    assert f.flow is not None
    conds, arm, negated = guard_of(f, w.region, loop.id if loop else None, w.src.start)
    if conds and negated:
        return None  # an `else` branch's condition is not said as a plain condition
    wloop = f.flow.loop_of(w.region)
    if wloop is not None and _paced_otherwise(f, wloop, not arm and not conds, bool(via), w):
        return None
    if wloop is not None and _in_inner_for(f, loop, wloop) and not via:
        return element_sleep(ctx, f, w, wloop, waits_first(f, w))
    if negated and not arm and any(r.kind == "let-else" for r in f.flow.conditions(w.region)):
        # The `else` of `let Some(next) = .. else { sleep; continue }` runs only when nothing
        # matched: not the pause between rounds (underway's scheduler, held-out read 11).
        return None
    # A `continue` nested in an earlier `if`/`match` of the loop body (`continue 'outer` for one
    # kind of error) skips this wait on that path: a condition the sentence would drop.
    if skipped_by_continue(f, w.region, w.src.start, conds):
        return None
    slots = {"mech": w.mechanism, "arg": w.arg, "dur": _dur(w, f)}
    if w.mechanism.endswith("sleep_until") and wloop is not None and made_in(f, w.arg, wloop):
        flags.add("until-instant")  # no "pause between rounds" (lighthouse, read 96 #11)
    won = None if conds or arm else handler_sleep(ctx, f, w, slots)
    if won is not None:
        return won
    # `let interval = Duration::from_secs(..);` then `sleep(interval)`: what a name bound once
    # holds (pgcat's DNS refresher: "The wait on `interval` is a `tokio::time::sleep`").
    bound = [a for a in f.assigns if a.var == w.arg]
    held = bound_once(f, w.arg)
    once = bool(held)
    if w.arg.isidentifier() and once and not slots["dur"] and len(held) <= 60:
        slots["arg_value"] = held
        # Bound before the loop: worked out once, not each pass (habitat, read 85 #8).
        flags |= {"arg-fixed"} if wloop and not f.flow.inside(bound[0].region, wloop.id) else set()
    if once and w.arg in {p for p, _ in f.params}:
        flags.add("shadows-param")  # `let dur = match (ctx.timeout(), dur.0) ..` (read 72 #7)
        fallback = param_default(w.arg, held)
        if fallback:
            slots["default_dur"] = fallback
            flags.add("param-default")
    if w.arg.isidentifier() and not once and bound or amount_varies(f, w.arg):
        # `delay = (delay * 2).min(MAX)`: a pause that changes, no fixed one to ask for
        # (crates.io's job listener, held-out read 47).
        flags.add("arg-varies")
    if via:
        slots["via"] = via
        flags.add("via-helper")
        helper = ctx.local_fn(via)
        if helper is not None and any(
            r.kind == "select-handler" and "cancel" in r.detail
            for r in (helper.flow.regions if helper.flow else [])
        ):
            flags.add("helper-cancellable")
    src_var, via_some = source_var(f, w)
    only_value(f, src_var or w.arg, slots, flags)
    if src_var and src_var != w.arg:
        flags.add("from-var")
        slots["var"] = src_var
        if via_some:
            flags.add("if-let-some")
            # `if let Some(d) = var` is said by the if-let-some rows; only other conditions
            # remain a guard.
            conds = [c for c in conds if not re.fullmatch(rf"let Some\(\w+\) = {src_var}\b.*", c)]
    put_guard(slots, flags, conds, arm)
    if conds and any(
        o.arg == w.arg and o.src.start < w.src.start and not f.flow.inside(o.region, w.region)
        for o in f.waits
    ):
        flags.add("again")  # "sleeps 5 s only when X" denied the round's first 5 s (read 57)
    of = twin_arm_of(f, w.region, arm) if arm else ""
    if of:
        slots["arm_of"] = of
        flags.add("arm-of")
    failed = failed_call(f, w.region, "guarded" in flags) if "err-arm" in flags else ""
    if failed:
        slots["call"] = failed
    sleep_wrapping(f, w, slots, flags)
    _round_place(f, w, wloop, slots, flags)
    return make("sleep", f.name, slots, [ctx.proof(w.src)], flags)


def _in_inner_for(f: ItemFacts, loop: Region | None, wloop: Region) -> bool:
    """Whether the sleep's own loop ``wloop`` is a `for` over a collection inside ``loop``."""
    assert f.flow is not None
    return (
        loop is not None
        and wloop is not None
        and wloop.id != loop.id
        and wloop.keyword == "for"
        and not ranged(wloop)
        and f.flow.inside(wloop.id, loop.id)
    )


def _paced_otherwise(f: ItemFacts, wloop: Region, plain: bool, via: bool, w: Wait) -> bool:
    """Whether a sleep in ``wloop`` is no pause between the item's rounds (``via``: it is a
    callee's, said as part of the item's waiting, not as a pause), or one no round reaches."""
    assert f.flow is not None
    if both_arms_leave(f, wloop, w.src.start):
        return True
    if not via and in_async(f, wloop) and main_loop(f) not in (None, wloop):
        # The loop of a future the round builds and races (rustfs's `lock_lost = async { loop
        # { sleep(POLL).await; .. } }` beside its probe) paces that future's polling, not the
        # rounds: it was said "between one round and the next" (held-out read 77 #5-8).
        return True
    # The loop is paced by an interval's tick: a plain sleep beside it is no pause between
    # rounds (rauthy's schedulers sleep 3 s after a pass: "should pause 3 seconds between
    # rounds" and "a sleep rather than an interval" were false, held-out read 13).
    return plain and any(t.role == "tick" and f.flow.loop_of(t.region) is wloop for t in f.waits)


def _round_place(
    f: ItemFacts, w: Wait, wloop: Region | None, slots: dict[str, str], flags: set[str]
) -> None:
    """Where the sleep sits in its round: what comes right after it, whether it starts the
    round, whether a round can leave before it, and whether it is the round's only wait."""
    assert f.flow is not None
    # `sleep(..).await; continue;`: the pass is skipped, not merely delayed.
    after = [e for e in f.exits if e.region == w.region and e.src.start > w.src.end]
    if after and after[0].kind == "continue" and not continue_is_last(f, after[0]):
        flags.add("then-continue")
    elif after and after[0].kind in ("return", "break"):
        # `sleep(100ms).await; return Ok(())`: a wait before leaving, not the loop's pace (rqbit's
        # chunk requester: "the pause of 100 milliseconds", held-out read 28).
        flags.add("then-leaves")
    first = waits_first(f, w)
    if first:
        slots["first_work"] = first
        flags.add("waits-first")
    mark_opening(f, w, bool(first), slots, flags)
    if wloop is not None and any(
        e.src.start < w.src.start
        and f.flow.inside(e.region, wloop.id)
        and e.kind in ("return", "question", "exit", "break", "ensure")
        and (e.kind != "break" or f.flow.loop_of(e.region) is wloop)
        for e in f.exits
    ):
        flags.add("exit-before")  # a round can leave before it sleeps
        # Then the round does not open with it (an `ensure!` on the try count first: "Each
        # round opens with `tokio::time::sleep`" was FALSE of bottlerocket's, read 85 #14).
        flags -= {"waits-first", "opens-round"}
        slots.pop("first_work", None)
    if wloop is not None and any(
        e.kind == "continue"
        and e.src.start < w.src.start
        and exit_loop(f, e) is wloop
        # `sleep(d).await; continue;` in an error arm waits on its own (svix's redis.rs), and
        # so may an awaited helper (`backoff.wait_out().await; continue;`).
        and not any(
            c.awaited and c.region == e.region and c.src.end <= e.src.start for c in f.calls
        )
        for e in f.exits
    ):
        # `let .. else { continue };` above it: no wait on those rounds (read 89 #39).
        flags |= {"exit-before", "skips-before"}
        flags -= {"waits-first", "opens-round"}
        slots.pop("first_work", None)
    if wloop is not None and ends_round(f, w, wloop):
        flags.add("last-too")
        slots["loop_head"] = f"{wloop.keyword} {wloop.head}"
    elif wloop is not None and "range-loop" in flags:
        slots["loop_head"] = f"{wloop.keyword} {wloop.head}"  # the range that caps the tries
    if (
        wloop is not None
        and [x for x in f.waits if f.flow.inside(x.region, wloop.id)] == [w]
        and not waits_for_event(f, wloop)
    ):
        flags.add("only-wait")  # without it the loop would go round with no pause at all
        slots["work"] = codes_upto(calls_each_round(f, wloop, w.src.start, w.src.end), 2)
