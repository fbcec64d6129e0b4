"""Claims about how an item's own task paces itself: loops, sleeps, intervals, timeouts, the
wait chosen after each pass, and how shutdown cuts a wait short."""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import ItemFacts, Wait
from ..flow import Region
from ..mechanisms import mechanism
from ..values import human_duration
from .core import Claim, FileContext, Proof, make
from .data import returns_sum
from .shape import (
    CANCEL_FUTURE,
    SHUTDOWN_WORD,
    await_name,
    awaits_outside,
    codes,
    continue_is_last,
    guard_of,
    main_loop,
    put_guard,
    skipped_by_continue,
)
from .shutdown import shutdown_claims

__all__ = ["schedule_claims", "own_waits"]


# What the people who saw a hang call a wait on a call of this name (its last segment): an
# incident says "`connect` hung on a read that never completed", not the local `ws_rx.next`
# (blind read 67 scored "hung on one call that never came back" 3 as vague).
WAIT_NOUNS = {
    "next": "a read",
    "recv": "a read",
    "read": "a read",
    "read_exact": "a read",
    "receive": "a read",
    "receive_all": "a read",
    "send": "a write",
    "write": "a write",
    "write_all": "a write",
    "flush": "a write",
    "connect": "a connection attempt",
    "connect_async": "a connection attempt",
    "accept": "an accept",
    "query": "a query",
    "execute": "a query",
    "fetch_one": "a query",
    "fetch_all": "a query",
    "lock": "a lock",
}


def _dur(w: Wait, f: ItemFacts) -> str:
    return human_duration(w.seconds) if w.seconds is not None else ""


def _source_var(f: ItemFacts, w: Wait) -> tuple[str, bool]:
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


def schedule_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    out: list[Claim] = []
    loop = main_loop(f)
    if loop is not None:
        out += _loop_claims(ctx, f, loop)
    waits: list[Claim] = []
    for w, via in own_waits(ctx, f):
        c = _wait_claim(ctx, f, w, loop, via)
        if c is not None and c not in waits:
            waits.append(c)
    from .failures import merge_alike

    out += merge_alike(waits, "arm")
    out += _adaptive_claims(ctx, f)
    out += _const_comments(ctx, f)
    out += shutdown_claims(ctx, f, loop)
    bare = _unbounded_awaits(ctx, f)
    if bare:
        # The awaits with no deadline are named: a timeout's "other awaits of `connect` are not
        # covered by it" would say the same thing a second time, vaguer.
        out = [
            replace(c, flags=c.flags - {"other-awaits"}) if c.kind == "timeout" else c for c in out
        ]
    out += bare
    return _with_cancellable_wait(out)


