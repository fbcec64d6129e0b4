"""What an error arm that `continue`s awaits before it does (`backoff.sleep_async()`), and what
that wait is built from when the fn binds it from durations (`ExponentialBackoff::new(250 ms,
30 s)`). graph-node's firehose ingestor backs off there, and "a log line at error level and a
`continue`" read as an at-once retry, with no backoff numbers (held-out read 84 #10)."""

from __future__ import annotations

import re

from ..consts import file_consts
from ..facts import ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from ..values import duration_seconds, expr_tokens, human_duration, split_commas
from .core import LIST_SEP, FileContext, Proof
from .shape import await_name

__all__ = ["arm_wait"]

_CTOR = re.compile(r"([A-Z]\w*(?:::\w+)*)::new\s*\((.*)\)", re.S)


def arm_wait(
    ctx: FileContext, f: ItemFacts, r: Region, slots: dict[str, str], flags: set[str]
) -> list[Proof]:
    """`arm_wait` (and `arm_wait_ctor`, `arm_wait_durs`) of error arm ``r``, with the proof of
    a tokio sleep said so (a claim of its own too, said with its length)."""
    assert f.flow is not None
    waits = [
        c
        for c in f.calls
        if c.awaited
        and f.flow.inside(c.region, r.id)
        and not f.flow.conditions(c.region, r.id)
        and mechanism(c.full) is None
    ]
    if "continues" not in flags:
        return []
    if not waits:
        # A tokio sleep in the arm: ntpd's key-exchange server logs a failed bind, sleeps
        # `timeout` and `continue`s, and "a log line at error level and a `continue`" read as
        # a retry at once (held-out read 95 #17).
        sleeps = [
            w
            for w in f.waits
            if w.role == "sleep"
            and f.flow.inside(w.region, r.id)
            and not f.flow.conditions(w.region, r.id)
            and not f.flow.future_below(w.region, r.id)
            and len(w.src.text) <= 60
            and "\n" not in w.src.text
        ]
        # One sleep written in several arms is said once, by its own claim (relay_link trap).
        twins = [
            w
            for w in f.waits
            if sleeps and w.src.text == sleeps[0].src.text and not f.flow.inside(w.region, r.id)
        ]
        if not sleeps:
            return []
        if twins:
            flags.add("sleeps-in-arm")  # said without its length: the sleep's claim gives it
            return []
        slots["arm_wait"] = sleeps[0].src.text
        flags.add("waits-in-arm")
        return [ctx.proof(sleeps[0].src)]
    slots["arm_wait"] = await_name(waits[0])
    flags.add("waits-in-arm")
    built = [a for a in f.assigns if a.is_let and a.var == waits[0].receiver]
    m = _CTOR.fullmatch(built[0].value.strip()) if len(built) == 1 else None
    if m is None:
        return []
    consts = file_consts(ctx.fs)
    args = split_commas(m.group(2))
    secs = [duration_seconds(expr_tokens(x), consts) for x in args]
    if args and all(s is not None for s in secs):
        slots["arm_wait_ctor"] = f"{m.group(1)}::new"
        slots["arm_wait_durs"] = LIST_SEP.join(human_duration(s) for s in secs if s is not None)
        flags.add("wait-built")
    return []
