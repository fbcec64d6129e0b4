"""A `break` of a fn's main loop taken under a condition or in one `match` arm, outside any
select: hickory's UDP server also leaves its loop when a receive error is unrecoverable, and its
exits answer named only the select's `None` (a held-out read). Each is said with what it needs.
"""

from __future__ import annotations

import re

from ..facts import Exit, ItemFacts
from ..flow import Region
from ..values import human_duration
from .core import Claim, FileContext, make
from .exits import exit_loop
from .select_exits import stop_first
from .select_parts import precondition
from .shape import CANCEL_FUTURE, guard_of, put_guard

__all__ = ["loop_break_claims"]


def loop_break_claims(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    if f.flow is None or loop is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    for e in f.exits:
        if e.kind != "break" or not f.own(e.region) or exit_loop(f, e) is not loop:
            continue
        chain = [a for a in fl.chain(e.region) if a.id != loop.id and fl.inside(a.id, loop.id)]
        if any(a.kind in ("closure", "async", "select-future") for a in chain):
            continue
        handlers = [a for a in chain if a.kind == "select-handler"]
        conds, arm, negated = guard_of(f, e.region, loop.id, e.src.start)
        if negated or not (conds or arm):
            continue  # under an `else`, or the loop's one way out (said by ``loop``)
        slots: dict[str, str] = {}
        flags: set[str] = set()
        if handlers:
            # A branch's unconditional exits are ``select_exit``'s; one under an `if` there
            # was said by neither, and "the `interval.tick()` handler does `break`" stood for
            # a break taken only once a run time had passed (parseable's OTel generator).
            if len(handlers) > 1 or not conds or arm or not handlers[0].detail:
                continue
            if CANCEL_FUTURE.search(handlers[0].detail):
                continue  # a stop's branch: "when nobody cancels it" would be asked of it
            if stop_first(f, handlers[0], e):
                continue  # it leaves with the stop it waits for, not when its branch wins
            # Not "looked at only on the rounds that branch wins" of a `, if cond` precondition.
            conds = [c for c in conds if c != precondition(handlers[0])]
            if not conds:
                continue

            slots.update(future=handlers[0].detail, select=handlers[0].keyword + "!")
            flags.add("in-select")
            if _checked_elsewhere(f, loop, handlers[0], conds):
                # iroh's remote-state actor tests `self.is_idle(&inbox)` at the top of every
                # round too: "looked at only on the rounds that branch wins" was false (read 50).
                flags.add("checked-elsewhere")
            # Another `break` or `return` in the same branch: "ends the loop only when .." was
            # false of nostr-rs-relay's ping branch, which breaks on a failed send too (read 30).
            if any(
                x is not e
                and x.kind in ("break", "return")
                and fl.inside(x.region, handlers[0].id)
                and (x.kind == "return" or exit_loop(f, x) is loop)
                for x in f.exits
            ):
                flags.add("branch-exits-more")
        put_guard(slots, flags, conds, arm)
        if arm and not conds:
            _expiry_arm(f, e, slots, flags)
        if not handlers and any(
            x is not e
            and x.kind in ("break", "return")
            and f.own(x.region)
            and (x.kind == "return" or exit_loop(f, x) is loop)
            for x in f.exits
        ):
            # rskafka's backoff loop ends with `break Ok(r)` on success as well: "It leaves the
            # loop with `break` once .. `None`" read as its only way out (read 75 #33).
            flags.add("other-exits")
        if not handlers and _sole_exit(f, e, loop):
            flags.add("sole-exit")
        if any(r.kind == "loop" and r.id != loop.id and f.own(r.id) for r in fl.regions):
            # The fn has other loops: which one this leaves, by its head (influxdb3's snapshot
            # split breaks its listing loop, and "breaks out of the loop too" beside the spawn
            # loop read as that one, read 73 #14).
            slots["loop_head"] = f"{loop.keyword} {loop.head}".strip()
            flags.add("one-of-loops")
        out.append(make("loop_break", f.name, slots, [ctx.proof(e.src)], flags))
    return out


def _sole_exit(f: ItemFacts, e: Exit, loop: Region) -> bool:
    """Whether ``e`` is the loop's one way out: "another way out is the break .." beside "every
    path goes round again except `break`" counted it twice (zebrad's metrics refresh, read 81
    #19; agones' watch "breaks out of the loop too", #10)."""
    assert f.flow is not None
    return not any(
        x is not e
        and f.own(x.region)
        and (
            x.kind == "return"
            or x.kind == "question"
            and f.flow.inside(x.region, loop.id)
            or x.kind == "break"
            and exit_loop(f, x) is loop
        )
        for x in f.exits
    )


def _checked_elsewhere(f: ItemFacts, loop: Region, handler: Region, conds: list[str]) -> bool:
    """Whether a condition of the break is written again in ``loop`` outside ``handler``."""
    assert f.flow is not None
    scan = f.flow.scan
    lo, hi = scan.starts[loop.lo], f.flow.end_of(loop)
    h_lo, h_hi = scan.starts[handler.lo], f.flow.end_of(handler)
    text = scan.text
    outside = " ".join((text[lo:h_lo] + " " + text[h_hi:hi]).split())
    for cond in conds:
        bare = " ".join(cond.lstrip("!").split())
        if len(bare) >= 4 and bare in outside:
            return True
    return False


def _expiry_arm(f: ItemFacts, e: Exit, slots: dict[str, str], flags: set[str]) -> None:
    """`expiry` when the break sits in the `Err` arm of a `match` on a `timeout(d, fut).await`
    straight in the loop: the arm is taken when the timer runs out (aardvark-dns's TCP reader
    closes a connection silent for 3 s; "Its `Err(_)` branch breaks out of the loop too" said
    neither whose `Err` nor when, held-out read 102 #2)."""
    assert f.flow is not None
    arm = next((r for r in f.flow.chain(e.region) if r.kind == "arm"), None)
    if arm is None or not re.fullmatch(r"Err\(\s*\w*\s*\)", arm.head.strip()):
        return
    head = re.sub(r"\s+", " ", arm.keyword).strip()
    m = re.fullmatch(r"(?:match )?(?:tokio::time::)?timeout\((.+), (.+)\)\.await", head)
    if m is None or "\n" in head:
        return
    timer = next(
        (w for w in f.waits if w.role == "timeout" and w.arg.strip() == m.group(1).strip()), None
    )
    if timer is None or not timer.seconds:
        return
    slots["timed"], slots["dur"] = m.group(2).strip(), human_duration(timer.seconds)
    flags.add("expiry")
