"""Every tag rule, one hit and one near miss each, on small Rust snippets written for these tests.

The subject of a snippet is its last file-level item (a fn unless the rule looks at attributes of
some other kind of item). A near miss is the same words where they must not count: in a comment or
a string, on a different path, or in a shape the rule does not describe.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from svixbt import rules
from svixbt.pipeline import scan_source
from svixbt.rules import RULES, Hit, Rule, hits_per_item, match_item, match_tokens, rule_by_id
from svixbt.scanner import Item, ScanResult, scan_text
from svixbt.sources import SourceFile
from svixbt.symbols import use_map

KNOWN_MATCHERS = {"call", "method", "ident", "string", "token", "loop_await", "err_arm", "attr"}


def rs(src: str) -> str:
    return textwrap.dedent(src)


def subject(scan: ScanResult) -> Item:
    top = [it for it in scan.items if it.parent is None]
    assert top, "snippet has no item"
    return top[-1]


def hits_of(src: str) -> list[Hit]:
    scan = scan_text(src)
    assert not scan.problems, scan.problems
    return match_item(scan, subject(scan), use_map(scan.uses))


def rule_ids(src: str) -> set[str]:
    return {h.rule for h in hits_of(src)}


# rule id -> (hit snippet, near-miss snippet)
FIXTURES: dict[str, tuple[str, str]] = {
    "tokio-spawn": (
        rs(
            """\
            fn subject(job: Job) {
                tokio::spawn(async move { job.run().await });
            }
            """
        ),
        rs(
            """\
            fn subject(job: Job) {
                // tokio::spawn(async move { job.run().await });
                let note = "tokio::spawn(";
                std::thread::spawn(move || job.block());
            }
            """
        ),
    ),
    "tokio-join": (
        rs(
            """\
            async fn subject() {
                let (a, b) = tokio::join!(left(), right());
            }
            """
        ),
        rs(
            """\
            async fn subject() {
                let (a, b) = futures::join!(left(), right());
            }
            """
        ),
    ),
    "tokio-select": (
        rs(
            """\
            async fn subject(rx: Rx, stop: Stop) {
                tokio::select! {
                    _ = rx.recv() => {}
                    _ = stop.wait() => {}
                }
            }
            """
        ),
        rs(
            """\
            async fn subject(rx: Rx, stop: Stop) {
                futures::select! {
                    _ = rx.recv() => {}
                    _ = stop.wait() => {}
                }
            }
            """
        ),
    ),
    "tokio-sleep": (
        rs(
            """\
            async fn subject(d: Duration) {
                tokio::time::sleep(d).await;
            }
            """
        ),
        rs(
            """\
            fn subject(d: Duration) {
                std::thread::sleep(d);
            }
            """
        ),
    ),
    "tokio-interval": (
        rs(
            """\
            async fn subject(d: Duration) {
                let mut tick = tokio::time::interval(d);
                tick.tick().await;
            }
            """
        ),
        rs(
            """\
            async fn subject(d: Duration) {
                // let mut tick = tokio::time::interval(d);
                let every = d * 2;
            }
            """
        ),
    ),
    "tokio-timeout": (
        rs(
            """\
            async fn subject(d: Duration) {
                let r = tokio::time::timeout(d, work()).await;
            }
            """
        ),
        rs(
            """\
            async fn subject(d: Duration) {
                let label = "tokio::time::timeout(";
                let r = work_with_timeout(d).await;
            }
            """
        ),
    ),
    "polling-loop": (
        rs(
            """\
            async fn subject(rx: Rx) {
                loop {
                    let job = rx.recv().await;
                }
            }
            """
        ),
        rs(
            """\
            async fn subject(rx: Rx) {
                let mut n = 0;
                loop {
                    n += 1;
                    if n > 3 {
                        break;
                    }
                }
                rx.recv().await;
            }
            """
        ),
    ),
    "shutdown-token": (
        rs(
            """\
            async fn subject(token: Token) {
                token.cancelled().await;
            }
            """
        ),
        rs(
            """\
            async fn subject(token: Token) {
                // wait until cancelled
                let cancelled_jobs = token.count();
            }
            """
        ),
    ),
    "shutdown-name": (
        rs(
            """\
            fn subject(flags: &Flags) -> bool {
                flags.shutting_down.load(Relaxed)
            }
            """
        ),
        rs(
            """\
            fn subject(flags: &Flags) -> &'static str {
                // shutdown handled elsewhere
                "shutdown"
            }
            """
        ),
    ),
    "shutdown-signal": (
        rs(
            """\
            async fn subject() {
                tokio::signal::ctrl_c().await.ok();
            }
            """
        ),
        rs(
            """\
            async fn subject() {
                // tokio::signal::ctrl_c().await
                wait_for_key().await;
            }
            """
        ),
    ),
    "error-match-err": (
        rs(
            """\
            fn subject(r: Result<u8, E>) -> u8 {
                match r {
                    Ok(v) => v,
                    Err(e) => 0,
                }
            }
            """
        ),
        rs(
            """\
            fn subject(e: E) -> Result<u8, E> {
                Err(e)
            }
            """
        ),
    ),
    "error-question": (
        rs(
            """\
            fn subject() -> Result<u8, E> {
                let v = parse()?;
                Ok(v)
            }
            """
        ),
        rs(
            """\
            fn subject() -> &'static str {
                // really?
                "really?"
            }
            """
        ),
    ),
    "error-map-err": (
        rs(
            """\
            fn subject() -> Result<u8, E> {
                parse().map_err(|e| E::from(e))
            }
            """
        ),
        rs(
            """\
            fn subject() -> Result<u8, E> {
                map_err(parse())
            }
            """
        ),
    ),
    "error-log": (
        rs(
            """\
            fn subject(e: E) {
                tracing::error!(?e, "failed");
            }
            """
        ),
        rs(
            """\
            fn subject(e: E) {
                tracing::info!(?e, "failed");
            }
            """
        ),
    ),
    "retry-backoff": (
        rs(
            """\
            fn subject() {
                let mut backoff = 1;
            }
            """
        ),
        rs(
            """\
            fn subject() {
                // retry with backoff
                let label = "retry";
            }
            """
        ),
    ),
    "batch-name": (
        rs(
            """\
            fn subject(rows: &[Row]) {
                let batch = rows.len();
            }
            """
        ),
        rs(
            """\
            fn subject(rows: &[Row]) {
                // one batch at a time
                let n = "batch";
            }
            """
        ),
    ),
    "batch-limit": (
        rs(
            """\
            fn subject() -> &'static str {
                "SELECT id FROM job ORDER BY id LIMIT 100"
            }
            """
        ),
        rs(
            """\
            fn subject() -> &'static str {
                // LIMIT 100
                "SELECT id FROM unlimited_job"
            }
            """
        ),
    ),
    "row-locking": (
        rs(
            """\
            fn subject() -> &'static str {
                "SELECT id FROM job FOR UPDATE SKIP LOCKED"
            }
            """
        ),
        rs(
            """\
            fn subject() -> &'static str {
                "SELECT id FROM job FOR UPDATE"
            }
            """
        ),
    ),
    "transaction": (
        rs(
            """\
            async fn subject(db: &Db) {
                let tx = db.begin().await;
            }
            """
        ),
        rs(
            """\
            async fn subject(db: &Db) {
                let snap = db.begin_read().await;
                begin();
            }
            """
        ),
    ),
    "statement-timeout": (
        rs(
            """\
            fn subject() -> &'static str {
                "SET LOCAL statement_timeout = 5000"
            }
            """
        ),
        rs(
            """\
            fn subject() -> &'static str {
                "SET LOCAL lock_timeout = 5000"
            }
            """
        ),
    ),
    "tracing": (
        rs(
            """\
            fn subject(n: u64) {
                tracing::info!(n, "pruned");
            }
            """
        ),
        rs(
            """\
            fn subject(n: u64) {
                // tracing::info!(n, "pruned");
                println!("{n}");
            }
            """
        ),
    ),
    "tracing-instrument": (
        rs(
            """\
            #[tracing::instrument(skip(db))]
            async fn subject(db: &Db) {}
            """
        ),
        rs(
            """\
            // #[tracing::instrument(skip(db))]
            #[inline]
            async fn subject(db: &Db) {}
            """
        ),
    ),
    "timing": (
        rs(
            """\
            fn subject() {
                let t0 = std::time::Instant::now();
            }
            """
        ),
        rs(
            """\
            fn subject() {
                let t0 = std::time::SystemTime::now();
            }
            """
        ),
    ),
    "db-entity": (
        rs(
            """\
            #[derive(Clone, Debug, DeriveEntityModel)]
            #[sea_orm(table_name = "job")]
            pub struct Subject {
                pub id: i64,
            }
            """
        ),
        rs(
            """\
            /// Not a DeriveEntityModel.
            #[derive(Clone, Debug)]
            pub struct Subject {
                pub id: i64,
            }
            """
        ),
    ),
    "db-migration": (
        rs(
            """\
            async fn subject(manager: &SchemaManager) {}
            """
        ),
        rs(
            """\
            async fn subject(schema_manager: &Manager) {
                // SchemaManager is not used here
            }
            """
        ),
    ),
    "openapi-path": (
        rs(
            """\
            #[utoipa::path(get, path = "/api/v1/job")]
            async fn subject() {}
            """
        ),
        rs(
            """\
            #[axum::debug_handler]
            async fn subject() {
                let p = "utoipa::path";
            }
            """
        ),
    ),
    "openapi-spec": (
        rs(
            """\
            fn subject() -> OpenApi {
                ApiDoc::build()
            }
            """
        ),
        rs(
            """\
            fn subject() -> &'static str {
                // OpenApi built elsewhere
                "openapi"
            }
            """
        ),
    ),
}


def test_fixture_table_covers_every_rule() -> None:
    assert sorted(FIXTURES) == sorted(r.id for r in RULES)


def test_rule_table_is_well_formed() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)), "duplicate rule ids"
    for r in RULES:
        assert r.id.strip(), r
        assert r.tag.strip(), r
        assert r.description.strip(), r
        assert r.matcher in KNOWN_MATCHERS, r
        assert r.pattern, r
        if r.matcher != "token":  # token patterns are literal text, the rest regexes
            r.compiled()
        assert rule_by_id(r.id) is r
    with pytest.raises(KeyError, match="no-such-rule"):
        rule_by_id("no-such-rule")


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_rule_hits(rule_id: str) -> None:
    src, _ = FIXTURES[rule_id]
    scan = scan_text(src)
    item = subject(scan)
    rule = rule_by_id(rule_id)
    mine = [h for h in hits_of(src) if h.rule == rule_id]
    assert mine
    for h in mine:
        # A hit points at its evidence: in the item (its attributes, for an attribute rule), on
        # the right line, with the text found there.
        lo, hi = (
            (item.start, item.keyword_start)
            if rule.matcher == "attr"
            else (item.keyword_start, item.end)
        )
        assert lo <= h.offset < hi, h
        assert h.line == src.count("\n", 0, h.offset) + 1, h
        if rule.matcher == "string":
            assert h.text in scan.texts[scan.starts.index(h.offset)], h
        elif rule.matcher == "attr":
            assert any(src.startswith(a, h.offset) and h.text in a for a in item.attrs), h
        elif rule.matcher == "err_arm":
            assert h.text == "Err(..) =>" and src.startswith("Err(", h.offset), h
        else:
            assert src.startswith(h.text, h.offset), h


@pytest.mark.parametrize(
    "rule_id",
    [r for r in sorted(FIXTURES)],
)
def test_rule_near_miss(rule_id: str) -> None:
    _, miss = FIXTURES[rule_id]
    assert rule_id not in rule_ids(miss)


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_pipeline_agrees_with_fixtures(rule_id: str) -> None:
    """The same table through pipeline.scan_source, which is what generate uses."""
    hit, miss = FIXTURES[rule_id]
    for src, expect in ((hit, True), (miss, False)):
        fs = scan_source(SourceFile(Path("t.rs"), src, 0))
        idx = fs.items.index(subject(fs.scan))
        assert (rule_id in {h.rule for h in fs.hits[idx]}) is expect, src


def test_hit_carries_evidence_and_line() -> None:
    src = (
        "use std::time::Duration;\n\nasync fn subject() {\n\n    tokio::time::sleep(D).await;\n}\n"
    )
    hits = [h for h in hits_of(src) if h.rule == "tokio-sleep"]
    assert len(hits) == 1
    assert hits[0].line == 5
    assert hits[0].text == "tokio::time::sleep"
    assert src[hits[0].offset :].startswith("tokio::time::sleep(")


def test_sleep_resolved_through_use() -> None:
    src = "use tokio::time::sleep;\n\nasync fn subject(d: Duration) {\n    sleep(d).await;\n}\n"
    hits = [h for h in hits_of(src) if h.rule == "tokio-sleep"]
    assert [h.text for h in hits] == ["sleep"]


def test_module_import_resolves_too() -> None:
    src = "use tokio::time;\n\nasync fn subject(d: Duration) {\n    time::sleep(d).await;\n}\n"
    assert "tokio-sleep" in rule_ids(src)


def test_local_sleep_without_import_is_not_tokio() -> None:
    src = (
        "async fn sleep(d: Duration) {}\n\n"
        "async fn subject(d: Duration) {\n    sleep(d).await;\n}\n"
    )
    assert "tokio-sleep" not in rule_ids(src)


def test_aliased_import_resolves() -> None:
    src = (
        "use tokio::spawn as launch;\n\n"
        "fn subject(j: Job) {\n    launch(async move { j.run().await });\n}\n"
    )
    assert "tokio-spawn" in rule_ids(src)


def test_task_spawn_variants_hit() -> None:
    for call in ("tokio::task::spawn", "tokio::task::spawn_blocking", "tokio::spawn"):
        src = f"fn subject() {{\n    {call}(work());\n}}\n"
        assert "tokio-spawn" in rule_ids(src), call


def test_test_only_import_does_not_resolve() -> None:
    src = (
        "#[cfg(test)]\nuse tokio::time::sleep;\n\n"
        "async fn subject(d: Duration) {\n    sleep(d).await;\n}\n"
    )
    assert "tokio-sleep" not in rule_ids(src)


def test_while_loop_awaiting_in_body_hits() -> None:
    src = (
        "async fn subject(stop: &Stop) {\n"
        "    while !stop.is_set() {\n        tick().await;\n    }\n}\n"
    )
    assert "polling-loop" in rule_ids(src)


def test_loop_hit_is_the_loop_keyword() -> None:
    src = "async fn subject(rx: Rx) {\n    loop {\n        rx.recv().await;\n    }\n}\n"
    hits = [h for h in hits_of(src) if h.rule == "polling-loop"]
    assert [(h.text, h.line) for h in hits] == [("loop", 2)]


def test_err_arm_with_nested_pattern_hits() -> None:
    src = (
        "fn subject(r: Result<u8, E>) -> u8 {\n"
        "    match r {\n        Err(E::Timeout(_)) => 1,\n        _ => 0,\n    }\n}\n"
    )
    assert "error-match-err" in rule_ids(src)


def test_if_let_err_is_not_a_match_arm() -> None:
    src = "fn subject(r: Result<u8, E>) {\n    if let Err(e) = r {\n        drop(e);\n    }\n}\n"
    assert "error-match-err" not in rule_ids(src)


def test_hits_of_other_items_do_not_leak() -> None:
    src = (
        "async fn other(d: Duration) {\n    tokio::time::sleep(d).await;\n}\n\n"
        "fn subject() -> u8 {\n    0\n}\n"
    )
    assert rule_ids(src) == set()


def test_while_let_awaiting_in_condition_is_a_polling_loop() -> None:
    src = (
        "async fn subject(mut rx: Rx) {\n"
        "    while let Some(job) = rx.recv().await {\n        handle(job);\n    }\n}\n"
    )
    assert "polling-loop" in rule_ids(src)


def test_guarded_err_arm_hits() -> None:
    src = (
        "fn subject(r: Result<u8, E>) -> u8 {\n"
        "    match r {\n        Err(e) if e.is_timeout() => 1,\n        _ => 0,\n    }\n}\n"
    )
    assert "error-match-err" in rule_ids(src)


def test_maybe_sized_bound_is_not_error_propagation() -> None:
    src = "fn subject<T: ?Sized>(x: &T) -> usize {\n    0\n}\n"
    assert "error-question" not in rule_ids(src)


def test_fn_local_use_resolves() -> None:
    src = "async fn subject(d: Duration) {\n    use tokio::time::sleep;\n    sleep(d).await;\n}\n"
    assert "tokio-sleep" in rule_ids(src)


def test_err_arm_pattern_names_the_constructor() -> None:
    # The pattern of an `err_arm` rule is the arm's constructor name, matched in full.
    timeout_arm = Rule("timeout-arm", "timeout", "an arm on Elapsed(..)", "err_arm", r"Elapsed")
    src = (
        "fn subject(r: R) -> u8 {\n    match r {\n        Elapsed(_) => 1,\n"
        "        Err(e) => 2,\n        ElapsedMore(_) => 3,\n        _ => 0,\n    }\n}\n"
    )
    scan = scan_text(src)
    hits = match_item(scan, subject(scan), {}, rules=(timeout_arm, rule_by_id("error-match-err")))
    assert [(h.rule, h.text, h.line) for h in hits] == [
        ("timeout-arm", "Elapsed(..) =>", 3),
        ("error-match-err", "Err(..) =>", 4),
    ]


@pytest.fixture
def nothing_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule table is compiled into a plan once per process and reused: start from nothing (no
    compiled pattern, no plan, no token verdicts kept), as the first scan of a process does."""
    monkeypatch.setattr(rules, "_CACHE", {})
    monkeypatch.setattr(rules, "_PLANS", {})
    monkeypatch.setattr(rules, "_LAST", [])


