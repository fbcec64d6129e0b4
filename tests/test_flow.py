"""The region tree: which task, loop, branch and condition each token of an item lives in."""

from __future__ import annotations

from svixbt.facts import item_facts
from svixbt.pipeline import FileScan, scan_source
from svixbt.sources import SourceFile


def scan(text: str) -> FileScan:
    from pathlib import Path

    return scan_source(SourceFile(Path("t.rs"), text, 0))


def facts_of(text: str, name: str):  # type: ignore[no-untyped-def]
    fs = scan(text)
    idx = next(i for i, it in enumerate(fs.items) if it.name == name)
    return item_facts(fs, idx)


MONITOR = """
use std::time::Duration;
pub async fn watch() {
    tokio::spawn(async {
        let mut ticker = tokio::time::interval(Duration::from_millis(500));
        loop {
            ticker.tick().await;
        }
    });
    loop {
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
}
"""


def test_a_spawned_tasks_interval_is_not_the_loops_own() -> None:
    f = facts_of(MONITOR, "watch")
    interval = next(w for w in f.waits if w.role == "interval")
    sleep = next(w for w in f.waits if w.role == "sleep")
    assert not f.own(interval.region)
    assert f.own(sleep.region)
    assert f.flow is not None
    assert f.flow.task_of(interval.region).kind == "spawn"


def test_conditions_are_kept_with_their_branch() -> None:
    f = facts_of(
        """
async fn tick(rows: u64) {
    loop {
        if rows > 0 {
            tracing::debug!("did {}", rows);
        } else {
            tracing::info!("idle");
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
""",
        "tick",
    )
    assert f.flow is not None
    debug = next(lg for lg in f.logs if lg.level == "debug")
    info = next(lg for lg in f.logs if lg.level == "info")
    assert [r.head for r in f.flow.conditions(debug.region)] == ["rows > 0"]
    assert [r.kind for r in f.flow.conditions(info.region)] == ["else"]


def test_join_branches_and_select_handlers() -> None:
    f = facts_of(
        """
async fn both(t: tokio_util::sync::CancellationToken) {
    tokio::join!(a(), async { b().await });
    loop {
        tokio::select! {
            _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
            _ = t.cancelled() => break,
        }
    }
}
""",
        "both",
    )
    assert f.flow is not None
    kinds = [r.kind for r in f.flow.regions]
    assert kinds.count("join-branch") == 2
    handlers = [r for r in f.flow.regions if r.kind == "select-handler"]
    assert [h.detail for h in handlers] == [
        "tokio::time::sleep(std::time::Duration::from_secs(5))",
        "t.cancelled()",
    ]
    brk = next(e for e in f.exits if e.kind == "break")
    assert f.flow.inside(brk.region, handlers[1].id)


def test_macro_bodies_are_token_trees_not_branches() -> None:
    f = facts_of(
        """
fn is_retryable(e: &Error) -> bool {
    matches!(e, Error::Http { status, .. } if status == 429)
}
""",
        "is_retryable",
    )
    assert f.flow is not None
    assert [r.kind for r in f.flow.regions] == ["fn"]


def test_spawn_inside_a_for_loop_is_one_task_per_element() -> None:
    f = facts_of(
        """
async fn fan_out(jobs: Vec<u32>) {
    for job in jobs {
        tokio::spawn(async move { work(job).await });
    }
}
""",
        "fan_out",
    )
    (sp,) = f.spawns
    assert sp.repeated == "for job in jobs"
    assert sp.handle == "dropped"


def test_a_kept_handle_is_named() -> None:
    f = facts_of(
        """
async fn keep() {
    let handle = tokio::task::spawn_blocking(|| heavy());
    handle.await.unwrap();
}
""",
        "keep",
    )
    (sp,) = f.spawns
    assert sp.handle == "bound:handle"
    assert sp.mechanism == "tokio::task::spawn_blocking"


def test_a_loop_pattern_with_braces_is_part_of_the_head_not_the_body() -> None:
    """`for Query { repos, queries } in &actions {`: the body is the brace after `in`, not the
    pattern's (triagebot: the nested loops came out as siblings)."""
    f = facts_of(
        """
pub async fn run(actions: &[Query]) {
    for Query { repos, queries } in actions {
        for repo in repos {
            while let Item { id, .. } = queries.next_item() {
                tokio::time::sleep(std::time::Duration::from_secs(*id)).await;
            }
        }
    }
}
""",
        "run",
    )
    loops = [r for r in f.flow.regions if r.kind == "loop"]
    assert [r.head.replace(" ", "") for r in loops] == [
        "Query{repos,queries}inactions",
        "repoinrepos",
        "letItem{id,..}=queries.next_item()",
    ]
    assert loops[1].parent == loops[0].id and loops[2].parent == loops[1].id
    (sleep,) = [w for w in f.waits if w.role == "sleep"]
    assert f.flow.loop_of(sleep.region) is loops[2]


OPERANDS = """
pub async fn gauges(on: bool, x: &u8, y: &&u8) {
    if on && let Err(e) = first().await {}
    if on || second().await {}
    if third(|| on).await {}
    if x == *y && fourth(&&5).await {}
    while let Some(v) = fifth().await {}
}
"""


def test_a_call_after_a_top_level_and_or_or_in_a_head_is_behind_an_operand() -> None:
    """`&&` and `||` come from the lexer as two tokens; a closure's `||` or a `&&x` reference
    inside brackets is no operator of the head."""
    f = facts_of(OPERANDS, "gauges")
    assert f.flow is not None
    behind = {c.name: f.flow.behind_operand(c.src.start) for c in f.calls if c.name.islower()}
    assert behind == {
        "first": True,
        "second": True,
        "third": False,
        "fourth": True,
        "fifth": False,
    }, behind
