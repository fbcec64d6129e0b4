"""What a fn does with the JoinHandle of a task it spawned and bound to a name: awaits it
itself, hands it back to its caller (in its value or in a future it returns), or stores it in
a field."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Spawn


def bound_fate(f: ItemFacts, sp: Spawn, name: str) -> set[str]:
    """What the fn itself does with a handle it bound: "joined-here" when it awaits it
    later, "handed-back" when the fn's final expression hands it to the caller. garage's
    `listen` awaits its `connection_collector` itself ("whoever calls this needs
    `connection_collector`" was false) and `BackgroundRunner::new` returns its handle in a
    tuple ("keeps the join handle in `await_all_done`", misleading: held-out read 11)."""
    assert f.flow is not None
    text = f.flow.scan.text
    after = text[sp.src.end : f.item.end]
    out: set[str] = set()
    name_re = re.escape(name)
    # `AbortOnDropHandle::new(stats).await?`: awaited through a wrapper, not handed back
    # (qdrant's `get_size_stats`: "the caller holds it" was false, held-out read 15).
    joined = rf"\b{name_re}\s*\.await\b|\(\s*{name_re}\s*\)\s*\.await\b"
    tail = f.tail.text if f.tail is not None else ""
    if _awaited_in_returned_future(tail, joined):
        # `Ok((host, async move { ..; task.await? }))`: the await is the caller's, when it
        # awaits the future this returns (wash's `ClusterHost::start`: "this awaits itself
        # further down; the handle never reaches the caller" was false).
        return {"handed-back", "in-future"}
    if re.search(joined, after):
        out.add("joined-here")
    # `self.task = Some(handle);`, `data.task_handle = Some(handle)`: kept in a field, where
    # whoever owns it can abort it (wash's messaging plugin and tremor's kafka consumer:
    # "keeps the join handle in `handle`" hid it, held-out read 26).
    stored = re.search(
        rf"(?<![\w.])((?:self\.)?[a-z_][\w.]*\.[a-z_]\w*)\s*=\s*(?:Some\(\s*)?{name_re}\s*\)?\s*;",
        after,
    )
    if stored and "joined-here" not in out:
        out.add("stored")
        out.add("stored:" + stored.group(1))
    if re.search(rf"\b{name_re}\b", tail) and not re.search(joined, tail):
        out.add("handed-back")
        if re.search(rf"AbortOnDropHandle::new\(\s*{name_re}\s*\)", after):
            out.add("abort-on-drop")  # dropping what is returned aborts it (iroh, read 24)
    return out


def _awaited_in_returned_future(tail: str, joined: str) -> bool:
    """Whether the fn's final expression awaits the handle inside an `async` block it hands
    back, unawaited: the block's text opens before the await and its braces still hold it."""
    m = re.search(joined, tail)
    if m is None:
        return False
    opened = [a.end() for a in re.finditer(r"\basync\s+(?:move\s+)?\{", tail[: m.start()])]
    if not opened:
        return False
    inside = tail[opened[-1] : m.start()]
    if inside.count("{") < inside.count("}"):
        return False
    rest = tail[m.end() :]
    # The block itself must not be awaited right here (`async { .. }.await`).
    depth, i = inside.count("{") - inside.count("}") + 1, 0
    while i < len(rest) and depth:
        depth += {"{": 1, "}": -1}.get(rest[i], 0)
        i += 1
    return not re.match(r"\s*\.await\b", rest[i:])
