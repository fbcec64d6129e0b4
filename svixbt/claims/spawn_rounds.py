"""What one round of a spawned loop does and waits on: the calls that are its work, the timer
and channel waits that pace it, and the levels it logs at. Split from spawns.py, whose claims
fill these slots."""

from __future__ import annotations

import re

from ..facts import Call, ItemFacts, Spawn, Wait
from ..flow import Region
from ..mechanisms import mechanism
from ..values import human_duration
from .blocks import deferred
from .core import FileContext
from .exits import leaves
from .round_open import called_before, raced_wait
from .shape import codes, codes_upto, guard_of
from .task_errors import not_only_logged, on_error_path
from .tick_race import interval_arg, tick_or

__all__ = [
    "CHANNEL_WAITS",
    "also_waits",
    "continued_past",
    "in_task_loop",
    "round_work",
    "spawned_waits_and_logs",
]


# Calls that read or manage state rather than do a round's work.
_NOT_WORK = frozenset(
    {
        "tick",
        "await",
        "clone",
        "load",
        "store",
        "fetch_add",
        "fetch_sub",
        "unwrap",
        "expect",
        # A fallback on a result, not a step of its own (etl's jemalloc task: "calling
        # `allocated_mib.read` and `unwrap_or(0)`", session 48).
        "unwrap_or",
        "unwrap_or_default",
        "unwrap_or_else",
        "to_owned",
        "to_string",
        "into",
        "iter",
        "len",
        "is_empty",
        # Iterator plumbing: the shape of a computation, not a step of the round.
        "collect",
        "count",
        "values",
        "keys",
        "cloned",
        "copied",
        "map",
        "filter",
        "iter_mut",
        "drain",
        "as_str",
        # Taking a lock is the way to the work, not the work ("the task it starts for
        # `logs.lock` or `logs.clear`", graph-node's log flusher, held-out read 84).
        "lock",
        "try_lock",
        "blocking_lock",
        # Tests of a result and the process's end are not what a round is for.
        "is_err",
        "is_ok",
        "is_some",
        "is_none",
        "exit",
    }
)


def _deferred_inside(f: ItemFacts, c: Call, reg: Region) -> bool:
    """Whether call ``c`` sits in a closure or a bound async block written inside the spawned
    block ``reg`` (not the spawned block itself): it runs when that is called or awaited."""
    assert f.flow is not None
    inner = next(
        (
            a
            for a in f.flow.chain(c.region)
            if a.kind in ("closure", "async")
            and a.id != reg.id
            and f.flow.inside(a.id, reg.id)
            # `let task = async move { .. }; spawn(task)`: that block is the task's own body.
            and not (a.kind == "async" and a.parent == reg.id)
        ),
        None,
    )
    return inner is not None and deferred(f, inner, itself=True)


