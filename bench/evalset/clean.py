"""Documents with no personal data: policies, minutes, press releases, timetables, IT asset lists,
and documents full of look-alikes (uk-reference section 6.7).

None of these may be quarantined or blocked. They are where a detector's
precision is earned: offence classifications that look like CRO numbers, court
references that look like PNC IDs, car models that look like registrations,
software keys that fit the driving-licence pattern, private and documentation
IP addresses, "restricted byway" and "Official Secrets Act". A document may
carry an OFFICIAL marking in its header, which is labelled as a marking; it is
still clean (OFFICIAL is the level anything may go out at).
"""

from __future__ import annotations

import io
import random
import string
from datetime import date, timedelta

import docx
from fpdf import FPDF

from bench.evalset import identifiers as ids
from bench.evalset.labels import DocLabels, Negative, Prose
from bench.evalset.people import DEPARTMENTS, MAKES, STATIONS, TOWNS
from bench.evalset.tables import Sheet, write_csv, write_xlsx

POLICY_TOPICS = (
    ("Information Management Policy", "the handling, retention and disposal of force information"),
    ("Use of Social Media Procedure", "the personal and professional use of social media by staff"),
    ("Fleet Management Policy", "the procurement, maintenance and disposal of force vehicles"),
    ("Flexible Working Procedure", "applications for flexible working and how they are considered"),
    ("Body Worn Video Procedure", "the use of body worn video cameras by officers and staff"),
    ("Uniform and Appearance Policy", "the standards of dress expected of officers and staff"),
    ("Records Retention Schedule", "how long each class of record is kept before review"),
    ("Business Continuity Plan", "how critical services are maintained during a disruption"),
)
POLICY_SENTENCES = (
    "This policy applies to all police officers, police staff, special constables and volunteers.",
    "Line managers are responsible for ensuring that their teams are aware of this policy.",
    "The policy will be reviewed every two years or sooner if legislation changes.",
    "Any breach of this policy may result in action under the relevant misconduct regulations.",
    "Advice can be obtained from the Information Management Unit via the intranet.",
    "An equality impact assessment has been completed and no adverse impact was identified.",
    "Where there is doubt, staff should seek advice before taking action.",
    "Records must be stored on approved force systems and not on personal devices.",
    "The Chief Constable has delegated responsibility for this policy to the Head of Corporate Services.",
    "Training is available through the force learning platform and must be completed annually.",
)
TRAPS = (
    (
        "Staff are reminded of their obligations under the Official Secrets Act 1989.",
        "PROTECTIVE_MARKING",
        "Official Secrets Act is not a marking",
    ),
    (
        "The force supports the mental health and wellbeing of its workforce through the wellbeing service.",
        "SPECIAL_CATEGORY",
        "health topic, not data about a person",
    ),
    (
        "Patrols must not drive along the restricted byway between the two villages.",
        "PROTECTIVE_MARKING",
        "restricted byway is a right of way",
    ),
    (
        "The confidential reporting line is available for staff who wish to raise concerns.",
        "PROTECTIVE_MARKING",
        "confidential reporting line is not a marking",
    ),
)


def _date(rng: random.Random) -> date:
    return date(2025, 1, 1) + timedelta(days=rng.randint(0, 500))


def _header_marking(rng: random.Random, pr: Prose) -> None:
    if rng.random() < 0.5:
        pr.add("OFFICIAL", "PROTECTIVE_MARKING")
        pr.add("\n\n")


def policy(rng: random.Random) -> Prose:
    pr = Prose()
    _header_marking(rng, pr)
    title, scope = rng.choice(POLICY_TOPICS)
    pr.add(f"Wessex Police\n{title}\nVersion {rng.randint(1, 4)}.{rng.randint(0, 9)}  ")
    pr.add(f"Review date: {ids.date_uk(_date(rng))}\n\n")
    pr.add(f"1. Purpose\nThis document sets out {scope}. ")
    for i, sentence in enumerate(rng.sample(POLICY_SENTENCES, k=rng.randint(4, 7)), start=2):
        if i % 3 == 0:
            pr.add(f"\n\n{i}. {rng.choice(['Scope', 'Responsibilities', 'Procedure', 'Monitoring'])}\n")
        pr.add(sentence + " ")
    if rng.random() < 0.6:
        text, label, why = rng.choice(TRAPS)
        pr.add("\n\n")
        pr.neg(text, label, why)
    pr.add("\n")
    return pr


