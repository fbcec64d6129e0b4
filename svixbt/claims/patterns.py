"""What `match` arm patterns can match: enough to tell whether an arm after a guarded one
is reached only when that guard was false."""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import ItemFacts
from .core import CATCH_ALL_ERR, Claim

__all__ = ["ctors", "mark_after_narrower", "mark_narrow_err", "may_overlap"]


def ctors(pattern: str) -> list[str]:
    """The constructors a pattern names, outermost first (`Err(FetchOutcome::Pending)` ->
    `Err`, `FetchOutcome::Pending`): where a binding or `_` stands, anything matches."""
    return re.findall(r"\b(?:[A-Za-z_]\w*::)*[A-Z]\w*", pattern)


def may_overlap(a: str, b: str) -> bool:
    """Whether two arm patterns can match one value: one's constructors begin the other's
    (`Err(_)` and `Err(Outcome::Failed(e))` can; `Err(Outcome::Pending)` and
    `Err(Outcome::Failed(e))` cannot: hyperlane's CCIP read, read 63, said the `Failed` arm
    runs only once the pending guard is false). Alternatives are taken to overlap."""
    if "|" in a or "|" in b:
        return True
    x, y = ctors(a), ctors(b)
    n = min(len(x), len(y))
    return x[:n] == y[:n]


def mark_after_narrower(f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """`after-narrower` on claims in a catch-all `Err(e)` arm that narrower `Err(..)` arms of
    the same `match` come before: only the failures those do not take reach it (chroma's wal3:
    "A failed `storage.put_bytes` lands in `Err(err)`, which writes .." beside `Err(StorageError::
    Precondition { .. }) => return ..` above it was FALSE, read 64)."""
    if f.flow is None:
        return claims
    regions = f.flow.regions
    heads = {
        " ".join(r.head.split())
        for r in regions
        if r.kind == "arm"
        and CATCH_ALL_ERR.fullmatch(r.head.strip())
        and any(
            s.kind == "arm"
            and s.parent == r.parent
            and s.start_tok < r.start_tok
            and s.head.strip().startswith("Err(")
            # `Err(e) if n >= MAX` is a guard on every error: after-guard says that one
            and not CATCH_ALL_ERR.fullmatch(re.sub(r"\s+if\s.*", "", s.head.strip(), flags=re.S))
            for s in regions
        )
    }
    if not heads:
        return claims
    out = []
    for c in claims:
        pattern = c.get("pattern") if c.kind == "err_arm" else c.get("arm")
        if pattern and " ".join(pattern.split()) in heads:
            c = replace(c, flags=c.flags | {"after-narrower"})
        out.append(c)
    return out


def mark_narrow_err(claims: list[Claim]) -> list[Claim]:
    """`narrow-err` on claims made in an arm that takes some errors only (`Err(Error::
    Shutdown(_))`): "If `find_tail` fails, the `Err(OperationError::Shutdown(_))` branch logs ..
    and the function returns" dropped the pattern's condition three times in restate's tail
    checker (read 65), whose other errors are logged and retried. Rows that speak of every
    failure of the call pass such a claim over (render.Row.matches)."""
    out = []
    for c in claims:
        pattern = c.get("pattern") if c.kind == "err_arm" else c.get("arm")
        m = re.match(r"(.*?)\s+if\s(.*)", pattern or "", flags=re.S)
        bare, guard = (m.group(1).strip(), m.group(2)) if m else ((pattern or "").strip(), "")
        if bare.startswith("Err(") and (
            not CATCH_ALL_ERR.fullmatch(bare) or _tests_err(bare, guard)
        ):
            c = replace(c, flags=c.flags | {"narrow-err"})
        out.append(c)
    return out


def _tests_err(bare: str, guard: str) -> bool:
    """Whether the guard of `Err(e) if is_temporary(&e)` tests the error it binds: the arm takes
    those errors only ("A failed `connect_timeout` lands in `Err(e) if is_temporary(&e)`" was
    FALSE of gel's connect loop, whose other errors are logged at error level: read 93 #10).
    A guard on something else (`Err(e) if n >= MAX`) is said by the arm after it."""
    bound = set(re.findall(r"\b[a-z_]\w*\b", bare[4:]))
    return bool(bound & set(re.findall(r"\b[a-z_]\w*\b", guard)))
