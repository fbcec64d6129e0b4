"""Constants: the values of a file's `const`s and `static`s (durations in seconds), the consts an
item declares or names with the comment above them, and const arrays of durations as schedules.
"""

from __future__ import annotations

import re

from .fact_types import Const, ItemFacts, Schedule, Src
from .pipeline import FileScan
from .token_reader import TokenReader
from .values import duration_seconds, eval_number

__all__ = ["file_consts", "named_schedule", "read_consts", "string_value"]


def string_value(tok: str) -> str:
    """Contents of a Rust string literal token (raw or not), without its quotes."""
    m = re.match(r'^[bc]?r(#*)"(.*)"\1$', tok, re.S)
    if m:
        return m.group(2)
    m = re.match(r'^[bc]?"(.*)"$', tok, re.S)
    # A `\` at the end of a line continues the string without the newline and indentation.
    return re.sub(r"\\\r?\n\s*", "", m.group(1)) if m else tok


def file_consts(fs: FileScan) -> dict[str, float]:
    """Numeric values of every const of the file (durations in seconds), for evaluating others."""
    known = fs.memo.get("file_consts")
    if known is None:
        known = fs.memo["file_consts"] = _file_consts(fs)
    return dict(known)


def _file_consts(fs: FileScan) -> dict[str, float]:
    out: dict[str, float] = {}
    clash: set[str] = set()
    t, c = fs.scan.texts, fs.scan.codes
    for i in range(len(t) - 3):
        if t[i] in ("const", "static") and c[i + 1] == "n" and t[i + 2] == ":":
            j = i + 3
            while j < len(t) and t[j] not in ("=", ";"):
                j += 1
            k = j + 1
            while k < len(t) and t[k] != ";":
                k += 1
            toks = [x for x, cc in zip(t[j + 1 : k], c[j + 1 : k], strict=True) if cc not in "cdi"]
            v = duration_seconds(toks, out)
            if v is None:
                v = eval_number(toks, out)
            if v is not None and out.setdefault(t[i + 1], v) != v:
                clash.add(t[i + 1])
    # One name with two values (`#[cfg(debug_assertions)] const DELAY = 5 s`, and 60 s for
    # release builds, in lemmy's sender): which one a sentence would state depends on the build
    # (blind read 104), so neither is known.
    for name in clash:
        del out[name]
    _duration_fns(fs, out)
    return out


def _duration_fns(fs: FileScan, out: dict[str, float]) -> None:
    """`const fn wait_duration() -> Duration { Duration::from_millis(200) }`: a fn with no
    parameters whose whole body is one duration is that duration, keyed `wait_duration()`."""
    t, c, match = fs.scan.texts, fs.scan.codes, fs.scan.match
    for i in range(len(t) - 6):
        if t[i] != "fn" or c[i + 1] != "n" or t[i + 2 : i + 5] != ["(", ")", "->"]:
            continue
        j = i + 5
        while j < len(t) and t[j] not in ("{", ";"):
            j += 1
        if j >= len(t) or t[j] != "{" or "Duration" not in t[i + 5 : j]:
            continue
        close = match[j]
        if close <= j:
            continue
        toks = [
            x for x, cc in zip(t[j + 1 : close], c[j + 1 : close], strict=True) if cc not in "cdi"
        ]
        v = duration_seconds(toks, out)
        if v is not None:
            out.setdefault(t[i + 1] + "()", v)


