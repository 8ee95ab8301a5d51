"""Check-digit validators against the worked examples of uk-reference.md (re-computed there)."""

from __future__ import annotations

import pytest

from detectors.checks import (
    asn_check_letter,
    cro_check_letter,
    cro_sf_check_letter,
    iban_mod97_valid,
    icao_check_digit,
    luhn_valid,
    mod23_letter,
    nhs_number_valid,
    pnc_check_letter,
)


def test_mod23_alphabet_skips_i_o_s() -> None:
    letters = {mod23_letter(n) for n in range(23)}
    assert letters.isdisjoint({"I", "O", "S"}) and len(letters) == 23
    assert mod23_letter(0) == "Z" and mod23_letter(1) == "A"


@pytest.mark.parametrize(
    "year,serial,letter",
    [
        ("1979", "0163001", "B"),
        ("79", "163001", "B"),
        ("2002", "0073319", "Z"),
        ("02", "73319", "Z"),
        ("81", "34", "U"),
        ("00", "223", "R"),
        ("67", "9893091", "D"),
        ("2019", "0123456", "E"),
        ("2003", "0011985", "X"),
        ("2023", "0583843", "L"),
    ],
)
def test_pnc_check_letter(year: str, serial: str, letter: str) -> None:
    assert pnc_check_letter(year, serial) == letter


def test_cro_check_letters() -> None:
    assert cro_check_letter("65656", "91") == "H"
    assert cro_check_letter("85227", "65") == "L"  # MoJ test: written as G, which is wrong
    assert cro_sf_check_letter("05", "482703") == "J"
    assert cro_sf_check_letter("83", "50058") == "Z"


@pytest.mark.parametrize(
    "asn", ["1101ZD0100000410847G", "9700000000000123456K", "2005FF0500000000555P", "2441XA0000000001234M"]
)
def test_asn_check_letter(asn: str) -> None:
    assert asn_check_letter(asn) == asn[-1]


def test_asn_with_non_numeric_sequence_has_no_check_letter() -> None:
    assert asn_check_letter("1101ZD01000004108X7G") is None


@pytest.mark.parametrize(
    "digits,valid",
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9990000018", True),
        ("6541003238", True),
        ("4010232138", False),  # wrong check digit
        ("4857773456", False),  # AWS documentation example
        ("0000000000", False),  # repdigit passes the arithmetic, never issued
        ("1111111111", False),
        ("999123456", False),  # nine digits
        ("1234567890", False),  # check digit would be 10: never issued
    ],
)
def test_nhs_number_valid(digits: str, valid: bool) -> None:
    assert nhs_number_valid(digits) is valid


def test_luhn() -> None:
    assert luhn_valid("4111111111111111") and luhn_valid("378282246310005")
    assert not luhn_valid("4111111111111112") and not luhn_valid("41x1")


@pytest.mark.parametrize(
    "iban,valid",
    [
        ("GB82WEST12345698765432", True),
        ("GB33BUKB20201555555555", True),
        ("GB63CPBK08999966374958", True),
        ("GB94BARC20201530093459", False),  # mod 97 fails
        ("GB01BARC20714583608387", False),  # passes mod 97, impossible check digits 01
        ("GB00HLFX11016111455365", False),  # passes mod 97, impossible check digits 00
        ("GB8", False),
    ],
)
def test_iban_mod97(iban: str, valid: bool) -> None:
    assert iban_mod97_valid(iban) is valid


def test_icao_check_digit() -> None:
    # ICAO 9303 part 3 example document number L898902C3 has check digit 6.
    assert icao_check_digit("L898902C3") == 6
    assert icao_check_digit("925076473") == 3
