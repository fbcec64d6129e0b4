"""What a task's log lines mean for whoever reads the log: how fast an error line can repeat while
its call keeps failing, and error lines that two failures write alike.

Both follow from the log, error-arm and sleep claims the other builders made (blind read 48: a
runbook question about `queue_handler` was answered with a list of its lines, missing that a
failing receive is retried after 10 milliseconds, so an outage can write a hundred error lines a
second; `run_migration_schedule` writes "Error migrating queue" for either of its two steps).
"""

from __future__ import annotations

import re

from .branch_logs import branch_log_claims
from .core import LIST_SEP, Claim, FileContext, make
from .premises import of_kind

__all__ = ["log_line_claims"]

_MILLIS = re.compile(r"(\d+) milliseconds?")


def log_line_claims(ctx: FileContext, idx: int, claims: list[Claim]) -> list[Claim]:
    name = ctx.facts[idx].name
    return [
        *_error_log_pace(name, claims),
        *_error_log_pace_by_var(name, claims),
        *_error_log_ramp(name, claims),
        *_error_log_spread(name, claims),
        *_shared_log_line(name, claims),
        *_routine_alarm(ctx, name, claims),
        *branch_log_claims(ctx, ctx.facts[idx], claims),
        *_log_twins(ctx, idx, claims),
    ]


def _log_twins(ctx: FileContext, idx: int, claims: list[Claim]) -> list[Claim]:
    """A line whose words another fn of the file writes too, at another level: crates.io's
    worker logs "Failed to run job: {error}" with `error!` when fetching fails and with
    `warn!` when a job fails, so "grep for it" finds both (a held-out read)."""
    out: list[Claim] = []
    seen: set[str] = set()
    for c in of_kind(claims, "log"):
        msg = c.get("message")
        if not msg or msg in seen or c.subject != ctx.facts[idx].name:
            continue
        seen.add(msg)
        others = [
            (g, lg)
            for j, g in ctx.facts.items()
            if j != idx and g.kind == "fn" and not g.item.is_test
            for lg in g.logs
            # Written by that fn itself, not by a task it starts (spacedrive's watcher logs
            # inside a spawned task: "written by `start_location_event_listener`" was wrong).
            if lg.message == msg and lg.level != c.get("level") and g.own(lg.region)
        ]
        if len({g.name for g, _ in others}) != 1:
            continue
        g, lg = others[0]
        slots = {"message": msg, "level": c.get("level"), "other_level": lg.level, "other": g.name}
        out.append(make("log_twin", c.subject, slots, [*c.proof[:1], ctx.proof(lg.src)]))
    return out


