"""The one table of task mechanisms, and the one path resolver every layer uses.

Each row names a resolved path (after `use` is applied), the role it plays for a background task,
and whether it is a macro. Rules tag items with these roles, facts record where each is used,
the crate index reads execution context from them, and wording names them. Nothing else in the
package spells a tokio path: adding `tokio::task::spawn_local` here makes it a spawn everywhere.

Roles:
- ``spawn``: starts a new task that runs independently of the caller's future;
- ``blocking``: runs a closure on the blocking thread pool;
- ``join``: polls several futures together, inside the caller's task, until all finish;
- ``select``: polls several futures together until the first finishes, dropping the rest;
- ``sleep``: a one-off timer; ``interval``: a periodic timer (ticks with `.tick()`);
- ``timeout``: bounds a future with a deadline;
- ``cancel``: cancellation tokens (their futures and checks);
- ``signal``: process signals (ctrl-c, SIGTERM).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "Mechanism",
    "MECHANISMS",
    "CANCEL_METHODS",
    "mechanism",
    "resolve",
    "ROLES",
    "WRAPPED_SPAWN",
]

ROLES = (
    "spawn",
    "blocking",
    "in-place",
    "join",
    "select",
    "sleep",
    "interval",
    "timeout",
    "cancel",
    "signal",
)


# A runtime's or handle's own `spawn` (`rt.spawn(async ..)`), resolved to one path for its role.
HANDLE_SPAWN = "tokio::runtime::Handle::spawn"
# A fn of the crate whose whole job is to hand its future to a tokio spawn (serenity's
# `spawn_named`): calls to it are spawns, said as written (``wrappers.py`` finds them). Not a
# path any code can write, so it never names anything in prose.
WRAPPED_SPAWN = "crate::<spawn wrapper>"


def spawn_said(mechanism: str, written: str) -> str:
    """A spawn as prose names it: the mechanism's path, or for a runtime's own `spawn` the call
    as written (`runtime.spawn`), since whether its receiver is a `Runtime` or a `Handle` is not
    in the code at hand (docs.rs' registry watcher)."""
    if mechanism in (HANDLE_SPAWN, WRAPPED_SPAWN):
        return written
    # `crate::tokio::spawn` goes through a module of the crate's own, which may be a wrapper
    # of its own (graph-node's aborts the process on a panic): said as written, not as
    # `tokio::spawn` (held-out read 84 #12, #13).
    if re.match(r"(?:crate|self|super)::(?:\w+::)*tokio::", written):
        return written
    return mechanism


@dataclass(frozen=True)
class Mechanism:
    path: str  # resolved path, without `!`
    role: str
    is_macro: bool
    description: str
    # Which argument is the duration a wait's length is read from: `interval_at(start, period)`
    # paces by its second (restate's cleaner: "built from `Instant::now() + initial_wait` paces
    # the loop" named the first tick's delay as the pace, read 66).
    duration_arg: int = 0

    @property
    def written(self) -> str:
        """How prose names it: `tokio::join!` for a macro, `tokio::spawn` for a fn."""
        return self.path + ("!" if self.is_macro else "")


# fmt: off
MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism("tokio::spawn", "spawn", False, "starts a task on the runtime"),
    Mechanism("tokio::task::spawn", "spawn", False, "starts a task on the runtime"),
    Mechanism("tokio::task::spawn_local", "spawn", False, "starts a task on the local set"),
    # `set.spawn(..)` on a `tokio::task::JoinSet`: the set owns the task's handle.
    Mechanism("tokio::task::JoinSet::spawn", "spawn", False, "starts a task owned by a JoinSet"),
    # `Handle::current().spawn(async { .. })`, `rt.spawn(..)`: a task on that runtime.
    Mechanism(HANDLE_SPAWN, "spawn", False, "starts a task through a handle"),
    Mechanism(WRAPPED_SPAWN, "spawn", False, "a crate fn that hands its future to tokio::spawn"),
    Mechanism("tokio::task::spawn_blocking", "blocking", False, "closure on the blocking pool"),
    # Not a task: the closure runs right there, on the caller's own task, while the worker
    # thread is handed over (blind read 99: corrosion's `block_in_place` per need read as "its
    # own task" per element).
    Mechanism("tokio::task::block_in_place", "in-place", False, "blocks its worker in place"),
    Mechanism("tokio::join", "join", True, "polls futures until all complete"),
    Mechanism("tokio::try_join", "join", True, "polls futures until all succeed"),
    Mechanism("futures::future::join_all", "join", False, "awaits many futures together"),
    Mechanism("futures::future::try_join_all", "join", False, "awaits futures until all succeed"),
    Mechanism("futures::future::join", "join", False, "awaits two futures together"),
    Mechanism("tokio::select", "select", True, "polls futures until the first completes"),
    # The futures crate's own: same branch syntax (sccache's server races its accept loop in
    # `futures::select!`: "`listener.accept` is awaited bare" was false, a held-out read).
    Mechanism("futures::select", "select", True, "polls fused futures until one completes"),
    Mechanism("futures::select_biased", "select", True, "polls fused futures in order"),
    Mechanism("tokio::time::sleep", "sleep", False, "waits for a duration"),
    Mechanism("tokio::time::sleep_until", "sleep", False, "waits until an instant"),
    Mechanism("tokio::time::interval", "interval", False, "ticks at a fixed period"),
    Mechanism("tokio::time::interval_at", "interval", False, "ticks from an instant", 1),
    Mechanism("tokio::time::timeout", "timeout", False, "bounds a future by a duration"),
    Mechanism("tokio::time::timeout_at", "timeout", False, "bounds a future by a deadline"),
    Mechanism("tokio_util::sync::CancellationToken", "cancel", False, "a cancellation token"),
    Mechanism("tokio::signal::ctrl_c", "signal", False, "completes on ctrl-c"),
    Mechanism("tokio::signal::unix::signal", "signal", False, "a stream of a Unix signal"),
)
# fmt: on

