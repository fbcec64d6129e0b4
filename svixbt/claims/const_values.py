"""The values of the consts a fn names: a think that quotes `attempt >= PROVIDER_READ_ATTEMPTS`
or `sleep(PROVIDER_READ_RETRY_DELAY)` says what they come to, as a reader of the code would look
up (blind read 12: "the values that decide the behaviour" were left to the reader)."""

from __future__ import annotations

from ..facts import ItemFacts
from ..values import human_duration, human_int
from .core import Claim, FileContext, make

__all__ = ["const_value_claims"]


def const_value_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """One ``const_value`` claim per const the fn names whose value the file gives as a number
    or a duration, proven by the const's definition."""
    out: list[Claim] = []
    for c in f.consts:
        if c.value is None or c.value < 0:
            continue
        if c.is_duration:
            said = human_duration(c.value)
        elif float(c.value).is_integer():
            said = human_int(c.value)
        else:
            continue  # a fraction without a unit says little on its own
        flags = {"duration"} if c.is_duration else {"number"}
        out.append(
            make("const_value", f.name, {"name": c.name, "value": said}, [ctx.proof(c.src)], flags)
        )
    return out
