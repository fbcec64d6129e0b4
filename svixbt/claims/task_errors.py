"""Where a spawned task's failures go: to a log line, to a receiver the spawning fn keeps, or
nowhere but a failed send's line.

tokio-cron-scheduler's `run` spawns a job and returns the oneshot receiver the task sends `true`
on when it is done; its only error line is for that send. "A failure stops at a log line; its
caller never hears of it" was false there (blind read 103).
"""

from __future__ import annotations

import re

from ..fact_types import Log, Spawn
from ..facts import ItemFacts
from ..flow import Region
from .core import FileContext
from .err_arms import err_branch
from .shape import is_error_arm

__all__ = [
    "not_only_logged",
    "on_error_path",
    "only_send_errors",
    "panics_inside",
    "reports_back",
]

_SENDS = ("send", "try_send", "send_replace")


def reports_back(ctx: FileContext, f: ItemFacts, sp: Spawn) -> bool:
    """Whether the task sends on a channel the fn made (`let (tx, rx) = ..channel()`) and the
    fn itself uses the receiving end after the spawn (returns it, awaits it): the caller hears
    from the task that way, handle or not."""
    assert f.flow is not None
    text = ctx.fs.text
    body = text[f.item.start : f.item.end]
    for c in f.calls:
        if not f.flow.inside(c.region, sp.region):
            continue
        if c.name in _SENDS and c.receiver:
            senders = [c.receiver]
        else:
            # The sender handed to a helper that sends on it (ballista's `read_partition(reader,
            # tx)` streams its errors to the client: "a failure stops at a log line" was
            # misleading, blind read 19).
            senders = [a for a in c.args if re.fullmatch(r"\w+", a)]
        for sender in senders:
            tx = re.escape(sender)
            m = re.search(rf"let\s*\(\s*(?:mut\s+)?{tx}\s*,\s*(?:mut\s+)?(\w+)\s*\)\s*=", body)
            if m and re.search(rf"(?<![\w.]){m.group(1)}\b", text[sp.src.end : f.item.end]):
                return True
    return False


def only_send_errors(f: ItemFacts, logs: list[Log]) -> bool:
    """Whether every warn or error line of the task reports a failed channel send: the task's
    own work has no line, so "a failure stops at a log line" would be about the message only."""
    assert f.flow is not None
    for lg in logs:
        if lg.level not in ("warn", "error"):
            continue
        arm = next((r for r in f.flow.chain(lg.region) if err_branch(r)), None)
        head = arm.head if arm is not None and arm.kind == "if" else arm.keyword if arm else ""
        m = re.search(rf"([\w.]+)\s*\.\s*(?:{'|'.join(_SENDS)})\s*\(", head)
        if m is None or not _channel_send(f, m.group(1), head[m.end() :]):
            return False
    return True


def _channel_send(f: ItemFacts, recv: str, rest: str) -> bool:
    """Whether `recv.send(..)` is a message on a channel, not the task's own work (a webhook
    client's `sink.send(0).await` is the work): a send not awaited (oneshot, broadcast, an
    unbounded mpsc), or a sender by its name or its parameter's type."""
    awaited = re.match(r"[^;{}]*?\)\s*\.\s*await", rest) is not None
    if not awaited:
        return True
    last = recv.split(".")[-1]
    if re.fullmatch(r"(?:\w+_)?tx|\w*sender", last, re.IGNORECASE):
        return True
    return any(p == recv and "Sender" in t for p, t in f.params)


