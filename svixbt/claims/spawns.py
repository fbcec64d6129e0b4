"""Claims about the tasks an item spawns: with which mechanism, under which condition, how the
handle is kept, and what each spawned task does (its waits, its logs, the call it restarts)."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Spawn
from ..flow import Region
from ..mechanisms import mechanism
from .blocks import deferred
from .callee_ends import runs_never_err
from .core import NOT, Claim, FileContext, make, merge_in_place
from .handle_fate import bound_fate, handle_into
from .main_call import main_call, main_call_of
from .shape import codes, guard_of, in_closure, never_ends
from .spawn_body import spawn_body
from .spawn_checks import check_flags, gate_and_drop, round_exits
from .spawn_nesting import arm_scrutinee, every_arm, placement
from .spawn_rounds import CHANNEL_WAITS, round_work, spawned_waits_and_logs
from .spawn_shapes import (
    abortable,
    either_branch,
    in_select_branch,
    loop_gated,
    loops_after,
    raced_by_select,
    repeated_flags,
    spawns_without_waiting,
)
from .spawn_signals import signal_wait
from .spawn_wrapper import wrapper_claims
from .task_lifetime import exit_kinds_before_join, exits_in_join

__all__ = ["spawn_claims", "main_call", "main_call_of", "printed_errors"]


def _loops_on(f: ItemFacts, reg: Region) -> bool:
    """Whether the task of region ``reg`` has a loop of its own that runs on: a `loop`, a
    `while`, or a `for` over a feed."""
    assert f.flow is not None
    return any(
        r.kind == "loop"
        and f.flow.inside(r.id, reg.id)
        and f.flow.task_of(r.id).id == reg.id
        and (r.keyword != "for" or _FOR_FEED.search(r.head.split(" in ", 1)[-1]))
        for r in f.flow.regions
    )


# A `for` whose iterable is fed from outside (`for msg in rx`, `for conn in listener.incoming()`)
# runs as long as the feed does; one over a collection (`for (_, s) in segments.iter()`) ends
# with it, and "a task that loops on its own" was false of qdrant's size stats (read 58).
_FOR_FEED = re.compile(r"(?i)\b\w*(?:rx|recv|receiver|incoming|stream|listener|accept|events)\w*\b")


def _awaits_after(f: ItemFacts, sp: Spawn, reg: Region, home: int) -> bool:
    """Whether the spawning fn itself awaits anything after the spawn: it may then wait for the
    task by other means (a guard the task holds, a channel it drains), so "returns without
    waiting for it" is not known (arroyo's `wait_for_shutdown` selects on the guard's channel
    after spawning the handler: "return without waiting for it" was false, held-out read 27)."""
    assert f.flow is not None
    fl = f.flow
    starts = fl.scan.starts

    def mine(rid: int) -> bool:
        return not fl.inside(rid, reg.id) and fl.task_of(rid).id == home

    texts = fl.scan.texts
    return (
        any(c.awaited and c.src.start >= sp.src.end and mine(c.region) for c in f.calls)
        or any(w.src.start >= sp.src.end and mine(w.region) for w in f.waits)
        or any(
            r.kind == "select-future" and starts[r.lo] >= sp.src.end and mine(r.id)
            for r in fl.regions
        )
        # `server.await` on a future bound to a name: no call, still a wait (nostr-rs-relay's
        # `start_server` runs hyper to its end after its spawns: "return without waiting"
        # was misleading, held-out read 30).
        or any(
            texts[k] == "await" and texts[k - 1] == "." and mine(fl.region_at(k).id)
            for k in fl.scan.token_range(sp.src.end, fl.end_of(fl.regions[0]))
            if fl.lo <= k < fl.hi
        )
    )


def spawn_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    for sp in f.spawns:
        if not f.own(sp.at_region) or deferred(
            f, f.flow.regions[sp.at_region], itself=True, closures=False
        ):
            continue  # in a future handed out unawaited: it spawns when its owner polls it
        reg = f.flow.regions[sp.region]
        mech = mechanism(sp.mechanism)
        slots = {"mech": sp.said, "handle": sp.handle.split(":")[0]}
        into = handle_into(f, sp) if sp.handle == "unknown" else None
        if into is not None:
            slots["handle_into"] = into  # `abort_on_drop(spawn(..))`: where the handle goes
        flags: set[str] = {reg.kind}
        spawn_body(f, sp, reg, slots, flags)
        if sp.repeated:
            repeated_flags(f, sp, slots, flags)
        flags |= check_flags(f, sp)
        _spawn_guard(f, sp.at_region, sp.src.start, slots, flags)
        if "repeated" in flags and not flags & {"guarded", "conditional"} and loop_gated(f, sp):
            flags.add("conditional")
        _spawn_handle(f, sp, reg, slots, flags)
        if {"repeated", "fan-in"} <= flags and spawns_without_waiting(f, sp.at_region, reg):
            flags.add("all-at-once")
        inner_loop = _loops_on(f, reg)
        if inner_loop:
            flags.add("loops")
            if never_ends(f, reg.id, sp.src.text):
                flags.add("endless")  # nothing leaves its loop: run in place, it never returns
        # The spawning function loops on its own task too (queue_handler spawns a monitor and
        # then polls): its caller does not get it back right after the spawn.
        home = f.flow.task_of(sp.at_region).id
        if any(
            r.kind == "loop" and f.flow.task_of(r.id).id == home and not deferred(f, r)
            for r in f.flow.regions
        ):
            flags.add("spawner-loops")
        if _awaits_after(f, sp, reg, home) or loops_after(ctx, f, sp, reg, home):
            flags.add("awaits-after")
        flags |= _other_spawns(f, sp, reg)
        spawned_waits_and_logs(ctx, f, sp, slots, flags)
        if "logs-failures" in flags and not inner_loop:
            # "it logs its failures at error level" of a call that never errs (read 41).
            runs = main_call(f, reg)
            if runs and runs_never_err(ctx, f, sp, runs):
                flags.discard("logs-failures")
        signal_wait(f, reg, slots, flags)
        rerun = _rerun(ctx, f, reg)
        if rerun:
            slots["rerun"] = rerun
            flags.add("reruns")
        if inner_loop:
            round_work(f, reg, slots, flags)
            flags |= round_exits(f, reg, slots)
        if mech is not None and mech.role == "blocking":
            flags.add("blocking")
        if not f.is_async:
            flags.add("plain-fn")  # its caller never waits on it: no "how long it keeps them"
        placed = placement(ctx, f, sp, slots, flags)
        proof = [ctx.proof(sp.src), *gate_and_drop(ctx, f, sp, slots, flags)]
        out.append(make("spawn", f.name, slots, proof, flags))
        out.extend(placed)
    return either_branch(f.name, _moved_together(f.name, out)) + wrapper_claims(ctx, f)


def _other_spawns(f: ItemFacts, sp: Spawn, reg: Region) -> set[str]:
    """What the fn's other spawns say of this one: "several-spawns" when the fn starts more
    than one ("the task it spawns" would not say which), "spawns-detached" when this task lets
    go of tasks of its own (kanidm's admin socket, one per connection: "aborting it is the
    caller's business" left them out, held-out read 31)."""
    assert f.flow is not None
    out: set[str] = set()
    # Not a spawn in the other branch of an `if`/`else` or `match` (rbuilder's telemetry
    # `spawn` serves one of two route sets: "it starts one of its tasks" of each, read 84 #7).
    if any(
        o is not sp and f.own(o.at_region) and not f.flow.exclusive(o.at_region, sp.at_region)
        for o in f.spawns
    ):
        out.add("several-spawns")
        if all(o.src.start >= sp.src.start for o in f.spawns if f.own(o.at_region)):
            out.add("first-spawn")  # which of them a sentence means (held-out read 98 #12)
        if all(o.src.start <= sp.src.start for o in f.spawns if f.own(o.at_region)):
            # torrust's health-check job returns the handle of its second spawn: "starts a
            # task and returns the join handle" read as the server's task (read 102 #9).
            out.add("last-spawn")
    # On every path of the task: activitypub-federation's retry sender spawns detached only
    # when `retry_count` is 0, else into a JoinSet that aborts them on drop ("aborting it does
    # not stop those" dropped that condition, held-out read 35).
    if any(
        o is not sp
        and o.handle == "dropped"
        and f.flow.inside(o.at_region, reg.id)
        and not f.flow.conditions(o.at_region, stop=reg.id)
        # Not one in a callback the task hands on (gel's listener: the per-connection spawn is
        # in the closure given to `bind_task`, which other tasks call; read 93 #8).
        and not in_closure(f, o.at_region)
        for o in f.spawns
    ):
        out.add("spawns-detached")
    return out


def _moved_together(name: str, found: list[Claim]) -> list[Claim]:
    """Unconditional spawns whose handles all go into one collection, as one claim: the same
    sentence said three times with another handle's name read as a template run thrice
    (kanidm's `launch_server_tasks`, held-out read 31)."""
    alike = [
        c
        for c in found
        if c.kind == "spawn"
        and "moved" in c.flags
        and not {"guarded", "conditional", "repeated"} & c.flags
    ]
    groups: dict[tuple[str, str], list[Claim]] = {}
    for c in alike:
        groups.setdefault((c.get("mech"), c.get("stored_in")), []).append(c)
    out = list(found)
    for (mech, into), members in groups.items():
        if len(members) < 2 or not into:
            continue
        slots = {
            "mech": mech,
            "handle": "bound",
            "handle_var": codes(*(c.get("handle_var") for c in members)),
            "stored_in": into,
            "count": str(len(members)),
        }
        flags = set.intersection(*(set(c.flags) for c in members)) | {"moved-many"}
        merged = make("spawn", name, slots, [p for c in members for p in c.proof], flags)
        out = merge_in_place(out, members, merged)
    return out


def _spawn_guard(f: ItemFacts, at: int, start: int, slots: dict[str, str], flags: set[str]) -> None:
    """The condition a spawn runs under, and whether it is a `let … else` return at the top."""
    assert f.flow is not None
    conds, arm, negated = guard_of(f, at, None, start)
    if in_select_branch(f, at):
        # In one branch of a select: it runs only when that branch wins, a condition the
        # guard does not hold (arroyo's `wait_for_shutdown`: "only if `self.handler` is set"
        # dropped the signal arm it sits in, held-out read 27).
        flags |= {"conditional", "in-select-branch"}
        handler = next(r for r in f.flow.chain(at) if r.kind == "select-handler")
        if handler.detail and "\n" not in handler.detail and len(handler.detail) <= 60:
            slots["branch_of"] = handler.detail  # the future whose win starts it (read 87 #4)
        return
    if negated or arm:
        # Under an `else`, or in one `match` arm (rathole's `CreateDataChannel`): it runs only
        # on some rounds, and that condition is not said (blind read 100: "one task per
        # iteration", false three times).
        flags.add("conditional")
        every_arm(f, at, slots, flags)
        scrutinee = arm_scrutinee(f, at)
        if not negated and scrutinee and len(scrutinee) <= 60 and len(arm) <= 30:
            # One arm of a `match` on a call, said with both (parseable's Kafka `init` starts
            # its signal listener in `Ok(_)` of `validate()`: "Under a condition, it starts this
            # task" said neither).
            slots.update(arm=arm, arm_of=scrutinee)
            if conds:
                slots["guard"] = codes(*conds)
            flags.add("arm-of")
    elif conds:
        slots["guard"] = codes(*conds)
        flags.add("guarded")
        # `let Some(url) = &self.url else { return Ok(()) };` at the top: the fn leaves
        # before anything else when it does not match; nothing wraps the spawn itself.
        early = {
            r.head if r.head.startswith("let ") else "let " + r.head
            for r in f.flow.regions
            if r.kind == "let-else" and f.own(r.id)
        }
        if len(conds) == 1 and conds[0] in early:
            flags.add("early-guard")
        # Reached only past earlier branches that returned (`if since < until - max { return
        # Err(..) }`): the spawn is what is left once the checks above it let the call through.
        # Not in the `else` of the check (habitat's NATS client spawns its connect only when
        # no timeout is set: "if the early-return check before the spawn lets the call
        # through" was FALSE, held-out read 85 #6).
        if all(c.startswith(NOT) for c in conds) and not any(
            r.kind == "else" for r in f.flow.chain(at)
        ):
            flags.add("past-returns")
            if len(conds) == 1:
                flags.add("one-check")  # "the check", not "the checks" (pgcat, a held-out read)


def _spawn_handle(
    f: ItemFacts, sp: Spawn, reg: Region, slots: dict[str, str], flags: set[str]
) -> None:
    """What becomes of the JoinHandle: dropped, named, awaited, returned, or kept by a set."""
    handle = sp.handle
    if handle == "dropped":
        flags.add("detached")
        flags |= abortable(f, sp, slots)
        if "abortable" in flags:
            flags.discard("works-first")  # wrapping and storing the abort handle is no work
    elif handle.startswith("bound:") and _unused_underscore(f, sp, handle.split(":", 1)[1]):
        # `let _flusher = tokio::spawn(..)`: a name that only silences the lint, dropped with
        # the scope; "kept in `_flusher`, so the task can be awaited or aborted through that
        # name" was FALSE of chroma's `OnceLogWriter::open` (read 64).
        flags.add("detached")
    elif handle.startswith("bound:"):
        flags.add("kept")  # `let task = tokio::spawn(..)`: the JoinHandle has a name
        slots["handle_var"] = handle.split(":", 1)[1]
        var = re.escape(slots["handle_var"])
        if any(
            w.role == "timeout" and re.search(rf"(?<![\w.]){var}(?!\w)", w.src.text)
            for w in f.waits
        ):
            # `timeout(d, fs_task).await`: on expiry the handle is dropped with the timeout's
            # future ("do not drop the task's join handle" was FALSE of zellij's dead-session
            # cleanup, read 75 #36).
            flags.add("timed")
        if raced_by_select(f, slots["handle_var"]):
            flags.add("timed")  # a select's loser is dropped with the fn's scope
        fate = bound_fate(f, sp, slots["handle_var"])
        if "abort-only" in fate:
            flags.discard("kept")
            slots["abort_call"] = f"{slots['handle_var']}.abort_handle()"
        for x in [x for x in fate if x.startswith("stored:")]:
            fate.discard(x)
            slots["stored_in"] = x.split(":", 1)[1]
        flags |= fate
    elif handle in ("awaited", "returned"):
        flags.add(handle)
    elif handle == "in-set":
        flags.add("in-set")  # `set.spawn(..)`: the JoinSet keeps the handle
        slots["handle_var"] = reg.detail.split(".", 1)[0]
    elif handle.startswith("pushed:"):
        # `handles.push(spawn(..))`, then maybe `for h in handles { h.await }`: fan-out, fan-in.
        _, vec, *joined = handle.split(":")
        flags.add("pushed")
        slots["handle_var"] = vec
        if joined:
            flags.add("fan-in")
            kinds = exit_kinds_before_join(f, sp, vec)
            if kinds:
                flags.add("exits-between")
                # Only the ways out the code has ("at a question mark or a return" of a fn with
                # no `return`, crates.io's render_readmes, held-out read 47).
                said = [
                    w for k, w in (("question", "a `?`"), ("return", "a `return`")) if k in kinds
                ]
                slots["exits_said"] = " or ".join(said) or "an early exit"
            inside = exits_in_join(f, vec) if joined[0] in ("joined", "joined-dropped") else set()
            if inside:
                flags.add("exits-in-join")
                slots["join_exits"] = " or ".join(
                    w for k, w in (("question", "a `?`"), ("return", "a `return`")) if k in inside
                )
            if joined[0] == "joined-dropped":
                flags.add("results-dropped")
            elif joined[0] == "joined-q":
                flags.add("fails-fast")
            elif joined[0] == "joined-uq":
                flags |= {"fails-fast", "unwrap-q"}
            elif joined[0] == "joined-qq":
                # Two `?`: a task that panicked, then one that returned an error (read 86:
                # "its question mark" of `h.await??` merged the two).
                flags |= {"fails-fast", "two-q"}


def _rerun(ctx: FileContext, f: ItemFacts, reg: Region) -> str:
    """The call a spawned loop exists to run again: a statement of its own (`input.run().await;`,
    its result dropped) straight in the loop body, before every log and wait of that body. Its
    return is the end of one round, not an error handled: the task starts it over."""
    assert f.flow is not None
    t, codes_ = ctx.fs.scan.texts, ctx.fs.scan.codes
    for c in f.calls:
        loop = f.flow.loop_of(c.region)
        if not c.awaited or loop is None or c.region != loop.id:
            continue
        if f.flow.task_of(c.region).id != reg.id or mechanism(c.full) is not None:
            continue
        if c.name in CHANNEL_WAITS:
            continue  # `notify.notified().await;` waits for a wake-up; it is not the work
        end = c.close_tok
        if t[end + 1 : end + 4] != [".", "await", ";"]:
            continue
        k = c.tok
        while k >= 2 and t[k - 1] in (".", "::") and codes_[k - 2] == "n":
            k -= 2
        k -= 1
        while k >= 0 and codes_[k] == "c":
            k -= 1
        if k < 0 or t[k] not in ("{", ";"):
            continue
        k += 1
        while codes_[k] == "c":  # the statement's first token, after any comment on it
            k += 1
        start = ctx.fs.scan.starts[k]
        after = [
            src.start
            for src, region in [(x.src, x.region) for x in f.logs]
            + [(w.src, w.region) for w in f.waits]
            if f.flow.task_of(region).id == reg.id and f.flow.inside(region, loop.id)
        ]
        if after and min(after) > c.src.end:
            return ctx.fs.scan.text[start : c.src.end]
    return ""


# Macros that write to the terminal, not to the log: a CLI's way of reporting a failure.
_PRINTS = ("eprintln!", "println!", "eprint!", "print!")


def printed_errors(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A spawned block that ends with `if let Err(e) = call.await { eprintln!(..) }`: a failure
    of the call is printed and goes no further, so the task ends normally and its handle never
    carries that error (svix-cli's `reset_application`: blind reads 57-59 found its think never
    said where a failed delete goes)."""
    assert f.flow is not None
    out: list[Claim] = []
    scan = ctx.fs.scan
    for sp in f.spawns:
        if not f.own(sp.at_region):
            continue
        reg = f.flow.regions[sp.region]
        blocks = [r for r in f.flow.regions if r.kind == "async" and r.parent == reg.id]
        if len(blocks) != 1:
            continue
        body = blocks[0]
        ifs = [r for r in f.flow.regions if r.kind == "if" and r.parent == body.id]
        if not ifs:
            dropped = _dropped_result(ctx, f, sp, body)
            if dropped is not None:
                out.append(dropped)
            continue
        if len(ifs) != 1 or ifs[0].after:
            continue
        cond = ifs[0]
        m = re.fullmatch(r"let Err\((\w+)\) = (.+?)\.await", cond.head)
        if m is None:
            continue
        # Nothing after the `if` in the block: the task's value is `()` either way.
        if any(scan.texts[i] not in ("}", ";") for i in range(cond.hi + 1, body.hi)):
            continue
        prints = [c for c in f.calls if c.kind == "macro" and c.region == cond.id]
        if len(prints) != 1 or prints[0].written not in _PRINTS:
            continue
        if any(f.flow.inside(e.region, cond.id) for e in f.exits):
            continue
        slots = {"mech": sp.said, "call": _callee_of(m.group(2)), "macro": prints[0].written}
        flags = {"repeated"} if sp.repeated else set()
        proof = [ctx.proof(prints[0].src), ctx.proof(sp.src)]
        out.append(make("task_prints_error", f.name, slots, proof, flags))
    return out


def _callee_of(call: str) -> str:
    """`client.application().delete(app_out.id.clone())` -> `client.application().delete`: the
    call named without its arguments, as the other claims name calls."""
    if not call.endswith(")"):
        return call
    depth = 0
    for i in range(len(call) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(call[i], 0)
        if depth == 0:
            return call[:i] or call
    return call


def _dropped_result(ctx: FileContext, f: ItemFacts, sp: Spawn, body: Region) -> Claim | None:
    """A spawned block that is one `let _ = call.await;`: what the call returns, an error
    included, is thrown away inside the task (svix-cli's `reset_event_type`: blind read 62
    found its think never said a failed delete goes nowhere)."""
    assert f.flow is not None
    binds = [a for a in f.assigns if a.region == body.id and a.is_let and a.var == "_"]
    if len(binds) != 1 or not binds[0].value.endswith(".await"):
        return None
    bind = binds[0]
    flow = f.flow
    if any(
        flow.inside(c.region, body.id) and not bind.src.start <= c.src.start < bind.src.end
        for c in f.calls
    ) or any(flow.inside(e.region, body.id) for e in f.exits):
        return None
    if any(a is not bind and flow.inside(a.region, body.id) for a in f.assigns):
        return None
    call = _callee_of(" ".join(bind.value[: -len(".await")].split()))
    if len(call) > 48:
        return None
    slots = {"mech": sp.said, "call": call}
    flags = {"repeated"} if sp.repeated else set()
    return make("task_drops_error", f.name, slots, [ctx.proof(bind.src), ctx.proof(sp.src)], flags)


def _unused_underscore(f: ItemFacts, sp: Spawn, name: str) -> bool:
    """Whether a handle bound to `_name` is never named again in the fn."""
    after = f.flow.scan.text[sp.src.end : f.item.end] if f.flow is not None else ""
    return name.startswith("_") and re.search(rf"(?<![\w.]){re.escape(name)}\b", after) is None
