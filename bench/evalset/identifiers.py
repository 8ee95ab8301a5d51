"""Generators of *valid* UK identifiers (and deliberately invalid look-alikes) for the evaluation set.

A detector that validates check digits must be tested on values that pass those
checks, otherwise its recall is measured on noise. Every generator here computes
the real check character (mod-23 for PNC/CRO, mod-11 for NHS, Luhn for cards,
MOD 97-10 for IBANs) and draws from ranges that can never belong to a real
person where such ranges exist (NHS 999 test range, Ofcom drama telephone
ranges, card-scheme test BINs). Each generator takes a `random.Random`, so the
evaluation set is reproducible from its seed.

The `is_valid_*` functions are the arithmetic the generators rely on, written
out independently of `detectors/` so that a bug in one is not hidden by the same
bug in the other; `tests/bench/test_identifiers.py` checks both against the
worked examples in the UK reference.
"""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from datetime import date

from detectors.checks import luhn_valid, pnc_check_letter
from gateway.detect.edm.normalise import fold_pnc

MOD23 = "ZABCDEFGHJKLMNPQRTUVWXY"
# Letters that never appear as a mod-23 check character.
NOT_MOD23 = "IOS"


# --------------------------------------------------------------------------- PNC / CRO


def pnc_check(year: int, serial: int) -> str:
    """Check letter of a PNC ID: mod 23 of the 2-digit year followed by the 7-digit serial."""
    return MOD23[int(f"{year % 100:02d}{serial:07d}") % 23]


def pnc(rng: random.Random, form: str = "long", year: int | None = None) -> str:
    """A PNC ID with a correct check letter.

    `form`: "long" `YYYY/NNNNNNNC`, "short" `YY/NNNNNC` (century and leading
    zeros dropped, the usual display form) or "compact" `YYYYNNNNNNNC`.
    """
    y = year if year is not None else rng.randint(1975, 2025)
    serial = rng.randint(1, 1_999_999) if rng.random() < 0.8 else rng.randint(1, 99_999)
    letter = pnc_check(y, serial)
    if form == "short":
        return f"{y % 100:02d}/{serial}{letter}"
    if form == "compact":
        return f"{y}{serial:07d}{letter}"
    return f"{y}/{serial:07d}{letter}"


def pnc_invalid(rng: random.Random) -> str:
    """A PNC-shaped string whose check letter is wrong (sometimes a never-used I/O/S)."""
    y = rng.randint(1975, 2025)
    serial = rng.randint(1, 1_999_999)
    good = pnc_check(y, serial)
    bad = rng.choice([c for c in MOD23 if c != good] + list(NOT_MOD23))
    return f"{y}/{serial:07d}{bad}"


def is_valid_pnc(text: str) -> bool:
    """Judged by the product's own parser and check letter, so generator and detector cannot disagree."""
    folded = fold_pnc(text)
    return folded is not None and pnc_check_letter(folded[:2], folded[2:9]) == folded[9]


def cro_check(serial: int, year: int) -> str:
    """Check letter of a standard CRO number: mod 23 of `YY` + serial padded to 6 digits."""
    return MOD23[int(f"{year % 100:02d}{serial:06d}") % 23]


def cro(rng: random.Random, padded: bool | None = None) -> str:
    """A standard CRO number `NNNNNN/YYC` (serial zero-padded or not) with a correct check letter."""
    y = rng.randint(1975, 2025)
    serial = rng.randint(1, 999_999)
    pad = rng.random() < 0.5 if padded is None else padded
    body = f"{serial:06d}" if pad else str(serial)
    return f"{body}/{y % 100:02d}{cro_check(serial, y)}"


def cro_sf(rng: random.Random) -> str:
    """A search-file CRO number `SFYY/NNNNNNC` (check over year + serial as written)."""
    yy = rng.randint(66, 95)
    serial = str(rng.randint(1, 999_999))
    return f"SF{yy:02d}/{serial}{MOD23[int(f'{yy:02d}{serial}') % 23]}"


