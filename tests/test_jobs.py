"""`generate --jobs`: worker processes change how fast, never what is written.

No timing is asserted here; `make bench` is the measure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from svixbt.generate import _crate_keys, _groups, default_jobs, generate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = Path(__file__).resolve().parents[1] / "svixbt" / "data" / "sample_cleaner.rs"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two crates, loose files, and one file twice (so records repeat across files and the
    second copy's are duplicates: the run-wide checks must see the files in order)."""
    root = tmp_path_factory.mktemp("tree") / "in"
    shutil.copytree(FIXTURES / "traps", root / "a_traps")
    shutil.copytree(FIXTURES / "code" / "mini_crate", root / "b_mini")
    loose = root / "c_loose"
    loose.mkdir()
    for src in (SAMPLE, FIXTURES / "worker_pool.rs", FIXTURES / "mixed_db.rs"):
        shutil.copy(src, loose / src.name)
    (root / "d_again").mkdir()
    shutil.copy(SAMPLE, root / "d_again" / "sample_cleaner.rs")
    # Damage counts too: a skipped file keeps its place in the report.
    (loose / "zz_binary.rs").write_bytes(b"fn main() {}\0")
    return root


def outputs(tree: Path, tmp: Path, jobs: int) -> tuple[bytes, bytes, list[tuple[str, ...]]]:
    out = tmp / f"jobs{jobs}.jsonl"
    rep = generate([tree], out, jobs=jobs)
    report = [
        (f.path, str(f.written), f.skipped, str(f.duplicates), *f.rejected, *f.notes, *f.problems)
        for f in rep.files
    ]
    return out.read_bytes(), rep.manifest.read_bytes(), report


def test_the_tree_has_groups_for_several_workers(tree: Path) -> None:
    files = sorted(tree.rglob("*.rs"))
    groups = _groups(_crate_keys(files, True))
    assert len(groups) >= 3
    # One crate, one group: its files share one index.
    keys = _crate_keys(files, True)
    for g in groups:
        assert len({keys[i] for i in g}) == 1


@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_write_the_same_bytes_as_one_process(tree: Path, tmp_path: Path, jobs: int) -> None:
    one = outputs(tree, tmp_path, 1)
    many = outputs(tree, tmp_path, jobs)
    assert one[0].count(b"\n") >= 20  # enough records for the comparison to mean something
    assert any(int(r[3]) for r in one[2])  # the repeated file's records were duplicates
    assert any(r[2] for r in one[2])  # and the damaged file was skipped
    assert many == one


def test_cli_jobs_option_and_env(tree: Path, tmp_path: Path) -> None:
    seq = tmp_path / "seq.jsonl"
    par = tmp_path / "par.jsonl"
    env_run = tmp_path / "env.jsonl"
    base = [sys.executable, "-m", "svixbt", "generate", "-q", str(tree)]
    subprocess.run([*base, "-o", str(seq), "--jobs", "1"], check=True, cwd=ROOT)
    subprocess.run([*base, "-o", str(par), "--jobs", "2"], check=True, cwd=ROOT)
    env = {**os.environ, "SVIXBT_JOBS": "3"}
    subprocess.run([*base, "-o", str(env_run)], check=True, cwd=ROOT, env=env)
    assert seq.read_bytes() == par.read_bytes() == env_run.read_bytes()
    for a in (par, env_run):
        assert (
            a.with_suffix(".manifest.jsonl").read_bytes()
            == seq.with_suffix(".manifest.jsonl").read_bytes()
        )


def test_default_jobs_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVIXBT_JOBS", "5")
    assert default_jobs() == 5
    monkeypatch.setenv("SVIXBT_JOBS", "zero")
    assert default_jobs() >= 1
    monkeypatch.delenv("SVIXBT_JOBS")
    assert default_jobs() >= 1


def test_workers_without_crates_write_the_same_bytes(tree: Path, tmp_path: Path) -> None:
    runs = []
    for jobs in (1, 2):
        out = tmp_path / f"nocrate{jobs}.jsonl"
        generate([tree], out, jobs=jobs, with_crate=False)
        runs.append((out.read_bytes(), out.with_suffix(".manifest.jsonl").read_bytes()))
    assert runs[0][0].count(b"\n") >= 10
    assert runs[0] == runs[1]
