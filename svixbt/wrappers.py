"""Spawn wrappers of a crate: free fns whose whole job is to hand the future they are given to a
tokio spawn (serenity's `spawn_named(name, future)`), and the rebinding that makes a call to one
a spawn in every file of the crate that calls it by name.

Without it such a crate's tasks are invisible: every background task of serenity's gateway and
dispatch goes through `spawn_named`, and the tool wrote one record for the whole crate."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .flow import build_flow
from .mechanisms import WRAPPED_SPAWN, mechanism
from .pipeline import FileScan
from .rules import hits_per_item, match_tokens

__all__ = ["Wrapper", "spawn_wrappers", "rebind_wrappers"]

# The spawns a wrapper may hand its future to (not a blocking pool, not another wrapper).
_SPAWNS = frozenset({"tokio::spawn", "tokio::task::spawn", "tokio::task::spawn_local"})


@dataclass(frozen=True)
class Wrapper:
    name: str
    file: int  # position of the defining file in the crate's scans
    item: int
    wraps: str  # the spawn it hands its future to: `tokio::spawn`
    spawns: int  # how many spawns its body has (cfg copies: serenity names its task on some)
    start: int  # char offsets of that spawn's call in the defining file (its proof)
    end: int


def spawn_wrappers(scans: list[FileScan]) -> dict[str, Wrapper]:
    """The crate's spawn wrappers by name: a free fn, not async and with no loop, each of whose
    spawns is handed exactly one of its parameters. A name the crate defines as anything else
    too is left alone: which one a call reaches is not known."""
    found: dict[str, Wrapper] = {}
    defined: dict[str, int] = {}
    wrapping: dict[str, int] = {}
    for fi, fs in enumerate(scans):
        for ii, it in enumerate(fs.items):
            if it.kind != "fn" or it.is_test:
                continue
            if it.parent is not None and fs.items[it.parent].kind != "mod":
                # A method is called on a value or a type (`Process::spawn`), never by the bare
                # name a free wrapper is called by: it makes no call ambiguous (pict-rs's
                # `sync::spawn` beside an `async fn spawn` of its process type).
                continue
            defined[it.name] = defined.get(it.name, 0) + 1
            spawned = _wraps(fs, ii)
            if spawned is not None:
                wrapping[it.name] = wrapping.get(it.name, 0) + 1
                found.setdefault(it.name, Wrapper(it.name, fi, ii, *spawned))
    # `#[cfg]` copies of one wrapper count once; any other fn of that name makes it unsure.
    return {n: w for n, w in sorted(found.items()) if defined[n] == wrapping[n]}


def _wraps(fs: FileScan, ii: int) -> tuple[str, int, int, int] | None:
    """The spawn item ``ii`` hands its parameter to, with its call's offsets; None when it is no
    wrapper."""
    it = fs.items[ii]
    if it.body_start is None or it.parent is not None and fs.items[it.parent].kind != "mod":
        return None  # a method (`rt.spawn(..)` is read as a spawn already) or a local fn
    scan = fs.scan
    rng = scan.token_range(it.body_start, it.end)
    if len(rng) < 2:
        return None
    sig = scan.text[it.keyword_start : it.body_start]
    if re.search(r"\basync\s+fn\b", sig):
        return None
    flow = build_flow(scan, rng.start + 1, rng.stop - 1, fs.imports)
    if any(r.kind == "loop" for r in flow.regions):
        return None
    spawns = [
        r
        for r in flow.regions
        if r.kind == "spawn" and (m := mechanism(r.keyword)) is not None and m.path in _SPAWNS
    ]
    if not spawns:
        return None
    # Every `spawn(` of the body, a builder's `.spawn(future)` too (serenity's on some builds).
    every = sum(
        1
        for k in range(rng.start, rng.stop - 1)
        if scan.texts[k] == "spawn" and scan.texts[k + 1] == "("
    )
    for r in spawns:
        name = scan.text[scan.starts[r.lo] : scan.starts[r.hi]].strip()
        if not re.fullmatch(r"[a-z_]\w*", name):
            return None
        if not re.search(rf"[(,]\s*(?:mut\s+)?{name}\s*:", sig):
            return None  # not a parameter: the fn spawns work of its own
    first = min(spawns, key=lambda r: r.start_tok)
    m = mechanism(first.keyword)
    assert m is not None
    at = scan.starts[first.start_tok]
    end = scan.starts[first.call_hi] + 1 if first.call_hi >= 0 else scan.starts[first.hi]
    return m.path, every, at, end


def rebind_wrappers(
    scans: list[FileScan],
    wrappers: dict[str, Wrapper],
    crate_name: str,
    modules: list[str] | None = None,
) -> None:
    """Make each call of a wrapper by name resolve to ``WRAPPED_SPAWN``: in its own file, and
    where a `use` of the crate brings it in; with ``modules`` (each file's `crate::a::b`), also
    a call that writes the wrapper's whole path. The rule hits of a file that changed are read
    again."""
    heads = {"crate", "super", "self", crate_name} - {""}
    paths: list[str] = []
    for name, w in wrappers.items():
        if modules is not None and w.file < len(modules):
            module = f"{modules[w.file]}::{name}"
            paths.append(module)
            if crate_name:
                paths.append(crate_name + module.removeprefix("crate"))
    for fi, fs in enumerate(scans):
        before = dict(fs.imports)
        for path in paths:
            # Only where a call writes it: a file that never does keeps its map and its hits.
            written = r"\s*::\s*".join(map(re.escape, path.split("::")))
            if re.search(rf"(?<![\w:]){written}\b", fs.scan.text):
                fs.imports.setdefault(path, WRAPPED_SPAWN)
        for name, w in wrappers.items():
            if w.file == fi and name not in fs.imports:
                fs.imports[name] = WRAPPED_SPAWN
            for local, full in list(fs.imports.items()):
                segs = full.split("::")
                if len(segs) >= 2 and segs[-1] == name and segs[0] in heads:
                    fs.imports[local] = WRAPPED_SPAWN
        if fs.imports != before:
            fs.hits = hits_per_item(fs.scan, match_tokens(fs.scan, fs.imports))