def round_work(f: ItemFacts, reg: Region, slots: dict[str, str], flags: set[str]) -> None:
    """What each round of a spawned loop is for: the calls it makes (`metrics.record`, by
    receiver and method), or else its one log line with the condition it fires under. "A task
    that ticks every second" and never what for reads as a paraphrase (blind read 36)."""
    assert f.flow is not None
    if len(task_loops(f, reg)) > 1:
        flags.add("several-loops")  # no one round to tell (see ``task_loops``)
        return
    work: list[str] = []
    for c in f.calls:
        if c.kind == "macro" or c.name in _NOT_WORK or f.flow.task_of(c.region).id != reg.id:
            continue
        if _deferred_inside(f, c, reg):
            continue  # in a future or closure built in the round and run later, maybe elsewhere
        if f.flow.loop_of(c.region) is None or f.flow.conditions(c.region, stop=reg.id):
            # Not in the loop, or not on every round (spacedrive's `logger.error`), also where
            # the condition is around an inner loop (`if limit > 0 { while full { wait } }`).
            continue
        home = f.flow.regions[c.region]
        if home.kind == "select-future":
            continue  # a future the round waits on, not its work (librespot's `shared.closed()`)
        if _past_an_exit(f, c, reg):
            continue
        if home.kind == "match" and c.tok >= home.lo:
            continue  # an arm's pattern or guard (`Err(err) if err.is_panic()`), not work
        if c.name in CHANNEL_WAITS or _in_head(f, c.src.start, reg) and not _reruns(f, c):
            # `while let Some(x) = weak.upgrade()`, `if rx.changed().await.is_err()`: what
            # decides whether the round goes on, or a wait, not its work (quickwit's gossip
            # task "calls `weak_chitchat.upgrade` and `catchup_callback_rx.changed`").
            continue
        if any(
            o.open_tok < c.tok < o.close_tok
            for o in f.calls
            if o is not c
            # `select! { _ = sleep(t) => { work().await } }`: a branch's code, not an argument
            and not (o.kind == "macro" and mechanism(o.full) is not None)
            and f.flow.task_of(o.region).id == reg.id
            and f.flow.loop_of(o.region) is not None
        ):
            continue  # an argument of another call (`Duration::from_secs` inside a sleep)
        if c.name in _CLOCK_READS:
            continue  # `now()`: reading the clock is no work of the round (read 61)
        if c.kind == "fn":
            if mechanism(c.full) is None and not c.written[:1].isupper():
                name = c.written  # `report_depth`; not a wait, not a constructor
            else:
                continue
        elif re.fullmatch(r"[A-Za-z_][\w.]*", c.receiver) and not re.search(
            r"(?:^|\.)await$", c.receiver
        ):
            name = f"{c.receiver}.{c.name}"  # `metrics.record`, however long its arguments
        elif len(c.src.text) <= 40 and "\n" not in c.src.text:
            name = c.src.text  # `retain(|_, v| check_is_expired(v))` on a lock guard
        else:
            continue
        if name not in work:
            work.append(name)
    if work:
        slots["work"] = codes_upto(work, 3)
        return
    logs = [
        lg
        for lg in f.logs
        if f.flow.task_of(lg.region).id == reg.id and f.flow.loop_of(lg.region) is not None
    ]
    if len(logs) == 1 and logs[0].message:
        loop = f.flow.loop_of(logs[0].region)
        conds, arm, negated = guard_of(
            f, logs[0].region, loop.id if loop else None, logs[0].src.start
        )
        if negated or arm:
            return  # a condition that cannot be said plainly: the purpose is left out
        if loop is not None and _in_branch(f, logs[0].region, loop):
            return
        slots["round_msg"] = logs[0].message
        slots["round_level"] = logs[0].level
        if conds:
            slots["round_guard"] = codes(*conds)
            flags.add("round-guarded")
        flags.add("round-log")


# Awaiting these waits for the other side of a channel or a notifier: a wait, not work.
CHANNEL_WAITS = frozenset({"changed", "recv", "recv_many", "notified", "recv_async", "cancelled"})


def task_loops(f: ItemFacts, reg: Region) -> list[Region]:
    """The outermost loops of the task ``reg``, one after another in its body. With more than
    one, none is "every round" of the task: reth's discv5 task runs a bootstrap `for`, then an
    endless `loop`, each with its own sleep, and "whose loop, on every round, waits out
    `pulse_lookup_interval` and calls .. `get_lookup_target`" merged the two (read 80, FALSE)."""
    assert f.flow is not None
    fl = f.flow
    return [
        r
        for r in fl.regions
        if r.kind == "loop"
        and fl.task_of(r.id).id == reg.id
        and (r.parent is None or fl.loop_of(r.parent) is None)
    ]


def _reruns(f: ItemFacts, c: Call) -> bool:
    """An awaited call in a `while` head: `while let Err(err) = s.run().await` runs `s.run`
    every round; it is the round's work (rathole's control channel, held-out read 41)."""
    assert f.flow is not None
    return c.awaited and any(
        r.kind == "loop" and r.keyword == "while" and r.head_start <= c.src.start < r.head_end
        for r in f.flow.regions
    )


def _in_head(f: ItemFacts, at: int, task: Region) -> bool:
    """Whether offset ``at`` is in the head of a `while`, a `for` or a `let .. else` in
    ``task``: what decides whether the round goes on, or what the loop walks. The head of an
    `if let Err(e) = store.sweep().await` is the round's work all the same."""
    assert f.flow is not None
    return any(
        r.head_start <= at < r.head_end
        for r in f.flow.regions
        if r.head_start >= 0
        # A `for` head runs once, not each round: `for r in join_all(tasks).await.into_iter()`
        # (fred's pool `connect`: "whose loop calls `into_iter()` on every round" was FALSE,
        # held-out read 35).
        and (r.kind == "let-else" or r.kind == "loop" and r.keyword in ("while", "for"))
        and f.flow.inside(r.id, task.id)
    )


