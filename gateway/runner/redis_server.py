"""A Redis of the gateway's own, for a single node that was given no REDIS_URL.

It keeps its data on disk under `<state_dir>/redis` with the append-only file
on (fsync every second), so held items survive a restart; it listens on
loopback only, with a random password, and records how to reach it in
`<state_dir>/redis.json` so the other commands (`quarantine list`, ...) find it.
Several nodes behind a load balancer must share one external Redis instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


class RedisStartError(Exception):
    """The managed Redis could not be started; the message says why."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ManagedRedis:
    def __init__(self, state_dir: Path, binary: str = "redis-server") -> None:
        self.state_dir = state_dir.resolve()
        self.data_dir = self.state_dir / "redis"
        self.record = self.state_dir / "redis.json"
        self.binary = binary
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self, timeout: float = 15.0) -> str:
        exe = shutil.which(self.binary)
        if exe is None:
            raise RedisStartError("redis-server is not installed; install it or set REDIS_URL")
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        password = self._password()
        port = free_port()
        args = [
            exe, "--bind", "127.0.0.1", "--port", str(port), "--protected-mode", "yes",
            "--dir", str(self.data_dir), "--appendonly", "yes", "--appendfsync", "everysec",
            "--save", "900 1", "--dbfilename", "dump.rdb", "--daemonize", "no",
            "--logfile", str(self.data_dir / "redis.log"), "--requirepass", password,
        ]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.url = f"redis://:{password}@127.0.0.1:{port}/0"
        deadline = time.monotonic() + timeout
        client = redis.Redis.from_url(self.url, socket_timeout=1)
        while True:
            if self.process.poll() is not None:
                raise RedisStartError(f"redis-server exited with status {self.process.returncode}; "
                                      f"see {self.data_dir / 'redis.log'}")
            # While it loads the append-only file Redis answers LOADING; wait for it.
            with contextlib.suppress(redis.exceptions.BusyLoadingError, redis.exceptions.ConnectionError):
                if client.ping():
                    break
            if time.monotonic() > deadline:
                self.stop()
                raise RedisStartError(f"redis-server did not answer within {timeout:g}s")
            time.sleep(0.05)
        self._write_record()
        return self.url

    def _password(self) -> str:
        secret = self.data_dir / "password"
        if secret.exists():
            return secret.read_text().strip()
        value = secrets.token_urlsafe(24)
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(value)
        return value

    def _write_record(self) -> None:
        fd = os.open(self.record, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"url": self.url, "pid": self.process.pid if self.process else None}, f)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Ask Redis to flush its append-only file and exit; kill it only if it will not."""
        if self.process is None or self.process.poll() is not None:
            return
        # SHUTDOWN closes the connection as it succeeds; other errors fall through to terminate.
        with contextlib.suppress(redis.exceptions.RedisError):
            redis.Redis.from_url(self.url, socket_timeout=2).shutdown(nosave=False)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.record.unlink(missing_ok=True)
