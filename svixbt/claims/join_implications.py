"""Claims derived about a `tokio::join!` the item runs in: a branch that fails at startup is still
waited on with the other branches, and what the joining fn then does with that branch's error —
an `expect` that panics, maybe after another branch's check has panicked first, or after checks
of branches that are never an `Err`.

Derived like every implication (``implications`` places these among its own): from the
`propagate`, `runs_in` and `callers` claims, with the joining fn's tokens read for the checks
after the join.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import ItemFacts
from ..token_reader import TokenReader
from .blocks import ORDINALS
from .core import LIST_SEP, Claim, FileContext, Proof, make
from .fallible import OkOnly
from .joins import join_binding
from .premises import merged_proofs, of_kind

__all__ = ["join_waits_all_claims"]


def join_waits_all_claims(ctx: FileContext, f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """A branch of `tokio::join!` that can fail before its loop: `join!` still waits for every
    other branch, so the caller sees that error only when all of them are done."""
    starts = [
        c for c in of_kind(claims, "propagate") if "before-loop-only" in c.flags and c.get("calls")
    ]
    if not starts:
        return []
    out: list[Claim] = []
    for r in of_kind(claims, "runs_in"):
        if r.get("kind") != "join-branch" or "partial" in r.flags:
            continue
        if r.get("mech") != "tokio::join!":
            continue  # `try_join!` returns at the first error; only `join!` waits for all
        siblings = int(r.get("siblings") or 0)
        if siblings < 2:
            continue
        slots = {
            "calls": starts[0].get("calls"),
            "by": r.get("by"),
            "by_file": r.get("by_file"),
            "mech": r.get("mech"),
            "rest": str(siblings - 1),
        }
        proof = merged_proofs(starts[0].proof, r.proof)
        flags: set[str] = set()
        panics = _join_result_panics(ctx, r)
        if panics is not None:
            slots["handled"] = panics.handled
            flags.add("then-panics")
            proof = [*proof, panics.proof]
            if panics.before:
                slots["handled_first"] = panics.before
                flags.add("others-first")
            named = [(c, why) for c, why in panics.ok_before if why.callees]
            if named and not panics.before:
                # Checked first but never an `Err`: said, or a reader takes the earlier
                # check for a panic that could come first (blind read 65).
                slots["ok_first"] = LIST_SEP.join(c for c, _ in named)
                slots["ok_callee"] = LIST_SEP.join(dict.fromkeys(w.callees[0] for _, w in named))
                flags.add("ok-first")
                proof += [ctx.other_proof(i, src) for _, w in named for i, src in w.proof]
        # Its one call in the whole crate: once that branch has ended, nothing starts it again.
        if any(c.get("count") == "1" and "complete" in c.flags for c in of_kind(claims, "callers")):
            flags.add("only-call")
        out.append(make("join_waits_all", f.name, slots, proof, flags))
        break
    return out


@dataclass(frozen=True)
class _JoinPanics:
    handled: str  # this branch's check: `name.expect(..)`
    proof: Proof
    before: str  # other branches' checks run first that may panic, LIST_SEP-joined
    ok_before: tuple[tuple[str, OkOnly], ...]  # checks run first that never can


def _join_result_panics(ctx: FileContext, r: Claim) -> _JoinPanics | None:
    """`let (.., name, ..) = tokio::join!(..)` in the joining fn, and later `name.expect(..)` or
    `name.unwrap()`: what the joining fn does with this branch's error, once it has it, and the
    other branches' results it unwraps first, each as `name.expect(..)`: those that may panic,
    and those whose branch is never an `Err`, with why. Read from the joining file's tokens,
    within the joining fn."""
    if not r.proof or r.get("ordinal") not in ORDINALS:
        return None
    site = r.proof[-1]  # the call site inside the join branch, in the joining fn's file
    fi = next((i for i in range(len(ctx.index.files)) if ctx.other_display(i) == site.file), None)
    if fi is None:
        return None
    fs = ctx.index.files[fi]
    item = next(
        (it for it in fs.items if it.parent is None and it.start <= site.start < it.end), None
    )
    if item is None:
        return None
    span = fs.scan.token_range(item.start, item.end)
    t, m = fs.scan.texts, fs.scan.match
    at = fs.scan.token_range(site.start, site.end).start
    # The `(` of `join!(` that holds the site, and `let ( pattern ) =` before its path.
    k = next(
        (
            j
            for j in range(at - 1, span.start + 2, -1)
            if t[j] == "(" and m[j] > at and t[j - 1] == "!" and t[j - 2] == "join"
        ),
        None,
    )
    if k is None:
        return None
    bound = join_binding(ctx.index, fi, span, k)
    n = ORDINALS.index(r.get("ordinal"))
    if bound is None or n >= len(bound.pattern) or not bound.pattern[n].isidentifier():
        return None
    # After the join: each other branch's `.expect(` / `.unwrap(` that comes first panics
    # first when that branch failed too, and then this error is never reported (lib.rs:
    # `worker_loop.expect(..)` runs before the cleaner's), unless that branch is never an
    # `Err` (it ends in `Ok(())`, no `?`).
    before: list[str] = []
    ok_before: list[tuple[str, OkOnly]] = []
    for c in bound.checks:
        if not c.panics:
            continue
        if c.name == bound.pattern[n]:
            src = TokenReader(fs, span.start, span.stop).src(c.first, c.last)
            proof = Proof(site.file, src.start, src.end, src.text)
            return _JoinPanics(c.written, proof, LIST_SEP.join(before), tuple(ok_before))
        if c.ok is not None:
            ok_before.append((c.written, c.ok))
        else:
            before.append(c.written)
    return None