@pytest.mark.usefixtures("nothing_cached")
@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_rules_match_the_same_with_nothing_cached(rule_id: str) -> None:
    hit, miss = FIXTURES[rule_id]
    assert rule_id in rule_ids(hit)
    assert rule_id not in rule_ids(miss)


@pytest.mark.usefixtures("nothing_cached")
def test_while_loop_hits_with_nothing_cached() -> None:
    src = "async fn subject(rx: Rx) {\n    while go() {\n        rx.recv().await;\n    }\n}\n"
    assert [(h.rule, h.text) for h in hits_of(src)] == [("polling-loop", "while")]


def test_err_passed_as_a_function_is_not_a_match_arm() -> None:
    src = (
        "fn subject(r: Option<u8>, x: Option<u8>) -> u8 {\n    let _ = r.ok_or(0).map(Err);\n"
        "    match x {\n        Some(y) => y,\n        None => 0,\n    }\n}\n"
    )
    assert "error-match-err" not in rule_ids(src)


def test_an_err_arm_at_the_very_end_of_a_file() -> None:
    # Damaged files end anywhere; the arm check never reads past the last token.
    for text, arm in [
        ("fn a() {}\nErr", False),
        ("fn a() {}\nErr(", False),
        ("fn a() {}\nErr(x)", False),
        ("fn a() {}\nErr(x) =>", True),
        ("fn a() {}\nErr(x) if", False),
    ]:
        hits = match_tokens(scan_text(text), {})
        assert ("error-match-err" in {h.rule for h in hits}) is arm, text


