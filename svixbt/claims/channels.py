"""What tokio's mpsc channel decides for a task that reads one or makes one.

A worker written `while let Some(msg) = rx.recv().await` ends when `recv` yields `None`, which
tokio's mpsc receiver does only once every sender is gone and the queue is empty; a channel made
with `mpsc::channel(32)` holds 32 messages, and a `send().await` on a full one waits. A think
that stops at "it spawns `run`" says neither (blind read 98 on mini-redis's `buffer`: two
sentences, a spawn and a comment).

The receiver is known to be tokio's only where the code says so: a parameter whose type names
`Receiver` / `UnboundedReceiver` imported from `tokio::sync::mpsc` (or `mpsc::Receiver` with
`mpsc` from there), and a channel built by `tokio::sync::mpsc::channel` resolved through the
file's `use`s.
"""

from __future__ import annotations

import re

from ..facts import ItemFacts
from .core import Claim, FileContext, make

__all__ = ["channel_claims"]

_MPSC = "tokio::sync::mpsc"
_RECV_LOOP = re.compile(r"let\s+Some\s*\(.*\)\s*=\s*(\w+)\s*\.\s*recv\s*\(\s*\)\s*\.\s*await$")
_CAP = re.compile(r"\d[\d_]*|[A-Z][A-Z0-9_]*")


def _is_mpsc_receiver(ctx: FileContext, ty: str) -> bool:
    """Whether type ``ty`` is tokio's mpsc receiver, by the file's `use`s."""
    m = re.search(r"((?:\w+::)*)((?:Unbounded)?Receiver)\s*<", ty)
    if m is None:
        return False
    path = m.group(1).rstrip(":")
    if not path:
        return ctx.fs.imports.get(m.group(2), "").startswith(_MPSC + "::")
    head, _, rest = path.partition("::")
    full = ctx.fs.imports.get(head, head) + (f"::{rest}" if rest else "")
    return full == _MPSC


def _recv_loops(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    for r in f.flow.regions:
        if r.kind != "loop" or r.keyword != "while" or not f.own(r.id):
            continue
        m = _RECV_LOOP.match(r.head)
        if m is None:
            continue
        var = m.group(1)
        ty = next((t for p, t in f.params if p == var), "")
        if not _is_mpsc_receiver(ctx, ty):
            continue
        flags = {"unbounded"} if "Unbounded" in ty else set()
        slots = {"recv": f"{var}.recv()", "var": var}
        out.append(make("recv_loop", f.name, slots, [ctx.proof(ctx.region_src(f, r))], flags))
    return out


def _bounded(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    out: list[Claim] = []
    for c in f.calls:
        kind = {f"{_MPSC}::channel": "", "tokio::sync::broadcast::channel": "broadcast"}.get(c.full)
        if kind is None or len(c.args) != 1 or not f.own(c.region):
            continue
        cap = c.args[0].strip()
        if not _CAP.fullmatch(cap):
            continue
        slots = {"call": c.src.text, "cap": cap.replace("_", "") if cap[0].isdigit() else cap}
        # A broadcast channel never makes a sender wait: a receiver that falls behind loses
        # messages instead (rustpad's 16-slot document channel, held-out read 45).
        flags = {kind} if kind else set()
        if slots["cap"] == "1":
            flags.add("one-slot")  # "room for 1 messages" (held-out read 78)
        out.append(make("bounded_channel", f.name, slots, [ctx.proof(c.src)], flags))
    return out


def channel_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    return _recv_loops(ctx, f) + _bounded(ctx, f)
