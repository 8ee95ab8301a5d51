"""Fixtures for the quarantine tests; they live in qfixtures.py so other test folders can import them."""

from .qfixtures import http_sink, keyring, own_redis, prefix, smtp_sink, store, users

__all__ = ["http_sink", "keyring", "own_redis", "prefix", "smtp_sink", "store", "users"]
