"""Claims that follow from other claims: what two facts of one task mean together.

A reviewer who knows the code reasons across it — a shutdown check that only covers the wait means
a running pass is never cut short; a branch of `tokio::join!` that fails at startup is still
waited on with the others. Each claim here is derived from claims the other builders made (and
the facts behind them), is proven by all of their proofs, and is made only when every premise of
the reasoning is in the code: the semantics they rest on (`join!` waits for every branch, a sleep
in the loop starts after the pass) are tokio's and Rust's, not guesses about intent. What a join
means for a branch that fails is derived in ``join_implications`` and placed among these.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..facts import Call, ItemFacts, Sql, Src
from ..flow import TASK_KINDS, Region
from ..mechanisms import mechanism
from ..values import human_duration
from .core import Claim, FileContext, make
from .exits import leaves_after
from .join_implications import join_waits_all_claims
from .premises import merged_proofs, of_kind
from .shape import main_loop, passes_token

__all__ = ["implication_claims", "work_call"]

# Regions whose code a caller of the region may drop before it ends: a call inside one is not a
# plain awaited step of the pass.
_RACED = frozenset(
    {"cancellable", "select-future", "select-handler", "timeout-future", "join-branch"}
)


def implication_claims(ctx: FileContext, idx: int, claims: list[Claim]) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    loop = main_loop(f)
    # A callee that does the waiting (`nap(..)`) is the pause, not the work.
    waiters = {c.get("callee") for c in claims if c.kind == "callee_waits"} | {
        c.get("via") for c in claims if c.kind == "sleep" and c.get("via")
    }
    work = work_call(f, loop, waiters) if loop is not None else None
    out: list[Claim] = []
    if work is not None:
        out += _pass_runs_out(ctx, f, claims, work)
        out += _wait_after_pass(ctx, f, claims, work)
    out += _timed_after_wait(ctx, f, claims)
    out += _local_timeout(ctx, f)
    out += _steady_error(f, claims)
    out += _idle_latency(f, claims)
    out += _locked_short(ctx, f, claims)
    out += _retry_budget(f, claims)
    out += join_waits_all_claims(ctx, f, claims)
    out += _endless_set(ctx, f)
    return out


def work_call(f: ItemFacts, loop: Region, waiters: Collection[str] = ()) -> Call | None:
    """The pass's own work: the first fn call awaited in ``loop`` in the item's own task, outside
    anything that races or cancels it, that is no tokio mechanism and no callee in ``waiters``
    (a crate fn that does the waiting)."""
    calls = work_calls(f, loop, waiters)
    return calls[0] if calls else None


def work_calls(f: ItemFacts, loop: Region, waiters: Collection[str] = ()) -> list[Call]:
    """Every such call of the pass, in source order."""
    assert f.flow is not None
    if any(r.kind in _RACED for r in f.flow.chain(loop.id)):
        return []
    out = []
    for c in f.calls:
        if not (c.awaited and c.kind == "fn" and f.flow.inside(c.region, loop.id)):
            continue
        if mechanism(c.full) is not None or c.full.startswith("tokio::") or c.written in waiters:
            continue
        chain = f.flow.chain(c.region)
        if any(r.kind in _RACED or r.kind in TASK_KINDS for r in chain):
            continue
        out.append(c)
    return out


def _pass_runs_out(ctx: FileContext, f: ItemFacts, claims: list[Claim], work: Call) -> list[Claim]:
    """Shutdown seen at the wait or a check in the loop, with the work outside both (``work_call``
    takes no call that a select, a timeout or a cancellation races): a pass that has started is
    not interrupted by this item's own shutdown handling."""
    if of_kind(claims, "spawn"):
        return []  # work handed to tasks is not the pass; what shutdown does to it is theirs
    index = ctx.index
    if (
        index is not None
        and not of_kind(claims, "callers")
        and (f.name in index.method_calls or f.name in index.value_uses)
    ):
        # Called somewhere through a receiver or a value the index cannot follow: that caller
        # may race it and drop it mid-pass (neon's `WalBackupTask::run`, awaited in a
        # caller's `select!` through a local).
        return []
    if any(c.get("kind") == "select" for c in of_kind(claims, "runs_in")):
        # A caller races this fn in a `select!`: when the other branch wins, the pass is
        # dropped wherever it is (neon's `WalBackupTask::run`: "a pass that has started is
        # never cut short" was false, held-out read 22).
        return []
    if of_kind(claims, "callee_waits") or any(c.get("via") for c in of_kind(claims, "sleep")):
        return []  # the pause is a callee's: whether shutdown cuts it short is said of it
    waits = of_kind(claims, "shutdown_wait") + of_kind(claims, "shutdown_branch")
    checks = of_kind(claims, "shutdown_loop") + of_kind(claims, "shutdown_check")
    if any(c.kind == "shutdown_branch" and "guarded" in c.flags for c in waits):
        # pgcat's client loop leaves on shutdown only `if !self.admin`: for an admin client a
        # stop ends nothing, so "a pass runs to its end before the loop stops" was false
        # (blind read 105).
        return []
    if not (waits or checks):
        return []
    if passes_token(work, {v for c in waits + checks for _, v in c.slots}):
        # The pass is given the token the loop stops on (`detect_stable_..(&ctx, ..)` in rustfs's
        # scanner): it may race the stop itself, deeper down, so "a pass that has started is
        # finished, not cut short" is not known (held-out read 77 #10-11).
        return []
    # A wait raced against something the claims above did not recognise as shutdown (a token
    # held in a variable, a channel) may be a stop too: then when the stop is seen is unknown.
    assert f.flow is not None
    own = [r for r in f.flow.regions if f.own(r.id)]
    if any(r.kind == "cancellable" for r in own) and not of_kind(claims, "shutdown_wait"):
        return []
    if any(r.kind == "select-handler" for r in own) and not of_kind(claims, "shutdown_branch"):
        return []
    flags = ({"wait"} if waits else set()) | ({"loop-check"} if checks else set())
    proof = merged_proofs([ctx.proof(work.src)], *(c.proof for c in waits + checks))
    slots = {"work": work.written}
    # The pass may run a statement with the timeout switched off (a same-file helper of the
    # work sets `statement_timeout` to 0): a shutdown then waits for as long as it runs.
    helper = ctx.local_fn(work.written.split("::")[-1])
    if helper is not None:
        for c in helper.calls:
            g = ctx.local_fn(c.written) if c.kind == "fn" else None
            off = [q for q in _local_timeouts(g) if q.statement_timeout == "0"]
            if g is not None and off:
                slots["unbounded"] = g.name
                flags.add("unbounded")
                proof = [*proof, ctx.proof(c.src), ctx.proof(off[0].src)]
                break
    return [make("pass_runs_out", f.name, slots, proof, flags)]