def _unbounded_awaits(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A fn that puts a deadline on some of its awaits and none on others that can fail (an
    awaited call followed by `?`): a hang in one of those is not cut short here. Blind read 76:
    "Can that still happen?" after "`connect` hung" was answered with the bounded reads alone,
    while `WsConnection::new(..).await?` has no timeout around it."""
    timed = [w for w in f.waits if w.role == "timeout" and f.own(w.region)]
    if not timed:
        return []
    free = [c for c in awaits_outside(f, timed) if c.propagates and mechanism(c.full) is None]
    names = list(dict.fromkeys(await_name(c) for c in free))
    if not names or len(names) > 3:
        return []
    proof = [ctx.proof(c.src) for c in free] + [ctx.proof(w.src) for w in timed]
    flags = {"several"} if len(names) > 1 else set()
    return [make("unbounded_awaits", f.name, {"calls": codes(*names)}, proof, flags)]


def _with_cancellable_wait(out: list[Claim]) -> list[Claim]:
    """A loop check beside a wait that a shutdown cuts short and then leaves on: a shutdown
    that comes after the check is seen during the wait too, so "the check is not repeated right
    before the pass" is said with that (blind reads 59-62 read it as a gap the cleaner does not
    have: its cancellable nap returns before the pass)."""
    if not any(c.kind == "shutdown_wait" and c.get("action") for c in out):
        return out
    return [
        replace(c, flags=c.flags | {"wait-cancellable"}) if c.kind == "shutdown_loop" else c
        for c in out
    ]


def _loop_claims(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    src = ctx.region_src(f, loop)
    flags = {loop.keyword}
    if loop.keyword == "while" and loop.head.startswith("let "):
        flags.add("while-let")
    assert f.flow is not None
    # Other loops of its own beside this one (`exec` walks three ranges): this one is not "the
    # driver" of the fn (blind read 33).
    own_loops = [
        r
        for r in f.flow.regions
        if r.kind == "loop"
        and f.own(r.id)
        and r.id != loop.id
        and not f.flow.inside(r.id, loop.id)
        and not f.flow.inside(loop.id, r.id)
    ]
    if own_loops:
        flags.add("one-of-loops")
    exits = [e for e in f.exits if f.flow.loop_of(e.region) is loop]
    if any(e.kind in ("return", "break") for e in exits):
        flags.add("exits")
    if any(e.kind == "question" for e in exits):
        flags.add("question-in-loop")
    head = src.text if loop.keyword == "loop" else " ".join(src.text.split())
    slots = {"keyword": loop.keyword, "head": head, "cond": loop.head}
    proof = [ctx.proof(src)]
    # The loop's own ways out, as written (`return Ok(None)`, `break`): a think that says "the
    # exits are inside" without naming them says nothing about this loop.
    # A return in a nested loop leaves this one too; a break there does not.
    ways = [
        e
        for e in f.exits
        if (e.kind == "return" and f.flow.inside(e.region, loop.id))
        or (e.kind == "break" and f.flow.loop_of(e.region) is loop)
    ]
    if ways and len(ways) <= 4 and all("\n" not in e.src.text for e in ways):
        written = list(dict.fromkeys(" ".join(e.src.text.split()) for e in ways))
        slots["ways"] = codes(*written)
        if len(ways) == 1:
            flags.add("one-way")  # "the statement that leaves it is", not "are"
        elif len(written) == 1:
            flags.add("one-form")  # several `return`s written alike: "only `return` leaves it"
        proof += [ctx.proof(e.src) for e in ways]
    out = [make("loop", f.name, slots, proof, flags)]
    # `while !crate::is_shutting_down()`: the flag is checked before every pass.
    checks = [
        c
        for c in f.calls
        if c.src.start >= src.start and c.src.end <= src.end and SHUTDOWN_WORD.search(c.name)
    ]
    if checks and loop.keyword == "while":
        out.append(
            make(
                "shutdown_loop",
                f.name,
                {"cond": loop.head, "check": checks[0].written},
                [ctx.proof(src)],
                {"negated"} if loop.head.startswith("!") else (),
            )
        )
    return out


def own_waits(ctx: FileContext, f: ItemFacts) -> list[tuple[Wait, str]]:
    """The waits of the item's own task, each with the same-file helper it goes through ("" for
    a tokio call written in the item itself): `nap(d, &shutdown).await`, where `nap` sleeps with
    `tokio::time::sleep`, is a sleep on `d` through `nap`."""
    out: list[tuple[Wait, str]] = [(w, "") for w in f.waits if f.own(w.region)]
    for c in f.calls:
        if c.kind != "fn" or not c.awaited or not f.own(c.region) or "::" in c.written:
            continue
        helper = ctx.local_fn(c.written)
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
        arg = c.args[0] if c.args else ""
        var = arg if arg.isidentifier() else ""
        out.append(
            (
                Wait("sleep", sleeps[0].mechanism, c.written, arg, None, c.region, c.src, var=var),
                c.written,
            )
        )
    return out


def _wait_claim(
    ctx: FileContext, f: ItemFacts, w: Wait, loop: Region | None, via: str = ""
) -> Claim | None:
    """One wait of the item's own task, said by its role: an interval (with its tick), a
    timeout (with what it bounds) or a sleep (with its guard, arm and cancellation)."""
    assert f.flow is not None
    if w.role == "tick":
        return None  # told with its interval
    flags: set[str] = {w.role}
    if loop is not None and f.flow.inside(w.region, loop.id):
        flags.add("in-loop")
        if loop.keyword == "for" and w.role == "sleep":
            flags.add("for")  # a round per element: after the last one there is no next
    elif loop is not None and w.src.start < ctx.fs.scan.starts[loop.lo]:
        flags.add("before-loop")
    build = {"interval": _interval_claim, "timeout": _timeout_claim}.get(w.role, _sleep_claim)
    return build(ctx, f, w, loop, via, flags)


def _interval_claim(
    ctx: FileContext, f: ItemFacts, w: Wait, loop: Region | None, via: str, flags: set[str]
) -> Claim | None:
    assert f.flow is not None
    var = next((a.var for a in f.assigns if a.src.start <= w.src.start < a.src.end), "")
    if not var or w.seconds is None:
        return None
    task = f.flow.task_of(w.region).id
    tick = next(
        (
            t
            for t in f.waits
            if t.role == "tick" and t.var == var and f.flow.task_of(t.region).id == task
        ),
        None,
    )
    if tick is None:
        return None
    tloop = f.flow.loop_of(tick.region)
    if tloop is not None:
        flags.add("tick-in-loop")
        first = next(
            (k for k in range(tloop.lo, tloop.hi) if ctx.fs.scan.codes[k] not in "cdi"), -1
        )
        if first >= 0 and ctx.fs.scan.starts[first] == tick.src.start:
            flags.add("tick-first")
    slots = {
        "mech": w.mechanism,
        "dur": _dur(w, f),
        "arg": w.arg,
        "var": var,
        "tick": tick.src.text if tick.src.text.startswith(var) else "",
    }
    proof = [ctx.proof(w.src)]
    # `set_missed_tick_behavior(..)` changes what a late tick does; tokio's default bursts.
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
        flags.add(f"missed-{missed.args[0].split('::')[-1].lower()}")
        slots["missed"] = missed.args[0]
        proof.append(ctx.proof(missed.src))
    conds, _, negated = guard_of(f, w.region, loop.id if loop else None, w.src.start)
    if negated:
        return None
    if conds:
        # `if crate::is_shutting_down() { .. interval .. }` is not the loop's cadence.
        slots["guard"] = codes(*conds)
        flags.add("guarded")
    return make("interval", f.name, slots, [*proof, ctx.proof(tick.src)], flags)


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
    conds, _, negated = guard_of(f, w.region, loop.id if loop is not None else None, w.src.start)
    if negated:
        flags.add("conditional")
    elif conds:
        slots["guard"] = codes(*conds)
        flags.add("guarded")
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
    if awaits_outside(f, [w]):
        # Other awaits on the fn's own task: the bound covers this call, not the fn.
        flags.add("other-awaits")
    if re.fullmatch(r"(?:\w+::)*[A-Z][A-Z0-9_]*", w.arg) and slots.get("dur"):
        # `SERVER_PING_PERIOD`: the author named the bound, and a maintainer says it by that
        # name ("give up after 21 seconds" read as the value lifted from the code: read 66).
        flags.add("named-const")
    if ctx.fs.scan.texts[reg.lo] == "async":
        # The bounded future is an async block: say what it does, not its first call.
        flags.add("async-block")
        if any(r.kind == "loop" and f.flow.inside(r.id, reg.id) for r in f.flow.regions):
            flags.add("loops")
    else:
        # The bounded call is the outermost one: in `timeout(d, tx.send(Message::Text(..)))`
        # it is `tx.send`, and `Message::Text` only builds its argument.
        calls = [
            c for c in f.calls if f.flow.inside(c.region, reg.id) and c.kind in ("fn", "method")
        ]
        outer = [
            c
            for c in calls
            if not any(o.open_tok < c.tok and c.close_tok < o.close_tok for o in calls)
        ]
        toks = ctx.fs.scan.texts[reg.lo : reg.hi]
        if len(outer) == 1 and (outer[0].kind == "fn" or outer[0].receiver):
            c = outer[0]
            slots["future"] = c.written if c.kind == "fn" else c.receiver + c.written
            noun = WAIT_NOUNS.get(c.name)
            if noun:
                slots["op_noun"] = noun
        elif len(toks) == 1 and toks[0].isidentifier():
            slots["future"] = toks[0]  # a future built earlier and bound to a name (`req`)
        else:
            return None
    return make("timeout", f.name, slots, [ctx.proof(w.src)], flags)


def _sleep_claim(
    ctx: FileContext, f: ItemFacts, w: Wait, loop: Region | None, via: str, flags: set[str]
) -> Claim | None:
    assert f.flow is not None
    conds, arm, negated = guard_of(f, w.region, loop.id if loop else None, w.src.start)
    if conds and negated:
        return None  # an `else` branch's condition is not said as a plain condition
    # A `continue` nested in an earlier `if`/`match` of the loop body (`continue 'outer` for one
    # kind of error) skips this wait on that path: a condition the sentence would drop.
    if skipped_by_continue(f, w.region, w.src.start, conds):
        return None
    slots = {"mech": w.mechanism, "arg": w.arg, "dur": _dur(w, f)}
    if via:
        slots["via"] = via
        flags.add("via-helper")
        helper = ctx.local_fn(via)
        if helper is not None and any(
            r.kind == "select-handler" and "cancel" in r.detail
            for r in (helper.flow.regions if helper.flow else [])
        ):
            flags.add("helper-cancellable")
    src_var, via_some = _source_var(f, w)
    if src_var and src_var != w.arg:
        flags.add("from-var")
        slots["var"] = src_var
        if via_some:
            flags.add("if-let-some")
            # `if let Some(d) = var` is said by the if-let-some rows; only other conditions
            # remain a guard.
            conds = [c for c in conds if not re.fullmatch(rf"let Some\(\w+\) = {src_var}\b.*", c)]
    put_guard(slots, flags, conds, arm)
    _sleep_wrapping(f, w, slots, flags)
    # `sleep(..).await; continue;`: the pass is skipped, not merely delayed.
    after = [e for e in f.exits if e.region == w.region and e.src.start > w.src.end]
    if after and after[0].kind == "continue" and not continue_is_last(f, after[0]):
        flags.add("then-continue")
    first = _waits_first(f, w)
    if first:
        slots["first_work"] = first
        flags.add("waits-first")
    return make("sleep", f.name, slots, [ctx.proof(w.src)], flags)


def _waits_first(f: ItemFacts, w: Wait) -> str:
    """The work of a round that starts with this sleep (`loop { sleep(..).await; get().await }`):
    the round's first awaited call after it, when nothing awaited comes before the sleep."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    if loop is None or w.region != loop.id or loop.keyword != "loop":
        return ""
    inside = [
        c
        for c in f.calls
        if c.awaited and f.flow.loop_of(c.region) is loop and f.own(c.region) and c.src != w.src
    ]
    if any(c.src.start < w.src.start for c in inside):
        return ""
    later = [c for c in inside if c.src.start > w.src.end and mechanism(c.full) is None]
    if not later:
        return ""
    c = min(later, key=lambda c: c.src.start)
    if c.kind == "method":
        return f"{c.receiver}.{c.name}" if c.receiver and len(c.receiver) <= 30 else ""
    return c.written


