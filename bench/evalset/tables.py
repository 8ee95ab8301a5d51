"""Tabular documents: staff exports (the "G4S file") and custody extracts, as CSV and XLSX.

Each export draws a different subset of columns with a different spelling of
each header, so a column classifier is tested on headers it has not been tuned
to. XLSX exports hide columns and sometimes carry the full data in a hidden
sheet behind an innocuous summary (the PSNI pattern): hidden content is content
and is labelled like any other.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import openpyxl
from openpyxl.utils import get_column_letter

from bench.evalset import identifiers as ids
from bench.evalset.labels import DocLabels, Entity, table_entities
from bench.evalset.people import (
    CONDITIONS,
    DEPARTMENTS,
    ETHNICITIES,
    ORIENTATIONS,
    RANKS,
    RELIGIONS,
    ROLES,
    SICKNESS_REASONS,
    STAFF_GRADES,
    STATIONS,
    UNIONS,
    People,
    Person,
)

Value = Callable[[Person, dict[str, object]], object]

# Values that say nothing about the person: such cells are neither labelled nor scored.
NEUTRAL_VALUES = frozenset({"Prefer not to say"})


@dataclass(frozen=True)
class Labelled:
    """A cell whose entity types are not its column's: free-text notes, a mixed "Other Ref" column."""

    text: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    key: str
    headers: tuple[str, ...]
    label: str | None  # entity type of every non-empty cell, or None (cells must not be reported)
    value: Value
    unscored: bool = False  # ambiguous cells: predictions there are neither right nor wrong
    weight: float = 0.5  # chance the column is in a given export


def _date(d: date, ctx: dict[str, object]) -> object:
    layout = str(ctx["date_layout"])
    if layout == "cell":
        return datetime(d.year, d.month, d.day)
    return ids.date_uk(d, layout)


def _blank(rng: random.Random, p: float, value: object) -> object:
    return "" if rng.random() < p else value


def _note(rng: random.Random, people: People, staff: bool) -> Labelled:
    """A free-text note; the entity types it holds label its cell."""
    other = people.person()
    choices: list[tuple[str, tuple[str, ...]]] = [
        (f"Spoke to {other.full_name} on {ids.phone_mobile(rng, 'national')}.", ("PERSON", "PHONE_NUMBER")),
        (f"Now lives at {other.address} with a relative.", ("STREET_ADDRESS",)),
        ("No issues noted.", ()),
        ("Paperwork complete; no further action.", ()),
        (f"Contact via {other.email} only.", ("EMAIL_ADDRESS",)),
    ]
    if staff:
        choices.append((f"Diagnosed with {rng.choice(CONDITIONS)}; adjustments agreed.", ("SPECIAL_CATEGORY",)))
        choices.append(("Returned to full duties after a phased return.", ()))
    else:
        choices.append((f"Associate of {other.full_name}, also known to police.", ("PERSON",)))
        choices.append((f"Co-accused PNC {ids.pnc(rng, 'short', year=rng.randint(1995, 2025))}.", ("UK_PNC_ID",)))
    text, types = rng.choice(choices)
    return Labelled(text, types)


def _other_ref(rng: random.Random, p: Person) -> Labelled:
    """A loosely named reference column that sometimes holds an identifier."""
    roll = rng.random()
    if roll < 0.3:
        return Labelled(p.nino, ("UK_NINO",))
    if roll < 0.5:
        return Labelled(ids.pnc(rng, "long", year=rng.randint(1995, 2025)), ("UK_PNC_ID",))
    if roll < 0.6:
        return Labelled(p.nhs, ("UK_NHS",))
    return Labelled("", ())


