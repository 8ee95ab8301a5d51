"""Excel 97-2003 workbooks (XLS, BIFF8): every sheet, very hidden ones included.

Read with xlrd (formatting information on, so hidden rows and columns and
number formats are known): each sheet becomes a `Table` (visibility 1 hidden,
2 very hidden), cells are the strings a person reads (dates ISO, whole numbers
without ".0"), cell notes are comment segments, and the summary properties of
the OLE container (author, company...) are property segments. A workbook
saved with a password (FILEPASS record) is reported as encrypted; one holding
pivot-cache storage (a full copy of source data this reader cannot parse) is
reported as not fully inspectable.

Write: not supported. Rewriting BIFF safely (shared strings, pivot caches,
names, drawings) is not something any maintained library does; the transfer
is held instead of sending a copy that might keep removed data.
"""

from __future__ import annotations

import os
from typing import Any

import xlrd

from gateway.content.formats.base import LimitExceeded, ReadContext, Writer
from gateway.content.formats.excelfmt import display_datetime, display_number
from gateway.content.formats.ole import CFB_MAGIC, has_stream, open_ole, property_segments
from gateway.content.formats.sheetgrid import build_table, format_number
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment

KIND = "xls"


def _cell_text(book: Any, sheet: Any, r: int, c: int) -> str:
    cell = sheet.cell(r, c)
    ctype = cell.ctype
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if ctype == xlrd.XL_CELL_TEXT:
        return str(cell.value).strip("\x00")
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    if ctype == xlrd.XL_CELL_DATE:
        try:
            when = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
            return display_datetime(when, _format(book, sheet, r, c))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return format_number(float(cell.value))
    if ctype == xlrd.XL_CELL_NUMBER:
        return display_number(float(cell.value), _format(book, sheet, r, c), book.datemode == 1)
    return str(cell.value)


def _format(book: Any, sheet: Any, r: int, c: int) -> str:
    try:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        return book.format_map[xf.format_key].format_str or ""
    except (AttributeError, IndexError, KeyError):
        return ""


def _open(data: bytes) -> Any:
    with open(os.devnull, "w") as log:
        try:
            return xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=log, on_demand=False)
        except NotImplementedError:
            return xlrd.open_workbook(file_contents=data, formatting_info=False, logfile=log, on_demand=False)


class XlsHandler:
    kind = KIND

    def sniff(self, data: bytes, name: str) -> bool:
        if not data.startswith(CFB_MAGIC):
            return False
        try:
            ole = open_ole(data)
        except ContentError:
            return False
        try:
            return has_stream(ole, "Workbook", "Book")
        finally:
            ole.close()

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        try:
            return self._read(data, name, ctx)
        except ContentError as exc:
            return Part(name=name, kind=KIND, data=data, uninspectable=str(exc))
        except LimitExceeded as exc:
            return Part(name=name, kind=KIND, data=data, uninspectable=f"workbook over a limit: {exc}")

    def _read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        part = Part(name=name, kind=KIND, data=data)
        try:
            book = _open(data)
        except xlrd.XLRDError as exc:
            if "encrypted" in str(exc).lower():
                raise ContentError("workbook is encrypted (password-protected)") from exc
            raise ContentError("workbook (Excel 97-2003) is damaged and cannot be parsed") from exc
        except Exception as exc:  # xlrd raises assorted errors on damaged files
            raise ContentError("workbook (Excel 97-2003) is damaged and cannot be parsed") from exc
        for sheet in book.sheets():
            hidden = sheet.visibility != 0
            rows: list[tuple[int, dict[int, str]]] = []
            for r in range(sheet.nrows):
                values: dict[int, str] = {}
                for c in range(sheet.ncols):
                    text = _cell_text(book, sheet, r, c)
                    if text:
                        ctx.admit_text(len(text))
                        values[c + 1] = text
                if values:
                    rows.append((r + 1, values))
            hidden_rows = {r + 1 for r, info in sheet.rowinfo_map.items() if getattr(info, "hidden", 0)}
            hidden_cols = {c + 1 for c, info in sheet.colinfo_map.items() if getattr(info, "hidden", 0)}
            laid = build_table(
                sheet.name, rows, hidden=hidden, column_hidden=hidden_cols.__contains__, hidden_rows=hidden_rows
            )
            where = "hidden-sheet" if hidden else "body"
            if laid is not None:
                part.segments.extend(Segment(text, where) for _r, _c, text in laid.title_cells)
                part.tables.append(laid.table)
            for note in sheet.cell_note_map.values():
                if note.text:
                    part.segments.append(Segment(note.text, "comment"))
                if note.author:
                    part.segments.append(Segment(note.author, "comment-author"))
        ole = open_ole(data)
        try:
            part.segments.extend(property_segments(ole))
            if any(entry and entry[0].upper() == "_SX_DB_CUR" for entry in ole.listdir(streams=True, storages=True)):
                part.uninspectable = "workbook holds pivot-cache data (a copy of source data) that cannot be inspected"
        finally:
            ole.close()
        return part

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        if not plan.touches(part):
            return part.data
        raise NotRedactable("XLS (Excel 97-2003) files cannot be rewritten safely")


HANDLER = XlsHandler()
