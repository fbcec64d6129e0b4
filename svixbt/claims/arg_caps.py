"""How many tasks a count-bounded fan-out can start, where the count is a field of a clap
argument struct whose parser is bounded: `for _ in 0..args.options.endpoint_count` under
`#[arg(value_parser = clap::value_parser!(u8).range(..=10))]` starts at most ten tasks.

svix-cli's seed command spawns one task per endpoint and per message; asked "I'm choosing the
counts we pass to this", its answers never said the counts are capped (blind reads 82 and 85).
Only the bound the parser enforces is said; the field's doc comment is quoted where it gives
another range (`message_count`'s says "(0-10)", its parser allows 100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..fact_types import ItemFacts, Src
from .core import Claim, FileContext, make

__all__ = ["count_caps"]


@dataclass(frozen=True)
class FieldCap:
    cap: int
    attr: Src  # the `range(..)` call as written
    doc: str  # the field's doc comment, without its `///`
    doc_src: Src | None


def count_caps(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A ``count_cap`` claim per spawn of ``f`` repeated over `0..<path>.<field>` where the
    file declares ``field`` with a bounded clap parser."""
    caps = _field_caps(ctx)
    out: list[Claim] = []
    for sp in f.spawns:
        m = re.fullmatch(r"for \w+ in 0\s*\.\.\s*([\w.]+)", sp.repeated)
        if not m or not f.own(sp.at_region):
            continue
        field_name = m.group(1).rsplit(".", 1)[-1]
        fc = caps.get(field_name)
        if fc is None:
            continue
        slots = {
            "repeated": sp.repeated,
            "field": field_name,
            "cap": str(fc.cap),
            "attr": fc.attr.text,
            "mech": sp.said,
        }
        proof = [ctx.proof(sp.src), ctx.proof(fc.attr)]
        flags: set[str] = set()
        said = [int(n) for n in re.findall(r"\(\s*\d+\s*-\s*(\d+)\s*\)", fc.doc)]
        if said and said[-1] != fc.cap and fc.doc_src is not None:
            slots["doc"] = fc.doc
            proof.append(ctx.proof(fc.doc_src))
            flags.add("doc-differs")
        out.append(make("count_cap", f.name, slots, proof, flags))
    return out


def _field_caps(ctx: FileContext) -> dict[str, FieldCap]:
    """Fields of the file's structs whose attributes bound a clap parser with `range(..)`."""
    key = ("field_caps", -1)
    if key in ctx.memo:
        return dict(ctx.memo[key])
    scan = ctx.fs.scan
    t, c = scan.texts, scan.codes
    found: dict[str, FieldCap] = {}
    for item in scan.items:
        if item.kind != "struct" or item.body_start is None:
            continue
        toks = scan.token_range(item.body_start + 1, item.end - 1)
        cap: tuple[int, Src] | None = None
        doc: list[int] = []
        k = toks.start
        while k < toks.stop:
            if c[k] == "d":
                doc.append(k)
            elif t[k] == "#" and k + 1 < toks.stop and t[k + 1] == "[":
                close = scan.match[k + 1]
                cap = _range_cap(ctx, k + 2, close) or cap
                k = close
            elif c[k] == "n" and k + 1 < toks.stop and t[k + 1] == ":" and t[k] != "pub":
                if cap is not None:
                    text = " ".join(t[d].lstrip("/").strip() for d in doc)
                    src = _span(ctx, doc[0], doc[-1]) if doc else None
                    found.setdefault(t[k], FieldCap(cap[0], cap[1], text, src))
                cap, doc = None, []
            elif t[k] == ",":
                cap, doc = None, []
            k += 1
    ctx.memo[key] = found
    return dict(found)


def _range_cap(ctx: FileContext, lo: int, hi: int) -> tuple[int, Src] | None:
    """The largest value a `value_parser!(..).range(a..=n)` (or `..n`) inside tokens
    ``[lo, hi)`` admits, and the `range(..)` call's text."""
    t = ctx.fs.scan.texts
    if not any(t[k] == "value_parser" for k in range(lo, hi)):
        return None
    for k in range(lo, hi - 1):
        if t[k] != "range" or t[k + 1] != "(" or k == 0 or t[k - 1] != ".":
            continue
        close = ctx.fs.scan.match[k + 1]
        inner = "".join(t[k + 2 : close])
        m = re.fullmatch(r"(?:\d+)?\.\.(=?)(\d+)", inner)
        if m is None:
            return None
        n = int(m.group(2)) - (0 if m.group(1) else 1)
        return n, _span(ctx, k, close)
    return None


def _span(ctx: FileContext, a: int, b: int) -> Src:
    scan = ctx.fs.scan
    start, end = scan.starts[a], scan.starts[b] + len(scan.texts[b])
    return Src(start, end, scan.text[start:end])
