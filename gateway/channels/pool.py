"""Inspection off the event loop: worker processes that each build their runtime once.

The proxy's and the mail filter's event loops must keep answering while large
transfers are inspected, so every job that costs CPU runs in a worker process
with the `Runtime` (the Inspector, release grants) that worker built when it
started. A channel hands the pool a module-level function `job(runtime, *args)`
and what to answer when the job cannot finish; `WorkerPool.run` never raises.

Every way a job can fail ends in `on_failure(reason)`, with a reason code from
`metrics.ERROR_REASONS`, so the channel can fail closed:

- the deadline passes: the worker stops itself (SIGALRM) and says `timeout`; if
  it is stuck in C code and cannot, the pool is killed and restarted;
- a worker dies (BrokenProcessPool): `worker_crash`, and the pool is restarted;
- the worker has no runtime (its factory failed) or the job raised: `internal`.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from gateway.settings import Settings

log = logging.getLogger("gateway.channels.pool")

DEFAULT_FACTORY = "gateway.channels.pool:build_runtime"

R = TypeVar("R")


class Inspecting(Protocol):
    def inspect_for(self, data: bytes, name: str, destinations: Sequence[str | None]) -> list[Any]: ...


@dataclass
class Runtime:
    """What a worker builds once: the Inspector and, when the store is reachable, release grants."""

    inspector: Inspecting
    take_grant: Callable[[str], str | None] | None = None
    grant_key: Callable[[str, str, str, bytes], str] | None = None


def build_runtime(settings: Settings) -> Runtime:
    """The real runtime: `bootstrap.build_inspector` (analyzer and agreements loaded once) and the store."""
    from gateway.bootstrap import build_inspector
    from gateway.quarantine.store import QuarantineStore, grant_key

    inspector = build_inspector(settings)
    try:
        store = QuarantineStore.from_settings(settings)
    except Exception as exc:  # noqa: BLE001 - no store: grants cannot be honoured, inspection still runs
        log.warning("release grants unavailable in this worker: %s", type(exc).__name__)
        return Runtime(inspector)
    return Runtime(inspector, store.take_grant, grant_key)


# ---------------------------------------------------------------- inside a worker process


@dataclass
class _WorkerState:
    runtime: Runtime | None = None
    error: str | None = None


_STATE = _WorkerState()  # one per worker process, set by the pool's initializer


@dataclass(frozen=True)
class Failure:
    """What a worker sends back instead of the job's result: the reason, for `on_failure` in the parent."""

    reason: str


class DeadlineExceeded(BaseException):
    """Raised inside a worker by SIGALRM when the job's deadline passes.

    A BaseException, so that no library's `except Exception` can swallow it.
    """


def _initialise(settings: Settings, factory: str) -> None:
    """Process initializer: build the runtime once. A failure is remembered and reported per job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which shuts us down
    try:
        module, _, name = factory.partition(":")
        _STATE.runtime = getattr(importlib.import_module(module), name)(settings)
    except Exception as exc:  # noqa: BLE001 - remembered; every job then fails closed with it
        _STATE.error = f"{type(exc).__name__}: {exc}"
        log.error("worker %d could not build the inspector: %s", os.getpid(), _STATE.error)


def ping() -> tuple[int, str | None]:
    """Warm-up probe: this worker's pid, and None when its runtime is ready, else why not."""
    time.sleep(0.05)  # let the other workers take their share of the probes
    return os.getpid(), (_STATE.error or "no inspector") if _STATE.runtime is None else None


@contextlib.contextmanager
def _deadline(deadline: float) -> Iterator[None]:
    remaining = deadline - time.time()
    if remaining <= 0:
        raise DeadlineExceeded

    def _alarm(signum: int, frame: object) -> None:
        raise DeadlineExceeded

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_job(job: Callable[..., Any], args: tuple[Any, ...], deadline: float) -> Any:
    """What the pool runs in a worker: `job(runtime, *args)` before `deadline` (wall clock), or a `Failure`."""
    if _STATE.runtime is None:
        log.error("job refused: the worker has no inspector (%s)", _STATE.error)
        return Failure("internal")
    try:
        with _deadline(deadline):
            return job(_STATE.runtime, *args)
    except DeadlineExceeded:
        return Failure("timeout")
    except Exception as exc:
        log.exception("inspection failed with %s", type(exc).__name__)
        return Failure("internal")


