"""Claims about how long a spawned task lives and what of it reaches the fn that spawns it: a task
no statement ends (one more left behind by every call that spawns it), a one-shot task whose
failures are only logged, the fn's own awaits that a caller does wait for, a counter a task bumps
and drops itself, and a limit looked at once a round before a whole batch is spawned.
A reviewer asks how long a task runs and who hears of its failures; ``spawns`` does not say.
``task_state`` calls ``task_lifetime_claims`` and places its claims among its own."""

from __future__ import annotations

import re

from ..facts import Call, ItemFacts, Spawn, Src
from ..values import human_duration
from .callee_ends import spawning_callee
from .core import Claim, FileContext, Proof, make
from .endless_callee import endless_callee
from .handle_fate import bound_fate, callers_drop, handle_into
from .one_shot import one_shot_claims
from .shape import await_name, codes, endless_loop, never_ends, self_counted
from .spawn_rounds import also_waits, continued_past, in_task_loop
from .spawn_shapes import abortable, runs_the_runtime

__all__ = ["exit_kinds_before_join", "skip_flags", "task_lifetime_claims"]


def _over_vec(vec: str, head: str) -> bool:
    """A `for` loop header over ``vec`` (`handle in tasks`, `h in &mut handles`); a loop's head
    is kept without its `for`."""
    return bool(re.match(rf"(?:for\s+)?.+?\s+in\s+(?:&\s*)?(?:mut\s+)?{re.escape(vec)}\s*$", head))


def task_lifetime_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    # The counted-inside claims are the premises of the limit-per-round one.
    counted = _counted_inside(ctx, f)
    out = _endless_tasks(ctx, f) + counted + one_shot_claims(ctx, f)
    out += _limit_per_round(ctx, f, counted) + _own_awaits(ctx, f)
    return out + _fanout_per_pass(ctx, f)