def test_err_variant_of_another_type_is_not_a_result_arm() -> None:
    src = (
        "fn subject(s: Status) -> u8 {\n    match s {\n        Status::Err(code) => code,\n"
        "        _ => 0,\n    }\n}\n"
    )
    assert "error-match-err" not in rule_ids(src)


def test_attribute_rules_come_from_the_table_given() -> None:
    inline = Rule("inline", "inlined", "#[inline] on the item", "attr", r"\binline\b")
    src = "#[tracing::instrument]\n#[inline]\nfn subject() {}\n"
    scan = scan_text(src)
    hits = match_item(scan, subject(scan), {}, rules=(inline,))
    assert [(h.rule, h.text, h.line) for h in hits] == [("inline", "inline", 2)]
    assert {h.rule for h in match_item(scan, subject(scan), {})} == {"tracing-instrument"}


@pytest.mark.parametrize(
    "body",
    [
        "m!(loop); if ready { work().await; }",  # `loop` in a macro's tokens: no loop body
        "m! { loop } if ready { work().await; }",
        "ready().await; while busy() { spin(); }",  # the await before it is not its own
        "ready().await; loop { spin(); }",
        "loop { n.incr(); if n.done() { break; } }",  # method calls, no await
    ],
)
def test_loops_that_do_not_await_are_not_polling_loops(body: str) -> None:
    src = f"async fn subject(ready: bool, n: N) {{\n    {body}\n}}\n"
    assert "polling-loop" not in rule_ids(src)