# Methods of a cancellation token and what they do (receivers are untyped at this level).
CANCEL_METHODS: dict[str, str] = {
    "cancelled": "a future that completes when the token is cancelled",
    "cancelled_owned": "a future that completes when the token is cancelled",
    "is_cancelled": "whether the token has been cancelled",
    "run_until_cancelled": "runs a future unless the token is cancelled first (None then)",
    "run_until_cancelled_owned": "runs a future unless the token is cancelled first (None then)",
    "cancel": "cancels the token",
}

_BY_PATH = {m.path: m for m in MECHANISMS}
# Crates re-export the same items under shorter paths.
_ALIASES = {
    "futures::join_all": "futures::future::join_all",
    "futures_util::future::join_all": "futures::future::join_all",
    "futures::try_join_all": "futures::future::try_join_all",
    "futures_util::future::try_join_all": "futures::future::try_join_all",
    "tokio::task::yield_now": "",
}


def mechanism(path: str) -> Mechanism | None:
    """The mechanism a resolved path names, if any."""
    path = path.removesuffix("!")
    # tokio re-exported by a crate of the workspace (`use hbb_common::tokio;`, then
    # `tokio::spawn`): the same tokio (rustdesk-server gave no record at all, read 101's draft).
    if "::tokio::" in path and not path.startswith("tokio::"):
        path = "tokio::" + path.split("::tokio::", 1)[1]
    path = _ALIASES.get(path, path)
    return _BY_PATH.get(path) if path else None


def resolve(parts: Sequence[str], imports: Mapping[str, str]) -> str:
    """The full path of a path written as ``parts`` (`["time", "sleep"]`), through the file's
    `use` map (`time` -> `tokio::time`). A leading `::` or unknown head stays as written."""
    if not parts:
        return ""
    if len(parts) > 1:
        # A whole path bound at once (`crate::sync::spawn`, a spawn wrapper called by its path:
        # pict-rs's heartbeat task, held-out read 102 #5).
        whole = imports.get("::".join(parts))
        if whole:
            return whole
    head = imports.get(parts[0])
    if head:
        return "::".join([head, *parts[1:]])
    return "::".join(parts)