def also_waits(f: ItemFacts, reg: Region) -> list[tuple[str, int]]:
    """Channel waits the spawned loop awaits on every round besides its timer
    (`catchup_callback_rx.changed()`): the timer alone then does not set the pace."""
    assert f.flow is not None
    out: list[tuple[str, int]] = []
    for c in f.calls:
        if c.name not in CHANNEL_WAITS or not c.awaited or not c.receiver:
            continue
        if f.flow.task_of(c.region).id != reg.id or f.flow.loop_of(c.region) is None:
            continue
        if f.flow.conditions(c.region) or f.flow.regions[c.region].kind.startswith("select"):
            continue
        said = f"{c.receiver}.{c.name}()"
        if said not in [o for o, _ in out]:
            out.append((said, c.src.start))
    return out


def _work_before(f: ItemFacts, reg: Region, at: int) -> bool:
    """Whether every other awaited call of the spawned loop comes before offset ``at``."""
    assert f.flow is not None
    return all(
        c.src.start < at
        for c in f.calls
        if c.awaited
        and c.name not in CHANNEL_WAITS
        and c.name != "tick"
        and f.flow.task_of(c.region).id == reg.id
        and f.flow.loop_of(c.region) is not None
    )


def _past_an_exit(f: ItemFacts, c: Call, task: Region) -> bool:
    """Whether a `break` or `return` written earlier in the body of ``c``'s loop, under plain
    `if`s only, can end the round before ``c``: then not every round makes that call (rathole's
    control channel breaks on a shutdown before its backoff: "on every round .. calls
    `start.elapsed`" was misleading, held-out read 41)."""
    assert f.flow is not None
    fl = f.flow
    loop = fl.loop_of(c.region)
    if loop is None:
        return False
    for e in f.exits:
        # A `continue` skips the rest of the round too (influxdb3's parquet cache handler goes
        # round again when `should_request_be_cached` is false: "on every round" of the calls
        # after it was misleading, read 73 #21).
        if e.kind not in ("break", "return", "continue") or e.src.end > c.src.start:
            continue
        if fl.task_of(e.region).id != task.id or not fl.inside(e.region, loop.id):
            continue
        if e.kind == "continue" and fl.loop_of(e.region) is not loop:
            continue
        between = [r for r in fl.chain(e.region) if fl.inside(r.id, loop.id) and r.id != loop.id]
        # A let-else at the round's head is its guard, said by the task's ends (quickwit's
        # sampler upgrades its `Weak` first and then samples); a select handler's or an arm's
        # exit is another path's.
        # A match arm's exit counts too (rabbitmq-stream's dispatcher breaks on a stream error
        # before `state.is_handler_failed`: "on every round" was misleading, read 48).
        if not between or any(r.kind not in ("if", "else", "arm", "match") for r in between):
            continue
        if fl.exclusive(e.region, c.region) or e.kind != "continue" and not leaves(f, e, loop.id):
            continue
        # An exit before any of the round's work is its guard (`if count == 0 { break }` right
        # after `recv_many`: rabbitmq-stream's batch sender publishes on every round that
        # gets past it; read 48 missed `client.publish`).
        if e.kind != "continue" and not any(
            w.awaited
            and w.name not in CHANNEL_WAITS
            and fl.inside(w.region, loop.id)
            and w.src.end <= e.src.start
            for w in f.calls
        ):
            continue
        return True
    return False


def _in_branch(f: ItemFacts, rid: int, loop: Region) -> bool:
    """Whether ``rid`` runs when one branch of a select in ``loop`` wins, not every round
    (mycelium's DNS metric checker logs "shutting down" in its stop branch: "logs .. every 30
    seconds" was false, held-out read 55)."""
    assert f.flow is not None
    return any(
        r.kind == "select-handler" and f.flow.inside(r.id, loop.id) for r in f.flow.chain(rid)
    )


def in_task_loop(f: ItemFacts, rid: int, task: Region) -> bool:
    """Whether ``rid`` sits in a loop of ``task``."""
    assert f.flow is not None
    return any(r.kind == "loop" and f.flow.inside(r.id, task.id) for r in f.flow.chain(rid))