def test_a_while_condition_with_a_block_inside_its_brackets() -> None:
    # The loop body is the first `{` outside the condition's own brackets.
    src = (
        "async fn subject() {\n    while ready(Config { n: 1 }, [Opts { x: 2 }]) {\n"
        "        tick().await;\n    }\n}\n"
    )
    assert "polling-loop" in rule_ids(src)


@pytest.mark.parametrize(
    ("tail", "loop"),
    [
        ("loop", False),
        ("while x", False),
        ("while x.await", False),  # no body: no loop, whatever its condition awaits
        ("loop { work().await", True),  # a body never closed runs to the end of the file
        ("loop { work(); }", False),
    ],
)
def test_a_loop_at_the_very_end_of_a_file(tail: str, loop: bool) -> None:
    hits = match_tokens(scan_text("fn a() {}\n" + tail), {})
    assert ("polling-loop" in {h.rule for h in hits}) is loop


def test_sql_quoted_in_a_comment_is_not_sql() -> None:
    src = (
        '/// Runs "SELECT id FROM job LIMIT 100 FOR UPDATE SKIP LOCKED".\n'
        "fn subject() -> u8 {\n"
        '    // was: "DELETE FROM job LIMIT 10"\n    /* "SET statement_timeout = 0" */\n    0\n}\n'
    )
    assert rule_ids(src) == set()


