"""What a round does before its sleep, for the claims of ``schedule_waits`` and ``round_work``:
nothing awaited, so every round, the first included, waits (`opens-round`); calls made first all
the same (`sync-before`); an event awaited first, with work after the sleep (`after-event`, a
batching window rather than a pause between rounds)."""

from __future__ import annotations

import re

from ..facts import Call, ItemFacts, Wait
from ..flow import Region
from ..mechanisms import mechanism
from .core import codes_upto
from .shape import call_said
from .wait_place import _EVENT_WAITS, opens_round

__all__ = ["called_before", "event_before", "mark_opening", "raced_wait", "sync_before"]


# What only works out a wait's own length or instant (`let d = Duration::from_secs(n)`,
# `Instant::now()`): no work the round does before its wait.
_TIME_VALUE = re.compile(
    r"(?:^|::)(?:Duration|Instant|SystemTime)::\w+$|^(?:from_\w+|now|elapsed)$"
)


def _body_start(f: ItemFacts, loop: Region) -> int:
    assert f.flow is not None
    starts = f.flow.scan.starts
    return max(starts[loop.lo] if loop.lo < len(starts) else 0, loop.head_end)


def sync_before(f: ItemFacts, w: Wait) -> list[Call]:
    """The calls a round makes, unawaited, before sleep ``w`` in its loop's own body: with any
    the round does not open with its wait (a metrics loop that snapshots a gauge and then
    sleeps: "every round starts with its wait" was FALSE, held-out read 97 #17). Calls that
    only work out the wait's own length, and calls inside another's arguments, are left out."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    if loop is None or w.region != loop.id:
        return []
    feeds = set(re.findall(r"\b[a-z_]\w*\b", w.arg))
    fed = [a.src for a in f.assigns if a.var in feeds]
    out: list[Call] = []
    for c in sorted(f.calls, key=lambda c: c.src.start):
        if (
            c.awaited
            or not _body_start(f, loop) <= c.src.start < w.src.start
            or f.flow.loop_of(c.region) is not loop
            or not f.own(c.region)
            or _TIME_VALUE.search(c.full or c.name)
            or any(a.start <= c.src.start < a.end for a in fed)
            or any(o.src.start <= c.src.start < o.src.end for o in out)
        ):
            continue
        out.append(c)
    return out


# Methods that only unwrap or convert what a call gave: not a call a sentence should list.
_PLUMBING = frozenset(
    {"unwrap", "expect", "clone", "to_owned", "to_string", "into", "as_ref", "as_mut", "iter"}
)


def _listed(f: ItemFacts, w: Wait, calls: list[Call]) -> list[str]:
    """The calls of ``calls`` a sentence names as what every round does before ``w``: outside
    any condition, not a method chained on another call's result, not plumbing."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    stop = loop.id if loop is not None else None
    named = [
        call_said(c)
        for c in calls
        if c.name not in _PLUMBING and not f.flow.conditions(c.region, stop=stop)
    ]
    return list(dict.fromkeys(n for n in named if n))


