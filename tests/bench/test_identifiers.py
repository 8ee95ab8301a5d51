"""The evaluation set's identifier generators produce valid values (and the invalid ones are invalid).

The validators in `bench.evalset.identifiers` are checked against the worked
examples of uk-reference.md first; generated values are then checked with those
validators and, where one exists, an independent implementation (libphonenumber,
the gateway's own check-digit module).
"""

from __future__ import annotations

import random
import re
from datetime import date

import phonenumbers
import pytest

from bench.evalset import identifiers as ids
from detectors import checks

RNG_SEEDS = range(5)
N = 300


def _rngs() -> list[random.Random]:
    return [random.Random(seed) for seed in RNG_SEEDS]


# --------------------------------------------------------------------------- reference examples


@pytest.mark.parametrize(
    "value",
    ["1979/0163001B", "79/163001B", "2002/0073319Z", "02/73319Z", "81/34U", "00/223R", "67/9893091D", "20020073319Z"],
)
def test_pnc_reference_valid(value: str) -> None:
    assert ids.is_valid_pnc(value)


@pytest.mark.parametrize("value", ["20030011985Z", "20120052494O", "20230583843N", "2001/0171310S", "2019/0123456F"])
def test_pnc_reference_invalid(value: str) -> None:
    assert not ids.is_valid_pnc(value)


@pytest.mark.parametrize(
    "value", ["065656/91H", "65656/91H", "SF05/482703J", "SF83/50058Z", "123456/87H", "000777/12X"]
)
def test_cro_reference_valid(value: str) -> None:
    assert ids.is_valid_cro(value)


def test_cro_reference_invalid() -> None:
    assert not ids.is_valid_cro("85227/65G")


@pytest.mark.parametrize("value", ["943 476 5919", "401-023-2137", "6541003238", "999 000 0018", "999 876 5439"])
def test_nhs_reference_valid(value: str) -> None:
    assert ids.is_valid_nhs(value)


@pytest.mark.parametrize("value", ["401-023-2138", "485 777 3456", "999 000 0000", "0000000000", "1111111111"])
def test_nhs_reference_invalid(value: str) -> None:
    assert not ids.is_valid_nhs(value)


@pytest.mark.parametrize("value", ["GB82 WEST 1234 5698 7654 32", "GB33BUKB20201555555555", "GB29NWBK60161331926819"])
def test_iban_reference_valid(value: str) -> None:
    assert ids.is_valid_iban(value)


@pytest.mark.parametrize("value", ["GB94BARC20201530093459", "GB01BARC20714583608387", "GB00HLFX11016111455365"])
def test_iban_reference_invalid(value: str) -> None:
    assert not ids.is_valid_iban(value)


@pytest.mark.parametrize("value", ["AB123456C", "JG103759A", "AB 12 34 56 C"])
def test_nino_reference_valid(value: str) -> None:
    assert ids.is_valid_nino(value)


@pytest.mark.parametrize("value", ["QQ123456C", "BG123456A", "AO123456A", "DA123456A", "AB123456E"])
def test_nino_reference_invalid(value: str) -> None:
    assert not ids.is_valid_nino(value)


@pytest.mark.parametrize("value", ["SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"])
def test_postcode_reference_valid(value: str) -> None:
    assert ids.is_valid_postcode(value)


@pytest.mark.parametrize("value", ["QA1 1AA", "M1 1CA", "BFPO 123", "SAN TA1"])
def test_postcode_reference_invalid(value: str) -> None:
    assert not ids.is_valid_postcode(value)


def test_driving_licence_reference() -> None:
    # Sarah Meredyth Morgan, female, 05/07/1965 (DVLA-style example): all but the check characters.
    built = ids.driving_licence(random.Random(0), "Morgan", "Sarah Meredyth", date(1965, 7, 5), female=True)
    assert built[:14] == "MORGA657055SM9"
    assert ids.driving_licence(random.Random(0), "MacDonald", "Ewan", date(1970, 3, 6), female=False)[:13] == (
        "MCDON703060E9"
    )
    assert ids.is_valid_driving_licence("MORGA657054SM9IJ")
    assert not ids.is_valid_driving_licence("SMITH813320AB9CD")


# --------------------------------------------------------------------------- generated values


@pytest.mark.parametrize("form", ["long", "short", "compact"])
def test_generated_pnc_ids_are_valid(form: str) -> None:
    for rng in _rngs():
        for _ in range(N):
            value = ids.pnc(rng, form)
            assert ids.is_valid_pnc(value), value
            year, serial = re.fullmatch(r"(\d{2,4})/?(\d+)[A-Z]", value).groups()  # type: ignore[union-attr]
            if form == "compact":
                year, serial = value[:4], value[4:11]
            assert checks.pnc_check_letter(year, serial) == value[-1]


def test_invalid_pnc_ids_fail() -> None:
    for rng in _rngs():
        for _ in range(N):
            assert not ids.is_valid_pnc(ids.pnc_invalid(rng))


