"""Claims: typed propositions about an item, each bound to the source spans that prove it.

A claim is what a sentence may say. Builders read facts (``facts``) and the crate index
(``crate_index``) and emit claims; they never read raw file text and never produce English. The
render tables (``render``) turn a claim into words; the checks (``checks``) trace every rendered
claim back to its proof. A fact that cannot be proven makes no claim.

Claim kinds and the slots each carries are declared in ``KINDS``: a builder that emits an unknown
kind or leaves a declared slot out fails the tests, and so does a render row that reads a slot the
kind does not declare.
"""

from __future__ import annotations

from .core import Claim, FileContext, Proof, claims_for
from .kinds import KINDS

__all__ = ["Claim", "Proof", "FileContext", "KINDS", "claims_for"]