def event_before(f: ItemFacts, w: Wait) -> Call | None:
    """The event a round awaits, outside any condition, before sleep ``w`` in its loop's own
    body (`let Some(first) = rx.recv().await else { break }; sleep(WINDOW).await; drain`): the
    sleep follows each arrival, it does not space the rounds out on a clock (a batching window
    said to be "between rounds" was FALSE, held-out read 97 #11)."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    if loop is None or w.region != loop.id:
        return None
    start = f.flow.scan.starts[loop.start_tok if loop.start_tok >= 0 else loop.lo]
    body = _body_start(f, loop)
    for c in sorted(f.calls, key=lambda c: c.src.start):
        if not (c.awaited and c.name in _EVENT_WAITS and f.own(c.region)):
            continue
        if not start <= c.src.start < w.src.start:
            continue
        in_head = c.src.start < body and loop.keyword == "while"
        if in_head or (
            f.flow.loop_of(c.region) is loop and not f.flow.conditions(c.region, stop=loop.id)
        ):
            return c if _works_after(f, w, loop) else None
    return None


def _works_after(f: ItemFacts, w: Wait, loop: Region) -> bool:
    """Whether the round calls anything after sleep ``w``: a sleep that ends the round after
    its event is a pause between rounds after all (a keep-alive that touches the peer, then
    sleeps, then takes the next one)."""
    assert f.flow is not None
    end = f.flow.end_of(loop)
    return any(
        w.src.end <= c.src.start < end and f.flow.inside(c.region, loop.id) and f.own(c.region)
        for c in f.calls
    )


def mark_opening(
    f: ItemFacts, w: Wait, first: bool, slots: dict[str, str], flags: set[str]
) -> None:
    """What a round does before sleep ``w``: nothing awaited, so every round, the first
    included, waits (`opens-round`; ``first``: work the sleep comes before was found); an event
    it waits for first (`after-event`); calls it makes first all the same (`sync-before`)."""
    if first or opens_round(f, w):  # the first round waits too (mongodb's SRV poller, read 92)
        flags.add("opens-round")
    event = event_before(f, w)
    if event is not None and call_said(event):
        flags.add("after-event")
        slots["event"] = call_said(event)
    _timed_before(f, w, slots, flags)
    prior = sync_before(f, w) if flags & {"opens-round", "waits-first"} else []
    if prior:
        flags.add("sync-before")
        listed = _listed(f, w, prior)
        if listed:
            slots["prior"] = codes_upto(listed, 2)


def called_before(f: ItemFacts, w: Wait, reg: Region) -> bool:
    """Whether the spawned loop calls anything before its sleep ``w`` in a round (not the
    sleep's own arguments): "runs `retain(..)` and sleeps 5 minutes every round" of svix's
    memory cache, whose rounds sleep first, put the order the wrong way round."""
    assert f.flow is not None
    fl = f.flow
    lp = fl.loop_of(w.region)
    if lp is None:
        return True  # no round to order: said as it was
    return any(
        c.src.start < w.src.start
        and not (w.src.start <= c.src.start < w.src.end)
        and fl.task_of(c.region).id == reg.id
        and fl.inside(c.region, lp.id)
        and mechanism(c.full) is None
        # A log line or working out the wait is no work of the round (`debug!("sleeping")`,
        # `Duration::from_secs(n)`): the review of session 63 found the first kept the flag off.
        and c.kind != "macro"
        and not _TIME_VALUE.search(c.written)
        for c in f.calls
    )


def _timed_before(f: ItemFacts, w: Wait, slots: dict[str, str], flags: set[str]) -> None:
    """`after-timed` when the round first waits under a timeout, outside any condition, in the
    loop's own body: ockam's scheduler waits up to `self.interval` for `rx.recv()` and then
    sleeps 100 ms, and "a sleep of 100 milliseconds spaces the rounds out" left out the wait
    that does (held-out read 104 #18)."""
    assert f.flow is not None
    loop = f.flow.loop_of(w.region)
    if loop is None or w.region != loop.id:
        return
    timers = [
        t
        for t in f.waits
        if t.role == "timeout"
        and t.src.start < w.src.start
        and f.flow.loop_of(t.region) is loop
        and not f.flow.conditions(t.region, stop=loop.id)
    ]
    call = next((c for c in f.calls if timers and c.src.start == timers[-1].src.start), None)
    if call is None or len(call.args) != 2 or len(call.args[1]) > 40 or "\n" in call.args[1]:
        return
    waited = re.search(r"\.\s*(\w+)\s*\(\s*\)\s*$", call.args[1])
    if waited is None or waited.group(1) not in _EVENT_WAITS:
        return  # a timeout around the round's own work is its work, not a wait between rounds
    slots["timed_arg"], slots["timed_call"] = timers[-1].arg, call.args[1].strip()
    slots["timed_mech"] = timers[-1].mechanism
    flags.add("after-timed")


def raced_wait(f: ItemFacts, w: Wait) -> bool:
    """Whether wait ``w`` is the future of a select branch: a round another branch wins does
    not sit it out, so it is no pace of every round."""
    assert f.flow is not None
    return any(r.kind == "select-future" for r in f.flow.chain(w.region))
