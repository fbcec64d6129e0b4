"""Every performance measure of `make bench` in one run, each printed as a ratio.

    python bench/bench.py CORPUS [--svix CHECKOUT] [--rounds N]

1. `items --json` against the tree-sitter lister (bench/ts_items.py), both given the same list of
   files (every .rs file under the tree, tests and benches included): over CORPUS, and over the
   svix-webhooks CHECKOUT when one is given.
2. `generate` against `items --json` over the same files, crate by crate: svix-server/src of the
   checkout and each crate of CORPUS (a directory with a Cargo.toml), with generate's cost per MB,
   to show that it grows linearly with the input.
3. `generate` over the whole CORPUS with its default worker count against `--jobs 1`, and the two
   outputs compared byte for byte; the time is also set against 30 s, issue 13's figure from
   before the redesign.
4. Peak memory of `generate` over CORPUS, one process and with workers.

Every command runs as a whole process (interpreter start-up and imports included, as a user pays
them, with a bytecode cache as an installed tool has), spawned by a small `python -S` helper (see
bench_scan.py), all in one process tree. After one untimed warm-up of every command, each round
runs every command once; the order flips every round, so machine noise and cache warmth fall on
all of them alike. Figures are medians over the rounds. CPU time (user + system of the command and
all its workers) is printed beside wall time: on a machine that other work keeps busy, wall time
moves with that work and workers may find no free core, CPU time barely moves.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
SVIXBT = [PY, "-m", "svixbt"]
OLD_CORPUS_SECONDS = 30.0  # issue 13: generate over the corpus before the redesign

# Spawns one command, waits for it, and reports its wall time and memory. Stdlib only and no site
# import, so that its own RSS (the floor under every reading) stays small. ru_maxrss of the child
# is the command's own peak; RUSAGE_CHILDREN, read after the wait, is the largest peak among the
# command and every worker it waited for. With BENCH_SAMPLE=1 it also samples the summed RSS and
# PSS of the whole process tree (PSS shares a page forked into workers among them; RSS counts it in
# each) every 10 ms; sampling costs time, so it is done only in untimed runs.
_HELPER = r"""
import json, os, resource, sys, time
argv = sys.argv[1:]
sample = os.environ.pop("BENCH_SAMPLE", "") == "1"

def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(x) for x in fh.read().split())
        except OSError:
            pass
    return out

def memory(pids):
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for ln in fh:
                    if ln.startswith("Rss:"):
                        rss += int(ln.split()[1])
                    elif ln.startswith("Pss:"):
                        pss += int(ln.split()[1])
        except OSError:
            pass
    return rss, pss

with open("/proc/self/status") as fh:
    floor = next((int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:")), 0)
out = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, out, 1)])
peak_rss = peak_pss = 0
if sample:
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            break
        rss, pss = memory(tree(pid))
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.01)
else:
    _, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "code": os.waitstatus_to_exitcode(status), "seconds": elapsed, "rss_kb": usage.ru_maxrss,
    "tree_max_kb": children.ru_maxrss, "cpu": children.ru_utime + children.ru_stime,
    "floor_kb": floor, "sum_rss_kb": peak_rss, "sum_pss_kb": peak_pss,
}))
"""


@dataclass
class Cmd:
    name: str
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system, the whole process tree

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)


# Commands run with a bytecode cache, as an installed tool does: without one (this workplace sets
# PYTHONDONTWRITEBYTECODE), every run would compile each tool's own Python sources again, which
# no user pays. The cache lives in the bench's temporary directory, not in the tree; the untimed
# warm-up round fills it.
BENCH_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str], sample: bool = False) -> dict[str, float]:
    env = {**BENCH_ENV, "BENCH_SAMPLE": "1" if sample else "0"}
    with tempfile.TemporaryFile() as err:
        res = subprocess.run(
            [PY, "-S", "-c", _HELPER, *argv], stdout=subprocess.PIPE, stderr=err, cwd=ROOT, env=env
        )
        report = json.loads(res.stdout) if res.returncode == 0 else {"code": res.returncode}
        if report["code"] != 0:
            err.seek(0)
            tail = err.read()[-2000:].decode("utf-8", "replace").strip()
            sys.exit(f"bench.py: {' '.join(argv[:6])} ... exited {report['code']}\n{tail}")
    return report


def rs_files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*.rs") if p.is_file())


def walked(paths: list[Path]) -> tuple[int, float]:
    """Files and MB that svixbt reads for ``paths`` (its walk skips tests/, benches/, examples/)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from svixbt.sources import rust_files

    files = rust_files(paths)
    return len(files), megabytes(files)


