"""CSV, TSV and other delimited text: one table with a header row.

The delimiter is found from the bytes (csv.Sniffer, checked against a
consistent field count on many lines, since the Sniffer alone is easily fooled
by prose); the file name only breaks ties. Redaction rewrites the file without
the dropped columns in the same encoding, byte order mark, delimiter, quote
style and line endings.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from gateway.content.formats.base import ReadContext, Writer
from gateway.content.formats.text import SAMPLE_BYTES, TextEncoding, decode, sample_text
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment, Table

# Cells of a real export can be long (free-text notes); the stdlib default of
# 128 KB per field would make such a file unreadable.
csv.field_size_limit(max(csv.field_size_limit(), 256 * 1024 * 1024))

_DELIMITERS = (",", "\t", ";", "|")
_SNIFF_RECORDS = 200
# Share of data rows that must have exactly the header's number of fields.
_CONSISTENCY = 0.9
_TABLE_SUFFIXES = (".csv", ".tsv", ".tab", ".psv", ".dsv")
_PROSE_SUFFIXES = (".txt", ".text", ".log", ".md", ".rst")


@dataclass(frozen=True)
class _Shape:
    delimiter: str
    consistency: float  # share of data rows as wide as the header
    split: float  # share of data rows with more than one field
    columns: int
    records: int


def _shape(sample: str, delimiter: str) -> _Shape | None:
    """How well `sample` parses as a table with `delimiter`."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if row:
                rows.append(row)
            if len(rows) > _SNIFF_RECORDS:
                break
    except csv.Error:
        return None
    rows = rows[_preamble_length(rows) :]
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    width = len(rows[0])
    data = rows[1:]
    consistent = sum(1 for r in data if len(r) == width) / len(data)
    split = sum(1 for r in data if len(r) > 1) / len(data)
    return _Shape(delimiter, consistent, split, width, len(rows))


# Title lines an export puts above its header ("Headcount by rank, 31 March"):
# at most this many one-field records before the first record of two or more.
_MAX_PREAMBLE = 5


def _preamble_length(records: list[list[str]]) -> int:
    """How many leading non-empty records are a title above the header (0 if none).

    Spreadsheet exports often start with a title line and a blank line; without
    this the whole file would be read as prose and its columns never classified.
    """
    for i, record in enumerate(records[: _MAX_PREAMBLE + 1]):
        if len(record) >= 2:
            return i
    return 0


# A table whose first rows hold long free-text cells needs a longer look.
_LONG_SAMPLE_BYTES = 2 * 1024 * 1024


def _sniff_sample(data: bytes) -> str | None:
    text = sample_text(data)
    if text is None:
        return None
    size = SAMPLE_BYTES
    if len(data) > SAMPLE_BYTES and text.count("\n") + text.count("\r") < 4:
        size = _LONG_SAMPLE_BYTES
        text = sample_text(data, size) or text
    if len(data) > size:
        # The prefix ends mid-line; only whole lines count.
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[:cut] if cut > 0 else text
    return text


# Excel writes (and reads) a first line "sep=;" naming the delimiter.
_SEP_LINE = re.compile(r"\Asep=([,;|\t])(\r\n|\n|\r)")