def _staff_columns(rng: random.Random, people: People) -> list[Column]:
    officer = lambda c: str(c["rank"]) in ("PC", "DC", "PS", "DS", "Insp", "SC")  # noqa: E731
    return [
        Column(
            "staff_no",
            ("Staff Number", "Staff No", "Pay Number", "Employee ID"),
            None,
            lambda p, c: c["staff_no"],
            unscored=True,
            weight=0.8,
        ),
        Column(
            "warrant",
            ("Warrant No", "Warrant Number"),
            "POLICE_COLLAR_NUMBER",
            lambda p, c: str(rng.randint(100000, 999999)) if officer(c) else "",
            weight=0.3,
        ),
        Column(
            "collar",
            ("Collar No", "Collar Number", "Shoulder No"),
            "POLICE_COLLAR_NUMBER",
            lambda p, c: str(rng.randint(100, 9999)) if officer(c) else "",
            weight=0.5,
        ),
        Column("title", ("Title",), None, lambda p, c: p.title, unscored=True, weight=0.3),
        Column(
            "dob",
            ("Date of Birth", "DOB", "D.O.B.", "Birth Date"),
            "DATE_OF_BIRTH",
            lambda p, c: _date(p.dob, c),
            weight=0.75,
        ),
        Column(
            "gender",
            ("Gender", "Sex"),
            None,
            lambda p, c: rng.choice(["Female", "Female", "Non-binary"]) if p.female else "Male",
            weight=0.4,
        ),
        Column(
            "nino", ("NI Number", "NINO", "National Insurance No", "NI No"), "UK_NINO", lambda p, c: p.nino, weight=0.5
        ),
        Column(
            "address",
            ("Address Line 1", "Home Address", "Address 1", "Street"),
            "STREET_ADDRESS",
            lambda p, c: p.address,
            weight=0.5,
        ),
        Column("town", ("Town", "Town/City"), None, lambda p, c: p.town, unscored=True, weight=0.4),
        Column(
            "postcode", ("Postcode", "Post Code", "Home Postcode"), "UK_POSTCODE", lambda p, c: p.postcode, weight=0.55
        ),
        Column(
            "home_phone",
            ("Home Phone", "Home Tel", "Telephone"),
            "PHONE_NUMBER",
            lambda p, c: _blank(rng, 0.3, p.landline),
            weight=0.35,
        ),
        Column(
            "mobile", ("Mobile", "Personal Mobile", "Mobile No"), "PHONE_NUMBER", lambda p, c: p.mobile, weight=0.45
        ),
        Column(
            "email",
            ("Personal Email", "Home Email", "Private E-mail"),
            "EMAIL_ADDRESS",
            lambda p, c: p.email,
            weight=0.35,
        ),
        Column(
            "work_email",
            ("Work Email", "Email", "Force Email"),
            "EMAIL_ADDRESS",
            lambda p, c: people.work_email(p),
            weight=0.4,
        ),
        Column("rank", ("Rank/Grade", "Rank", "Grade"), None, lambda p, c: c["rank"], weight=0.7),
        Column("role", ("Role", "Job Title", "Post Title"), None, lambda p, c: rng.choice(ROLES), weight=0.6),
        Column("department", ("Department", "Dept", "Team"), None, lambda p, c: rng.choice(DEPARTMENTS), weight=0.7),
        Column(
            "station",
            ("Station", "Base Location", "Work Location"),
            None,
            lambda p, c: rng.choice(STATIONS),
            weight=0.5,
        ),
        Column(
            "start",
            ("Start Date", "Date Joined", "Service Start"),
            None,
            lambda p, c: _date(date(2026, 1, 1) - timedelta(days=rng.randint(100, 9000)), c),
            weight=0.5,
        ),
        Column(
            "salary",
            ("Salary", "Annual Salary (£)", "FTE Salary"),
            None,
            lambda p, c: f"{rng.randint(24, 68) * 1000 + rng.choice((0, 250, 500, 750))}",
            weight=0.4,
        ),
        Column(
            "sort_code", ("Sort Code", "Bank Sort Code"), "UK_BANK_ACCOUNT", lambda p, c: c["sort_code"], weight=0.25
        ),
        Column(
            "account",
            ("Account Number", "Bank Account No", "Account No"),
            "UK_BANK_ACCOUNT",
            lambda p, c: c["account"],
            weight=0.25,
        ),
        Column(
            "iban",
            ("IBAN", "Bank IBAN"),
            "IBAN_CODE",
            lambda p, c: ids.iban_gb(rng, str(c["sort_code"]), str(c["account"])),
            weight=0.2,
        ),
        Column(
            "licence",
            ("Driving Licence No", "Driver Number", "DL Number"),
            "UK_DRIVING_LICENCE",
            lambda p, c: p.licence,
            weight=0.25,
        ),
        Column("passport", ("Passport No", "Passport Number"), "UK_PASSPORT", lambda p, c: p.passport, weight=0.15),
        Column(
            "sick_days",
            ("Sickness Days (12m)", "Days Absent"),
            None,
            lambda p, c: str(rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 12, 20])),
            weight=0.3,
        ),
        Column(
            "sick_reason",
            ("Sickness Reason", "Absence Reason"),
            "SPECIAL_CATEGORY",
            lambda p, c: _blank(rng, 0.55, rng.choice(SICKNESS_REASONS)),
            weight=0.3,
        ),
        Column(
            "ethnicity",
            ("Ethnicity", "Ethnic Origin", "Ethnicity (self-defined)"),
            "SPECIAL_CATEGORY",
            lambda p, c: rng.choice(ETHNICITIES),
            weight=0.25,
        ),
        Column(
            "religion",
            ("Religion", "Religion/Belief"),
            "SPECIAL_CATEGORY",
            lambda p, c: rng.choice(RELIGIONS),
            weight=0.2,
        ),
        Column(
            "orientation",
            ("Sexual Orientation",),
            "SPECIAL_CATEGORY",
            lambda p, c: rng.choice(ORIENTATIONS),
            weight=0.15,
        ),
        Column(
            "union",
            ("Union Membership", "Trade Union"),
            "SPECIAL_CATEGORY",
            lambda p, c: _blank(rng, 0.4, rng.choice(UNIONS)),
            weight=0.15,
        ),
        Column(
            "nok_name",
            ("Next of Kin", "NOK Name", "Emergency Contact"),
            "PERSON",
            lambda p, c: people.person().full_name,
            weight=0.2,
        ),
        Column(
            "nok_phone",
            ("NOK Phone", "Next of Kin Tel", "Emergency Contact No"),
            "PHONE_NUMBER",
            lambda p, c: ids.phone_mobile(rng),
            weight=0.2,
        ),
        Column(
            "card",
            ("Purchase Card No", "Corporate Card"),
            "CREDIT_CARD",
            lambda p, c: _blank(rng, 0.5, ids.card(rng)),
            weight=0.15,
        ),
    ]


