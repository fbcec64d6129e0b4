"""Claims about the state a spawned task works on: a handle cloned for it before the spawn, a
lock it takes around a call, and a same-file predicate that decides what a `retain` or `filter`
keeps (its body said, so a name that reads the other way round is caught).

These are the facts a reviewer of a background task asks about first and that the task's
mechanics alone do not show: what the task keeps alive, what it blocks while it works, and what
its sweep really keeps.
"""

from __future__ import annotations

import re

from ..facts import ItemFacts, Src
from ..values import human_duration
from .core import Claim, FileContext, make
from .shape import await_name, codes, endless_loop, main_loop, never_ends, self_counted

__all__ = ["task_state_claims"]

_CLONE = re.compile(r"^(?:([A-Za-z_]\w*)\.clone\(\)|Arc::clone\(&([A-Za-z_]\w*)\))$")
_LOCKS = {"write": "write", "read": "read", "lock": "lock"}
# Methods whose closure decides what stays: true keeps the element.
_KEEPS = frozenset({"retain", "filter"})
# One comparison between two plain operands: the whole body of a predicate fn.
_OPERAND = r"[A-Za-z_][\w.]*(?:\(\))?(?:\.[A-Za-z_]\w*(?:\(\))?)*"
# A predicate named for what has run out.
_EXPIRY = re.compile(r"expir|stale|outdated|dead")
_COMPARE = re.compile(rf"^(?P<a>{_OPERAND})\s*(?P<op><=|>=|<|>)\s*(?P<b>{_OPERAND})$")


def task_state_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    out = _shares(ctx, f) + _locked(ctx, f) + _predicates(ctx, f) + _task_comments(ctx, f)
    counted = _counted_inside(ctx, f)
    out += _panics(ctx, f) + _endless_tasks(ctx, f) + counted + _one_shot(ctx, f)
    out += _limit_per_round(ctx, f, counted) + _own_awaits(ctx, f)
    return out + _one_response(ctx, f) + _popped(ctx, f)


# A call that takes items off where they are kept (Redis `lpop`, `rpop`, `spop`, `zpopmin`, a
# queue's `pop`): what it returned exists only in memory until written somewhere.
_POP = re.compile(r"(?:[lrs]|zpop(?:min|max)?|b[lr])?pop\w*|pop_\w+|\w+_pop")


