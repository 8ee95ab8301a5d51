"""Writes the sample files the agreement cases run on (`rules/cases/*.yaml`).

Run from the repository root after changing it:

    .venv/bin/python rules/cases/files/make_files.py

Everything is synthetic and deterministic: made-up names, Ofcom drama-range
phone numbers (07700 900xxx, 01632 960xxx), `.example` and `wessex.police.uk`
addresses, NI numbers of a valid shape, and PNC IDs / CRO numbers whose
modulus-23 check letters are computed with the gateway's own check functions,
so that detectors see realistic, valid identifiers. Binary attachments (an
encrypted ZIP, a PDF) travel base64-encoded inside .eml files, so no binary
file is committed. (The encrypted ZIP differs on every run: AES encryption
takes a random salt. Its verdict does not depend on it.)
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from detectors.checks import cro_check_letter, pnc_check_letter  # noqa: E402

DATE = "Fri, 20 Nov 2026 10:15:00 +0000"


def pnc(year: int, serial: int) -> str:
    return f"{year}/{serial:07d}{pnc_check_letter(str(year), str(serial))}"


def cro(serial: int, year: int) -> str:
    yy = f"{year % 100:02d}"
    return f"{serial:06d}/{yy}{cro_check_letter(str(serial), yy)}"


# name, job title, work location, pay grade, NI number, home address, DOB, sickness days, sickness reason
STAFF = [
    ("Aisha Patel", "Finance Officer", "Winfrith Headquarters", "SO1", "JR 54 82 17 C",
     "14 Elm Grove, Poole BH14 8QT", "12/03/1984", "2", "Migraine"),
    ("Daniel Okafor", "HR Adviser", "Winfrith Headquarters", "SO2", "HT 31 09 66 A",
     "7 Quarry Lane, Wareham BH20 4LP", "02/11/1979", "0", ""),
    ("Sarah Whitfield", "Fleet Technician", "Poole Police Station", "Scale 5", "NE 72 44 18 B",
     "22 Kingsley Avenue, Poole BH15 3RD", "28/06/1991", "14", "Back injury"),
    ("Tomasz Mazur", "Estates Manager", "Bournemouth Police Station", "PO2", "WP 18 57 39 D",
     "3 Chapel Row, Bournemouth BH8 9JE", "15/01/1975", "5", "Stress"),
    ("Gemma Harding", "Fleet Manager", "Winfrith Headquarters", "PO3", "SB 60 21 84 C",
     "51 Marsh Road, Weymouth DT4 8JB", "09/09/1982", "1", "Cold"),
    ("Liam O'Connell", "IT Service Desk Analyst", "Winfrith Headquarters", "Scale 6", "LE 27 93 05 A",
     "18 Heather Close, Dorchester DT1 2RX", "30/04/1995", "21", "Cancer treatment"),
    ("Priya Raman", "Payroll Officer", "Winfrith Headquarters", "SO1", "MC 85 16 42 B",
     "9 Orchard Way, Wimborne BH21 1QS", "17/12/1988", "0", ""),
    ("Mark Ellery", "Procurement Manager", "Winfrith Headquarters", "PO4", "PR 41 70 28 D",
     "66 Ridgeway, Blandford DT11 7AW", "05/05/1970", "3", "Dental surgery"),
    ("Hannah Brooke", "Custody Detention Officer", "Weymouth Custody Suite", "Scale 4", "TH 53 38 71 C",
     "2 Harbour View, Weymouth DT4 9HN", "21/08/1993", "9", "Anxiety disorder"),
    ("Joseph Amankwah", "Facilities Assistant", "Bournemouth Police Station", "Scale 3", "RK 14 65 90 A",
     "40 Castle Lane, Bournemouth BH9 3LA", "11/02/1999", "0", ""),
    ("Rachel Dunmore", "Learning and Development Officer", "Winfrith Headquarters", "SO2", "AE 92 07 53 B",
     "12 Mill Street, Sturminster Newton DT10 1DQ", "26/10/1986", "4", "Flu"),
    ("Owen Pritchard", "Transport Coordinator", "Poole Police Station", "Scale 5", "YK 36 81 24 D",
     "8 Beach Road, Swanage BH19 1LX", "14/07/1981", "0", ""),
]  # fmt: skip

# surname, forenames, DOB, gender, PNC (year, serial), CRO (serial, year), offence, address, postcode,
# custody record, warning markers, custody medical notes, NI number
NOMINALS = [
    ("NOWAK", "Tomasz", "03/07/1989", "Male", (2009, 412773), (118432, 2009), "Burglary dwelling",
     "17 Fernside Road", "BH15 2QU", "WX/01234/26", "VIOLENT", "Diabetic - insulin twice daily", "JG 10 37 59 A"),
    ("BRENNAN", "Kelly Anne", "19/02/1996", "Female", (2014, 88215), (40211, 2014), "Theft from shop",
     "Flat 3, 21 Seldown Lane", "BH15 1TL", "WX/01251/26", "DRUGS", "None recorded", "ZA 44 19 82 C"),
    ("ASHWORTH", "Callum James", "30/11/2001", "Male", (2018, 530019), (301877, 2018),
     "Assault occasioning actual bodily harm", "9 Palmer Road", "BH14 8AX", "WX/01266/26", "VIOLENT; WEAPONS",
     "Self-harm risk; history of psychosis", "KP 71 02 46 B"),
    ("OKONJO", "Daniel", "07/05/1984", "Male", (2003, 1187264), (512390, 2003), "Possession with intent to supply",
     "44 Wimborne Road", "BH2 6NP", "WX/01270/26", "DRUGS; ESCAPE RISK", "Alcohol dependency", "CE 58 83 17 D"),
    ("FIELDING", "Marie", "22/09/1977", "Female", (1998, 22051), (77102, 1998), "Fraud by false representation",
     "2 Kings Road", "DT1 1LQ", "WX/01288/26", "", "None recorded", "NH 26 64 90 A"),
    ("HUSSAIN", "Imran", "14/01/1992", "Male", (2011, 640382), (220914, 2011), "Criminal damage",
     "31 Abbotsbury Road", "DT4 0AQ", "WX/01302/26", "", "Epilepsy - carries medication", "RM 97 30 15 C"),
]  # fmt: skip


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def staff_files(out: Path) -> None:
    roles = [[s[0], s[1], s[2], s[3]] for s in STAFF]
    write_csv(out / "staff_roles.csv", ["Name", "Job Title", "Work Location", "Pay Grade"], roles)
    write_csv(
        out / "hr_export.csv",
        ["Name", "Job Title", "NI Number", "Home Address", "DOB", "Work Location", "Pay Grade"],
        [[s[0], s[1], s[4], s[5], s[6], s[2], s[3]] for s in STAFF],
    )
    write_csv(
        out / "hr_sickness.csv",
        ["Name", "Job Title", "Sickness Days (12 months)", "Sickness Reason"],
        [[s[0], s[1], s[7], s[8]] for s in STAFF],
    )
    ranks = ["PC", "PS", "DC", "Insp", "PC", "DS", "PC", "Ch Insp"]
    write_csv(
        out / "names_and_grades.csv",
        ["Name", "Rank", "Pay Grade"],
        [[s[0], rank, s[3]] for s, rank in zip(STAFF, ranks, strict=False)],
    )
    records = [{"name": s[0], "job_title": s[1], "work_location": s[2], "pay_grade": s[3]} for s in STAFF]
    (out / "staff_roles.json").write_text(json.dumps({"staff": records}, indent=2) + "\n", encoding="utf-8")


def nominal_rows(extra: str | None = None) -> tuple[list[str], list[list[str]]]:
    header = ["Custody Record", "Surname", "Forenames", "Date of Birth", "Gender", "PNC ID", "CRO Number",
              "Offence", "Address", "Postcode", "Warning Markers"]  # fmt: skip
    rows = []
    for n in NOMINALS:
        row = [n[9], n[0], n[1], n[2], n[3], pnc(*n[4]), cro(*n[5]), n[6], n[7], n[8], n[10]]
        if extra == "medical":
            row.append(n[11])
        elif extra == "nino":
            row.append(n[12])
        rows.append(row)
    if extra == "medical":
        header.append("Custody Medical Notes")
    elif extra == "nino":
        header.append("NI Number")
    return header, rows


def nominal_files(out: Path) -> None:
    for name, extra in (("nominals", None), ("nominals_medical", "medical"), ("nominals_with_nino", "nino")):
        header, rows = nominal_rows(extra)
        write_csv(out / f"{name}.csv", header, rows)
    keep = ["Custody Record", "Surname", "Forenames", "Gender", "Offence", "Address", "Postcode"]
    header, rows = nominal_rows()
    idx = [header.index(k) for k in keep]
    write_csv(out / "nominals_no_pnc_dob.csv", keep, [[r[i] for i in idx] for r in rows])
    header, rows = nominal_rows()
    keys = ["custody_record", "surname", "forenames", "date_of_birth", "gender", "pnc_id", "cro_number",
            "offence", "address", "postcode", "warning_markers"]  # fmt: skip
    records = [dict(zip(keys, r, strict=True)) for r in rows]
    (out / "nominals.json").write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")


def mail(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = DATE
    slug = "".join(c for c in subject.lower() if c.isalnum())[:24]
    msg["Message-ID"] = f"<{slug}.case@wessex.police.uk>"
    msg.set_content(body)
    return msg


def save(msg: EmailMessage, path: Path, boundary: str | None = None) -> None:
    if boundary is not None:
        msg.set_boundary(boundary)
    path.write_bytes(msg.as_bytes())


SIGNATURE = """\
Kind regards