NAME_STYLES = ("split", "split", "split", "full", "surname_first")


def _name_columns(rng: random.Random) -> tuple[str, list[tuple[str, Value]]]:
    style = rng.choice(NAME_STYLES)
    if style == "full":
        header = rng.choice(("Name", "Full Name", "Employee Name", "Officer Name"))
        return style, [(header, lambda p, c: p.full_name)]
    if style == "surname_first":
        header = rng.choice(("Name", "Employee", "Staff Member"))
        return style, [(header, lambda p, c: f"{p.surname.upper()}, {p.forenames}")]
    surname = rng.choice(("Surname", "Last Name", "SURNAME", "Family Name"))
    forename = rng.choice(("Forename(s)", "First Name", "Forenames", "Given Names"))
    return style, [(surname, lambda p, c: p.surname), (forename, lambda p, c: p.forenames)]


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[list[object]]
    labels: dict[str, str]
    unscored: list[str]
    hidden: bool = False
    hidden_columns: tuple[int, ...] = ()
    # (1-based row, column index) -> entity types of that cell, overriding the column's; () = unscored.
    cell_labels: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)

    def settle(self) -> Sheet:
        """Turn `Labelled` values into plain cells and per-cell labels; mark neutral cells."""
        for ri, row in enumerate(self.rows, start=1):
            for ci, value in enumerate(row):
                if isinstance(value, Labelled):
                    row[ci] = value.text
                    self.cell_labels[(ri, ci)] = value.types
                elif isinstance(value, str) and value in NEUTRAL_VALUES:
                    self.cell_labels[(ri, ci)] = ()
        return self


