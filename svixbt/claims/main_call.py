"""The call a spawned task, a join branch or a select branch exists for."""

from __future__ import annotations

import re

from ..facts import Call, ItemFacts
from ..flow import TASK_KINDS, Region
from ..mechanisms import mechanism
from .shape import await_name

__all__ = ["in_loop_of", "main_call", "main_call_of"]


# Methods that move data or wait on a primitive: what a task does between its work, never the
# work it exists for (`tx.send(..).await`, `lock.lock().await`, `rx.recv().await`).
_PLUMBING = frozenset(
    {
        "send", "recv", "try_recv", "recv_many", "send_timeout", "reserve", "lock", "read",
        "write", "acquire", "acquire_owned", "tick", "changed", "notified", "wait", "closed",
        "cancelled", "next", "flush", "join", "join_next", "ready", "shutdown", "abort",
        "unwrap", "expect", "map_err", "ok", "await", "clone", "into", "get", "insert", "remove",
    }
)  # fmt: skip


def main_call_of(f: ItemFacts, region: Region) -> Call | None:
    """The call a task or branch exists for: its last awaited call of a plain fn, or of a method
    on a plain local (`v.run()` in `spawn(async move { v.run().await })`, nostr-rs-relay's
    verifier task, which read as "one of its tasks" with nothing said of what it runs), that
    runs whenever the region does (None when each such call sits under a condition)."""
    assert f.flow is not None
    if region.kind in ("spawn", "join-branch"):
        # `spawn(db::db_writer(..))`: the future handed over is the call itself, not awaited in
        # the item (nostr-rs-relay's writer task read as "one of its tasks"). A join's branch
        # `insert_rows(pool, &rows)` likewise (tensorzero's joins were said with no part named).
        lo = f.flow.scan.starts[region.lo]
        for c in f.calls:
            # `Box::pin(async move {..})` wraps the block handed over; it is not the work.
            boxed = c.name == "pin"
            # `spawn(task.run())`: a method on a plain local is the work as much as a fn is
            # (mirrord's `start_traffic_redirector` spawns `task.run()` after awaiting another
            # spawn: "the spawned task carries on by itself" named neither, held-out read 87).
            on_local = c.kind == "method" and re.fullmatch(r"[a-z_]\w*", c.receiver or "")
            first = f.flow.scan.starts[c.tok - 2] if on_local and c.tok >= 2 else c.src.start
            whole = first == lo and c.close_tok == region.hi - 1
            if (
                c.region == region.id
                and (c.kind == "fn" or on_local)
                and whole
                and not boxed
                and mechanism(c.full) is None
            ):
                # `spawn(DispatchTask::new(..))`: `new` runs right here and builds the future;
                # what the task runs is that value's `poll` ("spawns `DispatchTask::new`" was
                # FALSE of librespot's session, held-out read 36).
                return None if _CONSTRUCTOR.fullmatch(c.written) else c
    found: dict[str, Call] = {}  # by name, in order
    # A call in a task spawned inside the region runs there, not in the region's own task.
    task = region.id if region.kind in TASK_KINDS else f.flow.task_of(region.id).id
    for c in f.calls:
        if (
            (c.kind == "fn" or _work_method(c))
            and c.awaited
            and f.flow.inside(c.region, region.id)
            and f.flow.task_of(c.region).id == task
            and mechanism(c.full) is None
            # Library calls (`tokio::task::yield_now`) are not the work a task exists for.
            and not c.full.startswith(("tokio::", "std::", "core::", "futures::"))
            and not c.name[:1].isupper()
            # A crate's own `timeout(..)` or `sleep(..)` wraps the work; it is not the work
            # (rustdesk-server: "hands `timeout` to `tokio::spawn`", blind reads 101-102).
            and c.name not in ("timeout", "sleep", "sleep_until", "spawn", "interval")
            and not f.flow.conditions(c.region, stop=region.id)
        ):
            found.setdefault(await_name(c), c)
    # The one fn, or else the one method: of several fns, which one the task exists for is a
    # guess (chirpstack's task runs `_handle_pr_stop_req`, then `log_request_response`; "the
    # last one" named the logging call, a held-out read). A method after the fn reports its
    # result (`delivery.ack`, `sender_client.pr_stop_ans`).
    fns = [c for c in found.values() if c.kind == "fn"]
    methods = [c for c in found.values() if c.kind == "method"]
    one = fns[0] if len(fns) == 1 else methods[0] if not fns and len(methods) == 1 else None
    # A call before a loop of the same task sets the loop up (`nats_client.subscribe` and then
    # a select loop: "the task `start` starts for `nats_client.subscribe`" was misleading,
    # wash's `ClusterHost::start`): the task exists for its loop.
    if one is not None and _loop_after(f, one, task, region.id):
        return None
    if one is not None and _gates_more(f, one, task):
        return None
    return one


# A type's constructor, as written: `DispatchTask::new`, `Worker::with_config`.
_CONSTRUCTOR = re.compile(
    r"(?:\w+::)*[A-Z]\w*(?:<[^>]*>)?::(?:new|new_\w+|with_\w+|from\w*|default|builder)"
)


def _gates_more(f: ItemFacts, c: Call, task: int) -> bool:
    """Whether ``c`` is in the head of an `if let` whose body awaits more of the task's
    work: a read that decides what comes next, not what the task is for (rustdesk-server's
    listener task reads one frame with `next_timeout`, then answers it: "hands
    `stream.next_timeout` to `tokio::spawn`" was misleading, held-out read 35)."""
    assert f.flow is not None
    fl = f.flow
    # `if let Some(frame) = read().await { .. }`: the body works on what the read gave. Not
    # `if work().await.is_err() { nack().await }` (svix's worker: there the body handles the
    # work's failure), nor `if let Err(e) = work().await`.
    heads = [
        r
        for r in fl.regions
        if r.kind == "if"
        and r.head_start <= c.src.start < r.head_end
        and re.match(r"let\s+(?!Err\b)", r.head)
    ]
    return any(
        d is not c and d.awaited and fl.task_of(d.region).id == task and fl.inside(d.region, r.id)
        for r in heads
        for d in f.calls
    )


def _loop_after(f: ItemFacts, c: Call, task: int, top: int) -> bool:
    assert f.flow is not None
    starts = f.flow.scan.starts
    return any(
        r.kind == "loop"
        and f.flow.inside(r.id, top)
        and f.flow.task_of(r.id).id == task
        and starts[r.lo] > c.src.end
        for r in f.flow.regions
    )


def _work_method(c: Call) -> bool:
    return (
        c.kind == "method"
        and c.name not in _PLUMBING
        and bool(re.fullmatch(r"[a-z_][a-z0-9_]*", c.receiver))
        and c.receiver != "self"
    )


def main_call(f: ItemFacts, region: Region) -> str:
    """``main_call_of`` as the code names it: `run_worker`, `v.run`; "" when there is none."""
    c = main_call_of(f, region)
    return "" if c is None else await_name(c)


def in_loop_of(f: ItemFacts, rid: int, top: int) -> bool:
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.id == top:
            return False
        if r.kind == "loop":
            return True
    return False
