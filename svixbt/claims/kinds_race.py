"""The claim kinds about tasks spawned and futures raced or joined in one task, a part of the
``kinds`` table kept apart to keep each module small: what a task is handed, what a `select!` or
a join polls, what each branch does once it wins or finishes, the condition it runs under, and
which branch ends a loop."""

from __future__ import annotations

__all__ = ["RACE_KINDS"]

RACE_KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "spawn": (
        "a task the item spawns",
        ("mech", "handle"),
        (
            "handle_field",
            "dropped_by",
            "exits_said",
            "join_exits",
            "wrap_call",
            "by",
            "runs",
            "repeated",
            "interval_dur",
            "interval_arg",
            "raced_with",
            "raced_if",
            "abort_call",
            "raced_if_cond",
            "count",
            "also_wait",
            "sleep_dur",
            "level",
            "args",
            "levels",
            "work",
            "handle_var",
            "stored_in",
            "guard",
            "rerun",
            "over",
            "upto",
            "round_msg",
            "round_level",
            "round_guard",
            "sleep_arg",
            "sleep_mech",
            "timeout_arg",
            "timeout_mech",
            "branch",
            "arm",
            "arm_of",
            "match_on",
            "steps",
            "then",
            "signames",
            "on_signal",
            "gate_cfg",
            "exit_words",
            "drop_owner",
            "cancel_call",
        ),
    ),
    "spawn_wrapper": (
        "a crate fn the item spawns through, which hands the future it is given to a tokio spawn",
        ("wrapper", "wrapper_file", "wraps"),
        (),
    ),
    "fanout_per_pass": (
        "tasks spawned and awaited within one pass of an outer loop: one pass's tasks at a time",
        ("outer", "handle_var", "mech"),
        (),
    ),
    "handed_off": (
        "the pass loop sits in an async block the fn hands, unawaited, to another call",
        ("call",),
        (),
    ),
    "return_prelude": (
        "what a match arm awaits right before it returns",
        ("expr", "arm", "calls"),
        (),
    ),
    "exit_tally": (
        "every way out of a pass loop counted, with the branches the deeper ones sit under",
        ("tally", "count", "places"),
        ("head_end",),
    ),
    "spawn_nesting": (
        "a spawn per iteration of a `for` nested in another `for`: one task per pair",
        ("repeated", "outer", "mech"),
        (),
    ),
    "task_panic": (
        "a spawned task's loop unwraps a fallible call: one failure panics and ends the task",
        ("call", "expr", "mech"),
        (),
    ),
    "restarts": (
        "a loop awaits a spawned task's handle and, on a failure, goes round to spawn it again",
        ("var", "mech", "call", "expr"),
        ("arg", "dur", "level", "every", "wait"),
    ),
    "woken_work": (
        "a pass loop's select whose branches only log or do nothing: the round's work is the same "
        "whichever future won",
        ("select", "futures", "calls"),
        ("mech", "arg", "dur"),
    ),
    "select_exit": (
        "a select branch that leaves the loop",
        ("future", "action", "select"),
        ("arm", "stop", "pattern"),
    ),
    "shutdown_branch": (
        "a select branch that stops the loop",
        ("future", "action", "select"),
        ("guard", "pattern", "drain", "others", "outer_wait", "precondition"),
    ),
    "handler_awaits": (
        "a looping select whose other branch handlers await: a stop waits while one runs",
        ("select", "calls", "future"),
        ("check",),
    ),
    "select": (
        "futures raced in a select",
        ("count", "futures", "select"),
        ("then", "signames", "raced_handle", "cfg", "guard"),
    ),
    "gated_join": (
        "a task joined before the fn returns whose first step waits for a trigger",
        ("handle_var", "trigger", "mech"),
        ("before",),
    ),
    "loop_break": (
        "a break of the main loop under a condition or in one arm",
        (),
        ("guard", "arm", "future", "select", "loop_head"),
    ),
    "closed_spin": (
        "a looping select branch on `recv()` whose handler lets `None` through without leaving",
        ("future", "recv"),
        (),
    ),
    "after_loop": (
        "calls the fn awaits on every path after its pass loop is left",
        ("calls",),
        ("skips",),
    ),
    "watchdog": (
        "a kept task that sleeps and then acts, aborted through its handle after awaited work",
        ("mech", "handle_var", "abort_call", "call", "dur"),
        ("const", "macro", "then"),
    ),
    "restart_spin": (
        "a loop that reruns its one awaited call after a warn or error line with nothing pacing it",
        ("call", "level"),
        ("message",),
    ),
    "dead_stop": (
        "a select branch on a CancellationToken the fn makes and nothing cancels: it never wins",
        ("future", "token"),
        (),
    ),
    "stub_call": (
        "an error branch around a call of a crate fn whose whole body is unimplemented or todo",
        ("call", "stub", "pattern"),
        (),
    ),
    "slow_beat": (
        "work a pass loop does only on rounds where a timer it resets has run past a limit",
        ("cond", "timer", "limit", "calls", "cmp_words"),
        ("unit", "guard"),
    ),
    "sync_spawn": (
        "a plain fn that calls a tokio spawn itself: it cannot await the task, and the spawn"
        " needs a runtime around its caller",
        ("mech",),
        ("count", "current_call"),
    ),
    "task_end": (
        "a way out of the loop of a task the fn spawns, with the one condition it sits under",
        ("mech",),
        (
            "cond",
            "pattern",
            "expr",
            "call",
            "strong",
            "sender",
            "receiver",
            "drop_owner",
            "after_call",
            "future",
            "select",
            "macro",
            "message",
        ),
    ),
    "setup_end": (
        "ways out of a spawned block before its loop: the task can end in its setup",
        ("mech", "count"),
        ("calls",),
    ),
    "handler_sleep": (
        "a sleep in the handler of one select branch: only rounds that branch wins wait",
        ("mech", "arg", "dur", "branch"),
        (),
    ),
    "arm_work": (
        "a loop's round whose work is in the arms of a match on what it received",
        ("match_on", "arm_a", "call_a", "arm_b", "call_b"),
        ("more",),
    ),
    "permit_bound": (
        "one task per element, each held to a permit of a semaphore the fn makes before the loop",
        ("sem", "cap_expr", "call", "var", "head", "mech"),
        (),
    ),
    "round_gate": (
        "a check at the top of a pass loop's round whose block only logs and continues",
        ("cond", "wait"),
        ("message", "level", "calls"),
    ),
    "ticker": (
        "a loop's select waits on the next tick of an interval a helper of the file builds",
        ("future", "var", "helper", "mech"),
        ("arg", "dur", "missed", "stops", "work"),
    ),
    "lost_result": (
        "a crate fn returning a `Result` spawned as the whole task, its handle dropped",
        ("mech", "runs"),
        (),
    ),
    "select_branch": (
        "what one select branch does once its future wins, said whole",
        ("future", "select"),
        ("runs", "expr", "bound", "message", "level", "macro"),
    ),
    "runs_under": (
        "the condition a select or a join runs under",
        ("mech", "guard"),
        ("futures",),
    ),
    "join": (
        "futures joined in the item's task",
        ("mech",),
        (
            "count",
            "calls",
            "futures",
            "guard",
            "endless",
            "endless_file",
            "bound",
            "timer",
            "ender",
        ),
    ),
    "join_branch": (
        "what one branch of a join runs, and when",
        ("mech", "ordinal", "call"),
        ("guard", "else_call"),
    ),
}
