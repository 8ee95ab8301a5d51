"""Worker factories and jobs for the generic pool's tests, importable from spawned worker processes.

Jobs must be module-level functions (the pool pickles them by name) taking the
worker's Runtime first, exactly as a channel's jobs do.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gateway.channels.pool import Runtime
from gateway.settings import Settings

FACTORY = "tests.gateway.channels.pool_fakes:build_runtime"
BROKEN_FACTORY = "tests.gateway.channels.pool_fakes:build_broken_runtime"


class NullInspector:
    """Nothing in these tests inspects: the jobs below only show what the pool does with them."""

    def inspect_for(self, data: bytes, name: str, destinations: Sequence[str | None]) -> list[Any]:
        raise AssertionError("not used")


def build_runtime(settings: Settings) -> Runtime:
    return Runtime(NullInspector())


def build_broken_runtime(settings: Settings) -> Runtime:
    raise RuntimeError("rules folder is broken")


def where(runtime: Runtime, value: Any) -> tuple[int, Any, str]:
    """The worker's pid, the argument back, and the runtime's inspector: proof the job ran in a worker."""
    return os.getpid(), value, type(runtime.inspector).__name__


def sleep(runtime: Runtime, seconds: float) -> str:
    time.sleep(seconds)
    return "woke up"


def stuck(runtime: Runtime) -> str:
    """Like C code that never returns to the interpreter: deaf to the deadline signal."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(60)
    return "never"


def crash(runtime: Runtime) -> str:
    os._exit(3)


def explode(runtime: Runtime) -> str:
    raise RuntimeError("detector exploded")


def wait_for(runtime: Runtime, flag: str) -> str:
    """Block until the test creates `flag` (the deadline stops it otherwise)."""
    while not Path(flag).exists():
        time.sleep(0.02)
    return "released"