_CLOCK_READS = frozenset({"now", "elapsed"})


def _timed(
    f: ItemFacts, reg: Region, waits: list[Wait], slots: dict[str, str], flags: set[str]
) -> None:
    """`timed` when the task's loop waits under a timeout (`timeout(wakeup_time, rx.recv())`),
    a timer too: "no sleep or interval of its own" read as an untimed loop (stalwart's webhook
    tracer and report scheduler, read 61). Its duration when every round waits so."""
    assert f.flow is not None
    for w in waits:
        if w.role != "timeout" or not in_task_loop(f, w.region, reg):
            continue
        flags.add("timed")
        if not f.flow.conditions(w.region, stop=reg.id):
            slots["timeout_arg"] = w.arg
            slots["timeout_mech"] = w.mechanism
        return


def _other_waits(f: ItemFacts, reg: Region, slots: dict[str, str], flags: set[str]) -> None:
    """The task's waits beside its pace: a sleep on some rounds only, and what else a round
    waits on beside its sleep or interval."""
    assert f.flow is not None
    _some_sleep(f, reg, slots, flags)
    if "sleep" in flags and also_waits(f, reg):
        # `notify.notified().await` then a 5 s sleep, every round: the sleep is a grace
        # period after each wake-up, not the pace ("sleeps 5 seconds a round" of wash's
        # reaper was misleading, held-out read 26). The pace is not said.
        slots.pop("sleep_dur", None)
        flags.discard("sleep")
    also = also_waits(f, reg) if "interval" in flags else []
    if also:
        slots["also_wait"] = codes(*(said for said, _ in also))
        flags.add("also-waits")
        # Waits at the end of the round: the first round runs before any of them.
        if all(_work_before(f, reg, at) for _, at in also):
            flags.add("waits-last")


def _some_sleep(f: ItemFacts, reg: Region, slots: dict[str, str], flags: set[str]) -> None:
    """A sleep only on some rounds (rbuilder's error-storage writer sleeps 100 ms when its
    queue is empty): "the loop itself has no sleep or interval" was FALSE (read 84 #8)."""
    assert f.flow is not None
    timers = [
        w
        for w in f.waits
        if w.role in ("sleep", "interval") and f.flow.task_of(w.region).id == reg.id
    ]
    if timers and not flags & {"sleep", "sleep-arg", "interval", "interval-arg"}:
        flags.add("some-sleep")
        if (
            len(timers) == 1
            and timers[0].role == "sleep"
            and timers[0].seconds is not None
            and not raced_wait(f, timers[0])  # raced, every round starts it: no "only some rounds"
        ):
            slots["some_sleep"] = human_duration(timers[0].seconds)


def _in_nested_future(f: ItemFacts, rid: int, task: Region) -> bool:
    """Whether ``rid`` sits in a closure or `async` block inside the task's own body: it runs
    when that future is polled or the closure called, not as a step of the task. redis-rs's
    token refresher hands `|d| async move { sleep(d).await }` to its retry builder; that sleep
    between retries was said as the loop's pace (held-out read 92)."""
    assert f.flow is not None
    return f.flow.future_below(rid, task.id, spare_body=True)


def _in_inner_loop(f: ItemFacts, rid: int, task: Region) -> bool:
    """Whether ``rid`` sits in a loop nested inside another loop of ``task``."""
    assert f.flow is not None
    loops = [r for r in f.flow.chain(rid) if r.kind == "loop" and f.flow.inside(r.id, task.id)]
    return len(loops) > 1