def is_valid_cro(text: str) -> bool:
    t = text.strip().upper()
    m = re.fullmatch(r"SF(\d{2})/(\d{1,6})([A-Z])", t)
    if m:
        yy, serial, letter = m.groups()
        return MOD23[int(yy + serial) % 23] == letter
    m = re.fullmatch(r"(\d{1,6})/(\d{2})([A-Z])", t)
    if not m:
        return False
    serial, yy, letter = m.groups()
    return MOD23[int(yy + serial.zfill(6)) % 23] == letter


# --------------------------------------------------------------------------- NHS


def nhs_check(nine: str) -> int | None:
    """Mod-11 check digit of the first nine digits, or None when the number cannot be issued."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def nhs(rng: random.Random, test_range: bool = True, layout: str = "spaced") -> str:
    """An NHS number passing mod 11: 999 test range, or the issued 4xx/6xx-7xx blocks.

    `layout`: "spaced" `999 123 4567`, "compact", or "dashed" `999-123-4567`.
    Repeated-digit numbers are excluded (they pass mod 11 but are never issued).
    """
    while True:
        if test_range:
            nine = "999" + "".join(rng.choice(string.digits) for _ in range(6))
        else:
            first = rng.choice("4667")
            nine = first + "".join(rng.choice(string.digits) for _ in range(8))
        check = nhs_check(nine)
        if check is None:
            continue
        digits = nine + str(check)
        if len(set(digits)) == 1:
            continue
        break
    if layout == "compact":
        return digits
    sep = "-" if layout == "dashed" else " "
    return f"{digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]}"


def nhs_invalid(rng: random.Random) -> str:
    """An NHS-shaped number failing mod 11."""
    while True:
        nine = rng.choice("4679") + "".join(rng.choice(string.digits) for _ in range(8))
        check = nhs_check(nine)
        bad = rng.choice([d for d in string.digits if check is None or int(d) != check])
        digits = nine + bad
        if not is_valid_nhs(digits):
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def is_valid_nhs(text: str) -> bool:
    digits = re.sub(r"[ -]", "", text)
    if not re.fullmatch(r"\d{10}", digits) or len(set(digits)) == 1:
        return False
    return nhs_check(digits[:9]) == int(digits[9])


# --------------------------------------------------------------------------- NINO

_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NINO_EXCLUDED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
# Administrative / temporary prefixes that are format-valid but never a person's real NINO.
_NINO_ADMIN = {"CR", "FY", "MW", "NC", "PP", "PY", "PZ", "GY", "JY", "MA", "OO"}


def nino(rng: random.Random, spaced: bool | None = None) -> str:
    """A NINO with an allocatable prefix (no admin/temporary prefixes) and suffix A-D."""
    while True:
        prefix = rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)
        if prefix not in _NINO_EXCLUDED and prefix not in _NINO_ADMIN:
            break
    digits = "".join(rng.choice(string.digits) for _ in range(6))
    suffix = rng.choice("ABCD")
    if spaced if spaced is not None else rng.random() < 0.35:
        return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
    return f"{prefix}{digits}{suffix}"


def is_valid_nino(text: str) -> bool:
    t = text.replace(" ", "").upper()
    m = re.fullmatch(r"([A-Z])([A-Z])\d{6}[A-D]", t)
    if not m:
        return False
    a, b = m.groups()
    return a in _NINO_FIRST and b in _NINO_SECOND and a + b not in _NINO_EXCLUDED


def nino_invalid(rng: random.Random) -> str:
    """A NINO look-alike: forbidden prefix letter, unallocated pair, or bad suffix."""
    digits = "".join(rng.choice(string.digits) for _ in range(6))
    kind = rng.randrange(3)
    if kind == 0:
        prefix = rng.choice("DFIQUV") + rng.choice(_NINO_SECOND)
        suffix = rng.choice("ABCD")
    elif kind == 1:
        prefix = rng.choice(sorted(_NINO_EXCLUDED))
        suffix = rng.choice("ABCD")
    else:
        prefix = rng.choice("ABCEHJ") + rng.choice("ABCEHJ")
        suffix = rng.choice("EFGHJKLMNPZ")
    return f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"


# --------------------------------------------------------------------------- driving licence


def driving_licence(
    rng: random.Random, surname: str, forenames: str, dob: date, female: bool, issue: bool = False
) -> str:
    """A DVLA driver number built from the holder's surname, initials, date of birth and sex.

    Layout (DVLA): surname block of 5 (MAC written MC, padded with 9), decade
    digit, month (+50 for women), day, final year digit, two initials (9 when
    there is no middle initial), an arbitrary digit (usually 9), two check
    characters (letters; the algorithm is not public, so they are random here).
    """
    letters = re.sub(r"[^A-Z]", "", surname.upper())
    if letters.startswith("MAC"):
        letters = "MC" + letters[3:]
    block = (letters[:5] or "9").ljust(5, "9")
    month = dob.month + (50 if female else 0)
    initials = [n[0] for n in re.split(r"[\s-]+", forenames.upper()) if n and n[0].isalpha()]
    init = [*initials, "9", "9"][:2]
    number = (
        f"{block}{str(dob.year)[2]}{month:02d}{dob.day:02d}{str(dob.year)[3]}"
        f"{''.join(init)}9{rng.choice(string.ascii_uppercase)}{rng.choice(string.ascii_uppercase)}"
    )
    if issue:
        number += f" {rng.randint(1, 20):02d}"
    return number


_DL_RE = re.compile(r"[A-Z][A-Z9]{4}\d(?:0[1-9]|1[0-2]|5[1-9]|6[0-2])(?:0[1-9]|[12]\d|3[01])\d[A-Z9]{2}\d[A-Z]{2}")


def is_valid_driving_licence(text: str) -> bool:
    t = text.strip().upper().split(" ")[0]
    if not _DL_RE.fullmatch(t):
        return False
    return re.fullmatch(r"[A-Z]+9*", t[:5]) is not None


# --------------------------------------------------------------------------- payment cards / banks

# Scheme test numbers' prefixes (published by the schemes and payment processors for testing).
CARD_TEST_PREFIXES: tuple[tuple[str, int], ...] = (
    ("411111", 16),
    ("400000", 16),
    ("424242", 16),
    ("555555", 16),
    ("510510", 16),
    ("222300", 16),
    ("378282", 15),
    ("371449", 15),
)


def luhn_digit(body: str) -> str:
    """The Luhn check digit to append to `body`."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def is_luhn_valid(text: str) -> bool:
    return luhn_valid(re.sub(r"[ -]", "", text))