def test_a_definition_is_not_a_call_of_the_imported_name() -> None:
    # `interval` is imported from tokio, and a method of the same name is defined here.
    src = (
        "use tokio::time::interval;\n\nimpl Subject {\n"
        "    fn interval(&self) -> Duration {\n        self.every\n    }\n}\n"
    )
    assert "tokio-interval" not in rule_ids(src)
    called = src + "\nfn subject(d: Duration) {\n    let _t = interval(d);\n}\n"
    assert "tokio-interval" in rule_ids(called)


def test_a_call_path_at_the_very_start_of_the_text() -> None:
    hits = match_tokens(scan_text("tokio::time::sleep(d)"), {})
    assert [(h.rule, h.text, h.offset) for h in hits] == [("tokio-sleep", "tokio::time::sleep", 0)]


def test_attribute_hits_point_at_their_own_items_attribute() -> None:
    # Three items with the very same attribute: each hit is on its own item's line.
    src = "".join(f"#[tracing::instrument]\nfn f{i}() {{}}\n" for i in range(3))
    scan = scan_text(src)
    per_item = hits_per_item(scan, match_tokens(scan, {}))
    assert [[(h.rule, h.line) for h in hits] for hits in per_item] == [
        [("tracing-instrument", 1)],
        [("tracing-instrument", 3)],
        [("tracing-instrument", 5)],
    ]
    inline = Rule("inline", "inlined", "#[inline] on the item", "attr", r"\binline\b")
    table = (inline,)
    scan = scan_text("#[tracing::instrument]\n#[inline]\nfn f() {}\n")
    hits = hits_per_item(scan, match_tokens(scan, {}, rules=table), rules=table)
    assert [[h.rule for h in item_hits] for item_hits in hits] == [["inline"]]


