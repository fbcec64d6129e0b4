"""Claims about how an item stops: a shutdown flag re-checked in its loop, a `select!` branch
that ends it, a wait that a cancellation token cuts short."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..facts import ItemFacts, Src
from ..flow import Region, branch_future, dead_else
from .blocks import handle_names
from .core import Claim, FileContext, Proof, make
from .exits import exit_said
from .inner_stop import checked_again, inner_loop_of, outer_wait
from .round_work import call_said
from .select_branches import construct_guard, select_branch_claims, unsaid_condition
from .select_exits import awaited_before_stop, select_exits, works_first
from .select_parts import (
    IRREFUTABLE,
    beside_timer,
    biased,
    gated_branches,
    precondition,
    refutable,
    round_flags,
    select_place,
    unraced_wait,
    waits_unraced,
)
from .shape import (
    CANCEL_FUTURE,
    SHUTDOWN_WORD,
    codes,
    guard_of,
    next_call,
    self_counted,
    signal_name,
)
from .variants import stmt_cfg

__all__ = ["shutdown_claims"]


def shutdown_claims(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    return _select_claims(ctx, f) + select_branch_claims(ctx, f) + _cancel_checks(ctx, f, loop)


def _cancel_checks(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    """`if shutdown.is_cancelled() { break; }` inside the loop: shutdown noticed after a wait."""
    assert f.flow is not None
    out: list[Claim] = []
    if loop is None:
        return out
    for r in f.flow.regions:
        if r.kind != "if" or not f.flow.inside(r.id, loop.id) or not SHUTDOWN_WORD.search(r.head):
            continue
        if any(a.kind == "select-handler" for a in f.flow.chain(r.id)):
            continue  # inside a select branch: said with that branch
        if f.flow.task_of(r.id).id != f.flow.task_of(loop.id).id:
            continue  # in a task the loop spawns: its `return` ends that task (oha, read 86 #6)
        if r.head.startswith("let ") or ".await" in r.head:
            continue  # `if token.run_until_cancelled(sleep).await.is_none()` is the wait itself
        exits = [e for e in f.exits if e.region == r.id and e.kind in ("break", "return")]
        if exits:
            action = f"{exits[0].kind} {exits[0].expr}".strip()
            slots = {"cond": r.head, "action": action}
            left = f.flow.loop_of(exits[0].region)
            if exits[0].kind == "break" and left is not None and left.id != loop.id:
                # lumina's pruner checks its token again before each height of an inner `for`,
                # whose `break` leaves only that `for`: "if so, `break`, not another pass" said
                # it ended the loop (held-out read 83 #2).
                slots["inner_loop"] = f"{left.keyword} {left.head}".strip()
                proof = [ctx.proof(ctx.region_src(f, r))]
                out.append(make("shutdown_check", f.name, slots, proof, {"inner-break"}))
                continue
            # Work awaited in the branch before it leaves (draining workers, a final flush).
            before = [
                c
                for c in f.calls
                if f.flow.inside(c.region, r.id)
                and c.src.end <= exits[0].src.start
                and (c.awaited or c.kind == "macro" and "join" in c.full)
            ]
            flags = set()
            if before:
                first = before[0]
                slots["drain"] = first.written if first.kind != "method" else first.src.text
                flags.add("first")
                slots.update(_drain_until(f, r))
                if "until" in slots:
                    flags.add("until")
                    if _counts_tasks(f, slots["until"]):
                        flags.add("counts-tasks")
            elif r.parent == loop.id and not checked_again(f, loop, r):
                unraced_wait(ctx, f, r, loop, slots, flags)
            gate = _gate_before(f, loop, ctx.region_src(f, r).start)
            if gate:
                # `if over_limit { sleep; continue; }` earlier in the round: while it holds, the
                # round starts over before it gets here (queue_handler's task-limit gate).
                slots["gate"] = codes(*gate)
                flags.add("gated")
            out.append(
                make("shutdown_check", f.name, slots, [ctx.proof(ctx.region_src(f, r))], flags)
            )
    return out


def _gate_before(f: ItemFacts, loop: Region, at: int) -> list[str]:
    """The conditions of the one `continue` of the same loop that comes before the shutdown
    check in the round, outside it ([] when none, several, or not a plain conjunction)."""
    assert f.flow is not None
    ahead = [
        e
        for e in f.exits
        if e.kind == "continue" and e.src.start < at and f.flow.loop_of(e.region) is loop
    ]
    if len(ahead) != 1:
        return []
    conds, arm, negated = guard_of(f, ahead[0].region, loop.id)
    if negated or arm or not conds or len(conds) > 2:
        return []
    return conds


def _counts_tasks(f: ItemFacts, until: str) -> bool:
    """The drain waits on a counter that the item's spawned tasks bump with `fetch_add` and
    drop with `fetch_sub` in their own bodies: while it is above zero, a task it started has
    not finished (queue_handler's `num_workers`)."""
    assert f.flow is not None
    names = set(re.findall(r"(?<![\w.])[A-Za-z_][\w.]*", until))
    # `let num_workers = NUM_WORKERS.load(..)` just above: the condition reads the counter.
    names |= {
        m.group(1)
        for a in f.assigns
        if a.is_let and a.var in names
        for m in [re.match(r"([\w.]+)\.load\(", a.value)]
        if m
    }
    return any(add.receiver in names for _, add, _, _ in self_counted(f))


def _drain_until(f: ItemFacts, check: Region) -> dict[str, str]:
    """What a drain inside a shutdown branch waits for: an inner loop there that leaves by one
    `break`, under the conditions that hold when it does (`num_workers > 0` is false)."""
    assert f.flow is not None
    inner = [x for x in f.flow.regions if x.kind == "loop" and f.flow.inside(x.id, check.id)]
    if len(inner) != 1:
        return {}
    breaks = [e for e in f.exits if e.kind == "break" and f.flow.loop_of(e.region) is inner[0]]
    if len(breaks) != 1:
        return {}
    conds, arm, _ = guard_of(f, breaks[0].region, inner[0].id, breaks[0].src.start)
    if not conds or arm:
        return {}
    return {"until": codes(*conds)}


def _signal_futures(ctx: FileContext, f: ItemFacts, futures: list[str]) -> str:
    """ "Ctrl-C and SIGTERM" when every raced future is a local bound to a signal's future
    (`let ctrl_c = async { signal::ctrl_c().await }`); "" otherwise."""
    names = []
    text = ctx.fs.scan.text
    for fut in futures:
        bound = [a for a in f.assigns if a.is_let and a.var == fut.strip()]
        named = [(a, n) for a in bound for n in [signal_name(a.src.text)] if n]
        if len(named) != 1:
            return ""
        a, name = named[0]
        if len(bound) > 1:
            # `#[cfg(unix)] let sigterm = ..signal..;` next to `#[cfg(not(unix))] let sigterm =
            # pending()`: the signal is there on Unix builds only, and is said so.
            if not re.search(
                r"#\[cfg\(\s*unix\s*\)\]\s*$", text[max(0, a.src.start - 60) : a.src.start]
            ):
                return ""
            name += " (on Unix)"
        names.append(name)
    if len(set(names)) != len(names):
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _select_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    seen: set[int] = set()
    for r in f.flow.regions:
        if r.kind != "select-handler" or r.start_tok in seen or not f.own(r.id):
            continue
        seen.add(r.start_tok)
        handlers = [
            x for x in f.flow.regions if x.kind == "select-handler" and x.start_tok == r.start_tok
        ]
        futures = [branch_future(h.detail) for h in handlers if h.detail]
        stops, guards = _stops(f, handlers)
        scan = ctx.fs.scan
        start = scan.starts[r.start_tok]
        flags = {"in-loop"} if f.flow.loop_of(r.id) is not None else set()
        flags |= select_place(f, r)
        if construct_guard(ctx, f, handlers[0]) is None and unsaid_condition(f, handlers[0]):
            flags.add("unsaid-cond")  # every claim of this select holds on one path only
        proof = ctx.proof(Src(start, start + len(scan.texts[r.start_tok]), scan.texts[r.start_tok]))
        select = r.keyword + "!"
        # A race in a loop inside the fn's main loop: said as the inner loop's (linkerd's
        # breaker waits on `probation()` in the outer loop; "what does each round wait on"
        # read the inner select as the whole round, held-out read 49).
        nested = {"nested-select"} if inner_loop_of(f, r) else set()
        if futures:
            out.append(_select_claim(ctx, f, r, handlers, futures, flags | nested, proof))
        if "in-loop" in flags and not nested:
            # Not an inner loop's: its `break` leaves that loop only, and "which ends the loop"
            # beside the outer loop's ways out was FALSE (nextest's dispatcher, read 104 #2).
            # With no loop around it, a `return` in a branch ends the fn, not "the loop"
            # (pingora's `idle_poll` is one select: a held-out read).
            plain = [(h, a) for h, a in stops if not guards.get(h.id)]  # vector's exec, read 70
            out += select_exits(ctx, f, handlers, plain, select, flags)
        for h, action in stops:
            hs = ctx.region_src(f, h)
            slots = {"future": h.detail, "action": action, "select": select}
            others = [x.detail for x in handlers if x is not h and x.detail]
            if 1 <= len(others) <= 3 and all(len(o) <= 60 for o in others):
                # What the stop would otherwise wait behind, by name: "the same shutdown in
                # the race request" nine times over in held-out read 25.
                slots["others"] = codes(*others)
            bflags = set(flags) | refutable(h, slots)
            if precondition(h):
                slots["precondition"] = precondition(h)
                slots["future"] = branch_future(h.detail)
                bflags.add("switched")
            # "Next to the timer" only where another branch waits on a timer: mini-redis's
            # connection handler races a read against its shutdown (a held-out read).
            if beside_timer(f, [x.detail for x in handlers if x is not h]):
                bflags.add("beside-timer")
                if waits_unraced(f, h):
                    # pingap's background service sleeps `initial_delay` and takes a first tick
                    # before its loop, neither raced: "A pending timer must not hold up a stop"
                    # asked more than the code does (read 76 #4).
                    bflags.add("unraced-wait")
            bflags |= round_flags(f, h, handlers, flags)
            if guards.get(h.id) == ["?"]:
                continue  # the stop sits under an `else`: not said
            if guards.get(h.id):
                slots["guard"] = codes(*guards[h.id])
                bflags.add("guarded")
            waits = outer_wait(f, h)
            if waits:
                slots["outer_wait"] = waits
                bflags.add("inner-loop")
            drain = awaited_before_stop(f, h)
            if drain:
                # `_ = token.cancelled() => { self.handle_shutdown(..).await?; return Ok(()) }`:
                # the stop waits on that first (underway's worker, held-out read 11).
                slots["drain"] = codes(*drain)
                bflags.add("drains-first")
            bflags |= works_first(f, h, slots)
            out.append(make("shutdown_branch", f.name, slots, [ctx.proof(hs)], bflags))
    return out + _cancellable_waits(ctx, f) + _cancellable_futures(ctx, f)


def _stops(
    f: ItemFacts, handlers: list[Region]
) -> tuple[list[tuple[Region, str]], dict[int, list[str]]]:
    """The stop branches among ``handlers`` with how each leaves, and the conditions its exit
    sits under in its handler (["?"] under an `else`)."""
    assert f.flow is not None
    stops: list[tuple[Region, str]] = []
    guards: dict[int, list[str]] = {}
    for h in handlers:
        exits = [e for e in f.exits if f.flow.inside(e.region, h.id)]
        stop = next((e for e in exits if e.kind in ("return", "break")), None)
        if stop is not None and CANCEL_FUTURE.search(h.detail):
            stops.append((h, exit_said(stop)))
            conds, _, negated = guard_of(f, stop.region, h.id, stop.src.start)
            # `_ = ctx.cancelled(), if budget.reason().is_none() => return ..` (rustfs): the
            # `, if` only switches the branch off; it is no condition of its handler ("does
            # `return` only if .., and otherwise the loop goes round again" was FALSE, read 77).
            conds = [c for c in conds if c.strip() != precondition(h)]
            guards[h.id] = ["?"] if negated else conds
    return stops, guards


def _raced(
    f: ItemFacts,
    futures: list[str],
    sslots: dict[str, str],
    sflags: set[str],
    handlers: Sequence[Region] = (),
) -> None:
    """Which raced futures are spawned tasks' JoinHandles, and whether a loser is only
    borrowed. `res = &mut task` where `task` holds a spawn's JoinHandle: losing the race drops
    the handle, not the task (lemmy's CancellableTask aborts it by hand; "the loser is dropped"
    read as if the task stopped, blind reads 104-105)."""
    bound = handle_names(f)
    raced = [x for x in futures if re.sub(r"^&\s*(?:mut\s+)?", "", x) in bound]
    if raced:
        sslots["raced_handle"] = codes(*raced)
        sflags.add("races-handle")
        if len(raced) > 1:
            # Both of kitsune's `boot` futures are spawned tasks: "One of them, `server_fut`,
            # is a task's JoinHandle" read as if the other were not (read 62).
            sflags.add("handles")
        if raced[0].strip().startswith("&"):
            # `&mut handle`: losing ends the borrow, and the same handle is raced again next
            # round (parseable's `monitor_task_duration`: "only the handle is dropped" was
            # false, a held-out read).
            sflags.add("borrowed")
            name = re.sub(r"^&\s*(?:mut\s+)?", "", raced[0]).strip()
            assert f.flow is not None
            t = f.flow.scan.texts
            if any(name in t[h.lo : h.hi] for h in handlers):
                # conduwuit's `run` hands `listener` to `handle_services_poll` in the other
                # branch, which awaits it: "the handle goes when its scope ends" was
                # misleading (held-out read 95 #11).
                sflags.add("handle-handed")
    elif any(x.strip().startswith("&") or x.strip().endswith(".as_mut()") for x in futures):
        # `&mut fut`, or `conn.as_mut()` on a pinned future (quickwit's `serve_connection`
        # races its connection so, then shuts it down gracefully): a loser is not dropped,
        # only its borrow ends.
        sflags.add("borrowed")


def _select_claim(
    ctx: FileContext,
    f: ItemFacts,
    r: Region,
    handlers: list[Region],
    futures: list[str],
    flags: set[str],
    proof: Proof,
) -> Claim:
    """The futures a `select!` races, how its branches match, the signals among them, and the
    call it was waiting to make once a branch won."""
    select = r.keyword + "!"
    sflags = set(flags)
    if len(futures) >= 2:
        sflags.add("multi")
    if len(futures) == 2:
        sflags.add("two")  # "the other", not "the rest" (mini-redis's `run`, a held-out read)
    if any(h.detail and not IRREFUTABLE.fullmatch(h.head.strip()) for h in handlers):
        sflags.add("patterns")  # `Some(v) = rx.recv()`: a non-matching result disables it
    if r.keyword == "tokio::select":
        sflags.add("tokio")  # tokio's panics once every branch is disabled and there is no else
    # The `else` branch runs only once every branch is disabled: a branch that always matches
    # (`_ = x`, `v = x`) and has no precondition never is, so there it cannot run (corrosion's
    # and tpl's selects: "once every branch is off the else branch runs", blind read 100).
    if any(not h.detail and not dead_else(handlers, h) for h in handlers):
        sflags.add("else")
    if biased(ctx, r):
        # Branches tried in the order written: "whichever completes first" is not how a
        # biased select picks when several are ready (blind reads 99-102: nine biased selects
        # in corrosion, none said so).
        sflags.add("biased")
        if f.flow is not None and any(x.kind == "select-handler" for x in f.flow.chain(r.id)[1:]):
            sflags.add("nested")  # "The select is biased" of one of two (iggy's source, read 61)
    sslots = {"count": str(len(handlers)), "futures": codes(*futures), "select": select}
    gated_branches(handlers, sslots, sflags)
    _raced(f, futures, sslots, sflags, handlers)
    names = _signal_futures(ctx, f, futures)
    if names:
        sslots["signames"] = names
        sflags.add("signals")
    sproof = [proof]
    guard = construct_guard(ctx, f, handlers[0])
    if guard is not None:  # `if let Some(deadline) = ..` around tonic's connect race (read 5)
        sslots["guard"] = guard[0]
        sflags.add("guarded")
        sproof += guard[1]
    elif unsaid_condition(f, handlers[0]):
        sflags.add("unsaid-cond")
    gate = stmt_cfg(ctx, f, ctx.fs.scan.starts[r.start_tok] if r.start_tok >= 0 else proof.start)
    if gate is not None:
        sslots["cfg"] = gate.text
        sflags.add("cfg")
        sproof.append(ctx.proof(gate))
    then = _then_call(ctx, f, r, flags)
    if then is not None:
        sslots["then"] = then[0]
        sproof.append(then[1])
    return make("select", f.name, sslots, sproof, sflags)


def _then_call(
    ctx: FileContext, f: ItemFacts, r: Region, flags: set[str]
) -> tuple[str, Proof] | None:
    """What the select was waiting to do (`start_shut_down()` once a stop signal won), as said
    and its proof; a method awaited next with its receiver (`server.close()`, not `close()`)."""
    if r.parent is None or "in-loop" in flags:
        return None
    then = next_call(ctx, f, r, r.parent, lambda c: (c.kind == "fn" and not c.args) or c.awaited)
    said = (call_said(then) if then.kind == "method" else then.src.text) if then else ""
    if then is None or not said or len(said) > 40:
        return None
    return said, ctx.proof(then.src)


def _cancellable_futures(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A future bound to a name and handed whole to `run_until_cancelled(_owned)` (a deadline
    on a retry loop, `let future = tokio::time::timeout(..)`): a shutdown ends the whole wait,
    and the `None` arm of the match on it says what the fn returns then."""
    assert f.flow is not None
    out: list[Claim] = []
    scan = ctx.fs.scan
    for reg in f.flow.regions:
        if reg.kind != "cancellable" or not f.own(reg.id) or reg.hi - reg.lo != 1:
            continue
        name = scan.texts[reg.lo]
        bound = next((a for a in f.assigns if a.is_let and a.var == name), None)
        token = _token_call(f, reg)
        if bound is None or not token:
            continue
        m = re.match(r"((?:tokio::)?(?:time::)?timeout)\(", bound.value)
        slots = {"future": name, "wrapper": reg.keyword, "token": token}
        flags: set[str] = set()
        if m:
            slots["mech"] = m.group(1) if m.group(1).startswith("tokio::") else m.group(1)
            flags.add("deadline")
        none_arm = next(
            (
                x
                for x in f.flow.regions
                if x.kind == "arm" and x.head == "None" and reg.keyword in x.keyword
            ),
            None,
        )
        proof = [ctx.proof(bound.src), ctx.proof(ctx.region_src(f, reg))]
        if none_arm is not None:
            flags.add("none-arm")
            body = ctx.fs.text[
                scan.starts[none_arm.lo] : scan.starts[min(none_arm.hi, len(scan.starts) - 1)]
            ]
            if body.lstrip().startswith("Err("):
                flags.add("none-err")
            proof.append(ctx.proof(ctx.region_src(f, none_arm)))
        out.append(make("cancel_future", f.name, slots, proof, flags))
    return out


def _cancellable_waits(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A wait wrapped in `run_until_cancelled(_owned)`, and what the code does when the token
    wins (the `if .. .is_none()` around it)."""
    assert f.flow is not None
    out: list[Claim] = []
    for w in f.waits:
        if w.role != "sleep" or not f.own(w.region):
            continue
        reg = next((x for x in f.flow.chain(w.region) if x.kind == "cancellable"), None)
        if reg is None:
            continue
        token = _token_call(f, reg)
        outer = f.flow.regions[reg.parent] if reg.parent is not None else None
        action = ""
        if outer is not None:
            inner_if = next(
                (
                    x
                    for x in f.flow.regions
                    if x.kind == "if"
                    and x.head.find(reg.keyword) >= 0
                    and x.head.rstrip().endswith(".is_none()")
                ),
                None,
            )
            if inner_if is not None:
                ex = [e for e in f.exits if f.flow.inside(e.region, inner_if.id)]
                if ex:
                    action = f"{ex[0].kind} {ex[0].expr}".strip()
        if token:
            slots = {"wrapper": reg.keyword, "token": token, "mech": w.mechanism}
            if action:
                slots["action"] = action
            out.append(make("shutdown_wait", f.name, slots, [ctx.proof(w.src)]))
    return out


def _token_call(f: ItemFacts, reg: Region) -> str:
    """The call producing the token a `run_until_cancelled` is invoked on."""
    wrapper = next(
        (
            c
            for c in f.calls
            if c.kind == "method" and c.name == reg.keyword and c.open_tok + 1 == reg.lo
        ),
        None,
    )
    if wrapper is None:
        return ""
    before = [
        c
        for c in f.calls
        if c.kind == "fn" and c.close_tok < wrapper.tok and c.close_tok >= wrapper.tok - 3
    ]
    return before[-1].written if before else ""
