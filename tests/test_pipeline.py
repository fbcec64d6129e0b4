"""`items` over many files: the forked worker pool writes what a sequential run writes, byte for
byte, in input order, good files, damaged ones and unreadable ones alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, cli_env

from svixbt import pipeline
from svixbt.pipeline import ItemsOutput, items_outputs

OWN_FILES = [
    ROOT / "svixbt" / "data" / "sample_cleaner.rs",
    *sorted(ROOT.glob("tests/fixtures/*.rs")),
]
ORIGINAL = pipeline.items_output
# Set before the pool forks, so every worker inherits it.
PID_LOG: list[Path] = []


def logging_items_output(path: Path, as_json: bool) -> ItemsOutput:
    """``items_output`` that notes which process ran it (a module-level function: it is pickled
    by name to the workers)."""
    with PID_LOG[0].open("a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    return ORIGINAL(path, as_json)


def _many_files(tmp_path: Path) -> list[Path]:
    # 40 files of different sizes, a damaged one and an unreadable one among them, so chunks
    # finish out of order and every kind of output has to come back in its place.
    files = []
    for k in range(38):
        src = OWN_FILES[k % len(OWN_FILES)]
        f = tmp_path / f"f{k:02}.rs"
        f.write_bytes(src.read_bytes() * (1 + k % 3))
        files.append(f)
    damaged = tmp_path / "damaged.rs"
    damaged.write_text('fn ok() {}\nfn broken() {\n    let s = "never closed;\n', encoding="utf-8")
    binary = tmp_path / "binary.rs"
    binary.write_bytes(b"fn a() {}\0")
    files[5:5] = [damaged]
    files[30:30] = [binary]
    return files


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker pool forks")
def test_worker_pool_output_equals_sequential_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _many_files(tmp_path)
    monkeypatch.setenv("SVIXBT_JOBS", "1")
    sequential = list(items_outputs(files, as_json=True))

    PID_LOG[:] = [tmp_path / "pids.txt"]
    monkeypatch.setattr(pipeline, "items_output", logging_items_output)
    monkeypatch.setenv("SVIXBT_JOBS", "2")
    parallel = list(items_outputs(files, as_json=True))

    pids = set((tmp_path / "pids.txt").read_text(encoding="utf-8").split())
    assert len(pids) == 2 and str(os.getpid()) not in pids, (
        "the files were not scanned by 2 workers"
    )
    assert [o.path for o in parallel] == files
    assert parallel == sequential
    assert (
        "".join(o.text for o in parallel).encode() == "".join(o.text for o in sequential).encode()
    )
    # The comparison covers each kind of output: items, damage warnings, a refused file.
    assert all(o.text for o in sequential if o.error is None)
    assert any(o.warnings for o in sequential)
    assert [o.path.name for o in sequential if o.error] == ["binary.rs"]


def test_items_cli_prints_the_same_bytes_with_one_or_two_jobs(tmp_path: Path) -> None:
    _many_files(tmp_path)
    runs = []
    for jobs in ("1", "2"):
        runs.append(
            subprocess.run(
                [sys.executable, "-m", "svixbt", "items", "--json", str(tmp_path)],
                capture_output=True,
                env={**cli_env(), "SVIXBT_JOBS": jobs},
                timeout=120,
            )
        )
    one, two = runs
    assert one.returncode == two.returncode == 0, one.stderr
    assert one.stdout.count(b"\n") > 40
    assert (two.stdout, two.stderr) == (one.stdout, one.stderr)


def test_items_text_is_the_json_encoder_s_output(tmp_path: Path) -> None:
    """``items_text`` writes the rows itself; it must be ``json.dumps`` of each row, byte for byte:
    every item kind, tags, parents, docs with quotes, control characters and non-ASCII text, and
    byte offsets past a BOM."""
    odd = tmp_path / 'odd "name" é.rs'
    odd.write_bytes(
        b"\xef\xbb\xbf"
        + '/// Doc with "quotes", a tab\there, \\ and \u2028 and caf\u00e9.\n///\n/// Second.\n'
        "#[tokio::test]\nasync fn t\u00e9st() { tokio::time::sleep(d).await; }\n"
        "impl<T: Clone> Tr\u00e4it for Vec<T> where T: Send { fn m(&self) { x?; } }\n"
        "mod m { struct S; const C: u8 = 1; }\n".encode()
    )
    files = [*OWN_FILES, odd]
    for f in files:
        fs = pipeline.scan_file(f)
        want = "".join(pipeline.format_row(row, True) for row in pipeline.item_rows(fs))
        assert pipeline.items_text(fs) == want, f
    assert fs.source.bom_bytes == 3 and len(fs.items) >= 6
