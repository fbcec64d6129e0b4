"""Facts with real values, read off small Rust snippets written for these tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from svixbt.facts import (
    ItemFacts,
    duration_seconds,
    eval_int,
    human_duration,
    human_int,
    item_facts,
)
from svixbt.lexer import significant_tokens
from svixbt.pipeline import FileScan, scan_source
from svixbt.sources import SourceFile


def rs(src: str) -> str:
    return textwrap.dedent(src)


def toks(expr: str) -> list[str]:
    return significant_tokens(expr)[2]


def scan(src: str) -> FileScan:
    return scan_source(SourceFile(Path("t.rs"), src, 0))


def facts_of(src: str, name: str = "subject") -> ItemFacts:
    fs = scan(src)
    matches = [i for i, it in enumerate(fs.items) if it.name == name]
    assert len(matches) == 1, [it.name for it in fs.items]
    return item_facts(fs, matches[0])


# -- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("60 * 60 * 12", 43200),
        ("5_000", 5000),
        ("10u64", 10),
        ("(1 + 2) * 3", 9),
        ("100 - 1", 99),
        ("30 as u64", 30),
        ("1_000_000usize", 1_000_000),
    ],
)
def test_eval_int(expr: str, value: int) -> None:
    assert eval_int(toks(expr)) == value


def test_eval_int_uses_consts() -> None:
    assert eval_int(toks("BATCH * 2"), {"BATCH": 5000.0}) == 10000
    assert eval_int(toks("BATCH * 2")) is None


@pytest.mark.parametrize("expr", ["", "x + 1", "u64::MAX", "f(2)", "1 / 0", '"12"'])
def test_eval_int_refuses_non_constants(expr: str) -> None:
    assert eval_int(toks(expr)) is None


def test_eval_int_integer_division() -> None:
    assert eval_int(toks("7 / 2")) == 3


@pytest.mark.parametrize(
    ("expr", "seconds"),
    [
        ("Duration::from_secs(60 * 60 * 12)", 43200.0),
        ("Duration::from_millis(5000)", 5.0),
        ("Duration::from_millis(500)", 0.5),
        ("Duration::from_mins(30)", 1800.0),
        ("Duration::from_hours(2)", 7200.0),
        ("Duration::from_secs(IDLE_SECS)", 600.0),
    ],
)
def test_duration_seconds(expr: str, seconds: float) -> None:
    assert duration_seconds(toks(expr), {"IDLE_SECS": 600.0}) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "expr",
    [
        "Duration::from_secs(n)",
        "Duration::new(1, 0)",
        "std::time::Duration::ZERO",
        "Instant::now()",
        "config.idle",
    ],
)
def test_duration_seconds_none_when_not_constant(expr: str) -> None:
    assert duration_seconds(toks(expr), {}) is None


def test_duration_from_float_seconds() -> None:
    assert duration_seconds(toks("Duration::from_secs_f64(2.5)"), {}) == 2.5


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (43200, "12 hours"),
        (10, "10 seconds"),
        (0.5, "500 milliseconds"),
        (1800, "30 minutes"),
        (5000 / 1000, "5 seconds"),
        (3600, "1 hour"),
        (86400, "1 day"),
        (60 * 60 * 24 * 30, "30 days"),
        (90, "90 seconds"),
        (1, "1 second"),
        (1.5, "1,500 milliseconds"),
        (0.001, "1 millisecond"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text


@pytest.mark.parametrize(
    ("value", "text"), [(5000, "5,000"), (2500.0, "2,500"), (7, "7"), (1_000_000, "1,000,000")]
)
def test_human_int(value: float, text: str) -> None:
    assert human_int(value) == text


# -- consts ----------------------------------------------------------------------------------

CONSTS = rs(
    """\
    use std::time::Duration;

    const IDLE: Duration = Duration::from_secs(60 * 60 * 12);
    const BATCH: u32 = 5_000;
    const TWICE: u32 = BATCH * 2;
    const UNUSED: u32 = 1;

    async fn subject() {
        // pause after a failure
        const ON_ERROR: Duration = Duration::from_millis(5000);
        let n = run(BATCH, TWICE).await;
        tokio::time::sleep(IDLE).await;
        tokio::time::sleep(ON_ERROR).await;
    }
    """
)


def test_file_consts_evaluated() -> None:
    f = facts_of(CONSTS)
    by_name = {c.name: c for c in f.consts}
    assert sorted(by_name) == ["BATCH", "IDLE", "ON_ERROR", "TWICE"]  # UNUSED is not named
    idle = by_name["IDLE"]
    assert (idle.value, idle.human, idle.is_duration, idle.local) == (
        43200,
        "12 hours",
        True,
        False,
    )
    assert idle.expr == "Duration::from_secs(60 * 60 * 12)"
    assert idle.type_text == "Duration"
    assert idle.line == 3
    batch = by_name["BATCH"]
    assert (batch.value, batch.human, batch.is_duration) == (5000, "5,000", False)
    assert by_name["TWICE"].value == 10000


def test_fn_local_const_with_comment() -> None:
    on_error = facts_of(CONSTS).const("ON_ERROR")
    assert on_error is not None
    assert on_error.local is True
    assert on_error.value == 5.0
    assert on_error.human == "5 seconds"
    assert on_error.comment == "pause after a failure"
    assert facts_of(CONSTS).const("NOPE") is None


def test_sleeps_resolve_const_durations() -> None:
    f = facts_of(CONSTS)
    assert [(s.mechanism, s.arg, s.seconds) for s in f.sleeps] == [
        ("tokio::time::sleep", "IDLE", 43200.0),
        ("tokio::time::sleep", "ON_ERROR", 5.0),
    ]


def test_const_that_is_not_a_number_keeps_its_expr() -> None:
    src = rs(
        """\
        const NAME: &str = "pruner";

        fn subject() -> &'static str {
            NAME
        }
        """
    )
    c = facts_of(src).const("NAME")
    assert c is not None
    assert c.value is None
    assert c.human == '"pruner"'


# -- a loop with arms, unwraps, SQL and calls ---------------------------------------------------

LOOP = rs(
    """\
    use std::time::Duration;

    const X: Duration = Duration::from_secs(15);
    const IDLE: Duration = Duration::from_secs(60 * 30);
    const BATCH: u64 = 1_000;

    async fn work(db: &Db, n: u64) -> Result<u64> {
        let q = "DELETE FROM job WHERE id IN (SELECT id FROM job LIMIT $1 FOR UPDATE SKIP LOCKED)";
        db.execute(q, n).await
    }

    async fn subject(db: Db, stop: Stop, fast: bool) -> Result<()> {
        let mut delay: Option<Duration> = None;
        let pace = if fast { Some(X) } else { None };
        while !stop.is_set() {
            if let Some(d) = delay {
                tokio::time::sleep(d).await;
            }
            let first = work(&db, BATCH).await?;
            match work(&db, BATCH).await {
                Err(e) => {
                    tracing::warn!(error = ?e, "batch failed");
                    delay = Some(X);
                }
                Ok(n) => {
                    delay = if n >= BATCH { None } else { Some(IDLE) };
                }
            }
        }
        loop {
            break;
        }
        Ok(())
    }
    """
)


def test_signature_params_returns() -> None:
    f = facts_of(LOOP)
    assert f.signature == "async fn subject(db: Db, stop: Stop, fast: bool) -> Result<()>"
    assert f.params == [("db", "Db"), ("stop", "Stop"), ("fast", "bool")]
    assert f.returns == "Result<()>"
    assert f.is_async is True


def test_match_arms() -> None:
    f = facts_of(LOOP)
    assert [a.pattern for a in f.arms] == ["Err(e)", "Ok(n)"]
    err, ok = f.arms
    assert [lg.level for lg in err.logs] == ["warn"]
    assert err.logs[0].macro == "tracing::warn"
    assert err.logs[0].message == "batch failed"
    assert err.logs[0].fields == ["error"]
    assert err.sets == [("delay", "Some(X)")]
    assert err.returns == []
    assert err.line == 21
    assert ok.logs == []
    assert ok.sets == [("delay", "if n >= BATCH { None } else { Some(IDLE) }")]
    assert ok.branches == [("delay", "n >= BATCH", "None", "Some(IDLE)")]


def test_if_let_some_unwraps() -> None:
    assert facts_of(LOOP).unwraps == {"d": "delay"}


def test_let_if_else_branches() -> None:
    f = facts_of(LOOP)
    assert f.let_branches == [("pace", "fast", "Some(X)", "None")]
    assert ("pace", "if fast { Some(X) } else { None }") in f.inits


def test_loop_conditions() -> None:
    f = facts_of(LOOP)
    assert [(lp.keyword, lp.condition, lp.line) for lp in f.loops] == [
        ("while", "!stop.is_set()", 15),
        ("loop", "", 30),
    ]


def test_calls_args_await_and_propagation() -> None:
    f = facts_of(LOOP)
    works = [c for c in f.calls if c.written == "work"]
    assert len(works) == 2
    first, second = works
    assert first.args == ["&db", "BATCH"]
    assert (first.awaited, first.propagates, first.local_fn) == (True, True, True)
    assert (second.awaited, second.propagates) == (True, False)
    assert first.line == 19
    assert f.question_marks == 1
    assert f.local_calls() == ["work"]


def test_sleep_through_unwrapped_variable_has_no_value() -> None:
    f = facts_of(LOOP)
    assert [(s.written, s.arg, s.seconds) for s in f.sleeps] == [("tokio::time::sleep", "d", None)]


def test_logs_and_tags() -> None:
    f = facts_of(LOOP)
    assert [(lg.level, lg.message) for lg in f.logs] == [("warn", "batch failed")]
    assert {"polling-loop", "error-match-err", "error-log", "tokio-sleep"} <= set(f.rule_ids)
    assert "tokio-spawn" not in f.rule_ids


@pytest.mark.parametrize(
    ("body", "tail"),
    [
        ("let x = 1;\n    Ok(())", "Ok(())"),
        ("while a() {\n        b();\n    }\n    Ok(())", "Ok(())"),
        ("foo(a, b)", "foo(a, b)"),
        ("x();", ""),
    ],
)
def test_tail_expression(body: str, tail: str) -> None:
    src = f"fn subject() -> Result<()> {{\n    {body}\n}}\n"
    assert facts_of(src).tail == tail


def test_tail_after_loop() -> None:
    assert facts_of(LOOP).tail == "Ok(())"


def test_sql_facts() -> None:
    f = facts_of(LOOP, "work")
    assert len(f.sql) == 1
    sql = f.sql[0]
    assert sql.verb == "DELETE"
    assert sql.tables == ["job"]
    assert (sql.limit, sql.skip_locked) == (True, True)
    assert sql.line == 8
    assert sql.text.startswith("DELETE FROM job WHERE id IN (SELECT")


def test_sql_without_limit_or_lock() -> None:
    src = rs(
        """\
        fn subject() -> &'static str {
            "UPDATE endpoint SET disabled = true FROM app WHERE app.id = endpoint.app_id"
        }
        """
    )
    (sql,) = facts_of(src).sql
    assert sql.verb == "UPDATE"
    assert sql.tables == ["endpoint", "app"]
    assert (sql.limit, sql.skip_locked) == (False, False)


def test_plain_string_is_not_sql() -> None:
    src = rs(
        """\
        fn subject() {
            tracing::info!("selected a worker");
        }
        """
    )
    assert facts_of(src).sql == []


def test_comparisons_are_only_comparisons() -> None:
    assert facts_of(LOOP).comparisons == ["n >= BATCH"]


# -- tokio mechanisms ------------------------------------------------------------------------

TOKIO = rs(
    """\
    use std::time::Duration;
    use tokio::time::{interval, timeout};

    async fn subject(token: CancellationToken) {
        let h = tokio::spawn(async move { tick().await });
        let mut every = interval(Duration::from_secs(5 * 60));
        let r = timeout(Duration::from_millis(250), fetch()).await;
        token.run_until_cancelled(tokio::time::sleep(Duration::from_secs(2))).await;
        let (a, b) = tokio::join!(left(), right());
        tokio::select! {
            _ = every.tick() => {}
            _ = token.cancelled() => {}
        }
        let t0 = std::time::Instant::now();
        tracing::debug!(elapsed_ms = t0.elapsed().as_millis() as u64, "done");
    }
    """
)


def test_intervals_timeouts_and_cancellable_sleep() -> None:
    f = facts_of(TOKIO)
    assert [(i.mechanism, i.written, i.arg, i.seconds) for i in f.intervals] == [
        ("tokio::time::interval", "interval", "Duration::from_secs(5 * 60)", 300.0)
    ]
    assert [(t.mechanism, t.seconds) for t in f.timeouts] == [("tokio::time::timeout", 0.25)]
    assert [(s.seconds, s.cancellable) for s in f.sleeps] == [(2.0, "run_until_cancelled")]


def test_timeout_arg_as_written() -> None:
    assert [t.arg for t in facts_of(TOKIO).timeouts] == ["Duration::from_millis(250)"]


def test_spawn_join_select_timing_counted() -> None:
    f = facts_of(TOKIO)
    assert f.spawns == ["tokio::spawn"]
    assert f.joins == 1
    assert f.selects == 1
    assert f.timing == ["std::time::Instant::now", ".elapsed()"]
    assert [(lg.level, lg.fields) for lg in f.logs] == [("debug", ["elapsed_ms"])]


def test_error_conversions_and_early_returns() -> None:
    src = rs(
        """\
        fn subject(v: Option<u8>) -> Result<u8, E> {
            if v.is_none() {
                return Err(E::Missing);
            }
            let n = v.ok_or(E::Missing)?;
            parse(n).map_err(E::from)
        }
        """
    )
    f = facts_of(src)
    assert f.error_conversions == ["ok_or", "map_err"]
    assert f.early_returns == [("return Err(E::Missing)", 3)]
    assert f.question_marks == 1


def test_bool_param_gating_and_doc_summary() -> None:
    src = rs(
        """\
        /// Prunes one batch.
        ///
        /// Longer notes.
        fn subject(dry_run: bool) {
            if dry_run {
                return;
            }
        }
        """
    )
    f = facts_of(src)
    assert f.bool_params_gating == ["dry_run"]
    assert f.doc_summary == "Prunes one batch."
    assert f.doc == "Prunes one batch.\n\nLonger notes."
