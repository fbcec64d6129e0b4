"""What a round of a loop costs and repeats: an error branch that `continue`s skips every later
call of the loop body until the next round (a failed first migration means the second is not
tried in that round either), and a call to a same-file fn that can only end with an error makes
every round follow a failure and start that fn over."""

from __future__ import annotations

import re

from ..consts import file_consts
from ..fact_types import Call, Src
from ..facts import ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from ..values import duration_seconds, eval_number, expr_tokens, human_duration
from .core import Claim, FileContext, make
from .deadlines import deadline_claims
from .failures import scrutinee_call
from .round_work import round_work
from .shape import awaits_outside, codes, codes_upto, guard_of, main_loop

__all__ = ["round_claims"]


def round_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    loop = main_loop(f)
    if loop is None:
        return []
    out = (
        round_work(ctx, f)
        + _skips(ctx, f, loop)
        + _only_errors(ctx, f, loop)
        + _sleep_budget(ctx, f, loop)
    )
    out += _attempt_cap(ctx, f, loop) + _stale_check(ctx, f, loop)
    out += deadline_claims(ctx, f, loop)
    return out + _trailing_sleep(ctx, f, loop) + _timeout_escapes(ctx, f, loop)


def _timeout_escapes(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    """`timeout(d, call).await.map_err(..)?` in a loop that sleeps and tries again: the `?` hands
    that expiry straight up, so the loop never retries it (the Rust SDK's `execute_with_backoff`:
    a request that runs past `conf.timeout` is not retried). Nothing is said of other failures:
    blind read 38 counted "the one failure never retried" false (4xx and validation errors
    return at once too)."""
    assert f.flow is not None
    text = ctx.fs.text
    out: list[Claim] = []
    sleeps = [w for w in f.waits if w.role == "sleep" and f.flow.loop_of(w.region) is loop]
    for w in f.waits:
        if w.role != "timeout" or f.flow.loop_of(w.region) is not loop:
            continue
        q = next((e for e in f.exits if e.kind == "question" and e.src.start >= w.src.end), None)
        if q is None:
            continue
        between = text[w.src.end : q.src.start]
        if not re.fullmatch(r"\s*\.await\s*(?:\.map_err\(.*\))?\s*", between, re.S):
            continue
        later = [x for x in sleeps if x.src.start > q.src.start]
        if not later:
            continue  # no retry after it in the loop: nothing is skipped
        call = re.match(r"[\w:]+\s*\(\s*[^,]+,\s*(.+)\)\s*$", w.src.text, re.S)
        slots = {
            "mech": w.written,
            "arg": w.arg,
            "sleep_mech": later[0].written,
        }
        if call:
            slots["future"] = " ".join(call.group(1).split())
        # What the caller gets for an expiry: the error the `map_err` builds (blind read 86:
        # "never says what the caller actually gets back").
        made = re.search(r"\.map_err\(\s*\|[^|]*\|\s*([A-Z]\w*(?:::[A-Z]\w*)+)", between)
        if made:
            slots["as_error"] = made.group(1)
        flags: set[str] = set()
        conds, _, negated = guard_of(f, w.region, loop.id, w.src.start)
        if negated:
            continue
        if conds:
            slots["guard"] = codes(*conds)
            flags.add("guarded")
        proof = [ctx.proof(w.src), ctx.proof(q.src), ctx.proof(later[0].src)]
        out.append(make("timeout_escapes", f.name, slots, proof, flags))
    return out


def _trailing_sleep(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    """`for delay in delays { ..; sleep(*delay).await; }`: the round ends with its sleep, so after
    the last element the loop still waits once more before it ends and the fn returns (the Redis
    migration schedule sleeps its last delay, a day, after its last run)."""
    if loop.keyword != "for":
        return []
    scan = ctx.fs.scan
    t = scan.texts
    out: list[Claim] = []
    for w in f.waits:
        if w.role != "sleep" or w.region != loop.id:
            continue
        k = scan.token_range(w.src.start, w.src.end).stop
        if t[k : k + 3] != [".", "await", ";"] or k + 3 != loop.hi:
            continue
        over = re.fullmatch(r"(?:for\s+)?(\w+)\s+in\s+&?(?:mut\s+)?([A-Za-z_][\w.]*)", loop.head)
        if over is None:
            continue
        mech = mechanism(w.mechanism)
        slots = {"mech": mech.written if mech else w.written, "arg": w.arg, "over": over.group(2)}
        flags = set()
        if re.fullmatch(rf"\*?{over.group(1)}", w.arg):
            flags.add("entry")  # it sleeps the element itself: the schedule's last entry
        if w.seconds is not None:
            slots["dur"] = human_duration(w.seconds)
        out.append(make("trailing_sleep", f.name, slots, [ctx.proof(w.src)], flags))
    return out


def _stale_check(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    """`match timeout(P, next()).await { Err(_) => if last.elapsed() > X { bail } .. }` with
    `last = Instant::now()` on every message: the silence check runs only when a timeout fires,
    every P of silence, so silence is caught at the first multiple of P past X, not at X (the
    relay's reader: P 21 s, X 31.5 s, caught after 42 s)."""
    assert f.flow is not None
    consts = file_consts(ctx.fs)
    timed = [
        w for w in f.waits if w.role == "timeout" and w.seconds and f.flow.loop_of(w.region) is loop
    ]
    if not timed:
        return []
    w = timed[0]
    period = w.seconds or 0.0
    for r in f.flow.regions:
        m = re.fullmatch(r"(\w+)\.elapsed\(\)\s*(>=|>)\s*(.+)", r.head)
        if r.kind != "if" or m is None or f.flow.loop_of(r.id) is not loop:
            continue
        arm = next((x for x in f.flow.chain(r.id) if x.kind == "arm"), None)
        if arm is None or not arm.head.startswith("Err("):
            continue  # checked on a timeout only: in the arm the timeout's error takes
        var = m.group(1)
        resets = [
            a
            for a in [*f.assigns, *f.updates]
            if a.var == var and a.value == "Instant::now()" and f.flow.loop_of(a.region) is loop
        ]
        if not resets or not any(
            e.kind == "return" and f.flow.inside(e.region, r.id) for e in f.exits
        ):
            continue
        limit = eval_number(expr_tokens(m.group(3)), consts, exact=True)
        if not limit or limit <= period:
            continue
        k = _steps_past(period, limit, m.group(2))
        slots = {
            "cond": r.head,
            "var": var,
            "timeout_arg": w.arg,
            "period": human_duration(period),
            "limit_dur": human_duration(limit),
            "timeouts": str(k),
            "caught": human_duration(k * period),
        }
        src = ctx.head_src(r)
        proof = [ctx.proof(w.src), ctx.proof(src), ctx.proof(resets[0].src)]
        flags: set[str] = set()
        # `last = now(); .. handle(msg).await;`: the reset comes before work that is awaited in
        # the same round, and that time counts toward the limit too (blind read 36: the relay
        # resets before forwarding a message that may take 30 s, so "about 42 s after the last
        # message" held only for messages handled at once).
        after = [
            c
            for c in f.calls
            if c.awaited
            and c.src.start > resets[0].src.end
            and c.src.start < f.flow.end_of(loop)
            and f.flow.task_of(c.region).id == f.flow.task_of(loop.id).id
            and not (w.src.start <= c.src.start < w.src.end)
        ]
        if after:
            slots["after_call"] = after[0].written
            flags.add("work-after-reset")
            proof.append(ctx.proof(after[0].src))
        return [make("stale_check", f.name, slots, proof, flags)]
    return []


def _attempt_cap(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    """`let mut n = 0; loop { if n > MAX { bail } n += 1; .. }`: how many rounds the loop makes
    before it gives up, counted from where the check sits against the bump (the relay's
    handshake makes 11 rounds under `attempts > MAX_ATTEMPTS` with MAX_ATTEMPTS 10), and, with a
    timeout on each round, the longest it can wait in all."""
    assert f.flow is not None
    consts = file_consts(ctx.fs)
    for u in f.updates:
        # A bump under a branch counts only some rounds: not a count of rounds.
        if u.value != "+= 1" or u.region != loop.id:
            continue
        start = next((a for a in f.assigns if a.var == u.var and a.is_let), None)
        if start is None or start.value != "0" or start.src.start > loop_start(ctx, loop):
            continue
        for r in f.flow.regions:
            cmp = re.fullmatch(rf"{re.escape(u.var)}\s*(>=|>)\s*([A-Za-z_]\w*|\d+)", r.head)
            if r.kind != "if" or cmp is None or r.parent != loop.id:
                continue
            if not any(e.kind == "return" and f.flow.inside(e.region, r.id) for e in f.exits):
                continue
            limit = cmp.group(2)
            n = float(limit) if limit.isdigit() else consts.get(limit)
            if n is None or n != int(n):
                continue
            # Rounds that get past the check: counts 0.. when it comes before the bump.
            before = r.head_start < u.src.start
            last_ok = int(n) if cmp.group(1) == ">" else int(n) - 1
            rounds = last_ok + 1 if before else last_ok
            slots = {
                "var": u.var,
                "cond": r.head,
                "max": str(int(n)),
                "rounds": str(rounds),
                "from_value": start.value,
            }
            if not limit.isdigit():
                slots["const"] = limit
            flags = {"check-first"} if before else set()
            src = ctx.head_src(r)
            proof = [ctx.proof(start.src), ctx.proof(u.src), ctx.proof(src)]
            timed = [
                w
                for w in f.waits
                if w.role == "timeout" and w.seconds and f.flow.loop_of(w.region) is loop
            ]
            if timed:
                w = timed[0]
                slots.update(
                    timeout_arg=w.arg,
                    dur=human_duration(w.seconds or 0),
                    total=human_duration(rounds * (w.seconds or 0)),
                )
                flags.add("timed")
                proof.append(ctx.proof(w.src))
                if awaits_outside(f, [w]):
                    # Other awaits of the fn: the total counts the bounded waits only
                    # ("up to 3 minutes 51 seconds before it gives up" left out `connect`'s
                    # unbounded `connect_async`: blind read 75).
                    flags.add("other-awaits")
            if rounds != int(n):
                flags.add("off-by-one")
            return [make("attempt_cap", f.name, slots, proof, flags)]
    return []


def loop_start(ctx: FileContext, loop: Region) -> int:
    return ctx.fs.scan.starts[loop.lo]


def _sleep_budget(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    """`total += wait; sleep(wait)` and `if total > limit { return .. }` in one loop: the budget
    adds up the planned waits, not the time that passed, so what the rounds' own calls take is
    never counted (idempotency's lock_loop: 200 ms a round against 5 s, given up at round 26)."""
    assert f.flow is not None
    consts = file_consts(ctx.fs)
    for u in f.updates:
        # Both straight in the loop body: "each round adds and sleeps" holds of every round.
        if not u.value.startswith("+= ") or u.region != loop.id:
            continue
        step_expr = u.value[3:]
        waits = [
            w for w in f.waits if w.role == "sleep" and w.arg == step_expr and w.region == loop.id
        ]
        step = duration_seconds(expr_tokens(step_expr), consts)
        if not waits or not step:
            continue
        for r in f.flow.regions:
            cmp = re.fullmatch(rf"{re.escape(u.var)}\s*(>=|>)\s*(.+)", r.head)
            if r.kind != "if" or cmp is None or f.flow.loop_of(r.id) is not loop:
                continue
            if not any(
                e.kind in ("return", "break") and f.flow.inside(e.region, r.id) for e in f.exits
            ):
                continue
            limit = duration_seconds(expr_tokens(cmp.group(2)), consts)
            if not limit:
                continue
            rounds = _steps_past(step, limit, cmp.group(1))
            slots = {
                "var": u.var,
                "step_dur": human_duration(step),
                "limit": cmp.group(2),
                "limit_dur": human_duration(limit),
                "cond": r.head,
                "rounds": str(rounds),
                "total_dur": human_duration(rounds * step),
            }
            # The round's own awaited call besides the sleep: the time the budget leaves out.
            work = [
                c
                for c in f.calls
                if c.awaited
                and f.flow.loop_of(c.region) is loop
                and c.src.start != waits[0].src.start
                and mechanism(c.full) is None
            ]
            if work:
                said = [f"{c.receiver}.{c.name}" if c.receiver else c.written for c in work]
                slots["work"] = codes_upto(list(dict.fromkeys(said)), 2)
            src = ctx.head_src(r)
            proof = [ctx.proof(u.src), ctx.proof(waits[0].src), ctx.proof(src)]
            shared = _limit_elsewhere(ctx, f, cmp.group(2))
            if shared is not None:
                other, call = shared
                slots |= {"limit_also": _call_name(call), "limit_also_in": other.name}
                proof.append(ctx.proof(call.src))
                named = ctx.local_fn(cmp.group(2).removesuffix("()"))
                if cmp.group(2).endswith("()") and named is not None and named.doc:
                    # What the author says the value is for, quoted as theirs.
                    slots["limit_doc"] = named.doc.split("\n")[0].rstrip(".")
                    start, end = named.item.start, named.item.keyword_start
                    proof.append(ctx.proof(Src(start, end, ctx.fs.text[start:end])))
            return [make("sleep_budget", f.name, slots, proof)]
    return []


def _call_name(c: Call) -> str:
    return f"{c.receiver}.{c.name}" if c.receiver else c.written


def _limit_elsewhere(ctx: FileContext, f: ItemFacts, limit: str) -> tuple[ItemFacts, Call] | None:
    """Another fn of the file that passes the budget's own limit (`expiry_starting()`) to a
    call: the budget is then one setting with whatever that call uses it for (idempotency's
    lock_loop gives up after the 5 s that is also its lock's expiry: blind read 94 counted the
    budget said alone misleading)."""
    for other in ctx.facts.values():
        if other.index == f.index or other.kind != "fn":
            continue
        for c in other.calls:
            if limit in c.args and mechanism(c.full) is None:
                return other, c
    return None


def _steps_past(step: float, limit: float, op: str) -> int:
    """How many steps of ``step`` it takes for their sum to pass ``limit`` (`>`) or reach it
    (`>=`), counted in whole milliseconds so 25 x 0.2 s is exactly 5 s, not a hair over."""
    ms_step, ms_limit = round(step * 1000), round(limit * 1000)
    return ms_limit // ms_step + 1 if op == ">" else -(-ms_limit // ms_step)


def _skips(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    scan = ctx.fs.scan
    for r in f.flow.regions:
        if not (r.kind == "if" and r.head.startswith("let Err(")) or not f.own(r.id):
            continue
        if f.flow.loop_of(r.id) is not loop or f.flow.conditions(r.id, stop=loop.id)[1:]:
            continue  # a nested branch: its skip is not the round's
        # Only a `continue` that the branch always takes: an exit under a further `if` is not.
        exits = [e for e in f.exits if f.flow.inside(e.region, r.id)]
        if not any(e.kind == "continue" and e.region == r.id for e in exits):
            continue
        if any(e.kind in ("return", "break") for e in exits):
            continue
        call = scrutinee_call(r.head.split("=", 1)[1])
        end = scan.starts[min(r.hi, len(scan.starts) - 1)]
        later = [
            c
            for c in f.calls
            if c.kind == "fn"
            and c.awaited
            and c.src.start > end
            and f.flow.loop_of(c.region) is loop
            and f.own(c.region)
            and mechanism(c.full) is None
            and not c.full.startswith(("tokio::", "std::", "futures::"))
        ]
        if not call or not later:
            continue
        slots = {"call": call, "skipped": codes(*dict.fromkeys(c.written for c in later))}
        flags = {"continues"}
        # `for delay in delays`: the rounds run out, and the last one has no next to catch up in.
        over = re.fullmatch(r"(?:for\s+)?.+?\s+in\s+&?([A-Za-z_][\w.]*)", loop.head)
        if loop.keyword == "for" and over:
            slots["over"] = over.group(1)
            flags.add("for")
        proof = [ctx.proof(ctx.region_src(f, r))] + [ctx.proof(c.src) for c in later]
        out.append(make("round_skips", f.name, slots, proof, flags))
    return out


def _only_errors(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    """A call in the loop to a same-file fn that can only end with an error: its `Result` body
    loops with no `break`, and every way out is `?` or `return Err(..)`. Each round of the caller
    then follows a failure, and each call starts that fn over, setup included."""
    assert f.flow is not None
    out: list[Claim] = []
    for c in f.calls:
        if not c.awaited or c.kind not in ("fn", "method") or f.flow.loop_of(c.region) is not loop:
            continue
        if not f.own(c.region) or (c.kind == "method" and c.receiver != "self"):
            continue
        named = ctx.fns_named(c.name)
        if len(named) != 1 or named[0].index == f.index:
            continue
        g = named[0]
        if g.flow is None:
            continue  # a trait's declaration: no body to read (pingora-core crashed here)
        ways = _error_only_exits(g)
        inner = main_loop(g)
        if not ways or inner is None:
            continue
        start = ctx.fs.scan.starts[inner.lo]
        setup = [
            d.written
            for d in g.calls
            if d.awaited and d.src.start < start and g.own(d.region) and d.kind == "fn"
        ]
        callee = c.written.lstrip(".") if c.kind == "fn" else f"self.{c.name}"
        slots = {"callee": callee, "ways": codes(*ways)}
        if setup:
            slots["setup"] = codes(*dict.fromkeys(setup))
        proof = [ctx.proof(c.src), ctx.proof(ctx.region_src(g, inner))]
        out.append(make("only_errors", f.name, slots, proof))
    return out


def _error_only_exits(g: ItemFacts) -> list[str]:
    """The ways out of ``g`` when every one is an error (`?`, `return Err(..)`) and its main
    `loop` has no `break`; [] when it can return `Ok` or its shape is not that."""
    if g.flow is None or not g.returns.strip().startswith(("Result", "anyhow::Result")):
        return []
    inner = main_loop(g)
    if inner is None or inner.keyword != "loop" or g.tail is not None:
        return []
    ways: list[str] = []
    for e in g.exits:
        if not g.own(e.region):
            continue
        if e.kind == "break" and (g.flow.loop_of(e.region) is inner or e.expr.startswith("'")):
            return []  # the main loop can end, or a labelled break may end it
        if e.kind == "return":
            if not e.expr.startswith("Err("):
                return []
            ways.append(f"return {e.expr}")
        elif e.kind == "question":
            ways.append("?")
    return list(dict.fromkeys(ways))
