"""Shapes the review of session 63's diff reproduced as false sentences, held on a trap of our
own (handle_paths.rs): each test fails on the code before the mend."""

from __future__ import annotations

import pytest
from support import claims_of, trap_context

from svixbt.claims import FileContext
from svixbt.compose import compose_examples


@pytest.fixture(scope="module")
def ctx() -> FileContext:
    return trap_context("handle_paths.rs")


_claims = claims_of


def _thinks(ctx: FileContext) -> str:
    return " ".join(ex.think for ex in compose_examples(ctx))


def test_a_handle_wrapped_in_some_goes_into_no_call(ctx: FileContext) -> None:
    (sp,) = _claims(ctx, "start", "spawn")
    assert not sp.get("handle_into")
    assert "`Some`" not in _thinks(ctx)


def test_a_chain_through_handle_is_a_handle_spawn(ctx: FileContext) -> None:
    (sp,) = _claims(ctx, "start_on", "spawn")
    assert sp.get("mech") == "tokio::runtime::Handle::spawn"


def test_an_arc_moved_into_the_task_keeps_its_weak_alive(ctx: FileContext) -> None:
    assert not _claims(ctx, "start_owner", "task_end")


def test_a_handle_raced_by_reference_in_a_loop_is_not_dropped_on_a_loss(ctx: FileContext) -> None:
    first = next(c for c in _claims(ctx, "start_watched", "spawn") if "first-spawn" in c.flags)
    assert "raced-elsewhere" not in first.flags


def test_a_call_awaited_before_its_spawn_is_no_other_path(ctx: FileContext) -> None:
    (one,) = _claims(ctx, "beat_twice", "one_shot")
    assert "also-inline" not in one.flags
    assert "path that starts no task" not in _thinks(ctx)


def test_a_gated_select_with_refutable_patterns_keeps_the_pattern_rows(ctx: FileContext) -> None:
    (sel,) = _claims(ctx, "relay", "select")
    assert {"one-gate", "patterns"} <= sel.flags
    assert "the first to finish picks the branch; but" not in _thinks(ctx)


def test_a_log_line_before_the_sleep_leaves_the_round_sleep_first(ctx: FileContext) -> None:
    (sp,) = _claims(ctx, "start_pruner", "spawn")
    assert "sleep-first" in sp.flags
