"""A fn written more than once in a file, each copy under its own `#[cfg(..)]`: what is said of
one copy holds only where its attribute does (atuin's `shutdown_signal` waits on SIGTERM and
SIGINT under `#[cfg(unix)]` and on Ctrl-C elsewhere; neither record named the platform, and the
two read as contradicting each other: blind read 104)."""

from __future__ import annotations

import re

from ..fact_types import Src
from .core import Claim, FileContext, make

__all__ = ["variant_claims"]

_CFG = re.compile(r"#\[\s*cfg\s*\((.*)\)\s*\]", re.S)


def _cfg_of(attrs: tuple[str, ...]) -> str:
    for a in attrs:
        m = _CFG.fullmatch(a.strip())
        if m:
            return " ".join(m.group(1).split())
    return ""


def variant_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    mine = _cfg_of(f.attrs)
    if not mine:
        return []
    others = [g for g in ctx.fns_named(f.name) if g.index != idx and _cfg_of(g.attrs)]
    if not others:
        return []
    attr = next(a for a in f.attrs if _CFG.fullmatch(a.strip()))
    slots = {"cfg": mine, "attr": " ".join(attr.split()), "others": str(len(others))}
    item = ctx.fs.items[idx]
    at = ctx.fs.text.find(attr, item.start, item.keyword_start)
    if at < 0:
        return []
    proof = ctx.proof(Src(at, at + len(attr), attr))
    return [make("cfg_variant", f.name, slots, [proof], {"several"} if len(others) > 1 else set())]
