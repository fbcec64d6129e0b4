"""`items --jobs`: worker processes change how fast, never what is printed.

Byte comparisons of whole command runs (stdout and stderr) for 1, 2 and 3 workers, and the
worker scheme itself (``svixbt.workers.ordered_map``): results in index order whatever order the
tasks finish in, failures reported, workers stopped when the reader stops early. No timing is
asserted here; `make bench` is the measure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, cli_env

from svixbt.main import parse_items
from svixbt.workers import WorkerError, ordered_map

FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = ROOT / "svixbt" / "data" / "sample_cleaner.rs"

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Crates and loose files of very different sizes (so tasks finish out of order), a damaged
    file (warnings), a binary one and a non-UTF-8 one (skipped, with their lines on stderr)."""
    root = tmp_path_factory.mktemp("items") / "in"
    shutil.copytree(FIXTURES / "traps", root / "a_traps")
    shutil.copytree(FIXTURES / "code" / "mini_crate", root / "b_mini")
    loose = root / "c_loose"
    loose.mkdir()
    for src in sorted(FIXTURES.glob("*.rs")):
        shutil.copy(src, loose / src.name)
    big = SAMPLE.read_text(encoding="utf-8")
    (loose / "big.rs").write_text(big * 12, encoding="utf-8")
    (loose / "damaged.rs").write_text('fn ok() {}\nfn broken() {\n    let s = "open;\n')
    (loose / "zz_binary.rs").write_bytes(b"fn main() {}\0")
    (loose / "zz_latin1.rs").write_bytes(b"// caf\xe9\nfn a() {}\n")
    return root


def items(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "svixbt", "items", *args],
        capture_output=True,
        cwd=ROOT,
        env={**cli_env(), **(env or {})},
        timeout=120,
    )


@pytest.mark.parametrize("as_json", [["--json"], []], ids=["json", "text"])
def test_items_prints_the_same_bytes_for_one_two_and_three_jobs(
    tree: Path, as_json: list[str]
) -> None:
    runs = {j: items([*as_json, "--jobs", str(j), str(tree)]) for j in (1, 2, 3)}
    one = runs[1]
    assert one.returncode == 0, one.stderr
    assert one.stdout.count(b"\n") > 100  # enough items for the comparison to mean something
    assert b"skipped" in one.stderr and b"zz_binary.rs" in one.stderr  # every kind of output
    assert b"damaged.rs" in one.stderr
    for j in (2, 3):
        assert (runs[j].returncode, runs[j].stdout, runs[j].stderr) == (
            one.returncode,
            one.stdout,
            one.stderr,
        ), f"--jobs {j}"


def test_items_default_jobs_and_environment_print_the_same_bytes(tree: Path) -> None:
    files = [str(p) for p in sorted(tree.rglob("*.rs"))]  # files named one by one, too
    one = items(["--json", "-j", "1", *files])
    default = items(["--json", *files])
    env = items(["--json", *files], env={"SVIXBT_JOBS": "3"})
    assert one.returncode == 0 and one.stdout
    assert (default.stdout, default.stderr) == (one.stdout, one.stderr)
    assert (env.stdout, env.stderr) == (one.stdout, one.stderr)


def test_items_jobs_spellings_and_a_bad_value(tree: Path) -> None:
    want = items(["--json", "--jobs", "1", str(tree)]).stdout
    for spelling in (["--jobs=2"], ["-j2"], ["-j", "2"]):
        assert items(["--json", *spelling, str(tree)]).stdout == want, spelling
    # A value Typer refuses is its usage error, not a crash.
    bad = items(["--json", "--jobs", "0", str(tree)])
    assert bad.returncode == 2 and b"jobs" in bad.stderr


def test_parse_items_leaves_what_it_does_not_know_to_typer() -> None:
    assert parse_items(["--json", "-j", "3", "a.rs"]) == ([Path("a.rs")], True, 3)
    assert parse_items(["--", "--json"]) == ([Path("--json")], False, None)
    assert parse_items(["a.rs", "-"]) == ([Path("a.rs"), Path("-")], False, None)
    for args in (
        [],
        ["--json"],
        ["--help", "a.rs"],
        ["-j", "0", "a.rs"],
        ["--jobs=x", "a.rs"],
        ["a.rs", "--jobs"],
    ):
        assert parse_items(args) is None, args


def _slow_when_small(i: int) -> bytes:
    # Early indices take longest, so later ones finish first and must wait their turn.
    for _ in range((20 - i) * 2000):
        pass
    return f"{i}:{os.getpid()}".encode()


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_ordered_map_yields_in_index_order(jobs: int) -> None:
    got = [b.decode().split(":") for b in ordered_map(_slow_when_small, 20, jobs)]
    assert [int(i) for i, _ in got] == list(range(20))
    pids = {pid for _, pid in got}
    if jobs == 1:
        assert pids == {str(os.getpid())}
    else:
        assert str(os.getpid()) not in pids


@needs_fork
def test_ordered_map_yields_in_index_order_whatever_the_task_order() -> None:
    order = [5, 3, 0, 4, 2, 1]
    assert list(ordered_map(lambda i: str(i).encode(), 6, 2, order)) == [
        str(i).encode() for i in range(6)
    ]


@needs_fork
def test_ordered_map_reports_a_failing_task() -> None:
    def work(i: int) -> bytes:
        if i == 7:
            raise ValueError("task seven")
        return b"x"

    with pytest.raises(WorkerError, match="ValueError: task seven"):
        list(ordered_map(work, 12, 2))


@needs_fork
def test_ordered_map_reports_a_worker_that_died() -> None:
    def work(i: int) -> bytes:
        if i == 3:
            os._exit(9)  # gone without a word, as if killed
        return b"x"

    with pytest.raises(WorkerError, match="ended before its work was done"):
        list(ordered_map(work, 6, 2))


def _children() -> set[str]:
    own = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    if not own.exists():
        pytest.skip("needs /proc/PID/task/PID/children (Linux)")
    return set(own.read_text().split())


@needs_fork
def test_ordered_map_stops_its_workers_when_the_reader_stops() -> None:
    before = _children()
    gen = ordered_map(lambda i: b"x" * 100_000, 400, 2)
    assert next(gen) == b"x" * 100_000
    assert len(_children() - before) == 2
    gen.close()  # the workers are stopped and waited for: none is left behind
    assert _children() == before
