"""The gateway's own Redis keeps held data across a restart (append-only file on disk)."""

import json
import os
import stat
from pathlib import Path

import pytest
import redis

from gateway.runner.redis_server import ManagedRedis, RedisStartError

pytestmark = pytest.mark.e2e


def test_data_survives_restart_and_record_is_private(tmp_path: Path) -> None:
    first = ManagedRedis(tmp_path)
    url = first.start()
    record = json.loads((tmp_path / "redis.json").read_text())
    assert record["url"] == url
    assert stat.S_IMODE(os.stat(tmp_path / "redis.json").st_mode) == 0o600
    client = redis.Redis.from_url(url)
    client.set("held", "item")
    first.stop()
    assert not first.alive()
    assert not (tmp_path / "redis.json").exists()
    assert (tmp_path / "redis" / "appendonlydir").is_dir()

    second = ManagedRedis(tmp_path)
    try:
        assert redis.Redis.from_url(second.start()).get("held") == b"item"
    finally:
        second.stop()


def test_requires_password(tmp_path: Path) -> None:
    managed = ManagedRedis(tmp_path)
    url = managed.start()
    try:
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis(host="127.0.0.1", port=port).ping()
    finally:
        managed.stop()


def test_missing_binary_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RedisStartError, match="not installed"):
        ManagedRedis(tmp_path, binary="no-such-redis-server").start()
