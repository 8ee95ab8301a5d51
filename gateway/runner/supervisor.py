"""Keeps a child process (the mitmdump proxy) running, and stops it cleanly.

A proxy that dies must come back: while it is down, the egress is closed
(clients cannot connect), which is the fail-closed side. Restarts back off so
a proxy that cannot start does not spin the CPU, and readiness reports it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Sequence

log = logging.getLogger(__name__)


class Supervised:
    def __init__(self, name: str, argv: Sequence[str], env: dict[str, str], max_backoff: float = 30.0) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = env
        self.max_backoff = max_backoff
        self.process: asyncio.subprocess.Process | None = None
        self.restarts = 0
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self) -> None:
        await self._spawn()
        self._task = asyncio.create_task(self._watch(), name=f"supervise-{self.name}")

    async def _spawn(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.argv, env=self.env, stdin=asyncio.subprocess.DEVNULL, start_new_session=True
        )
        log.info("started %s pid=%s", self.name, self.process.pid)

    async def _watch(self) -> None:
        backoff = 1.0
        while not self._stopping:
            assert self.process is not None
            status = await self.process.wait()
            if self._stopping:
                return
            self.restarts += 1
            log.error("%s exited with status %s; restarting in %.0fs", self.name, status, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.max_backoff)
            if not self._stopping:
                await self._spawn()

    async def stop(self, timeout: float = 15.0) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
        proc = self.process
        if proc is None or proc.returncode is not None:
            return
        # The child runs in its own session: signal the whole group (mitmdump's workers too).
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            log.warning("%s did not stop within %.0fs; killing it", self.name, timeout)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            await proc.wait()
