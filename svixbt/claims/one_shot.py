"""What a spawned task with no loop of its own does with a failure: the `one_shot` claim (a
failure leaves a log line and nothing else) and `errs_before_spawn` (the fn's own `?`s before
the spawn, which do reach its caller)."""

from __future__ import annotations

import re

from ..facts import Exit, ItemFacts, Log, Spawn, Src
from ..flow import CONDITION_KINDS
from .blocks import deferred
from .callee_ends import runs_never_err
from .core import Claim, FileContext, make
from .handle_fate import bound_fate
from .shape import call_said
from .task_errors import not_only_logged, on_error_path

_RETRY_CALL = re.compile(r"(?i)retr|backoff|again")


_ARM_START = re.compile(r"(?:Err|Ok|Some)\(|None\b|_\s*=>")


def one_shot_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A detached task with no loop in it whose failures are only logged: a failure that reaches
    it leaves a log line and nothing else (no error for anyone). Nothing is said of retries: the
    call it makes may retry inside (the svix SDK does; a crate fn may go through
    run_with_retries). The author's comment over the arm that only warns says why, if there."""
    assert f.flow is not None
    out: list[Claim] = []
    for sp in f.spawns:
        kept = _kept_unit_task(f, sp)
        if sp.handle != "dropped" and kept is None or sp.repeated or not f.own(sp.at_region):
            continue
        if deferred(f, f.flow.regions[sp.at_region], itself=True, closures=False):
            continue  # in a future the fn returns: its caller's poll starts it
        inner = [r for r in f.flow.regions if f.flow.inside(r.id, sp.region)]
        if any(r.kind == "loop" for r in inner):
            continue
        # A wait or a retrying helper inside is a second try this claim would deny.
        if any(f.flow.inside(w.region, sp.region) for w in f.waits) or any(
            f.flow.inside(c.region, sp.region) and _RETRY_CALL.search(c.name) for c in f.calls
        ):
            continue
        logs = _failure_logs(f, sp)
        levels = list(dict.fromkeys(lg.level for lg in logs))
        if not {"warn", "error"} & set(levels) or any(
            _tested(f, lg.region, sp.region) for lg in logs
        ):
            continue
        if not_only_logged(ctx, f, sp, logs):
            # tokio-cron-scheduler's `run` returns the receiver its task's `tx.send(true)`
            # goes to, and that send's failure is the only line the task writes: "a failure
            # stops at a log line; its caller never hears of it" was false (blind read 103).
            continue
        slots = {"mech": sp.said, "levels": " or ".join(levels)}
        from .spawns import main_call

        # The one call the task makes, when it has one: it may loop inside (a batch walk), so
        # what is tried once is that call, not "the work".
        runs = main_call(f, f.flow.regions[sp.region])
        if runs:
            slots["runs"] = runs
        proof = [ctx.proof(sp.src)] + [ctx.proof(lg.src) for lg in logs]
        flags: set[str] = set()
        if runs and runs_never_err(ctx, f, sp, runs):
            # rathole's server spawns `if let Err(err) = ch.run().await { error!(..) }` around
            # a `run` whose every way out is `Ok(())`: "a failed `ch.run` stops at a log line"
            # was misleading, that line can never be written (held-out read 41).
            flags.add("never-errs")
        if runs and _also_inline(f, sp, runs):
            flags.add("also-inline")
        if kept is not None:
            # The handle goes on, but the task's value is `()`: whoever awaits it learns that
            # it ended, not whether the work failed (wash's `TriggerService::spawn`).
            flags.add("kept")
            slots["handle_var"] = kept
        if sum(f.own(x.at_region) for x in f.spawns) > 1:
            flags.add("several")  # "the task" must say which: it is said by what it runs
        comment = _arm_comment(ctx, f, sp, logs)
        if comment is not None:
            c, slots["arm_comment"], slots["arm_level"] = comment
            flags.add("arm-comment")
            proof += [ctx.proof(c)]
        out.append(make("one_shot", f.name, slots, proof, flags))
        # What fails before the spawn is the fn's own error: "does the caller ever find out?"
        # answered with a flat no read as misleading where `?` calls come first (blind read
        # 73 on send_operational_webhook).
        # Each `?` of the fn's own (a `??` is two; one in an async block or closure returns
        # from that, not from the fn), and whether a `return` is among the ways out too
        # (hickory's `connect_inner`: "the two `?`" of three, beside two returns).
        before = [
            e
            for e in f.exits
            # An early `return Ok(())` hands back no error (svix's operational webhooks).
            if (e.kind == "question" or e.kind == "return" and e.expr.startswith("Err("))
            and e.src.end <= sp.src.start
            and f.own(e.region)
            and not any(a.kind in ("closure", "async") for a in f.flow.chain(e.region))
            and not f.flow.exclusive(e.region, sp.at_region)
        ]
        out += _errs_before(ctx, f, sp, before)
    return out


def _arm_comment(
    ctx: FileContext, f: ItemFacts, sp: Spawn, logs: list[Log]
) -> tuple[Src, str, str] | None:
    """The author's comment over the arm of the task that only logs, its words and the level
    of the first line after it; None when there is none worth quoting."""
    text = ctx.fs.text
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
        return c, words, after[0].level
    return None