def _after_opening(f: ItemFacts, loop: Region, s: Claim) -> Call | None:
    """The last call of a round that opens with sleep ``s``, which the next wait follows (not
    the first: defguard's utility thread, held-out read 94 #F7); None when some rounds skip it."""
    fl = f.flow
    assert fl is not None
    after = [c for c in work_calls(f, loop, ()) if s.proof and c.src.start > s.proof[0].end]
    if not after or fl.conditions(after[-1].region, stop=loop.id):
        return None
    last = after[-1]
    # `if flag && let Err(e) = call().await`: made on some rounds only.
    if any(
        r.kind == "if"
        and r.head_start <= last.src.start < r.head_end
        and re.search(r"&&|\|\|", fl.scan.text[r.head_start : last.src.start])
        for r in fl.regions
    ):
        return None
    return last


def _wait_after_pass(
    ctx: FileContext, f: ItemFacts, claims: list[Claim], work: Call
) -> list[Claim]:
    """A plain sleep in the same loop as the work, and no interval: each wait starts after the
    pass, so the pass's own run time adds to the spacing."""
    if of_kind(claims, "interval"):
        return []
    plain = [
        c
        for c in of_kind(claims, "sleep")
        if "in-loop" in c.flags
        and not (
            {"in-select", "err-arm", "in-arm", "guarded", "via-helper", "skips-before"} & c.flags
        )
    ]
    if not plain:
        return []
    s = plain[0]
    # The wait starts after the last of the pass's calls before it (redis.rs: after
    # `migrate_v2_to_v3_queues`, not the first migration; blind read 38).
    loop = main_loop(f)
    if loop is not None and s.proof:
        before = [c for c in work_calls(f, loop, ()) if c.src.start < s.proof[0].start]
        if before and before[-1].written != work.written:
            work = before[-1]
        fl = f.flow
        assert fl is not None
        if before and (
            fl.loop_of(before[-1].region) is not loop
            or fl.conditions(before[-1].region, stop=loop.id)
        ):
            # The last call before the sleep runs on some rounds or some elements only: what
            # the wait follows is the whole inner pass, no one call (revolt's file deletion:
            # "starts counting only after `delete_from_s3` returns", held-out read 37).
            return []
    if "opens-round" in s.flags and loop is not None:
        last = _after_opening(f, loop, s)
        if last is None:
            return []
        work = last
    if leaves_after(f, work):
        # The work leads out of the loop (`handle_transaction_success(..).await; return;` in
        # the `Ok(true)` arm of helium's burner): no later wait follows it, and "from one pass
        # to the next is the wait plus the pass" was misleading (held-out read 25).
        return []
    # Other sleeps in the loop (one in each error arm, redis.rs): a round that fails waits from
    # its failure, so "the sleep starts after the last call" holds for rounds that get through
    # only (blind read 42).
    others = [c for c in of_kind(claims, "sleep") if "in-loop" in c.flags and c not in plain]
    flags = {"other-waits"} if others or len(plain) > 1 else set()
    slots = {"work": work.written, "mech": s.get("mech")}
    if "if-let-some" in s.flags and s.get("var"):
        # `if let Some(d) = gc_duration { sleep(d).await }`: a pass is not always followed by
        # a wait ("a slow pass pushes every later pass back" of greptimedb's region GC, whose
        # force path passes `None`, read 68).
        slots["var"] = s.get("var")
        flags.add("if-some")
    if "arg-fixed" not in s.flags and _COMPUTED.search(s.get("arg_value") or s.get("arg")):
        # A wait worked out each round (`refresh_in(&self.config, curr_expiry)`, a share of the
        # time left to an expiry): a slow pass does not push the later ones back ("pushes every
        # later pass back" was false of linkerd's identity refresh, held-out read 49).
        flags.add("computed-wait")
    return [
        make(
            "wait_after_pass",
            f.name,
            slots,
            merged_proofs([ctx.proof(work.src)], s.proof),
            flags,
        )
    ]


