"""The conditions code runs under: the `if`s and `match` arms around it, and the early exits of
its block it must have got past (`if c { continue; }` before it means `c` was false). Split from
shape.py."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..facts import ItemFacts
from ..flow import TASK_KINDS, Region
from .blocks import reassigned
from .core import NOT, codes
from .exits import UNSAID, leaves_from_inside
from .patterns import may_overlap

__all__ = [
    "after_failed_try",
    "arm_cond",
    "guard_of",
    "is_error_arm",
    "passed_guards",
    "put_guard",
    "skipped_by_continue",
]


def passed_guards(f: ItemFacts, arm: Region) -> list[tuple[int, int, str]]:
    """An arm after a guarded one that can match the same values runs only when that guard
    was false: linkerd's `Err(e) if i == MAX_RETRIES => panic!(..)` before `Err(_) => {..}`
    ("a failed `self.is_in` lands in `Err(_)`" was false of the last try, a held-out read)."""
    assert f.flow is not None
    mine = re.match(r"\s*(\w+)", arm.head)
    out: list[tuple[int, int, str]] = []
    for sib in f.flow.regions:
        if sib.kind != "arm" or sib.parent != arm.parent or sib.start_tok >= arm.start_tok:
            continue
        m = re.fullmatch(r"\s*(.+?)\s+if\s+(.+?)\s*", sib.head)
        if m is None:
            continue
        theirs = re.match(r"\s*(\w+)", m.group(1))
        same = theirs and mine and theirs.group(1) in (mine.group(1), "_")
        if same and may_overlap(m.group(1), arm.head):
            pos = f.flow.scan.starts[sib.start_tok]
            out.append((pos, 0, NOT + m.group(2)))
    return out


def guard_of(
    f: ItemFacts,
    rid: int,
    stop: int | None = None,
    at: int | None = None,
    continues: bool = False,
) -> tuple[list[str], str, bool]:
    """Conditions a region runs under (in source order), the `match` arm it sits in, and whether
    any condition is the `else` of an `if` (then the list is not a plain conjunction). With
    ``at`` (the fact's offset), an earlier `if c { continue; }` in an enclosing block adds
    "`c` is false": code after it runs only then."""
    assert f.flow is not None
    found: list[tuple[int, int, str]] = []  # (offset, order among equals, condition)
    if at is not None:
        found += [(pos, 0, cond) for pos, cond in _passed_exits(f, rid, stop, at, continues)]
    arm = ""
    negated = False
    first_arm: tuple[int, Region] | None = None
    outer_arm = False
    for r in f.flow.conditions(rid, stop):
        pos = f.flow.scan.starts[r.start_tok] if r.start_tok >= 0 else r.head_start
        if r.kind == "select-handler":
            continue  # a select branch is said with its select, not as a pattern
        if r.kind == "if" and r.head.startswith("let Err(") and not arm:
            # `if let Err(e) = call` is an error branch, said like a match arm on `Err(e)`.
            arm = r.head[4:].split("=", 1)[0].strip()
        elif r.kind == "if" and reassigned(f, r, at):
            # `_ = &mut notified, if is_pending => { is_pending = false; .. send(..) }`: by the
            # time the fact runs its condition no longer holds (helix's LSP send loop: "the one
            # made when `is_pending` holds", held-out read 39). Not said as a plain condition.
            negated = True
        elif r.kind == "if":
            found.append((pos, 1, r.head))
        elif r.kind == "arm" and not arm:
            arm = r.head
            first_arm = (pos, r)
        elif r.kind == "arm":
            outer_arm = True
            # An outer arm is a condition too: tokio-cron-scheduler's `None =>` arm sends and
            # logs "Error sending creation error" only for a job with no id, and dropping it
            # made three sends of one channel read as one (blind read 103). A wildcard or a
            # guarded pattern does not say what it matched, so the claim is not made.
            said = _arm_cond(r)
            if said is None:
                negated = True
            else:
                found.append((pos, 1, said))
        elif r.kind == "let-else" or r.kind == "else" and not r.after:
            negated = True
        if r.kind in ("if", "else") and r.after:
            # `else if c` / `else`: every earlier condition of the chain was false.
            found += [(pos, 0, NOT + c) for c in r.after]
    if not arm:
        # `while let Err(e) = call.await { .. }`: its body runs only after that call failed,
        # an error branch like a `match` arm on `Err(e)` (a sleep there is a pause between
        # retries, not between passes).
        inner = f.flow.loop_of(rid)
        if inner is not None and inner.id != stop and inner.head.startswith("let Err("):
            arm = inner.head
    if outer_arm and first_arm is not None and not is_error_arm(arm):
        # Arms nested in arms: the inner one is a condition like the outer, or a sentence that
        # says the outer's would drop it (rumqttd's replicator sleeps when two lookups are both
        # `None`: "when `self.replicas.remove(..)` matches `None`, it sleeps", a blind read).
        pos, r = first_arm
        said = _arm_cond(r)
        if said is None:
            negated = True
        else:
            found.append((pos, 1, said))
            arm = ""
    if first_arm is not None:
        found += passed_guards(f, first_arm[1])
    if any(c == UNSAID for _, _, c in found) and any(c != UNSAID for _, _, c in found):
        # Some of its conditions said and one not: the list would read as complete. (With
        # none said, "each round" still holds of every round that gets that far.)
        negated = True
    found.sort(key=lambda x: (x[0], x[1]))
    return [c for _, _, c in found if c != UNSAID], arm, negated


def arm_cond(f: ItemFacts, rid: int) -> str | None:
    """The innermost `match` arm around region ``rid`` as a condition (see ``_arm_cond``)."""
    assert f.flow is not None
    arm = next((r for r in f.flow.chain(rid) if r.kind == "arm"), None)
    return None if arm is None else _arm_cond(arm)


def _arm_cond(r: Region) -> str | None:
    """A `match` arm as a condition (`match scrutinee => Pat`, said "`scrutinee` matches
    `Pat`"); None for a wildcard or a guarded pattern, which does not say what it matched."""
    # `#[cfg(unix)] Pat =>`: the attribute is not part of what the arm matches.
    pat = re.sub(r"^(?:#\[[^\]]*\]\s*)+", "", r.head.strip())
    if pat == "_" or " if " in f" {pat} " or not r.keyword:
        return None
    return f"match {r.keyword.strip()} => {pat}"


def _passed_exits(
    f: ItemFacts, rid: int, stop: int | None, at: int, continues: bool = False
) -> list[tuple[int, str]]:
    """What must have held to reach offset ``at``: for each `if c { return/break/continue }`
    (no `else`) before it in an enclosing block, "not c" (the head marked ``NOT``); for each
    `let P = v else { return };`, its pattern matched (the head itself). Blocks of branches and
    arms count, and the fn's own body when no loop lies between: a loop's own early exit (a
    shutdown check at the top of a pass) is the loop's way out, said as such, and its flag may
    change during the pass. Positions are where each condition is written."""
    assert f.flow is not None
    fl = f.flow
    leaving = {e.region for e in f.exits if e.kind in ("return", "break", "continue")}
    found: list[tuple[int, str]] = []
    chain = fl.chain(rid)
    for r in chain:
        if r.kind == "loop" and continues:
            # An `if c { ..; continue; }` straight in the pass: the rest of the round runs only
            # when `c` was false (spacedrive's volume monitor logs its update line only once
            # `refresh_volumes` did not fail; "when both .. hold" dropped that, read 71 #14).
            found += _skipped_rounds(f, r, at)
            break
        if r.kind == "loop" or r.kind in TASK_KINDS:
            break
        # Arms exclude each other: an earlier arm's return is never passed on the way into a
        # later arm (what its guard leaves is ``passed_guards``').
        mine = any(a.kind == "arm" and a.parent == r.id for a in chain)
        kids = [x for x in fl.regions if x.parent == r.id and not (mine and x.kind == "arm")]
        chained = {c for x in kids for c in x.after}
        for x in kids:
            if fl.scan.starts[min(x.hi, len(fl.scan.starts) - 1)] >= at:
                continue
            pos = fl.scan.starts[x.start_tok] if x.start_tok >= 0 else x.head_start
            # A let-else's `else` always diverges, whatever it is written with (yazi's `else {
            # succ!() }`, a macro that returns: "starts a task if `!form.hovered && ..` is
            # false" dropped it, FALSE in held-out read 100 #12).
            plain = (
                (x.id in leaving or x.kind == "let-else")
                and x.kind in ("if", "let-else")
                and not x.after
            )
            if not plain or x.head in chained:
                if leaves_from_inside(f, x, rid):
                    # An earlier `match` arm or nested branch that returns: reaching ``at`` needs
                    # a condition no sentence here can say (kanidm's replica task logs "has
                    # started" only once its TLS config built, a `match` whose `Err` returns:
                    # the conditions said without it were misleading, a held-out read).
                    found.append((pos, UNSAID))
                continue
            if x.kind == "if":
                found.append((pos, NOT + x.head))
            else:
                found.append((pos, x.head if x.head.startswith("let ") else "let " + x.head))
        if r.id == stop:
            break
    return found


def _skipped_rounds(f: ItemFacts, loop: Region, at: int) -> list[tuple[int, str]]:
    """For each plain `if c { .. continue; }` straight in ``loop``'s body before offset ``at``,
    whose only way out is that `continue` of this loop: "not c" at its position."""
    assert f.flow is not None
    fl = f.flow
    found: list[tuple[int, str]] = []
    for x in fl.regions:
        if x.parent != loop.id or x.kind != "if" or x.after:
            continue
        if fl.scan.starts[min(x.hi, len(fl.scan.starts) - 1)] >= at:
            continue
        inside = [e for e in f.exits if fl.inside(e.region, x.id)]
        if not inside or any(
            e.kind != "continue" or e.region != x.id or fl.loop_of(e.region) is not loop
            for e in inside
        ):
            continue
        if any(r.parent == x.id and r.kind in ("else", "if") for r in fl.regions):
            continue  # an `else` or inner branch: not one plain condition
        pos = fl.scan.starts[x.start_tok] if x.start_tok >= 0 else x.head_start
        found.append((pos, NOT + x.head))
    return found


def skipped_by_continue(f: ItemFacts, rid: int, at: int, said: Sequence[str] = ()) -> bool:
    """An earlier `continue`, nested in an `if`/`match` of a loop that holds region ``rid``,
    goes round without reaching code at offset ``at``: that code runs only when the `continue`
    was not taken, a condition a sentence about it would drop."""
    assert f.flow is not None
    ancestors = {r.id for r in f.flow.chain(rid)}
    since = _error_arm_start(f, rid)
    for e in f.exits:
        if e.kind != "continue" or e.src.start >= at or e.region in ancestors:
            continue
        # Code in an error arm is said as "when the call fails": the call itself comes after an
        # earlier `continue`, so the failure already implies the round got that far
        # (`queue_handler` sleeps 10 ms after a failed receive, past its task-limit `continue`).
        if e.src.start < since:
            continue
        # `if c { continue; }` already said as "`c` is false" (``said``, from guard_of).
        if any(r.kind == "if" and NOT + r.head in said for r in f.flow.chain(e.region)):
            continue
        loop = f.flow.loop_of(e.region)
        if loop is None or not f.flow.inside(rid, loop.id):
            continue
        # Only a `continue` nested two branches deep (an `if` inside a `match` arm): one at the
        # top of the pass (`if c { ..; continue }`) is the loop's own shape, said with it.
        depth = 0
        for r in f.flow.chain(e.region):
            if r.id == loop.id:
                break
            if r.kind in ("if", "else", "arm", "let-else"):
                depth += 1
        if depth >= 2:
            return True
    return False


def _error_arm_start(f: ItemFacts, rid: int) -> int:
    """Where the `match` or `if let Err` whose error branch holds ``rid`` starts (-1: none)."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.kind == "arm" and is_error_arm(r.head) and r.parent is not None:
            m = f.flow.regions[r.parent]
            return f.flow.scan.starts[m.start_tok if m.start_tok >= 0 else m.lo]
        if r.kind == "if" and r.head.startswith("let Err("):
            return f.flow.scan.starts[r.start_tok if r.start_tok >= 0 else r.lo]
    return -1


def put_guard(slots: dict[str, str], flags: set[str], conds: list[str], arm: str) -> None:
    """The conditions and the match arm a claim sits under, as its `guard` and `arm` slots with
    the flags rows read (`guarded`, `in-arm`, `err-arm`)."""
    if conds:
        slots["guard"] = codes(*conds)
        flags.add("guarded")
    if arm:
        slots["arm"] = arm
        flags.add("in-arm")
        if is_error_arm(arm):
            flags.add("err-arm")


def is_error_arm(pattern: str) -> bool:
    """`Err(e)`, `let Err(e)`, or alternatives that are all errors (`Ok(Err(_)) | Err(_)`: a
    timed call whose inner call failed, or the timeout itself)."""
    if pattern.startswith(("Err", "let Err(")):
        return True
    alts = [a.strip() for a in pattern.split("|")]
    return len(alts) > 1 and all(re.match(r"(?:Ok\()?Err\(", a) for a in alts)


def after_failed_try(f: ItemFacts, rid: int, at: int) -> bool:
    """Whether code at offset ``at`` (region ``rid``) in a loop comes after a `match` of that loop
    whose `Ok` arms all leave it and whose `Err` arms do not: it runs only once that attempt has
    failed (surrealdb's `has_lease` sleeps after `match self.check_lease().await { Ok(r) =>
    return Ok(r), Err(e) => trace!(..) }`)."""
    assert f.flow is not None
    fl = f.flow
    loop = fl.loop_of(rid)
    if loop is None:
        return False
    leaving = [e for e in f.exits if e.kind in ("return", "break")]
    for m in fl.regions:
        if m.kind != "match" or m.parent != loop.id or fl.end_of(m) > at:
            continue
        arms = [a for a in fl.regions if a.kind == "arm" and a.parent == m.id]
        oks = [a for a in arms if a.head.strip().startswith("Ok(")]
        errs = [a for a in arms if is_error_arm(a.head.strip())]
        if not oks or not errs or len(oks) + len(errs) != len(arms):
            continue
        if all(any(fl.inside(e.region, a.id) for e in leaving) for a in oks) and not any(
            fl.inside(e.region, a.id) for a in errs for e in f.exits
        ):
            return True
    return False
