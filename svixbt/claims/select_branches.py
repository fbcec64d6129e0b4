"""What each `select!` branch does once it wins, and the condition the select sits under.

A select said only as "the first to finish picks the branch" told a reader nothing the macro's
name does not (blind read 5 on tonic: four thinks were that one sentence). What a branch does is
read from its handler's statements: empty, calls made as whole statements (quoted as written), a
value the bound select takes, or a `return` when no loop is around. A handler with anything else
in it (a `match`, an assignment, a `break`) is not described: what is said is its whole body.
"""

from __future__ import annotations

import re

from ..fact_types import Log
from ..facts import ItemFacts
from ..flow import Region, branch_future, statements, tokens_text
from .blocks import bound_async_block
from .core import LIST_SEP, Claim, FileContext, Proof, make
from .shape import CANCEL_FUTURE, codes, guard_of

__all__ = ["select_branch_claims", "construct_guard", "unsaid_condition"]

_QUOTABLE = 56  # a statement longer than this is not quoted whole
_MAX_RUNS = 3
# A statement starting with one of these is not a call made for its effect.
_NOT_CALL = frozenset(
    {"let", "if", "match", "for", "while", "loop", "return", "break", "continue", "unsafe"}
)


# A branch body that says its future never completes.
_NEVER = re.compile(r"(?:unreachable|unimplemented)!\(.*\)\s*;?", re.S)


def construct_guard(ctx: FileContext, f: ItemFacts, h: Region) -> tuple[str, list[Proof]] | None:
    """The conditions (within its loop pass, if it loops) a select or join whose branch is ``h``
    runs under, and their proofs; None when it runs unconditionally or under a condition that cannot
    be said as a conjunction (an `else`, a `match` arm)."""
    assert f.flow is not None
    conds, arm, negated = guard_of(f, h.id)
    if not conds or arm or negated:
        return None
    # A `let .. else { return }` passed on the way is a condition too, one no conjunction of
    # `if` heads says (lemmy's `initial_fail_sleep` returns early when the delay has passed:
    # "races only when `fail_count > 0`" dropped it, blind read 10).
    ancestors = {a.id for a in f.flow.chain(h.id)}
    if any(
        r.kind == "let-else" and r.parent in ancestors and r.hi <= h.start_tok
        for r in f.flow.regions
    ):
        return None
    heads = [
        r
        for r in f.flow.conditions(h.id)
        if r.kind == "if" and r.head in conds and r.head_start >= 0
    ]
    if len(heads) != len(conds):
        return None
    return codes(*conds), [ctx.proof(ctx.head_src(r)) for r in heads]


def unsaid_condition(f: ItemFacts, h: Region) -> bool:
    """Whether the select or join whose branch is ``h`` runs only in one `match` arm or an
    `else` (within its loop pass): a condition no `guard` slot says. A request asking for the
    race without it asked for what runs on one path only (neon's compute hook races its lock
    only on `AwaitLock`, held-out read 22)."""
    assert f.flow is not None
    loop = f.flow.loop_of(h.id)
    _, arm, negated = guard_of(f, h.id, loop.id if loop else None)
    return bool(arm) or negated


