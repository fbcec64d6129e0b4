"""The crate index: call sites resolved through `use` and paths, and where each fn runs."""

from __future__ import annotations

from pathlib import Path

from support import write_crate

from svixbt.crate_index import CrateIndex, build_index

TRAPS = Path(__file__).parent / "fixtures" / "traps" / "src"


def fn(idx: CrateIndex, name: str, owner: str = ""):  # type: ignore[no-untyped-def]
    return next(d for d in idx.fns if d.name == name and d.owner == owner and not d.is_test)


def test_sites_resolve_through_use_and_module_paths() -> None:
    idx = build_index(TRAPS / "pump.rs")
    assert idx.complete and idx.crate_name == "trap_crate"
    backoff = fn(idx, "backoff_for")
    callers = sorted((idx.rel[s.file], s.caller_name) for s in idx.callers(backoff))
    assert callers == [("src/pump.rs", "handle_job"), ("src/retry.rs", "retry_loop")]
    pump = fn(idx, "pump_loop")
    assert [(idx.rel[s.file], s.caller_name) for s in idx.callers(pump)] == [("src/lib.rs", "run")]


def test_completeness_needs_a_private_fn_and_no_hidden_callers() -> None:
    idx = build_index(TRAPS / "pump.rs")
    assert idx.callers_complete(fn(idx, "handle_job"))
    assert not idx.callers_complete(fn(idx, "pump_loop"))  # pub: other crates may call it


def test_a_fn_passed_as_a_value_has_unknowable_callers(tmp_path: Path) -> None:
    write_crate(
        tmp_path,
        {
            "lib.rs": "fn check(x: &u8) -> bool { *x > 0 }\n"
            "fn go(v: Vec<u8>) { v.iter().filter(check); }\n"
            "fn direct() { check(&1); }\n"
        },
    )
    idx = build_index(tmp_path / "src" / "lib.rs")
    check = fn(idx, "check")
    assert [s.caller_name for s in idx.callers(check)] == ["direct"]
    assert not idx.callers_complete(check)  # `filter(check)` calls it where we cannot see


def test_context_follows_private_callers_up_to_the_spawn() -> None:
    idx = build_index(TRAPS / "pump.rs")
    (ctx,) = idx.contexts(fn(idx, "deliver")) or []
    assert (ctx.kind, ctx.by, ctx.mechanism, ctx.repeated) == (
        "spawned",
        "pump_loop",
        "tokio::spawn",
        "for job in batch",
    )
    assert ctx.path == ("handle_job", "pump_loop")
    assert idx.contexts(fn(idx, "pump_loop")) is None  # pub: not known for all callers


def test_join_branch_context_names_the_other_branches() -> None:
    idx = build_index(TRAPS / "pump.rs")
    (site,) = idx.callers(fn(idx, "pump_loop"))
    (ctx,) = idx.site_context(site) or []
    assert (ctx.kind, ctx.index, ctx.siblings) == ("join-branch", 0, 2)
    assert ctx.branch_calls == ("pump::pump_loop", "monitor::watch_queue_depth")


def test_super_crate_name_and_type_paths(tmp_path: Path) -> None:
    write_crate(
        tmp_path,
        {
            "lib.rs": (
                "pub mod jobs;\npub struct Pool;\nimpl Pool { pub fn open() -> Pool { Pool } }\n"
            ),
            "jobs/mod.rs": "pub mod sweep;\nfn helper() {}\n",
            "jobs/sweep.rs": (
                "fn run() { super::helper(); crate::Pool::open(); }\n"
                "fn other() { demo_crate::Pool::open(); }\n"
            ),
        },
    )
    idx = build_index(tmp_path / "src" / "lib.rs")
    helper = fn(idx, "helper")
    assert [s.caller_name for s in idx.callers(helper)] == ["run"]
    open_ = fn(idx, "open", "Pool")
    assert sorted(s.caller_name for s in idx.callers(open_)) == ["other", "run"]


def test_a_same_named_fn_elsewhere_is_not_a_caller(tmp_path: Path) -> None:
    write_crate(
        tmp_path,
        {
            "lib.rs": "mod a;\nmod b;\n",
            "a.rs": "fn tick() {}\nfn go() { tick(); }\n",
            "b.rs": "fn tick() {}\nfn stop() { tick(); }\n",
        },
    )
    idx = build_index(tmp_path / "src" / "a.rs")
    a_tick = next(d for d in idx.fns if d.name == "tick" and idx.rel[d.file] == "src/a.rs")
    assert [s.caller_name for s in idx.callers(a_tick)] == ["go"]


def test_unreadable_file_makes_the_crate_incomplete(tmp_path: Path) -> None:
    write_crate(tmp_path, {"lib.rs": "mod a;\nfn f() {}\n", "a.rs": "fn g() { }\n"})
    (tmp_path / "src" / "bad.rs").write_bytes(b"\xff\xfe not utf-8")
    idx = build_index(tmp_path / "src" / "lib.rs")
    assert not idx.complete
    assert not idx.callers_complete(fn(idx, "f"))


