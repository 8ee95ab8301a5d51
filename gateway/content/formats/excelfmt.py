"""Excel numbers as a person reads them: dates, percentages, zero-padded codes.

Excel stores a date as a day count and a phone number typed as a number
loses its leading zero; only the cell's number format says what is shown.
Detection needs the shown text ("07700900123", "1975-03-02"), so XLSX and
XLS cells go through `display_number`. Dates are written ISO (yyyy-mm-dd)
whatever the format, so a date reads the same in every spreadsheet format.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from gateway.content.formats.sheetgrid import format_number

# Built-in number formats that are dates or times (ECMA-376 18.8.30).
BUILTIN_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_DATE_CHARS = re.compile(r"[dmyhs]", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_ZERO_PAD = re.compile(r"[0# \-()]+")


def _format_section(code: str) -> str:
    return _QUOTED.sub("", code.split(";", 1)[0])


def is_date_format(code: str | None) -> bool:
    if not code:
        return False
    bare = _format_section(code)
    if "General" in bare:
        return False
    return bool(_DATE_CHARS.search(bare))


def _zero_padded(x: float, code: str) -> str | None:
    """Apply a digits-only format such as "00000000000" or "000 000 0000"."""
    section = code.split(";", 1)[0]
    if not _ZERO_PAD.fullmatch(section) or "0" not in section or x < 0 or x != int(x):
        return None
    digits = str(int(x)).zfill(section.count("0"))
    out: list[str] = []
    pos = len(digits)
    for ch in reversed(section):
        if ch in "0#":
            if pos > 0:
                pos -= 1
                out.append(digits[pos])
        elif pos > 0:
            out.append(ch)
    return (digits[:pos] + "".join(reversed(out))).strip()


def excel_datetime(serial: float, date1904: bool) -> datetime:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    if not date1904 and serial < 60:
        serial += 1  # Excel's fictitious 29 Feb 1900
    return base + timedelta(days=serial)


def display_datetime(value: datetime | time, code: str = "") -> str:
    if isinstance(value, time):
        return value.isoformat()
    bare = _format_section(code).lower()
    has_date = any(c in bare for c in "dy") or ("m" in bare and "h" not in bare and "s" not in bare)
    if code and not has_date:
        return value.time().isoformat(timespec="seconds")
    if value.time() == time(0):
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds")


def display_number(x: float, code: str | None, date1904: bool) -> str:
    if code and is_date_format(code):
        try:
            return display_datetime(excel_datetime(x, date1904), code)
        except (OverflowError, ValueError):
            return format_number(x)
    if code:
        bare = _format_section(code)
        if "%" in bare:
            return f"{format_number(round(x * 100, 10))}%"
        padded = _zero_padded(x, code)
        if padded is not None:
            return padded
    return format_number(x)