def continued_past(f: ItemFacts, w: Wait) -> bool:
    """Whether a `continue` of the sleep's own loop comes before it: that round skips it,
    unless the `continue`'s own block sleeps first (etl's jemalloc task sleeps in its error
    arm too, so every round still sleeps)."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    return loop is not None and any(
        e.kind == "continue"
        and e.src.start < w.src.start
        and not e.expr
        and f.flow.loop_of(e.region) is loop
        and not any(
            v.role == "sleep" and v.region == e.region and v.src.start < e.src.start
            for v in f.waits
        )
        for e in f.exits
    )


def spawned_waits_and_logs(
    ctx: FileContext, f: ItemFacts, sp: Spawn, slots: dict[str, str], flags: set[str]
) -> None:
    """The first interval and sleep the spawned task waits on, and the levels it logs at."""
    assert f.flow is not None
    reg = f.flow.regions[sp.region]
    waits = [
        w
        for w in f.waits
        if f.flow.task_of(w.region).id == reg.id and not _in_nested_future(f, w.region, reg)
    ]
    looped = any(r.kind == "loop" and f.flow.task_of(r.id).id == reg.id for r in f.flow.regions)
    if len(task_loops(f, reg)) > 1:
        # Each of several loops keeps its own pace: none is "every round" of the task.
        waits = [w for w in waits if w.role not in ("sleep", "interval")]
    for w in waits:
        if w.role == "interval" and w.seconds is not None and "interval_dur" not in slots:
            slots["interval_dur"] = human_duration(w.seconds)
            flags.add("interval")
            tick_or(f, reg, waits, slots, flags)
        elif w.role == "interval" and w.seconds is None and "interval_arg" not in slots:
            interval_arg(f, reg, w, waits, slots, flags)
        elif w.role == "sleep" and looped and not in_task_loop(f, w.region, reg):
            # A sleep before the loop is a start-up delay, not a pace (warpgate's analytics
            # task sleeps 30 s once, then a day a round: "sleeps 30 seconds every round" was
            # false, held-out read 53).
            continue
        elif w.role == "sleep" and w.seconds is not None and "sleep_dur" not in slots:
            if raced_wait(f, w):
                continue  # a select's future (ockam's notifier, FALSE in held-out read 104 #15)
            if f.flow.conditions(w.region, stop=reg.id):
                # chirpstack's resubscribe loop sleeps only after a failed subscribe: "each
                # round it sleeps 1 second" was false (a held-out read).
                continue
            if _in_inner_loop(f, w.region, reg) or continued_past(f, w):
                # A sleep per element of an inner loop is not once a round (mCaptcha's survey
                # task sleeps 1 s per unit of its rate limit; session 45); nor is one an earlier
                # `continue` goes round without (krustlet's dir watcher: "each round it sleeps
                # 2 seconds" of a loop whose error path skips it, held-out read 96 #3).
                continue
            slots["sleep_dur"] = human_duration(w.seconds)
            flags.add("sleep")
            if not called_before(f, w, reg):
                flags.add("sleep-first")  # "sleeps 5 minutes, then runs" (svix's memory cache)
        elif w.role == "sleep" and w.seconds is None and "sleep_arg" not in slots:
            if f.flow.conditions(w.region, stop=reg.id) or _in_inner_loop(f, w.region, reg):
                # rathole's control channel sleeps `duration` only when its backoff gives one,
                # after a failed run: "on every round, waits out `duration`" was misleading
                # (held-out read 41).
                continue
            # A delay the caller passes in (omniqueue's scheduled send sleeps `delay` on the
            # spawned task: its think never said so, a held-out read).
            slots["sleep_arg"] = w.arg
            slots["sleep_mech"] = w.mechanism
            flags.add("sleep-arg")
    _timed(f, reg, waits, slots, flags)
    _other_waits(f, reg, slots, flags)
    logs = [lg for lg in f.logs if f.flow.task_of(lg.region).id == reg.id]
    if logs:
        slots["level"] = logs[0].level
        levels = list(dict.fromkeys(lg.level for lg in logs))
        # The levels failures are logged at, when some are: a `trace!` every run writes is no
        # failure (omniqueue's in-memory scheduled send: "logs what goes wrong itself (trace
        # and error)" was false, a held-out read).
        # A warning is a failure's only where the code is handling one: "deadline reached,
        # interrupting!" is a warn line of a task with no failure path at all (blind read 99
        # on corrosion's `interrupt_deadline_guard`: "logs its own failures at warn level").
        failing = list(
            dict.fromkeys(
                lg.level
                for lg in logs
                if lg.level == "error" or lg.level == "warn" and on_error_path(f, lg.region)
            )
        )
        slots["levels"] = " and ".join(failing or levels)
        # A task whose only failure line is a failed send, or that reports to a receiver the
        # fn keeps, has no failures of its own work it "logs itself" (read 103).
        if failing and not not_only_logged(ctx, f, sp, logs):
            flags.add("logs-failures")
