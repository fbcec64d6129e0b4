"""Where a schedule a constructor stores comes from: the const arrays of waits the crate's
callers hand it, directly or through a fn of the same file that passes its own parameter on
(`Retry::new(should_retry, RETRY_SCHEDULE)`, `run_with_retries(.., RETRY_SCHEDULE)`), each
evaluated in its own file. A think that said only "whatever list `Retry::new` was handed"
answered "does the wait change?" without the crate's 10, 20 and 40 milliseconds (blind reads
93-94 on svix-server's `Retry::run`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..consts import named_schedule
from ..crate_index import FnDef, Site
from ..fact_types import Src
from ..facts import ItemFacts
from ..token_reader import TokenReader
from .core import FileContext

__all__ = ["Handed", "handed_schedules"]

_CONST = re.compile(r"&?\s*([A-Z][A-Z0-9_]*)")


@dataclass(frozen=True)
class Handed:
    """One schedule a caller hands the constructor: the const, its file and its waits."""

    name: str
    file: int
    seconds: tuple[float, ...]
    src: Src
    site: Src


def handed_schedules(ctx: FileContext, ctor: ItemFacts, param: str) -> tuple[list[Handed], bool]:
    """The schedules the crate's callers pass as ``ctor``'s ``param``, and whether every call
    in the crate's source that reaches it passes one (each argument a const array of waits, or
    a parameter a fn of this file passes on)."""
    names = [p for p, _ in ctor.params]
    d = ctx.fn_def(ctor.index)
    if d is None or param not in names:
        return [], False
    out: list[Handed] = []
    whole = True
    todo: list[tuple[FnDef, int]] = [(d, names.index(param))]
    seen: set[tuple[int, int]] = set()
    while todo:
        fd, pos = todo.pop()
        if fd.key in seen:
            continue
        seen.add(fd.key)
        for site in ctx.index.callers(fd):
            args = _site_args(ctx, site)
            arg = args[pos].strip() if pos < len(args) else ""
            const = _CONST.fullmatch(arg)
            if const is not None:
                got = named_schedule(ctx.index.files[site.file], const.group(1))
                if got is not None:
                    out.append(Handed(const.group(1), site.file, tuple(got[0]), got[1], site.src))
                    continue
            onward = _forwarded(ctx, site.file, site.caller, arg)
            if onward is None:
                whole = False
            else:
                todo.append(onward)
    return out, whole


def _forwarded(
    ctx: FileContext, file: int, caller: int | None, arg: str
) -> tuple[FnDef, int] | None:
    """The fn of this file that passes its own parameter ``arg`` on, and that parameter's
    place: its callers hand the schedule."""
    if file != ctx.file_idx or caller is None or caller not in ctx.facts:
        return None
    names = [p for p, _ in ctx.facts[caller].params]
    d = ctx.fn_def(caller)
    if d is None or arg not in names:
        return None
    return d, names.index(arg)


def _site_args(ctx: FileContext, site: Site) -> list[str]:
    """The call's top-level arguments as written, read from its file's tokens."""
    fs = ctx.index.files[site.file]
    rng = fs.scan.token_range(site.src.start, site.src.end)
    r = TokenReader(fs, rng.start, rng.stop)
    open_ = next((k for k in rng if r.t[k] == "(" and r.c[k] == "p"), None)
    return [] if open_ is None else [r.code(a, b) for a, b in r.args(open_)]