def megabytes(files: list[Path]) -> float:
    return sum(f.stat().st_size for f in files) / 2**20


def crates_of(corpus: Path) -> list[Path]:
    return sorted(p.parent for p in corpus.rglob("Cargo.toml") if (p.parent / "src").is_dir())


def svix_server_src(checkout: Path) -> Path | None:
    for rel in ("server/svix-server/src", "svix-server/src"):
        if (checkout / rel).is_dir():
            return checkout / rel
    return None


def scaled_crate(crate: Path, copies: int, where: Path) -> Path:
    """``crate`` with its src/ tree ``copies`` times over in one crate (copy N under src/copyN/),
    so that the crate index, the caller lookups and the sources grow with it."""
    root = where / f"{crate.name}-x{copies}"
    (root / "src").mkdir(parents=True)
    shutil.copy(crate / "Cargo.toml", root / "Cargo.toml")
    for n in range(copies):
        shutil.copytree(
            crate / "src", root / "src" / f"copy{n}" if n else root / "src", dirs_exist_ok=True
        )
    return root


_BURN = "import sys\nfor _ in range(int(sys.argv[1])): pass"


def spare_cores() -> float:
    """How many cores this bench can use right now: the wall time of two CPU-bound processes one
    after the other over the time of the same two side by side (2.0 when both cores are free,
    1.0 when other work leaves room for one process at a time)."""
    argv = [PY, "-S", "-c", _BURN, "4000000"]
    start = time.perf_counter()
    for _ in range(2):
        subprocess.run(argv, check=True)
    serial = time.perf_counter() - start
    start = time.perf_counter()
    procs = [subprocess.Popen(argv) for _ in range(2)]
    for p in procs:
        p.wait()
    return serial / (time.perf_counter() - start)


