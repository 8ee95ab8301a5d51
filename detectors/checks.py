"""Check-digit validators shared by the recognizers.

Each function is pure and takes the identifier *already normalised* (separators
removed, upper case), so the recognizers own the parsing and these own the
arithmetic. Sources are cited per function; worked examples live in
``tests/detectors/test_checks.py``.
"""

from __future__ import annotations

import string

# Modulus-23 alphabet shared by PNC ID, CRO number, ASN and court case reference:
# remainder 0 -> Z, 1 -> A, ... skipping I, O and S (NPCC POLE Data Standards
# DS_071-DS_073; MoJ hmpps-person-record PNCIdentifier.kt; bichard7 Asn.ts).
MOD23_ALPHABET = "ZABCDEFGHJKLMNPQRTUVWXY"


def mod23_letter(number: int) -> str:
    """Return the check letter for ``number`` under the criminal-justice modulus-23 scheme."""
    return MOD23_ALPHABET[number % 23]


def pnc_check_letter(year: str, serial: str) -> str:
    """Check letter of a PNC ID from its year (2 or 4 digits) and serial (1-7 digits).

    POLE DS_072: "2 digit year part and a fixed 7 digit serial part ... put through
    the Modulus 23 algorithm". Only the last two digits of the year count.
    """
    return mod23_letter(int(year[-2:] + serial.zfill(7)))


def cro_check_letter(serial: str, year: str) -> str:
    """Check letter of a standard CRO number ``serial/YY`` (serial padded to 6 digits, POLE DS_071)."""
    return mod23_letter(int(year + serial.zfill(6)))


def cro_sf_check_letter(year: str, serial: str) -> str:
    """Check letter of a search-file CRO number ``SFYY/serial``.

    MoJ CROIdentifier.kt uses year followed by the serial *as written* (no padding),
    which reproduces its test data (SF05/482703J, SF83/50058Z).
    """
    return mod23_letter(int(year + serial))


def asn_check_letter(asn: str) -> str | None:
    """Check character of an Arrest Summons Number written without separators.

    Mirrors bichard7-next-core ``Asn.checkCharacter``: force (chars 3-4) and system
    (chars 7-8) digits count only when numeric, then the 2-digit year, then the
    sequence (from char 9 up to the check letter) padded to 11 digits. Returns None
    when the sequence is not numeric (Bichard treats that as invalid).
    """
    year, force, system = asn[0:2], asn[2:4], asn[6:8]
    sequence = asn[8:-1]
    if not sequence.isdigit() or not year.isdigit():
        return None
    number = (
        (force if force.isdigit() else "") + (system if system.isdigit() else "") + year + str(int(sequence)).zfill(11)
    )
    return mod23_letter(int(number))


def nhs_number_valid(digits: str) -> bool:
    """NHS number modulus 11 (NHS Data Dictionary): weights 10..2, check = 11 - sum mod 11.

    A check of 11 becomes 0; a check of 10 means the number is never issued.
    Repeated-digit numbers (0000000000, 1111111111 ...) pass the arithmetic but are
    never issued, so they are rejected here.
    """
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def luhn_valid(digits: str) -> bool:
    """Luhn (ISO/IEC 7812-1 annex B) check used by payment card numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_LETTER_VALUES = {c: str(i) for i, c in enumerate(string.ascii_uppercase, start=10)}


def iban_mod97_valid(iban: str) -> bool:
    """ISO 13616 / ISO 7064 MOD 97-10, plus the rule that check digits are 02-98.

    Check digits 00, 01 and 99 can never be produced by the algorithm, so strings
    with them (e.g. GB00HLFX11016111455365) are rejected even when mod 97 == 1.
    """
    if len(iban) < 5 or not iban[2:4].isdigit() or not iban.isalnum():
        return False
    if not 2 <= int(iban[2:4]) <= 98:
        return False
    rearranged = iban[4:] + iban[:4]
    try:
        number = "".join(_LETTER_VALUES.get(c, c) for c in rearranged)
        return int(number) % 97 == 1
    except ValueError:
        return False


def icao_check_digit(field: str) -> int:
    """ICAO 9303 machine-readable-zone check digit (weights 7, 3, 1; '<' counts 0)."""
    total = 0
    for i, ch in enumerate(field):
        if ch.isdigit():
            value = int(ch)
        elif ch.isalpha():
            value = ord(ch.upper()) - 55
        else:
            value = 0
        total += value * (7, 3, 1)[i % 3]
    return total % 10