def test_a_guard_with_no_arm_after_it_is_not_a_match_arm() -> None:
    # `matches!(r, Err(e) if ..)` has the shape of a guarded arm but no `=>`: the search for the
    # arrow stops at the end of the statement, before the next match's arms.
    src = (
        "fn subject(r: Result<u8, E>, x: Option<u8>) -> u8 {\n"
        "    assert!(matches!(r, Err(e) if e.is_timeout()));\n"
        "    match x {\n        Some(y) => y,\n        None => 0,\n    }\n}\n"
    )
    assert "error-match-err" not in rule_ids(src)


@pytest.mark.parametrize(
    "body",
    [
        # Each closes the expression holding the guard-shaped `Err(e) if ..` before an `=>` that
        # belongs to something else: `,` (the next arm), `;` (a later macro's `k => v`), `{` (a
        # block holding a match) and `}` (a block arm with no comma after it).
        "match x {\n        Some(r) => matches!(r, Err(e) if e.is_timeout()),\n"
        "        None => false,\n    }",
        "let t = matches!(r, Err(e) if e.is_timeout());\n    hashmap!(1 => t).is_empty()",
        "if matches!(r, Err(e) if e.is_timeout()) {\n        match y { Y::A => true, _ => false }\n"
        "    } else {\n        false\n    }",
        "match x {\n        Some(r) => {\n            matches!(r, Err(e) if e.is_timeout())\n"
        "        }\n        None => false,\n    }",
    ],
)
def test_a_guard_search_stops_at_the_end_of_its_expression(body: str) -> None:
    src = f"fn subject(x: Option<R>, r: R, y: Y) -> bool {{\n    {body}\n}}\n"
    assert "error-match-err" not in rule_ids(src)