def minutes(rng: random.Random) -> Prose:
    pr = Prose()
    _header_marking(rng, pr)
    meeting = rng.choice(
        [
            "Estates Working Group",
            "Fleet Board",
            "Health and Safety Committee",
            "Digital Programme Board",
            "Local Policing Delivery Group",
        ]
    )
    when = _date(rng)
    pr.add(f"Minutes of the {meeting}\nHeld on {ids.date_uk(when, 'long')} at {rng.choice(STATIONS)}\n\n")
    pr.add(
        "Present: Head of Estates (Chair), Fleet Manager, Superintendent (Local Policing), Finance Business "
        "Partner, Health and Safety Advisor\nApologies: Head of ICT\n\n"
    )
    items = [
        "Item 1: The minutes of the previous meeting were agreed as accurate.",
        f"Item 2: The replacement of {rng.randint(6, 40)} response vehicles is on schedule; delivery is expected "
        f"by {ids.date_uk(when + timedelta(days=rng.randint(20, 90)))}.",
        f"Item 3: Energy costs for the estate rose by {rng.randint(2, 19)}% year on year. Action: Finance Business "
        f"Partner to report options at the next meeting.",
        f"Item 4: The risk register was reviewed; {rng.randint(1, 5)} risks were closed and {rng.randint(0, 3)} added.",
        "Item 5: Any other business - none.",
    ]
    pr.add("\n".join(items))
    nxt = when + timedelta(days=rng.randint(25, 40))
    pr.add(
        f"\n\nNext meeting: {ids.date_uk(nxt)} at {rng.randint(9, 15)}:00, Room {rng.randint(1, 3)}."
        f"{rng.randint(1, 30):02d}\n"
    )
    return pr


def press_release(rng: random.Random) -> Prose:
    pr = Prose()
    town = rng.choice(TOWNS)
    day = _date(rng)
    kind = rng.randrange(3)
    pr.add(f"NEWS RELEASE - {ids.date_uk(day, 'long')}\n\n")
    if kind == 0:
        pr.add(
            f"Appeal for witnesses after collision near {town}\n\nWessex Police is appealing for witnesses after "
            f"a collision involving two vehicles on the A{rng.randint(30, 399)} near {town} on "
            f"{day.strftime('%A')} afternoon. Officers would like to hear from anyone with dashcam footage. "
        )
    elif kind == 1:
        pr.add(
            f"Officers step up patrols in {town} town centre\n\nNeighbourhood officers are increasing patrols in "
            f"{town} town centre following reports of anti-social behaviour. The patrols will run throughout the "
            "summer and residents are encouraged to speak to officers about their concerns. "
        )
    else:
        pr.add(
            f"Burglary prevention advice for {town} residents\n\nFollowing a rise in burglaries across the "
            f"county, Wessex Police is reminding residents to lock doors and windows and to mark valuable "
            "property. Crime prevention officers will hold drop-in sessions at local libraries. "
        )
    pr.add(
        "\n\nAnyone with information is asked to call 101, quoting reference "
        f"{rng.randint(44240000000, 44259999999)}.\n\nENDS\n"
    )
    return pr