def find_shape(data: bytes, name: str) -> _Shape | None:
    """The best delimiter for `data`, or None if it is not a delimited table."""
    sample = _sniff_sample(data)
    if not sample or not sample.strip():
        return None
    declared = _SEP_LINE.match(sample)
    if declared:
        return _Shape(declared.group(1), 1.0, 1.0, 0, 0)
    lowered = name.lower()
    shapes = [s for s in (_shape(sample, d) for d in _DELIMITERS) if s is not None]
    if lowered.endswith(_TABLE_SUFFIXES):
        # Named as a table: ragged rows (optional trailing fields) are normal.
        good = [s for s in shapes if s.split >= 0.8]
    else:
        # Otherwise the bytes alone must make the case: several rows, all as
        # wide as the header (nearly all, in a long sample).
        good = [s for s in shapes if s.records >= 3 and s.consistency >= (1.0 if s.records < 10 else _CONSISTENCY)]
        if lowered.endswith(_PROSE_SUFFIXES):
            good = [s for s in good if s.columns >= 3 or s.delimiter == "\t"]
    if not good:
        return None
    try:
        sniffed = csv.Sniffer().sniff(sample[:16384], delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None

    def rank(s: _Shape) -> tuple[bool, bool, float, int]:
        by_name = (lowered.endswith((".tsv", ".tab")) and s.delimiter == "\t") or (
            lowered.endswith(".csv") and s.delimiter == ","
        )
        return (by_name, s.delimiter == sniffed, s.consistency, s.columns)

    return max(good, key=rank)


def _line_ending(text: str) -> str:
    newline = text.find("\n")
    if newline > 0 and text[newline - 1] == "\r":
        return "\r\n"
    if newline >= 0:
        return "\n"
    return "\r" if "\r" in text else "\n"


def _quote_all(sample: str, delimiter: str, fields: int) -> bool:
    """True if (nearly) every field of the sample is quoted, as some exporters do."""
    if fields == 0:
        return False
    starts = len(re.findall(rf'(?:^|{re.escape(delimiter)})"', sample, re.MULTILINE))
    return starts >= 0.9 * fields


def _parse(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ContentError("malformed CSV: a quoted field is never closed (truncated file?)") from None
        raise ContentError(f"malformed CSV: stray text after a quoted field on line {reader.line_num}") from None


class DelimitedHandler:
    """Delimited tables: comma, tab, semicolon or pipe separated."""

    kind = "csv"

    def sniff(self, data: bytes, name: str) -> bool:
        return find_shape(data, name) is not None

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        shape = find_shape(data, name)
        if shape is None:
            raise ContentError("delimited file has no consistent columns")
        text, encoding = decode(data, "delimited file")
        ctx.admit_text(len(text))
        declared = _SEP_LINE.match(text)
        sep_line = declared.group(0) if declared else ""
        text = text[len(sep_line) :]
        records = _parse(text, shape.delimiter)
        nonempty = [i for i, r in enumerate(records) if r]
        preamble = _preamble_length([records[i] for i in nonempty])
        header_at = nonempty[preamble] if nonempty else None
        header = records[header_at] if header_at is not None else []
        rows = [r for r in records[(header_at or 0) + 1 :] if r]
        # Title lines are not part of the table but still leave with it: scanned as text.
        title = "\n".join(cell for i in nonempty[:preamble] for cell in records[i])
        sample = text[:SAMPLE_BYTES]
        sample_fields = sum(len(r) for r in records[:_SNIFF_RECORDS])
        meta: dict[str, object] = {
            **encoding.to_meta(),
            "delimiter": shape.delimiter,
            "line_ending": _line_ending(sample),
            "quote_all": _quote_all(sample, shape.delimiter, sample_fields),
            "final_newline": text.endswith(("\n", "\r")),
            "sep_line": sep_line,
        }
        kind = "tsv" if shape.delimiter == "\t" else "csv"
        table = Table(name="table 1", header=header, rows=rows)
        segments = [Segment(title, "title")] if title.strip() else []
        return Part(name=name, kind=kind, data=data, tables=[table], segments=segments, meta=meta)

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        redaction = plan.for_part(part.name)
        if redaction is None:
            return part.data
        if any(redaction.spans.values()):
            raise NotRedactable("a delimited file can only lose whole columns")
        drop = redaction.drop_columns.get(0, set())
        encoding = TextEncoding.from_meta(part.meta)
        text = part.data[len(encoding.bom) :].decode(encoding.codec, encoding.errors)
        sep_line = str(part.meta.get("sep_line", ""))
        text = text[len(sep_line) :]
        delimiter = str(part.meta["delimiter"])
        line_ending = str(part.meta["line_ending"])
        out = io.StringIO(newline="")
        writer = csv.writer(
            out,
            delimiter=delimiter,
            quotechar='"',
            quoting=csv.QUOTE_ALL if part.meta.get("quote_all") else csv.QUOTE_MINIMAL,
            lineterminator=line_ending,
        )
        records = _parse(text, delimiter)
        preamble = _preamble_length([r for r in records if r])
        for record in records:
            if not record:
                out.write(line_ending)
                continue
            if preamble:
                # A title line is not a row of the table: it keeps its text.
                preamble -= 1
                writer.writerow(record)
                continue
            writer.writerow([cell for i, cell in enumerate(record) if i not in drop])
        result = out.getvalue()
        if not part.meta.get("final_newline") and result.endswith(line_ending):
            result = result[: -len(line_ending)]
        return encoding.encode(sep_line + result)


HANDLER = DelimitedHandler()