def _error_log_pace_by_var(name: str, claims: list[Claim]) -> list[Claim]:
    """The same pace where the error arm sets the next wait in a variable the loop sleeps on
    (`sleep_time = Some(ON_ERROR)`), proven by a ``steady_error`` claim (a fixed wait, nothing
    grows it or counts the failures): the cleaner's alert answer said what the line holds and
    never how often it comes back (blind read 60)."""
    if of_kind(claims, "error_log_pace"):
        return []
    out: list[Claim] = []
    for st in of_kind(claims, "steady_error"):
        logs = [
            c
            for c in of_kind(claims, "log")
            if {"err-arm", "in-loop"} <= c.flags
            and "guarded" not in c.flags
            and c.get("call") == st.get("call")
        ]
        sleeps = [
            c
            for c in of_kind(claims, "sleep")
            if "from-var" in c.flags and c.get("var") == st.get("var")
        ]
        if len(logs) != 1 or len(sleeps) != 1:
            continue
        slots = {
            "call": st.get("call"),
            "level": logs[0].get("level"),
            "dur": st.get("dur"),
            "mech": sleeps[0].get("mech"),
            "message": logs[0].get("message"),
        }
        m = _MILLIS.fullmatch(st.get("dur"))
        if m and 0 < int(m.group(1)) < 1000 and 1000 % int(m.group(1)) == 0:
            slots["rate"] = str(1000 // int(m.group(1)))
        proof = [*logs[0].proof, *st.proof, *sleeps[0].proof]
        out.append(make("error_log_pace", name, slots, proof))
    return out


def _error_log_ramp(name: str, claims: list[Claim]) -> list[Claim]:
    """An error line in a loop's one round whose wait, after it and under no condition, grows by a
    step per failure to a cap: while the call fails at once the lines spread out to one per
    cap (the Kafka input's `run`: 300 ms more per failure, up to 3 s). Blind reads 57-58 docked
    its log answer for never saying how often the line comes back. Only for a fn with one loop,
    whose failing call's arm goes on to the wait."""
    ramps = of_kind(claims, "linear_backoff")
    if not _one_loop(claims) or len(ramps) != 1:
        return []
    ramp = ramps[0]
    sleeps = [c for c in _round_sleeps(claims, raced=False) if c.overlaps(ramp)]
    slots = {k: ramp.get(k) for k in ("unit", "cap", "count", "reset")}
    return _paced_lines(name, "error_log_ramp", claims, ramp, sleeps, slots)


def _error_log_spread(name: str, claims: list[Claim]) -> list[Claim]:
    """An error line in a loop whose round then sleeps on a wait that each failure multiplies, to
    a cap: while the call keeps failing the lines spread out to one per cap (background
    migrations: 5 seconds, doubling to 10 minutes). Blind read 60 docked its log answer for a
    `select!` sentence where how often the line comes back was the point. Only for a fn with
    one loop, whose wait is unconditional (or raced only with a cancellation) and whose failing
    call's arm goes on to it."""
    backoffs = [
        c for c in of_kind(claims, "backoff") if "after-error" in c.flags and c.get("initial")
    ]
    if not _one_loop(claims) or len(backoffs) != 1:
        return []
    grow = backoffs[0]
    sleeps = [c for c in _round_sleeps(claims, raced=True) if c.get("arg") == grow.get("var")]
    slots = {k: grow.get(k) for k in ("initial", "factor", "cap")}
    return _paced_lines(name, "error_log_spread", claims, grow, sleeps, slots)


def _round_sleeps(claims: list[Claim], raced: bool) -> list[Claim]:
    """The loop's sleeps every round takes: under no condition and in no arm; raced in a
    `select!` only against a cancellation, and only when ``raced``."""
    return [
        c
        for c in of_kind(claims, "sleep")
        if "in-loop" in c.flags
        and not {"guarded", "err-arm", "in-arm"} & c.flags
        and ("in-select" not in c.flags or raced and "raced-with-cancel" in c.flags)
    ]


def _one_loop(claims: list[Claim]) -> bool:
    loops = of_kind(claims, "loop")
    return len(loops) == 1 and "one-of-loops" not in loops[0].flags


def _paced_lines(
    name: str,
    kind: str,
    claims: list[Claim],
    wait: Claim,
    sleeps: list[Claim],
    slots: dict[str, str],
) -> list[Claim]:
    """A ``kind`` claim per error line written before the round's one ``sleeps`` whose length
    ``wait`` says (its numbers in ``slots``)."""
    if len(sleeps) != 1:
        return []
    out: list[Claim] = []
    for lg, arm in _lines_before(claims, sleeps[0]):
        mine = {
            "call": lg.get("call"),
            "level": lg.get("level"),
            **slots,
            "mech": sleeps[0].get("mech"),
        }
        proof = [*lg.proof, *wait.proof, *sleeps[0].proof, *arm.proof]
        flags: set[str] = set()
        # A line of the same level every round writes, failed or not, comes back at the same
        # pace: "about one line every 3 seconds" of the queue input, whose rounds also write
        # "… disconnected: …", counted half its error lines (blind read 84).
        also = [
            c
            for c in of_kind(claims, "log")
            if c.get("level") == lg.get("level")
            and c.get("message")
            and "in-loop" in c.flags
            and not {"guarded", "in-arm", "in-select", "err-arm"} & c.flags
        ]
        if also:
            mine["also"] = also[0].get("message")
            proof += also[0].proof
            flags.add("also")
        out.append(make(kind, name, mine, proof, flags))
    return out


def _lines_before(claims: list[Claim], sleep: Claim) -> list[tuple[Claim, Claim]]:
    """Each unguarded error line of a loop's round written before ``sleep``, with the one error
    arm of its call that goes on to the rest of the round (the line, then the wait)."""
    out: list[tuple[Claim, Claim]] = []
    for lg in of_kind(claims, "log"):
        if not {"err-arm", "in-loop"} <= lg.flags or "guarded" in lg.flags or not lg.get("call"):
            continue
        if lg.proof[0].start > sleep.proof[0].start:
            continue  # the line must come before the wait in the round
        arms = [
            c
            for c in of_kind(claims, "err_arm")
            if lg.get("call") in c.get("call").split(LIST_SEP) and "keeps-looping" in c.flags
        ]
        if len(arms) == 1:
            out.append((lg, arms[0]))
    return out


_ALARM_LEVELS = ("warn", "error")


def _can_succeed(ctx: FileContext, call: str) -> bool:
    """Whether every fn of this file that ``call`` may name builds an `Ok(..)` somewhere in its
    body (a value it can return); False when the file defines none."""
    name = re.split(r"\.|::", call)[-1]
    fns = [f for f in ctx.fns_named(name) if f.item.body_start is not None]
    scan = ctx.fs.scan
    return bool(fns) and all(
        any(
            scan.texts[i] == "Ok" and i + 1 < len(scan.texts) and scan.texts[i + 1] == "("
            for i in scan.token_range(f.item.body_start or 0, f.item.end)
        )
        for f in fns
    )


def _routine_alarm(ctx: FileContext, name: str, claims: list[Claim]) -> list[Claim]:
    """A warn or error line written on every round of the loop, under no condition, after the
    line an error of the round's call gets: it is written whether or not that call failed, so
    the line alone does not tell the two apart (bridge's queue input logs "… disconnected" at
    error level after every `consume`, failed or not)."""
    logs = of_kind(claims, "log")
    out: list[Claim] = []
    for lg in logs:
        if lg.get("level") not in _ALARM_LEVELS or not lg.get("message"):
            continue
        if "in-loop" not in lg.flags or {"guarded", "in-arm", "in-select"} & lg.flags:
            continue
        failed = [
            c
            for c in logs
            if {"err-arm", "in-loop"} <= c.flags
            and c.get("call")
            and "guarded" not in c.flags
            and c.proof[0].start < lg.proof[0].start
        ]
        if len(failed) != 1:
            continue
        arms = [
            c
            for c in of_kind(claims, "err_arm")
            if failed[0].get("call") in c.get("call").split(LIST_SEP)
        ]
        # The failed call's arm must let the round go on to the line (no `continue`, no exit).
        if len(arms) != 1 or "keeps-looping" not in arms[0].flags:
            continue
        if not _can_succeed(ctx, failed[0].get("call")):
            # "Failed or not" needs a call that can come back `Ok`: bridge's default
            # `Consumer::consume` is `loop { ..?; }`, so its line only ever follows a failure
            # (blind read 50). A call the file does not define is not known to, and is left out.
            continue
        slots = {
            "message": lg.get("message"),
            "level": lg.get("level"),
            "macro": lg.get("macro"),
            "call": failed[0].get("call"),
        }
        out.append(make("routine_alarm", name, slots, [*lg.proof, *failed[0].proof]))
    return out


def _error_log_pace(name: str, claims: list[Claim]) -> list[Claim]:
    """An error line in a loop whose arm then sleeps a fixed, literal time and goes round again:
    the lines come no closer together than that sleep. Made only when one arm of that pattern
    logs and one sleeps (two `Err(e)` arms would leave unsaid which sleep follows which line),
    and nothing grows the wait or counts the failures."""
    if of_kind(claims, "backoff") or of_kind(claims, "give_up") or of_kind(claims, "retry_with"):
        return []
    out: list[Claim] = []
    for lg in of_kind(claims, "log"):
        if not {"err-arm", "in-loop"} <= lg.flags or "guarded" in lg.flags or not lg.get("call"):
            continue
        arm = lg.get("arm")
        logs = [c for c in of_kind(claims, "log") if "err-arm" in c.flags and c.get("arm") == arm]
        sleeps = [
            c
            for c in of_kind(claims, "sleep")
            if "err-arm" in c.flags and c.get("arm") == arm and "guarded" not in c.flags
        ]
        arms = [
            c
            for c in of_kind(claims, "err_arm")
            if c.get("pattern") == arm and lg.get("call") in c.get("call").split(LIST_SEP)
        ]
        if len(logs) != 1 or len(sleeps) != 1 or len(arms) != 1:
            continue
        sleep, err = sleeps[0], arms[0]
        if not sleep.get("dur") or not {"keeps-looping", "continues"} & err.flags:
            continue
        if "narrowed" in err.flags or re.search(r"\bif\b", arm):
            # Only some failures reach the arm (`Err(Pending) if n < MAX`): "every failure
            # writes its debug line" was FALSE of hyperlane's CCIP read (read 63).
            continue
        if sleep.proof[0].start < lg.proof[0].start:
            continue  # the wait comes before the line: the pace is not the line's
        slots = {
            "call": lg.get("call"),
            "level": lg.get("level"),
            "dur": sleep.get("dur"),
            "mech": sleep.get("mech"),
            "message": lg.get("message"),
        }
        m = _MILLIS.fullmatch(sleep.get("dur"))
        if m and 0 < int(m.group(1)) < 1000 and 1000 % int(m.group(1)) == 0:
            slots["rate"] = str(1000 // int(m.group(1)))
        proof = [*lg.proof, *sleep.proof, *err.proof]
        out.append(make("error_log_pace", name, slots, proof))
    return out


def _shared_log_line(name: str, claims: list[Claim]) -> list[Claim]:
    """Two or more error lines, for failures of different calls, written with one message and
    one level: the line alone does not say which call failed."""
    groups: dict[tuple[str, str], list[Claim]] = {}
    for lg in of_kind(claims, "log"):
        if "err-arm" in lg.flags and lg.get("message") and lg.get("call"):
            groups.setdefault((lg.get("message"), lg.get("level")), []).append(lg)
    out: list[Claim] = []
    for (message, level), same in groups.items():
        calls = list(dict.fromkeys(c.get("call") for c in same))
        if len(calls) < 2:
            continue
        slots = {"message": message, "level": level, "calls": LIST_SEP.join(calls)}
        # The error goes into the line (a placeholder) or onto it (a field) in every copy:
        # only its text can tell the calls apart (blind read 56 missed that said).
        flags = {"carries"} if all("{" in message or c.get("fields") for c in same) else set()
        out.append(make("shared_log_line", name, slots, [p for c in same for p in c.proof], flags))
    return out
