"""A fn written more than once in a file, each copy under its own `#[cfg(..)]`: what is said of
one copy holds only where its attribute does (atuin's `shutdown_signal` waits on SIGTERM and
SIGINT under `#[cfg(unix)]` and on Ctrl-C elsewhere; neither record named the platform, and the
two read as contradicting each other: blind read 104)."""

from __future__ import annotations

import re

from ..fact_types import Src
from ..facts import ItemFacts
from .core import Claim, FileContext, make

__all__ = ["stmt_cfg", "variant_claims"]

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
    if len(others) == 1:
        # The other copy's own attribute: "another for the other builds" of a `#[cfg(unix)]`
        # fn whose twin is `#[cfg(windows)]` left out every other platform (a held-out read).
        theirs = next(a for a in others[0].attrs if _CFG.fullmatch(a.strip()))
        slots["other_attr"] = " ".join(theirs.split())
    item = ctx.fs.items[idx]
    at = ctx.fs.text.find(attr, item.start, item.keyword_start)
    if at < 0:
        return []
    proof = ctx.proof(Src(at, at + len(attr), attr))
    return [make("cfg_variant", f.name, slots, [proof], {"several"} if len(others) > 1 else set())]


def stmt_cfg(ctx: FileContext, f: ItemFacts, pos: int) -> Src | None:
    """The `#[cfg(..)]` on a `let` statement of ``f`` around char offset ``pos``, the outermost
    one: shuttle's runtime binds `interrupted` twice, a unix and a windows `select!`, and what
    each races holds on its builds only (read on held-out code)."""
    scan = ctx.fs.scan
    t, m, starts = scan.texts, scan.match, scan.starts
    for a in sorted(f.assigns, key=lambda a: a.src.start):
        if not (a.is_let and a.src.start <= pos < a.src.end):
            continue
        k = scan.token_range(a.src.start, a.src.end).start
        close = k - 1
        if close < 2 or t[close] != "]":
            continue
        # The matching table maps an opening bracket to its close only.
        open_ = next((j for j in range(close - 1, max(0, close - 200), -1) if m[j] == close), 0)
        if open_ > 0 and t[open_] == "[" and t[open_ - 1] == "#" and t[open_ + 1] == "cfg":
            a0, a1 = starts[open_ - 1], starts[close] + 1
            return Src(a0, a1, ctx.fs.scan.text[a0:a1])
    return _gated_statement(ctx, f, pos)


def _gated_statement(ctx: FileContext, f: ItemFacts, pos: int) -> Src | None:
    """The `#[cfg(..)]` on a block or expression statement around ``pos``: kanidm's daemon waits
    in a unix `select!` of seven signals and, under `#[cfg(target_os = "windows")]`, in another
    on Ctrl-C alone; each is one build's."""
    assert f.flow is not None
    scan = ctx.fs.scan
    t, m, starts = scan.texts, scan.match, scan.starts
    lo, hi = f.flow.lo, f.flow.hi
    for k in range(lo, hi - 3):
        if not (t[k] == "#" and t[k + 1] == "[" and t[k + 2] == "cfg") or m[k + 1] <= k + 1:
            continue
        close = m[k + 1]
        j = close + 1
        end = -1
        while j < hi:
            if t[j] == "{" and m[j] > j:
                # A block (`unsafe { .. }`, a brace-bodied macro) ends the statement unless
                # the expression goes on after it (`.await`, `?`, `else`).
                end = m[j]
                if end + 1 < hi and t[end + 1] in (".", "?", "else"):
                    j = end + 1
                    continue
                break
            if t[j] in ("(", "[") and m[j] > j:
                j = m[j] + 1
                continue
            if t[j] in (";", "}"):
                end = j
                break
            j += 1
        if end > close and starts[close + 1] <= pos <= starts[end]:
            a1 = starts[close] + 1
            return Src(starts[k], a1, scan.text[starts[k] : a1])
    return None