def clean_prose_document(rng: random.Random, name: str, fmt: str, kind: str) -> tuple[bytes, DocLabels]:
    pr = {"policy": policy, "minutes": minutes, "press_release": press_release}[kind](rng)
    doc = DocLabels(doc=name, category=f"clean_{kind}", clean=True)
    doc.entities.extend(pr.entities)
    doc.negatives.extend(pr.negatives)
    text = pr.text()
    if fmt == "txt":
        return text.encode("utf-8"), doc
    if fmt == "docx":
        document = docx.Document()
        for para in text.split("\n"):
            document.add_paragraph(para)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue(), doc
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for para in text.split("\n"):
        pdf.multi_cell(0, 6, para.replace("–", "-"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output()), doc


def timetable_sheet(rng: random.Random) -> Sheet:
    header = ["Date", "Start", "End", "Session", "Room", "Delivered by"]
    rows: list[list[object]] = []
    day = _date(rng)
    sessions = [
        "Officer safety training",
        "First aid refresher",
        "Data protection essentials",
        "Taser recertification",
        "Public order briefing",
        "Stop and search",
        "Safeguarding children",
        "Driver training theory",
    ]
    for _ in range(rng.randint(8, 20)):
        day += timedelta(days=rng.choice([0, 1, 1, 2, 7]))
        start = rng.randint(8, 15)
        rows.append(
            [
                ids.date_uk(day),
                f"{start:02d}:00",
                f"{start + rng.randint(1, 3):02d}:30",
                rng.choice(sessions),
                f"Room {rng.randint(1, 3)}.{rng.randint(1, 30):02d}",
                rng.choice(["Learning & Development", "Operational Training Unit", "External provider"]),
            ]
        )
    return Sheet("Timetable", header, rows, {}, [])


def _licence_key(rng: random.Random) -> str:
    """A software licence key that happens to fit the DVLA driver-number pattern."""
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(5))
    return (
        f"{letters}{rng.randint(0, 9)}{rng.choice(['01', '05', '11', '52', '61'])}{rng.randint(10, 28)}"
        f"{rng.randint(0, 9)}{rng.choice(string.ascii_uppercase)}{rng.choice(string.ascii_uppercase)}"
        f"{rng.randint(0, 9)}{rng.choice(string.ascii_uppercase)}{rng.choice(string.ascii_uppercase)}"
    )


def asset_sheet(rng: random.Random, negatives: list[tuple[str, str, str]]) -> Sheet:
    header = [
        "Asset Tag",
        "Device",
        "Model",
        "Serial",
        "OS Version",
        "IP Address",
        "Location",
        "Licence Key",
        "Purchased",
    ]
    rows: list[list[object]] = []
    for _ in range(rng.randint(10, 30)):
        ip = f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        key = _licence_key(rng)
        device = f"PC {rng.randint(1000, 9999)}" if rng.random() < 0.5 else f"LT-{rng.randint(1000, 9999)}"
        negatives.append((ip, "IP_ADDRESS", "private infrastructure address in an asset list"))
        negatives.append((key, "UK_DRIVING_LICENCE", "software licence key"))
        if device.startswith("PC "):
            negatives.append((device, "POLICE_COLLAR_NUMBER", "asset number in an IT asset list"))
        rows.append(
            [
                f"WP-{rng.randint(100000, 999999)}",
                device,
                rng.choice(["Dell Latitude 5440", "HP EliteBook 840", "Dell OptiPlex 7010", "Surface Pro 9"]),
                "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(10)),
                f"10.0.{rng.choice([19045, 22631, 26100])}.{rng.randint(100, 5000)}",
                ip,
                f"{rng.choice(STATIONS)} - {rng.choice(DEPARTMENTS)}",
                key,
                ids.date_uk(_date(rng) - timedelta(days=rng.randint(100, 1500))),
            ]
        )
    return Sheet("Assets", header, rows, {}, [])


def clean_table_document(rng: random.Random, name: str, fmt: str, kind: str) -> tuple[bytes, DocLabels]:
    doc = DocLabels(doc=name, category=f"clean_{kind}", clean=True)
    found: list[tuple[str, str, str]] = []
    sheet = timetable_sheet(rng) if kind == "timetable" else asset_sheet(rng, found)
    for text, label, why in found:
        doc.negatives.append(Negative(label, text, why))
    data = write_csv(sheet, bom=False) if fmt == "csv" else write_xlsx([sheet])
    return data, doc


# --------------------------------------------------------------------------- look-alikes


