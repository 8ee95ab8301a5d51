"""XLS: all sheets (very hidden too) read as displayed; encrypted and damaged files get a reason; never rewritten."""

from __future__ import annotations

import io
import os
import struct
import tempfile
from datetime import date

import olefile
import pytest
import xlwt

from gateway import content
from gateway.content import NotRedactable, PartRedaction, RedactionPlan


@pytest.fixture(scope="module")
def workbook() -> bytes:
    wb = xlwt.Workbook()
    summary = wb.add_sheet("Summary")
    for r, values in enumerate([["Station", "Officers"], ["Leeds", 41], ["York", 12]]):
        for c, value in enumerate(values):
            summary.write(r, c, value)
    staff = wb.add_sheet("raw_HR_dump")
    staff.visibility = 2  # very hidden
    dated = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    padded = xlwt.easyxf(num_format_str="00000000000")
    staff.write(0, 0, "Staff list - do not circulate")
    rows = [
        ["Surname", "NI Number", "Date of Birth", "Mobile"],
        ["Smith", "AB123456C", date(1975, 3, 2), 7700900123],
        ["Jones", "CE654321A", date(1980, 1, 5), 7700900456],
    ]
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values):
            style = dated if isinstance(value, date) else padded if isinstance(value, int) else xlwt.Style.default_style
            staff.write(r, c, value, style)
    staff.row(4).hidden = True
    staff.col(1).hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_every_sheet_is_read_with_hidden_rows_and_columns(workbook: bytes) -> None:
    part = content.read(workbook, "staff.xls")

    assert part.kind == "xls" and part.uninspectable is None
    summary, staff = part.tables
    assert summary.rows == [["Leeds", "41"], ["York", "12"]] and not summary.hidden
    assert staff.hidden and staff.name == "raw_HR_dump"
    assert staff.header == ["Surname", "NI Number", "Date of Birth", "Mobile"]
    assert staff.rows == [
        ["Smith", "AB123456C", "1975-03-02", "07700900123"],
        ["Jones", "CE654321A", "1980-01-05", "07700900456"],
    ]
    assert staff.hidden_rows == {1}
    assert staff.hidden_columns == {1}
    assert ("hidden-sheet", "Staff list - do not circulate") in {(s.where, s.text) for s in part.segments}


def test_xls_is_never_rewritten(workbook: bytes) -> None:
    part = content.read(workbook, "staff.xls")
    with pytest.raises(NotRedactable, match=r"XLS \(Excel 97-2003\) files cannot be rewritten safely"):
        content.write(part, RedactionPlan({"staff.xls": PartRedaction(drop_columns={1: {1}})}))


def _with_filepass(data: bytes) -> bytes:
    """The same workbook with its CODEPAGE record turned into FILEPASS (what a password adds)."""
    ole = olefile.OleFileIO(io.BytesIO(data))
    stream = bytearray(ole.openstream("Workbook").read())
    ole.close()
    pos = 0
    while pos < len(stream):
        record, length = struct.unpack_from("<HH", stream, pos)
        if record == 0x0042:
            struct.pack_into("<H", stream, pos, 0x002F)
            break
        pos += 4 + length
    fd, path = tempfile.mkstemp(suffix=".xls")
    try:
        os.write(fd, data)
        os.close(fd)
        ole = olefile.OleFileIO(path, write_mode=True)
        ole.write_stream("Workbook", bytes(stream))
        ole.close()
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def test_encrypted_truncated_and_garbled_workbooks_are_uninspectable(workbook: bytes) -> None:
    encrypted = content.read(_with_filepass(workbook), "staff.xls")
    truncated = content.read(workbook[: len(workbook) // 2], "staff.xls")
    garbled = bytearray(workbook)
    garbled[1536:2048] = b"\xff" * 512  # overwrite records inside the Workbook stream

    assert encrypted.uninspectable == "workbook is encrypted (password-protected)"
    assert truncated.uninspectable == "compound (OLE) file is truncated or damaged"
    assert content.read(bytes(garbled), "staff.xls").uninspectable == (
        "workbook (Excel 97-2003) is damaged and cannot be parsed"
    )
