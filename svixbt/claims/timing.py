"""How long a call or a pass took, as a log line reports it: a `let start = Instant::now()`
whose `start.elapsed()` a log line carries."""

from __future__ import annotations

import re

from ..facts import ItemFacts
from .blocks import awaits_after
from .core import Claim, FileContext, make
from .shape import guard_of, main_loop, put_guard

__all__ = ["timing_claims"]


def _tok_at(f: ItemFacts, offset: int) -> int:
    """The token that starts at char ``offset`` (or the first one after it)."""
    assert f.flow is not None
    starts = f.flow.scan.starts
    return next((k for k in range(f.flow.lo, f.flow.hi) if starts[k] >= offset), f.flow.lo)


def timing_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    starts = [
        a
        for a in f.assigns
        if a.is_let and re.fullmatch(r"(?:std::time::)?Instant::now\(\)", a.value)
    ]
    out: list[Claim] = []
    for a in starts:
        uses = [lg for lg in f.logs if f"{a.var}.elapsed()" in lg.src.text.replace(" ", "")]
        if not uses:
            continue
        lg = uses[0]
        m = re.search(r"(\w+)\s*=\s*\??\s*" + re.escape(a.var) + r"\.elapsed\(\)", lg.src.text)
        slots = {"start": a.var, "level": lg.level}
        if m:
            slots["field"] = m.group(1)
        loop = main_loop(f)
        conds, arm, negated = guard_of(f, lg.region, loop.id if loop else None, lg.src.start)
        flags: set[str] = set()
        if negated:
            continue
        if any(not x.is_let and x.var == a.var for x in f.assigns):
            # `start = Instant::now();` again between lines: each line times one stage
            # (hyperlane's relayer start-up: "reports the elapsed time .. at the end", read 63).
            flags.add("restarted")
        elif len(uses) > 1:
            flags.add("several-lines")  # each line carries the time since the one start
        if awaits_after(f, lg.src.end):
            # The line comes before the call's last awaits (hyperlane's relayer logs "fully
            # started" and then waits on its tasks: "at the end" was MISLEADING, read 63).
            flags.add("awaits-after")
        put_guard(slots, flags, conds, arm)
        flags.discard("err-arm")  # a timing line is said with its arm, not as error handling
        if loop is not None and fl.inside(fl.region_at(_tok_at(f, a.src.start)).id, loop.id):
            flags.add("per-pass")  # "before each pass" only of a start taken in the loop
        # A `?` or `return` between the start and the line: a run that leaves there logs no
        # time (parseable's hot-tier tick: "reports the elapsed time" dropped its eight `?`s).
        if any(
            e.kind in ("question", "return")
            and a.src.end <= e.src.start < lg.src.start
            and f.own(e.region)
            for e in f.exits
        ):
            flags.add("exits-before")
        out.append(make("timing", f.name, slots, [ctx.proof(a.src), ctx.proof(lg.src)], flags))
    return out