def card(rng: random.Random, layout: str | None = None) -> str:
    """A Luhn-valid card number from a scheme test range, grouped as cards are printed."""
    prefix, length = rng.choice(CARD_TEST_PREFIXES)
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    digits = body + luhn_digit(body)
    style = layout or rng.choice(["spaced", "spaced", "compact", "dashed"])
    if style == "compact":
        return digits
    sep = "-" if style == "dashed" else " "
    groups = [digits[0:4], digits[4:10], digits[10:]] if length == 15 else [digits[i : i + 4] for i in range(0, 16, 4)]
    return sep.join(groups)


_BANK_CODES = ("NWBK", "BARC", "LOYD", "HBUK", "MIDL", "CPBK", "BUKB", "NAIA", "YORK", "ABBY")


def _iban_remainder(text: str) -> int:
    rearranged = text[4:] + text[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97


def iban_gb(
    rng: random.Random, sort_code: str | None = None, account: str | None = None, grouped: bool | None = None
) -> str:
    """A GB IBAN (bank code, sort code, account) with correct MOD 97-10 check digits."""
    sc = sort_code or "".join(rng.choice(string.digits) for _ in range(6))
    acct = account or "".join(rng.choice(string.digits) for _ in range(8))
    bban = rng.choice(_BANK_CODES) + sc.replace("-", "") + acct
    check = 98 - _iban_remainder(bban[:0] + "GB00" + bban)
    iban = f"GB{check:02d}{bban}"
    if grouped if grouped is not None else rng.random() < 0.5:
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


def is_valid_iban(text: str) -> bool:
    t = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", t):
        return False
    return 2 <= int(t[2:4]) <= 98 and _iban_remainder(t) == 1


def iban_impossible_check(rng: random.Random) -> str:
    """A GB IBAN that passes the bare mod-97 test but has check digits 00 or 01 (never issued)."""
    while True:
        bban = rng.choice(_BANK_CODES) + "".join(rng.choice(string.digits) for _ in range(14))
        for check in ("00", "01"):
            candidate = f"GB{check}{bban}"
            if _iban_remainder(candidate) == 1:
                return candidate


def sort_code(rng: random.Random) -> str:
    return "-".join(f"{rng.randint(0, 99):02d}" for _ in range(3))


def account_number(rng: random.Random) -> str:
    return f"{rng.randint(10_000_000, 99_999_999)}"


# --------------------------------------------------------------------------- telephone

# Ofcom numbers reserved for drama (never allocated), as (national prefix, local digits to draw).
# 0115 496 and 01632 960 are left out: libphonenumber rejects them, so they are not a fair test.
_DRAMA_GEOGRAPHIC: tuple[tuple[str, str], ...] = (
    ("020 7946 0", "{3}"),
    ("0113 496 0", "{3}"),
    ("0114 496 0", "{3}"),
    ("0116 496 0", "{3}"),
    ("0117 496 0", "{3}"),
    ("0118 496 0", "{3}"),
    ("0121 496 0", "{3}"),
    ("0131 496 0", "{3}"),
    ("0141 496 0", "{3}"),
    ("0151 496 0", "{3}"),
    ("0161 496 0", "{3}"),
    ("0191 498 0", "{3}"),
    ("028 9649 6", "{3}"),
    ("029 2018 0", "{3}"),
)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def phone_mobile(rng: random.Random, layout: str | None = None) -> str:
    """A mobile number from the Ofcom drama block 07700 900000-900999, in a common layout."""
    national = "7700900" + _digits(rng, 3)
    style = layout or rng.choice(["national", "national", "compact", "intl", "intl_compact", "intl_zero"])
    if style == "compact":
        return "0" + national
    if style == "intl":
        return f"+44 {national[:4]} {national[4:]}"
    if style == "intl_compact":
        return "+44" + national
    if style == "intl_zero":
        return f"+44 (0){national[:4]} {national[4:]}"
    return f"0{national[:4]} {national[4:]}"


def phone_landline(rng: random.Random, layout: str | None = None) -> str:
    """A geographic number from an Ofcom drama range, in a common layout."""
    prefix, _ = rng.choice(_DRAMA_GEOGRAPHIC)
    number = prefix + _digits(rng, 3)
    style = layout or rng.choice(["national", "national", "brackets", "intl", "compact"])
    digits = number.replace(" ", "")
    if style == "compact":
        return digits
    if style == "intl":
        return "+44 " + number[1:]
    if style == "brackets":
        area, rest = number.split(" ", 1)
        return f"({area}) {rest}"
    return number


def phone(rng: random.Random) -> str:
    return phone_mobile(rng) if rng.random() < 0.55 else phone_landline(rng)


# --------------------------------------------------------------------------- postcode

# Real postcode areas (mostly the south and west of England, where "Wessex" would be).
POSTCODE_AREAS: tuple[str, ...] = (
    "SO",
    "BH",
    "SP",
    "BA",
    "BS",
    "DT",
    "EX",
    "GU",
    "PO",
    "RG",
    "SN",
    "TA",
    "GL",
    "OX",
    "TQ",
    "PL",
    "TR",
    "B",
    "M",
    "L",
    "S",
    "E",
    "N",
    "W",
    "G",
    "CF",
    "LS",
    "NE",
    "NG",
    "LE",
)
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def postcode(rng: random.Random, spaced: bool = True) -> str:
    """A postcode following every Royal Mail format rule, in a real postcode area."""
    area = rng.choice(POSTCODE_AREAS)
    district = str(rng.randint(1, 9)) if len(area) == 1 or rng.random() < 0.4 else str(rng.randint(1, 29))
    inward = f"{rng.randint(0, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
    return f"{area}{district}{' ' if spaced else ''}{inward}"


POSTCODE_RE = re.compile(
    r"(GIR ?0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9](?:[0-9]|[ABEHMNPRV-Y])?|[0-9][A-HJKPS-UW]) ?"
    r"[0-9][ABD-HJLNP-UW-Z]{2})"
)


def is_valid_postcode(text: str) -> bool:
    return POSTCODE_RE.fullmatch(text.strip().upper()) is not None


# --------------------------------------------------------------------------- other identifiers


def passport(rng: random.Random) -> str:
    """A 9-digit UK passport number (no check digit in the number itself)."""
    return str(rng.randint(100_000_000, 999_999_999))


_VRM_MEMORY = "ABCDEFGHJKLMNOPRSTUVWXY"
_VRM_RANDOM = "ABCDEFGHJKLMNOPRSTUVWXYZ"


def vehicle_reg(rng: random.Random) -> str:
    """A current-format (2001+) registration mark `AA99 AAA` with an issued age identifier."""
    memory = rng.choice("ABCDEFGHKLMNOPRSVWY") + rng.choice(_VRM_MEMORY)
    age = rng.choice([*range(2, 26), *range(51, 75)])
    return f"{memory}{age:02d} {''.join(rng.choice(_VRM_RANDOM) for _ in range(3))}"


RANK_PREFIXES = ("PC", "DC", "PS", "DS", "PCSO", "SC")


def collar_number(rng: random.Random, prefix: str | None = None) -> str:
    """A collar number as officers write it: rank prefix and 2-5 digits (`PC 1234`)."""
    rank = prefix or rng.choice(RANK_PREFIXES)
    if rank == "PCSO":
        number = str(rng.randint(7000, 8999))
    elif rank == "SC":
        number = str(rng.randint(5000, 5999))
    elif rank in ("PS", "DS"):
        number = str(rng.randint(10, 999))
    else:
        number = str(rng.randint(100, 9999))
    return f"{rank} {number}"


_RESERVED_V4 = (
    (0, 0, 255),
    (10, 0, 255),
    (100, 64, 127),
    (127, 0, 255),
    (169, 254, 254),
    (172, 16, 31),
    (192, 0, 0),
    (192, 168, 168),
    (198, 18, 19),
    (198, 51, 51),
    (203, 0, 0),
)


def ip_public(rng: random.Random) -> str:
    """A public unicast IPv4 address (never private, loopback or documentation ranges)."""
    while True:
        a = rng.randint(1, 223)
        b = rng.randint(0, 255)
        if any(a == first and lo <= b <= hi for first, lo, hi in _RESERVED_V4):
            continue
        return f"{a}.{b}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6_public(rng: random.Random) -> str:
    """A global-unicast IPv6 address (2000::/3, not the 2001:db8::/32 documentation block)."""
    first = rng.choice(["2a00", "2a01", "2a02", "2a03", "2a05", "2604", "2607", "2800", "2c0f"])
    groups = [first] + [f"{rng.randint(0, 0xFFFF):x}" for _ in range(7)]
    return ":".join(groups)


@dataclass(frozen=True)
class Person:
    """A fictional person with every attribute an export might carry."""

    title: str
    forenames: str
    surname: str
    female: bool
    dob: date

    @property
    def full_name(self) -> str:
        return f"{self.forenames} {self.surname}"

    @property
    def first_name(self) -> str:
        return self.forenames.split()[0]


def date_uk(d: date, layout: str = "slash") -> str:
    """A date in a layout common in UK records."""
    if layout == "slash":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if layout == "dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if layout == "dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if layout == "iso":
        return d.isoformat()
    if layout == "long":
        return f"{d.day} {d.strftime('%B')} {d.year}"
    if layout == "short_month":
        return f"{d.day:02d} {d.strftime('%b')} {d.year}"
    raise ValueError(layout)