def select_branch_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """One ``select_branch`` claim per branch of the item's own selects whose handler can be said
    whole, and one ``runs_under`` per select that runs under a condition."""
    if f.flow is None:
        return []
    groups: dict[int, list[Region]] = {}
    for r in f.flow.regions:
        if r.kind == "select-handler" and f.own(r.id):
            groups.setdefault(r.start_tok, []).append(r)
    out: list[Claim] = []
    for handlers in groups.values():
        select = handlers[0].keyword + "!"
        in_loop = f.flow.loop_of(handlers[0].id) is not None
        # A `return` in a closure or async block returns from that, not from the fn.
        nested = any(a.kind in ("closure", "async") for a in f.flow.chain(handlers[0].id))
        bound = _bound_name(ctx, handlers[0].start_tok)
        said: list[Claim] = []
        for h in handlers:
            if not h.detail:
                continue  # the `else` branch
            if CANCEL_FUTURE.search(h.detail) and any(
                e.kind in ("return", "break") and f.flow.inside(e.region, h.id) for e in f.exits
            ):
                continue  # a stop branch: said by ``shutdown_branch``
            endless = _endless_local(f, h.detail)
            does = (
                ({}, {"never-ends"}) if endless else _handler(ctx, f, h, in_loop or nested, bound)
            )
            if does is None:
                continue
            slots, flags = does
            slots.update(future=h.detail, select=select)
            if in_loop:
                flags.add("in-loop")
            if all(not x.detail.strip().startswith("&") for x in handlers if x is not h):
                flags.add("losers-owned")  # no loser raced by reference: a win drops them all
            proof = [_handler_proof(ctx, h)]
            if endless is not None:
                proof.append(ctx.proof(ctx.region_src(f, endless)))
            said.append(make("select_branch", f.name, slots, proof, flags))
        # An empty handler is worth saying beside one that does something: where every branch
        # only ends the wait, the select's own sentence says all there is (svix's signal race).
        if any("empty" not in c.flags for c in said):
            out += said
        guard = construct_guard(ctx, f, handlers[0])
        if guard is not None:
            cond, proof = guard
            start = ctx.fs.scan.starts[handlers[0].start_tok]
            tok = ctx.fs.scan.texts[handlers[0].start_tok]
            sel = Proof(ctx.display, start, start + len(tok), tok)
            flags = {"select", "in-loop"} if in_loop else {"select"}
            slots = {"mech": select, "guard": cond}
            if len(groups) > 1:
                # Another select in the fn (rustfs's `await_with_control` races in its `if let`
                # and again in the `else`): "all of this racing happens only when .." landed
                # beside the other one (held-out read 77 #25, FALSE). Said by what it races.
                flags.add("several")
                slots["futures"] = codes(*(branch_future(h.detail) for h in handlers if h.detail))
            out.append(make("runs_under", f.name, slots, [sel, *proof], flags))
    return out


def _endless_local(f: ItemFacts, name: str) -> Region | None:
    """The `loop` of `let name = async { .. loop { .. } }` bound in the fn, when nothing in that
    block leaves it (no `break`, `return` or `?`): the future never finishes, so its branch never
    wins (quinn perf's `stats_fut`: "A win for `stats_fut` runs an empty handler" described a
    branch that cannot run, held-out read 88 #3)."""
    fl = f.flow
    blk = bound_async_block(f, [name]) if fl is not None else None
    if fl is None or blk is None or not f.own(blk.id):
        return None
    loops = [
        r for r in fl.regions if r.kind == "loop" and r.keyword == "loop" and r.parent == blk.id
    ]
    if len(loops) != 1:
        return None
    if any(e.kind != "continue" and fl.inside(e.region, blk.id) for e in f.exits):
        return None
    return loops[0]


def _handler_proof(ctx: FileContext, h: Region) -> Proof:
    scan = ctx.fs.scan
    # From the select's keyword would cover every branch; the handler's own tokens are enough,
    # with its pattern: from the head through the handler's last token.
    a = (
        h.head_start
        if h.head_start >= 0
        else scan.starts[h.start_tok if h.start_tok >= 0 else h.lo]
    )
    last = max(h.lo, h.hi - 1)
    b = scan.starts[last] + len(scan.texts[last]) if h.hi > h.lo else h.head_end
    return Proof(ctx.display, a, b, scan.text[a:b])


def _bound_name(ctx: FileContext, tok: int) -> str:
    """`x` for `let x = tokio::select! {..}` (the select's path starts at ``tok``), else ""."""
    t = ctx.fs.scan.texts
    j = tok - 1
    while j >= 0 and ctx.fs.scan.codes[j] in "cdi":
        j -= 1
    if j >= 2 and t[j] == "=" and t[j - 2] == "let" and ctx.fs.scan.codes[j - 1] == "n":
        return t[j - 1]
    if j >= 3 and t[j] == "=" and t[j - 3] == "let" and t[j - 2] == "mut":
        return t[j - 1]
    return ""


