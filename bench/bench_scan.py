"""Whole-process timing: `svixbt items --json` against the tree-sitter lister on a corpus.

    python bench/bench_scan.py CORPUS [--rounds N]

Each tool runs as its own child process (interpreter start-up and imports included, since that
is what a user pays), stdout to /dev/null. Runs alternate between the tools, and the order flips
every round, so cache warmth and machine noise fall on both alike.

Peak RSS is the child's ru_maxrss from os.wait4. On Linux that figure is at least the RSS of the
process that forked it (the pre-exec copy counts), so a fat parent would inflate every reading.
Each run is therefore spawned and timed by a tiny `python -S` helper, and the helper's own RSS is
printed as the floor below which no reading can go.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Tool:
    name: str
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    items: int = 0


# The measuring helper: stdlib only and no site import, to keep its RSS (the floor) small. It times
# spawn..exit itself so its own start-up is not in the figure.
_HELPER = """
import json, os, sys, time
argv = sys.argv[1:]
# VmHWM is this mm's own peak; ru_maxrss(SELF) would include the fat parent's pre-exec copy.
with open("/proc/self/status") as fh:
    floor = next((int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:")), 0)
out = os.open(os.devnull, os.O_WRONLY)
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, out, 1)])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
print(json.dumps({"code": code, "seconds": elapsed, "rss_kb": usage.ru_maxrss, "floor_kb": floor}))
"""


def run_once(argv: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and the helper's RSS floor (KiB) of one child run."""
    # stderr goes to a file, not a pipe: nobody reads it while the child runs, and a chatty child
    # would otherwise block on a full pipe and distort (or hang) the timing.
    with tempfile.TemporaryFile() as err:
        res = subprocess.run(
            [sys.executable, "-S", "-c", _HELPER, *argv],
            stdout=subprocess.PIPE,
            stderr=err,
            cwd=ROOT,
        )
        report = json.loads(res.stdout) if res.returncode == 0 else {"code": res.returncode}
        if report["code"] != 0:
            err.seek(0)
            tail = err.read()[-2000:].decode("utf-8", "replace").strip()
            sys.exit(f"bench_scan.py: {' '.join(argv)} exited {report['code']}\n{tail}")
    return report["seconds"], report["rss_kb"], report["floor_kb"]


def count_items(argv: list[str]) -> int:
    res = subprocess.run(argv, capture_output=True, cwd=ROOT)
    if res.returncode != 0:
        tail = res.stderr[-2000:].decode("utf-8", "replace").strip()
        sys.exit(f"bench_scan.py: {' '.join(argv)} exited {res.returncode}\n{tail}")
    return res.stdout.count(b"\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--rounds", type=int, default=5, help="timed runs per tool (default 5)")
    args = ap.parse_args()
    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"bench_scan.py: {args.corpus}: not a directory (run `make corpus`)", file=sys.stderr)
        return 1

    py = sys.executable
    tools = [
        Tool("svixbt", [py, "-m", "svixbt", "items", "--json", str(corpus)]),
        Tool("tree-sitter", [py, str(ROOT / "bench" / "ts_items.py"), str(corpus)]),
        # Interpreter start-up alone: the floor under both whole-process figures.
        Tool("python -c pass", [py, "-c", "pass"]),
    ]
    files = sum(1 for p in corpus.rglob("*.rs") if p.is_file())
    mb = sum(p.stat().st_size for p in corpus.rglob("*.rs") if p.is_file()) / 2**20

    # Untimed warm-up that also checks both tools see the same number of items.
    for tool in tools[:2]:
        tool.items = count_items(tool.argv)

    floor_kb = 0
    for rnd in range(args.rounds):
        for tool in tools if rnd % 2 == 0 else list(reversed(tools)):
            secs, rss, floor = run_once(tool.argv)
            tool.seconds.append(secs)
            tool.rss_kb.append(rss)
            floor_kb = max(floor_kb, floor)

    print(f"corpus {corpus}: {files} .rs files, {mb:.2f} MB; {args.rounds} rounds, alternating")
    header = f"{'tool':<16}{'items':>8}{'median s':>10}{'min s':>8}{'max s':>8}{'peak RSS MB':>13}"
    print(header)
    print("-" * len(header))
    for t in tools:
        items = str(t.items) if t.items else "-"
        print(
            f"{t.name:<16}{items:>8}{statistics.median(t.seconds):>10.3f}"
            f"{min(t.seconds):>8.3f}{max(t.seconds):>8.3f}{max(t.rss_kb) / 1024:>13.1f}"
        )
    if tools[0].items != tools[1].items:
        print("note: item counts differ; see tests/test_differential.py for which spans")
    print(f"(peak RSS floor, the measuring helper's own: {floor_kb / 1024:.1f} MB)")
    ours, base, startup = (statistics.median(t.seconds) for t in tools)
    print(f"\ntree-sitter baseline (same process tree): {base:.3f} s median")
    print(f"ratio svixbt / tree-sitter: {ours / base:.2f}x")
    if ours > startup and base > startup:
        print(f"ratio without interpreter start-up: {(ours - startup) / (base - startup):.2f}x")
    print(f"svixbt throughput: {mb / ours:.2f} MB/s whole-process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
