"""The local executor: one process pool, bounded in flight, results in input order."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context


@dataclass(frozen=True, slots=True)
class Crashed:
    """A work unit whose worker process died (e.g. MuPDF crashed): what map() yields for it."""

    item: object
    error: BaseException


def _die_with_parent() -> None:
    """Worker initializer: a worker must not outlive a killed run (Linux: PR_SET_PDEATHSIG)."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # elsewhere the worker ends when its call queue closes


class _Now:
    """workers=1: the same interface as a future, computed at once in this process."""

    def __init__(self, fn, item) -> None:
        self.value = fn(item)

    def result(self):
        return self.value


class LocalExecutor:
    """Map a function over work units in a process pool on this machine (workers=1: in-process)."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"LocalExecutor.workers={workers}: use None (all cores) or >= 1")
        self.workers = workers or os.cpu_count() or 1

    def map(self, fn: Callable, items: Iterable, in_flight: int = 0) -> Iterator:
        """Given a picklable function and work units, yield fn(item) in input order, at most
        `in_flight` (default 2 x workers) computed ahead of the consumer. A unit whose worker died
        yields Crashed(item, error); the pool is renewed and the other units run on."""
        if self.workers <= 1:
            for item in items:
                yield fn(item)
            return
        in_flight = in_flight or 2 * self.workers
        # fork: workers inherit the caller's state (no re-import of a script's __main__)
        method = "fork" if "fork" in get_all_start_methods() else "spawn"

        def new_pool() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(self.workers, mp_context=get_context(method),
                                       initializer=_die_with_parent)

        pool = new_pool()
        pending: deque[tuple[object, Future]] = deque()
        try:
            for item in items:
                pending.append((item, pool.submit(fn, item)))
                while len(pending) >= in_flight:
                    out, pool = _take(pending, pool, fn, new_pool)
                    yield out
            while pending:
                out, pool = _take(pending, pool, fn, new_pool)
                yield out
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _take(pending: deque, pool: ProcessPoolExecutor, fn, new_pool):
    item, future = pending.popleft()
    try:
        return future.result(), pool
    except BrokenProcessPool as err:  # a worker died: the head unit is blamed, the rest rerun
        pool.shutdown(wait=False, cancel_futures=True)
        pool = new_pool()
        for i, (other, _) in enumerate(pending):
            pending[i] = (other, pool.submit(fn, other))
        return Crashed(item, err), pool
