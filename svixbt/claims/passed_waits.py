"""What the crate's callers pass for a wait the fn takes from a parameter: nostr-rs-relay's
expiry cleanup sleeps `frequency`, and its one caller passes `Duration::from_secs(600)`; "could
have named the real frequency (600 s)" was the specificity a held-out read missed (read 30).
Said only when every call in the crate's source passes the same duration, named by where."""

from __future__ import annotations

import re

from ..crate_index import Site
from ..facts import ItemFacts
from ..token_reader import TokenReader
from ..values import duration_seconds, human_duration
from .core import Claim, FileContext, Proof, make
from .shape import codes

__all__ = ["passed_wait_claims"]

_TOKEN = re.compile(r"\w+|::|[^\s\w]")


def passed_wait_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    d = ctx.fn_def(f.index)
    if d is None or d.owner:
        return []  # a method's arguments would have to be lined up past its receiver
    sites = ctx.index.callers(d)
    if not sites:
        return []
    names = [p for p, _ in f.params]
    out: list[Claim] = []
    seen: set[str] = set()
    for w in f.waits:
        if w.seconds is not None or w.arg not in names or w.arg in seen:
            continue
        if any(a.var == w.arg for a in f.assigns) or any(u.var == w.arg for u in f.updates):
            continue  # shadowed or set again: the wait is no longer what was passed
        seen.add(w.arg)
        pos = names.index(w.arg)
        passed = [_arg(ctx, s, pos) for s in sites]
        if not all(passed) or len(set(passed)) != 1:
            continue
        value = passed[0]
        seconds = duration_seconds(_TOKEN.findall(value))
        if seconds is None:
            continue
        callers = list(dict.fromkeys(s.caller_name for s in sites if s.caller_name))
        if not callers:
            continue
        slots = {
            "param": w.arg,
            "passed": value,
            "dur": human_duration(seconds),
            "callers": codes(*callers),
            "mech": w.mechanism,
        }
        flags = {"one-caller" if len(sites) == 1 else "several-sites"}
        if d.visibility == "pub":
            flags.add("pub")  # other crates may pass something else
        proof = [ctx.proof(w.src)] + [
            Proof(ctx.other_display(s.file), s.src.start, s.src.end, s.src.text) for s in sites
        ]
        out.append(make("passed_wait", f.name, slots, proof, flags))
    return out


def _arg(ctx: FileContext, site: Site, pos: int) -> str:
    """Argument ``pos`` of the call at ``site``, as written with whitespace folded; "" when it
    has fewer or its `(` does not follow the name (a turbofish)."""
    fs = ctx.index.files[site.file]
    r = TokenReader(fs, 0, len(fs.scan.texts))
    open_ = site.tok + 1
    if open_ >= r.hi or r.t[open_] != "(":
        return ""
    args = r.args(open_)
    return r.code(*args[pos]) if pos < len(args) else ""
