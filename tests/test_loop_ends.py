"""Ends of a loop a think must name (held-out read 102): a timeout's `Err` arm that breaks out
of a read loop, a call in the loop that can exit the process, and a join asked about rather than
required, named by its trait when its type is a tuple."""

from __future__ import annotations

from support import TRAPS, claims_of

from svixbt.claims import FileContext
from svixbt.compose import compose_examples
from svixbt.evidence import Indexes, file_context
from svixbt.pipeline import scan_file


def _ctx(name: str) -> FileContext:
    return file_context(scan_file(TRAPS / name), Indexes())


_claims = claims_of


def test_the_err_arm_of_a_timeout_is_said_as_the_timer_running_out() -> None:
    ctx = _ctx("idle_reader.rs")
    breaks = _claims(ctx, "read_frames", "loop_break")
    expiry = [c for c in breaks if "expiry" in c.flags]
    assert len(expiry) == 1, [c.flags for c in breaks]
    assert (expiry[0].get("timed"), expiry[0].get("dur")) == ("conn.read(&mut buf)", "5 seconds")
    # The read's own `Err(_)`, one match down, is no expiry.
    assert all("expiry" not in c.flags for c in breaks if "guarded" in c.flags)
    text = " ".join(ex.think for ex in compose_examples(ctx))
    assert "`conn.read(&mut buf)` takes longer than 5 seconds" in text or (
        "`conn.read(&mut buf)` has not completed within 5 seconds" in text
    )


def test_a_callee_that_exits_the_process_is_an_end_of_the_loop() -> None:
    ctx = _ctx("exit_pump.rs")
    (lp,) = _claims(ctx, "pump", "loop")
    assert "ends-process" in lp.flags and lp.get("ender") == "wind_down"
    text = " ".join(ex.think for ex in compose_examples(ctx))
    assert "`wind_down`" in text and "exit" in text


def test_a_direct_exit_is_a_way_out_and_not_said_again_as_an_ender() -> None:
    ctx = _ctx("notices.rs")
    (lp,) = _claims(ctx, "stamp_notices", "loop")
    assert "ends-process" in lp.flags and not lp.get("ender")
    text = " ".join(ex.think for ex in compose_examples(ctx))
    assert "besides that `std::process::exit`" not in text


def test_a_join_of_a_tuple_impl_is_asked_about_and_named_by_its_trait() -> None:
    ctx = _ctx("pair_drain.rs")
    examples = [ex for ex in compose_examples(ctx) if "tokio::join!" in ex.think]
    assert examples
    for ex in examples:
        assert "(Box" not in ex.user + ex.think
        assert ex.style == "question", ex.user


def test_a_last_check_says_what_comes_back_otherwise() -> None:
    """Only the fn's last expression follows the check: "returns early, before anything that
    follows" misled (aardvark-dns, held-out read 102 #4)."""
    ctx = _ctx("bind_all.rs")
    (ret,) = [c for c in _claims(ctx, "bind_all", "return") if "early" in c.flags]
    assert "then-tail" in ret.flags and ret.get("otherwise") == "Err(failures)"
    text = " ".join(ex.think for ex in compose_examples(ctx))
    assert "before anything that follows" not in text


def test_a_spawned_round_is_said_in_the_order_it_runs() -> None:
    """svix's memory cache sleeps 5 minutes and then sweeps: "runs `retain(..)` and sleeps 5
    minutes every round" had the order backwards."""
    sweeps = _ctx("sweep.rs")
    (first,) = _claims(sweeps, "start_sweeper", "spawn")
    assert {"sleep", "sleep-first"} <= first.flags
    text = " ".join(ex.think for ex in compose_examples(sweeps))
    assert "sleeps 1 minute and then runs `for_task.write`" in text, text
    assert "and sleeps 1 minute every round" not in text
    late = _ctx("late_start.rs")
    (after,) = _claims(late, "start_reporter", "spawn")
    assert "sleep" in after.flags and "sleep-first" not in after.flags
    said = " ".join(ex.think for ex in compose_examples(late))
    assert "sleeps 1 day and calls `send_report`" not in said
