"""Ways out of a spawned loop written as the `else` of an `if let`, and intervals built from a
value passed through shadowed `let`s (held-out read 102: torrust's cleanup job had no record)."""

from __future__ import annotations

import pytest
from support import claims_of, said_about, trap_context

from svixbt.claims import FileContext


@pytest.fixture(scope="module")
def ctx() -> FileContext:
    return trap_context("lease_sweep.rs")


_claims = claims_of


def _thinks(ctx: FileContext, item: str) -> str:
    return said_about(ctx, item)


def test_the_else_of_an_if_let_in_a_select_branch_is_a_said_way_out(ctx: FileContext) -> None:
    ends = _claims(ctx, "start_sweeper", "task_end")
    by_future = {c.get("future"): c for c in ends}
    assert set(by_future) == {"tokio::signal::ctrl_c()", "period.tick()"}
    missed = by_future["period.tick()"]
    assert {"else-let", "in-select", "break", "task-ends", "weak"} <= missed.flags
    assert (missed.get("pattern"), missed.get("expr")) == (
        "Some(registry)",
        "weak_registry.upgrade()",
    )
    text = _thinks(ctx, "start_sweeper")
    assert "`weak_registry.upgrade()`" in text and "`tokio::signal::ctrl_c()`" in text


def test_a_weak_whose_strong_side_the_task_keeps_is_no_way_out(ctx: FileContext) -> None:
    """The task moves in `pinned`, a clone of the `Arc` the `Weak` comes from: the upgrade
    never fails, so "ends once nothing else holds that value" would be false; with one end
    unsayable, none is said (a partial list reads as the whole)."""
    assert not _claims(ctx, "start_pinned_sweeper", "task_end")
    assert "strong reference" not in _thinks(ctx, "start_pinned_sweeper")


def test_an_else_on_a_value_that_is_no_weak_says_no_owner(ctx: FileContext) -> None:
    (end,) = _claims(ctx, "start_queue_drain", "task_end")
    assert {"else-let", "return"} <= end.flags and "weak" not in end.flags
    assert end.get("expr") == "queue.lock().await.pop()"
    text = _thinks(ctx, "start_queue_drain")
    assert "else branch returns" in text and "strong reference" not in text


def test_an_interval_built_through_shadowed_lets_is_said_by_its_source(ctx: FileContext) -> None:
    (sp,) = _claims(ctx, "start_sweeper", "spawn")
    assert sp.get("interval_arg") == "settings.sweep_every_secs"


@pytest.fixture(scope="module")
def kit() -> FileContext:
    return trap_context("task_kit.rs")


def test_a_wrapper_called_by_its_whole_path_is_a_spawn(kit: FileContext) -> None:
    """pict-rs calls `crate::sync::spawn(..)` by its path, and has an `async fn spawn` method
    besides: its heartbeat loop was said as the calling fn's own loop (read 102 #5)."""
    (sp,) = _claims(kit, "keep_pinging", "spawn")
    assert sp.get("mech") == "crate::task_kit::spawn"
    (w,) = _claims(kit, "keep_pinging", "spawn_wrapper")
    assert w.get("wrapper") == "crate::task_kit::spawn" and w.get("wraps") == "tokio::task::spawn"
    text = _thinks(kit, "keep_pinging")
    assert "`tokio::task::spawn`" in text and "spawned loop" in text


def test_a_handle_passed_into_a_call_is_not_said_to_be_unstoppable(kit: FileContext) -> None:
    """`abort_on_drop(spawn(..))`: dropping the guard aborts the task, so "nothing tells it to
    stop ... until the runtime is dropped" would be false."""
    (sp,) = _claims(kit, "keep_pinging", "spawn")
    assert sp.get("handle") == "unknown" and sp.get("handle_into") == "abort_on_drop"
    (end,) = _claims(kit, "keep_pinging", "endless_task")
    assert "handle-passed" in end.flags and end.get("handle_into") == "abort_on_drop"
    text = _thinks(kit, "keep_pinging")
    assert "up to what `abort_on_drop` does with its handle" in text
    for false in ("nothing tells it to stop", "is started once and never stopped", "outlives"):
        assert false not in text