def _cells(rows: list[list[object]]) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in rows]


def staff_sheet(rng: random.Random, people: People, n_rows: int, ctx_base: dict[str, object]) -> Sheet:
    columns = [c for c in _staff_columns(rng, people) if rng.random() < c.weight]
    rng.shuffle(columns)
    _, name_cols = _name_columns(rng)
    header: list[str] = []
    labels: dict[str, str] = {}
    unscored: list[str] = []
    makers: list[Value] = []
    for h, maker in name_cols:
        header.append(h)
        labels[h] = "PERSON"
        makers.append(maker)
    for col in columns:
        h = rng.choice(col.headers)
        if h in header:
            continue
        header.append(h)
        makers.append(col.value)
        if col.unscored:
            unscored.append(h)
        elif col.label:
            labels[h] = col.label
    rows: list[list[object]] = []
    for i in range(n_rows):
        p = people.person(youngest=19, oldest=66)
        rank = rng.choice(RANKS) if rng.random() < 0.6 else rng.choice(STAFF_GRADES)
        ctx = dict(
            ctx_base,
            staff_no=f"W{rng.randint(100000, 199999)}" if i % 7 else f"{rng.randint(10000, 99999)}",
            rank=rank,
            sort_code=ids.sort_code(rng),
            account=ids.account_number(rng),
        )
        rows.append([make(p, ctx) for make in makers])
    return Sheet("Staff", header, rows, labels, unscored).settle()