# ---------------------------------------------------------------- the pool, in the parent process


class WorkerPool:
    """A process pool whose workers each hold a Runtime; `run` never raises.

    At most `2 × workers` jobs are handed to the pool at once, so a burst of
    large transfers waits in the parent (holding only the bytes it already
    has) instead of being copied into the pool's queues all at once.
    """

    def __init__(self, settings: Settings, *, workers: int, timeout: float, factory: str = DEFAULT_FACTORY,
                 grace: float = 5.0) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self.timeout = timeout
        self.factory = factory
        self.grace = grace
        self._executor: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            _repair_sys_path()
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_initialise,
                initargs=(self.settings, self.factory),
            )
        return self._executor

    async def warm_up(self, rounds: int = 20) -> list[str]:
        """Start the workers and wait until each has built its runtime; returns the problems found."""
        loop = asyncio.get_running_loop()
        seen: dict[int, str | None] = {}
        for _round in range(rounds):
            futures = [loop.run_in_executor(self._pool(), ping) for _ in range(self.workers)]
            for result in await asyncio.gather(*futures, return_exceptions=True):
                if isinstance(result, BaseException):
                    return [f"inspection workers did not start: {type(result).__name__}"]
                pid, problem = result
                seen[pid] = problem
            if len(seen) >= self.workers:
                break
        return sorted({p for p in seen.values() if p})

    async def run(self, job: Callable[..., R], *args: Any, on_failure: Callable[[str], R]) -> R:
        """`job(runtime, *args)` in a worker within the deadline (queueing included); else `on_failure(reason)`.

        `job` must be a module-level function (it is pickled by name). What
        `on_failure` builds is made here, in the parent, so it should be cheap.
        """
        deadline = time.time() + self.timeout
        if self._slots is None:
            self._slots = asyncio.Semaphore(2 * self.workers)
        async with self._slots:
            for _attempt in range(2):
                remaining = deadline - time.time()
                if remaining <= 0:
                    return on_failure("timeout")
                pool = self._pool()
                try:
                    future: Future[Any] = pool.submit(run_job, job, args, deadline)
                    result = await asyncio.wait_for(asyncio.wrap_future(future), remaining + self.grace)
                except TimeoutError:
                    log.error("a worker missed the inspection deadline and did not stop; restarting the pool")
                    self._restart(pool)
                    return on_failure("timeout")
                except BrokenProcessPool:
                    if getattr(pool, "dlp_retired", False):
                        continue  # we killed that pool for another job's sake: try once more on the new one
                    log.error("an inspection worker died; restarting the pool")
                    self._restart(pool)
                    return on_failure("worker_crash")
                except Exception as exc:  # noqa: BLE001 - whatever it is, the transfer is held, not sent
                    log.error("inspection could not be run: %s", type(exc).__name__)
                    return on_failure("internal")
                if isinstance(result, Failure):
                    return on_failure(result.reason)
                return result
        return on_failure("worker_crash")

    def _restart(self, pool: ProcessPoolExecutor) -> None:
        """Kill a pool's processes (a stuck worker cannot be stopped any other way) and start afresh."""
        if self._executor is not pool:
            return
        pool.dlp_retired = True  # type: ignore[attr-defined]
        self._executor = None
        _kill(pool)

    def close(self) -> None:
        """Stop every worker now; used at shutdown."""
        if self._executor is not None:
            pool, self._executor = self._executor, None
            _kill(pool)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _repair_sys_path() -> None:
    """Workers inherit sys.path; this package's folder on it would let `http.py` shadow the stdlib `http`."""
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _PACKAGE_DIR]


def _kill(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
