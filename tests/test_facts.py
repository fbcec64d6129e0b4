"""Facts with real values, read off small Rust snippets written for these tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from svixbt.facts import ItemFacts, file_consts, item_facts
from svixbt.pipeline import FileScan, scan_source
from svixbt.sources import SourceFile


def scan(src: str) -> FileScan:
    return scan_source(SourceFile(Path("t.rs"), textwrap.dedent(src), 0))


def facts_of(src: str, name: str = "subject") -> ItemFacts:
    fs = scan(src)
    matches = [i for i, it in enumerate(fs.items) if it.name == name]
    assert len(matches) == 1, [it.name for it in fs.items]
    return item_facts(fs, matches[0])


def test_every_fact_carries_its_own_source_text() -> None:
    src = """
    use std::time::Duration;
    const IDLE: Duration = Duration::from_secs(60 * 30);
    async fn subject(db: &Db) -> Result<()> {
        loop {
            match work(db).await {
                Err(e) => tracing::error!("failed: {e}"),
                Ok(n) => if n > 0 { tracing::debug!(n, "did") },
            }
            tokio::time::sleep(IDLE).await;
        }
    }
    """
    fs = scan(src)
    f = item_facts(fs, next(i for i, it in enumerate(fs.items) if it.name == "subject"))
    for fact in [*f.calls, *f.waits, *f.logs, *f.exits, *f.assigns, *f.consts]:
        assert fs.text[fact.src.start : fact.src.end] == fact.src.text


def test_file_consts_and_comments() -> None:
    src = """
    // Wait this long when there is nothing to do.
    // Long enough to keep the database quiet.
    const IDLE: Duration = Duration::from_secs(60 * 60 * 12);
    const BATCH: u32 = 5_000;
    const HALF: u32 = BATCH / 2;
    async fn subject() { let _ = (IDLE, HALF); }
    """
    fs = scan(src)
    assert file_consts(fs) == {"IDLE": 43200.0, "BATCH": 5000.0, "HALF": 2500.0}
    f = facts_of(src)
    idle = f.const("IDLE")
    assert idle is not None and idle.is_duration and idle.value == 43200.0
    assert idle.comment == (
        "Wait this long when there is nothing to do. Long enough to keep the database quiet."
    )
    half = f.const("HALF")
    assert half is not None and not half.is_duration and half.value == 2500.0


def test_signature_params_and_return() -> None:
    f = facts_of(
        """
        pub async fn subject(pool: &DatabaseConnection, mut rx: Receiver<u8>, limit: u32) -> Result<()> {
            Ok(())
        }
        """
    )
    assert f.params == [("pool", "&DatabaseConnection"), ("rx", "Receiver<u8>"), ("limit", "u32")]
    assert f.returns == "Result<()>"
    assert f.is_async and f.is_pub


def test_signature_after_a_restricted_visibility() -> None:
    # `pub(super)` has brackets of its own before the name: they are not the parameter list.
    f = facts_of(
        """
        #[op(id = "x")]
        pub(super) async fn subject(State(s): State<App>, Path(id): Path<Id>) -> Result<Out> {
            Ok(Out)
        }
        """
    )
    assert f.params == [("s", "State<App>"), ("id", "Path<Id>")]
    assert f.returns == "Result<Out>"


def test_calls_know_await_propagation_and_kind() -> None:
    f = facts_of(
        """
        async fn subject(db: &Db) -> Result<()> {
            let tx = db.begin().await?;
            helper(&tx, 3).await;
            tx.commit().await?;
            tracing::info!("done");
            Ok(())
        }
        """
    )
    calls = {c.written: c for c in f.calls}
    assert calls[".begin"].awaited and calls[".begin"].propagates
    assert calls[".begin"].kind == "method" and calls[".begin"].receiver == "db"
    assert calls["helper"].awaited and not calls["helper"].propagates
    assert calls["helper"].args == ["&tx", "3"]
    assert calls["tracing::info!"].kind == "macro"


def test_sleeps_intervals_and_timeouts_with_values() -> None:
    f = facts_of(
        """
        use tokio::time::{interval, sleep, timeout};
        const STEP: Duration = Duration::from_millis(250);
        async fn subject() {
            let mut tick = interval(Duration::from_secs(1));
            tick.tick().await;
            sleep(STEP).await;
            let _ = timeout(Duration::from_secs(3), fetch()).await;
        }
        """
    )
    by_role = {w.role: w for w in f.waits}
    assert by_role["interval"].mechanism == "tokio::time::interval"
    assert by_role["interval"].seconds == 1.0
    assert by_role["sleep"].seconds == 0.25 and by_role["sleep"].const == "STEP"
    assert by_role["timeout"].seconds == 3.0
    assert by_role["tick"].src.text == "tick.tick()" and by_role["tick"].var == "tick"


def test_logs_message_fields_and_level() -> None:
    f = facts_of(
        """
        use tracing::warn;
        fn subject(n: u64) {
            warn!(n, "slow pass");
            tracing::error!(error = ?e, "failed");
            log::debug!("plain {}", n);
        }
        """
    )
    assert [(lg.level, lg.message) for lg in f.logs] == [
        ("warn", "slow pass"),
        ("error", "failed"),
        ("debug", "plain {}"),
    ]
    assert f.logs[1].fields == ["error"]


def test_a_bare_log_macro_without_its_import_is_not_a_log() -> None:
    f = facts_of('fn subject() { info!("mine"); }\nmacro_rules! info { ($x:expr) => {} }\n')
    assert f.logs == []


def test_sql_verbs_tables_and_clauses() -> None:
    f = facts_of(
        """
        async fn subject(db: &Db) {
            db.run(r#"DELETE FROM attempt WHERE id IN (SELECT id FROM attempt LIMIT $1 FOR UPDATE SKIP LOCKED)"#).await;
            db.run("SET LOCAL statement_timeout = 0").await;
            db.run("SELECT name FROM app").await;
        }
        """
    )
    delete, timeout, select = f.sql
    assert delete.verbs == ["DELETE"] and delete.tables == ["attempt"]
    assert delete.limit and delete.skip_locked
    assert timeout.statement_timeout == "0" and timeout.local
    assert select.verbs == ["SELECT"] and not select.limit


def test_for_update_is_a_lock_not_an_update() -> None:
    f = facts_of(
        """
        async fn subject(db: &Db) {
            db.run("DELETE FROM t WHERE id IN (SELECT id FROM t LIMIT 5 FOR UPDATE SKIP LOCKED)").await;
        }
        """
    )
    assert f.sql[0].verbs == ["DELETE"]


def test_assignments_with_if_else_and_field_targets() -> None:
    f = facts_of(
        """
        async fn subject(&mut self, n: u64) {
            let mut wait = None;
            wait = if n < BATCH { Some(IDLE) } else { None };
            self.schedule = &self.schedule[1..];
        }
        """
    )
    by_var = {a.var: a for a in f.assigns if not a.is_let}
    assert by_var["wait"].branches == ("n < BATCH", "Some(IDLE)", "None")
    assert by_var["self.schedule"].value == "&self.schedule[1..]"


def test_schedules_backoff_and_jitter_evaluated() -> None:
    f = facts_of(
        """
        const JITTER: f32 = 0.25;
        const RETRIES: &[Duration] = &[Duration::from_secs(1), Duration::from_secs(5)];
        async fn subject() {
            let _ = RETRIES;
            let delays = [Duration::from_secs(60 * 11 + 15), Duration::from_secs(60 * 45)];
            let mut backoff = Duration::from_secs(5);
            backoff = (backoff * 2).min(Duration::from_secs(600));
            let d = rand::random_range(backoff.mul_f32(1.0 - JITTER)..=backoff.mul_f32(1.0 + JITTER));
        }
        """
    )
    schedules = {s.name: s.seconds for s in f.schedules}
    assert schedules == {"RETRIES": [1.0, 5.0], "delays": [675.0, 2700.0]}
    (b,) = f.backoffs
    assert (b.var, b.factor, b.cap_seconds) == ("backoff", 2.0, 600.0)
    (j,) = f.jitters
    assert (j.fraction, j.const, j.base) == (0.25, "JITTER", "backoff")


def test_exits_and_tail() -> None:
    f = facts_of(
        """
        async fn subject(t: Token) -> Result<()> {
            let x = load().await?;
            while !t.is_cancelled() {
                if x > 3 { break; }
                continue;
            }
            Ok(())
        }
        """
    )
    assert [e.kind for e in f.exits] == ["question", "break", "continue"]
    assert f.tail is not None and f.tail.text == "Ok(())"


def test_question_marks_that_are_not_propagation() -> None:
    f = facts_of(
        """
        fn subject<T: ?Sized>(x: &T) {
            tracing::debug!(value = ?x, "seen");
        }
        """
    )
    assert [e for e in f.exits if e.kind == "question"] == []


def test_detached_and_per_element_spawns() -> None:
    f = facts_of(
        """
        async fn subject(items: Vec<u8>) {
            // Fire and forget.
            tokio::spawn(async { monitor().await });
            let handles: Vec<_> = items.into_iter().map(|i| tokio::spawn(work(i))).collect();
        }
        """
    )
    detached, mapped = f.spawns
    assert detached.handle == "dropped" and detached.repeated == ""
    assert mapped.repeated == ".map(..)"


def test_a_match_arm_with_a_leading_pipe_is_no_closure() -> None:
    """`| Err(e) if .. => { ..; return Ok(None); }`: the arm's `return`s leave the fn (read as a
    closure's, "Only `return Ok(Some(file))` gets out of the loop" was false: held-out read 12)."""
    f = facts_of(
        textwrap.dedent(
            """\
            async fn subject(p: &P) -> Result<Option<u8>> {
                loop {
                    match p.get().await {
                        | Ok(file) => return Ok(Some(file)),
                        | Err(e) if e.missing() => {
                            return Ok(None);
                        },
                        | Err(e) => return Err(e),
                    }
                }
            }
            """
        )
    )
    assert [e.expr for e in f.exits if e.kind == "return"] == [
        "Ok(Some(file))",
        "Ok(None)",
        "Err(e)",
    ]
    assert f.flow is not None
    heads = [r.head for r in f.flow.regions if r.kind == "arm"]
    assert heads == ["Ok(file)", "Err(e) if e.missing()", "Err(e)"]
    assert not [r for r in f.flow.regions if r.kind == "closure"]


def test_a_log_macro_re_exported_by_another_crate_is_a_log_line() -> None:
    """`use corelib::{error, warn};` then `error!(..)`: a line at error level all the same."""
    f = facts_of(
        textwrap.dedent(
            """\
            use corelib::{error, warn};

            async fn subject(s: &S) {
                if let Err(e) = s.reload() {
                    error!("Failed to reload config: {e}");
                }
                hbb::log::info!("reloaded");
            }
            """
        )
    )
    assert [(g.level, g.message) for g in f.logs] == [
        ("error", "Failed to reload config: {e}"),
        ("info", "reloaded"),
    ]
