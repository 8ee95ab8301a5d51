"""Normalisation shared by building and matching: two spellings of one value must hash alike.

Names lose case, accents, spaces and punctuation; identifiers lose spaces and
case; PNC and CRO numbers are put in canonical form (so `79/163001B` meets
`1979/0163001B`); dates become ISO from the usual UK layouts; telephone numbers
become national digits; address lines lose case, punctuation and common
abbreviations.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
NAME_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "du",
        "la",
        "le",
        "di",
        "da",
        "mac",
        "mc",
        "st",
        "bin",
        "ibn",
        "al",
        "el",
        "ap",
        "ter",
        "ten",
        "del",
        "dos",
    ]
)
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
NUMERIC_DATE = re.compile(r"(\d{1,4})[/\-. ](\d{1,2})[/\-. ](\d{2,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
TEXT_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ \-]+([A-Za-z]{3,9})\.?,?[ \-]+(\d{4}|\d{2})")
_RANK_PREFIX = re.compile(
    r"^(?:pcso|pc|dc|ps|ds|sc|tdc|di|dci|insp|inspector|sgt|sergeant|con|constable|special)\.?\s*", re.I
)
_ADDRESS_WORDS = {
    "st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "ln": "lane", "dr": "drive",
    "cl": "close", "ct": "court", "cres": "crescent", "gdns": "gardens", "pl": "place", "sq": "square",
    "ter": "terrace", "terr": "terrace", "gr": "grove", "pk": "park",
}  # fmt: skip


def fold_name(text: str) -> str:
    """Case, accents, spaces and punctuation folded away: "O'Neil-Smith" -> "oneilsmith"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.lower() if ch.isalpha() and not unicodedata.combining(ch))


def name_tokens(text: str) -> list[str]:
    """The folded words of a name, in order ("SMITH, John Paul" -> smith, john, paul)."""
    return [t for t in (fold_name(w) for w in WORD_RE.findall(text)) if t]


def split_full_name(text: str) -> tuple[list[str], list[str]]:
    """Folded surname and forenames of a full name: "SMITH, John", "John SMITH" or "John Smith"."""
    if "," in text:
        surname, _, rest = text.partition(",")
        folded = fold_name(surname)
        return ([folded] if folded else []), name_tokens(rest)
    words = WORD_RE.findall(text)
    if not words:
        return [], []
    upper = [w for w in words if w.isupper() and len(w) > 1]
    if upper and len(upper) < len(words):
        surname_words = upper
        forenames = [w for w in words if w not in upper]
    else:
        # The last word, with any particles before it ("Anne van der Berg").
        cut = len(words) - 1
        while cut > 1 and words[cut - 1].lower() in NAME_PARTICLES:
            cut -= 1
        surname_words, forenames = words[cut:], words[:cut]
    surname = fold_name("".join(surname_words))
    return ([surname] if surname else []), [t for t in (fold_name(w) for w in forenames) if t]


def fold_id(text: str) -> str:
    """Identifiers compare without spaces and case: "ab 12 34 56 c" -> "AB123456C"."""
    return re.sub(r"\s+", "", text).upper()


def fold_digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def fold_phone(text: str) -> str | None:
    """A UK number in national form ("07700900123") whatever the layout; None if not phone-shaped."""
    t = text.strip()
    digits = fold_digits(t.replace("(0)", ""))
    if t.startswith(("+", "00")):
        digits = digits[2:] if t.startswith("00") else digits
        if not digits.startswith("44"):
            return None
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and len(digits) == 10:
        digits = "0" + digits  # a spreadsheet ate the leading zero
    return digits if 10 <= len(digits) <= 11 and digits.startswith("0") else None


def fold_email(text: str) -> str | None:
    t = text.strip().lower()
    return t if re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", t) else None


def fold_collar(text: str) -> str | None:
    """Collar numbers compare without the rank: "PC 1234" and "1234" are the same."""
    t = fold_id(_RANK_PREFIX.sub("", text.strip()))
    return t if re.fullmatch(r"[A-Z]{0,2}\d{1,6}[A-Z]{0,2}", t) else None


