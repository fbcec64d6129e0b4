"""A stop branch that can never win: a select races `t.cancelled()` on a `CancellationToken`
the fn makes itself, and nothing ever cancels it.

iroh's certificate resolver makes `CancellationToken::new()`, hands one clone to its reload
task, and keeps neither: the task's `_cancel_token.cancelled()` branch never fires, and its
loop ends only when the `AbortOnDropHandle` it is wrapped in aborts it. "A shutdown request
ends the loop at the wait" was false there (held-out read 50). Each claim that says the stop
is left out, and one claim says why the branch is dead.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import ItemFacts, Src
from .core import LIST_SEP, Claim, FileContext, make

__all__ = ["dead_stop_claims"]

_NEW = re.compile(
    r"\blet\s+(\w+)\s*(?::\s*[\w:]*CancellationToken\s*)?=\s*(?:[\w:]*::)?CancellationToken"
    r"\s*::\s*new\s*\(\s*\)\s*;"
)
_CLONE = r"\blet\s+(?:mut\s+)?(\w+)\s*=\s*{name}\s*\.\s*clone\s*\(\s*\)\s*;"
# What a token may do and still cancel nothing: be cloned into a name, or be waited on.
_HARMLESS = r"{name}\s*\.\s*(?:clone\s*\(\s*\)\s*;|cancelled\s*\(\s*\)|is_cancelled\s*\(\s*\))"


def _aliases(body: str, origin: str) -> list[str]:
    """``origin`` and the names bound to its clones (`let x = origin.clone();`), transitively.
    A clone made any other way is a use `_never_cancelled` does not count as harmless."""
    names = [origin]
    for name in names:
        for m in re.finditer(_CLONE.format(name=re.escape(name)), body):
            if m.group(1) not in names:
                names.append(m.group(1))
    return names


def _never_cancelled(body: str) -> dict[str, str]:
    """Every alias of a token made in ``body`` that nothing can cancel -> the token's name:
    each use of each alias is a clone into another alias, a wait on it, or its binding."""
    out: dict[str, str] = {}
    for m in _NEW.finditer(body):
        origin = m.group(1)
        names = _aliases(body, origin)
        uses = 0
        harmless = 0
        for name in names:
            pattern = re.escape(name)
            uses += len(re.findall(rf"(?<![\w.]){pattern}\b", body))
            harmless += len(re.findall(rf"(?<![\w.]){_HARMLESS.format(name=pattern)}", body))
            harmless += len(re.findall(rf"\blet\s+(?:mut\s+)?{pattern}\b", body))
        if uses == harmless:
            out.update({name: origin for name in names})
    return out


# Kinds that name a select's futures only as the code writes them, not what a win does: the
# race itself, a spawn whose ticks race the future, the expression a fn returns.
_NAMES_ONLY = frozenset({"select", "spawn", "return"})


def dead_stop_claims(ctx: FileContext, f: ItemFacts, out: list[Claim]) -> list[Claim]:
    """``out`` less what it says of a stop branch that cannot win, with a ``dead_stop`` claim
    for each such branch; ``out`` itself when there is none."""
    if f.flow is None:
        return out
    scan = ctx.fs.scan
    if "CancellationToken" not in ctx.fs.text[f.item.start : f.item.end]:
        return out
    # Code only: a doc comment's "the token is never cancelled" is no use of `token`.
    toks = scan.token_range(f.item.start, f.item.end)
    body = " ".join(scan.texts[k] for k in toks if scan.codes[k] not in "cd")
    dead = _never_cancelled(body)
    if not dead:
        return out
    found: list[Claim] = []
    futures: set[str] = set()
    spans: list[tuple[int, int]] = []  # the dead branches' code: a `break` there is never taken
    for r in f.flow.regions:
        if r.kind != "select-handler":
            continue  # in a task the fn spawns too: the token is this fn's all the same
        m = re.fullmatch(r"(\w+)\s*\.\s*cancelled\s*\(\s*\)", r.detail.strip())
        if m is None or m.group(1) not in dead or r.detail in futures:
            continue
        futures.add(r.detail)
        last = max(r.lo, r.hi - 1)
        spans.append((scan.starts[r.lo], scan.starts[last] + len(scan.texts[last])))
        src = ctx.region_src(f, r)
        start = ctx.fs.text.rfind(r.detail, f.item.start, src.end + len(r.detail) + 1)
        proof = ctx.proof(Src(start, start + len(r.detail), r.detail)) if start >= 0 else None
        slots = {"future": r.detail, "token": dead[m.group(1)]}
        found.append(make("dead_stop", f.name, slots, [proof] if proof else [], set()))
    if not found:
        return out

    def says_dead(c: Claim) -> bool:
        if c.kind in _NAMES_ONLY:
            return False  # the code as written, the dead branch's future one part of it
        if any(a <= p.start < b for p in c.proof if p.file == ctx.display for a, b in spans):
            return True  # proven by the dead branch's code (its `break`: "only `break` ends it")
        return any(
            any(fut in v for v in value.split(LIST_SEP)) for _, value in c.slots for fut in futures
        )

    kept = [c for c in out if not says_dead(c)]
    live = [
        e
        for e in f.exits
        if e.kind in ("break", "return", "question")
        and not any(a <= e.src.start < b for a, b in spans)
    ]
    if not live:
        # Every way out sits in a dead branch: "until a break in it ends the loop" is never so.
        kept = [_without_exits(c) if c.kind == "spawn" else c for c in kept]
    return kept + found


def _without_exits(c: Claim) -> Claim:
    slots = tuple((k, v) for k, v in c.slots if k != "exit_words")
    return replace(c, slots=slots, flags=c.flags - {"round-exits"})
