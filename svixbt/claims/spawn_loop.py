"""The loop of a spawned task, said apart from how the task is started and what becomes of its
handle.

A spawn sentence says one thing: the start (under a guard, into a JoinSet, its handle kept in a
field). The rows that also said the spawned loop's work and pace were written for a detached,
unguarded spawn only, so a guarded or kept spawn lost its loop altogether: redis-rs's token
refresher (`start_refresh_service`, started only when no handle is stored) and sidekiq's three
JoinSet loops got no record at all, their thinks being one sentence about the start (held-out
read 92). This claim carries the loop's own slots, read off the same spawn.
"""

from __future__ import annotations

from dataclasses import replace

from .core import Claim, make
from .kinds_race import RACE_KINDS

__all__ = ["spawn_loop_claims"]

# What the spawn's start rows say of its loop already: a detached, unguarded spawn's rows say
# its work and pace; a returned one's too; a repeated one's speak of a set of tasks; a signal
# task is its wait.
_SAID_WITH_START = frozenset({"repeated", "returned", "signal-wait", "signal-rounds", "delayed"})
# The loop's own slots, as the kind declares them: read off the spawn claim.
_SLOTS = frozenset((*RACE_KINDS["spawn_loop"][1], *RACE_KINDS["spawn_loop"][2]))
_FLAGS = frozenset(
    {
        "sleep",
        "sleep-arg",
        "interval",
        "interval-arg",
        "timed",
        "some-sleep",
        "round-exits",
        "logs-failures",
        "several-loops",
        "also-waits",
        "tick-or",
        "pace-unknown",
        "sleep-first",
    }
)


# Timers that pace every round (``some-sleep`` paces only some).
_PACES = frozenset({"sleep", "sleep-arg", "interval", "interval-arg", "timed"})


def _said_with_start(c: Claim) -> bool:
    return bool(c.flags & _SAID_WITH_START) or (
        "detached" in c.flags and not c.flags & {"guarded", "conditional"}
    )


def spawn_loop_claims(claims: list[Claim]) -> list[Claim]:
    """``claims`` with a ``spawn_loop`` claim after each spawn whose task loops and whose start
    sentence does not say that loop (that spawn flagged ``loop-apart``); it needs the work a
    round calls."""
    out: list[Claim] = []
    for c in claims:
        if c.kind != "spawn" or "loops" not in c.flags or _said_with_start(c) or not c.get("work"):
            out.append(c)
            continue
        # The start's own flags: a question about the loop fits it (its answer says the loop),
        # about its pace only when a timer paces it.
        paced = {"paced"} if c.flags & _PACES else set()
        out.append(replace(c, flags=c.flags | {"loop-apart"} | paced))
        slots = {k: v for k, v in c.slots if k in _SLOTS}
        flags = (c.flags & _FLAGS) | ({"several"} if "several-spawns" in c.flags else set())
        out.append(make("spawn_loop", c.subject, slots, c.proof, flags))
    return out