def test_a_guarded_err_arm_whose_pattern_ends_in_a_brace() -> None:
    # The guard is searched from the `if` on; the `}` closing the struct pattern comes before it.
    src = (
        "fn subject(r: Result<u8, Error>) -> u8 {\n    match r {\n"
        "        Err(Error { kind, .. }) if kind == Kind::Timeout => 1,\n"
        "        _ => 0,\n    }\n}\n"
    )
    assert [(h.rule, h.line) for h in hits_of(src) if h.rule == "error-match-err"] == [
        ("error-match-err", 3)
    ]


@pytest.mark.parametrize(
    ("text", "arm"),
    [
        ("Err(e) => drop(e),\n_ => x.", True),  # at token 0 nothing comes before (no wrap-around)
        ("::Err(e) => 1,\n", False),  # a path's last segment, at token 1
        (
            "fn subject(x: X) -> u8 {\n    match x {\n        _ if x.Err(1) => 1,\n"
            "        _ => 0,\n    }\n}\n",
            False,
        ),  # a method named Err
    ],
)
def test_the_token_before_err_decides_at_the_edges_of_a_text(text: str, arm: bool) -> None:
    hits = match_tokens(scan_text(text), {})
    assert ("error-match-err" in {h.rule for h in hits}) is arm


def test_a_while_whose_condition_never_closes_still_has_its_body() -> None:
    # Damage: the `(` after `go` is never closed. The body is the `{` after it, not a brace found
    # by jumping to the unclosed bracket's (missing) partner.
    scan = scan_text("fn a() {}\nwhile go( {\n    rx.recv().await;\n}\n")
    assert scan.problems
    hits = match_tokens(scan, {})
    assert [(h.rule, h.line) for h in hits if h.rule == "polling-loop"] == [("polling-loop", 2)]


@pytest.mark.usefixtures("nothing_cached")
def test_a_table_without_string_rules_matches_with_nothing_cached() -> None:
    # No string rule: the token filter must not try a string prefilter it does not have.
    timeout_arm = Rule("timeout-arm", "timeout", "an arm on Elapsed(..)", "err_arm", r"Elapsed")
    src = (
        'fn subject(r: R) -> &\'static str {\n    match r {\n        Elapsed(_) => "late",\n'
        '        _ => "on time",\n    }\n}\n'
    )
    scan = scan_text(src)
    hits = match_item(scan, subject(scan), {}, rules=(timeout_arm,))
    assert [(h.rule, h.text, h.line) for h in hits] == [("timeout-arm", "Elapsed(..) =>", 3)]


@pytest.mark.usefixtures("nothing_cached")
def test_string_rules_read_char_literals_too() -> None:
    # A string rule acts on string and char literal tokens alike (the lexer's `s` tokens).
    newline = Rule("newline-char", "text", "compares with a newline char", "string", r"'\\n'")
    src = "fn subject(c: char) -> bool {\n    c == '\\n'\n}\n"
    scan = scan_text(src)
    hits = match_item(scan, subject(scan), {}, rules=(newline,))
    assert [(h.rule, h.text, h.line) for h in hits] == [("newline-char", "'\\n'", 2)]


def test_a_question_mark_right_after_a_name_propagates() -> None:
    # `res?` and `self.inner?`: a `?` after a name is the token rule's, not a call's opener.
    src = "fn subject(res: Result<u8, E>) -> Result<u8, E> {\n    let v = res?;\n    Ok(v)\n}\n"
    assert [(h.rule, h.line) for h in hits_of(src)] == [("error-question", 2)]
    src = "fn subject(&self) -> Result<u8, E> {\n    let v = self.inner?;\n    Ok(v)\n}\n"
    assert [(h.rule, h.line) for h in hits_of(src)] == [("error-question", 2)]
