"""What a spawned task waits for when the wait is a process signal: the signals by the names a
person knows, and what the task does once one comes in. vaultwarden's shutdown handler spawns
a block that races SIGINT, SIGTERM and SIGQUIT and then calls `CONFIG.shutdown()`; its think
said only "a task is started and its handle is dropped" (a held-out run, session 45)."""

from __future__ import annotations

import re

from ..facts import ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from .shape import codes, signal_name

__all__ = ["signal_wait"]

# A call after the wait said as what the task then does, when it is this short.
_MAX_SAID = 40


def signal_wait(f: ItemFacts, reg: Region, slots: dict[str, str], flags: set[str]) -> None:
    """``signames`` and ``signal-wait`` when every wait of the task ``reg`` is for a signal, with
    what it calls after the wait (``on_signal``); ``signal-rounds`` instead when the wait is
    each round of the task's loop (its work is said by ``round_work``). Nothing when anything
    else is raced beside a signal or the wait sits under a condition: then the signal is not
    what the task waits for."""
    assert f.flow is not None
    fl = f.flow

    def here(rid: int) -> bool:
        return fl.task_of(rid).id == reg.id

    if any(w for w in f.waits if fl.inside(w.region, reg.id) and here(w.region)):
        return  # a sleep or a tick as well: the pace is not the signal's alone
    waits: list[tuple[str, int, int]] = []  # (name, end offset, region of the wait)
    for c in f.calls:
        if not fl.inside(c.region, reg.id) or not here(c.region):
            continue
        home = fl.regions[c.region]
        if not c.awaited and home.kind != "select-future":
            continue
        name = _signal_of(f, c.full, c.name, c.receiver, c.src.text)
        if name is not None:
            waits.append((name, c.src.end, c.region))
        elif c.awaited or home.kind == "select-future":
            return  # something else is awaited or raced: the task is not a signal listener
    futures = [r for r in fl.regions if r.kind == "select-future" and fl.inside(r.id, reg.id)]
    if not waits or len(futures) > len(waits):
        return
    if any(fl.conditions(rid, stop=reg.id) for _, _, rid in waits):
        return
    names = list(dict.fromkeys(n for n, _, _ in waits))
    loops = {id(fl.loop_of(rid)) for _, _, rid in waits}
    slots["signames"] = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    if len(names) > 1:
        flags.add("several-signals")
    if loops != {id(None)}:
        flags.add("signal-rounds")
        return
    flags.add("signal-wait")
    end = max(e for _, e, _ in waits)
    then = [
        f"{c.receiver}.{c.src.text}" if c.receiver else c.src.text
        for c in f.calls
        if c.src.start >= end
        and fl.inside(c.region, reg.id)
        and here(c.region)
        and c.kind in ("fn", "method")
        and not fl.conditions(c.region, stop=reg.id)
        # `.expect(..)` on the wait's own result is no step; a method is said with a plain
        # receiver (`CONFIG.shutdown()`) or not at all.
        and (c.kind == "fn" or re.fullmatch(r"[A-Za-z_][\w.:]*", c.receiver) is not None)
        and not any(
            o is not c and o.open_tok < c.tok < o.close_tok and fl.inside(o.region, reg.id)
            for o in f.calls
        )
    ]
    if 1 <= len(then) <= 2 and all(len(t) <= _MAX_SAID and "\n" not in t for t in then):
        slots["on_signal"] = codes(*then)


def _signal_of(f: ItemFacts, full: str, name: str, receiver: str, text: str) -> str | None:
    """The signal a call waits for: `ctrl_c()`, or `.recv()` on a local bound to a listener."""
    mech = mechanism(full)
    if mech is not None and mech.role == "signal":
        return signal_name(text, stops_only=False)
    if name != "recv" or not re.fullmatch(r"[A-Za-z_]\w*", receiver):
        return None
    bound = [a for a in f.assigns if a.is_let and a.var == receiver]
    found = {signal_name(a.src.text, stops_only=False) for a in bound}
    return found.pop() if len(found) == 1 else None