# A call in a wait's length other than a `Duration` constructor: the length is worked out.
_COMPUTED = re.compile(
    r"(?<![\w:])(?!(?:\w+::)*Duration::)[A-Za-z_][\w:]*\s*\(|\.\s*(?!as_)\w+\s*\("
)


def _steady_error(f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """An error arm that logs, keeps looping and sets the next wait to one fixed value: the wait
    after a failure never grows, and nothing counts failures (no backoff, no give-up)."""
    if of_kind(claims, "backoff") or of_kind(claims, "give_up") or of_kind(claims, "retry_with"):
        return []
    out: list[Claim] = []
    for arm in of_kind(claims, "err_arm"):
        if not {"keeps-looping", "logs", "sets"} <= arm.flags or "one-of-several" in arm.flags:
            continue
        wait = next(
            (
                w
                for w in of_kind(claims, "error_wait")
                if w.get("var") == arm.get("var") and w.get("value_set") == arm.get("value_set")
            ),
            None,
        )
        if wait is None:
            continue
        slots = {
            "call": arm.get("call"),
            "level": arm.get("level"),
            "var": arm.get("var"),
            "value_set": arm.get("value_set"),
            "dur": wait.get("dur"),
            "dep": arm.get("dep"),
        }
        # A `?` before the loop can still end the task at startup: the ride-it-out story holds
        # only once the loop runs (the cleaner's startup check).
        early = [c for c in of_kind(claims, "propagate") if "before-loop-only" in c.flags]
        flags = {"after-start"} if early else set()
        proof = merged_proofs(arm.proof, wait.proof, *(c.proof for c in early))
        out.append(make("steady_error", f.name, slots, proof, flags))
        break
    return out


def _idle_latency(f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """A loop that naps only after a short pass: a backlog is worked off without waits, and what
    becomes due during a nap waits for it to end."""
    out: list[Claim] = []
    for a in of_kind(claims, "adaptive"):
        if "idle-when-true" not in a.flags:
            continue
        slots = {"idle_dur": a.get("idle_dur"), "cond": a.get("cond"), "idle": a.get("idle")}
        out.append(make("idle_latency", f.name, slots, a.proof, a.flags & {"batch-cond", "summed"}))
        break
    return out


def _retry_budget(f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """`Retry::new(pred, SCHEDULE)` and then `retry.run(..)`, whose callee walks the schedule one
    entry per retry and stops when it is empty: at most one call more than the schedule has
    entries, and at most the schedule's sum of waiting (ack: 3 waits, 4 calls, 70 ms)."""
    steps = [c for c in of_kind(claims, "callee_waits") if "steps-schedule" in c.flags]
    for r in of_kind(claims, "retry_with"):
        owner = r.get("ctor").rsplit("::", 1)[0]
        walker = next((c for c in steps if c.get("callee").startswith(f"{owner}::")), None)
        sched = next((x for x in f.schedules if x.name == r.get("schedule")), None)
        if walker is None or sched is None or not sched.seconds:
            continue
        slots = {
            "ctor": r.get("ctor"),
            "callee": walker.get("callee"),
            "schedule": r.get("schedule"),
            "count": r.get("count"),
            "calls": str(int(r.get("count")) + 1),
            "total": human_duration(sum(sched.seconds)),
        }
        return [make("retry_budget", f.name, slots, merged_proofs(r.proof, walker.proof))]
    return []


def _locked_short(ctx: FileContext, f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """A loop that naps after a short batch, where the batch is a same-file helper's statement
    taking its rows with `SKIP LOCKED`: a batch comes back short when another worker holds rows,
    not only when the backlog is empty, and this loop then naps all the same."""
    # The nap follows a short batch: `n < BATCH` picks the nap, or `n >= BATCH` picks going on.
    naps = [
        a
        for a in of_kind(claims, "adaptive")
        if "batch-cond" in a.flags
        and ("<" in a.get("cond")) == ("idle-when-true" in a.flags)
        and re.search(r"[<>]", a.get("cond"))
    ]
    if not naps:
        return []
    a = naps[0]
    for b in of_kind(claims, "batch"):
        if "to-fn" not in b.flags or b.get("cond") != a.get("cond"):
            continue
        g = ctx.local_fn(b.get("callee"))
        locked = [q for q in (g.sql if g is not None else []) if q.skip_locked and q.limit]
        if g is None or not locked:
            continue
        slots = {
            "callee": g.name,
            "lock_clause": "SKIP LOCKED",
            "idle_dur": a.get("idle_dur"),
            "idle": a.get("idle"),
            "cond": a.get("cond"),
        }
        proof = merged_proofs(a.proof, b.proof, [ctx.proof(locked[0].src)])
        return [make("locked_short", f.name, slots, proof)]
    return []


def _timed_after_wait(ctx: FileContext, f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """`let start = Instant::now()` after the pass's sleep, in the same loop: the time logged is
    the pass's own, not the nap before it."""
    assert f.flow is not None
    out: list[Claim] = []
    for t in of_kind(claims, "timing"):
        start = next((a for a in f.assigns if a.is_let and a.var == t.get("start")), None)
        if start is None:
            continue
        loop = f.flow.loop_of(start.region)
        if loop is None:
            continue
        before = [
            w
            for w in f.waits
            if w.role == "sleep"
            and f.own(w.region)
            and f.flow.loop_of(w.region) is loop
            and w.src.end <= start.src.start
        ]
        if not before:
            continue
        slots = {"start": t.get("start"), "mech": before[-1].mechanism}
        if t.get("field"):
            slots["field"] = t.get("field")
        proof = merged_proofs([ctx.proof(start.src), ctx.proof(before[-1].src)], t.proof)
        out.append(make("timed_after_wait", f.name, slots, proof))
        break
    return out


def _local_timeouts(g: ItemFacts | None) -> list[Sql]:
    """The `SET LOCAL statement_timeout` statements of fn ``g``: they last for its transaction."""
    return [q for q in (g.sql if g else []) if q.statement_timeout and q.local]


def _local_timeout(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A same-file callee that sets `statement_timeout` in its own transaction, called behind a
    condition, next to a statement run on the pool directly: only the callee's statement runs
    with that setting (`SET LOCAL` lasts for its transaction)."""
    assert f.flow is not None
    for c in f.calls:
        if c.kind != "fn" or not c.awaited or not f.own(c.region):
            continue
        callee = ctx.local_fn(c.written)
        if callee is None or callee.index == f.index:
            continue
        sets = _local_timeouts(callee)
        if not sets:
            continue
        others = [
            o
            for o in f.calls
            if o.kind == "method"
            and o.name in ("execute", "fetch_all", "fetch_one", "query")
            and o.awaited
            and f.own(o.region)
            and not f.flow.conditions(o.region)
        ]
        conds = f.flow.conditions(c.region)
        if not others or len(conds) != 1 or conds[0].kind != "if":
            continue
        q, o = sets[0], others[0]
        with_recv = _with_receiver(ctx, o)
        other = with_recv.text if with_recv is not None else o.src.text
        slots = {
            "callee": c.written,
            "value": q.statement_timeout,
            "guard": conds[0].head,
            "other": other if len(other) <= 40 else o.name,
        }
        proof = [ctx.proof(c.src), ctx.proof(q.src)]
        proof.append(ctx.proof(with_recv if with_recv is not None else o.src))
        proof.append(ctx.proof(ctx.region_src(f, conds[0])))
        flags = {"disables"} if q.statement_timeout == "0" else set()
        commit = next((x for x in callee.calls if x.kind == "method" and x.name == "commit"), None)
        if commit is not None and c.src.start < o.src.start and c.propagates:
            # The callee commits its own transaction before the pool statement runs (and a
            # failure of the callee returns first): the two are not one atomic change.
            flags.add("commits-first")
            proof.append(ctx.proof(commit.src))
        return [make("local_timeout", f.name, slots, proof, flags)]
    return []


def _with_receiver(ctx: FileContext, c: Call) -> Src | None:
    """A method call with its receiver, as written (`pool.execute(stmt)`), when the receiver is
    a plain name right before the dot; None otherwise."""
    at = c.src.start - len(c.receiver) - 1
    text = f"{c.receiver}.{c.src.text}"
    if not c.receiver or ctx.fs.text[at : c.src.end] != text:
        return None
    return Src(at, c.src.end, text)


_PANICS = ("todo", "panic", "unreachable", "unimplemented")


def _endless_set(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """Tasks spawned into a `JoinSet` whose bodies are bare loops with no way out: none of them
    can finish on its own, so `join_next` yields only for a task that panicked or was aborted;
    a panicking macro in the loop over `join_next` is then what runs."""
    assert f.flow is not None
    regions = f.flow.regions
    spawns = [s for s in f.spawns if s.handle == "in-set"]
    if not spawns:
        return []
    for s in spawns:
        inner = [r for r in regions if r.kind == "loop" and f.flow.inside(r.id, s.region)]
        bare = [r for r in inner if r.keyword == "loop" and f.flow.task_of(r.id).id == s.region]
        if not bare or len({r.id for r in inner}) != 1:
            return []
        body = bare[0]
        if any(f.flow.inside(e.region, body.id) for e in f.exits):
            return []  # a break, return or `?` inside: the task can end
    nexts = [
        c
        for c in f.calls
        if c.kind == "method" and c.name == "join_next" and c.awaited and f.own(c.region)
    ]
    if not nexts:
        return []
    written = _with_receiver(ctx, nexts[0])
    if written is None:
        return []
    nxt = nexts[0]
    slots = {"next": written.text}
    proof = [ctx.proof(written)] + [ctx.proof(s.src) for s in spawns]
    flags: set[str] = set()
    loop = f.flow.loop_of(nxt.region)
    if loop is not None:
        boom = [
            c
            for c in f.calls
            if c.kind == "macro"
            and c.name.rstrip("!") in _PANICS
            and f.flow.inside(c.region, loop.id)
            and not f.flow.conditions(c.region, loop.id)
        ]
        if boom:
            slots["body"] = boom[0].written
            proof.append(ctx.proof(boom[0].src))
            flags.add("panics")
    return [make("endless_set", f.name, slots, proof, flags)]