def _custody_columns(rng: random.Random, people: People) -> list[Column]:
    def pnc(p: Person, c: dict[str, object]) -> str:
        year = min(2025, p.dob.year + rng.randint(14, 30))
        return ids.pnc(rng, rng.choice(["long", "long", "short"]), year=year)

    return [
        Column(
            "custody_no",
            ("Custody Ref", "Custody Record No", "CR No"),
            None,
            lambda p, c: f"WX/{rng.randint(1000, 99999):05d}/{rng.randint(18, 25)}",
            unscored=True,
            weight=0.8,
        ),
        Column(
            "arrest",
            ("Arrest Date/Time", "Date of Arrest", "Arrested"),
            None,
            lambda p, c: (
                f"{ids.date_uk(date(2025, 1, 1) - timedelta(days=rng.randint(0, 700)))} "
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
            ),
            weight=0.8,
        ),
        Column(
            "suite",
            ("Custody Suite", "Suite"),
            None,
            lambda p, c: rng.choice(["Salisbury", "Bournemouth", "Swindon", "Yeovil"]),
            weight=0.5,
        ),
        Column(
            "officer",
            ("Arresting Officer", "Arresting Officer Collar"),
            "POLICE_COLLAR_NUMBER",
            lambda p, c: ids.collar_number(rng, rng.choice(["PC", "PC", "DC", "PS"])),
            weight=0.6,
        ),
        Column(
            "oic",
            ("OIC Name", "Officer in Case"),
            "PERSON",
            lambda p, c: f"{rng.choice(['DC', 'PC', 'DS'])} {people.person().surname}",
            weight=0.35,
        ),
        Column(
            "aliases",
            ("Aliases", "AKA"),
            "PERSON",
            lambda p, c: _blank(rng, 0.6, "; ".join(people.person().full_name for _ in range(rng.randint(1, 2)))),
        ),
        Column("dob", ("DOB", "Date of Birth", "D.O.B"), "DATE_OF_BIRTH", lambda p, c: _date(p.dob, c), weight=0.9),
        Column("pob", ("Place of Birth", "Birth Place"), None, lambda p, c: p.town, unscored=True, weight=0.3),
        Column("gender", ("Gender", "Sex"), None, lambda p, c: "F" if p.female else "M", weight=0.6),
        Column(
            "nationality",
            ("Nationality",),
            None,
            lambda p, c: rng.choice(["GBR", "GBR", "GBR", "POL", "IRL", "ROU", "NGA"]),
            weight=0.4,
        ),
        Column(
            "ethnicity",
            ("Ethnicity (self-defined)", "Self Defined Ethnicity"),
            "SPECIAL_CATEGORY",
            lambda p, c: rng.choice(ETHNICITIES),
            weight=0.4,
        ),
        Column(
            "ode",
            ("Officer Defined Ethnicity", "ODE", "IC Code"),
            "SPECIAL_CATEGORY",
            lambda p, c: f"IC{rng.randint(1, 6)}",
            weight=0.35,
        ),
        Column(
            "address",
            ("Address", "Home Address", "Last Known Address"),
            "STREET_ADDRESS",
            lambda p, c: p.address,
            weight=0.75,
        ),
        Column("postcode", ("Postcode", "Post Code"), "UK_POSTCODE", lambda p, c: p.postcode, weight=0.7),
        Column(
            "phone",
            ("Phone", "Contact Number", "Mobile"),
            "PHONE_NUMBER",
            lambda p, c: ids.phone_mobile(rng, rng.choice(["intl_compact", "national", "compact"])),
            weight=0.5,
        ),
        Column(
            "email", ("Email", "E-mail Address"), "EMAIL_ADDRESS", lambda p, c: _blank(rng, 0.4, p.email), weight=0.25
        ),
        Column("nino", ("NI Number", "NINO"), "UK_NINO", lambda p, c: _blank(rng, 0.3, p.nino), weight=0.4),
        Column(
            "passport",
            ("Passport Number", "Passport No"),
            "UK_PASSPORT",
            lambda p, c: _blank(rng, 0.5, p.passport),
            weight=0.25,
        ),
        Column(
            "licence",
            ("Driving Licence", "DL No", "Driver Number"),
            "UK_DRIVING_LICENCE",
            lambda p, c: _blank(rng, 0.4, p.licence),
            weight=0.3,
        ),
        Column(
            "vrm",
            ("VRM", "Vehicle Reg", "Vehicle Registration"),
            "UK_VEHICLE_REG",
            lambda p, c: _blank(rng, 0.5, ids.vehicle_reg(rng)),
            weight=0.3,
        ),
        Column("pnc", ("PNC ID", "PNC No", "PNCID"), "UK_PNC_ID", pnc, weight=0.85),
        Column(
            "cro",
            ("CRO Number", "CRO No", "CRO"),
            "UK_CRO",
            lambda p, c: _blank(rng, 0.25, ids.cro(rng) if rng.random() < 0.9 else ids.cro_sf(rng)),
            weight=0.6,
        ),
        Column("nhs", ("NHS Number", "NHS No"), "UK_NHS", lambda p, c: _blank(rng, 0.3, p.nhs), weight=0.3),
        Column(
            "offence_code",
            ("Offence Code", "CJS Code"),
            None,
            lambda p, c: rng.choice(["TH68006", "MD71101", "PL96001", "CD71039", "RT88191", "OF61016"]),
            weight=0.5,
        ),
        Column(
            "ho_class",
            ("HO Class", "HOC"),
            None,
            lambda p, c: rng.choice(["037/02", "809/01", "092/01", "105/01", "049/16"]),
            weight=0.35,
        ),
        Column(
            "reason",
            ("Arrest Reason", "Offence"),
            None,
            lambda p, c: rng.choice(
                [
                    "Theft from shop",
                    "Possession with intent to supply",
                    "Common assault",
                    "Criminal damage",
                    "Burglary dwelling",
                    "Drink driving",
                    "Breach of bail",
                ]
            ),
            weight=0.7,
        ),
        Column(
            "markers",
            ("Warning Markers", "Markers"),
            "SPECIAL_CATEGORY",
            lambda p, c: _blank(
                rng,
                0.4,
                "; ".join(rng.sample(["SELF HARM", "MENTAL HEALTH", "SUICIDAL", "DRUGS", "EPILEPSY", "DIABETIC"], 2)),
            ),
            weight=0.4,
        ),
        Column(
            "medical",
            ("Medical Notes", "Custody Medical Notes", "Health Issues"),
            "SPECIAL_CATEGORY",
            lambda p, c: _blank(rng, 0.5, rng.choice(CONDITIONS)),
            weight=0.35,
        ),
        Column(
            "religion",
            ("Religion/Diet", "Religion"),
            "SPECIAL_CATEGORY",
            lambda p, c: _blank(
                rng,
                0.5,
                rng.choice(
                    ["Halal diet requested", "Muslim", "Sikh", "Christian", "Kosher diet", "Vegetarian (Hindu)"]
                ),
            ),
            weight=0.2,
        ),
        # Biometric data (uk-reference 6.2 counts DNA / fingerprints taken as biometric).
        # "N" says nothing about the person: left unscored.
        Column(
            "dna",
            ("DNA Taken", "DNA"),
            "SPECIAL_CATEGORY",
            lambda p, c: "Y" if rng.random() < 0.5 else Labelled("N", ()),
            weight=0.3,
        ),
        Column(
            "outcome",
            ("Outcome", "Disposal"),
            None,
            lambda p, c: rng.choice(["Charged", "NFA", "RUI", "Bail", "Caution", "Community resolution"]),
            weight=0.7,
        ),
        Column(
            "urn",
            ("PTI URN", "Case URN"),
            None,
            lambda p, c: (
                f"41{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}{rng.randint(10000, 99999)}"
                f"{rng.randint(18, 25)}"
            ),
            unscored=True,
            weight=0.3,
        ),
        Column(
            "victim",
            ("Victim Name", "IP Name", "Injured Party"),
            "PERSON",
            lambda p, c: _blank(rng, 0.5, people.person().full_name),
            weight=0.2,
        ),
        Column(
            "victim_dob",
            ("Victim DOB", "IP DOB"),
            "DATE_OF_BIRTH",
            lambda p, c: _blank(rng, 0.5, _date(people.dob(), c)),
            weight=0.15,
        ),
    ]


