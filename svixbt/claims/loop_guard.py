"""The condition a whole loop sits under: `if opt.common.conn_stats { loop { sleep(..); .. } }`.

Claims about such a loop's rounds (its pause, its ways out, that it never ends) hold only once the
`if` is taken; said bare they read as the fn's whole behaviour. quinn's perf server: "It is a
bare `loop` with no way out inside, so it runs for as long as its future is polled" of a
`conn_stats` that returns `Ok(())` at once without the flag (held-out read 88 #6, #8, #9).
"""

from __future__ import annotations

from dataclasses import replace

from ..facts import ItemFacts
from ..flow import CONDITION_KINDS, Region, let_bound
from .core import Claim, FileContext

__all__ = ["in_future", "mark_loop_guard"]

# Kinds that speak of a loop's rounds, pace or end without a guard of their own. Others (a log
# line, an error arm, a return) carry the full chain of conditions over them already.
_ROUND_KINDS = frozenset(
    {
        "loop",
        "sleep",
        "interval",
        "ticker",
        "timeout",
        "spin",
        "closed_spin",
        "endless_task",
        "loop_break",
        "select_exit",
        "exit_tally",
        "select",
        "select_branch",
        "deadline_sleep",
        "mul_growth",
        "doubling",
        "growth",
        "backoff",
        "linear_backoff",
        "trailing_sleep",
        "wait_after_pass",
        "first_pass",
        "round_work",
        "round_skips",
        "slow_beat",
        "recv_loop",
        "serial_loop",
        "shutdown_loop",
        "task_end",
    }
)


def mark_loop_guard(ctx: FileContext, f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """Claims about a loop that one plain `if` of the fn's own task holds, with that `if`'s
    condition as slot ``loop_if`` (flag ``loop-guarded``)."""
    fl = f.flow
    if fl is None:
        return claims
    scan = ctx.fs.scan
    spans: list[tuple[int, int, str, str]] = []
    for r in fl.regions:
        if r.kind != "loop" or not f.own(r.id):
            continue
        # From the loop's keyword, so the loop claim's proof (its head) lies inside too.
        a = scan.starts[r.start_tok if r.start_tok >= 0 else r.lo]
        b = scan.starts[r.hi - 1] + 1
        cond = _only_if(fl.chain(r.id)[1:])
        if cond:
            spans.append((a, b, "loop_if", cond))
        held = _held_future(f, r)
        if held:
            spans.append((a, b, "loop_future", held))
    if not spans:
        return claims

    def marks(c: Claim) -> dict[str, str]:
        own = [p for p in c.proof if p.file == ctx.display]
        if not own or c.kind not in _ROUND_KINDS:
            return {}
        found: dict[str, set[str]] = {}
        for a, b, slot, value in spans:
            if all(a <= p.start and p.end <= b for p in own) and not c.get(slot):
                found.setdefault(slot, set()).add(value)
        return {slot: v.pop() for slot, v in found.items() if len(v) == 1}

    out = []
    for c in claims:
        got = marks(c)
        if got:
            flags = {_FLAGS[slot] for slot in got}
            c = replace(c, slots=(*c.slots, *got.items()), flags=c.flags | flags)
        out.append(c)
    return out


_FLAGS = {"loop_if": "loop-guarded", "loop_future": "loop-in-future"}


def _held_future(f: ItemFacts, loop: Region) -> str:
    """`x` when ``loop`` is the body of `let x = async { .. loop { .. } }`: a future the fn
    races or awaits later, whose rounds are that future's, not the fn's (nativelink's
    `stall_warn_fut` logs every minute while an upload runs: "between rounds it should sleep
    for 1 minute" of `upload_results` was misleading, held-out read 89 #6)."""
    fl = f.flow
    assert fl is not None
    blk = next((r for r in fl.chain(loop.id)[1:] if r.kind in ("async", "closure")), None)
    return let_bound(fl.scan.texts, blk) if blk is not None else ""


def _only_if(chain: list[Region]) -> str:
    """The head of the one `if` among ``chain`` (a loop's enclosing regions, innermost first,
    up to the fn), or "" when none, several, another loop or another kind of condition."""
    found = ""
    for r in chain:
        if r.kind in ("loop", "spawn", "blocking", "closure", "async"):
            return ""
        if r.kind == "if" and r.head and not found:
            found = r.head
        elif r.kind in CONDITION_KINDS:
            return ""
    return found


def in_future(f: ItemFacts, region: int, loop: Region) -> bool:
    """Whether ``region`` sits in an `async` block or closure written inside ``loop``: what
    runs there runs when that future is polled, not as a step of the round."""
    assert f.flow is not None
    return f.flow.future_below(region, loop.id)
