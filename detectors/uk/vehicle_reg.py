"""Vehicle registration mark, entity ``UK_VEHICLE_REG`` (reported only with vehicle context).

DVLA formats (POLE DS_065; ZionFox/DVLARegCheck): current ``AA99 AAA`` with an
age identifier that must have been issued (March = YY, September = YY+50; 01 and
50 never issued); prefix ``A999 AAA`` and suffix ``AAA 999A``; Northern Ireland
``AIZ 9999``. I and Q are not used in the letter groups. Car model and road
names fit the prefix shape (``C63 AMG``, ``M25 JCT``), so known trim/road words
are refused, and every match needs vehicle context; dateless marks (``1234 AB``)
need a registration-specific keyword right before them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe, Keywords

_VRM = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?P<current>[A-HJ-PR-Y]{2}(?P<age>\d\d) ?[A-HJ-PR-Z]{3})"
    r"|(?P<prefix>[A-HJ-NPR-TV-Y]\d{1,3} ?(?P<plast>[A-HJ-PR-Y]{3}))"
    r"|(?P<suffix>[A-HJ-PR-Y]{3} ?\d{1,3}[A-HJ-NPR-TV-Y])"
    # An NI mark never has a letter group after its digits ("IA23 ABC" is a broken current mark).
    r"|(?P<ni>[A-HJ-NP-Z]?(?:[A-Z][IZ]|[IZ][A-Z]) ?\d{1,4}(?! ?[A-Z]{1,3}(?![A-Za-z0-9])))"
    r"|(?P<dateless>\d{1,4} ?[A-HJ-NP-Y]{1,3}|(?!(?:VRM|VRN|REG)\b)[A-HJ-NP-Y]{1,3} ?\d{1,4})"
    r")(?![A-Za-z0-9])"
)
# Trim levels, model codes and road words that fit the prefix shape.
_NOT_PLATES = frozenset(
    {
        "AMG",
        "JCT",
        "AWD",
        "GTD",
        "GTE",
        "GTS",
        "HSE",
        "SVR",
        "SRT",
        "TDS",
        "LTD",
        "PLC",
        "EVO",
        "GLA",
        "GLC",
        "GLE",
        "GLS",
        "CLA",
        "CLS",
        "SLK",
        "SLC",
        "RWD",
        "FWD",
        "XLE",
        "LWB",
        "SWB",
        "CVT",
        "DSG",
    }
)
_PLATE_WORDS = Keywords(("VRM", "VRN", "reg", "reg no", "registration", "index", "number plate", "plate"))


def age_identifier_issued(age: int, today: dt.date) -> bool:
    """Whether a current-format age identifier has been issued by ``today``."""
    yy = today.year % 100
    if 2 <= age <= 49:
        return age < yy or (age == yy and today.month >= 3)
    if 51 <= age <= 99:
        return age - 50 < yy or (age - 50 == yy and today.month >= 9)
    return False


class UkVehicleRegDetector(UkDetector):
    """Finds GB and NI registration marks when a vehicle is being talked about."""

    ENTITY = "UK_VEHICLE_REG"
    CONTEXT = (
        "VRM", "VRN", "vehicle", "reg", "registration", "number plate", "plate", "index", "car", "van",
        "motorcycle", "motorbike", "moped", "lorry", "HGV", "taxi", "driving", "drove", "driven", "driver",
        "ANPR", "DVLA", "keeper", "MOT", "parked", "stopped", "hatchback", "saloon", "estate car",
        "Ford", "Vauxhall", "BMW", "Audi", "Mercedes", "Volkswagen", "VW", "Toyota", "Nissan", "Honda",
        "Peugeot", "Renault", "Kia", "Hyundai", "Skoda", "Seat", "Fiat", "Mini", "Land Rover",
        "Range Rover", "Jaguar", "Volvo", "Citroen", "Mazda", "Tesla", "Transit",
    )  # fmt: skip

    REQUIRES_CONTEXT = True

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        today = dt.date.today()
        plate_probe: ContextProbe | None = None
        for m in _VRM.finditer(text):
            if m["current"]:
                if not age_identifier_issued(int(m["age"]), today):
                    continue
                kind, score = "current", 0.85
            elif m["prefix"]:
                if m["plast"] in _NOT_PLATES:
                    continue
                kind, score = "prefix", 0.7
            elif m["suffix"]:
                kind, score = "suffix", 0.7
            elif m["ni"]:
                kind, score = "northern ireland", 0.7
            else:
                # Dateless marks look like anything ("PC 1234"): only right after "VRM"/"reg".
                if plate_probe is None:
                    plate_probe = ContextProbe(text, _PLATE_WORDS, 20, 0, probe.external and bool(header))
                if not plate_probe.near(*m.span()):
                    continue
                kind, score = "dateless", 0.6
            if not probe.near(*m.span()):
                continue
            yield self.result(*m.span(), score, context=True, pattern=kind)


CASES: list[Case] = [
    Positive("Subject drives a blue Ford Focus AB51 ABC", "AB51 ABC"),
    Positive("VRM BD51SMR seen on ANPR", "BD51SMR"),
    Positive("vehicle LA23 XYZ parked outside", "LA23 XYZ"),
    Positive("ANPR hit on YX75 KPL", "YX75 KPL"),
    Positive("old car reg F123 ABC", "F123 ABC"),
    Positive("suffix plate ABC 123D on the vehicle", "ABC 123D"),
    Positive("NI registration AIZ 1234", "AIZ 1234"),
    Positive("VRM 1234 AB", "1234 AB"),
    Positive("AB51ABC", "AB51ABC", header="VRM"),
    Negative("Mercedes C63 AMG for sale", "car model, trim refused"),
    Negative("Traffic at M25 JCT 10 delayed the car", "motorway junction"),
    Negative("Audi A4 TDI estate car", "I is never used in plate letters"),
    Negative("Volvo XC90 AWD vehicle", "age identifier 90 not issued; trim word"),
    Negative("vehicle AB01 ABC", "age identifier 01 never issued"),
    Negative("vehicle AB50 ABC", "age identifier 50 never issued"),
    Negative("vehicle IA23 ABC", "I never used"),
    Negative("vehicle AQ23 ABC", "Q never used in the memory tag"),
    Negative("vehicle ZA23 ABC", "Z never leads a GB plate"),
    Negative("Ticket AB51 ABC was raised", "no vehicle context"),
    Negative("PC 1234 stopped the vehicle", "collar number, not a dateless plate"),
]