def custody_sheet(rng: random.Random, people: People, n_rows: int, ctx_base: dict[str, object]) -> Sheet:
    columns = [c for c in _custody_columns(rng, people) if rng.random() < c.weight]
    _, name_cols = _name_columns(rng)
    header: list[str] = []
    labels: dict[str, str] = {}
    unscored: list[str] = []
    makers: list[Value] = []
    for h, maker in name_cols:
        header.append(h)
        labels[h] = "PERSON"
        makers.append(maker)
    for col in columns:
        h = rng.choice(col.headers)
        if h in header:
            continue
        header.append(h)
        makers.append(col.value)
        if col.unscored:
            unscored.append(h)
        elif col.label:
            labels[h] = col.label
    rows = []
    for _ in range(n_rows):
        p = people.person(16, 60)
        rows.append([make(p, dict(ctx_base)) for make in makers])
    return Sheet("Custody", header, rows, labels, unscored).settle()


def access_log_sheet(rng: random.Random, people: People) -> Sheet:
    """A log-in audit export (Professional Standards): who logged in from where."""
    header = [
        rng.choice(("Timestamp", "Event Time")),
        rng.choice(("User", "Username", "Account")),
        rng.choice(("Source IP", "Client IP", "IP Address")),
        "Action",
    ]
    users = [people.person() for _ in range(rng.randint(3, 8))]
    rows: list[list[object]] = []
    when = datetime(2025, 3, 1, 7, 0) + timedelta(days=rng.randint(0, 200))
    for _ in range(rng.randint(15, 30)):
        when += timedelta(minutes=rng.randint(1, 240))
        p = rng.choice(users)
        ip = ids.ip_public(rng) if rng.random() < 0.85 else ids.ipv6_public(rng)
        rows.append(
            [
                when.strftime("%Y-%m-%d %H:%M:%S"),
                people.work_email(p),
                ip,
                rng.choice(["login", "login", "logout", "download", "export", "failed login"]),
            ]
        )
    labels = {header[1]: "EMAIL_ADDRESS", header[2]: "IP_ADDRESS"}
    return Sheet("Log", header, rows, labels, [])


