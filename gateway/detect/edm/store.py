"""Building an index from a register, and the index and key files on disk.

The index sits on the egress box, so the register is never written in clear:
each normalised value is stored as HMAC-SHA256 (truncated to 128 bits) under a
random 256-bit secret made for that build. The secret lives in `<kind>.key`
(mode 0600); `<kind>.edm` holds a JSON header (counts, field names, a check
value of the key - no register value) and fixed-size entries
`digest, register row, field code`. Each build makes a new secret, so an old
index or key file is useless with the new one, and both are replaced atomically.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gateway.content.model import Part, Table
from gateway.detect.edm.fields import (
    FIELDS,
    FULL_NAME,
    STRONG_FLAG,
    STRUCTURED_ID_FIELDS,
    classify_header,
)
from gateway.detect.edm.normalise import (
    address_forms,
    fold_phone,
    fold_value,
    name_tokens,
    split_full_name,
    structured_id,
)

log = logging.getLogger(__name__)

KINDS: dict[str, str] = {"staff": "STAFF_RECORD", "offender": "OFFENDER_RECORD"}

FORMAT_MAGIC = b"DLP-EDM 1\n"
DIGEST_BYTES = 16
_ENTRY = struct.Struct("<16sIB")
_KEY_CHECK_MESSAGE = b"dlp-gateway edm key check"
MAX_RECORDS = 2**32 - 2


class EdmError(Exception):
    """The index cannot be built or loaded; the message names the file and the problem, never a value."""


class Hasher:
    """Keyed hashing of normalised values; the same key must build and query an index."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise EdmError("EDM key is shorter than 128 bits")
        self._key = key

    def digest(self, family: str, value: str) -> bytes:
        return hmac.digest(self._key, f"{family}\x1f{value}".encode(), "sha256")[:DIGEST_BYTES]

    def key_check(self) -> str:
        """A value that shows which key an index was built with, without revealing the key."""
        return hmac.digest(self._key, _KEY_CHECK_MESSAGE, "sha256")[:8].hex()


# --------------------------------------------------------------------------- building


@dataclass
class BuildReport:
    """What a build indexed, for the operator: counts and column names, never values."""

    kind: str
    records: int
    entries: int
    columns: dict[str, str]  # "part/sheet/header" -> field
    ignored: list[str]
    values_per_field: dict[str, int]
    index_file: Path
    key_file: Path


def register_values(field_name: str, cell: str) -> Iterator[tuple[str, str]]:
    """(field, normalised value) pairs one register cell contributes to the index."""
    cell = cell.strip()
    if not cell:
        return
    if field_name == FULL_NAME:
        surnames, forenames = split_full_name(cell)
        for value in surnames:
            yield "surname", value
        for value in forenames:
            yield "forename", value
        return
    if field_name == "forename":
        for token in name_tokens(cell):
            yield "forename", token
        return
    spec = FIELDS[field_name]
    if spec.family == "address":
        for folded in address_forms(cell):
            yield field_name, folded
        return
    if spec.family == "phone":
        for piece in cell.replace(" or ", "/").replace(";", "/").replace(",", "/").split("/"):
            phone = fold_phone(piece)
            if phone:
                yield field_name, phone
        return
    normalised = fold_value(spec.family, cell)
    if normalised:
        yield field_name, normalised


def _tables(document: Part) -> Iterator[tuple[str, Table]]:
    for part in document.walk():
        if part.uninspectable:
            raise EdmError(f"{part.name}: cannot read the register: {part.uninspectable}")
        for i, table in enumerate(part.tables):
            yield part.table_part_name(i), table


@dataclass
class _Build:
    """Accumulates entries while a register is read."""

    kind: str
    hasher: Hasher
    entries: set[tuple[bytes, int, int]]
    columns: dict[str, str]
    ignored: list[str]
    per_field: dict[str, int]
    records: int = 0

    def add_table(self, location: str, table: Table, overrides: dict[str, str]) -> None:
        plan: list[tuple[int, str]] = []
        for ci, header in enumerate(table.header):
            key = header.strip().lower()
            chosen = overrides[key] if key in overrides else classify_header(header)
            if chosen:
                plan.append((ci, chosen))
                self.columns[f"{location}/{header}"] = chosen
            elif header.strip():
                self.ignored.append(f"{location}/{header}")
        if not plan:
            return
        for row in table.rows:
            added = False
            for ci, field_name in plan:
                cell = row[ci] if ci < len(row) else ""
                for name, value in register_values(field_name, cell):
                    spec = FIELDS[name]
                    code = spec.code
                    if name in STRUCTURED_ID_FIELDS and structured_id(value):
                        code |= STRONG_FLAG
                    self.entries.add((self.hasher.digest(spec.family, value), self.records, code))
                    self.per_field[name] = self.per_field.get(name, 0) + 1
                    added = True
            if added:
                self.records += 1
                if self.records > MAX_RECORDS:
                    raise EdmError("the register has too many rows for one index")