def _kept_unit_task(f: ItemFacts, sp: Spawn) -> str | None:
    """The name of a bound handle the fn hands back or stores, when the task it joins is an
    async block whose value is `()`: its last statement ends in `;` or is an `if` with no
    `else` (`if let Err(e) = run().await { error!(..) }`). None otherwise."""
    if not sp.handle.startswith("bound:"):
        return None
    name = sp.handle.split(":", 1)[1]
    fate = bound_fate(f, sp, name)
    if not {"handed-back", "stored"} & fate or {"joined-here", "in-future"} & fate:
        return None
    m = re.match(r"[\w:.()]*?\(\s*async\s+(?:move\s+)?\{", sp.src.text)
    end = sp.src.text.rfind("}")
    if m is None or end < m.end():
        return None
    last = _last_statement(sp.src.text[m.end() : end])
    if last.endswith(";") or last.startswith("if ") and not re.search(r"}\s*else\b", last):
        return name
    return None


def _last_statement(body: str) -> str:
    """The last statement of a block's body at its top level, stripped: statements end at a
    `;` or at a `}` that closes a top-level brace."""
    depth, start, last = 0, 0, ""
    for i, ch in enumerate(body):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0 and ch == "}" and not re.match(r"\s*(?:else\b|[.?;])", body[i + 1 :]):
                last, start = body[start : i + 1].strip(), i + 1
        elif ch == ";" and depth == 0:
            last, start = body[start : i + 1].strip(), i + 1
    rest = body[start:].strip()
    return rest or last


def _tested(f: ItemFacts, rid: int, stop: int) -> bool:
    """Whether region ``rid`` runs under a test other than an error match between it and the
    task region ``stop``: an `if` on something else, an `else`, a select branch."""
    assert f.flow is not None
    for r in f.flow.conditions(rid, stop):
        if r.kind == "arm" and r.head.startswith("Err"):
            continue
        if r.kind == "if" and r.head.startswith("let Err("):
            continue
        return True
    return False


def _failure_logs(f: ItemFacts, sp: Spawn) -> list[Log]:
    """The lines a task writes on a failure: a `trace!` of a success is not one (shadowsocks'
    CONNECT task: "a failure ends as a line at trace or error level", read 105)."""
    assert f.flow is not None
    logs = [lg for lg in f.logs if f.flow.inside(lg.region, sp.region)]
    # A warning written straight in the task's body, on every run, reports no failure: mullvad's
    # SIGUSR1 task warns "SIGUSR1 caught, shutting down." and then sends ("The error branch in
    # the task logs the error it catches at warn level" was FALSE, held-out read 89 #36).
    return [
        lg
        for lg in logs
        if on_error_path(f, lg.region)
        or lg.level in ("warn", "error")
        and not _straight_in(f, lg.region, sp.region)
    ]


def _straight_in(f: ItemFacts, region: int, task: int) -> bool:
    """Whether ``region`` runs on every run of the task whose region is ``task``: no condition,
    arm or loop between them."""
    assert f.flow is not None
    for r in f.flow.chain(region):
        if r.id == task:
            return True
        if r.kind in CONDITION_KINDS or r.kind == "loop":
            return False
    return False


def _errs_before(ctx: FileContext, f: ItemFacts, sp: Spawn, before: list[Exit]) -> list[Claim]:
    """``errs_before_spawn``: the `?`s counted as written, proven by the calls they follow
    (the chain's last link, `map_err`) and by the returns beside them."""
    early = [e for e in before if e.kind == "question"]
    if not early:
        return []
    flags = {"several"} if len(early) > 1 else set()
    if len(early) != len(before):
        flags.add("also-returns")
        if len(before) - len(early) == 1:
            flags.add("one-return")  # "the early returns beside them" was one (read 15)
    calls = [
        c
        for c in f.calls
        if c.propagates
        and c.src.end <= sp.src.start
        and f.own(c.region)
        and c.kind != "macro"
        and any(c.src.end <= e.src.start <= c.src.end + 8 for e in early)
    ]
    proof = [ctx.proof(c.src) for c in calls] + [
        ctx.proof(e.src) for e in before if e.kind != "question"
    ]
    slots = {"count": str(len(early)), "mech": sp.said}
    return [
        make("errs_before_spawn", f.name, slots, proof or [ctx.proof(e.src) for e in early], flags)
    ]


def _also_inline(f: ItemFacts, sp: Spawn, runs: str) -> bool:
    """Whether the fn also awaits ``runs`` outside the spawned task and hands its error up with
    `?` there: spotify-player's playback request spawns the call when an app is running and
    awaits it otherwise, and "a failed call stops at a log line" held on one path only
    (held-out read 103 #2)."""
    assert f.flow is not None
    return any(
        c.propagates
        and c.awaited
        and f.own(c.region)
        and not f.flow.inside(c.region, sp.region)
        # On another path than the spawn: `play().await?` before the spawn is no "path that
        # starts no task" (review of session 63).
        and f.flow.exclusive(c.region, sp.at_region)
        and call_said(c) == runs
        for c in f.calls
    )