def test_test_support_modules_are_test_files(tmp_path: Path) -> None:
    """vector compiles `pub mod test_util;` in every build and declares integration tests under
    `#[cfg(any(test, feature = ..))]`: their helpers read as the crate's background tasks."""
    write_crate(
        tmp_path,
        {
            "lib.rs": (
                "pub mod test_util;\n"
                '#[cfg(any(test, feature = "soak"))]\nmod soak;\n'
                "pub mod worker;\n"
            ),
            "test_util/mod.rs": "pub async fn spin() {}\n",
            "soak.rs": "pub async fn soak() {}\n",
            "worker.rs": "pub async fn work() {}\n",
        },
    )
    idx = build_index(tmp_path / "src" / "lib.rs")
    tests = {idx.rel[i] for i in idx.test_files}
    assert tests == {"src/test_util/mod.rs", "src/soak.rs"}


def test_paths_are_told_from_the_workspace_the_crate_belongs_to(tmp_path: Path) -> None:
    """A crate that is its own workspace root is told from itself: told from its parent it was
    named by the folder it was checked out to (`trm/src/...`, held-out read 26)."""
    from svixbt.evidence import display_path

    own = tmp_path / "checkout"
    (own / "src").mkdir(parents=True)
    (own / "Cargo.toml").write_text('[package]\nname = "x"\n\n[workspace]\nmembers = ["sub"]\n')
    assert display_path(own / "src" / "lib.rs", own) == "src/lib.rs"
    ws = tmp_path / "repo"
    member = ws / "server" / "app"
    (member / "src").mkdir(parents=True)
    (ws / "server" / "Cargo.toml").write_text('[workspace]\nmembers = ["app"]\n')
    (member / "Cargo.toml").write_text('[package]\nname = "app"\n')
    assert display_path(member / "src" / "lib.rs", member) == "app/src/lib.rs"
    alone = tmp_path / "alone"
    (alone / "src").mkdir(parents=True)
    (alone / "Cargo.toml").write_text('[package]\nname = "alone"\n')
    assert display_path(alone / "src" / "lib.rs", alone) == "alone/src/lib.rs"


def test_a_crate_with_its_sources_beside_the_manifest_is_indexed_whole(tmp_path: Path) -> None:
    """`[lib] path = "lib.rs"` with no src/ folder (garage's layout): indexed as a crate, so the
    `#[cfg(test)] mod test;` it declares is test code and yields no record (held-out read 51
    took net/test.rs's helpers for background tasks)."""
    import json

    from svixbt.generate import generate

    flat = Path(__file__).parent / "fixtures" / "flat"
    idx = build_index(flat / "pump.rs")
    assert idx.complete and sorted(idx.rel) == ["lib.rs", "pump.rs", "test.rs"]
    assert [idx.rel[i] for i in idx.test_files] == ["test.rs"]
    report = generate([flat], tmp_path / "out.jsonl", jobs=1)
    items = [json.loads(line)["item"] for line in report.manifest.read_text().splitlines()]
    assert items and all(item == "pump_readings" for item in items), items


def test_a_module_named_in_a_macro_call_is_reached(tmp_path: Path) -> None:
    """yazi declares its modules with `yazi_macro::mod_flat!(backend proxy refresher ..)`: no
    `mod refresher;` anywhere, and every file of its crates was taken as unreached, giving no
    record and no reason. A raw identifier (`r#virtual`) names `virtual/` too."""
    write_crate(
        tmp_path,
        {
            "lib.rs": "yazi_macro::mod_flat!(refresher);\nyazi_macro::mod_pub!(r#virtual);\n",
            "refresher.rs": "pub async fn serve() {}\n",
            "virtual/mod.rs": "pub async fn watch() {}\n",
            "orphan.rs": "pub async fn lost() {}\n",
        },
    )
    idx = build_index(tmp_path / "src" / "lib.rs")
    unreached = {idx.rel[i] for i in idx.test_files}
    assert unreached == {"src/orphan.rs"}


def test_a_crate_named_as_a_test_suite_is_test_code(tmp_path: Path) -> None:
    """kamu's `kamu-cli-e2e-repo-tests` is a crate of `test_*` fns; they read as background
    tasks (held-out read 101). `latest` or `contests` in a name are no test suite."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_crate(tmp_path / "a", {"lib.rs": "pub async fn test_login() {}\n"}, "app-e2e-repo-tests")
    idx = build_index(tmp_path / "a" / "src" / "lib.rs")
    assert idx.test_files == frozenset({0})
    write_crate(tmp_path / "b", {"lib.rs": "pub async fn run() {}\n"}, "contests-latest")
    idx = build_index(tmp_path / "b" / "src" / "lib.rs")
    assert idx.test_files == frozenset()