def on_error_path(f: ItemFacts, rid: int) -> bool:
    """Whether region ``rid`` runs only when something failed: in an `Err` arm, under an
    `if let Err(..)` or an `is_err()` test."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.kind == "arm" and is_error_arm(r.head):
            return True
        if r.kind == "if" and (r.head.startswith("let Err(") or "is_err()" in r.head):
            return True
    return False


_PANICS = ("expect", "unwrap", "panic", "unreachable", "todo", "unimplemented")


def panics_inside(f: ItemFacts, sp: Spawn) -> bool:
    """Whether the task can panic on a failure (`.expect(..)`, `.unwrap()`, `panic!`): tokio
    catches that panic in the dropped handle, so a failure does not always "stop at a log line"
    (tokio-cron-scheduler's ctrl-c task, read 104)."""
    assert f.flow is not None
    return any(c.name in _PANICS and f.flow.inside(c.region, sp.region) for c in f.calls)


_FORWARDS = frozenset({"send", "blocking_send", "try_send", "unbounded_send", "send_replace"})


def not_only_logged(ctx: FileContext, f: ItemFacts, sp: Spawn, logs: list[Log]) -> bool:
    """Whether the task's failures do not all end as its log lines: it reports to a receiver
    the fn keeps, its only error lines are failed sends, it can panic, or it throws a result
    away unread (`let _ = relay(io).await`, shadowsocks' tunnel: read 105)."""
    assert f.flow is not None
    return (
        only_send_errors(f, logs)
        or reports_back(ctx, f, sp)
        or panics_inside(f, sp)
        or re.search(r"\blet\s+_\s*=", sp.src.text) is not None
        # A failure that ends the process, not at a log line (chirpstack's API task logs and
        # then calls `std::process::exit(-1)`, a held-out read).
        or any(e.kind == "exit" and f.flow.inside(e.region, sp.region) for e in f.exits)
        # An error arm whose value the task goes on to use (triagebot's docs update: `Err(e)
        # => { log::error!(..); "Docs update failed, ..".to_string() }` becomes the reply sent
        # to the user; "stops at a log line" was misleading, blind read 19).
        or any(
            err_branch(r) and f.flow.inside(r.id, sp.region) and _arm_value(f, r)
            for r in f.flow.regions
        )
        # An error branch that does more than log (mullvad's device migration task logs, then
        # notifies a synthesized logout: "logs the error .. and goes no further" was FALSE,
        # held-out read 89 at d6c8a1f).
        or any(
            err_branch(r) and f.flow.inside(r.id, sp.region) and _acts_beyond_logs(f, r)
            for r in f.flow.regions
        )
        # An error branch that also sends the failure on (neon's debug dump task logs, then
        # `tx.blocking_send(Err(BrokenPipe))` into the response body: "stops at a log line"
        # was false, held-out read 22).
        or any(
            err_branch(r)
            and f.flow.inside(r.id, sp.region)
            and any(c.name in _FORWARDS and f.flow.inside(c.region, r.id) for c in f.calls)
            for r in f.flow.regions
        )
        # An error branch in the task that writes no line: that failure goes elsewhere
        # (chirpstack's roaming task turns a failed `_handle_pr_stop_req` into an answer sent
        # back; "it logs at error level" was false, a held-out read).
        # A line under a condition of its own inside the branch (`if err.kind() != NotFound`)
        # leaves the other failures unlogged too (AppFlowy's import task, a held-out read).
        # `if record(..).await.is_err() { return; }` too: HotShot's VID broadcast task ends
        # silently there and warns only of a failed send ("the error its error branch catches
        # is logged there at warn level", held-out read 83 #5).
        or any(
            (err_branch(r) or r.kind == "if" and r.head.endswith(".is_err()"))
            and f.flow.inside(r.id, sp.region)
            and not any(
                f.flow.inside(lg.region, r.id) and not f.flow.conditions(lg.region, stop=r.id)
                for lg in f.logs
            )
            for r in f.flow.regions
        )
    )


def _acts_beyond_logs(f: ItemFacts, r: Region) -> bool:
    """Whether error branch ``r`` makes a call that is neither a log line nor inside one."""
    assert f.flow is not None
    lines = [lg.src for lg in f.logs if f.flow.inside(lg.region, r.id)]
    return any(
        f.flow.inside(c.region, r.id)
        and c.kind != "macro"
        and not any(x.start <= c.src.start < x.end for x in lines)
        for c in f.calls
    )


def _arm_value(f: ItemFacts, r: Region) -> bool:
    """Whether match arm ``r`` of a `let x = match ..` ends in a value (a tail expression that is
    no log macro), which the code after the `match` then uses."""
    assert f.flow is not None
    if r.kind != "arm":
        return False
    scan = f.flow.scan
    t, c = scan.texts, scan.codes
    k = min(r.hi, len(t)) - 1
    while k >= r.lo and (c[k] in "cdi" or t[k] in ("}", ",")):
        if t[k] == "}" and k < r.hi - 1:
            break
        k -= 1
    if k < r.lo or t[k] == ";":
        return False
    # The tail is the arm's last statement: a value unless it is a log macro's call.
    tail_logs = [g for g in f.logs if f.flow.inside(g.region, r.id) and g.src.end >= scan.starts[k]]
    if tail_logs:
        return False
    # Only in `let x = match ..`: a statement `match` throws its arms' values away.
    m = next((x for x in f.flow.regions if x.id == r.parent), None)
    if m is None or m.start_tok < 1:
        return False
    j = m.start_tok - 1
    while j >= 0 and c[j] in "cdi":
        j -= 1
    return j >= 0 and t[j] == "="
