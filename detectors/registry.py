"""Builds the gateway's recognizer set and documents how to use it.

``build_recognizers(config_dir)`` returns one presidio ``EntityRecognizer`` per
entity type of contracts.md section 1 that is pattern-detectable, plus ASN /
custody numbers as ``CUSTODY_REFERENCE`` and crime references as
``CRIME_REFERENCE``. PERSON (spaCy NER) and STAFF_RECORD / OFFENDER_RECORD
(exact data match) come from other components.

How to call them
----------------
* Prose: ``recognizer.analyze(text, entities, nlp_artifacts=None)`` (presidio's
  signature; the NLP artifacts are ignored) or through an ``AnalyzerEngine``
  whose registry holds these recognizers. Context is found in the raw text
  around each match; presidio's lemma-based context enhancer is not needed and
  is neutralised (the recognizers expose no presidio ``context`` words and mark
  their results as already context-scored).
* A table cell: ``recognizer.analyze_value(value, header)``, or for the whole
  set :func:`analyze_value`. The header stands in for context: a header that
  contains one of the recognizer's context words ("date_of_birth", "PNC ID",
  "NI Number", "VRM", "sickness_reason") gives every match in the value context,
  so context-requiring recognizers (passport, collar number, vehicle reg, date of
  birth, custody/crime references, bare digit runs) report the value. Two
  recognizers read the header more narrowly: a bank-account value needs a header
  naming its part ("Sort Code", "Account No") or a sort code + account pair in the
  cell, and a warning-marker header ("Markers", "Warnings", "Flags") makes the
  special-category recognizer report a cell whole when it holds a health marker.
  Presidio's own ``analyze(..., context=[header])`` cannot do this: it only
  adjusts scores of results a recognizer already returned.
* Every result's ``recognition_metadata`` carries extras a caller may use:
  ``marking`` / ``caveat`` (PROTECTIVE_MARKING, normalised; see
  :func:`detectors.uk.protective_marking.normalise_marking`), ``special_category``
  (health, ethnicity, religion, sexual_orientation, biometric, trade_union),
  ``reference`` (ASN or the configured shape name), ``bank_part``.

Score conventions
-----------------
* 0.95-1.0: a validated check (mod-23 check letter, MOD 97-10 IBAN, Luhn on a
  grouped card number, MRZ check digit); 1.0 when context is also present.
* 0.6-0.85: format only, with context (0.85 for strong formats such as a DVLA
  driver number or current-format VRM, 0.6-0.7 for looser ones).
* below 0.5: format only, without context - not reported at the gateway's
  threshold (``REPORT_THRESHOLD`` = 0.5, also ``score_threshold`` in
  ``config/recognizers.yaml``).
* Deliberate exceptions, each documented in its module: a few structurally
  strict formats report without context at 0.6 - full NINO with suffix
  (prefix/suffix rules), spaced upper-case full postcode (position letter rules),
  public IPv4/IPv6 (octet validation, version/OID refusal; internal and reserved
  addresses are never reported), compact Luhn card number, a collar number after
  an unambiguous rank (DC, DS, PS mid-sentence, PCSO, Sgt ...; PC needs policing
  evidence), numbered street line (the street-type word is built-in context), and
  special-category terms (specific phrases only) at 0.7; phone numbers valid in
  libphonenumber's GB plan at 0.75; e-mail addresses at 0.9. Weak checksums are
  treated as format: an NHS number passing mod 11 scores 1.0 only with NHS
  context, 0.7 in its 3-3-4 layout and 0.4 as ten bare digits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from presidio_analyzer import EntityRecognizer, RecognizerResult

from detectors.allowlist import Allowlist
from detectors.base import REPORT_THRESHOLD, UkDetector
from detectors.config import DEFAULT_CONFIG_DIR, DetectorConfigError, read_yaml, string_list
from detectors.generic.credit_card import CreditCardDetector
from detectors.generic.email import EmailAddressDetector
from detectors.generic.iban import IbanDetector
from detectors.generic.ip_address import IpAddressDetector
from detectors.generic.phone import PhoneNumberDetector
from detectors.uk.asn import UkAsnDetector
from detectors.uk.bank_account import UkBankAccountDetector
from detectors.uk.collar_number import PoliceCollarNumberDetector
from detectors.uk.crime_reference import CrimeReferenceDetector
from detectors.uk.cro import UkCroDetector
from detectors.uk.custody_reference import CustodyReferenceDetector
from detectors.uk.date_of_birth import DateOfBirthDetector
from detectors.uk.driving_licence import UkDrivingLicenceDetector
from detectors.uk.force_references import load_force_references
from detectors.uk.nhs import UkNhsDetector
from detectors.uk.nino import UkNinoDetector
from detectors.uk.passport import UkPassportDetector
from detectors.uk.pnc import UkPncDetector
from detectors.uk.postcode import UkPostcodeDetector
from detectors.uk.protective_marking import ProtectiveMarkingDetector
from detectors.uk.special_category import SpecialCategoryDetector, load_terms
from detectors.uk.street_address import StreetAddressDetector
from detectors.uk.vehicle_reg import UkVehicleRegDetector

#: Every recognizer class, in reporting order.
RECOGNIZER_CLASSES: tuple[type[UkDetector], ...] = (
    UkPncDetector,
    UkCroDetector,
    UkAsnDetector,
    CustodyReferenceDetector,
    CrimeReferenceDetector,
    PoliceCollarNumberDetector,
    UkNinoDetector,
    UkNhsDetector,
    UkDrivingLicenceDetector,
    UkPassportDetector,
    UkPostcodeDetector,
    UkVehicleRegDetector,
    UkBankAccountDetector,
    DateOfBirthDetector,
    StreetAddressDetector,
    ProtectiveMarkingDetector,
    SpecialCategoryDetector,
    PhoneNumberDetector,
    EmailAddressDetector,
    IbanDetector,
    CreditCardDetector,
    IpAddressDetector,
)

_BY_NAME = {cls.__name__: cls for cls in RECOGNIZER_CLASSES}


def load_settings(config_dir: Path) -> tuple[float, dict[str, dict[str, Any]]]:
    """Read ``recognizers.yaml``: the score threshold and per-recognizer settings.

    :raises DetectorConfigError: for unknown recognizer names or malformed entries.
    """
    path = config_dir / "recognizers.yaml"
    data = read_yaml(path)
    threshold = data.get("score_threshold", REPORT_THRESHOLD)
    if not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise DetectorConfigError(f"{path}:score_threshold: must be a number in (0, 1]")
    entries = data.get("recognizers", {})
    if not isinstance(entries, dict):
        raise DetectorConfigError(f"{path}:recognizers: must map recognizer class names to settings")
    settings: dict[str, dict[str, Any]] = {}
    for name, raw in entries.items():
        if name not in _BY_NAME:
            raise DetectorConfigError(f"{path}:recognizers.{name}: no such recognizer; known: {sorted(_BY_NAME)}")
        body = raw or {}
        if not isinstance(body, dict) or set(body) - {"enabled", "extra_context"}:
            raise DetectorConfigError(f"{path}:recognizers.{name}: allowed keys are enabled, extra_context")
        if not isinstance(body.get("enabled", True), bool):
            raise DetectorConfigError(f"{path}:recognizers.{name}.enabled: must be true or false")
        extra = string_list(path, f"recognizers.{name}.extra_context", body.get("extra_context", [])) if body.get(
            "extra_context") else []  # fmt: skip
        settings[name] = {"enabled": body.get("enabled", True), "extra_context": extra}
    return float(threshold), settings


def build_recognizers(config_dir: Path | None = None) -> list[EntityRecognizer]:
    """Build every enabled recognizer from the files in ``config_dir`` (default: the repo's ``config/``).

    Reads ``recognizers.yaml``, ``allowlist.yaml``, ``force_references.yaml`` and
    ``special_category.yaml``. Build once per process: construction compiles all
    patterns; the recognizers are then stateless and thread-safe.

    :raises DetectorConfigError: naming file and key when any of them is malformed.
    """
    directory = config_dir or DEFAULT_CONFIG_DIR
    _, settings = load_settings(directory)
    allow_path = directory / "allowlist.yaml"
    allowlist = Allowlist.load(allow_path) if allow_path.exists() else Allowlist.empty()
    references = load_force_references(directory)
    terms = load_terms(directory)
    out: list[EntityRecognizer] = []
    for cls in RECOGNIZER_CLASSES:
        setting = settings.get(cls.__name__, {"enabled": True, "extra_context": []})
        if not setting["enabled"]:
            continue
        kwargs: dict[str, Any] = {"allowlist": allowlist, "extra_context": setting["extra_context"]}
        if issubclass(cls, CustodyReferenceDetector | CrimeReferenceDetector):
            out.append(cls(references=references, **kwargs))
        elif cls is SpecialCategoryDetector:
            out.append(SpecialCategoryDetector(terms=terms, **kwargs))
        else:
            out.append(cls(**kwargs))
    return out


def analyze_value(recognizers: list[EntityRecognizer], value: str, header: str | None = None) -> list[RecognizerResult]:
    """Run every recognizer on one table cell with its column header as context.

    Results below :data:`REPORT_THRESHOLD` are kept: column classification may
    want to count weak evidence across many sampled cells.
    """
    results: list[RecognizerResult] = []
    for recognizer in recognizers:
        if isinstance(recognizer, UkDetector):
            results.extend(recognizer.analyze_value(value, header))
        else:
            results.extend(recognizer.analyze(value, recognizer.supported_entities, cast(Any, None)) or [])
    return results
