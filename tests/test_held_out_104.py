"""Mends from held-out read 104 (nextest, ockam), held on a trap of our own written in their
shapes: round_waits.rs."""

from __future__ import annotations

import pytest
from support import claims_of, trap_context

from svixbt.claims import FileContext, claims_for
from svixbt.compose import compose_examples


@pytest.fixture(scope="module")
def ctx() -> FileContext:
    return trap_context("round_waits.rs")


_claims = claims_of


def _thinks(ctx: FileContext) -> str:
    return " ".join(ex.user + " " + ex.think for ex in compose_examples(ctx))


def test_a_sleep_raced_in_a_select_is_no_pace_of_every_round(ctx: FileContext) -> None:
    """ockam's notifier: "loops and sleeps 100 milliseconds each time round" (FALSE #15)."""
    (sp,) = _claims(ctx, "start_notifier", "spawn")
    assert "sleep" not in sp.flags and not sp.get("sleep_dur") and not sp.get("some_sleep")
    assert "sleeps 100 milliseconds each time round" not in _thinks(ctx)


def test_a_sleep_after_a_timed_wait_is_said_with_that_wait(ctx: FileContext) -> None:
    """ockam's scheduler: "a sleep of 100 milliseconds spaces the rounds out" (#18)."""
    (sl,) = _claims(ctx, "run_refresher", "sleep")
    assert "after-timed" in sl.flags
    assert (sl.get("timed_arg"), sl.get("timed_call")) == ("every", "kick.recv()")
    text = _thinks(ctx)
    assert "spaces the rounds out" not in text and "`kick.recv()`" in text


def test_an_inner_loops_select_break_is_no_way_out_of_the_outer_loop(ctx: FileContext) -> None:
    """nextest's dispatcher: "its `None` case does `break`, which ends the loop" of an inner
    loop's select (FALSE #2)."""
    exits = _claims(ctx, "dispatch", "select_exit")
    assert [c.get("future") for c in exits] == ["events.recv()"]


def test_a_while_loops_own_return_is_listed_with_its_ends() -> None:
    """ockam's email wait returns after 10 minutes from inside `while !verified`: "its condition
    is re-read .. and a `?` can end it early" left that return out (#16)."""
    ctx = trap_context("steps.rs")
    text = " ".join(
        ex.think
        for ex in compose_examples(ctx)
        if ctx.fs.items[ex.primary].name == "ask_with_tries"
    )
    assert "`return Ok(())` inside it" in text, text


def test_a_loop_run_with_block_on_is_not_handed_away() -> None:
    """nextest's `TestList::new` drives its loop with `runtime.block_on`: "The loop is not in
    `new`'s own body .. nothing is awaited after it" read as a loop handed away (#1)."""
    ctx = trap_context("block_list.rs")
    idx = next(i for i, it in enumerate(ctx.fs.items) if it.name == "collect_all")
    (handed,) = [c for c in claims_for(ctx, idx) if c.kind == "handed_off"]
    assert "runs-here" in handed.flags and "then-returns" not in handed.flags
    text = " ".join(ex.user + " " + ex.think for ex in compose_examples(ctx))
    assert "not in `collect_all`'s own body" not in text
    assert "the loop `collect_all` hands to" not in text
