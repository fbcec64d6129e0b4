"""Mends from held-out read 103 (spotify-player, ncspot), held on a trap of our own written in
their shapes: player_app.rs."""

from __future__ import annotations

import pytest
from support import claims_of, said_about, trap_context

from svixbt.claims import FileContext


@pytest.fixture(scope="module")
def ctx() -> FileContext:
    return trap_context("player_app.rs")


_claims = claims_of


def _text(ctx: FileContext, item: str) -> str:
    return said_about(ctx, item, requests=True)


def test_a_runtime_static_spawns_as_a_runtime_not_a_handle(ctx: FileContext) -> None:
    """ncspot's `ASYNC_RUNTIME.get().unwrap().spawn` was said as `Handle::spawn` (FALSE #16)."""
    (sp,) = _claims(ctx, "start_in_background", "spawn")
    assert sp.get("mech") == "tokio::runtime::Runtime::spawn"


def test_a_fn_that_runs_its_runtime_and_never_returns_has_no_own_awaits(ctx: FileContext) -> None:
    """spotify-player's `start_app`: "what its caller waits for .. before it returns" (#10)."""
    assert not _claims(ctx, "run_app", "own_awaits")
    assert "before it returns" not in _text(ctx, "run_app")


def test_a_channel_loop_spawning_per_message_is_no_batch(ctx: FileContext) -> None:
    (sp,) = _claims(ctx, "serve_requests", "spawn")
    assert {"repeated", "per-round"} <= sp.flags
    assert "batch" not in _text(ctx, "serve_requests")


def test_a_call_also_awaited_inline_is_not_said_to_stop_at_a_log_line(ctx: FileContext) -> None:
    (one,) = _claims(ctx, "play", "one_shot")
    assert "also-inline" in one.flags
    text = _text(ctx, "play")
    assert "stops at a log line" not in text


def test_a_handle_raced_in_another_task_is_not_said_to_be_kept(ctx: FileContext) -> None:
    """spotify-player's `player_event_task` goes into a second task's select (MISLEADING #11)."""
    first = next(c for c in _claims(ctx, "connect_player", "spawn") if "first-spawn" in c.flags)
    assert "raced-elsewhere" in first.flags
    text = _text(ctx, "connect_player")
    assert "can be awaited or aborted through that name" not in text
    assert "keep that task's handle" not in text
