"""How a builder that derives claims from other claims reads its premises: the claims of one kind
among those already made, and their proofs merged without repeats (a derived claim is proven by
all of its premises' proofs).

Shared by the implications (``implications``, ``join_implications``) and the log-line claims
(``log_lines``), so that none of those builders imports another for two one-line readers.
"""

from __future__ import annotations

from collections.abc import Iterable

from .core import Claim, Proof

__all__ = ["merged_proofs", "of_kind"]


def merged_proofs(*groups: Iterable[Proof]) -> list[Proof]:
    out: list[Proof] = []
    for g in groups:
        out += [p for p in g if p not in out]
    return out


def of_kind(claims: list[Claim], kind: str) -> list[Claim]:
    return [c for c in claims if c.kind == kind]