def _sleep_wrapping(f: ItemFacts, w: Wait, slots: dict[str, str], flags: set[str]) -> None:
    """What a sleep sits inside: a `run_until_cancelled` wrapper, or a `select!` (and whether a
    sibling branch there is a cancellation)."""
    assert f.flow is not None
    for r in f.flow.chain(w.region):
        if r.kind == "cancellable":
            slots["wrapper"] = r.keyword
            flags.add("cancellable")
            return
        if r.kind == "select-future":
            slots["select"] = r.keyword + "!"
            siblings = [
                x
                for x in f.flow.regions
                if x.kind == "select-handler" and x.start_tok == r.start_tok and x.index != r.index
            ]
            if any(CANCEL_FUTURE.search(x.detail) for x in siblings):
                flags.add("raced-with-cancel")
            flags.add("in-select")
            return


def _adaptive_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`sleep_time = if rows < BATCH { Some(IDLE) } else { None }` inside the loop, read back as
    the duration of the next sleep, and `sleep_time = Some(ON_ERROR)` in an error arm."""
    assert f.flow is not None
    sleeps = [w for w, _ in own_waits(ctx, f) if w.role == "sleep"]
    # Only a variable read through `if let Some(d) = var` makes `None` mean "no wait".
    sources = {v for v, some in (_source_var(f, w) for w in sleeps) if some}
    out: list[Claim] = []
    for a in f.assigns:
        if a.var not in sources or a.is_let or not f.own(a.region):
            continue
        _, arm, _ = guard_of(f, a.region)
        if a.branches is not None:
            cond, then, other = a.branches
            idle_side = then if other.strip() == "None" else other if then.strip() == "None" else ""
            m = re.fullmatch(r"Some\((\w+)\)", idle_side.strip())
            c = f.const(m.group(1)) if m else None
            if c is None or not c.is_duration or c.value is None:
                continue
            slots = {
                "var": a.var,
                "cond": cond,
                "idle": c.name,
                "idle_dur": human_duration(c.value),
                "arm": arm or "",
                "idle_value": idle_side.strip(),
            }
            flags = {"idle-when-true" if idle_side is then else "idle-when-false"}
            # The condition compares the pass's result with the batch size the pass was given:
            # "short of a batch" is then what the condition says.
            passed = {x for call in f.calls for arg in call.args for x in re.findall(r"\w+", arg)}
            sized = [
                k for k in f.consts if k.name in cond and k.name in passed and not k.is_duration
            ]
            summed: list[Proof] = []
            if sized:
                flags.add("batch-cond")
                # The count compared adds up two statements' counts (the cleaner's `message`
                # and `messagecontent`): "after a full batch" is not what the test says, since
                # two part-batches pass it too (blind read 73 counted it misleading).
                given = [c.name for c in f.calls if any(sized[0].name in x for x in c.args)]
                summed = next((p for n in given if (p := returns_sum(ctx, n))), [])
                if summed:
                    flags.add("summed")
            init = next((x for x in f.assigns if x.var == a.var and x.is_let), None)
            if init is not None:
                slots["init"] = init.value
                flags.add("first-immediate" if init.value == "None" else "first-waits")
            if not arm:
                continue
            proof = [ctx.proof(a.src), ctx.proof(c.src)]
            if "summed" in flags:
                proof += summed  # the callee's `a + b`: what the test really counts
            out.append(make("adaptive", f.name, slots, proof, flags))
            if init is not None and init.value == "None":
                # Nothing has set a wait before the first pass, so it runs at once.
                out.append(
                    make(
                        "first_pass",
                        f.name,
                        {"var": a.var, "init": init.value},
                        [ctx.proof(init.src)],
                    )
                )
            continue
        m = re.fullmatch(r"Some\((\w+)\)", a.value.strip())
        c = f.const(m.group(1)) if m else None
        if c is not None and c.is_duration and c.value is not None and arm.startswith("Err"):
            out.append(
                make(
                    "error_wait",
                    f.name,
                    {
                        "var": a.var,
                        "const": c.name,
                        "dur": human_duration(c.value),
                        "arm": arm,
                        "value_set": a.value.strip(),
                    },
                    [ctx.proof(a.src), ctx.proof(c.src)],
                )
            )
    return out


def _const_comments(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    out = []
    for c in f.consts:
        if c.comment and c.local:
            slots = {"const": c.name, "comment": c.comment.rstrip(".")}
            if c.is_duration and c.value is not None:
                slots["dur"] = human_duration(c.value)
            out.append(make("const_comment", f.name, slots, [ctx.proof(c.src)]))
    return out