def machine() -> str:
    """Load, CPU pressure and spare cores now: other work on the machine shows in every
    wall-clock figure, and workers help only as far as cores are free."""
    parts = [f"{len(os.sched_getaffinity(0))} cores", f"spare cores {spare_cores():.1f}"]
    try:
        parts.append("load " + " ".join(Path("/proc/loadavg").read_text().split()[:3]))
        some = Path("/proc/pressure/cpu").read_text().split("\n")[0].split()
        parts.append("CPU pressure (some, avg10) " + some[1].split("=")[1] + "%")
    except (OSError, IndexError):
        pass
    return ", ".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--svix", type=Path, help="a svix-webhooks checkout (optional)")
    ap.add_argument("--rounds", type=int, default=5, help="timed runs per command (default 5)")
    args = ap.parse_args()
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"bench.py: {args.corpus}: not a directory (run `make corpus`)", file=sys.stderr)
        return 1
    svix = args.svix.resolve() if args.svix else None
    if svix is not None and not svix.is_dir():
        print(f"bench.py: {args.svix}: not a directory", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="svixbt-bench-"))
    BENCH_ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    try:
        return measure(corpus, svix, args.rounds, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure(corpus: Path, svix: Path | None, rounds: int, tmp: Path) -> int:
    ts = [PY, str(ROOT / "bench" / "ts_items.py")]
    cmds: list[Cmd] = [Cmd("python -c pass", [PY, "-c", "pass"])]

    # 1. items vs tree-sitter. Each tree twice: the same file list given to both (every .rs file,
    # tests included), and the directory given to both, each walking it its own way (svixbt skips
    # tests/, benches/, examples/): the older figures were taken that way.
    trees: list[tuple[str, Path]] = [("corpus", corpus)]
    if svix is not None:
        trees.append(("svix-webhooks", svix))
    listed = {label: rs_files(path) for label, path in trees}
    for label, path in trees:
        names = [str(f) for f in listed[label]]
        cmds.append(Cmd(f"items {label}", [*SVIXBT, "items", "--json", *names]))
        cmds.append(Cmd(f"tree-sitter {label}", [*ts, *names]))
        cmds.append(Cmd(f"items {label} dir", [*SVIXBT, "items", "--json", str(path)]))
        cmds.append(Cmd(f"tree-sitter {label} dir", [*ts, str(path)]))

    # 2. generate vs items per crate, and one small crate grown 2x and 4x within itself.
    crates: list[tuple[str, Path]] = []
    if svix is not None and (src := svix_server_src(svix)) is not None:
        crates.append(("svix-server/src", src))
    corpus_crates = crates_of(corpus)
    crates += [(c.name, c) for c in corpus_crates]
    if corpus_crates:
        smallest = min(corpus_crates, key=lambda c: walked([c])[1])
        for k in (2, 4):
            crates.append((f"{smallest.name} x{k}", scaled_crate(smallest, k, tmp / "scaled")))
    for label, path in crates:
        cmds.append(Cmd(f"items {label}", [*SVIXBT, "items", "--json", str(path)]))
        out = tmp / f"{label.replace('/', '_').replace(' ', '_')}.jsonl"
        cmds.append(
            Cmd(f"generate {label}", [*SVIXBT, "generate", "-q", str(path), "-o", str(out)])
        )

    # 3. generate over the whole corpus, default workers and one process.
    par_out, seq_out = tmp / "corpus-jobs.jsonl", tmp / "corpus-jobs1.jsonl"
    gen = [*SVIXBT, "generate", "-q", str(corpus)]
    cmds.append(Cmd("generate corpus", [*gen, "-o", str(par_out)]))
    cmds.append(Cmd("generate corpus --jobs 1", [*gen, "--jobs", "1", "-o", str(seq_out)]))
    by_name = {c.name: c for c in cmds}

    print(f"svixbt bench: {rounds} rounds of {len(cmds)} commands, order flipped each round")
    print(f"machine at the start: {machine()}")
    for c in cmds:  # untimed: fills the bytecode cache and the page cache for every command
        run_once(c.argv)
    for rnd in range(rounds):
        for c in cmds if rnd % 2 == 0 else list(reversed(cmds)):
            rep = run_once(c.argv)
            c.seconds.append(rep["seconds"])
            c.cpu.append(rep["cpu"])
    print(f"machine at the end:   {machine()}")
    startup = by_name["python -c pass"].median
    verdicts: list[str] = []

    def verdict(what: str, ratio: float, limit: float) -> str:
        ok = ratio <= limit
        verdicts.append(f"{'ok  ' if ok else 'MISS'} {what}: {ratio:.2f} (at most {limit:g})")
        return "ok" if ok else "MISS"

    print("\n1. items --json / tree-sitter, whole processes (wall medians; CPU = user+sys of the")
    print("   whole process tree, which other load on the machine barely moves)")
    print(
        f"   {'tree':<24}{'files':>6}{'MB':>6}{'svixbt s':>10}{'ts s':>7}{'ratio':>7}"
        f"{'CPU s':>7}{'ts CPU':>8}{'CPU ratio':>10}"
    )
    for label, path in trees:
        for mode, key in (("same files", ""), ("own walk", " dir")):
            ours, base = by_name[f"items {label}{key}"], by_name[f"tree-sitter {label}{key}"]
            files = listed[label]
            n = str(len(files)) if not key else f"{walked([path])[0]}/{len(files)}"
            mb = megabytes(files)
            ratio = ours.median / base.median
            mark = verdict(f"items/tree-sitter {label}", ratio, 1.0) if not key else "(old way)"
            print(
                f"   {label + ', ' + mode:<24}{n:>6}{mb:>6.2f}{ours.median:>10.3f}"
                f"{base.median:>7.3f}{ratio:>7.2f}{ours.cpu_median:>7.2f}{base.cpu_median:>8.2f}"
                f"{ours.cpu_median / base.cpu_median:>10.2f}  {mark}"
            )
    if svix is None:
        print("   svix-webhooks: skipped (no SVIX=/path/to/svix-webhooks given)")

    print("\n2. generate / items --json over each crate (the same files; both with their defaults)")
    print(
        f"   {'crate':<24}{'files':>6}{'MB':>6}{'items s':>9}{'gen s':>8}{'ratio':>7}"
        f"{'gen s/MB':>10}{'less start-up':>15}"
    )
    per_mb: list[tuple[float, float]] = []
    for label, path in crates:
        n, mb = walked([path])
        items_s, gen_s = by_name[f"items {label}"].median, by_name[f"generate {label}"].median
        ratio = gen_s / items_s
        mark = verdict(f"generate/items {label}", ratio, 6.0)
        per_mb.append((mb, (gen_s - startup) / mb))
        print(
            f"   {label:<24}{n:>6}{mb:>6.2f}{items_s:>9.3f}{gen_s:>8.3f}{ratio:>7.2f}"
            f"{gen_s / mb:>10.2f}{per_mb[-1][1]:>15.2f}  {mark}"
        )
    if svix is None:
        print("   svix-server/src: skipped (no SVIX=/path/to/svix-webhooks given)")
    if len(per_mb) >= 2:
        lo, hi = min(r for _, r in per_mb), max(r for _, r in per_mb)
        print(
            f"   linearity: generate s/MB less start-up is {lo:.2f} to {hi:.2f} over crates of "
            f"{min(m for m, _ in per_mb):.2f} to {max(m for m, _ in per_mb):.2f} MB; the crates "
            f"differ in what they hold, the x2/x4 rows hold the same code 2 and 4 times over"
        )

    n, mb = walked([corpus])
    par, seq = by_name["generate corpus"], by_name["generate corpus --jobs 1"]
    workers = os.environ.get("SVIXBT_JOBS") or str(len(os.sched_getaffinity(0)))
    same = filecmp.cmp(par_out, seq_out, shallow=False) and filecmp.cmp(
        par_out.with_suffix(".manifest.jsonl"), seq_out.with_suffix(".manifest.jsonl"), False
    )
    print(f"\n3. generate over the whole corpus ({n} files, {mb:.2f} MB)")
    print(
        f"   default ({workers} workers): {par.median:.3f} s, CPU {par.cpu_median:.2f} s;  "
        f"--jobs 1: {seq.median:.3f} s, CPU {seq.cpu_median:.2f} s;  "
        f"speed-up {seq.median / par.median:.2f}x"
    )
    mark = verdict("generate corpus / 30 s (the old figure)", par.median / OLD_CORPUS_SECONDS, 0.2)
    print(f"   ratio to the old 30 s: {par.median / OLD_CORPUS_SECONDS:.3f}  {mark}")
    print(
        "   default workers vs --jobs 1, records and manifest: "
        f"{'byte-identical' if same else 'DIFFERENT'}"
    )
    if not same:
        verdicts.append("MISS generate corpus: the workers' output differs from --jobs 1")

    print("\n4. peak memory of generate over the corpus (untimed runs, tree sampled every 10 ms)")
    for label, argv in (("--jobs 1", seq.argv), ("default", par.argv)):
        rep = run_once(argv, sample=True)
        largest = rep["tree_max_kb"] / 1024
        pss = rep["sum_pss_kb"] / 1024
        print(
            f"   {label:<9} largest process {largest:6.1f} MB; the tree summed: "
            f"RSS {rep['sum_rss_kb'] / 1024:6.1f} MB, PSS {pss:6.1f} MB"
        )
        verdict(f"peak RSS MB / 150, {label} (largest process)", largest / 150, 1.0)
        if label == "default":
            verdict("peak PSS MB / 150, default (the tree summed)", pss / 150, 1.0)

    print(f"\n(interpreter start-up alone: {startup:.3f} s median)")
    print("\nsummary")
    for v in verdicts:
        print(f"   {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