def test_generated_cro_numbers_are_valid() -> None:
    for rng in _rngs():
        for _ in range(N):
            value = ids.cro(rng)
            assert ids.is_valid_cro(value), value
            serial, year = value[:-1].split("/")
            assert checks.cro_check_letter(serial, year[:2]) == value[-1]
            sf = ids.cro_sf(rng)
            assert ids.is_valid_cro(sf), sf
            assert checks.cro_sf_check_letter(sf[2:4], sf[5:-1]) == sf[-1]


@pytest.mark.parametrize("test_range", [True, False])
def test_generated_nhs_numbers_are_valid(test_range: bool) -> None:
    for rng in _rngs():
        for _ in range(N):
            value = ids.nhs(rng, test_range=test_range, layout=rng.choice(["spaced", "compact", "dashed"]))
            digits = re.sub(r"\D", "", value)
            assert ids.is_valid_nhs(value) and checks.nhs_number_valid(digits), value
            assert digits.startswith("999") == test_range
            if not test_range:
                assert digits[0] in "467"


def test_invalid_nhs_numbers_fail() -> None:
    for rng in _rngs():
        for _ in range(N):
            value = ids.nhs_invalid(rng)
            assert not checks.nhs_number_valid(re.sub(r"\D", "", value)), value


def test_generated_ninos_have_allocatable_prefixes() -> None:
    for rng in _rngs():
        for _ in range(N):
            value = ids.nino(rng)
            assert ids.is_valid_nino(value), value
            assert value.replace(" ", "")[:2] not in {"CR", "FY", "MW", "NC", "PP", "PY", "PZ", "TN", "OO"}
            assert not ids.is_valid_nino(ids.nino_invalid(rng))


def test_generated_cards_pass_luhn_and_use_test_ranges() -> None:
    prefixes = tuple(p for p, _ in ids.CARD_TEST_PREFIXES)
    for rng in _rngs():
        for _ in range(N):
            value = ids.card(rng)
            digits = re.sub(r"\D", "", value)
            assert checks.luhn_valid(digits) and ids.is_luhn_valid(value), value
            assert digits.startswith(prefixes)
            assert len(digits) in (15, 16)


def test_generated_ibans_pass_mod97() -> None:
    for rng in _rngs():
        for _ in range(N):
            value = ids.iban_gb(rng)
            compact = value.replace(" ", "")
            assert len(compact) == 22 and compact.startswith("GB")
            assert checks.iban_mod97_valid(compact) and ids.is_valid_iban(value), value


def test_impossible_check_digit_ibans_are_rejected() -> None:
    for rng in _rngs():
        value = ids.iban_impossible_check(rng)
        assert value[2:4] in ("00", "01")
        assert not checks.iban_mod97_valid(value)


def test_iban_embeds_sort_code_and_account() -> None:
    value = ids.iban_gb(random.Random(1), "08-99-99", "66374958", grouped=False)
    assert value[8:] == "08999966374958"
    assert ids.is_valid_iban(value)


def test_generated_phone_numbers_are_drama_numbers_libphonenumber_accepts() -> None:
    for rng in _rngs():
        for _ in range(N):
            landline = ids.phone_landline(rng)
            parsed = phonenumbers.parse(landline, "GB")
            assert phonenumbers.is_valid_number(parsed), landline
            mobile = ids.phone_mobile(rng)
            national = re.sub(r"\D", "", mobile.replace("+44", "0").replace("(0)", ""))
            # Ofcom's drama mobile block; libphonenumber does not accept it, it is never allocated.
            assert re.fullmatch(r"07700900\d{3}", national), mobile


def test_generated_postcodes_follow_the_format_rules() -> None:
    for rng in _rngs():
        for _ in range(N):
            value = ids.postcode(rng)
            assert ids.is_valid_postcode(value), value


def test_generated_driving_licences_are_derived_from_the_person() -> None:
    rng = random.Random(3)
    for _ in range(N):
        year = rng.randint(1940, 2005)
        dob = date(year, rng.randint(1, 12), rng.randint(1, 28))
        female = rng.random() < 0.5
        value = ids.driving_licence(rng, "O'Brien-Smith", "Anne Marie", dob, female)
        assert ids.is_valid_driving_licence(value), value
        assert value[:5] == "OBRIE"
        assert int(value[6:8]) == dob.month + (50 if female else 0)
        assert value[8:10] == f"{dob.day:02d}" and value[5] + value[10] == f"{year:04d}"[2:]
        assert value[11:13] == "AM"


def test_generated_vehicle_registrations_are_current_format() -> None:
    pattern = re.compile(r"[A-HJ-PR-Y]{2}(0[2-9]|[12][0-9]|5[1-9]|[67][0-9]) [A-HJ-PR-Z]{3}")
    for rng in _rngs():
        for _ in range(N):
            assert pattern.fullmatch(ids.vehicle_reg(rng))


def test_generated_ips_are_public() -> None:
    import ipaddress

    for rng in _rngs():
        for _ in range(N):
            assert ipaddress.ip_address(ids.ip_public(rng)).is_global
            assert ipaddress.ip_address(ids.ipv6_public(rng)).is_global


def test_same_seed_same_values() -> None:
    a, b = random.Random(42), random.Random(42)
    assert [ids.pnc(a) for _ in range(20)] == [ids.pnc(b) for _ in range(20)]