Gemma Harding
Fleet Manager | Estates and Fleet
Wessex Police, Winfrith Headquarters
Tel: 01632 960118 | Mobile: 07700 900431
gemma.harding@wessex.police.uk
"""


def default_files(out: Path) -> None:
    (out / "clean_minutes.txt").write_text(
        """\
Fleet User Group - minutes of the meeting held on 12 November 2026

1. Vehicle replacement programme
The group reviewed the replacement schedule for 2027/28. Forty-two response
vehicles reach the end of their service life next year. Procurement will run a
mini-competition through the national framework in January.

2. Fuel cards
Fuel card spend is 4% under budget for the year to date. The finance team will
move to monthly reconciliation from December.

3. Electric vehicle charging
Six additional charge points are planned for the northern stations. The estates
team will confirm the grid capacity survey dates.

Actions: procurement to circulate the draft specification by 4 December.
""",
        encoding="utf-8",
    )
    msg = mail(
        "gemma.harding@wessex.police.uk",
        "quotes@fleetparts.example",
        "Quote ref FP-2291 - brake pads",
        "Hello,\n\nThank you for the quote for brake pads for the Ford Transit fleet. We would like to go ahead "
        "with 120 sets at the framework price, delivered to Winfrith Headquarters in January.\n\n" + SIGNATURE,
    )
    save(msg, out / "signature.eml")
    write_csv(out / "contact_card.csv", ["Name", "Phone", "Email"],
              [["Gemma Harding", "01632 960118", "gemma.harding@wessex.police.uk"]])
    (out / "two_contacts.txt").write_text(
        "Landlord liaison: please ring Daniel Okafor (daniel.okafor@example.com, 07700 900217) or his "
        "letting agent Priya Raman (priya.raman@example.org, 07700 900654) about access to the flat on Friday.\n",
        encoding="utf-8",
    )
    write_csv(out / "staff_list.csv", ["Name", "Job Title", "Work Location"],
              [[s[0], s[1], s[2]] for s in STAFF[:8]])
    records = [{"name": s[0], "role": s[1], "email": s[0].lower().replace(" ", ".").replace("'", "")
                + "@wessex.police.uk"} for s in STAFF[:6]]  # fmt: skip
    (out / "staff_list.json").write_text(json.dumps(records, indent=2) + "\n", encoding="utf-8")
    n = NOMINALS[3]
    (out / "pnc_memo.txt").write_text(
        f"Re: licensing objection\n\nThe applicant's partner has previous convictions. PNC ID {pnc(*n[4])} "
        "shows two convictions for supply. Please treat this as background only.\n",
        encoding="utf-8",
    )
    (out / "welfare_note.txt").write_text(
        "Welfare referral\n\nThe officer was diagnosed with epilepsy last month and has been prescribed "
        "new medication. Occupational health recommend no driving duties until the review in February.\n",
        encoding="utf-8",
    )
    (out / "secret_briefing.txt").write_text(
        "SECRET\n\nOperation Harrier: deployment briefing for the regional organised crime unit.\n"
        "Resources and timings will be confirmed at the tasking meeting.\n\nSECRET\n",
        encoding="utf-8",
    )
    (out / "os_policy_draft.txt").write_text(
        "OFFICIAL-SENSITIVE\n\nDraft policy: security of the custody estate\n\nThis draft sets out the "
        "physical security standards for custody suites, including door control and key management.\n\n"
        "OFFICIAL-SENSITIVE\n",
        encoding="utf-8",
    )
    (out / "official_notice.txt").write_text(
        "OFFICIAL\n\nNotice: the training centre will be closed on 24 December for maintenance. Courses "
        "booked for that day move to 7 January.\n\nOFFICIAL\n",
        encoding="utf-8",
    )
    (out / "legacy_confidential.txt").write_text(
        "CONFIDENTIAL\n\nReview of the 2009 covert surveillance authorities - summary of findings.\n"
        "The review found the authorities were renewed on time in all but two cases.\n\nCONFIDENTIAL\n",
        encoding="utf-8",
    )
    (out / "dispute_update.txt").write_text(
        "Update on the Marsh Road neighbour dispute\n\nOn Tuesday I spoke with Alan Whitcombe and his wife "
        "Maureen Whitcombe, who say that their neighbour Kevin Doyle has been playing loud music every night. "
        "Mr Doyle's lodger, Stefan Kowalczyk, denies this. A second neighbour, Bernadette Ogunleye, supports "
        "the Whitcombes' account. I will visit again next week.\n",
        encoding="utf-8",
    )
    msg = mail("priya.raman@wessex.police.uk", "accounts@payroll-bureau.example", "November payroll",
               "Hello,\n\nThe November payroll file is attached. The password follows separately.\n")
    msg.add_attachment(encrypted_zip(), maintype="application", subtype="zip", filename="payroll.zip")
    save(msg, out / "encrypted_zip.eml", "==case-boundary-zip==")


def encrypted_zip() -> bytes:
    import pyzipper

    rows = "\r\n".join(f"{s[0]},{s[4]},{s[3]}" for s in STAFF)
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(b"Winter2026!")
        member = zf.zipinfo_cls(filename="payroll_november.csv", date_time=(2026, 11, 20, 10, 0, 0))
        member.compress_type = pyzipper.ZIP_DEFLATED
        zf.writestr(member, "Name,NI Number,Grade\r\n" + rows + "\r\n")
    return buffer.getvalue()


def hr_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime(2026, 11, 20, 10, 0, 0, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 8, "Support services staff - HR extract", new_x="LMARGIN", new_y="NEXT")
    for s in STAFF[:6]:
        pdf.cell(0, 6, f"{s[0]}, {s[1]}, NI number {s[4]}, date of birth {s[6]}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def g4s_mail_files(out: Path, staff_dir: Path) -> None:
    body = ("Hello,\n\nAs agreed at the bidders' day, the staff list for the support services business case is "
            "attached.\n\nMark Ellery\nProcurement Manager\nWessex Police\nTel: 01632 960412\n")  # fmt: skip
    msg = mail("mark.ellery@wessex.police.uk", "bids@g4s.com", "Support services staff list", body)
    msg.add_attachment((staff_dir / "hr_export.csv").read_bytes(), maintype="text", subtype="csv",
                       filename="hr_export.csv")
    save(msg, out / "bid_pack.eml", "==case-boundary-bid==")
    msg = mail("mark.ellery@wessex.police.uk", "bids@g4s.com", "Support services HR extract (PDF)", body)
    msg.add_attachment(hr_pdf(), maintype="application", subtype="pdf", filename="hr_extract.pdf")
    save(msg, out / "hr_extract_pdf.eml", "==case-boundary-pdf==")
    (out / "welfare_referral.txt").write_text(
        "Bid team,\n\nPlease note for the transfer model that Gemma Harding (Fleet Manager) has been off since "
        "October with depression and is on a phased return agreed with occupational health.\n\nRegards\n",
        encoding="utf-8",
    )
    (out / "consultation_memo_os.txt").write_text(
        "OFFICIAL-SENSITIVE\n\nStaff consultation: support services\n\nThe Fleet Manager (Gemma Harding) and the "
        "Estates Manager (Tomasz Mazur) will brief their teams on 3 December.\n\nOFFICIAL-SENSITIVE\n",
        encoding="utf-8",
    )


def cps_files(out: Path, pnd_dir: Path) -> None:
    n = NOMINALS[0]
    (out / "case_summary_os.txt").write_text(
        f"OFFICIAL-SENSITIVE\n\nCase summary - R v NOWAK\n\nDefendant: Tomasz NOWAK, date of birth {n[2]}, "
        f"PNC ID {pnc(*n[4])}, of {n[7]}, Poole {n[8]}.\n\nOn 14 November 2026 the defendant entered the "
        "victim's home through an insecure rear door and took a laptop and jewellery. He was arrested two "
        "days later and made no comment in interview.\n\nOIC: DC 3317 Rachel Dunmore\n\nOFFICIAL-SENSITIVE\n",
        encoding="utf-8",
    )
    (out / "briefing_secret.txt").write_text(
        "SECRET\n\nSensitive material schedule - Operation Harrier. Not for disclosure.\n"
        "The handling of the material is described in the attached note.\n\nSECRET\n",
        encoding="utf-8",
    )
    msg = mail(
        "rachel.dunmore@wessex.police.uk",
        "casework@cps.gov.uk",
        "R v NOWAK - custody records for charging advice",
        "Hello,\n\nPlease find the custody records attached for the charging decision.\n\nDC 3317 Rachel Dunmore\n"
        "Criminal Investigation Department, Poole\nTel: 01632 960377\n",
    )
    msg.add_attachment((pnd_dir / "nominals.csv").read_bytes(), maintype="text", subtype="csv",
                       filename="custody_records.csv")
    save(msg, out / "mg_file.eml", "==case-boundary-cps==")


def main() -> None:
    dirs = {name: HERE / name for name in ("default", "g4s", "cps", "pnd")}
    for d in dirs.values():
        d.mkdir(exist_ok=True)
    staff_files(dirs["g4s"])
    nominal_files(dirs["pnd"])
    default_files(dirs["default"])
    g4s_mail_files(dirs["g4s"], dirs["g4s"])
    cps_files(dirs["cps"], dirs["pnd"])


if __name__ == "__main__":
    main()
