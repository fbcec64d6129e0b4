"""A log line's message as a claim says it, and what must pass before a line after a loop runs."""

from __future__ import annotations

import re

from ..fact_types import Log
from ..facts import ItemFacts
from ..flow import Region
from .err_arms import formats_error_alone
from .shape import context_added

__all__ = ["log_message", "tried_after"]


def log_message(f: ItemFacts, lg: Log, slots: dict[str, str], flags: set[str]) -> bool:
    """The line's message as a slot, or ``bare`` when it has no words of its own (`"{}"`,
    `"{:?}"`), which says nothing worth quoting; False when the line is not to be said."""
    if re.search(r"[A-Za-z]", re.sub(r"\{[^{}]*\}", "", lg.message)):
        slots["message"] = lg.message
        return True
    if context_added(f, lg.region) or not formats_error_alone(f, lg):
        # The error carries words the code gave it where the call failed (`.with_context(||
        # "Failed to do transport handshake")`): "no words of its own" would be false (blind
        # read 100 on rathole, three times); the line is not said. Nor is one that formats
        # something else (`error!("{msg}")` of a `format!`-built message: iggy's "hands the
        # error to `error!` bare" was false, a held-out read).
        return False
    flags.add("bare")  # the line is the value it formats, with no words of its own
    return True


def tried_after(f: ItemFacts, loop: Region, at: int) -> bool:
    """Whether a `?` of the fn's own task lies between the end of ``loop`` and offset ``at``."""
    assert f.flow is not None
    end = f.flow.scan.starts[min(loop.hi, len(f.flow.scan.starts) - 1)]
    return any(e.kind == "question" and end < e.src.start < at and f.own(e.region) for e in f.exits)
