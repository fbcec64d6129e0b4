"""Spawn wrappers found beside methods of the same name, and calls that write a wrapper's whole
path (held-out read 102: pict-rs's `crate::sync::spawn`)."""

from __future__ import annotations

from pathlib import Path

from support import write_crate

from svixbt.crate_index import build_index
from svixbt.mechanisms import WRAPPED_SPAWN, resolve


def test_a_whole_path_bound_in_the_imports_resolves_at_once() -> None:
    imports = {"crate::sync::spawn": WRAPPED_SPAWN, "time": "tokio::time"}
    assert resolve(["crate", "sync", "spawn"], imports) == WRAPPED_SPAWN
    assert resolve(["time", "sleep"], imports) == "tokio::time::sleep"
    assert resolve(["crate", "other", "spawn"], imports) == "crate::other::spawn"


def test_a_method_of_the_same_name_leaves_the_wrapper_known(tmp_path: Path) -> None:
    write_crate(
        tmp_path,
        {
            "lib.rs": "pub mod sync;\npub mod work;\n",
            "sync.rs": (
                "pub fn spawn<F>(future: F) -> tokio::task::JoinHandle<F::Output>\n"
                "where F: std::future::Future + Send + 'static, F::Output: Send + 'static {\n"
                "    tokio::spawn(future)\n}\n"
            ),
            "work.rs": (
                "pub struct Job;\nimpl Job {\n    pub async fn spawn(&self) {}\n}\n"
                "pub fn start() {\n    crate::sync::spawn(async move {\n"
                "        loop { tokio::time::sleep(std::time::Duration::from_secs(1)).await; }\n"
                "    });\n}\n"
            ),
        },
    )
    idx = build_index(tmp_path / "src" / "work.rs")
    assert "spawn" in idx.wrappers
    work = next(fs for fs, rel in zip(idx.files, idx.rel, strict=True) if rel.endswith("work.rs"))
    assert work.imports.get("crate::sync::spawn") == WRAPPED_SPAWN
