"""The runtime a crate's code runs on, when the crate says it in one place: a single binary
whose `#[tokio::main(flavor = "current_thread")]` starts the only runtime.

On that runtime every task shares one thread, so a step that blocks it stalls the whole
process, not just the other branches of a join. quinn's perf: "a blocking step here would hold
the other branches up as long as it runs" understated it (held-out read 88 #4, #5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..crate_index import CrateIndex, FnDef
from ..facts import Src

__all__ = ["OneThread", "one_thread_runtime"]

# Tokens by which code builds a runtime of its own: then `main`'s flavour is not the only one.
_OTHER_RUNTIMES = frozenset({"new_multi_thread", "new_current_thread", "Runtime", "block_on"})
_FLAVOR = re.compile(r"#\[\s*tokio\s*::\s*main\s*\(\s*flavor\s*=\s*\"current_thread\"\s*\)\s*\]")


@dataclass(frozen=True)
class OneThread:
    main: FnDef
    attr: Src  # the attribute as written, in the main's file


def one_thread_runtime(index: CrateIndex) -> OneThread | None:
    """The crate's one `main` and its current_thread attribute, when the whole crate was read,
    it has exactly one `main` and nothing else builds or enters a runtime; else None. Worked out
    once per crate: every join branch of every file asks."""
    if "one_thread" not in index.memo:
        index.memo["one_thread"] = _search(index)
    found = index.memo["one_thread"]
    return found if isinstance(found, OneThread) else None


def _search(index: CrateIndex) -> OneThread | None:
    if not index.complete:
        return None
    mains = [d for d in index.fns if d.name == "main" and not d.owner and not d.is_test]
    if len(mains) != 1:
        return None
    d = mains[0]
    fs = index.files[d.file]
    it = fs.items[d.item]
    attr = next((a for a in it.attrs if _FLAVOR.fullmatch(a.strip())), None)
    if attr is None:
        return None
    for i, other in enumerate(index.files):
        if i in index.test_files:
            continue
        if any(t in _OTHER_RUNTIMES for t in other.scan.texts):
            return None
    start = fs.text.find(attr, it.start, it.keyword_start)
    if start < 0:
        return None
    return OneThread(d, Src(start, start + len(attr), attr))
