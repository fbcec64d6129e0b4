"""A log line that names a wait the code does not take: AppFlowy's indexer logs "waiting for 30s
before retrying..." and then sleeps 15 seconds (a held-out read; nothing was said of it). The
line is what on-call reads, so the mismatch is worth a sentence of its own."""

from __future__ import annotations

import re

from ..fact_types import Log
from ..facts import ItemFacts
from ..values import human_duration
from .core import Claim, FileContext, make

__all__ = ["log_duration_claims"]

_UNIT = {
    "ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hour": 3600.0, "hours": 3600.0,
}  # fmt: skip
_SAID = re.compile(
    r"(?<![\w.{])(\d+(?:\.\d+)?)\s?(" + "|".join(sorted(_UNIT, key=len, reverse=True)) + r")\b"
)


def log_duration_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    out: list[Claim] = []
    for w in f.waits:
        if w.role != "sleep" or w.seconds is None or not f.own(w.region):
            continue
        for lg in _lines_beside(f, w.region, w.src.start):
            said = _SAID.findall(lg.message)
            if len(said) != 1:
                continue  # none, or several numbers: which one is the wait is not clear
            value, unit = said[0]
            seconds = float(value) * _UNIT[unit]
            if abs(seconds - w.seconds) < 1e-9:
                continue
            slots = {
                "level": lg.level,
                "macro": lg.macro,
                "message": lg.message,
                "said": f"{value}{'' if len(unit) <= 3 else ' '}{unit}",
                "dur": human_duration(w.seconds),
                "mech": w.mechanism,
            }
            out.append(
                make("log_wait_mismatch", f.name, slots, [ctx.proof(lg.src), ctx.proof(w.src)])
            )
    return out


def _lines_beside(f: ItemFacts, region: int, before: int) -> list[Log]:
    """The log lines written in the wait's own block, before it: what announces the wait."""
    return [lg for lg in f.logs if lg.region == region and lg.src.end <= before]
