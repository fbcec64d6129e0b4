"""The table of claim kinds: what a claim of each kind asserts, the slots it always carries and
the slots it may carry.

``core.make`` checks every claim a builder makes against this table, and the tests hold the render
rows to it. It is data alone, kept apart from the claim type and the context builders read, so a
new kind is a row here and touches none of that machinery.
"""

from __future__ import annotations

from .kinds_log import LOG_KINDS
from .kinds_race import RACE_KINDS
from .kinds_shape import SHAPE_KINDS

__all__ = ["KINDS"]

# Optional slots of a loop claim, named apart only to keep the table's line count down.
_LOOP_WAYS = ("cond", "ways", "way_cond", "way_pattern", "way_expr", "panics", "racer", "nth")

# kind -> (what it asserts, the slots it always carries). Optional slots are listed after `|`.
KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "loop": (
        "the item's own task loops",
        ("keyword", "head"),
        (*_LOOP_WAYS, "stream", "ender"),
    ),
    "sleep": (
        "a tokio sleep in the item's own task",
        ("mech", "arg"),
        (
            "dur",
            "rearm",
            "opt_var",
            "set_code",
            "set_dur",
            "others",
            "guard",
            "wrapper",
            "arm",
            "var",
            "select",
            "via",
            "first_work",
            "event",
            "prior",
            "call",
            "arg_value",
            "work",
            "nth",
            "arm_of",
            "loop_head",
            "default_dur",
            "timed_arg",
            "timed_call",
            "timed_mech",
        ),
    ),
    "wait_prelude": (
        "a call made on the owner of a wait's duration just before the sleep",
        ("before", "owner", "arg", "mech"),
        ("via",),
    ),
    "shutdown_check": (
        "a shutdown check that leaves the loop",
        ("cond", "action"),
        ("drain", "until", "gate", "wait", "inner_loop"),
    ),
    "callee_waits": (
        "a callee in the crate that does the waiting",
        ("callee", "wait_mechs"),
        ("callee_file", "wait_dur", "wait_arg"),
    ),
    "timeout": (
        "a future bounded by tokio's timeout",
        ("mech", "arg"),
        ("dur", "future", "amount", "unit", "context", "guard", "op_noun", "check"),
    ),
    "adaptive": (
        "the wait before the next pass depends on the last pass",
        ("var", "cond", "idle", "idle_dur", "arm", "idle_value"),
        ("init",),
    ),
    "first_pass": (
        "the wait variable starts empty, so the first pass does not wait",
        ("var", "init"),
        (),
    ),
    "error_wait": (
        "a failed pass sets the next wait",
        ("var", "const", "dur", "arm", "value_set"),
        (),
    ),
    "err_arm": (
        "how an error branch is handled",
        ("pattern", "call"),
        (
            "level",
            "var",
            "value_set",
            "guard",
            "dep",
            "next_call",
            "traced_by",
            "traced_key",
            "handed_to",
            "arm_wait",
            "arm_wait_ctor",
            "arm_wait_durs",
        ),
    ),
    "propagate": ("errors propagated with `?`", ("count",), ("calls", "stub", "stub_macro")),
    "err_sources": (
        "the errors an error arm catches are those its callee passes up with `?`",
        ("arm", "call", "calls", "count"),
        ("handled", "level"),
    ),
    "recv_loop": (
        "a loop over tokio mpsc messages, which ends when every sender is gone",
        ("recv", "var"),
        (),
    ),
    "bounded_channel": (
        "a tokio mpsc or broadcast channel made with room for so many",
        ("call", "cap"),
        (),
    ),
    "loser_spawns": (
        "a raced future that loses is dropped, but the tasks it spawned are not",
        ("future", "callee", "mech"),
        ("other", "after_call"),
    ),
    "woken_by": (
        "the file's fns that wake a `notified()` wait",
        ("future", "method", "by"),
        ("sometimes",),
    ),
    "idle_arm": (
        "a wait on a result its callee returns only under a condition",
        ("arm", "call", "returns_when", "dur", "mech"),
        ("outcome", "source_call"),
    ),
    "skips_later": (
        "a `?` that returns before a later statement runs",
        ("call", "verbs", "tables"),
        ("guard",),
    ),
    "return": (
        "what the item returns and when",
        ("expr",),
        ("guard", "arm", "arm_of", "sender", "receiver", "owner", "detached_mech", "otherwise"),
    ),
    "drain": ("a loop that stops at a short batch", ("cond",), ("var",)),
    "retry_with": (
        "a retry helper built with a schedule and a predicate",
        ("ctor", "schedule"),
        ("predicate", "count", "first", "last"),
    ),
    "schedule_step": (
        "each retry takes the next wait off a schedule",
        ("head", "step", "list"),
        ("guard", "ctor", "handed", "handed_files", "handed_values", "handed_count"),
    ),
    "give_up": ("when a retry stops and returns the error", ("cond",), ()),
    "diverges": ("the fn's return type is `!`: only a panic leaves its loop", ("expr", "head"), ()),
    "redo": (
        "a failed call tried again at once until a count of failures returns the error",
        ("call", "var", "limit", "nth", "expr"),
        (
            "retry_arm",
            "retry_level",
            "skip_arm",
            "skip_level",
            "outer",
            "next_call",
            "skip_names",
            "retry_names",
        ),
    ),
    "shutdown_wait": (
        "a wait cut short by cancellation",
        ("wrapper", "token", "mech"),
        ("action",),
    ),
    "shutdown_loop": ("the loop re-checks a shutdown flag", ("cond", "check"), ()),
    "twin": (
        "an earlier fn of the file whose body matches this one's but for a few names or strings",
        ("twin",),
        ("mine", "theirs", "sig_mine", "sig_theirs", "spelled_mine", "spelled_theirs"),
    ),
    "signal": (
        "a process signal the item waits for, or builds and hands to a call that does",
        ("mech",),
        ("var", "cfg", "signame", "to", "outcomes", "outcome", "twin"),
    ),
    "deadline_sleep": (
        "a loop that sleeps until the earlier of two next-due instants, each moved on by its own "
        "period when its job runs",
        ("mech", "var", "deadlines", "periods"),
        (),
    ),
    "callers": ("who calls the item", ("callers", "count"), ("files",)),
    "on_path": ("a same-file task whose loop reaches the item", ("task", "wait_mechs"), ("chain",)),
    "batch": ("a batch size passed on and compared", ("const", "value", "callee"), ("cond",)),
    "sql": (
        "an SQL statement and its batch clauses",
        ("verbs", "tables"),
        ("bind", "limit_value", "limit_clause", "lock_clause", "gate"),
    ),
    "statement_timeout": (
        "the statement timeout a transaction sets",
        ("value", "stmt"),
        ("local_kw",),
    ),
    "transaction": ("work in one database transaction", ("begin", "commit"), ()),
    "doc": ("the author's doc comment", ("summary",), ()),
    "cfg_variant": (
        "one of several copies of a fn in its file, each under its own `#[cfg(..)]`",
        ("cfg", "attr", "others"),
        ("other_attr",),
    ),
    "shares": (
        "a value cloned for a spawned task before the spawn, the original handed on",
        ("var", "source", "mech", "expr"),
        ("ptr",),
    ),
    "counted_inside": (
        "a counter a spawned task bumps and drops itself, read by the fn that spawns it",
        ("counter", "mech", "add", "sub", "load"),
        ("repeated", "work"),
    ),
    "endless_task": (
        "a spawned task that no statement ends and that checks no shutdown signal",
        ("mech",),
        ("dur", "callee", "handle_var", "abort_call", "dropped_by", "work", "handle_into"),
    ),
    "cancel_future": (
        "a future bound to a name and run under run_until_cancelled as a whole",
        ("future", "wrapper", "token"),
        ("mech",),
    ),
    "panics": (
        "an awaited call's failure unwrapped with expect/unwrap in a fn with a loop",
        ("call", "how"),
        ("message",),
    ),
    "task_comment": (
        "the author's one-line comment right above a spawn",
        ("comment", "mech"),
        ("runs", "nth"),
    ),
    "run_cap": (
        "a running total that stops the loop at a constant, besides a short batch",
        ("var", "const", "value", "update"),
        (),
    ),
    "only_errors": (
        "a call in the loop to a same-file fn that can only end with an error",
        ("callee", "ways"),
        ("setup",),
    ),
    "round_skips": (
        "an error branch that continues skips the later calls of its round",
        ("call", "skipped"),
        ("over",),
    ),
    "locked": (
        "a lock taken and held for one call, each round of a loop",
        ("lock", "var", "call"),
        (),
    ),
    "keeps": (
        "what a `retain`/`filter` keeps, from a one-comparison predicate fn",
        ("method", "callee", "body"),
        ("timer", "bound", "bound_name"),
    ),
    "note": ("the author's FIXME or TODO comment in the body", ("tag", "note"), ()),
    "doc_partial": (
        "a doc comment that names only some of the database actions the code performs",
        ("summary", "verbs", "tables"),
        ("named", "guard"),
    ),
    "const_comment": ("the author's comment on a const", ("const", "comment"), ("dur",)),
    "schedule": ("an array of waits", ("name", "count", "first", "last", "values"), ("callee",)),
    "backoff": ("a wait that grows to a cap", ("var", "factor", "cap"), ("initial", "cap_expr")),
    "growth": (
        "a schedule of waits built from a first one, each the last times a factor, capped",
        ("mech", "initial", "factor", "cap", "cap_expr"),
        ("take", "arm", "scrutinee"),
    ),
    "linear_backoff": (
        "a wait of a step times a counter, capped; the counter bumped each round, maybe reset",
        ("arg", "var", "unit", "cap", "count"),
        ("reset", "mech"),
    ),
    "jitter": ("a delay varied at random", ("pct", "const", "base"), ()),
    "clamp": ("a delay held between bounds", ("value_code", "lo", "hi"), ()),
    "at_least": (
        "a floor on a delay under a condition",
        ("dur", "const", "base"),
        (
            "when",
            "jitter",
            "rework",
            "rework_when",
            "rework_arg",
            "also_path",
            "also_field",
            "also_value",
        ),
    ),
    "timing": ("a pass is timed", ("start", "level"), ("field", "guard", "arm")),
    "conversion": ("errors converted before they propagate", ("methods",), ("message",)),
    "probe": ("a query that only checks whether rows exist", ("query",), ("table", "where")),
    "gate": ("a bool parameter switches part of the work", ("param",), ("verbs", "tables")),
    "sum": ("the count returned adds up several statements' counts", ("expr", "tables"), ("per",)),
    "fixed_input": (
        "a value decided once before the loop switches a callee's work on every pass",
        ("var", "source", "callee", "param"),
        ("verbs", "tables"),
    ),
    # Derived (claims/implications.py, join_implications.py): what two claims of one task mean
    # together.
    "pass_runs_out": (
        "shutdown is seen only between passes, so a running pass is not interrupted",
        ("work",),
        ("unbounded",),
    ),
    "wait_after_pass": (
        "a plain sleep in the pass loop starts after the pass, so pass time adds to the spacing",
        ("work", "mech"),
        ("var",),
    ),
    "steady_error": (
        "a failed pass always sets the same wait: no growth, no failure count",
        ("call", "level", "var", "value_set", "dur"),
        ("dep",),
    ),
    "idle_latency": (
        "a nap only after a short pass: backlog without waits, new work waits out the nap",
        ("idle_dur", "cond", "idle"),
        (),
    ),
    "timed_after_wait": (
        "a pass timer started after the pass's sleep: the time logged leaves the nap out",
        ("start", "mech"),
        ("field",),
    ),
    "local_timeout": (
        "only a guarded callee's statement runs with its transaction-local statement_timeout",
        ("callee", "value", "guard", "other"),
        (),
    ),
    "endless_set": (
        "JoinSet tasks that cannot end on their own: join_next yields only for a panic or abort",
        ("next",),
        ("body",),
    ),
    "retry_budget": (
        "a retrier built with a const schedule whose run walks it one entry per retry",
        ("ctor", "callee", "schedule", "count", "calls", "total"),
        (),
    ),
    "stale_check": (
        "a silence check run only when a timeout fires: silence is caught a whole timeout late",
        ("cond", "var", "timeout_arg", "period", "limit_dur", "timeouts", "caught"),
        ("after_call",),
    ),
    "attempt_cap": (
        "a loop that counts its rounds from 0 and gives up past a limit: how many it makes",
        ("var", "cond", "max", "rounds", "from_value"),
        ("const", "timeout_arg", "dur", "total"),
    ),
    "sleep_budget": (
        "a loop that adds up its planned waits and gives up past a limit: only sleeps are counted",
        ("var", "step_dur", "limit", "limit_dur", "cond", "rounds", "total_dur"),
        ("work", "limit_also", "limit_also_in", "limit_doc"),
    ),
    "one_shot": (
        "a task with no loop or retry whose failures are only logged (detached, or its value `()`)",
        ("mech", "levels"),
        ("arm_comment", "arm_level", "runs", "handle_var"),
    ),
    "unbounded_awaits": (
        "fallible awaits of a fn with deadlines elsewhere that have none around them",
        ("calls",),
        (),
    ),
    "popped": (
        "a batch popped before an awaited write with `?`: a failed write leaves it taken",
        ("pop", "var", "write"),
        (),
    ),
    "spin_on_error": (
        "an error branch that continues past the pass loop's only pause: no wait while it fails",
        ("call", "pattern", "mech", "arg"),
        ("level", "dur", "first_waits"),
    ),
    "const_value": (
        "the value a const the fn names comes to, from its definition",
        ("name", "value"),
        (),
    ),
    "passed_wait": (
        "the duration every call in the crate passes for a wait the fn takes from a parameter",
        ("param", "passed", "dur", "callers", "mech"),
        ("arg",),
    ),
    "round_work": (
        "the calls every round of the pass loop awaits, with no condition or exit before them",
        ("head", "calls", "count"),
        (),
    ),
    "serial_loop": (
        "a for loop of the fn's own task awaiting a call per round, beside a fan-out: in series",
        ("head", "call"),
        (),
    ),
    "tasks_add_up": (
        "a spawned task that outlives the fn and never ends: one more per call that spawns it",
        ("mech",),
        (),
    ),
    "first_done": (
        "tasks in a JoinSet of which the fn awaits the first to end, once, then stops the rest",
        ("join", "runs"),
        ("stop",),
    ),
    "count_cap": (
        "a fan-out over a count whose clap parser bounds it: at most that many tasks",
        ("repeated", "field", "cap", "attr", "mech"),
        ("doc",),
    ),
    "one_response": (
        "one awaited list call whose response's `data` is all the fn goes through",
        ("call", "var", "over"),
        (),
    ),
    "own_awaits": (
        "what a caller of a fn that spawns detached work does wait for: the fn's own awaits",
        ("runs", "calls", "mech"),
        ("quick",),
    ),
    "errs_before_spawn": (
        "a `?` before a detached task's spawn: that failure does reach the caller",
        ("count", "mech"),
        (),
    ),
    "limit_per_round": (
        "a count checked against a limit once a round, before a batch is spawned whole",
        ("counter", "cond", "limit", "repeated", "mech"),
        ("guard",),
    ),
    "locked_short": (
        "a nap after a short batch whose helper skips locked rows: short may mean rows held",
        ("callee", "lock_clause", "idle_dur", "idle", "cond"),
        (),
    ),
    "retry_filter": (
        "a retry loop's match on a result: some errors return at once, one arm waits and retries",
        ("returned", "retried", "mech"),
        ("stop", "returned_names", "escape"),
    ),
    "task_drops_error": (
        "a spawned block that is one `let _ = call.await`: the call's error goes nowhere",
        ("mech", "call"),
        (),
    ),
    "task_prints_error": (
        "a spawned block that prints its call's error and ends normally: the handle carries none",
        ("mech", "call", "macro"),
        (),
    ),
    "timeout_escapes": (
        "a timeout whose expiry a `?` hands up in a retry loop: that expiry is never retried",
        ("mech", "arg", "sleep_mech"),
        ("future", "guard", "as_error"),
    ),
    "trailing_sleep": (
        "a for loop whose round ends with its sleep: the last element is followed by a wait too",
        ("mech", "arg", "over"),
        ("dur",),
    ),
    "join_results": (
        "what the joining fn does with the branches' results once the join has ended",
        ("mech", "handled", "checked"),
        ("ok_checked", "ok_callee"),
    ),
    "join_waits_all": (
        "a join branch that fails at startup is still waited on with the other branches",
        ("calls", "by", "by_file", "mech", "rest"),
        ("handled", "handled_first", "ok_first", "ok_callee"),
    ),
    **LOG_KINDS,
    **RACE_KINDS,
    **SHAPE_KINDS,
}