def _popped(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A round that pops a batch, then awaits a write with `?`: a failed write returns with the
    batch already taken and not put back; an item its loop skips with `continue` is dropped.
    Asked "what does a single failure take down?", redis.rs's migrate_list_to_stream was
    answered "a log line and continue" in every blind read (64-78), while its `lpop`ped keys are
    lost."""
    assert f.flow is not None
    loop = main_loop(f)
    if loop is None:
        return []
    out: list[Claim] = []
    for c in f.calls:
        if not (c.awaited and _POP.fullmatch(c.name) and f.flow.inside(c.region, loop.id)):
            continue
        held = next(
            (
                a
                for a in f.assigns
                if a.is_let and c.src.start >= a.src.start and c.src.end <= a.src.end
            ),
            None,
        )
        writes = [
            w
            for w in f.calls
            if w.awaited
            and w.propagates
            and w.src.start > c.src.end
            and f.flow.inside(w.region, loop.id)
            and not _POP.fullmatch(w.name)
        ]
        if held is None or not writes:
            continue
        w = writes[-1]
        slots = {"pop": await_name(c), "var": held.var, "write": await_name(w)}
        flags: set[str] = set()
        proof = [ctx.proof(c.src), ctx.proof(w.src)]
        over = [
            r for r in f.flow.regions if r.kind == "loop" and r.head.endswith(f" in {held.var}")
        ]
        skipped = [
            e
            for e in f.exits
            if e.kind == "continue" and over and f.flow.inside(e.region, over[0].id)
        ]
        if skipped:
            flags.add("skips")
            proof.append(ctx.proof(skipped[0].src))
        out.append(make("popped", f.name, slots, proof, flags))
        break
    return out


_LIST_CALL = re.compile(r"^(?P<call>[\w.:()]*\blist\w*\([^()]*\))\s*\.await\s*\??$")


def _one_response(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`let resp = client.application().list(None).await?;` then `for x in resp.data`, with
    nothing else read from `resp` and the call made once: what that one response holds is all
    the fn goes through. Asked "we run this against big accounts", seed.rs's answers never said
    so (blind reads 72-78: `list(None)` brings one page)."""
    assert f.flow is not None
    out: list[Claim] = []
    text = ctx.fs.text[f.item.start : f.item.end]
    for a in f.assigns:
        m = _LIST_CALL.match(a.value.strip())
        if not a.is_let or m is None or not f.own(a.region):
            continue
        if any(r.kind == "loop" for r in f.flow.chain(a.region)):
            continue  # fetched again each round: more than one response
        over = f"{a.var}.data"
        loops = [r for r in f.flow.regions if r.kind == "loop" and r.head.endswith(f" in {over}")]
        uses = re.findall(rf"\b{re.escape(a.var)}\b(\.\w+)?", text)
        # The `let` itself, then `resp.data` and nothing else of `resp`.
        if not loops or sorted(set(uses)) != ["", ".data"] or uses.count("") != 1:
            continue
        slots = {"call": m.group("call"), "var": a.var, "over": over}
        proof = [ctx.proof(a.src), ctx.proof(ctx.head_src(loops[0]))]
        out.append(make("one_response", f.name, slots, proof))
    return out


def _own_awaits(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """What a caller does wait for when the fn hands its work to a detached task: the fn's own
    awaits. "Does `new_pair_inner` wait for `run_migration_schedule`?" was answered with the
    spawn alone, never with the Redis pool, the connection and the consumer group it does
    await (blind read 75). One claim per detached task that runs a named call; none when the fn
    awaits a handle (its waits are then the tasks')."""
    assert f.flow is not None
    from .spawns import main_call

    if any(sp.handle != "dropped" for sp in f.spawns):
        return []
    mine = [
        c
        for c in f.calls
        if c.awaited and f.own(c.region) and not c.full.startswith(("tokio::", "std::"))
    ]
    if not mine:
        return []
    # Every one of them named, or no claim: the list is said as all the caller waits for
    # (blind read 76: `build_pair`, awaited on a builder chain, was left out).
    names = list(dict.fromkeys(await_name(c) for c in mine))
    if not names or len(names) > 5:
        return []
    out: list[Claim] = []
    for sp in f.spawns:
        if sp.repeated or not f.own(sp.at_region):
            continue
        runs = main_call(f, f.flow.regions[sp.region])
        if not runs:
            continue
        proof = [ctx.proof(c.src) for c in mine] + [ctx.proof(sp.src)]
        slots = {"runs": runs, "calls": codes(*names), "mech": sp.mechanism}
        out.append(make("own_awaits", f.name, slots, proof))
    return out


_RETRY_CALL = re.compile(r"(?i)retr|backoff|again")
_ARM_START = re.compile(r"(?:Err|Ok|Some)\(|None\b|_\s*=>")


def _one_shot(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A detached task with no loop in it whose failures are only logged: a failure that reaches
    it leaves a log line and nothing else (no error for anyone). Nothing is said of retries: the
    call it makes may retry inside (the svix SDK does; a crate fn may go through
    run_with_retries). The author's comment over the arm that only warns says why, if there."""
    assert f.flow is not None
    text = ctx.fs.text
    out: list[Claim] = []
    for sp in f.spawns:
        if sp.handle != "dropped" or sp.repeated or not f.own(sp.at_region):
            continue
        inner = [r for r in f.flow.regions if f.flow.inside(r.id, sp.region)]
        if any(r.kind == "loop" for r in inner):
            continue
        # A wait or a retrying helper inside is a second try this claim would deny.
        if any(f.flow.inside(w.region, sp.region) for w in f.waits) or any(
            f.flow.inside(c.region, sp.region) and _RETRY_CALL.search(c.name) for c in f.calls
        ):
            continue
        logs = [lg for lg in f.logs if f.flow.inside(lg.region, sp.region)]
        levels = list(dict.fromkeys(lg.level for lg in logs))
        if not {"warn", "error"} & set(levels):
            continue
        slots = {"mech": sp.mechanism, "levels": " or ".join(levels)}
        from .spawns import main_call

        # The one call the task makes, when it has one: it may loop inside (a batch walk), so
        # what is tried once is that call, not "the work".
        runs = main_call(f, f.flow.regions[sp.region])
        if runs:
            slots["runs"] = runs
        proof = [ctx.proof(sp.src)] + [ctx.proof(lg.src) for lg in logs]
        flags: set[str] = set()
        for c in f.comments:
            if not sp.src.start < c.start < sp.src.end:
                continue
            nxt = text[c.end : text.find("\n", text.find("\n", c.end) + 1)].strip()
            words = c.text.lstrip("/").strip().rstrip(".")
            if not _ARM_START.match(nxt) or re.search(r"[`{}]|TODO|FIXME|XXX", words):
                continue
            after = [lg for lg in logs if lg.src.start > c.end]
            if not after or not 4 <= len(words.split()) <= 20:
                continue
            slots["arm_comment"] = words
            slots["arm_level"] = after[0].level
            flags.add("arm-comment")
            proof += [ctx.proof(c)]
            break
        out.append(make("one_shot", f.name, slots, proof, flags))
        # What fails before the spawn is the fn's own error: "does the caller ever find out?"
        # answered with a flat no read as misleading where `?` calls come first (blind read
        # 73 on send_operational_webhook).
        early = [
            c
            for c in f.calls
            if c.propagates and c.src.end <= sp.src.start and f.own(c.region) and c.kind != "macro"
        ]
        if early:
            # Counted, not named: the call a `?` follows is the chain's last link (`map_err`).
            out.append(
                make(
                    "errs_before_spawn",
                    f.name,
                    {"count": str(len(early)), "mech": sp.mechanism},
                    [ctx.proof(c.src) for c in early],
                    {"several"} if len(early) > 1 else set(),
                )
            )
    return out


def _limit_per_round(ctx: FileContext, f: ItemFacts, counted: list[Claim]) -> list[Claim]:
    """`let n = COUNTER.load(..); if n > limit { ..; continue; }` in a loop that then spawns one
    task per element of a batch: the limit is looked at once per round, so a whole batch is
    spawned past it (the worker's `task_limit`, checked before `receive_all`)."""
    assert f.flow is not None
    text = ctx.fs.text
    out: list[Claim] = []
    for c in counted:
        if "repeated" not in c.flags:
            continue
        counter = c.get("counter")
        loads = [x for x in f.calls if x.name == "load" and x.receiver == counter]
        for load in loads:
            # The receiver starts the call's text at the method name; the binding is before it.
            line_start = text.rfind("\n", 0, load.src.start) + 1
            m = re.search(
                r"let\s+(\w+)\s*=\s*" + re.escape(counter) + r"\s*\.\s*$",
                text[line_start : load.src.start],
            )
            if m is None:
                continue
            var = m.group(1)
            for r in f.flow.regions:
                cmp = re.fullmatch(rf"{var}\s*(>=|>)\s*(.+)", r.head) if r.kind == "if" else None
                if cmp is None or "continue" not in f.flow.scan.texts[r.lo : r.hi]:
                    continue
                spawns = [
                    sp
                    for sp in f.spawns
                    if sp.repeated == c.get("repeated") and sp.src.start > r.head_end
                ]
                if not spawns:
                    continue
                slots = {
                    "counter": counter,
                    "cond": r.head,
                    "limit": cmp.group(2),
                    "repeated": spawns[0].repeated,
                    "mech": spawns[0].mechanism,
                }
                proof = [
                    ctx.proof(load.src),
                    ctx.proof(Src(r.head_start, r.head_end, text[r.head_start : r.head_end])),
                    ctx.proof(spawns[0].src),
                ]
                flags = {"strict"} if cmp.group(1) == ">" else set()
                # `if task_limit > 0 { if n > task_limit {..} }`: the gate is there only then.
                outer = [x for x in f.flow.conditions(r.id) if x.id != r.id and x.kind == "if"]
                if outer:
                    slots["guard"] = outer[0].head
                    flags.add("guarded")
                out.append(make("limit_per_round", f.name, slots, proof, flags))
                return out
    return out


def _counted_inside(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A counter a spawned task bumps with `fetch_add` in its own body and drops with
    `fetch_sub`, read with `load` by the fn that spawns it: the count lags the spawns (a task
    not yet polled is not in it), and a task that never reaches its `fetch_sub` (a panic on the
    way) stays in it for good."""
    assert f.flow is not None
    out: list[Claim] = []
    for sp, add, sub, inside in self_counted(f):
        loads = [
            c
            for c in f.calls
            if c.name == "load"
            and c.receiver == add.receiver
            and not f.flow.inside(c.region, sp.region)
        ]
        if not loads:
            continue
        slots = {
            "counter": add.receiver,
            "mech": sp.mechanism,
            "add": add.name,
            "sub": sub.name,
            "load": loads[0].name,
        }
        flags: set[str] = set()
        if inside[0] is add:
            flags.add("first")
        if sp.repeated:
            flags.add("repeated")
            slots["repeated"] = sp.repeated
        # Awaited work between the two: what may panic, or be dropped, before the decrement.
        between = [
            c
            for c in f.calls
            if f.flow.inside(c.region, sp.region) and c.awaited and add.tok < c.tok < sub.tok
        ]
        if between:
            flags.add("work-between")
            slots["work"] = between[0].written.lstrip(".")
        proof = [ctx.proof(add.src), ctx.proof(sub.src)] + [ctx.proof(c.src) for c in loads]
        claim = make("counted_inside", f.name, slots, proof, flags)
        if claim not in out:
            out.append(claim)
    return out


def _called_more_than_once(ctx: FileContext, f: ItemFacts) -> bool:
    """Whether the crate calls ``f`` from more than one place, or from inside a loop: "each
    call leaves one more task" of a fn the server calls once at startup read as misleading
    (blind read 89 on memory `new`, `new_pair_inner` and `queue_handler`)."""
    d = ctx.fn_def(f.index)
    if d is None:
        return False
    sites = ctx.index.callers(d)
    if len(sites) > 1:
        return True
    for s in sites:
        fl = ctx.index.flow(s.file, s.caller) if s.caller is not None else None
        if fl is None:
            return True  # where it is called from is not known: more than once may be
        if any(r.kind == "loop" for r in fl.chain(fl.region_at(s.tok).id)):
            return True
    return False


def _endless_tasks(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A spawned task whose `loop` nothing leaves and which looks at no shutdown or cancellation
    signal: it runs as long as the runtime does (a metrics ticker, a cache sweeper)."""
    assert f.flow is not None
    out: list[Claim] = []
    for sp in f.spawns:
        if not f.own(sp.at_region) or sp.repeated or not never_ends(f, sp.region, sp.src.text):
            continue
        inside = [c for c in f.calls if f.flow.inside(c.region, sp.region)]
        waits = [w for w in f.waits if f.flow.inside(w.region, sp.region) and w.seconds]
        if not inside:
            continue
        slots = {"mech": sp.mechanism}
        flags: set[str] = set()
        if waits:
            slots["dur"] = human_duration(waits[0].seconds or 0)
            flags.add("ticks" if waits[0].role in ("interval", "tick") else "sleeps")
        if sp.handle.split(":")[0] == "dropped" and not endless_loop(f, 0):
            # Nobody holds the task and the fn itself can finish: the task runs on after it
            # (blind read 61: queue_handler returns on shutdown, its monitor does not).
            flags.add("outlives")
        out.append(make("endless_task", f.name, slots, [ctx.proof(sp.src)], flags))
        if (
            "outlives" in flags
            and not any(c.kind == "tasks_add_up" for c in out)
            and _called_more_than_once(ctx, f)
        ):
            # Each call that reaches the spawn leaves one more behind (blind reads 82 and 86:
            # "every `new_pair_inner` call adds another metrics task", missed in its answer).
            out.append(make("tasks_add_up", f.name, {"mech": sp.mechanism}, [ctx.proof(sp.src)]))
    return out


def _panics(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`x.get().await.expect("..")` in a fn with a loop: a failure of that awaited call panics
    instead of coming back as an error (before the first round, or inside one), which no error
    branch of the loop can absorb."""
    assert f.flow is not None
    loop = main_loop(f)
    if loop is None:
        return []
    loop_start = ctx.fs.scan.starts[loop.lo]
    out: list[Claim] = []
    for k, c in enumerate(f.calls):
        if c.kind != "method" or c.name not in ("expect", "unwrap") or c.receiver != "await":
            continue
        if k == 0 or not f.own(c.region):
            continue
        awaited = f.calls[k - 1]
        if not awaited.awaited or awaited.kind != "method" or not awaited.receiver:
            continue
        call = f"{awaited.receiver}.{awaited.name}"
        slots = {"call": call, "how": c.name}
        m = re.fullmatch(r'"([^"{}\\]{3,80})"', c.args[0]) if c.args else None
        if m:
            slots["message"] = m.group(1)
        if c.src.start < loop_start:
            flags = {"before-loop"}
        elif f.flow.inside(c.region, loop.id):
            flags = {"in-loop"}
        else:
            continue
        proof = [ctx.proof(awaited.src), ctx.proof(c.src), ctx.proof(ctx.region_src(f, loop))]
        out.append(make("panics", f.name, slots, proof, flags))
    return out


_RETRY_WORDS = re.compile(r"(?i)back-?off|retr(?:y|ies)")


def _backs_off(ctx: FileContext, f: ItemFacts, runs: str) -> bool:
    """A wait that grows after a failure in the spawning fn or the fn the task runs."""
    callee = ctx.local_fn(runs.split("::")[-1]) if runs else None
    return any(x.backoffs or x.growths for x in (f, callee) if x is not None)


def _task_comments(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """The author's `//` comment on the line right above a spawn: what the task is for, in the
    author's words (quoted as theirs, never restated as fact)."""
    from .spawns import main_call

    assert f.flow is not None
    text = ctx.fs.text
    out: list[Claim] = []
    for sp in f.spawns:
        if not f.own(sp.at_region):
            continue
        line_start = text.rfind("\n", 0, sp.src.start) + 1
        if text[line_start : sp.src.start].strip():
            continue  # the spawn is not the first thing on its line (`let h = tokio::spawn`)
        above = [
            c for c in f.comments if c.end <= line_start and not text[c.end : line_start].strip()
        ]
        if not above:
            continue
        c = above[-1]
        # One comment line alone: a block of several lines is cut mid-thought.
        prev_line = text.rfind("\n", 0, c.start)
        before = (
            text[text.rfind("\n", 0, max(prev_line, 0)) + 1 : prev_line] if prev_line > 0 else ""
        )
        if before.strip().startswith("//"):
            continue
        words = c.text.lstrip("/").strip().rstrip(".")
        if not 4 <= len(words.split()) <= 20 or re.search(r"[`{}]|TODO|FIXME|XXX", words):
            continue
        slots = {"comment": words, "mech": sp.mechanism}
        runs = main_call(f, f.flow.regions[sp.region])
        if runs:
            slots["runs"] = runs
        if _RETRY_WORDS.search(words) and not _backs_off(ctx, f, runs):
            # "on a loop with exponential backoff" over a fixed schedule that sleeps after every
            # pass (blind read 28): a comment the code does not bear out is not quoted.
            continue
        out.append(make("task_comment", f.name, slots, [ctx.proof(c), ctx.proof(sp.src)]))
    return out


def _shares(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`let b = a.clone();` before a spawn whose task uses `b`, while the fn goes on to use `a`:
    the task and the caller share one value. An `Arc` (`a` is `Arc::new(..)`) shares the state
    itself; a task whose loop has no way out keeps it alive for as long as it runs."""
    assert f.flow is not None
    out: list[Claim] = []
    lets = {a.var: a for a in f.assigns if a.is_let}
    for sp in f.spawns:
        if not f.own(sp.at_region):
            continue
        for a in f.assigns:
            m = _CLONE.match(a.value) if a.is_let else None
            if m is None or a.src.end > sp.src.start:
                continue
            source = m.group(1) or m.group(2)
            if not re.search(rf"\b{re.escape(a.var)}\b", sp.src.text):
                continue
            after = f.tail.text if f.tail is not None and f.tail.start > sp.src.end else ""
            if not re.search(rf"\b{re.escape(source)}\b", after):
                continue  # the original is not handed on: nothing is shared with the caller
            assert f.tail is not None  # `after` is its text
            flags = {"returned"} if f.tail.text != source else {"returned", "as-is"}
            origin = lets.get(source)
            ptr = re.match(r"((?:std::sync::)?Arc)::new\(", origin.value) if origin else None
            if ptr is not None:
                flags.add("arc")
            if endless_loop(f, sp.region):
                flags.add("endless")
            slots = {"var": a.var, "source": source, "mech": sp.mechanism, "expr": f.tail.text}
            if ptr is not None:
                slots["ptr"] = ptr.group(1)
            proof = [ctx.proof(a.src), ctx.proof(sp.src), ctx.proof(f.tail)]
            if origin is not None:
                proof.append(ctx.proof(origin.src))
            out.append(make("shares", f.name, slots, proof, flags))
    return out


def _locked(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`x.write().await.retain(..)` in a loop: the lock is held for the whole call, every round."""
    assert f.flow is not None
    out: list[Claim] = []
    calls = f.calls
    for k, c in enumerate(calls):
        if c.kind != "method" or c.name not in _LOCKS or not c.awaited or not c.receiver:
            continue
        nxt = calls[k + 1] if k + 1 < len(calls) else None
        if nxt is None or nxt.kind != "method" or nxt.receiver != "await":
            continue  # the guard is bound or dropped: how long it is held is not one call
        if f.flow.loop_of(c.region) is None:
            continue
        slots = {"lock": _LOCKS[c.name], "var": c.receiver, "call": nxt.name}
        flags = {"in-spawn"} if f.flow.task_of(c.region).kind != "fn" else set()
        if c.name != "read":
            flags.add("exclusive")
        out.append(make("locked", f.name, slots, [ctx.proof(c.src), ctx.proof(nxt.src)], flags))
    return out


def _predicates(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A closure given to `retain` or `filter` that calls a same-file fn whose whole body is one
    comparison: what is kept is said from that body. A name about expiry over a body that is
    true while the time since a timer is within a limit reads the other way round."""
    out: list[Claim] = []
    for c in f.calls:
        if c.kind != "method" or c.name not in _KEEPS:
            continue
        inner = [
            d
            for d in f.calls
            if d.kind == "fn" and c.open_tok < d.tok < c.close_tok and ctx.local_fn(d.written)
        ]
        if len(inner) != 1:
            continue
        callee = ctx.local_fn(inner[0].written)
        assert callee is not None
        body = _single_expression(ctx, callee)
        m = _COMPARE.match(body) if body else None
        if m is None or callee.returns.strip() != "bool":
            continue
        slots = {"method": c.name, "callee": callee.name, "body": body}
        flags: set[str] = set()
        if f.flow is not None and f.flow.loop_of(c.region) is not None:
            flags.add("in-loop")  # a sweep, each round
        timer = re.fullmatch(r"(.+)\.elapsed\(\)(?:\.as_\w+\(\))?", m.group("a"))
        limit = re.fullmatch(r"(.+?)(?:\.as_\w+\(\))?", m.group("b"))
        if timer and limit and m.group("op") in ("<", "<=") and _EXPIRY.search(callee.name):
            # `is_expired` true while elapsed <= ttl: true for what has NOT expired.
            flags.add("name-inverted")
            slots |= {"timer": timer.group(1), "bound": limit.group(1)}
            slots["bound_name"] = limit.group(1).rpartition(".")[2]
        it = callee.item
        proof = [ctx.proof(c.src), ctx.proof(Src(it.start, it.end, ctx.fs.text[it.start : it.end]))]
        out.append(make("keeps", f.name, slots, proof, flags))
    return out


def _single_expression(ctx: FileContext, f: ItemFacts) -> str:
    """The body of a fn that is one expression and nothing else, folded; "" otherwise."""
    it = f.item
    if it.body_start is None:
        return ""
    text = ctx.fs.text[it.body_start : it.end].strip()
    if not (text.startswith("{") and text.endswith("}")):
        return ""
    inner = " ".join(text[1:-1].split())
    if not inner or any(ch in inner for ch in ";{}") or "//" in inner:
        return ""
    return inner
