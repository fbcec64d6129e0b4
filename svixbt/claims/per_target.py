"""A tokio name the file imports from another crate on other builds (`#[cfg(target_arch =
"wasm32")] use wasmtimer::tokio::sleep;` beside `use tokio::time::sleep;`): the claims say the
native path, and a think that names it says what the other builds call instead (alloy's
transports: "waits with `tokio::time::sleep`" of a wasm32 build, held-out read 97 #11-#16)."""

from __future__ import annotations

from ..facts import ItemFacts
from ..mechanisms import resolve
from ..symbols import other_target_uses
from .core import Claim, FileContext, Proof, make

__all__ = ["per_target_claims"]


def per_target_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    key = ("other-target-uses", -1)
    if key not in ctx.memo:
        ctx.memo[key] = other_target_uses(ctx.fs.scan.uses)
    others = ctx.memo[key]
    if not others:
        return []
    written = [w.written for w in f.waits] + [sp.said for sp in f.spawns]
    out: list[Claim] = []
    for path in dict.fromkeys(written):
        parts = path.split("::")
        alt = others.get(parts[0])
        if alt is None:
            continue
        other_full, cond, decl = alt
        native = resolve(parts, ctx.fs.imports)
        other = "::".join([other_full, *parts[1:]])
        if native == other or not cond:
            continue
        slots = {"written": path, "native": native, "other": other, "cfg": cond}
        proof = [Proof(ctx.display, decl.start, decl.end, decl.text)]
        out.append(make("per_target", f.name, slots, proof))
    return out
