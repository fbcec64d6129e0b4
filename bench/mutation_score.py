"""Mutation score per module from a `mutmut run` (`make mutation` prints it at the end).

Reads mutmut's per-file results (mutants/<path>.meta) and prints, per mutated module, how many
mutants the tests killed (a test failed, or the mutant timed out) out of those it ran, and lists
the survivors so they can be read with `mutmut show NAME`.

    python bench/mutation_score.py [--survivors] [MUTANTS_DIR]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

# mutmut's exit codes (mutmut/stats.py): 1 and 3 a failing test, 0 survived, timeouts by signal.
KILLED = {1, 3}
TIMEOUT = {36, -24, 24, 152, 255}
SURVIVED = {0}
UNTESTED = {5, 33}  # no test runs the mutated function: as good as survived


def main(argv: list[str]) -> int:
    show = "--survivors" in argv
    args = [a for a in argv if a != "--survivors"]
    root = Path(args[0] if args else "mutants")
    metas = sorted(root.rglob("*.py.meta"))
    if not metas:
        print(f"no mutmut results under {root}; run `make mutation` first", file=sys.stderr)
        return 1
    print(
        f"{'module':<22} {'killed':>7} {'timeout':>8} {'survived':>9} {'untested':>9} "
        f"{'not run':>8} {'score':>7}"
    )
    for meta in metas:
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts = Counter(
            "killed"
            if c in KILLED
            else "timeout"
            if c in TIMEOUT
            else "survived"
            if c in SURVIVED
            else "untested"
            if c in UNTESTED
            else "not run"  # not run yet, interrupted, suspicious
            for c in codes.values()
        )
        ran = sum(counts[k] for k in ("killed", "timeout", "survived", "untested"))
        score = 100 * (counts["killed"] + counts["timeout"]) / ran if ran else 0.0
        name = meta.relative_to(root).as_posix().removesuffix(".meta")
        print(
            f"{name:<22} {counts['killed']:>7} {counts['timeout']:>8} {counts['survived']:>9} "
            f"{counts['untested']:>9} {counts['not run']:>8} {score:>6.1f}%"
        )
        if show:
            for key, code in sorted(codes.items()):
                if code in SURVIVED | UNTESTED:
                    print(f"    {'survived' if code in SURVIVED else 'untested'}: {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
