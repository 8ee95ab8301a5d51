"""The generic worker pool: jobs run in worker processes, and every failure ends in `on_failure(reason)`.

The worker side (`run_job`) and the parent's retry and restart logic are
tested in this process; the tests marked e2e start real worker processes to
show that timeouts, a worker deaf to its deadline, crashes, a broken runtime
factory and the concurrency cap behave as promised.
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from gateway.channels import pool as pool_mod
from gateway.channels.pool import Failure, Runtime, WorkerPool, run_job
from gateway.settings import Settings
from tests.gateway.channels import pool_fakes
from tests.gateway.channels.pool_fakes import BROKEN_FACTORY, FACTORY, NullInspector


def failure(reason: str) -> tuple[str, str]:
    return ("failed", reason)


# ------------------------------------------------------------------ inside a worker (run in this process)


@pytest.fixture
def worker_with_runtime(monkeypatch):
    monkeypatch.setattr(pool_mod, "_STATE", pool_mod._WorkerState(Runtime(NullInspector())))


def test_job_gets_the_worker_runtime_first(worker_with_runtime):
    pid, value, inspector = run_job(pool_fakes.where, ("x",), time.time() + 5)
    assert (pid, value, inspector) == (os.getpid(), "x", "NullInspector")


def test_worker_deadline_stops_a_slow_job(worker_with_runtime):
    assert run_job(pool_fakes.sleep, (10,), time.time() + 0.3) == Failure("timeout")


def test_deadline_already_passed_runs_nothing(worker_with_runtime):
    assert run_job(pool_fakes.where, ("x",), time.time() - 1) == Failure("timeout")


def test_job_exception_is_internal_and_carries_no_detail(worker_with_runtime):
    assert run_job(pool_fakes.explode, (), time.time() + 5) == Failure("internal")


def test_worker_without_runtime_fails_closed(monkeypatch):
    monkeypatch.setattr(pool_mod, "_STATE", pool_mod._WorkerState(None, "RuleError: rules/x.yaml:id: missing"))
    assert run_job(pool_fakes.where, ("x",), time.time() + 5) == Failure("internal")


# ------------------------------------------------------------------ the parent's logic, over stand-in executors


class FakeExecutor:
    """Answers every submit at once with `result`, or with `error`; `before` runs first (as another job would)."""

    def __init__(self, result: Any = None, error: BaseException | None = None, before: Any = None) -> None:
        self.result, self.error, self.before = result, error, before
        self.submitted = 0
        self.shut = False
        self._processes: dict[int, Any] = {}

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        self.submitted += 1
        if self.before is not None:
            self.before(self)
        future: Future[Any] = Future()
        if self.error is not None:
            future.set_exception(self.error)
        else:
            future.set_result(self.result)
        return future

    def shutdown(self, wait: bool, cancel_futures: bool) -> None:
        self.shut = True


def with_executors(wp: WorkerPool, monkeypatch, *executors: FakeExecutor) -> None:
    queue = list(executors)

    def next_pool() -> Any:
        if wp._executor is None:
            wp._executor = queue.pop(0)
        return wp._executor

    monkeypatch.setattr(wp, "_pool", next_pool)


def new_pool() -> WorkerPool:
    return WorkerPool(Settings(), workers=1, timeout=30, factory=FACTORY, grace=0.5)


async def test_a_failure_reported_by_the_worker_goes_to_on_failure(monkeypatch):
    wp = new_pool()
    with_executors(wp, monkeypatch, FakeExecutor(result=Failure("timeout")))
    assert await wp.run(pool_fakes.where, 1, on_failure=failure) == ("failed", "timeout")


async def test_a_pool_retired_for_another_job_is_retried_once_on_the_new_one(monkeypatch):
    wp = new_pool()
    # While our job waits, another job's deadline makes the pool restart: ours sees a broken pool.
    retired = FakeExecutor(error=BrokenProcessPool(), before=wp._restart)
    fresh = FakeExecutor(result="done")
    with_executors(wp, monkeypatch, retired, fresh)
    assert await wp.run(pool_fakes.where, 1, on_failure=failure) == "done"
    assert retired.shut and fresh.submitted == 1


async def test_a_dead_worker_is_a_crash_and_the_pool_is_replaced(monkeypatch):
    wp = new_pool()
    broken = FakeExecutor(error=BrokenProcessPool())
    with_executors(wp, monkeypatch, broken, FakeExecutor(result="done"))
    assert await wp.run(pool_fakes.where, 1, on_failure=failure) == ("failed", "worker_crash")
    assert broken.shut and wp._executor is None
    assert await wp.run(pool_fakes.where, 1, on_failure=failure) == "done"


async def test_a_job_that_cannot_be_handed_over_is_internal(monkeypatch):
    wp = new_pool()
    with_executors(wp, monkeypatch, FakeExecutor(error=TypeError("cannot pickle 'generator' object")))
    assert await wp.run(pool_fakes.where, 1, on_failure=failure) == ("failed", "internal")


# ------------------------------------------------------------------ real worker processes


@pytest.fixture
def pool_factory():
    pools: list[WorkerPool] = []

    def make(factory: str = FACTORY, timeout: float = 30.0, workers: int = 2) -> WorkerPool:
        wp = WorkerPool(Settings(), workers=workers, timeout=timeout, factory=factory, grace=0.5)
        pools.append(wp)
        return wp

    yield make
    for wp in pools:
        wp.close()


@pytest.mark.e2e
async def test_jobs_run_in_worker_processes_with_their_runtime(pool_factory):
    wp = pool_factory()
    assert await wp.warm_up() == []
    results = await asyncio.gather(*(wp.run(pool_fakes.where, n, on_failure=failure) for n in range(3)))
    assert [value for _, value, _ in results] == [0, 1, 2]
    assert all(pid != os.getpid() and inspector == "NullInspector" for pid, _, inspector in results)


@pytest.mark.e2e
async def test_timeout_fails_closed_and_pool_keeps_working(pool_factory):
    wp = pool_factory(timeout=1.0)
    assert await wp.run(pool_fakes.sleep, 30, on_failure=failure) == ("failed", "timeout")
    assert (await wp.run(pool_fakes.where, "next", on_failure=failure))[1] == "next"


@pytest.mark.e2e
async def test_pool_kills_a_worker_deaf_to_the_deadline(pool_factory):
    wp = pool_factory(timeout=1.0)
    assert await wp.run(pool_fakes.stuck, on_failure=failure) == ("failed", "timeout")
    assert (await wp.run(pool_fakes.where, "next", on_failure=failure))[1] == "next"


@pytest.mark.e2e
async def test_worker_crash_fails_closed_and_pool_restarts(pool_factory):
    wp = pool_factory()
    assert await wp.run(pool_fakes.crash, on_failure=failure) == ("failed", "worker_crash")
    assert (await wp.run(pool_fakes.where, "next", on_failure=failure))[1] == "next"


@pytest.mark.e2e
async def test_broken_factory_is_reported_and_every_job_fails_closed(pool_factory):
    wp = pool_factory(BROKEN_FACTORY, workers=1)
    problems = await wp.warm_up()
    assert problems and "rules folder is broken" in problems[0]
    assert await wp.run(pool_fakes.where, "x", on_failure=failure) == ("failed", "internal")


@pytest.mark.e2e
async def test_at_most_twice_the_workers_are_handed_to_the_pool_at_once(pool_factory, tmp_path: Path):
    wp = pool_factory(workers=1, timeout=60)
    assert await wp.warm_up() == []
    executor = wp._pool()
    handed: list[Future[Any]] = []
    peak = 0
    submit = executor.submit

    def counting_submit(*args: Any, **kwargs: Any) -> Future[Any]:
        nonlocal peak
        future = submit(*args, **kwargs)
        handed.append(future)
        peak = max(peak, sum(not f.done() for f in handed))
        return future

    executor.submit = counting_submit  # type: ignore[method-assign]
    flag = tmp_path / "go"
    jobs = [asyncio.ensure_future(wp.run(pool_fakes.wait_for, str(flag), on_failure=failure)) for _ in range(5)]
    for _ in range(3000):  # until the first two are handed over (bounded, not timed)
        if len(handed) >= 2:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)  # room for the other three to push in, were there no cap
    assert len(handed) == 2 and not any(job.done() for job in jobs)
    flag.touch()
    assert await asyncio.gather(*jobs) == ["released"] * 5
    assert len(handed) == 5 and peak == 2
