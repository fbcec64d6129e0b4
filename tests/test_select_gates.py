"""A select branch with a `, if` precondition is said with it (held-out read 102 #3:
aardvark-dns's serve loop "races" its resolv.conf watcher, which takes part only while it
exists)."""

from __future__ import annotations

from support import trap_context

from svixbt.claims import claims_for
from svixbt.compose import compose_examples


def test_the_one_gated_branch_of_a_select_is_said_with_its_precondition() -> None:
    ctx = trap_context("watch_reload.rs")
    idx = next(i for i, it in enumerate(ctx.fs.items) if it.name == "reload_loop")
    (sel,) = [c for c in claims_for(ctx, idx) if c.kind == "select"]
    assert {"preconditioned", "one-gate"} <= sel.flags
    assert sel.get("gated") == "watcher.as_mut().unwrap().next()"
    assert sel.get("gate") == "watcher.is_some()"
    thinks = [ex.think for ex in compose_examples(ctx) if "races" in ex.think]
    assert thinks, "no think says what the select races"
    for think in thinks:
        races = next(s for s in think.split(". ") if "races" in s)
        assert "`watcher.is_some()`" in races, races
