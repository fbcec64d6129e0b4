// SPDX-FileCopyrightText: 2024 The svixbt sample authors
// SPDX-License-Identifier: MIT

//! Background pruning of stale delivery attempts.
//!
//! Every webhook delivery leaves one row per attempt in `delivery_attempt`. Once an
//! attempt is older than the retention window and its endpoint has moved on, the row
//! (including its captured response body) is dead weight. This module trims those rows
//! in small batches so the table stays lean without long-running locks.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};

/// Shared handle to the primary database.
type Db = DatabaseConnection;

/// Runs one statement in its own transaction with a per-statement timeout.
///
/// The timeout is scoped with `SET LOCAL`, so it never leaks onto the pooled
/// connection once the transaction ends.
async fn run_in_txn(db: &Db, stmt: Statement, statement_timeout_ms: u64) -> Result<u64> {
    let txn = db.begin().await?;
    txn.execute(Statement::from_string(
        DbBackend::Postgres,
        format!("SET LOCAL statement_timeout = {statement_timeout_ms}"),
    ))
    .await?;
    let outcome = txn.execute(stmt).await?;
    txn.commit().await?;
    Ok(outcome.rows_affected())
}

/// Reports whether the attempt table already has the `finished_at` column the
/// pruner filters on. Older schemas (before the attempt-lifecycle migration)
/// lack it, and pruning them would delete in-flight attempts.
async fn attempt_lifecycle_migrated(db: &Db) -> Result<bool> {
    let row = db
        .query_one(Statement::from_string(
            DbBackend::Postgres,
            "SELECT 1 AS present FROM information_schema.columns \
             WHERE table_name = 'delivery_attempt' AND column_name = 'finished_at'",
        ))
        .await?;
    Ok(row.is_some())
}

/// Deletes up to `limit` finished delivery attempts older than `retention`.
///
/// Rows are picked with `FOR UPDATE SKIP LOCKED`, so several server replicas can
/// prune at the same time without waiting on each other, and a dispatcher that is
/// still writing an attempt is never blocked by the pruner.
///
/// Returns how many rows were removed; a value equal to `limit` means there is
/// probably more to do.
pub async fn prune_stale_attempts_batch(
    db: &Db,
    retention: Duration,
    limit: u32,
    statement_timeout_ms: u64,
) -> Result<u64> {
    let stmt = Statement::from_sql_and_values(
        DbBackend::Postgres,
        r#"
        DELETE FROM delivery_attempt
        WHERE id IN (
            SELECT id FROM delivery_attempt
            WHERE finished_at IS NOT NULL
              AND finished_at < now() - make_interval(secs => $2)
            ORDER BY finished_at
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        )
        "#,
        [i64::from(limit).into(), retention.as_secs_f64().into()],
    );
    run_in_txn(db, stmt, statement_timeout_ms).await
}

/// Tuning knobs for the stale attempt pruner.
#[derive(Debug, Clone)]
pub struct PrunerConfig {
    /// How long a finished attempt is kept before it may be pruned.
    pub retention: Duration,
    /// Upper bound on a single DELETE statement, enforced by Postgres.
    pub statement_timeout: Duration,
    /// Delay before the first batch, so pruning stays out of the way of startup.
    pub startup_delay: Duration,
}

impl Default for PrunerConfig {
    fn default() -> Self {
        Self {
            retention: Duration::from_secs(60 * 60 * 24 * 30),
            statement_timeout: Duration::from_millis(20_000),
            startup_delay: Duration::from_millis(5_000),
        }
    }
}

/// Sleeps for `d`, waking early if `shutdown` is cancelled.
async fn nap(d: Duration, shutdown: &CancellationToken) {
    tokio::select! {
        _ = tokio::time::sleep(d) => {}
        _ = shutdown.cancelled() => {}
    }
}

/// Long-running task that prunes stale delivery attempts until shutdown.
///
/// A full batch is followed immediately by the next one, so a backlog drains
/// quickly; once a batch comes back short the task idles for half an hour. A failed
/// batch is logged and retried after a short delay rather than ending the task.
pub async fn stale_attempt_pruner_loop(
    db: Db,
    config: PrunerConfig,
    shutdown: CancellationToken,
) -> Result<()> {
    if !attempt_lifecycle_migrated(&db).await? {
        tracing::info!(
            "delivery_attempt.finished_at is missing; stale attempt pruner stays disabled"
        );
        return Ok(());
    }

    const IDLE: Duration = Duration::from_secs(60 * 30);
    const ON_ERROR: Duration = Duration::from_secs(15);
    const BATCH_SIZE: u32 = 2_500;

    let timeout_ms = u64::try_from(config.statement_timeout.as_millis())
        .map_err(|_| Error::generic("statement timeout does not fit in u64 milliseconds"))?;

    let mut sleep: Option<Duration> = Some(config.startup_delay);
    while !crate::shutdown_requested() {
        if let Some(d) = sleep.take() {
            nap(d, &shutdown).await;
            if shutdown.is_cancelled() {
                break;
            }
        }

        let started = Instant::now();
        match prune_stale_attempts_batch(&db, config.retention, BATCH_SIZE, timeout_ms).await {
            Err(err) => {
                tracing::error!(error = ?err, "stale attempt pruning failed");
                sleep = Some(ON_ERROR);
            }
            Ok(removed) => {
                tracing::debug!(
                    removed,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "pruned stale delivery attempts"
                );
                sleep = if removed >= u64::from(BATCH_SIZE) {
                    None
                } else {
                    Some(IDLE)
                };
            }
        }
    }

    tracing::info!("stale attempt pruner stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_keeps_thirty_days() {
        let cfg = PrunerConfig::default();
        assert_eq!(cfg.retention, Duration::from_secs(2_592_000));
        assert!(cfg.startup_delay < cfg.statement_timeout);
    }

    #[tokio::test]
    async fn nap_returns_early_on_cancel() {
        let token = CancellationToken::new();
        token.cancel();
        let started = Instant::now();
        nap(Duration::from_secs(3_600), &token).await;
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
