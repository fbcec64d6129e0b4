"""Weak references a spawned task upgrades: whether a failed upgrade means the owner is gone
(a `Weak` parameter, or one the fn makes with `Arc::downgrade` outside the task), or can never
happen because the task holds a strong reference of its own."""

from __future__ import annotations

import re

from ..facts import ItemFacts
from ..flow import Region

__all__ = ["downgraded_outside", "gone", "held_strong"]


# Methods whose failure or `None` means the other side is gone, said only where the fn's own
# signature gives the receiver that type (the proof of the explanation).
_GONE: tuple[tuple[str, str, str], ...] = (
    # (method, type written in the signature, flag)
    ("upgrade", "Weak<", "weak"),
    ("changed", "watch::Receiver<", "watch"),
    ("recv", "mpsc::Receiver<", "mpsc"),
    ("recv", "mpsc::UnboundedReceiver<", "mpsc"),
)


# `Arc::downgrade` / `Rc::downgrade`, with or without `std::sync::` / `std::rc::` in front.
_DOWNGRADE_CALL = r"(?:(?:std\s*::\s*)?(?:sync|rc)\s*::\s*)?(?:Arc|Rc)\s*::\s*downgrade\s*"
_DOWNGRADE = re.compile(rf"let\s+(\w+)\s*=\s*{_DOWNGRADE_CALL}\(\s*&\s*(\w+)\s*\)\s*;")


def held_strong(f: ItemFacts, task: Region, loop: Region, expr: str) -> str | None:
    """The strong reference the spawned block itself holds whose `Weak` ``expr`` upgrades: a
    `let w = Arc::downgrade(&x);` inside the block before ``loop``, with `x` used after it only
    borrowed (`&x`, `x.method(..)`) and never dropped or moved. None when that is not so."""
    assert f.flow is not None
    m = re.fullmatch(r"(\w+)\.upgrade\(\)", expr.strip())
    if m is None:
        return None
    t, c = f.flow.scan.texts, f.flow.scan.codes
    body = " ".join(t[j] for j in range(task.lo, loop.start_tok) if c[j] not in "cd")
    found = [d for d in _DOWNGRADE.finditer(body) if d.group(1) == m.group(1)]
    if len(found) != 1:
        return None
    strong = found[0].group(2)
    rest = " ".join(t[j] for j in range(task.lo, task.hi) if c[j] not in "cd")
    for u in re.finditer(rf"(?<![\w.])(&\s*)?{strong}\b(\s*\.)?", rest):
        if not (u.group(1) or u.group(2)):
            return None  # moved or dropped somewhere in the block
    return strong


def gone(f: ItemFacts, code: str, task: Region | None = None) -> set[str]:
    """A flag for a call on a receiver whose type the signature writes, when that call's failure
    means the other side is gone: `weak.upgrade()` on a `Weak<..>` parameter. With ``task``,
    also a `Weak` the fn makes itself with `Arc::downgrade` outside that task."""
    out: set[str] = set()
    for method, typ, flag in _GONE:
        m = re.search(rf"\b(\w+)\.{method}\(\)", code)
        if m and any(
            name == m.group(1) and re.match(rf"(?:[\w:]*::)?{re.escape(typ)}", ty.strip())
            for name, ty in f.params
        ):
            out.add(flag)
    m = re.search(r"\b(\w+)\.upgrade\(\)", code)
    if task is not None and m is not None:
        held = downgraded_outside(f, m.group(1), task)
        out |= {held} if held else set()
    return out


# `w = Arc::downgrade(&x)` as a `let` value (the assignment's value, folded).
_DOWNGRADE_VALUE = re.compile(rf"{_DOWNGRADE_CALL}\(\s*&?\s*(\w+)\s*\)")


def downgraded_outside(f: ItemFacts, weak: str, task: Region) -> str:
    """ "weak" when ``weak`` is bound once, outside ``task``, to `Arc::downgrade(x)` and the task
    holds no strong reference of `x`; "strong-held" when it does (a clone of its own keeps every
    upgrade alive, so a failed upgrade is no way out); "" when ``weak`` is not so bound."""
    assert f.flow is not None
    lets = [a for a in f.assigns if a.var == weak and a.is_let]
    if len(lets) != 1 or f.flow.inside(lets[0].region, task.id):
        return ""
    m = _DOWNGRADE_VALUE.fullmatch(lets[0].value.strip())
    if m is None:
        return ""
    t, c = f.flow.scan.texts, f.flow.scan.codes
    body = " ".join(t[j] for j in range(task.lo, task.hi) if c[j] not in "cd")
    strong = m.group(1)
    cloned = rf"(?:(?<![\w.]){strong}\s*\.\s*clone\s*\(\s*\)|clone\s*\(\s*&\s*{strong}\s*\))"
    if re.search(cloned, body):
        return "strong-held"
    # The strong value itself moved in (`async move { .. tracker.stop() .. }`) keeps every
    # upgrade alive too. Not a `&Arc` parameter: a 'static task cannot hold the borrow, so a
    # name like it in the block is a binding of its own (torrust's `Some(tracker)`).
    borrowed = any(n == strong and ty.strip().startswith("&") for n, ty in f.params)
    if not borrowed and re.search(rf"(?<![\w.]){strong}\b", body):
        return "strong-held"
    # A clone made before the spawn and moved in is a strong reference the task holds too.
    aliases = [
        a.var
        for a in f.assigns
        if a.is_let
        and not f.flow.inside(a.region, task.id)
        and re.fullmatch(
            rf"(?:(?:std\s*::\s*)?(?:sync\s*::\s*)?(?:Arc|Rc)\s*::\s*)?{cloned}", a.value.strip()
        )
    ]
    return "strong-held" if any(re.search(rf"(?<![\w.]){a}\b", body) for a in aliases) else "weak"
