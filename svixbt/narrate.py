"""Sentences and lookups every focus shares: values, arms, waits, and how a task is launched.

Everything here reads facts and evidence; nothing invents. A helper returns None or an empty list
when its evidence is missing, and the caller leaves the sentence out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .context import CallSite
from .evidence import Evidence
from .facts import Arm, Const, ItemFacts, Log
from .phrasing import Ask, Phraser, q


@dataclass
class Draft:
    ask: Ask
    think: list[str]
    launched: bool = False  # the builder already said how the task is launched


def const_by_name(ev: Evidence, f: ItemFacts, name: str) -> Const | None:
    c = f.const(name)
    if c is not None:
        return c
    for other in ev.facts.values():
        c = other.const(name)
        if c is not None and not c.local:
            return c
    return None


def value_consts(ev: Evidence, f: ItemFacts, text: str) -> list[Const]:
    out = []
    for name in re.findall(r"\b[A-Z][A-Z0-9_]+\b", text):
        c = const_by_name(ev, f, name)
        if c is not None and c not in out:
            out.append(c)
    return out


def const_phrase(c: Const) -> str:
    """`IDLE` (12 hours)."""
    return f"{q(c.name)} ({c.human})" if c.value is not None else q(c.name)


def batch_const(ev: Evidence, f: ItemFacts) -> Const | None:
    for c in f.consts:
        if "BATCH" in c.name.upper() and c.value is not None and not c.is_duration:
            return c
    return None


def pause_calls(ev: Evidence, f: ItemFacts) -> list[tuple[str, ItemFacts | None]]:
    """How the item pauses: direct tokio sleeps, or same-file helpers that sleep."""
    out: list[tuple[str, ItemFacts | None]] = []
    for s in f.sleeps:
        out.append((s.written, None))
    for call in f.calls:
        if call.local_fn:
            helper = facts_by_name(ev, call.written)
            if helper is not None and helper.sleeps:
                out.append((call.written, helper))
    return out


def facts_by_name(ev: Evidence, name: str) -> ItemFacts | None:
    for f in ev.facts.values():
        if f.name == name and f.item.kind == "fn" and f.item.parent is None:
            return f
    return None


def sleep_var(f: ItemFacts) -> str | None:
    for var in f.unwraps.values():
        return var
    return None


def schedule_branch(f: ItemFacts, var: str) -> tuple[str, str, str] | None:
    for arm in f.arms:
        for v, cond, then, other in arm.branches:
            if v == var:
                return cond, then, other
    return None


def error_arm(f: ItemFacts) -> Arm | None:
    for arm in f.arms:
        if arm.pattern.startswith("Err"):
            return arm
    return None


def ok_arm_of(f: ItemFacts) -> Arm | None:
    for arm in f.arms:
        if arm.pattern.startswith("Ok"):
            return arm
    return None


def long_running(f: ItemFacts) -> bool:
    """A loop meant to run until shutdown, not a bounded retry or a one-shot call."""
    if not f.loops:
        return False
    if any(re.search(r"(?i)shut|cancel|stop", lp.condition) for lp in f.loops):
        return True
    if any(b.action == "break" for b in f.select_branches):
        return True
    returns_inside = any(
        arm.returns or "return" in " ".join(v for _, v in arm.sets) for arm in f.arms
    ) or bool(f.early_returns)
    outer = f.loops[0]
    return (
        outer.keyword == "loop"
        and not returns_inside
        and bool(f.intervals or f.sleeps or f.selects)
    )


def is_db(ev: Evidence, idx: int) -> bool:
    for i in [idx, *ev.reach.get(idx, [])]:
        f = ev.facts.get(i)
        if f and (f.sql or any("Database" in ty or "Db" in ty for _, ty in f.params)):
            return True
    return False


def log_place(f: ItemFacts, lg: Log) -> str:
    """Where a log sits in the task: before the loop, on a named failure, each pass, at the end."""
    for arm in f.arms:
        if lg in arm.logs and arm.pattern.startswith("Err"):
            return f"when {q(arm.scrutinee)} fails" if arm.scrutinee else "when a pass fails"
    for a, b, call in f.err_guards:
        if a <= lg.line <= b:
            return f"when {q(call)} fails" if call else "when a step fails"
    if f.loops:
        first = f.loops[0]
        if lg.line < first.line:
            return "once at startup"
        if lg.line > first.end_line:
            return "when the task stops"
        return "on each pass"
    return ""


def launch_chain(ev: Evidence, idx: int) -> list[int]:
    """idx, then same-file callers upward until one that other files call (or none)."""
    chain = [idx]
    seen = {idx}
    cur = idx
    while cur not in ev.sites:
        ups = [c for c in ev.callers.get(cur, []) if c not in seen]
        if not ups:
            break
        # Prefer the caller that is itself a candidate: that is the path the task takes.
        ups.sort(key=lambda c: (c not in ev.candidates, c))
        cur = ups[0]
        seen.add(cur)
        chain.append(cur)
    return chain


def hop(ev: Evidence, caller: int, callee: int) -> str:
    """`start` spawns `run_worker` with `tokio::spawn`, or plainly `a` calls `b`."""
    for site in ev.local_sites.get(callee, []):
        if site.caller != ev.name(caller):
            continue
        spawn = [w for w in site.wrappers if "spawn" in w]
        if spawn:
            return (
                f"{q(ev.name(caller))} calls {q(ev.name(callee))} inside a task started with "
                f"{q(spawn[0])}"
            )
        joined = [w for w in site.wrappers if "join" in w or "select" in w]
        if joined:
            return f"{q(ev.name(caller))} awaits {q(ev.name(callee))} inside {q(joined[0])}"
    return f"{q(ev.name(caller))} calls {q(ev.name(callee))}"


def site_phrase(site: CallSite) -> str:
    where = f"{q(site.caller)} in {q(site.file)}" if site.caller else q(site.file)
    wrappers = [w for w in site.wrappers if w != "async block"]
    inside_async = "async block" in site.wrappers
    how = "awaits it" if site.awaited else "calls it"
    if wrappers:
        w = wrappers[0]
        container = f"an async block that is one branch of {q(w)}" if inside_async else q(w)
        if w.startswith("tokio::spawn") or w.startswith("tokio::task::spawn"):
            container = f"a task started with {q(w)}"
        return f"{where} {how} inside {container}"
    return f"{where} {how} directly"


def launch_sentence(ev: Evidence, idx: int, ph: Phraser, salt: str) -> str | None:
    chain = launch_chain(ev, idx)
    top = chain[-1]
    sites = ev.sites.get(top, [])
    names = [ev.name(i) for i in chain]
    if len(chain) > 1 and not sites:
        # The nearest caller up the chain that waits (itself or through a wait helper it calls,
        # such as a cancellable `nap`) is the loop this code runs inside.
        skip = {idx, *ev.reach.get(idx, [])}
        owner: int | None = None
        mechs: list[str] = []
        via = ""
        for c in chain[1:]:
            mechs, via = waits_of(ev, c, skip)
            if mechs:
                owner = c
                break
        if owner is not None:
            hops = ", ".join(hop(ev, chain[i + 1], chain[i]) for i in range(len(chain) - 1))
            through = f" (through {q(via)})" if via else ""
            return ph.pick(
                "launch-mechs",
                [
                    f"It serves a background loop: {hops}, and {q(ev.name(owner))} paces itself "
                    "with " + " and ".join(q(m) for m in mechs[:2]) + through + ".",
                    f"Where it runs: {hops}; {q(ev.name(owner))} waits with "
                    + " and ".join(q(m) for m in mechs[:2])
                    + through
                    + ", so this code runs between those waits.",
                ],
                salt,
            )
    if len(chain) > 1:
        hops = ", ".join(hop(ev, chain[i + 1], chain[i]) for i in range(len(chain) - 1))
        lead = ph.pick(
            "launch-lead",
            [
                f"It only ever runs on the background path: {hops}",
                f"Following the callers up: {hops}",
                f"Its place in the task: {hops}",
            ],
            salt,
        )
    else:
        lead = ""
    if not sites:
        # Only a free fn can be searched for by name: a method is called as `.name(`.
        if ev.crate_root is None or ev.fs.items[top].parent is not None:
            return (lead + ".") if lead else None
        tail = (
            f"no other file of the crate calls {q(names[-1])} by name, so how it is started is "
            "up to whoever wires it in"
        )
        return f"{lead}; {tail}." if lead else tail[0].upper() + tail[1:] + "."
    site = sites[0]
    phrase = site_phrase(site)
    spawned = any(w.startswith(("tokio::spawn", "tokio::task::spawn")) for w in site.wrappers)
    joined = [w for w in site.wrappers if "join" in w]
    if joined and not spawned:
        after = ph.pick(
            "launch-join",
            [
                f"so it runs concurrently with the other branches of that {q(joined[0])} on the "
                "same task instead of on a spawned one",
                f"which keeps it off a task of its own: the branches of {q(joined[0])} are polled "
                "together, as one future",
                f"so the loop shares a task with the other {q(joined[0])} branches and only makes "
                "progress when it yields at an `.await`",
            ],
            salt,
        )
    elif spawned:
        after = "so it runs as its own tokio task, independent of the caller's future"
    else:
        after = "so it runs inline in that caller's future"
    core = f"{phrase}, {after}"
    if lead:
        return f"{lead}, and {core}."
    return core[0].upper() + core[1:] + "."


def shutdown_bits(ev: Evidence, f: ItemFacts) -> dict[str, str]:
    bits: dict[str, str] = {}
    for loop in f.loops:
        if re.search(r"(?i)shut|cancel", loop.condition):
            bits["loop"] = f"{loop.keyword} {loop.condition}"
    for s in f.sleeps:
        if s.cancellable:
            bits["sleep_wrapper"] = s.cancellable
    for call in f.shutdown:
        name = call.strip(".()").split("::")[-1]
        ret = ev.crate_fn_returns.get(name)
        # The token the sleep is raced against, not the boolean flag the loop header reads.
        if ret and ret != "bool":
            bits.setdefault("token_type", ret)
            bits.setdefault("token_fn", call)
    for ret, _line in f.early_returns:
        bits.setdefault("return", ret)
    if "is_none" in f.idents:
        bits["is_none"] = "is_none"
    if "cancelled" in f.idents:
        bits["cancelled"] = "cancelled"
    if "is_cancelled" in f.idents:
        bits["is_cancelled"] = "is_cancelled"
    if "break" in f.idents:
        bits["break"] = "break"
    return bits


# -- focus builders -----------------------------------------------------------------------------
# Each takes (evidence, item index, phraser) and returns a Draft, or None without evidence.


Builder = Callable[[Evidence, int, Phraser], "Draft | None"]


def where_is(ev: Evidence, idx: int) -> str:
    return f"{q(ev.name(idx))} in {q(ev.display)}"


def pace_sentence(ev: Evidence, idx: int, ph: Phraser, salt: str) -> str | None:
    """How the task waits, named by its real tokio mechanisms (its own or a wait helper's)."""
    f = ev.facts[idx]
    own = tokio_waits(f)
    if own:
        return ph.pick(
            "pace-own",
            [
                f"The waiting is all tokio: {', '.join(q(m) for m in own[:3])}, so the task yields "
                "its thread whenever it has nothing to do.",
                f"Every wait goes through {', '.join(q(m) for m in own[:3])}, which park the task "
                "instead of blocking a runtime thread.",
            ],
            salt,
        )
    for call in f.calls:
        helper = facts_by_name(ev, call.written) if call.local_fn else None
        if helper is None:
            continue
        mechs = tokio_waits(helper)
        if mechs:
            return ph.pick(
                "pace-helper",
                [
                    f"Its waits go through {q(helper.name)}, built on "
                    + " and ".join(q(m) for m in mechs[:2])
                    + ", so the task yields while it waits.",
                    f"{q(helper.name)} does the waiting for it, with "
                    + " and ".join(q(m) for m in mechs[:2])
                    + ".",
                ],
                salt,
            )
    return None


def waits_of(ev: Evidence, idx: int, skip: set[int]) -> tuple[list[str], str]:
    """How item ``idx`` waits: its own tokio waits, else those of a same-file helper it calls
    (returned with that helper's name). Items in ``skip`` do not count."""
    f = ev.facts[idx]
    own = tokio_waits(f)
    if own:
        return own, ""
    for call in f.calls:
        helper = facts_by_name(ev, call.written) if call.local_fn else None
        if helper is not None and helper.index not in skip:
            waits = tokio_waits(helper)
            if waits:
                return waits, helper.name
    return [], ""


def tokio_waits(f: ItemFacts) -> list[str]:
    """The tokio mechanisms an item waits with, as resolved paths (`interval` imported from
    `tokio::time` is `tokio::time::interval`)."""
    out = [s.mechanism for s in f.sleeps + f.intervals + f.timeouts]
    if f.selects:
        out.append("tokio::select!")
    return [m for m in dict.fromkeys(out) if m.startswith("tokio")]
