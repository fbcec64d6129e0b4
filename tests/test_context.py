"""Context an example carries: same-file reach, needed `use` lines, and crate call sites."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from svixbt.context import CallSite, call_sites, crate_scans, needed_uses, reachable, references
from svixbt.evidence import build_evidence
from svixbt.pipeline import FileScan, scan_file, scan_source
from svixbt.sources import SourceFile


def rs(src: str) -> str:
    return textwrap.dedent(src)


def scan(src: str) -> FileScan:
    return scan_source(SourceFile(Path("t.rs"), src, 0))


def index(fs: FileScan, name: str) -> int:
    found = [i for i, it in enumerate(fs.items) if it.name == name]
    assert len(found) == 1, name
    return found[0]


def names(fs: FileScan, idxs: list[int]) -> list[str]:
    return [fs.items[i].name for i in idxs]


WORKER = rs(
    """\
    use std::collections::HashMap;
    use std::time::Duration;
    use tokio::sync::mpsc;
    use serde::Serialize;
    use std::fmt::{Debug, Display};

    /// Deadlines per job id.
    type Pending = HashMap<u64, Duration>;

    const LIMIT: usize = 64;

    fn drain(p: &mut Pending) -> usize {
        let n = p.len();
        p.clear();
        n
    }

    fn unrelated() -> impl Display {
        0
    }

    async fn worker(mut rx: mpsc::Receiver<u64>, mut p: HashMap<u64, Duration>) {
        loop {
            let Some(id) = rx.recv().await else { break };
            if p.len() > LIMIT {
                drain(&mut p);
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use std::fmt::Write;

        #[test]
        fn drains() {
            unrelated();
        }
    }
    """
)


def test_references_are_direct_only() -> None:
    fs = scan(WORKER)
    w = index(fs, "worker")
    assert names(fs, references(fs, w)) == ["LIMIT", "drain"]
    assert names(fs, references(fs, index(fs, "drain"))) == ["Pending"]
    assert references(fs, index(fs, "Pending")) == []


def test_reachable_includes_helper_and_its_alias() -> None:
    fs = scan(WORKER)
    reach = names(fs, reachable(fs, index(fs, "worker")))
    assert reach == ["LIMIT", "drain", "Pending"]  # nearest first
    assert "unrelated" not in reach
    assert "tests" not in reach and "drains" not in reach


def test_needed_uses_exactly_the_used_names() -> None:
    fs = scan(WORKER)
    items = [index(fs, n) for n in ("worker", "drain", "Pending", "LIMIT")]
    spans = [(fs.items[i].start, fs.items[i].end) for i in items]
    uses = needed_uses(fs, spans)
    assert [u.text for u in uses] == [
        "use std::collections::HashMap;",
        "use std::time::Duration;",
        "use tokio::sync::mpsc;",
    ]


def test_needed_uses_of_a_single_helper() -> None:
    fs = scan(WORKER)
    u = index(fs, "unrelated")
    uses = needed_uses(fs, [(fs.items[u].start, fs.items[u].end)])
    # a grouped use comes whole, as written, when any of its names is used
    assert [x.text for x in uses] == ["use std::fmt::{Debug, Display};"]


def test_needed_uses_ignores_qualified_paths_and_test_uses() -> None:
    src = rs(
        """\
        use std::fmt::Write;
        use std::result::Result;

        fn subject() -> std::result::Result<(), ()> {
            Ok(())
        }

        #[cfg(test)]
        mod tests {
            use std::fmt::Write;
        }
        """
    )
    fs = scan(src)
    s = index(fs, "subject")
    assert needed_uses(fs, [(fs.items[s].start, fs.items[s].end)]) == []


# -- call sites across a crate ---------------------------------------------------------------

CRATE = {
    "Cargo.toml": '[package]\nname = "jobs"\nversion = "0.1.0"\nedition = "2021"\n',
    "src/lib.rs": rs(
        """\
        mod job;
        mod other;
        mod sched;

        pub fn start() {
            tokio::spawn(async move {
                job::run().await;
            });
        }

        pub async fn both() {
            let _ = tokio::join!(job::run(), helper());
        }

        async fn helper() {}

        #[cfg(test)]
        mod tests {
            #[tokio::test]
            async fn runs_once() {
                super::job::run().await;
            }
        }
        """
    ),
    "src/job.rs": rs(
        """\
        use std::time::Duration;

        pub async fn run() {
            loop {
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
        }
        """
    ),
    "src/sched.rs": rs(
        """\
        use crate::job::run;

        pub fn go() {
            tokio::task::spawn(run());
        }
        """
    ),
    "src/other.rs": rs(
        """\
        fn run() {}

        pub fn call() {
            run();
        }
        """
    ),
}


@pytest.fixture()
def crate(tmp_path: Path) -> Path:
    for rel, text in CRATE.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


def test_crate_scans_finds_root_and_files(crate: Path) -> None:
    root, scans = crate_scans(crate / "src" / "job.rs")
    assert root == crate.resolve()
    assert sorted(s.source.path.name for s in scans) == ["job.rs", "lib.rs", "other.rs", "sched.rs"]


def test_call_sites_report_wrappers(crate: Path) -> None:
    root, scans = crate_scans(crate / "src" / "job.rs")
    assert root is not None
    sites = call_sites(root, scans, "run", crate / "src" / "job.rs", "job")
    assert sorted(sites, key=lambda s: (s.file, s.line)) == [
        CallSite(
            file="src/lib.rs",
            line=7,
            caller="start",
            wrappers=("async block", "tokio::spawn"),
            awaited=True,
            statement="job::run().await;",
        ),
        CallSite(
            file="src/lib.rs",
            line=12,
            caller="both",
            wrappers=("tokio::join!",),
            awaited=False,
            statement="let _ = tokio::join!(job::run(), helper());",
        ),
        CallSite(
            file="src/sched.rs",
            line=4,
            caller="go",
            wrappers=("tokio::task::spawn",),
            awaited=False,
            statement="tokio::task::spawn(run());",
        ),
    ]


def test_call_sites_ignore_tests_and_same_named_fns(crate: Path) -> None:
    root, scans = crate_scans(crate / "src" / "job.rs")
    assert root is not None
    sites = call_sites(root, scans, "run", crate / "src" / "job.rs", "job")
    assert all(s.caller not in ("runs_once", "call") for s in sites)
    assert all(s.file != "src/other.rs" for s in sites)


def test_evidence_carries_call_sites(crate: Path) -> None:
    ev = build_evidence(scan_file(crate / "src" / "job.rs"))
    assert ev.crate_root == crate.resolve()
    assert ev.display == f"{crate.name}/src/job.rs"
    run_idx = index(ev.fs, "run")
    assert run_idx in ev.candidates
    assert sorted((s.caller, s.wrappers) for s in ev.sites[run_idx]) == [
        ("both", ("tokio::join!",)),
        ("go", ("tokio::task::spawn",)),
        ("start", ("async block", "tokio::spawn")),
    ]


def test_no_crate_no_call_sites(tmp_path: Path) -> None:
    lone = tmp_path / "lone.rs"
    lone.write_text(CRATE["src/job.rs"], encoding="utf-8")
    assert crate_scans(lone) == (None, [])
    ev = build_evidence(scan_file(lone))
    assert ev.sites == {} and ev.crate_root is None