def build_index(
    document: Part,
    kind: str,
    out_dir: Path,
    overrides: dict[str, str] | None = None,
) -> BuildReport:
    """Index every classified column of every table in `document` as the `kind` register.

    `overrides` maps a header (case-insensitive) to a field name, or to "" to
    ignore the column. Writes `<kind>.key` (0600) and `<kind>.edm` under
    `out_dir`, replacing any earlier index of that kind.
    """
    if kind not in KINDS:
        raise EdmError(f"unknown register kind {kind!r} (expected one of: {', '.join(KINDS)})")
    wanted = {k.strip().lower(): v for k, v in (overrides or {}).items()}
    for name in wanted.values():
        if name and name not in FIELDS and name != FULL_NAME:
            raise EdmError(f"unknown field {name!r} (expected one of: {', '.join([*FIELDS, FULL_NAME])})")
    key = secrets.token_bytes(32)
    build = _Build(kind, Hasher(key), set(), {}, [], {})
    tables = list(_tables(document))
    if not tables:
        raise EdmError(f"{document.name}: no table found; the register must be a CSV or spreadsheet with a header row")
    for location, table in tables:
        build.add_table(location, table, wanted)
    if not build.columns:
        raise EdmError(
            f"{document.name}: no column could be classified; expected headers such as Surname, Forename, "
            "Name, Date of Birth, NI Number, Staff Number, Collar Number, PNC ID, CRO Number, Postcode "
            "(or name them with --column HEADER=FIELD)"
        )
    if build.records == 0:
        raise EdmError(f"{document.name}: the classified columns hold no value to index")
    index_file, key_file = _write(out_dir, key, build)
    return BuildReport(
        kind, build.records, len(build.entries), build.columns, build.ignored, build.per_field, index_file, key_file
    )


def _write(out_dir: Path, key: bytes, build: _Build) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
    header = {
        "kind": build.kind,
        "built": datetime.now().astimezone().isoformat(timespec="seconds"),
        "records": build.records,
        "entries": len(build.entries),
        "fields": sorted(set(build.columns.values())),
        "values_per_field": build.per_field,
        "hash": "HMAC-SHA256/128",
        "key_check": build.hasher.key_check(),
    }
    body = b"".join(_ENTRY.pack(d, r, c) for d, r, c in sorted(build.entries))
    index_file = out_dir / f"{build.kind}.edm"
    key_file = out_dir / f"{build.kind}.key"
    tmp_key = out_dir / f".{build.kind}.key.tmp"
    tmp_index = out_dir / f".{build.kind}.edm.tmp"
    for tmp in (tmp_key, tmp_index):
        tmp.unlink(missing_ok=True)
    _write_file(tmp_key, (key.hex() + "\n").encode(), 0o600)
    _write_file(tmp_index, FORMAT_MAGIC + json.dumps(header).encode() + b"\n" + body, 0o640)
    # A loader that runs between the two renames sees a key/index mismatch and says so
    # (EdmError), rather than matching against the wrong key.
    os.replace(tmp_key, key_file)
    os.replace(tmp_index, index_file)
    return index_file, key_file


def _write_file(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(path, mode)  # whatever the umask


# --------------------------------------------------------------------------- loading


@dataclass
class RegisterIndex:
    """One loaded register: digest -> packed entries `register row << 8 | field code`."""

    kind: str
    entity_type: str
    hasher: Hasher
    table: dict[bytes, tuple[int, ...]]
    records: int
    built: str

    def lookup(self, family: str, value: str) -> tuple[int, ...]:
        return self.table.get(self.hasher.digest(family, value), ())

    @classmethod
    def read(cls, index_file: Path, key_file: Path) -> RegisterIndex:
        hasher = Hasher(_read_key(key_file))
        try:
            data = index_file.read_bytes()
        except OSError as exc:
            raise EdmError(f"{index_file}: cannot read the index: {exc.strerror}") from None
        if not data.startswith(FORMAT_MAGIC):
            raise EdmError(f"{index_file}: not an EDM index (or one written by an incompatible version)")
        newline = data.find(b"\n", len(FORMAT_MAGIC))
        try:
            header = json.loads(data[len(FORMAT_MAGIC) : newline])
        except ValueError:
            raise EdmError(f"{index_file}: corrupt index header") from None
        if not isinstance(header, dict):
            raise EdmError(f"{index_file}: corrupt index header")
        body = memoryview(data)[newline + 1 :]
        if newline < 0 or len(body) % _ENTRY.size or len(body) // _ENTRY.size != header.get("entries"):
            raise EdmError(f"{index_file}: truncated or corrupt index")
        if header.get("key_check") != hasher.key_check():
            raise EdmError(f"{index_file}: was not built with {key_file.name}; rebuild the index")
        kind = str(header.get("kind"))
        if kind not in KINDS:
            raise EdmError(f"{index_file}: unknown register kind {kind!r}")
        grouped: dict[bytes, list[int]] = {}
        for digest, record, code in _ENTRY.iter_unpack(body):
            grouped.setdefault(digest, []).append(record << 8 | code)
        table = {d: tuple(v) for d, v in grouped.items()}
        return cls(kind, KINDS[kind], hasher, table, int(header.get("records", 0)), str(header.get("built", "")))


def _read_key(key_file: Path) -> bytes:
    try:
        text = key_file.read_text().strip()
        mode = key_file.stat().st_mode
    except FileNotFoundError:
        raise EdmError(f"{key_file}: key file missing; rebuild the index with `dlp-gateway edm build`") from None
    except OSError as exc:
        raise EdmError(f"{key_file}: cannot read the key file: {exc.strerror}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise EdmError(f"{key_file}: not an EDM key file") from None
    if mode & 0o077:
        log.warning("EDM key file %s can be read by others than its owner; chmod 600 it", key_file)
    return key
