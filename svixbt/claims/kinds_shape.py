"""The claim kinds read off the shape of one fn's own code, a part of the ``kinds`` table kept
apart to keep each module small: a lock guard's scope before a wait, a pause a condition picks,
a pause that grows until a check gives up, an interval and where it starts, a sleep per element
of an inner loop."""

from __future__ import annotations

__all__ = ["SHAPE_KINDS"]

SHAPE_KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "interval": (
        "a tokio interval the item's task ticks",
        ("mech", "arg", "var", "tick"),
        (
            "dur",
            "guard",
            "missed",
            "others",
            "precondition",
            "rivals",
            "ends",
            "tick_guard",
            "opt_var",
            "start",
            "first_in",
        ),
    ),
    "element_sleep": (
        "a sleep before each element of a `for` inside the item's loop",
        ("mech", "dur", "inner"),
        ("first_work", "over"),
    ),
    "doubling": (
        "a `while` loop bounded by a value it multiplies each round, with the round's wait on it",
        ("var", "low", "bound", "tries", "high"),
        ("factor", "jitter", "unit", "total", "mech"),
    ),
    "guard_scoped": (
        "a blocking lock's guard bound in a block of its own, dropped before the round's wait",
        ("guard_var", "lock_call", "next_wait"),
        (),
    ),
    "lock_held": (
        "a lock's guard still alive while the code sleeps",
        ("guard_var", "lock_call", "mech", "arg"),
        ("dur",),
    ),
    "pause_switch": (
        "a pause whose length a condition picks just before the sleep",
        ("var", "dflt", "alt", "cond"),
        ("env",),
    ),
    "give_up_schedule": (
        "a wait multiplied after each failure until a limit makes the next failure give up",
        ("var", "factor", "first", "last", "count", "total", "attempts", "cond", "nth"),
        (),
    ),
    "callee_loop_end": (
        "every way out of the one loop of the same-file fn a spawned task runs",
        ("mech", "callee"),
        ("pattern", "expr", "exit_arms", "scrutinee"),
    ),
    "sleep_task": (
        "a spawned task whose whole future is one sleep",
        ("mech", "sleep_call", "arg"),
        ("dur",),
    ),
    "mul_growth": (
        "a wait a loop multiplies in place after every sleep, with no cap",
        ("var", "grow", "factor", "initial_expr"),
        ("bound",),
    ),
}
