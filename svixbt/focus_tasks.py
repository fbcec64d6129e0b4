"""Focus builders for candidates: the background tasks themselves.

One builder per focus (the adaptive schedule, shutdown, error backoff, the startup check, batch
size, launch, logging, and tokio's spawn / interval / select / timeout / retry / join). Each returns
a ``Draft`` only when the evidence it needs is there.
"""

from __future__ import annotations

from .evidence import Evidence
from .facts import human_duration, human_int
from .narrate import (
    Draft,
    batch_const,
    const_by_name,
    const_phrase,
    error_arm,
    facts_by_name,
    is_db,
    launch_sentence,
    log_place,
    long_running,
    ok_arm_of,
    pause_calls,
    schedule_branch,
    shutdown_bits,
    sleep_var,
    value_consts,
    where_is,
)
from .phrasing import Ask, Phraser, cap_first, first_sentence, lower1, q


def focus_schedule(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    var = sleep_var(f)
    if var is None:
        return None
    branch = schedule_branch(f, var)
    if branch is None:
        return None
    cond, then, other = branch
    idle_side, busy_side = (then, other) if other.strip() == "None" else (other, then)
    if busy_side.strip() != "None":
        return None
    idle = value_consts(ev, f, idle_side)
    if not idle or not idle[0].is_duration:
        return None
    idle_c = idle[0]
    ok_arm = ok_arm_of(f)
    batch = batch_const(ev, f)
    init = dict(f.inits).get(var, "")
    pauses = pause_calls(ev, f)
    name = ev.name(idx)
    batch_txt = human_int(batch.value) if batch and batch.value is not None else ""
    criteria = [
        f"after a pass that comes back short, wait {idle_c.human} before the next one",
        "after a full batch, start the next pass right away so a backlog drains quickly",
    ]
    if batch_txt:
        criteria[0] = f"after a pass that handles fewer than {batch_txt} rows, wait {idle_c.human}"
    ask = Ask(
        title=ph.pick(
            "t-schedule",
            [
                f"{name}: adapt the polling interval to how much work the last pass found",
                f"Variable polling schedule for {name}",
                f"Stop {name} from sleeping while a backlog is waiting",
            ],
        ),
        ask=f"Drive the wait between passes of {where_is(ev, idx)} from the result of each pass.",
        criteria=criteria,
        symptom=(
            f"a fixed wait meant a big backlog drained one batch every {idle_c.human}"
            if batch_txt
            else f"a fixed {idle_c.human} wait let work pile up between passes"
        ),
        refactor=(f"replace a fixed sleep in {q(name)} with a schedule decided after each pass"),
    )
    think = [
        ph.pick(
            "sched-open",
            [
                f"The decision that matters in {q(name)} is how long to wait between passes, and "
                "the result of the pass already answers it.",
                f"{q(name)} should not poll on a fixed clock: each pass tells it whether there is "
                "more work waiting.",
            ],
        ),
        f"In the {q(ok_arm.pattern if ok_arm else 'Ok')} arm I set {q(var)} with "
        f"{q('if ' + cond)}: one side is {q(idle_side.strip())}, {idle_c.human}, and the other "
        f"is {q('None')}, which skips the wait so the next pass starts immediately.",
    ]
    if batch and batch.name in cond:
        passed = [c for c in f.calls if c.local_fn and batch.name in c.args]
        same = f", the same value {q(passed[0].written)} gets as its limit" if passed else ""
        think.append(
            f"The comparison is against {const_phrase(batch)}{same}, "
            'so a full batch is read as "there '
            'is probably more" and a short one as "caught up".'
        )
    if idle_c.comment:
        think.append(
            f"The comment on {q(idle_c.name)} says it plainly: "
            f"{lower1(idle_c.comment).rstrip('.')}."
        )
    if init:
        if init.strip() == "None":
            think.append(
                f"{q(var)} starts as {q('None')}, so the first pass runs as soon as the task "
                "starts."
            )
        else:
            think.append(f"{q(var)} starts as {q(init)}, so even the first pass waits for it.")
    if pauses:
        mech, helper = pauses[0]
        if helper is None:
            think.append(
                f"The wait itself is {q(mech)}, an async timer, so the task yields its thread "
                "to the runtime while it naps instead of blocking it."
            )
        else:
            think.append(
                f"The wait goes through {q(mech)}, which wraps {q(helper.sleeps[0].written)}, so "
                "the task yields to the runtime while it naps."
            )
    return Draft(ask, think)


def focus_shutdown(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    bits = shutdown_bits(ev, f)
    stop = next((b for b in f.select_branches if b.action == "break"), None)
    if (
        "loop" not in bits
        and "sleep_wrapper" not in bits
        and stop is None
        and not (pause_calls(ev, f) and "cancelled" in ev.fs.text)
    ):
        return None
    name = ev.name(idx)
    pauses = pause_calls(ev, f)
    think: list[str] = []
    criteria: list[str] = []
    if "loop" in bits:
        think.append(
            ph.pick(
                "shut-loop",
                [
                    f"{q(bits['loop'])} re-checks the process-wide shutdown flag before every "
                    "pass, so "
                    "once shutdown starts no new pass begins.",
                    f"The loop header is {q(bits['loop'])}: shutdown is checked before each pass "
                    "rather "
                    "than only once at startup.",
                ],
            )
        )
        criteria.append("check the shutdown flag before starting each pass")
    if "sleep_wrapper" in bits:
        wrapper = bits["sleep_wrapper"]
        tok = bits.get("token_fn", "")
        tok_type = bits.get("token_type", "")
        src = f"{q(tok)} (a {q(tok_type)})" if tok and tok_type else "the shutdown token"
        sent = (
            f"Checking the flag alone is not enough, because the loop may be in the middle of a "
            f"long nap; so the sleep is passed to {q(wrapper)} on {src}, which races it against "
            "cancellation."
        )
        think.append(sent)
        if "is_none" in bits and "return" in bits:
            think.append(
                f"When {q(wrapper)} yields {q('None')} the token fired before the timer, and the "
                f"loop does {q(bits['return'])} at once instead of sleeping out the rest of the "
                "wait."
            )
        criteria.append("wake from the idle wait as soon as shutdown is signalled")
    elif pauses and pauses[0][1] is not None and "cancelled" in ev.facts[pauses[0][1].index].idents:
        helper = pauses[0][1]
        think.append(
            f"The wait goes through {q(helper.name)}, whose {q('tokio::select!')} races "
            f"{q(helper.sleeps[0].written)} against {q('cancelled()')}, so a long nap ends the "
            "moment shutdown is signalled."
        )
        if "is_cancelled" in bits and "break" in bits:
            think.append(
                f"Right after the nap {q('is_cancelled()')} tells an early wake-up from a finished "
                f"timer, and the loop {q('break')}s instead of starting another pass."
            )
        criteria.append("wake from the idle wait as soon as shutdown is signalled")
    if stop is not None:
        think.append(
            ph.pick(
                "shut-select",
                [
                    f"The stop signal is a {q('tokio::select!')} branch: {q(stop.future)} sits "
                    "next to "
                    f"the timer, and when it completes the handler {q('break')}s out of the loop, "
                    "so the "
                    "task ends between passes rather than in the middle of one.",
                    f"I put {q(stop.future)} in the same {q('tokio::select!')} as the timer; its "
                    "handler "
                    f"is a {q('break')}, which means a stop request is honoured at the next wait, "
                    "never "
                    "halfway through a pass.",
                ],
                salt=name,
            )
        )
        criteria.append("leave the loop as soon as the stop signal fires")
    local = [c for c in f.calls if c.local_fn and c.awaited and not c.propagates]
    if local and ("sleep_wrapper" in bits or "loop" in bits):
        think.append(
            f"Only the wait is cancellable: the {q(local[-1].written)} call is awaited directly, "
            "so a pass already in flight finishes its statement rather than being cut off "
            "halfway."
        )
    if f.tail and f.loops:
        think.append(
            f"After the loop the function returns {q(f.tail)}, so a clean shutdown reads as "
            "success to whoever awaits the task."
        )
    if not think:
        return None
    ask = Ask(
        title=ph.pick(
            "t-shutdown",
            [
                f"{name} keeps the process alive during shutdown",
                f"Make {name} shutdown-aware, including while it sleeps",
                f"Graceful shutdown for {name}",
            ],
        ),
        ask=ph.pick(
            "a-shutdown",
            [
                f"Make {where_is(ev, idx)} stop promptly when the server shuts down.",
                f"{where_is(ev, idx)[:1].upper()}{where_is(ev, idx)[1:]} has to exit quickly once "
                "we "
                "signal shutdown, even mid-wait.",
                f"Shutdown should not have to wait on {where_is(ev, idx)}.",
            ],
            salt=name,
        ),
        criteria=criteria + ["return normally on shutdown, not as an error"],
        symptom="a deploy waited on the task, which was asleep and only noticed shutdown after "
        "its nap",
        refactor=f"thread the server's shutdown signal through {q(name)}, including its sleeps",
    )
    return Draft(ask, think)


def focus_errors(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    arm = error_arm(f)
    if arm is None or not long_running(f) or arm.returns:
        return None
    name = ev.name(idx)
    if arm.scrutinee:
        trouble = f"a failed {q(arm.scrutinee)} call"
    else:
        trouble = "a transient database error" if is_db(ev, idx) else "a transient failure"
    delay = None
    for var, value in arm.sets:
        consts = value_consts(ev, f, value)
        if consts and consts[0].is_duration:
            delay = (var, value, consts[0])
    logs = arm.logs
    think = [
        ph.pick(
            "err-open",
            [
                f"A failed pass must not end {q(name)}: the task is meant to keep running until "
                f"shutdown, and {trouble} is exactly what it will meet.",
                f"{q(name)} keeps running until shutdown, so one failed pass has to be survivable.",
            ],
        )
    ]
    log_txt = ""
    if logs:
        lg = logs[0]
        log_txt = f"{q(lg.macro + '!')}"
        think.append(
            f"The {q(arm.pattern)} arm logs the error with {log_txt} and does not return, so the "
            "error never leaves the loop."
        )
    if delay:
        var, value, c = delay
        what = "a database" if is_db(ev, idx) else "a dependency"
        think.append(
            f"It then sets {q(var)} to {q(value)}, so the next attempt waits {c.human} — long "
            f"enough not to hammer {what} that is struggling, short enough to recover quickly "
            "once it is back."
        )
    loop_start = f.loops[0].line if f.loops else 0
    loop_end = f.loops[0].end_line if f.loops else 0
    inside = [ln for ln in f.question_lines if loop_start <= ln <= loop_end]
    before = [ln for ln in f.question_lines if ln < loop_start]
    prop = [c for c in f.calls if c.propagates and c.local_fn and c.line < loop_start]
    if before and not inside:
        on = f" (one on {q(prop[0].written)})" if prop else ""
        think.append(
            f"Every {q('?')} in the function sits before the loop{on}, so the task can fail "
            "at startup but not once it is running."
        )
    ask = Ask(
        title=ph.pick(
            "t-errors",
            [
                f"{name} dies on the first database error",
                f"Retry failed passes in {name} instead of exiting",
                f"Error handling for {name}",
            ],
        ),
        ask=ph.pick(
            "a-errors",
            [
                f"Keep {where_is(ev, idx)} running when a pass fails.",
                f"A single failed pass should never stop {where_is(ev, idx)}.",
                f"Make failures in {where_is(ev, idx)} recoverable: log, wait, try again.",
            ],
            salt=name,
        ),
        criteria=[
            "log the failure with tracing and keep the loop alive"
            if logs
            else "keep the loop alive after a failure",
        ]
        + ([f"retry after {delay[2].human}, not immediately"] if delay else []),
        symptom=("a short database outage" if is_db(ev, idx) else "a short upstream outage")
        + " made a pass fail and the task exited; it stayed down until the next restart",
        refactor=f"move error handling in {q(name)} into the loop so one bad pass is contained",
    )
    return Draft(ask, think)


def focus_startup(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    name = ev.name(idx)
    pre = [c for c in f.calls if c.local_fn and c.propagates]
    if not pre:
        return None
    check = pre[0]
    helper = facts_by_name(ev, check.written)
    if helper is None or "bool" not in helper.returns:
        return None
    var = next((v for v, val in f.inits if check.written in val), None)
    infos = [lg for lg in f.logs if lg.level == "info"]
    think = [
        f"Before the loop starts, {q(name)} asks {q(check.written)} once"
        + (f" and keeps the answer in {q(var)}." if var else "."),
    ]
    if helper.doc_summary:
        think.append(
            f"That helper's doc says what it is for: {lower1(helper.doc_summary).rstrip('.')}."
        )
    if "Background" in helper.doc or len(helper.doc.split("\n\n")) > 1:
        extra = [p for p in helper.doc.split("\n\n")[1:] if not p.startswith("#")]
        if extra:
            think.append(
                "Its longer doc gives the reason: " + extra[-1].replace("\n", " ").rstrip(".") + "."
            )
    if var:
        users = [c for c in f.calls if var in c.args]
        if users:
            think.append(
                f"{q(var)} is passed on to every {q(users[0].written)} call, so the expensive "
                "legacy work is skipped for the life of the task when the check says there is "
                "nothing there."
                if helper.sql
                else f"{q(var)} is passed on to every {q(users[0].written)} call."
            )
    if infos:
        think.append(
            f"When the check comes back false it logs {q(infos[0].macro + '!')} with "
            f'"{infos[0].message}" so an operator can see why that part is idle.'
        )
    if check.propagates:
        think.append(
            f"The check uses {q('?')}: if it fails, {q(name)} returns the error before the loop "
            "begins rather than guessing."
        )
    ask = Ask(
        title=ph.pick(
            "t-startup",
            [
                f"{name}: check once at startup whether the legacy work is still needed",
                f"Skip unneeded work in {name} after a one-time startup probe",
            ],
        ),
        ask=f"At the start of {where_is(ev, idx)}, call {q(check.written)} once and use the answer "
        "for the rest of the task.",
        criteria=[
            f"call {q(check.written)} before the loop, not on every pass",
            "log at info level when the check says the work can be skipped",
            "fail the task start if the check itself errors",
        ],
        symptom="the cleaner kept running a statement on a table with nothing left to clean, on "
        "every pass",
        refactor=f"hoist the {q(check.written)} probe out of the loop in {q(name)}",
    )
    return Draft(ask, think)


def focus_batch(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    batch = batch_const(ev, f)
    if batch is None:
        return None
    users = [c for c in f.calls if batch.name in c.args and c.local_fn]
    if not users:
        return None
    call = users[0]
    helper = facts_by_name(ev, call.written)
    pos = call.args.index(batch.name)
    param = helper.params[pos][0] if helper and pos < len(helper.params) else ""
    name = ev.name(idx)
    think = [
        f"Each pass is bounded: {q(name)} passes {const_phrase(batch)} to {q(call.written)}"
        + (f" as its {q(param)} argument." if param else "."),
    ]
    if helper is not None:
        limited = [s for s in helper.sql if s.limit]
        if limited:
            verbs = " and ".join(f"the {s.verb} on {q(s.tables[0])}" for s in limited if s.tables)
            cap = "each cap their" if len(limited) > 1 else "caps its"
            think.append(
                f"Inside, {verbs} {cap} work with {q('LIMIT $1')}, so one pass touches "
                f"at most {human_int(batch.value or 0)} rows per statement and no single "
                "statement holds locks for long."
            )
        if any(s.skip_locked for s in helper.sql):
            think.append(
                f"{q('FOR UPDATE SKIP LOCKED')} lets a pass skip rows another connection already "
                "holds, so two server instances can run the cleaner at once without waiting on "
                "each other."
            )
    cmp = [x for x in f.comparisons if batch.name in x]
    if cmp:
        think.append(
            f"The same constant comes back in {q(cmp[0])}: the batch size is also the signal "
            "for whether to keep going."
        )
    ask = Ask(
        title=ph.pick(
            "t-batch",
            [
                f"Bound each {name} pass to {human_int(batch.value or 0)} rows",
                f"Batch size for {name}",
            ],
        ),
        ask=f"Have {where_is(ev, idx)} work in batches of {human_int(batch.value or 0)} rows, "
        f"passed down to {q(call.written)}.",
        criteria=[
            f"a named batch-size constant of {human_int(batch.value or 0)}",
            "each statement limited to one batch",
            "rows locked by another instance are skipped, not waited on",
        ],
        symptom="one unbounded statement ran for minutes and held row locks the API needed",
        refactor=f"make the batch size an explicit constant in {q(name)} and pass it down",
    )
    return Draft(ask, think)


def focus_observability(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    levels = {lg.level for lg in f.logs}
    if len(levels) < 2 or not f.loops:
        return None
    name = ev.name(idx)
    think = [
        ph.pick(
            "obs-open",
            [
                f"A task nobody watches needs its logs to say what it is doing, so each event in "
                f"{q(name)} has its own level and its own moment.",
                f"I want {q(name)} to be debuggable from logs alone, without a metric for every "
                "branch.",
            ],
        )
    ]
    criteria: list[str] = []
    for lg in f.logs:
        place = log_place(f, lg)
        msg = f' "{lg.message}"' if lg.message and lg.message != "{}" else ""
        fields = f", with {', '.join(q(x) for x in lg.fields)}" if lg.fields else ""
        think.append(f"{q(lg.macro + '!')}{msg} fires {place or 'in the task'}{fields}.")
        criteria.append(f"{lg.level}-level event {place}".rstrip())
    if f.timing and any("elapsed" in lg.fields for lg in f.logs):
        think.append(
            f"The duration comes from {q(f.timing[0] + '()')} taken before the pass, so a slow "
            "pass shows up in the logs without a separate metric."
        )
    guard = [x for x in f.comparisons if "> 0" in x]
    if guard and any(lg.level == "debug" for lg in f.logs):
        think.append(f"The per-pass line is guarded by {q(guard[0])}, so idle passes add no noise.")
    ask = Ask(
        title=ph.pick(
            "t-obs",
            [
                f"Logging for {name}",
                f"We can't tell what {name} is doing from the logs",
            ],
        ),
        ask=ph.pick(
            "a-obs",
            [
                f"Add tracing to {where_is(ev, idx)} so its passes, failures and stops are "
                "visible.",
                f"Make {where_is(ev, idx)} observable from the logs alone.",
                f"Instrument {where_is(ev, idx)} with tracing events at the right levels.",
            ],
            salt=name,
        ),
        criteria=criteria,
        symptom="nobody could say whether the task was running, idle or failing",
        refactor=f"give {q(name)} structured tracing events instead of ad hoc prints",
    )
    return Draft(ask, think)


def focus_launch(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    # The framing below ("a plain async fn that starts no task") must be true of the item.
    if idx not in ev.sites or not f.is_async or f.spawns:
        return None
    site = ev.sites[idx][0]
    name = ev.name(idx)
    launch = launch_sentence(ev, idx, ph, "launch-focus")
    returns = q(f.returns or "()")
    think = [
        ph.pick(
            "launch-open",
            [
                f"{q(name)} is written as a plain {q('async fn')} returning {returns}: it does "
                "not start a task itself, and the caller decides how it runs.",
                f"I leave scheduling to the caller: {q(name)} is an {q('async fn')} that spawns "
                f"nothing and hands back {returns} when it finishes.",
            ],
            salt=name,
        ),
    ]
    if f.doc_summary:
        think.append(f"What it runs: {lower1(first_sentence(f.doc_summary)).rstrip('.')}.")
    if launch:
        think.append(launch)
    if f.loops and any("join" in w or "select" in w for w in site.wrappers):
        think.append(
            f"That makes the {q(f.loops[0].keyword)} loop's {q('.await')} points important: every "
            "wait hands control back, which is what lets the other branches progress."
        )
    if site.statement and site.statement.count("(") == site.statement.count(")"):
        think.append(f"The call itself is {q(site.statement)}.")
    ask = Ask(
        title=ph.pick(
            "t-launch",
            [
                f"Run {name} alongside the server",
                f"Wire {name} into server startup",
            ],
        ),
        ask=f"Write {where_is(ev, idx)} as an async fn the server can await next to its other "
        f"long-running parts (it is awaited from {q(site.caller or site.file)}).",
        criteria=[
            "no task spawning inside the fn: the caller chooses how to run it",
            f"return {q(f.returns)} so the caller can report a failure"
            if f.returns
            else "return when done",
        ],
        symptom="the task was started in a way that hid its failures from the server",
        refactor=f"make {q(name)} a plain async fn awaited by {q(site.caller or site.file)}",
    )
    return Draft(ask, think, launched=launch is not None)


def focus_spawn(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.spawn_facts:
        return None
    sp = f.spawn_facts[0]
    name = ev.name(idx)
    runs = f" running {q(sp.runs)}" if sp.runs else ""
    if sp.repeated:
        opener = (
            f"{q(name)} hands each unit of work to {q(sp.written)}{runs}, so each one is its own "
            "tokio task that the runtime schedules independently of the caller."
        )
    else:
        opener = (
            f"{q(name)} moves the work onto its own task with {q(sp.written)}{runs}, so the "
            "caller returns at once and the runtime drives the task from then on."
        )
    think = [opener]
    if "async move" in sp.arg:
        think.append(
            f"The future is an {q('async move')} block, so it owns what it captures; the "
            + (
                "clones made just before it are what each task gets."
                if sp.repeated
                else "values cloned for it are what the task gets."
            )
            if "clone" in f.idents
            else f"The future is an {q('async move')} block, so it owns what it captures."
        )
    if sp.detached:
        think.append(
            f"The handle {q(sp.written)} returns is dropped on the spot, which detaches the task: "
            "nothing awaits it, so it has to deal with its own errors."
        )
    elif "JoinHandle" in ev.fs.text:
        think.append(
            "The handles are kept rather than dropped, so shutdown can wait for every task and "
            "notice one that panicked."
        )
    channel = next((x for x in ("watch", "broadcast", "CancellationToken") if x in f.idents), "")
    if channel:
        think.append(f"Every task gets its own handle on the {q(channel)} stop signal.")
    ask = Ask(
        title=ph.pick(
            "t-spawn",
            [
                f"{name}: one tokio task per worker",
                f"Start the workers as tasks in {name}",
            ],
        ),
        ask=ph.pick(
            "a-spawn",
            [
                f"Implement {where_is(ev, idx)} so the work runs as its own tokio task"
                + (f" executing {q(sp.runs)}." if sp.runs else "."),
                f"{cap_first(where_is(ev, idx))} should hand its work to the runtime instead of "
                "running it inline.",
                f"Have {where_is(ev, idx)} spawn the work"
                + (f" ({q(sp.runs)})" if sp.runs else "")
                + " rather than await it in place.",
            ],
            salt=name,
        ),
        criteria=[
            "one task per unit of work" if sp.repeated else "the work runs on a spawned task",
            "the task is detached and handles its own errors"
            if sp.detached
            else "the task handles are kept",
        ]
        + (["workers listen to a shared stop signal"] if channel else []),
        symptom="one slow worker held up all the others because they shared a single future",
        refactor=f"move the worker loop of {q(name)} onto spawned tasks",
    )
    return Draft(ask, think)


def focus_interval(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.intervals:
        return None
    iv = f.intervals[0]
    name = ev.name(idx)
    val = human_duration(iv.seconds) if iv.seconds else ""
    const = const_by_name(ev, f, iv.arg)
    every = f"{const_phrase(const)}" if const else q(iv.arg)
    think = [
        ph.pick(
            "iv-open",
            [
                f"{q(name)} runs on a fixed cadence: {q(iv.written)} with {every}"
                + (f", so a tick every {val}." if val and not const else "."),
                f"The schedule is {q(f'{iv.written}({iv.arg})')}"
                + (f", one tick every {val}" if val else "")
                + ", not a sleep after each pass.",
            ],
        ),
        "With an interval the period is measured from tick to tick, so a slow pass does not "
        "push every later pass back the way a sleep after the work would.",
    ]
    if f.missed_tick:
        kind = f.missed_tick.split("::")[-1]
        meaning = {
            "Delay": "the next tick is pushed back to a full period after the late one, so an "
            "overrun never causes a burst of catch-up passes",
            "Skip": "ticks missed during a long pass are dropped and the schedule realigns to "
            "the original grid",
            "Burst": "missed ticks fire back to back to catch up",
        }.get(kind, "")
        if meaning:
            think.append(f"{q(f.missed_tick)} decides what happens after an overrun: {meaning}.")
    tick = next((b for b in f.select_branches if "tick" in b.future), None)
    if tick:
        think.append(
            f"The tick is one branch of a {q('tokio::select!')}, so waiting for it never blocks "
            "the stop signal."
        )
    ask = Ask(
        title=ph.pick(
            "t-interval",
            [
                f"Fixed cadence for {name}" + (f" ({val})" if val else ""),
                f"{name} drifts because it sleeps after each pass",
            ],
        ),
        ask=ph.pick(
            "a-interval",
            [
                f"Run {where_is(ev, idx)} on a tokio interval" + (f" of {val}." if val else "."),
                f"Schedule {where_is(ev, idx)} with a ticking interval"
                + (f" ({val})" if val else "")
                + " rather than sleeps.",
                f"We want {where_is(ev, idx)} to keep a steady cadence"
                + (f" of one pass per {val}." if val else "."),
            ],
            salt=name,
        ),
        criteria=[f"one pass per tick{' every ' + val if val else ''}"]
        + ([f"use {q(f.missed_tick)} after an overrun"] if f.missed_tick else []),
        symptom="passes drifted later and later because each one slept after doing its work",
        refactor=f"replace the sleep in {q(name)} with an interval",
    )
    return Draft(ask, think)


def focus_select(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if len(f.select_branches) < 2:
        return None
    name = ev.name(idx)
    parts = []
    for b in f.select_branches:
        doing = {
            "nothing": "falls through to the work after the select",
            "break": f"{q('break')}s out of the loop",
            "return": "returns",
            "work": "runs the pass",
        }[b.action]
        parts.append(f"{q(b.future)} {doing}" if b.future else f"the else branch {doing}")
    if all(b.action == "nothing" for b in f.select_branches):
        joined = " and ".join(q(b.future) for b in f.select_branches if b.future)
        opening = (
            f"{q(name)} races {joined} in one {q('tokio::select!')} whose handlers are empty: the "
            "select is only there to end the wait at whichever comes first."
        )
    else:
        opening = (
            f"{q(name)} waits on {len(f.select_branches)} futures at once with "
            f"{q('tokio::select!')}: " + "; ".join(parts) + "."
        )
    all_empty = all(b.action == "nothing" for b in f.select_branches)
    think = [
        opening,
        "Whichever completes first wins and the other is dropped, so the caller gets control "
        "back as soon as either the time is up or cancellation is requested."
        if all_empty
        else "Whichever completes first wins and the other is dropped, which is what makes "
        "shutdown prompt even while the task is idle between ticks.",
    ]
    stop = next((b for b in f.select_branches if b.action == "break"), None)
    if stop and "is_err" in stop.handler:
        think.append(
            f"The stop branch also breaks when {q('changed.is_err()')}, i.e. when the sender is "
            "gone, so a dropped pool cannot leave a worker running forever."
        )
    if all_empty:
        callers = [ev.name(c) for c in ev.callers.get(idx, [])]
        for_whom = f" for {q(callers[0])}" if callers else ""
        return Draft(
            Ask(
                title=ph.pick(
                    "t-select-wait",
                    [
                        f"Cancellable wait helper: {name}",
                        f"{name}: a sleep that shutdown can interrupt",
                    ],
                ),
                ask=f"Write {where_is(ev, idx)}{for_whom}: wait for the given duration unless "
                "cancellation comes first.",
                criteria=[
                    "return when the timer fires",
                    "return as soon as cancellation is requested, without waiting out the timer",
                ],
                symptom="shutdown waited for the whole idle period because the sleep could not "
                "be interrupted",
                refactor=f"move the interruptible sleep into {q(name)}",
            ),
            think,
        )
    ask = Ask(
        title=ph.pick(
            "t-select",
            [
                f"{name} should react to shutdown between ticks",
                f"Race the schedule against shutdown in {name}",
            ],
        ),
        ask=ph.pick(
            "a-select",
            [
                f"In {where_is(ev, idx)}, wait for the next tick and the stop signal together.",
                f"Let {where_is(ev, idx)} notice the stop signal while it waits for work.",
                f"{where_is(ev, idx)[:1].upper()}{where_is(ev, idx)[1:]} should race its timer "
                "against "
                "the stop signal.",
            ],
            salt=name,
        ),
        criteria=[
            "the stop signal ends the loop even while waiting for the next tick",
            "the scheduled work runs when the tick fires",
        ],
        symptom="stopping the service took up to a whole period because the task was waiting "
        "on its timer",
        refactor=f"fold the tick and the shutdown check of {q(name)} into one select",
    )
    return Draft(ask, think)


def focus_timeout(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.timeouts:
        return None
    t = f.timeouts[0]
    name = ev.name(idx)
    const = const_by_name(ev, f, t.arg)
    limit = const_phrase(const) if const else q(t.arg)
    think = [
        f"{q(name)} never waits on the network without a bound: the request goes through "
        f"{q(t.written)} with {limit}.",
    ]
    err_arm = next((a for a in f.arms if a.pattern.startswith("Err(_)")), None)
    if err_arm:
        think.append(
            f"The {q(err_arm.pattern)} arm is the elapsed deadline, and it becomes an ordinary "
            "error for the caller, so a hung peer looks like any other failure to the retry logic."
        )
    if f.joins:
        think.append(
            f"The bounded request and the other check run side by side in {q('tokio::join!')}, so "
            "the total wait is the slower of the two, not the sum."
        )
    ask = Ask(
        title=ph.pick(
            "t-timeout",
            [
                f"{name} hangs when the upstream never answers",
                f"Deadline for the request in {name}",
            ],
            salt=name,
        ),
        ask=f"Bound the outbound call in {where_is(ev, idx)} with a timeout"
        + (f" of {const.human}." if const and const.value else "."),
        criteria=["an elapsed deadline is reported as an error"]
        + (["the timeout is a named constant"] if const else []),
        symptom="a worker sat on one request to an upstream that had stopped answering",
        refactor=f"wrap the request in {q(name)} in a tokio timeout",
    )
    return Draft(ask, think)


def focus_retry(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if "retry-backoff" not in f.tags or not f.loops or not f.sleeps:
        return None
    name = ev.name(idx)
    sl = f.sleeps[0]
    think = [
        f"{q(name)} retries inside a {q(f.loops[0].keyword)} and sleeps with "
        f"{q(f'{sl.written}({sl.arg})')} between attempts, so a retry never blocks the runtime "
        "thread.",
    ]
    helper_name = sl.arg.split("(")[0] if "(" in sl.arg else ""
    helper = facts_by_name(ev, helper_name) if helper_name else None
    if helper is not None:
        if helper.doc_summary:
            think.append(
                f"{q(helper.name)} sets the delay: {lower1(helper.doc_summary).rstrip('.')}."
            )
        caps = [c for c in helper.consts if c.is_duration]
        if caps:
            think.append(
                f"The cap is {const_phrase(caps[0])}, so a long outage does not grow the wait "
                "without bound."
            )
    limits = [c for c in f.consts if not c.is_duration and c.value is not None]
    if limits:
        think.append(
            f"It gives up after {const_phrase(limits[0])} attempts and returns the last error, so "
            "the "
            "caller decides what a permanent failure means."
        )
    warn = [lg for arm in f.arms for lg in arm.logs]
    if warn:
        think.append(
            f"Each failed attempt is logged with {q(warn[0].macro + '!')}"
            + (f" including {', '.join(q(x) for x in warn[0].fields)}" if warn[0].fields else "")
            + "."
        )
    ask = Ask(
        title=ph.pick(
            "t-retry",
            [
                f"Exponential backoff for {name}",
                f"{name} retries in a tight loop",
            ],
        ),
        ask=f"Give {where_is(ev, idx)} retries with a growing, capped delay.",
        criteria=[
            "wait between attempts with an async sleep",
            "stop after a fixed number of attempts",
        ]
        + (["log every failed attempt"] if warn else []),
        symptom="retries fired back to back and hammered an upstream that was already down",
        refactor=f"pull the retry policy of {q(name)} into a backoff helper",
    )
    return Draft(ask, think)


def focus_join(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.joins:
        return None
    name = ev.name(idx)
    think = [
        f"The two checks in {q(name)} don't depend on each other, so {q('tokio::join!')} runs "
        "them concurrently and waits for both: the total time is the slower one, not the sum.",
        f"{q('tokio::join!')} polls both futures on the current task, so nothing is spawned for a "
        "one-off check.",
    ]
    if f.timeouts:
        think.append(f"One side is bounded by {q(f.timeouts[0].written)}, so the join cannot hang.")
    ask = Ask(
        title=ph.pick("t-join", [f"Run the checks in {name} concurrently", f"{name} is slow"]),
        ask=f"Make {where_is(ev, idx)} run its independent checks at the same time.",
        criteria=["both checks run concurrently", "the result needs both to pass"],
        symptom="the startup checks ran one after the other and doubled the startup time",
        refactor=f"join the checks in {q(name)} instead of awaiting them in turn",
    )
    return Draft(ask, think)


def focus_fallback(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    """For a candidate no specific focus covers: what it is for and what it really uses."""
    f = ev.facts[idx]
    name = ev.name(idx)
    think: list[str] = []
    if f.doc_summary:
        think.append(f"{q(name)} has one job: {lower1(f.doc_summary).rstrip('.')}.")
    elif f.signature:
        think.append(f"{q(name)} is {q(f.signature)}.")
    tags = set(f.tags)
    if f.shutdown:
        think.append(
            f"It takes part in shutdown through {q(f.shutdown[0])}, so it has to leave the "
            "runtime in a state where the rest of the server can stop."
        )
    elif "shutdown" in tags and "JoinHandle" in ev.fs.text and "await" in f.idents:
        think.append(
            "On shutdown it waits for the tasks it owns instead of abandoning them, so nothing "
            "is cut off mid-operation."
        )
    for lp in f.loops[:1]:
        cond = f" {lp.condition}" if lp.condition else ""
        think.append(
            f"Its {q(lp.keyword + cond)} awaits inside, so every iteration gives the runtime a "
            "chance to run other tasks."
        )
    for sl in f.sleeps[:1]:
        think.append(f"It waits with {q(f'{sl.written}({sl.arg})')}, an async timer.")
    arm = error_arm(f)
    if arm and arm.logs:
        think.append(
            f"Failures in the {q(arm.pattern)} arm are logged with {q(arm.logs[0].macro + '!')} "
            "rather than propagated."
        )
    elif f.logs and any(lg.level == "error" for lg in f.logs):
        lg = next(lg for lg in f.logs if lg.level == "error")
        think.append(f"Errors it cannot hand back are logged with {q(lg.macro + '!')}.")
    if len(think) < 2:  # the signature or doc alone says nothing about background work
        return None
    launch = launch_sentence(ev, idx, ph, f"fallback-{idx}")
    if launch:
        think.append(launch)
    ask = Ask(
        title=ph.pick(
            "t-fallback",
            [
                f"Implement {name}",
                f"{name} for the background workers",
            ],
            salt=name,
        ),
        ask=f"Write {where_is(ev, idx)}"
        + (f": {lower1(f.doc_summary).rstrip('.')}." if f.doc_summary else "."),
        criteria=[
            c
            for c in (
                "cooperate with shutdown" if "shutdown" in tags else "",
                "log failures instead of dropping them" if f.logs else "",
                "never block the runtime while waiting" if f.sleeps or f.loops else "",
            )
            if c
        ]
        or ["keep it async and non-blocking"],
        symptom=f"the background workers had no {q(name)} and did this ad hoc",
        refactor=f"give {q(name)} a single clear responsibility",
    )
    return Draft(ask, think, launched=launch is not None)