def read_consts(fs: FileScan, r: TokenReader, f: ItemFacts, consts: dict[str, float]) -> None:
    """Consts the item declares, then file-level consts it names (with their comments)."""
    t, c = r.t, r.c
    for k in range(r.lo, r.hi):
        if t[k] == "const" and k + 2 < r.hi and c[k + 1] == "n" and t[k + 2] == ":":
            f.consts.append(_const_at(r, k, consts, local=True))
    names = {t[k] for k in range(r.lo, r.hi) if c[k] == "n"}
    tops = [o for o in fs.items if o.kind in ("const", "static") and o.parent is None]
    # A name written twice (once per `#[cfg(..)]` build) has no one value to state.
    twice = {o.name for o in tops if sum(1 for x in tops if x.name == o.name) > 1}
    for other in tops:
        if other.name in names and other.name not in twice:
            orng = fs.scan.token_range(other.keyword_start, other.end)
            ro = TokenReader(fs, orng.start, orng.stop)
            k = next((x for x in orng if t[x] in ("const", "static")), -1)
            if k >= 0 and c[k + 1] == "n":
                const = _const_at(ro, k, consts, local=False)
                f.consts.append(const)
                sched = _const_schedule(ro, k, consts, const)
                if sched is not None:
                    f.schedules.append(sched)


def named_schedule(fs: FileScan, name: str) -> tuple[list[float], Src] | None:
    """The waits of the file-level `const NAME: &[Duration] = &[..];` of ``fs``, in seconds,
    with the const's text; None when there is no such const or a wait cannot be evaluated."""
    consts = file_consts(fs)
    t, c = fs.scan.texts, fs.scan.codes
    for item in fs.items:
        if item.kind not in ("const", "static") or item.parent is not None or item.name != name:
            continue
        rng = fs.scan.token_range(item.keyword_start, item.end)
        k = next((x for x in rng if t[x] in ("const", "static")), -1)
        if k < 0 or c[k + 1] != "n":
            return None
        r = TokenReader(fs, rng.start, rng.stop)
        const = _const_at(r, k, dict(consts), local=False)
        sched = _const_schedule(r, k, dict(consts), const)
        return (sched.seconds, const.src) if sched is not None else None
    return None


def _const_schedule(r: TokenReader, k: int, consts: dict[str, float], c: Const) -> Schedule | None:
    """`const RETRY_SCHEDULE: &[Duration] = &[Duration::from_millis(10), ..];` as a schedule."""
    eq = r.until(k + 2, ("=", ";"))
    j = eq + 1
    if j < r.hi and r.t[j] == "&":
        j += 1
    if j >= r.hi or r.t[j] != "[":
        return None
    secs: list[float] = []
    for a, b in r.args(j):
        toks = [x for x, cc in zip(r.t[a:b], r.c[a:b], strict=True) if cc not in "cdi"]
        s = duration_seconds(toks, consts)
        if s is None:
            return None
        secs.append(s)
    return Schedule(c.name, secs, c.src, -1) if len(secs) >= 2 else None


def _const_at(r: TokenReader, k: int, consts: dict[str, float], local: bool) -> Const:
    t = r.t
    name = t[k + 1]
    eq = r.until(k + 2, ("=", ";"))
    semi = r.until(eq + 1, (";",))
    toks = [
        x for x, cc in zip(t[eq + 1 : semi], r.c[eq + 1 : semi], strict=True) if cc not in "cdi"
    ]
    secs = duration_seconds(toks, consts)
    value = secs if secs is not None else eval_number(toks, consts)
    if value is not None:
        consts[name] = value
    p = k - 1
    while p >= 0 and r.t[p] in ("pub", "(", ")", "crate"):
        p -= 1
    lines: list[str] = []
    # Consecutive `//` lines right above the const, read as one comment (the author's words).
    expect = r.scan.line_of(r.s[p + 1]) - 1
    while p >= 0 and r.c[p] == "c" and t[p].startswith("//") and not t[p].startswith("///"):
        if r.scan.line_of(r.s[p]) != expect:
            break
        lines.insert(0, t[p][2:].strip())
        expect -= 1
        p -= 1
    comment = " ".join(lines)
    return Const(
        name,
        r.code(k + 3, eq),
        r.code(eq + 1, semi),
        value,
        secs is not None,
        local,
        r.src(k, min(semi, r.hi - 1)),
        comment,
    )
