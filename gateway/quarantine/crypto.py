"""Encryption of held payloads: a keyring of AES-256-GCM keys with ids, so keys can rotate.

The quarantine holds the most sensitive data the force has, so nothing a sender
sent is ever written to Redis in clear. Each blob names the key that sealed it,
which lets an operator add a new key (new items use it) while older items stay
readable under the keys they were sealed with.

Keyring text format (file, or the `DLP_QUARANTINE_KEYS` variable)::

    # comment
    2026-01:q0l3Vv...base64 of 32 random bytes...=
    2026-07:Zx9...=

one `key-id:base64-key` per line (the variable may also separate entries with
commas). The LAST entry is the current key, used for new items; every entry is
used for reading. A key id is 1-32 characters of letters, digits, `.`, `_`, `-`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from gateway.settings import Settings

ENV_KEYS = "DLP_QUARANTINE_KEYS"
DEFAULT_KEY_FILE = "quarantine.keys"
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,32}$")
_VERSION = 1
_NONCE_BYTES = 12


class KeyringError(Exception):
    """No usable key, or a key file that cannot be trusted; the message says which and why."""


class DecryptionError(Exception):
    """A blob cannot be opened: unknown key id, wrong key, or tampered ciphertext."""


@dataclass(frozen=True)
class Keyring:
    """Keys by id; `current` seals new blobs, all of them open old ones."""

    keys: dict[str, bytes]
    current: str
    source: str = "memory"

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise KeyringError(f"{self.source}: current key {self.current!r} is not in the keyring")
        for key_id, key in self.keys.items():
            if len(key) != 32:
                raise KeyringError(f"{self.source}: key {key_id!r} must be 32 bytes (AES-256), not {len(key)}")

    # --- sealing ------------------------------------------------------------------
    def encrypt(self, plaintext: bytes, context: str) -> bytes:
        """Seal `plaintext`; `context` (item reference and field) is bound as associated data.

        Binding the context means a blob copied onto another item or field no
        longer opens, so ciphertexts cannot be shuffled between items.
        """
        kid = self.current.encode("ascii")
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current]).encrypt(nonce, plaintext, context.encode("utf-8"))
        return bytes([_VERSION, len(kid)]) + kid + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> bytes:
        if len(blob) < 2 or blob[0] != _VERSION:
            raise DecryptionError("not a sealed quarantine blob")
        kid_len = blob[1]
        kid = blob[2 : 2 + kid_len].decode("ascii", "replace")
        nonce = blob[2 + kid_len : 2 + kid_len + _NONCE_BYTES]
        sealed = blob[2 + kid_len + _NONCE_BYTES :]
        key = self.keys.get(kid)
        if key is None:
            raise DecryptionError(f"sealed with key {kid!r}, which is not in the keyring")
        try:
            return AESGCM(key).decrypt(nonce, sealed, context.encode("utf-8"))
        except InvalidTag:
            raise DecryptionError(f"blob for {context!r} fails authentication (wrong key or altered)") from None

    # --- keyed hashing (audit chain, session tokens) --------------------------------
    def derived(self, key_id: str, purpose: str) -> bytes:
        """A 32-byte subkey for `purpose`, so one configured secret serves several uses safely."""
        if key_id not in self.keys:
            raise DecryptionError(f"key {key_id!r} is not in the keyring")
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(self.keys[key_id])

    def mac(self, key_id: str, purpose: str, data: bytes) -> str:
        return hmac.new(self.derived(key_id, purpose), data, hashlib.sha256).hexdigest()

    # --- loading ------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str, source: str) -> Keyring:
        keys: dict[str, bytes] = {}
        current = ""
        entries = [e.strip() for line in text.splitlines() for e in line.split(",")]
        for number, entry in enumerate(entries, 1):
            if not entry or entry.startswith("#"):
                continue
            key_id, sep, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not sep or not _KEY_ID.match(key_id):
                raise KeyringError(f"{source}: entry {number}: expected key-id:base64-key")
            try:
                raw = base64.b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4), altchars=b"-_")
            except (binascii.Error, ValueError):
                raise KeyringError(f"{source}: key {key_id!r} is not valid base64") from None
            if key_id in keys:
                raise KeyringError(f"{source}: key id {key_id!r} appears twice")
            keys[key_id] = raw
            current = key_id
        if not keys:
            raise KeyringError(f"{source}: no keys")
        return cls(keys=keys, current=current, source=source)

    @classmethod
    def from_file(cls, path: Path) -> Keyring:
        try:
            info = path.stat()
            text = path.read_text(encoding="ascii")
        except FileNotFoundError:
            raise KeyringError(f"{path}: quarantine key file does not exist") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyringError(f"{path}: cannot read quarantine key file: {exc}") from None
        if info.st_mode & (stat.S_IROTH | stat.S_IWOTH):
            raise KeyringError(f"{path}: quarantine key file is readable or writable by other users (chmod 600)")
        return cls.parse(text, str(path))

    @classmethod
    def from_settings(cls, settings: Settings, environ: dict[str, str] | None = None) -> Keyring:
        """Keys from `DLP_QUARANTINE_KEYS`, else `key_file`, else `<state_dir>/quarantine.keys`."""
        env = os.environ if environ is None else environ
        if env.get(ENV_KEYS):
            return cls.parse(env[ENV_KEYS], ENV_KEYS)
        return cls.from_file(key_file_path(settings))


def key_file_path(settings: Settings) -> Path:
    return settings.key_file or settings.state_dir / DEFAULT_KEY_FILE


def new_key_line(key_id: str | None = None) -> str:
    """One keyring entry with a fresh random key (for first start and for rotation)."""
    key_id = key_id or datetime.now(UTC).strftime("k%Y%m%d%H%M%S")
    if not _KEY_ID.match(key_id):
        raise KeyringError(f"invalid key id {key_id!r}")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode('ascii')}"


def ensure_key(settings: Settings, environ: dict[str, str] | None = None) -> Path | None:
    """Make sure a quarantine key exists before the gateway takes traffic; return its file.

    - `DLP_QUARANTINE_KEYS` set: it is validated and `None` is returned (no file).
    - `key_file` configured: it must exist and be valid; it is never generated,
      because a fresh key at a mistyped path would make every held item unreadable.
    - otherwise `<state_dir>/quarantine.keys` is created (mode 600) on first start.
    Raises KeyringError with the reason when the configured key is unusable.
    """
    env = os.environ if environ is None else environ
    if env.get(ENV_KEYS):
        Keyring.parse(env[ENV_KEYS], ENV_KEYS)
        return None
    if settings.key_file is not None:
        Keyring.from_file(settings.key_file)
        return settings.key_file
    path = settings.state_dir / DEFAULT_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write("# dlp-gateway quarantine keys: key-id:base64; the last line is the current key\n")
            handle.write(new_key_line() + "\n")
    Keyring.from_file(path)
    return path
