"""Forked worker processes that compute ``work(i)`` for every index and hand the results back in
index order, whatever the number of workers: the output of a command does not depend on it.

Stdlib only and nothing heavy: `items` runs in loops and benchmarks, where the interpreter's
start-up is a good part of the time, and ``multiprocessing`` with ``concurrent.futures`` costs
more to import (and to start) than scanning a small crate. The scheme is small enough to hold in
one function:

- The parent forks the workers, so they start with every module imported and every input in
  memory; nothing is pickled on the way in.
- Tasks (indices, 4 bytes each) wait in one pipe that every worker reads. A read of 4 bytes from a
  pipe takes 4 bytes whole (Linux holds the pipe's lock for the read, and the parent writes whole
  indices, at most ``PIPE_BUF`` bytes at a time, which POSIX makes atomic), so a task goes to
  exactly one worker, and whichever worker is free takes the next: a busy core slows its worker
  but does not hold back the rest.
- Each worker sends ``(index, length, bytes)`` frames back through a pipe of its own; the parent
  polls them and yields each result as soon as every result before it has arrived.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import struct
from collections.abc import Callable, Iterator, Sequence

__all__ = ["default_jobs", "ordered_map"]

_TASK = struct.Struct("<I")
_FRAME = struct.Struct("<iI")  # index (-1: the worker failed, the bytes are why), length
_FAILED = -1
# Whole tasks per write: a multiple of the task size within PIPE_BUF (at least 512 by POSIX).
_TASK_WRITE = (512 // _TASK.size) * _TASK.size
_READ = 1 << 16


def default_jobs() -> int:
    """Worker processes: ``SVIXBT_JOBS`` when set, else the cores available."""
    env = os.environ.get("SVIXBT_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class WorkerError(RuntimeError):
    """A worker failed or ended before its work was done."""


def ordered_map(
    work: Callable[[int], bytes], n: int, jobs: int, order: Sequence[int] | None = None
) -> Iterator[bytes]:
    """``work(i)`` for ``i`` in ``range(n)``, yielded in that order, computed by ``jobs`` forked
    workers (in this process when ``jobs`` is 1, or without ``fork`` and ``poll``).

    ``order`` is the order in which tasks are handed out (the default: index order); giving the
    costliest first keeps one big task from starting last and finishing alone. ``work`` runs in
    a worker, so what it changes in memory stays there; only its bytes come back. An exception in
    ``work`` comes back as a ``WorkerError`` with the worker's message.
    """
    if jobs <= 1 or n <= 1 or not hasattr(os, "fork") or not hasattr(select, "poll"):
        for i in range(n):
            yield work(i)
        return
    tasks = b"".join(_TASK.pack(i) for i in (range(n) if order is None else order))
    sent = 0  # bytes of ``tasks`` in the pipe so far
    task_r, task_w = os.pipe()
    pids: list[int] = []
    bufs: dict[int, bytearray] = {}  # the parent's end of each worker's result pipe
    nxt = 0  # the next index to yield
    try:
        for _ in range(min(jobs, n)):
            res_r, res_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the worker; it never returns
                _worker(work, task_r, res_w, [task_w, res_r, *bufs])
            os.close(res_w)
            pids.append(pid)
            bufs[res_r] = bytearray()
        os.close(task_r)
        task_r = -1
        os.set_blocking(task_w, False)
        poller = select.poll()
        poller.register(task_w, select.POLLOUT)
        for fd in bufs:
            poller.register(fd, select.POLLIN)
        done: dict[int, bytes] = {}
        while nxt < n:
            if nxt in done:
                yield done.pop(nxt)
                nxt += 1
                continue
            if not bufs:
                raise WorkerError("a worker process ended before its work was done")
            for fd, _ in poller.poll():
                if fd == task_w:
                    try:
                        sent += os.write(task_w, tasks[sent : sent + _TASK_WRITE])
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:  # every worker is gone; reported below
                        sent = len(tasks)
                    if sent == len(tasks):
                        # End of the task list: a worker that finds the pipe empty now stops.
                        poller.unregister(task_w)
                        os.close(task_w)
                        task_w = -1
                    continue
                data = os.read(fd, _READ)
                if not data:
                    poller.unregister(fd)
                    os.close(fd)
                    del bufs[fd]
                    continue
                buf = bufs[fd]
                buf += data
                _frames(buf, done)
    finally:
        for fd in (task_r, task_w, *bufs):
            if fd >= 0:
                os.close(fd)
        if nxt < n:  # stopped early (an error, Ctrl-C, a closed generator): stop the workers
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
        for pid in pids:
            os.waitpid(pid, 0)


def _frames(buf: bytearray, done: dict[int, bytes]) -> None:
    """Move every whole frame at the front of ``buf`` into ``done``."""
    head = _FRAME.size
    while len(buf) >= head:
        index, length = _FRAME.unpack_from(buf)
        if len(buf) < head + length:
            return
        payload = bytes(buf[head : head + length])
        del buf[: head + length]
        if index == _FAILED:
            raise WorkerError(payload.decode("utf-8", "replace"))
        done[index] = payload


def _worker(work: Callable[[int], bytes], task_r: int, res_w: int, close: list[int]) -> None:
    # Ctrl-C reaches the whole process group; stopping the workers is the parent's to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    code = 0
    try:
        # The task pipe ends (a read returns nothing) only once no process holds its write end,
        # so the worker's inherited copy goes; likewise the other workers' result pipes.
        for fd in close:
            os.close(fd)
        while True:
            task = os.read(task_r, _TASK.size)
            while task and len(task) < _TASK.size:  # never seen (see above); cheap to be sure
                more = os.read(task_r, _TASK.size - len(task))
                if not more:
                    raise WorkerError("the task pipe ended inside a task")
                task += more
            if not task:
                break
            (index,) = _TASK.unpack(task)
            payload = work(index)
            _write_all(res_w, _FRAME.pack(index, len(payload)) + payload)
    except BaseException as exc:  # whatever it is, the parent reports it
        code = 1
        message = f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")
        with contextlib.suppress(OSError):
            _write_all(res_w, _FRAME.pack(_FAILED, len(message)) + message)
    finally:
        # Never back into the parent's code: no atexit handlers, no flushing its buffers.
        os._exit(code)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
