"""A watchdog task: spawned with its handle kept, it sleeps and then logs or calls something,
and the fn aborts it through that handle right after awaiting the work it watches. What the
watchdog does after its sleep then happens only when that work outlasts the sleep.

quickwit's pubsub spawns a task that sleeps `EVENT_SUBSCRIPTION_CALLBACK_TIMEOUT` and warns,
then a second that awaits the subscriber's `handle_event` and aborts the first. The records
said only "spawns .. and the handle is dropped", one sentence; the point of the code, a
warning for slow handlers only, went unsaid although every step of it is a plain statement.
"""

from __future__ import annotations

from ..facts import Call, ItemFacts
from ..flow import Region
from ..values import human_duration
from .core import Claim, FileContext, make
from .shape import await_name

__all__ = ["watchdog_claims"]

# Calls that shape a value rather than act: not what the watchdog does once it wakes.
_PLUMBING = frozenset({"clone", "as_millis", "as_secs", "type_name", "to_string", "into"})


def watchdog_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    for sp in f.spawns:
        if not sp.handle.startswith("bound:") or sp.repeated or not f.own(sp.at_region):
            continue
        var = sp.handle.split(":", 1)[1]
        reg = fl.regions[sp.region]
        sleeps = [w for w in f.waits if w.role == "sleep" and _top(f, w.region, reg)]
        if len(sleeps) != 1:
            continue
        sleep = sleeps[0]
        woke = _after_sleep(f, reg, sleep.src.end)
        if woke is None:
            continue
        abort = next(
            (
                c
                for c in f.calls
                if c.kind == "method" and c.name == "abort" and c.receiver == var and not c.args
            ),
            None,
        )
        if abort is None:
            continue
        home = fl.task_of(abort.region)
        if not _top(f, abort.region, home):
            continue
        watched = [
            c
            for c in f.calls
            if c.awaited
            and c.src.end <= abort.src.start
            and c.src.start > sp.src.end
            and fl.task_of(c.region).id == home.id
            and _top(f, c.region, home)
        ]
        if not watched:
            continue
        call = watched[-1]
        slots = {
            "mech": sp.said,
            "handle_var": var,
            "abort_call": f"{var}.abort()",
            "call": await_name(call),
            "dur": human_duration(sleep.seconds) if sleep.seconds is not None else sleep.arg,
        }
        flags = {"in-task" if home.kind == "spawn" else "in-fn"}
        if sleep.const:
            slots["const"] = sleep.const
        if woke.kind == "macro":
            slots["macro"] = woke.written if woke.written.endswith("!") else woke.written + "!"
            flags.add("macro")
        else:
            slots["then"] = await_name(woke)
            flags.add("calls")
        proof = [ctx.proof(x) for x in (sleep.src, woke.src, call.src, abort.src)]
        out.append(make("watchdog", f.name, slots, proof, flags))
    return out


def _top(f: ItemFacts, rid: int, task: Region) -> bool:
    """Whether region ``rid`` runs in ``task`` on every path: no loop, branch or closure
    between them."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.id == task.id:
            return True
        if r.kind not in ("async",):
            return False
    return False


def _after_sleep(f: ItemFacts, task: Region, at: int) -> Call | None:
    """The first call the watchdog makes once its sleep is over: a macro (a log line of the
    crate's own) or a call that acts, on every path of the task."""
    for c in sorted(f.calls, key=lambda c: c.src.start):
        if c.src.start < at or c.name in _PLUMBING or c.name == "sleep":
            continue
        if (
            f.flow is not None
            and f.flow.task_of(c.region).id == task.id
            and _top(f, c.region, task)
        ):
            return c
    return None
