"""Work a pass loop does only every so often: `if last.elapsed() >= limit { work().await; last =
Instant::now(); }`. docs.rs's registry watcher runs `index.run_git_gc()` so, once per
`config.registry_gc_interval` seconds inside a loop paced by another delay; its records said
the loop's own pause and nothing of the slower beat riding on it (session 46)."""

from __future__ import annotations

import re

from ..facts import ItemFacts
from .core import Claim, FileContext, make
from .loops import own_main_loop
from .round_work import call_said
from .shape import codes, guard_of

__all__ = ["slow_beat_claims"]

_ELAPSED = re.compile(
    r"(?P<timer>[a-z_][\w.]*)\.elapsed\(\)(?:\.(?P<unit>as_secs|as_millis|as_secs_f64|as_secs_f32)\(\))?"
    r"\s*(?P<cmp>>=|>)\s*(?P<limit>[^{};]+)"
)
_UNITS = {
    "as_secs": "seconds",
    "as_secs_f64": "seconds",
    "as_secs_f32": "seconds",
    "as_millis": "milliseconds",
}


def slow_beat_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    loop = own_main_loop(f)
    if loop is None:
        return []
    out: list[Claim] = []
    for r in fl.regions:
        if r.kind != "if" or r.parent is None or not fl.inside(r.id, loop.id) or r.after:
            continue
        if fl.loop_of(r.id) is not loop and fl.loop_of(r.id) != loop:
            continue  # inside an inner loop: not once per round
        m = _ELAPSED.fullmatch(r.head.strip())
        if m is None:
            continue
        body = fl.scan.text[
            fl.scan.starts[r.lo] : fl.scan.starts[min(r.hi, len(fl.scan.starts) - 1)]
        ]
        timer = re.escape(m.group("timer"))
        if not re.search(rf"(?<![\w.]){timer}\s*=\s*(?:[\w:]*::)?Instant::now\(\)", body):
            continue  # not reset in its own branch: no beat, a deadline
        calls = [
            said
            for c in f.calls
            if c.awaited
            and fl.inside(c.region, r.id)
            # Run by the round itself, not by a task the branch spawns (rabbitmq-stream's perf
            # producer hands `calculate_stats` to `tokio::spawn` once a minute).
            and fl.task_of(c.region).id == fl.task_of(r.id).id
            # Not one under a further condition of the branch (defguard's enterprise check
            # runs only when the license status changed, held-out read 94 #F8).
            and not fl.conditions(c.region, stop=r.id)
            for said in [call_said(c) or c.written]
            if said
        ]
        if not calls:
            continue
        # The branch may sit under another condition of the round (docs.rs's gc runs only on
        # rounds that find the queue unlocked): said with it, or not at all.
        conds, arm, negated = guard_of(f, r.id, loop.id, fl.scan.starts[r.start_tok])
        conds = [c for c in conds if c.strip() != r.head.strip()]
        if arm or negated:
            continue
        slots = {
            "cond": r.head.strip(),
            "timer": m.group("timer"),
            "limit": m.group("limit").strip(),
        }
        slots["calls"] = codes(*list(dict.fromkeys(calls))[:2])
        flags = {"at-least" if m.group("cmp") == ">=" else "more-than"}
        slots["cmp_words"] = "at least" if m.group("cmp") == ">=" else "more than"
        if conds:
            slots["guard"] = codes(*conds)
            flags.add("guarded")
        if m.group("unit"):
            slots["unit"] = _UNITS[m.group("unit")]
            flags.add("unit")
        out.append(make("slow_beat", f.name, slots, [ctx.proof(ctx.region_src(f, r))], flags))
    return out