def _fanout_per_pass(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A fan-out and its fan-in inside one pass of an outer loop: the next pass spawns only
    after this pass's handles have been awaited, so the tasks run side by side a pass at a time
    (crates.io's `render_readmes` spawns per version within a page, pages one after another:
    "the tasks run side by side" alone was misleading, a held-out read)."""
    assert f.flow is not None
    fl = f.flow
    out: list[Claim] = []
    for sp in f.spawns:
        if not sp.handle.startswith("pushed:") or ":joined" not in sp.handle or not sp.repeated:
            continue
        if not f.own(sp.at_region):
            continue
        vec = sp.handle.split(":")[1]
        spawning = fl.loop_of(sp.at_region)
        if spawning is None or spawning.parent is None:
            continue
        outer = fl.loop_of(spawning.parent)
        if outer is None or outer.keyword != "for":
            continue
        joins = [
            r
            for r in fl.regions
            if r.kind == "loop"
            and fl.inside(r.id, outer.id)
            and r.id != spawning.id
            and _over_vec(vec, r.head)
        ]
        if len(joins) != 1:
            continue
        over = re.match(r"(?:for\s+)?.+?\s+in\s+(.+)$", outer.head)
        if over is None:
            continue
        slots = {"outer": over.group(1).strip(), "handle_var": vec, "mech": sp.said}
        proof = [ctx.proof(ctx.region_src(f, outer)), ctx.proof(ctx.region_src(f, joins[0]))]
        out.append(make("fanout_per_pass", f.name, slots, proof))
    return out


def _endless_tasks(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A spawned task whose `loop` nothing leaves and which looks at no shutdown or cancellation
    signal: it runs as long as the runtime does (a metrics ticker, a cache sweeper)."""
    assert f.flow is not None
    out: list[Claim] = []
    for sp in f.spawns:
        if not f.own(sp.at_region) or sp.repeated:
            continue
        if not never_ends(f, sp.region, sp.src.text):
            out += endless_callee(ctx, f, sp)
            continue
        inside = [c for c in f.calls if f.flow.inside(c.region, sp.region)]
        reg = f.flow.regions[sp.region]
        waits = [
            w
            for w in f.waits
            if f.flow.inside(w.region, sp.region)
            and w.seconds
            # A sleep before the loop is a start-up delay (warpgate's analytics, read 53); one
            # a round may go without is no nap "a round" (krustlet's dir watcher, read 96 #3).
            and (
                w.role != "sleep"
                or in_task_loop(f, w.region, reg)
                and not f.flow.conditions(w.region, stop=reg.id)
                and not continued_past(f, w)
            )
        ]
        if not inside:
            continue
        slots = {"mech": sp.said}
        flags: set[str] = set()
        # Not a pace when each round also waits on a channel (see spawn_rounds).
        if waits and not (waits[0].role == "sleep" and also_waits(f, reg)):
            slots["dur"] = human_duration(waits[0].seconds or 0)
            flags.add("ticks" if waits[0].role in ("interval", "tick") else "sleeps")
        known = _handle_marks(ctx, f, sp, slots, flags)
        if known is None:
            continue
        proofs = known
        aborts: dict[str, str] = {}
        if sp.handle == "dropped" and abortable(f, sp, aborts):
            flags |= {"held", "abort-only"}  # an AbortHandle kept elsewhere (read 85 #10)
            slots["abort_call"] = aborts["abort_kept_in"]
        elif (
            sp.handle.split(":")[0] == "dropped"
            and not endless_loop(f, 0)
            and not runs_the_runtime(f)
        ):
            # Nobody holds the task and the fn itself can finish: the task runs on after it
            # (blind read 61: queue_handler returns on shutdown, its monitor does not).
            flags.add("outlives")
        out.append(make("endless_task", f.name, slots, [ctx.proof(sp.src), *proofs], flags))
        if (
            "outlives" in flags
            and not any(c.kind == "tasks_add_up" for c in out)
            and _called_more_than_once(ctx, f)
        ):
            # Each call that reaches the spawn leaves one more behind (blind reads 82 and 86:
            # "every `new_pair_inner` call adds another metrics task", missed in its answer).
            out.append(make("tasks_add_up", f.name, {"mech": sp.said}, [ctx.proof(sp.src)]))
    return out


def _handle_marks(
    ctx: FileContext, f: ItemFacts, sp: Spawn, slots: dict[str, str], flags: set[str]
) -> list[Proof] | None:
    """What becomes of the task's handle, as slots and flags, with the proofs of callers that
    drop it; None when the handle goes somewhere nothing can be said of."""
    proofs: list[Proof] = []
    dropped_by = callers_drop(ctx, f) if sp.handle == "returned" else None
    if dropped_by is not None:  # handed back to callers that all drop it (read 73 FALSE)
        slots["dropped_by"] = codes(*dropped_by[0])
        flags.add("callers-drop")
        proofs = dropped_by[1]
    elif sp.handle.split(":")[0] not in ("dropped", "unknown"):
        # Its handle is kept: whoever holds it may abort the task (docs.rs' archive cache).
        flags.add("held")
        if sp.handle == "returned":
            flags.add("handed-back")  # to callers the crate may not show (a `pub` fn)
        name = sp.handle.split(":", 1)[1] if sp.handle.startswith("bound:") else ""
        if name:
            # Which of several tasks, by its handle's name; and the abort that ends it when
            # the fn makes it (hickory-dns' `run` aborts `process_metrics_collector` at the
            # end: "nothing inside the task started with `tokio::spawn` leaves its loop"
            # named none of its three tasks, held-out read 54).
            slots["handle_var"] = name
            _abort_slot(f, sp, name, slots, flags)
    if sp.handle == "unknown":
        # The handle goes into a call (pict-rs's `abort_on_drop(spawn(..))`): what that call
        # does with it may abort the task, so "nothing tells it to stop" is not known
        # (held-out read 102). Said only with the call named; else not at all.
        into = handle_into(f, sp)
        if into is None:
            return None
        slots["handle_into"] = into
        flags.add("handle-passed")
    return proofs


def _called_more_than_once(ctx: FileContext, f: ItemFacts) -> bool:
    """Whether the crate calls ``f`` twice from one fn, or from inside a loop: "each
    call leaves one more task" of a fn the server calls once at startup read as misleading
    (blind read 89 on memory `new`, `new_pair_inner` and `queue_handler`)."""
    d = ctx.fn_def(f.index)
    if d is None:
        return False
    # Call sites in two fns are no proof of two calls: parseable's analytics scheduler is
    # started from two server types' `init`, one of which runs per process (a held-out read:
    # "they add up" was misleading). Two sites in one fn are, and so is a site inside a loop.
    sites = ctx.index.callers(d)
    callers = [(s.file, s.caller) for s in sites]
    if len(set(callers)) < len(callers):
        return True
    for s in sites:
        fl = ctx.index.flow(s.file, s.caller) if s.caller is not None else None
        if fl is None:
            return True  # where it is called from is not known: more than once may be
        if any(r.kind == "loop" for r in fl.chain(fl.region_at(s.tok).id)):
            return True
    return False


def _counted_inside(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A counter a spawned task bumps with `fetch_add` in its own body and drops with
    `fetch_sub`, read with `load` by the fn that spawns it: the count lags the spawns (a task
    not yet polled is not in it), and a task that never reaches its `fetch_sub` (a panic on the
    way) stays in it for good."""
    assert f.flow is not None
    out: list[Claim] = []
    for sp, add, sub, inside in self_counted(f):
        loads = [
            c
            for c in f.calls
            if c.name == "load"
            and c.receiver == add.receiver
            and not f.flow.inside(c.region, sp.region)
        ]
        if not loads:
            continue
        slots = {
            "counter": add.receiver,
            "mech": sp.said,
            "add": add.name,
            "sub": sub.name,
            "load": loads[0].name,
        }
        flags: set[str] = set()
        if inside[0] is add:
            flags.add("first")
        if sp.repeated:
            flags.add("repeated")
            slots["repeated"] = sp.repeated
        # Awaited work between the two: what may panic, or be dropped, before the decrement.
        between = [
            c
            for c in f.calls
            if f.flow.inside(c.region, sp.region) and c.awaited and add.tok < c.tok < sub.tok
        ]
        if between:
            flags.add("work-between")
            slots["work"] = between[0].written.lstrip(".")
        proof = [ctx.proof(add.src), ctx.proof(sub.src)] + [ctx.proof(c.src) for c in loads]
        claim = make("counted_inside", f.name, slots, proof, flags)
        if claim not in out:
            out.append(claim)
    return out


def _limit_per_round(ctx: FileContext, f: ItemFacts, counted: list[Claim]) -> list[Claim]:
    """`let n = COUNTER.load(..); if n > limit { ..; continue; }` in a loop that then spawns one
    task per element of a batch: the limit is looked at once per round, so a whole batch is
    spawned past it (the worker's `task_limit`, checked before `receive_all`)."""
    assert f.flow is not None
    text = ctx.fs.text
    out: list[Claim] = []
    for c in counted:
        if "repeated" not in c.flags:
            continue
        counter = c.get("counter")
        loads = [x for x in f.calls if x.name == "load" and x.receiver == counter]
        for load in loads:
            # The receiver starts the call's text at the method name; the binding is before it.
            line_start = text.rfind("\n", 0, load.src.start) + 1
            m = re.search(
                r"let\s+(\w+)\s*=\s*" + re.escape(counter) + r"\s*\.\s*$",
                text[line_start : load.src.start],
            )
            if m is None:
                continue
            var = m.group(1)
            for r in f.flow.regions:
                cmp = re.fullmatch(rf"{var}\s*(>=|>)\s*(.+)", r.head) if r.kind == "if" else None
                if cmp is None or "continue" not in f.flow.scan.texts[r.lo : r.hi]:
                    continue
                spawns = [
                    sp
                    for sp in f.spawns
                    if sp.repeated == c.get("repeated") and sp.src.start > r.head_end
                ]
                if not spawns:
                    continue
                slots = {
                    "counter": counter,
                    "cond": r.head,
                    "limit": cmp.group(2),
                    "repeated": spawns[0].repeated,
                    "mech": spawns[0].said,
                }
                proof = [
                    ctx.proof(load.src),
                    ctx.proof(Src(r.head_start, r.head_end, text[r.head_start : r.head_end])),
                    ctx.proof(spawns[0].src),
                ]
                flags = {"strict"} if cmp.group(1) == ">" else set()
                # `if task_limit > 0 { if n > task_limit {..} }`: the gate is there only then.
                outer = [x for x in f.flow.conditions(r.id) if x.id != r.id and x.kind == "if"]
                if outer:
                    slots["guard"] = outer[0].head
                    flags.add("guarded")
                out.append(make("limit_per_round", f.name, slots, proof, flags))
                return out
    return out


def _awaited_here(f: ItemFacts, c: Call) -> bool:
    """Whether the fn itself waits for call ``c``: it is outside any closure or async block, or
    the nearest call around that closure is one the fn awaits (`cell.get_or_init(|| async {
    load().await }).await` waits for `load`; `scheduler.every(..).run(|| async { send().await })`
    only hands `send` on)."""
    assert f.flow is not None
    if not any(a.kind in ("closure", "async") for a in f.flow.chain(c.region)):
        return True
    around = [
        o
        for o in f.calls
        if o.src.start < c.src.start
        and c.src.end <= o.src.end
        and not any(a.kind in ("closure", "async") for a in f.flow.chain(o.region))
    ]
    if not around:
        return False
    nearest = max(around, key=lambda o: o.src.start)
    return nearest.awaited


def _own_awaits(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """What a caller does wait for when the fn hands its work to a detached task: the fn's own
    awaits. "Does `new_pair_inner` wait for `run_migration_schedule`?" was answered with the
    spawn alone, never with the Redis pool, the connection and the consumer group it does
    await (blind read 75). One claim per detached task that runs a named call; none when the fn
    awaits a handle (its waits are then the tasks')."""
    assert f.flow is not None
    from .spawns import main_call

    if any(sp.handle != "dropped" for sp in f.spawns):
        return []
    if runs_the_runtime(f) or endless_loop(f, 0):
        # "What its caller does wait for .. before it returns" of a `#[tokio::main]` fn (its
        # tasks end with its runtime) or of one ending in a loop it never leaves (it does not
        # return): spotify-player's `start_app` is both (FALSE in held-out read 103).
        return []
    # The list is said as all the caller waits for: an awaited tokio call (a timeout around a
    # read), a `select!` or `join!` on the fn's own task, or a block-on of one, would be left
    # out of it (kanidm's `client_tls_accept` awaits two timeouts; AppFlowy's `create_app`
    # ends in a `select!` over its server: "what its caller does wait for" missed them, read).
    if any(
        (c.awaited or c.kind == "macro" or c.name == "block_on")
        and f.own(c.region)
        and c.full.startswith(("tokio::", "std::", "futures::"))
        or c.name == "block_on"
        for c in f.calls
    ):
        return []
    # An await in a closure or async block the fn only builds is not the fn's own: parseable's
    # sync `init_analytics_scheduler` hands `Report::new(..).await` to its scheduler, and "its
    # caller waits for `Report::new`" was false (a held-out read).
    mine = [
        c
        for c in f.calls
        if c.awaited
        and f.own(c.region)
        and not c.full.startswith(("tokio::", "std::"))
        and _awaited_here(f, c)
    ]
    if not mine or any(f.flow.conditions(c.region) for c in mine):
        # An await under a condition (async-nats connects first only when it does not retry
        # in the background): "the caller sits through" it would drop that condition (read).
        return []
    # Every one of them named, or no claim: the list is said as all the caller waits for
    # (blind read 76: `build_pair`, awaited on a builder chain, was left out).
    names = list(dict.fromkeys(await_name(c) for c in mine))
    if not names or len(names) > 5:
        return []
    out: list[Claim] = []
    for sp in f.spawns:
        if sp.repeated or not f.own(sp.at_region):
            continue
        runs = main_call(f, f.flow.regions[sp.region])
        if not runs:
            continue
        proof = [ctx.proof(c.src) for c in mine] + [ctx.proof(sp.src)]
        slots = {"runs": runs, "calls": codes(*names), "mech": sp.said}
        flags: set[str] = set()
        quick = [(c, p) for c in mine for p in [spawning_callee(ctx, c)] if p is not None]
        if quick:
            # Awaiting a fn that only starts a task and returns waits for the start alone.
            slots["quick"] = codes(*dict.fromkeys(await_name(c) for c, _ in quick))
            flags.add("quick-callees")
            proof += [p for _, p in quick]
        out.append(make("own_awaits", f.name, slots, proof, flags))
    return out


def exit_kinds_before_join(f: ItemFacts, sp: Spawn, vec: str) -> set[str]:
    """Whether the fn can leave between a spawn whose handle goes into ``vec`` and the end of
    the loop that awaits ``vec``: a `?` or `return` of its own task after the spawn, not in that
    loop. crates.io's `render_readmes` pushes each handle, then a `?` on the next element's
    bookkeeping returns with the tasks so far still running ("does not return before the last
    of them" was false, a held-out read)."""
    assert f.flow is not None
    fl = f.flow
    joins = [r for r in fl.regions if r.kind == "loop" and _over_vec(vec, r.head)]
    if len(joins) != 1:
        return {"unknown"}  # not the one loop that awaits them: not said to wait for them all
    join = joins[0]
    end = fl.scan.starts[min(join.hi, len(fl.scan.starts) - 1)]
    # The spawning loop comes round again: an exit anywhere in its body follows a spawn.
    spawning = fl.loop_of(sp.at_region)
    return {
        e.kind
        for e in f.exits
        if e.kind in ("question", "return")
        and f.own(e.region)
        and (
            sp.src.start < e.src.start < end
            or spawning is not None
            and fl.inside(e.region, spawning.id)
        )
        and not fl.inside(e.region, join.id)
    }


def exits_in_join(f: ItemFacts, vec: str) -> set[str]:
    """The ways out of the fn inside the one loop that awaits the handles in ``vec`` (a
    `return` in an arm of `match handle.await`): it can leave before the last handle.
    linera's `process_group` returns at the first failed task ("does not return before the
    last of them" was false, read 75 #32)."""
    assert f.flow is not None
    fl = f.flow
    joins = [r for r in fl.regions if r.kind == "loop" and _over_vec(vec, r.head)]
    if len(joins) != 1:
        return set()
    return {
        e.kind
        for e in f.exits
        if e.kind in ("question", "return") and f.own(e.region) and fl.inside(e.region, joins[0].id)
    }


def skip_flags(f: ItemFacts, sp: Spawn) -> set[str]:
    """`rounds` for a spawn repeated by a bare `loop` or a plain `while` (rounds, not elements),
    `skippable` when a `continue` of that loop comes before it: a round can end without a task
    (hickory's servers `continue` past a rejected address: "one task per element" was
    misleading, a held-out read)."""
    assert f.flow is not None
    out: set[str] = set()
    head = sp.repeated.strip()
    if head == "loop" or head.startswith("while ") and not head.startswith("while let"):
        out.add("rounds")
    loop = f.flow.loop_of(sp.at_region)
    if loop is not None and any(
        e.kind == "continue"
        and e.src.start < sp.src.start
        and f.own(e.region)
        and f.flow.loop_of(e.region) is loop
        for e in f.exits
    ):
        out.add("skippable")
    if loop is not None and any(
        e.kind in ("return", "break", "question", "exit")
        and e.src.start < sp.src.start
        and f.own(e.region)
        and f.flow.inside(e.region, loop.id)
        and (e.kind != "break" or f.flow.loop_of(e.region) is loop)
        for e in f.exits
    ):
        # qdrant's flush worker returns from its select's stop branch before the spawn: "Every
        # round of `loop` starts a task" was misleading (held-out read 58).
        out.add("leaves-before")
    return out


def _abort_slot(f: ItemFacts, sp: Spawn, name: str, slots: dict[str, str], flags: set[str]) -> None:
    """The abort that ends the task named ``name``: one the fn itself makes (`name.abort()`), or
    the abort handle it keeps (`name.abort_handle()`, read 79)."""
    assert f.flow is not None
    abort = [
        c
        for c in f.calls
        if c.kind == "method"
        and c.name == "abort"
        and c.receiver == name
        and c.src.start > sp.src.end
        and f.own(c.region)
        and not f.flow.conditions(c.region)
    ]
    if abort:
        slots["abort_call"] = f"{name}.abort()"
        flags.add("aborted-here")
    elif "abort-only" in bound_fate(f, sp, name):
        # Only `name.abort_handle()` is kept (apollo-router, read 79): whoever
        # holds that can abort it; nobody holds `name` itself.
        slots["abort_call"] = f"{name}.abort_handle()"
        flags.add("abort-only")
