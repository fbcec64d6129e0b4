"""A `select!` whose branches each write a line of their own: what the log says about which
branch won, as one claim instead of one sentence per branch (shuttle's runtime races eight
signal futures, each branch with its own `warn!`: the think listed all eight, a held-out read).
"""

from __future__ import annotations

from ..facts import ItemFacts
from .core import LIST_SEP, Claim, FileContext, make
from .premises import of_kind

__all__ = ["branch_log_claims"]

# Fewer than this many branches are said one by one, which reads fine.
_AT_LEAST = 3


def branch_log_claims(ctx: FileContext, f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """From the item's ``log`` claims in select branches: per select, when three or more of its
    branches each write exactly one unconditional line, all with one macro and every message
    its own, one ``branch_logs`` claim proven by every one of those lines."""
    if f.flow is None:
        return []
    fl = f.flow
    by_start = {lg.src.start: lg for lg in f.logs}
    groups: dict[int, list[tuple[Claim, int]]] = {}
    for c in of_kind(claims, "log"):
        if "in-select" not in c.flags or {"guarded", "in-arm"} & c.flags:
            continue
        if not (c.get("message") and c.get("branch")):
            continue
        lg = by_start.get(c.proof[0].start)
        if lg is None:
            continue
        handler = next((r for r in fl.chain(lg.region) if r.kind == "select-handler"), None)
        if handler is None:
            continue
        # Only a line written straight in the handler is the branch's one line: moonfire's
        # SIGQUIT branch logs per task in a `for` inside a `match` arm (under a `#[cfg]`), and
        # "three branches each write a line of their own" was misleading (held-out read 86).
        between = [r for r in fl.chain(lg.region) if fl.inside(r.id, handler.id)]
        if any(r.kind != "select-handler" for r in between):
            continue
        # Keyed by the select's own token: two selects in one block (a unix and a windows one)
        # are two groups.
        groups.setdefault(handler.start_tok, []).append((c, handler.id))
    out: list[Claim] = []
    for members in groups.values():
        handlers = [h for _, h in members]
        logs = [c for c, _ in members]
        if (
            len(members) < _AT_LEAST
            or len(set(handlers)) != len(handlers)
            or len({c.get("macro") for c in logs}) != 1
            or len({c.get("message") for c in logs}) != len(logs)
        ):
            continue
        first = logs[0]
        slots = {
            "select": first.get("select"),
            "macro": first.get("macro"),
            "level": first.get("level"),
            "count": str(len(logs)),
            "branches": LIST_SEP.join(c.get("branch") for c in logs),
            "message": first.get("message"),
            "branch": first.get("branch"),
        }
        out.append(make("branch_logs", f.name, slots, [p for c in logs for p in c.proof]))
    return out
