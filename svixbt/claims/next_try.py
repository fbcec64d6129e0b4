"""When a call a pass loop catches the failure of is tried again: not in the round that failed,
but on the next one, after the loop's own pause. The failure thinks said "it is logged at error
and the loop carries on" and stopped there (held-out read 15, qdrant and rauthy: two sentences,
nothing of the hour or the day a failed cleanup waits before its next try). The pause is the
loop's interval tick or its one plain sleep; the claim is made only when that pause stands
between every two rounds and the error branch neither waits nor leaves on its own."""

from __future__ import annotations

import re

from .core import LIST_SEP, Claim, FileContext, make
from .premises import merged_proofs, of_kind
from .shape import main_loop

__all__ = ["next_try_claims"]

# What already tells the wait after a failure: a backoff, a schedule, a wait the arm sets, a
# sleep in the arm, a spin past the only pause.
_TOLD_ELSEWHERE = (
    "backoff",
    "schedule",
    "retry_with",
    "give_up",
    "error_wait",
    "adaptive",
    "spin_on_error",
    "linear_backoff",
)


def next_try_claims(ctx: FileContext, idx: int, claims: list[Claim]) -> list[Claim]:
    """One ``next_try`` claim per error branch of the pass loop that logs and falls through
    (``keeps-looping``, not in an inner loop, no exit taken only sometimes), in a loop paced by
    an unguarded interval tick or by one plain sleep in the loop body."""
    f = ctx.facts.get(idx)
    if f is None or f.flow is None:
        return []
    if any(of_kind(claims, k) for k in _TOLD_ELSEWHERE):
        return []
    pace = _pace(claims)
    if pace is None:
        return []
    # round_work names a method call with its parentheses (`store.flush()`), an arm without.
    every = {
        c.removesuffix("()")
        for w in of_kind(claims, "round_work")
        for c in w.get("calls").split(LIST_SEP)
        if c
    }
    arms = [
        arm
        for arm in of_kind(claims, "err_arm")
        if "keeps-looping" in arm.flags
        and not {
            "inner-loop",
            "exits-sometimes",
            "one-of-several",
            "specific",
            "later-exit",
            "specific-exits",
        }
        & arm.flags
        and arm.get("call")
        and LIST_SEP not in arm.get("call")
    ]
    loop = main_loop(f)
    if loop is None:
        return []
    # "Nothing in the round tries it again" needs the call written once in the loop: a second
    # call of the same name (a retry in another branch) would make it false.
    written = [c.name for c in f.calls if c.awaited and f.flow.inside(c.region, loop.id)]
    arms = [a for a in arms if written.count(re.split(r"\.|::", a.get("call"))[-1]) == 1]
    calls = list(dict.fromkeys(arm.get("call") for arm in arms))
    if not calls:
        return []
    # One claim for all of them: `if hiqlite { execute } else { pg_execute }` fails either way
    # into the same next round (two sentences said the same twice).
    slots = {"call": LIST_SEP.join(calls), "mech": pace.get("mech")}
    for k in ("dur", "arg"):
        if pace.get(k):
            slots[k] = pace.get(k)
    flags = {pace.kind, "every-round" if set(calls) <= every else "when-reached"}
    proof = merged_proofs(*(arm.proof for arm in arms), pace.proof)
    return [make("next_try", f.name, slots, proof, flags)]


def _pace(claims: list[Claim]) -> Claim | None:
    """The loop's one pause between rounds: an interval ticked in the loop (not guarded, not
    raced beside event branches), or a plain sleep in the loop body (no guard, no arm, not
    skipped, not through a helper). None when there are several or none."""
    ticks = [
        c
        for c in of_kind(claims, "interval")
        if "tick-in-loop" in c.flags and not {"guarded", "beside-events"} & c.flags
    ]
    sleeps = [
        c
        for c in of_kind(claims, "sleep")
        if "in-loop" in c.flags
        and not c.get("guard")
        and not {"err-arm", "in-arm", "guarded", "in-select", "then-continue", "for"} & c.flags
        and not {"via-helper", "from-var", "cancellable", "if-let-some"} & c.flags
    ]
    paces = ticks + sleeps
    if len(paces) != 1 or len(of_kind(claims, "sleep")) + len(of_kind(claims, "interval")) != 1:
        return None
    return paces[0]
