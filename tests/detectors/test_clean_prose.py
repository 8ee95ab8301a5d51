"""Precision: ordinary non-personal police and office prose must produce no finding at all.

Each paragraph is the kind of text that fills outgoing mail and mostly carries no
personal data: numbers, dates, versions, codes and sensitive-sounding words used
in their everyday sense. A finding at or above the reporting threshold here is a
false alarm a reviewer would have to read.
"""

from __future__ import annotations

import pytest

from detectors.base import REPORT_THRESHOLD, UkDetector
from detectors.registry import build_recognizers

PARAGRAPHS = [
    # Press release with aggregate figures.
    "Burglary fell by 12.5% in the year to March 2024, with 4,512 offences recorded against 5,160 "
    "the previous year. The Chief Constable thanked partners and said the force would publish the "
    "quarterly figures on 15/05/2024. Call 101 to report non-urgent crime, or 999 in an emergency.",
    # IT change note.
    "Change CHG0034512: upgrade the records system to version 10.2.0.1 on build server 4, then "
    "restart services 2.16.840.1.113883 mapping jobs. Rollback window 22:00-23:30. Ticket 123456789 "
    "tracks the work; laptop PC 1234 and desktop PC 1235 need the new driver.",
    # Policy text that talks about markings and rights of way.
    'Documents marked "SECRET" must not be e-mailed. The Official Secrets Act applies to all staff. '
    "The restricted byway north of the depot remains closed to vehicles; the top secret recipe for "
    "the canteen chilli is not in scope. The CONFIDENTIAL Reporting line is open all week.",
    # Meeting minutes with dates, offence classifications and codes.
    "Minutes of the meeting held on 03/04/2024. Offence classification 037/02 and 809/01 volumes "
    "were reviewed (codes TH68006 and MD71101). Action 12-04 carried forward to item 7; scores at "
    "the training day were 12-34-56 across the three teams. Next review 01/07/2024.",
    # Everyday words that are special-category terms in other senses.
    "I'm sick of this spreadsheet. The economic depression of the 1930s is covered in module 4, "
    "and the account was disabled after the SSH key fingerprint changed. Replace the IC1 chip on "
    "the circuit board. Christian Smith from the supplier will present the roadmap.",
    # Product and vehicle-ish tokens without a vehicle being discussed, and an order number.
    "The fleet review compared the Mercedes C63 AMG brochure with the Volvo XC90 AWD spec sheet. "
    "Order 4010232137 shipped; invoice 20230115 paid. Licence key ABCDE812156XY1QZ for Office.",
]


@pytest.fixture(scope="module")
def recognizers() -> list[UkDetector]:
    return build_recognizers()  # type: ignore[return-value]


@pytest.mark.parametrize("paragraph", PARAGRAPHS, ids=[p[:30] for p in PARAGRAPHS])
def test_no_findings_in_clean_prose(recognizers: list[UkDetector], paragraph: str) -> None:
    found = [
        (r.entity_type, paragraph[r.start : r.end], r.score)
        for recognizer in recognizers
        for r in recognizer.analyze(paragraph, None)
        if r.score >= REPORT_THRESHOLD
    ]
    assert found == []
