"""What the crate's callers pass for a wait the fn takes from a parameter: nostr-rs-relay's
expiry cleanup sleeps `frequency`, and its one caller passes `Duration::from_secs(600)`; "could
have named the real frequency (600 s)" was the specificity a held-out read missed (read 30).
Said only when every call in the crate's source passes the same duration, named by where."""

from __future__ import annotations

import re

from ..crate_index import Site
from ..facts import ItemFacts
from ..token_reader import TokenReader
from ..values import duration_seconds, eval_number, human_duration
from .core import Claim, FileContext, Proof, make
from .shape import codes

__all__ = ["passed_wait_claims"]

_TOKEN = re.compile(r"\w+|::|[^\s\w]")


def passed_wait_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    d = ctx.fn_def(f.index)
    if d is None:
        return []
    sites = ctx.index.callers(d)
    if not sites:
        return []
    names = [p for p, _ in f.params]
    out: list[Claim] = []
    seen: set[str] = set()
    for w in f.waits:
        if w.seconds is not None or w.role not in ("sleep", "interval", "timeout"):
            continue
        toks = _TOKEN.findall(w.arg)
        used = [n for n in names if n in toks]
        if len(used) != 1 or used[0] in seen:
            continue
        param = used[0]
        if any(a.var == param for a in f.assigns) or any(u.var == param for u in f.updates):
            continue  # shadowed or set again: the wait is no longer what was passed
        seen.add(param)
        pos = names.index(param)
        passed = [_arg(ctx, s, pos, names[:1] == ["self"]) for s in sites]
        if not all(passed) or len(set(passed)) != 1:
            continue
        value = passed[0]
        seconds = _seconds(toks, param, value)
        if seconds is None:
            continue
        callers = list(dict.fromkeys(s.caller_name for s in sites if s.caller_name))
        if not callers:
            continue
        slots = {
            "param": param,
            "passed": value,
            "dur": human_duration(seconds),
            "callers": codes(*callers),
            "mech": w.mechanism,
        }
        flags = {"one-caller" if len(sites) == 1 else "several-sites"}
        if w.arg != param:
            # `Duration::from_millis(interval_millis)` with `10` passed: the number is put into
            # the expression (greptimedb's mailbox checker, "the only caller passes 10, so the
            # interval is 10 ms" was the fact read 68 missed).
            slots["arg"] = w.arg
            flags.add("in-expr")
        if w.role == "interval":
            flags.add("period")  # an interval's period, not one wait's length
        if d.visibility == "pub":
            flags.add("pub")  # other crates may pass something else
        proof = [ctx.proof(w.src)] + [
            Proof(ctx.other_display(s.file), s.src.start, s.src.end, s.src.text) for s in sites
        ]
        out.append(make("passed_wait", f.name, slots, proof, flags))
    return out


def _seconds(toks: list[str], param: str, value: str) -> float | None:
    """The seconds the wait's duration ``toks`` comes to with ``value`` passed for ``param``:
    a duration passed whole, or a number put into the expression around it."""
    passed = _TOKEN.findall(value)
    if toks == [param]:
        return duration_seconds(passed)
    if eval_number(passed) is None:
        return None
    at = toks.index(param)
    return duration_seconds([*toks[:at], "(", *passed, ")", *toks[at + 1 :]])


def _arg(ctx: FileContext, site: Site, pos: int, has_self: bool = False) -> str:
    """Argument ``pos`` of the call at ``site``, as written with whitespace folded; "" when it
    has fewer or its `(` does not follow the name (a turbofish). A method called as
    `x.name(..)` is handed its receiver before the `(`: its arguments start after `self`."""
    fs = ctx.index.files[site.file]
    r = TokenReader(fs, 0, len(fs.scan.texts))
    # The path's last segment (`Self::reap_every(..)`, `queue::drain(..)`) is the name.
    name = site.tok
    while name + 2 < r.hi and r.t[name + 1] == "::":
        name += 2
    open_ = name + 1
    if open_ >= r.hi or r.t[open_] != "(":
        return ""
    if has_self and site.tok > 0 and r.t[site.tok - 1] == ".":
        pos -= 1
    args = r.args(open_)
    return r.code(*args[pos]) if pos < len(args) else ""
