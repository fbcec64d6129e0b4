"""The claim kinds about log lines, a part of the ``kinds`` table kept apart to keep each module
small: what a line says, when it is written, and what a reader of the log can tell from it."""

from __future__ import annotations

__all__ = ["LOG_KINDS"]

LOG_KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "log_twin": (
        "another fn of the file writes the same words at another level",
        ("message", "level", "other_level", "other"),
        (),
    ),
    "log_wait_mismatch": (
        "a log line announces a wait of one length and the sleep after it takes another",
        ("level", "macro", "message", "said", "dur", "mech"),
        (),
    ),
    "branch_logs": (
        "three or more branches of one select each write a line of their own",
        ("select", "macro", "level", "count", "branches", "message", "branch"),
        (),
    ),
    "log": (
        "a log event and when it fires",
        ("level", "macro"),
        ("message", "guard", "arm", "call", "calls", "branch", "select", "fields", "inner"),
    ),
    "error_log_pace": (
        "an error line whose arm then sleeps a fixed time: how closely the lines can follow",
        ("call", "level", "dur", "mech"),
        ("message", "rate"),
    ),
    "error_log_spread": (
        "an error line whose round then waits on a wait each failure multiplies, to a cap",
        ("call", "level", "initial", "factor", "cap", "mech"),
        ("also",),
    ),
    "error_log_ramp": (
        "an error line whose round then waits a step longer per failure, to a cap: its pace",
        ("call", "level", "unit", "cap", "count", "mech"),
        ("reset", "also"),
    ),
    "next_try": (
        "a failure caught in the pass loop is tried again only after the loop's own pause",
        ("call", "mech"),
        ("dur", "arg"),
    ),
    "routine_alarm": (
        "a warn or error line written every round, after a call that may have succeeded",
        ("message", "level", "macro", "call"),
        (),
    ),
    "shared_log_line": (
        "one message and level logged for failures of different calls",
        ("message", "level", "calls"),
        (),
    ),
}
