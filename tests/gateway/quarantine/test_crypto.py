from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gateway.quarantine.crypto import (
    ENV_KEYS,
    DecryptionError,
    Keyring,
    KeyringError,
    ensure_key,
    new_key_line,
)
from gateway.settings import Settings


def test_round_trip_binds_the_context() -> None:
    ring = Keyring.parse(new_key_line("a"), "t")
    blob = ring.encrypt(b"secret bytes", "Q-1/payload")
    assert b"secret bytes" not in blob
    assert ring.decrypt(blob, "Q-1/payload") == b"secret bytes"
    with pytest.raises(DecryptionError, match="fails authentication"):
        ring.decrypt(blob, "Q-2/payload")  # the blob moved to another item no longer opens


def test_same_plaintext_seals_differently_each_time() -> None:
    ring = Keyring.parse(new_key_line("a"), "t")
    assert ring.encrypt(b"x" * 40, "c") != ring.encrypt(b"x" * 40, "c")


def test_altered_blob_is_refused() -> None:
    ring = Keyring.parse(new_key_line("a"), "t")
    blob = bytearray(ring.encrypt(b"payload", "c"))
    blob[-1] ^= 1
    with pytest.raises(DecryptionError):
        ring.decrypt(bytes(blob), "c")


def test_rotation_new_items_use_the_last_key_old_ones_still_open() -> None:
    first = new_key_line("k1")
    old = Keyring.parse(first, "t")
    sealed_old = old.encrypt(b"old item", "c")
    rotated = Keyring.parse(first + "\n" + new_key_line("k2"), "t")
    assert rotated.current == "k2"
    assert rotated.decrypt(sealed_old, "c") == b"old item"
    sealed_new = rotated.encrypt(b"new item", "c")
    with pytest.raises(DecryptionError, match="k2"):
        old.decrypt(sealed_new, "c")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no keys"),
        ("# only a comment\n", "no keys"),
        ("nocolon", "expected key-id:base64-key"),
        ("bad id!:AAAA", "expected key-id:base64-key"),
        ("k1:not*base64", "not valid base64"),
        ("k1:" + "QUFB", "must be 32 bytes"),
    ],
)
def test_bad_keyrings_say_why(text: str, message: str) -> None:
    with pytest.raises(KeyringError, match=message):
        Keyring.parse(text, "keys")


def test_duplicate_key_id_is_refused() -> None:
    line = new_key_line("same")
    with pytest.raises(KeyringError, match="appears twice"):
        Keyring.parse(line + "\n" + line, "keys")


def test_environment_variable_takes_commas(tmp_path: Path) -> None:
    env = {ENV_KEYS: new_key_line("e1") + "," + new_key_line("e2")}
    ring = Keyring.from_settings(Settings(state_dir=tmp_path), environ=env)
    assert ring.current == "e2" and set(ring.keys) == {"e1", "e2"}
    assert ensure_key(Settings(state_dir=tmp_path), environ=env) is None
    assert not (tmp_path / "quarantine.keys").exists()


def test_ensure_key_generates_a_private_key_file_once(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "state")
    path = ensure_key(settings, environ={})
    assert path == tmp_path / "state" / "quarantine.keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text()
    assert ensure_key(settings, environ={}) == path
    assert path.read_text() == content  # never regenerated
    ring = Keyring.from_settings(settings, environ={})
    assert len(ring.keys[ring.current]) == 32


def test_configured_key_file_must_exist_and_is_never_generated(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path, key_file=tmp_path / "typo.keys")
    with pytest.raises(KeyringError, match="does not exist"):
        ensure_key(settings, environ={})
    assert not (tmp_path / "typo.keys").exists()


def test_world_readable_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(new_key_line("k") + "\n")
    os.chmod(path, 0o644)
    with pytest.raises(KeyringError, match="chmod 600"):
        Keyring.from_file(path)
    os.chmod(path, 0o600)
    assert Keyring.from_file(path).current == "k"


def test_derived_keys_differ_by_purpose() -> None:
    ring = Keyring.parse(new_key_line("k"), "t")
    assert ring.mac("k", "a", b"x") != ring.mac("k", "b", b"x")
    with pytest.raises(DecryptionError):
        ring.mac("missing", "a", b"x")