def fold_pnc(text: str) -> str | None:
    """A PNC ID in canonical `YYNNNNNNNC` form, from the long, short and compact layouts."""
    t = fold_id(text)
    m = re.fullmatch(r"(\d{2}|\d{4})/(\d{1,7})([A-Z])", t)
    if m:
        year, serial, letter = m.groups()
    else:
        m = re.fullmatch(r"(\d{3,11})([A-Z])", t)
        if not m:
            return None
        digits, letter = m.groups()
        year, serial = (digits[:4], digits[4:]) if len(digits) == 11 else (digits[:2], digits[2:])
    return f"{year[-2:]}{serial.zfill(7)}{letter}"


def fold_cro(text: str) -> str | None:
    """A CRO number with the serial zero-padded: "65656/91H" -> "065656/91H"."""
    t = fold_id(text)
    m = re.fullmatch(r"(SF\d{2}/)(\d{1,6})([A-Z])", t)
    if m:
        return "".join(m.groups())
    m = re.fullmatch(r"(\d{1,6})/(\d{2})([A-Z])", t)
    return f"{m.group(1).zfill(6)}/{m.group(2)}{m.group(3)}" if m else None


def fold_address(text: str) -> str | None:
    """An address line with case, punctuation and common abbreviations folded ("12 High St." -> "12 high street")."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text).lower())
    if len(words) < 2:
        return None
    return " ".join(_ADDRESS_WORDS.get(w, w) for w in words)


def address_forms(text: str) -> list[str]:
    """The whole address and each of its lines ("12 High St, Bath" -> "12 high street bath", "12 high street")."""
    forms: list[str] = []
    whole = fold_address(text)
    if whole:
        forms.append(whole)
    pieces = [p for p in re.split(r"[,\n;]+", text) if p.strip()]
    if len(pieces) > 1:
        for piece in pieces:
            folded = fold_address(piece)
            if folded and folded not in forms:
                forms.append(folded)
    return forms


def _century(two_digit: int) -> int:
    return 2000 + two_digit if two_digit <= date.today().year % 100 else 1900 + two_digit


def parse_date(text: str) -> date | None:
    """A date in a common UK layout (day first), ISO, or spreadsheet date-time text; else None."""
    t = text.strip()
    if not t or len(t) > 40:
        return None
    m = NUMERIC_DATE.fullmatch(t)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c)
        elif len(a) <= 2 and len(c) in (2, 4):
            day, month = int(a), int(b)
            year = int(c) if len(c) == 4 else _century(int(c))
            if month > 12 >= day:  # unambiguously month first
                day, month = month, day
        else:
            return None
        return _safe_date(year, month, day)
    m = TEXT_DATE.fullmatch(t)
    if m:
        day_s, month_s, year_s = m.groups()
        word = month_s.lower()
        named = next((i for i, name in enumerate(_MONTH_NAMES, 1) if name.startswith(word)), None)
        if named is None or len(word) < 3:
            return None
        year = int(year_s) if len(year_s) == 4 else _century(int(year_s))
        return _safe_date(year, named, int(day_s))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1850 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def fold_value(family: str, text: str) -> str | None:
    """The normalised form of a value in its family, or None if it has no usable form."""
    if family == "name":
        return fold_name(text) or None
    if family == "id":
        folded = fold_id(text)
        return folded if len(folded) >= 2 else None
    if family == "date":
        d = parse_date(text)
        return d.isoformat() if d else None
    if family == "phone":
        return fold_phone(text)
    if family == "email":
        return fold_email(text)
    if family == "collar":
        return fold_collar(text)
    if family == "pnc":
        return fold_pnc(text)
    if family == "cro":
        return fold_cro(text)
    if family == "digits":
        digits = fold_digits(text)
        return digits if len(digits) >= 6 else None
    if family == "address":
        return fold_address(text)
    raise ValueError(f"unknown normalisation family {family!r}")


def structured_id(value: str) -> bool:
    """A staff / nominal number distinctive enough to identify a record alone (W104233, WP/N/0123456)."""
    compact = re.sub(r"[\s/\-]", "", value)
    return len(compact) >= 6 and any(c.isalpha() for c in compact) and any(c.isdigit() for c in compact)