def _text(ctx: FileContext, a: int, b: int) -> str:
    scan = ctx.fs.scan
    return tokens_text(scan.texts, scan.codes, scan.starts, a, b)


def _is_call(ctx: FileContext, f: ItemFacts, a: int, b: int) -> bool:
    """Tokens ``[a, b)`` are one call made for its effect: `move_to_idle(&data)`,
    `tx.send(x).await`, `tracing::warn!(..)`; no binding, no assignment, no `?`."""
    t = ctx.fs.scan.texts
    if t[a] in _NOT_CALL:
        return False
    end = b - 1
    while end > a and t[end] in ("await", "."):
        end -= 1
    if t[end] != ")" or any(t[k] == "=" for k in range(a, b)):
        return False
    return any(c.close_tok == end for c in f.calls)


def _lone_log(ctx: FileContext, f: ItemFacts, stmt: tuple[int, int]) -> Log | None:
    """The log macro call statement ``stmt`` is, when it is one with a message."""
    start = ctx.fs.scan.starts[stmt[0]]
    return next((lg for lg in f.logs if lg.src.start == start and lg.message), None)


def _handler(
    ctx: FileContext, f: ItemFacts, h: Region, no_return: bool, bound: str
) -> tuple[dict[str, str], set[str]] | None:
    """What the handler does, as slots and flags, or None when it cannot be said whole."""
    stmts, tail = statements(ctx.fs.scan, h.lo, h.hi)
    if not stmts:
        return {}, {"empty"}
    t = ctx.fs.scan.texts
    slots: dict[str, str] = {}
    flags: set[str] = set()
    last = stmts[-1]
    if t[last[0]] == "return":
        if no_return or last[1] - last[0] < 2:
            return None
        slots["expr"] = _text(ctx, last[0] + 1, last[1])
        flags.add("returns")
        stmts = stmts[:-1]
    elif tail and (bound or not _is_call(ctx, f, *last)):
        # A bound select's tail is its value, a call included (`y.unwrap_or(1)`).
        if not bound or t[last[0]] in _NOT_CALL:
            return None
        slots["expr"] = _text(ctx, *last)
        if slots["expr"] == bound or re.fullmatch(r"[a-z_][a-z0-9_]*", slots["expr"]):
            # `res = &mut handle => res`: the branch only hands on what it got; "a win for
            # `handle` makes `res` `res`" said nothing (held-out read 16's draft, pgdog).
            return None
        slots["bound"] = bound
        flags.add("value")
        if slots["expr"].endswith("?"):
            if no_return:
                return None
            flags.add("tries")
        stmts = stmts[:-1]
    if len(stmts) > _MAX_RUNS or not all(_is_call(ctx, f, a, b) for a, b in stmts):
        return None
    runs = [_text(ctx, a, b) for a, b in stmts]
    if len(runs) == 1 and len(runs[0]) > _QUOTABLE and not slots:
        # A branch whose whole body is one log line too long to quote is said by its line
        # (parseable's `run_drain`: each branch only writes which way the race went).
        lg = _lone_log(ctx, f, stmts[0])
        if lg is not None:
            return {"message": lg.message, "level": lg.level, "macro": lg.macro}, {"logs"}
    if any(len(x) > _QUOTABLE for x in runs) or len(slots.get("expr", "")) > _QUOTABLE:
        return None
    if runs and all(
        re.fullmatch(r"(?:unreachable|unimplemented)!\(.*\)\s*;?", x, re.S) for x in runs
    ):
        # `_ = run() => unreachable!()`: the author holds that this future never completes
        # (sshx's `run` returns `!`); "when `run()` wins, its body is `unreachable!()`" read as
        # if it could win (held-out read 34).
        slots["runs"] = LIST_SEP.join(runs)
        flags |= {"runs", "unreachable"}
        return slots, flags
    if runs:
        slots["runs"] = LIST_SEP.join(runs)
        flags.add("runs")
        if len(runs) > 1:
            flags.add("several")
    return slots, flags