def lookalike_document(rng: random.Random, name: str) -> tuple[bytes, DocLabels]:
    """A working document dense with strings that look like identifiers and are not."""
    pr = Prose()
    kind = rng.randrange(5)
    if kind == 0:
        pr.add("Crime Recording Desk Guide - quick reference\n\n")
        pr.add("Theft from a shop is recorded under Home Office classification ")
        pr.neg(rng.choice(["046/01", "049/16", "037/02"]), "UK_CRO", "Home Office offence classification")
        pr.add(" and the CJS offence code ")
        pr.neg(rng.choice(["TH68006", "TH68010", "MD71101", "PL96001"]), "UK_PNC_ID", "CJS offence code")
        pr.add(". Court case references take the form ")
        pr.neg(f"97/1626/{rng.randint(1, 99999):06d}Q", "UK_PNC_ID", "3-part court case reference")
        pr.add(" and case URNs the form ")
        pr.neg(f"01ZD{rng.randint(1000000, 9999999)}", "UK_NHS", "PTI-URN")
        pr.add(". A PNC ID written as ")
        pr.neg(ids.pnc_invalid(rng), "UK_PNC_ID", "wrong or forbidden check letter")
        pr.add(" fails its check letter and must be queried with the PNC bureau.\n")
    elif kind == 1:
        pr.add("Fleet procurement note\n\nThe shortlist for the unmarked fleet includes the ")
        pr.neg(rng.choice(["C63 AMG", "XC90 AWD", "A4 TDI", "M3 CS"]), "UK_VEHICLE_REG", "car model name")
        pr.add(", the ")
        pr.neg(rng.choice(MAKES), "UK_VEHICLE_REG", "car model name")
        pr.add(" and an estate for the dog section. Delivery will be to the workshop near ")
        pr.neg(rng.choice(["M25 JCT 10", "M27 JCT 3", "M5 JCT 25"]), "UK_VEHICLE_REG", "motorway junction")
        pr.add(". Telematics licences use keys such as ")
        pr.neg(_licence_key(rng), "UK_DRIVING_LICENCE", "software licence key")
        pr.add(".\n")
    elif kind == 2:
        pr.add("Network change request\n\nUpgrade the firewall firmware from version ")
        pr.neg(
            f"{rng.randint(6, 10)}.{rng.randint(0, 4)}.{rng.randint(0, 20)}.{rng.randint(1, 99)}",
            "IP_ADDRESS",
            "version string",
        )
        pr.add(". The test host is ")
        pr.neg(f"192.0.2.{rng.randint(1, 254)}", "IP_ADDRESS", "documentation address range")
        pr.add(" and the SNMP tree is rooted at OID ")
        pr.neg("2.16.840.1.113883", "IP_ADDRESS", "object identifier")
        pr.add(". Upstream traffic leaves via ")
        pr.neg(f"AS{rng.randint(1000, 65000)}", "UK_PASSPORT", "internet autonomous system number")
        pr.add(". The change ticket is ")
        pr.neg(str(rng.randint(100_000_000, 999_999_999)), "UK_PASSPORT", "ticket number, no passport context")
        pr.add(".\n")
    elif kind == 3:
        pr.add("Finance reconciliation\n\nSupplier invoice for order number ")
        pr.neg(str(rng.randint(100_000_000, 999_999_999)), "UK_PASSPORT", "order number, no passport context")
        pr.add(" was paid on ")
        pr.neg(f"2025{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}", "UK_BANK_ACCOUNT", "yyyymmdd date")
        pr.add(". The supplier's company number is ")
        pr.neg(f"SC{rng.randint(100000, 999999)}", "UK_BANK_ACCOUNT", "Companies House number")
        pr.add(". Payment test IBAN ")
        pr.neg(ids.iban_impossible_check(rng), "IBAN_CODE", "impossible check digits 00/01")
        pr.add(" was rejected by the bank. Quiz night scores were ")
        pr.neg(f"{rng.randint(10, 40)}-{rng.randint(10, 40)}-{rng.randint(10, 40)}", "UK_BANK_ACCOUNT", "scores")
        pr.add(". Reference numbers such as ")
        pr.neg(rng.choice(["0000000000", "1111111111", "485 777 3456"]), "UK_NHS", "repdigit / fails mod 11")
        pr.add(" are placeholders.\n")
    else:
        pr.add("Data protection training - worked examples\n\nA National Insurance number looks like ")
        pr.neg("QQ 12 34 56 C", "UK_NINO", "GOV.UK specimen (Q never used)")
        pr.add("; numbers such as ")
        pr.neg(rng.choice(["TN311258F", "PP999999P", "AB 12 34 56 E"]), "UK_NINO", "temporary / invalid NINO")
        pr.add(" are not valid. The bake-off winner's top secret recipe was shared with the team. The ")
        pr.neg("IC1", "SPECIAL_CATEGORY", "chip model, no policing context")
        pr.add(" chip in the door entry system was replaced. Postcodes such as ")
        pr.neg(rng.choice(["SAN TA1", "QA1 1AA"]), "UK_POSTCODE", "invalid postcode format")
        pr.add(" are rejected by the address finder.\n")
    doc = DocLabels(doc=name, category="lookalike", clean=True)
    doc.entities.extend(pr.entities)
    doc.negatives.extend(pr.negatives)
    return pr.text().encode("utf-8"), doc