# --------------------------------------------------------------------------- writers


def write_csv(sheet: Sheet, bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.header)
    writer.writerows(_cells(sheet.rows))
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_xlsx(sheets: list[Sheet]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.append(sheet.header)
        for row in sheet.rows:
            ws.append(row)
        for ci, value in enumerate(sheet.rows[0] if sheet.rows else [], start=1):
            if isinstance(value, datetime):
                for r in range(2, len(sheet.rows) + 2):
                    ws.cell(row=r, column=ci).number_format = "dd/mm/yyyy"
        for ci in sheet.hidden_columns:
            ws.column_dimensions[get_column_letter(ci + 1)].hidden = True
        if sheet.hidden:
            ws.sheet_state = "hidden"
    if all(s.hidden for s in sheets):
        raise ValueError("a workbook needs a visible sheet")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def summary_sheet(rng: random.Random) -> Sheet:
    """Aggregate counts by department and rank: nothing personal (the PSNI decoy)."""
    header = ["Department", "Officers", "Staff", "Total"]
    rows: list[list[object]] = []
    for dept in DEPARTMENTS[:8]:
        a, b = rng.randint(3, 120), rng.randint(1, 60)
        rows.append([dept, a, b, a + b])
    return Sheet("Summary", header, rows, {}, [])


# --------------------------------------------------------------------------- documents


def _labels_for(doc: DocLabels, sheet: Sheet, sheet_name: str | None, part: str | None) -> None:
    cells = _cells(sheet.rows)
    doc.entities.extend(
        table_entities(sheet.header, cells, sheet.labels, sheet_name, part, overridden=set(sheet.cell_labels))
    )
    for (ri, ci), types in sorted(sheet.cell_labels.items()):
        column = sheet.header[ci]
        if not types:
            doc.unscored.append({"part": part, "sheet": sheet_name, "column": column, "row": ri})
        for t in types:
            doc.entities.append(
                Entity(
                    type=t, text=cells[ri - 1][ci], part=part, where="table", sheet=sheet_name, column=column, row=ri
                )
            )
    for column in sheet.unscored:
        doc.unscored.append({"part": part, "sheet": sheet_name, "column": column})


def table_document(
    rng: random.Random, people: People, kind: str, fmt: str, name: str, part: str | None = None
) -> tuple[bytes, DocLabels]:
    """A staff export or custody extract as CSV or XLSX bytes, with its labels."""
    ctx = {"date_layout": rng.choice(["slash", "slash", "dash", "iso", "short_month"])}
    if fmt == "xlsx" and rng.random() < 0.5:
        ctx["date_layout"] = "cell"
    if kind == "access_log":
        sheet = access_log_sheet(rng, people)
    else:
        make = staff_sheet if kind == "staff_export" else custody_sheet
        sheet = make(rng, people, rng.randint(12, 45), ctx)
    doc = DocLabels(doc=name, category=kind, clean=False)
    if fmt == "csv":
        if ctx["date_layout"] == "cell":
            ctx["date_layout"] = "slash"
        data = write_csv(sheet, bom=rng.random() < 0.3)
        _labels_for(doc, sheet, None, part)
        return data, doc
    sheets = [sheet]
    labelled = [i for i, h in enumerate(sheet.header) if h in sheet.labels and sheet.labels[h] != "PERSON"]
    if labelled and rng.random() < 0.5:
        sheet.hidden_columns = tuple(rng.sample(labelled, k=min(len(labelled), rng.randint(1, 2))))
        doc.notes["hidden_columns"] = [sheet.header[i] for i in sheet.hidden_columns]
    if kind == "staff_export" and rng.random() < 0.35:
        # The PSNI pattern: a harmless summary in front, the raw list in a hidden sheet.
        sheet.name = "raw_HR_dump"
        sheet.hidden = True
        sheets = [summary_sheet(rng), sheet]
        doc.notes["hidden_sheet"] = sheet.name
    data = write_xlsx(sheets)
    for s in sheets:
        _labels_for(doc, s, s.name, part)
    return data, doc
