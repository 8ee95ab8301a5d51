"""Free-text documents with personal data: intelligence reports and e-mails.

Intelligence reports follow the shape in uk-reference section 6.3: a protective
marking at top and bottom, a 3x5x2 or legacy 5x5x5 grading line, and a body of
slot-filled sentences about subjects, associates, vehicles, money and health.
Dates of events sit next to dates of birth, so a detector that calls every
date a DOB loses precision. E-mails carry a covering text and a signature
block, sometimes with a CSV attachment (section 6.4).
"""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import docx

from bench.evalset import identifiers as ids
from bench.evalset.labels import CONTEXT_CHARS, DocLabels, Prose
from bench.evalset.people import COLOURS, CONDITIONS, HOSPITALS, MAKES, TOWNS, People, Person
from bench.evalset.tables import table_document

MARKINGS = (
    "OFFICIAL-SENSITIVE",
    "OFFICIAL-SENSITIVE",
    "OFFICIAL – SENSITIVE",
    "OFFICIAL SENSITIVE",
    "OFFICIAL-SENSITIVE: PERSONAL",
    "OFFICIAL-SENSITIVE [PERSONAL]",
    "RESTRICTED",
    "RESTRICTED – PERSONAL",
    "CONFIDENTIAL",
    "SECRET",
)
IC_CODES = ("IC1", "IC2", "IC3", "IC4", "IC5", "IC6")
RELIGION_PHRASES = (
    ("mosque", "Muslim"),
    ("gurdwara", "Sikh"),
    ("synagogue", "Jewish"),
    ("church", "Catholic"),
    ("temple", "Hindu"),
    ("Kingdom Hall", "Jehovah's Witness"),
)
FILLERS = (
    "It is assessed that the activity is ongoing.",
    "Intelligence suggests the group is most active in the evenings.",
    "No further information is available at this time.",
    "This report has been sanitised to protect the source.",
    "Recommend that this is shared with the Neighbourhood Policing Team for awareness.",
    "The information has not been corroborated.",
    "Further development is required before any executive action is considered.",
)


def _name(rng: random.Random, p: Person) -> str:
    style = rng.random()
    if style < 0.35:
        return f"{p.surname.upper()}, {p.forenames}"
    if style < 0.55:
        return f"{p.forenames} {p.surname.upper()}"
    return p.full_name


def _event_date(rng: random.Random) -> str:
    d = date(2025, 12, 1) - timedelta(days=rng.randint(1, 400))
    return ids.date_uk(d, rng.choice(["slash", "slash", "long"]))


def _sentence(rng: random.Random, people: People, pr: Prose, subject: Person) -> None:
    """Append one slot-filled sentence about the subject or an associate."""
    other = people.person(16, 65)
    t = rng.randrange(16)
    dob_layout = rng.choice(["slash", "slash", "dash", "long", "short_month"])
    if t == 0:
        pr.fill(
            "Subject {name} (DOB {dob}, PNC {pnc}) is believed to be supplying class A drugs from "
            "{street}, {town} {postcode}. ",
            {
                "name": (_name(rng, subject), "PERSON"),
                "dob": (ids.date_uk(subject.dob, dob_layout), "DATE_OF_BIRTH"),
                "pnc": (ids.pnc(rng, rng.choice(["long", "short"])), "UK_PNC_ID"),
                "street": (subject.address, "STREET_ADDRESS"),
                "town": (subject.town, None),
                "postcode": (subject.postcode, "UK_POSTCODE"),
            },
        )
    elif t == 1:
        pr.fill(
            "The subject has been seen driving a {colour} {make}, registration {vrm}, in the {town} area. ",
            {
                "colour": (rng.choice(COLOURS), None),
                "make": (rng.choice(MAKES), None),
                "vrm": (ids.vehicle_reg(rng), "UK_VEHICLE_REG"),
                "town": (rng.choice(TOWNS), None),
            },
        )
    elif t == 2:
        pr.fill(
            "{first} uses mobile number {mobile} and has been in regular contact with {other} on {landline}. ",
            {
                "first": (subject.first, "PERSON"),
                "mobile": (subject.mobile, "PHONE_NUMBER"),
                "other": (other.full_name, "PERSON"),
                "landline": (other.landline, "PHONE_NUMBER"),
            },
        )
    elif t == 3:
        pr.fill(
            "{first} is in a {rel} with {other} (born {dob}), who lives at {street}. ",
            {
                "first": (subject.first, "PERSON"),
                "rel": ("sexual relationship", "SPECIAL_CATEGORY"),
                "other": (other.full_name, "PERSON"),
                "dob": (ids.date_uk(other.dob, dob_layout), "DATE_OF_BIRTH"),
                "street": (other.address, "STREET_ADDRESS"),
            },
        )
    elif t == 4:
        # The condition and the hospital stay together are the health data: one span.
        health = f"{rng.choice(CONDITIONS)} and was discharged from {rng.choice(HOSPITALS)}"
        pr.fill(
            "{title} {surname} recently disclosed {health} on {when}; NHS number {nhs}. ",
            {
                "title": ("Ms" if subject.female else "Mr", None),
                "surname": (subject.surname, "PERSON"),
                "health": (health, "SPECIAL_CATEGORY"),
                "when": (_event_date(rng), None),
                "nhs": (subject.nhs, "UK_NHS"),
            },
        )
    elif t == 5:
        pr.fill(
            "An associate was described as an {ic} male, approximately {age} years of age, slim build. ",
            {"ic": (rng.choice(IC_CODES), "SPECIAL_CATEGORY"), "age": (str(rng.randint(18, 40)), None)},
        )
    elif t == 6:
        # The place of worship and the faith together reveal religion: one span.
        venue, belief = rng.choice(RELIGION_PHRASES)
        pr.fill(
            "{name} is understood to attend the {religion}. ",
            {
                "name": (other.full_name, "PERSON"),
                "religion": (f"{venue} in {rng.choice(TOWNS)} and is a practising {belief}", "SPECIAL_CATEGORY"),
            },
        )
    elif t == 7:
        pr.fill(
            "Payments of £{amount} are being made into account {account}, sort code {sort}, held in the name "
            "of {name}. ",
            {
                "amount": (f"{rng.randint(2, 90) * 50:,}", None),
                "account": (ids.account_number(rng), "UK_BANK_ACCOUNT"),
                "sort": (ids.sort_code(rng), "UK_BANK_ACCOUNT"),
                "name": (other.full_name, "PERSON"),
            },
        )
    elif t == 8:
        pr.fill(
            "Funds were then transferred to IBAN {iban} on {when}. ",
            {"iban": (ids.iban_gb(rng), "IBAN_CODE"), "when": (_event_date(rng), None)},
        )
    elif t == 9:
        pr.fill("A bank card numbered {card} was found in the vehicle. ", {"card": (ids.card(rng), "CREDIT_CARD")})
    elif t == 10:
        ip = ids.ip_public(rng) if rng.random() < 0.8 else ids.ipv6_public(rng)
        pr.fill(
            "{name} uses the e-mail address {email} and logged in from IP address {ip} on {when}. ",
            {
                "name": (subject.full_name, "PERSON"),
                "email": (subject.email, "EMAIL_ADDRESS"),
                "ip": (ip, "IP_ADDRESS"),
                "when": (_event_date(rng), None),
            },
        )
    elif t == 11:
        pr.fill(
            "Enquiries with DWP show National Insurance number {nino} in the name of {name}. ",
            {"nino": (subject.nino, "UK_NINO"), "name": (_name(rng, subject), "PERSON")},
        )
    elif t == 12:
        pr.fill(
            "{name} holds UK passport number {passport} and travelled to Malaga on {when}. ",
            {
                "name": (subject.full_name, "PERSON"),
                "passport": (subject.passport, "UK_PASSPORT"),
                "when": (_event_date(rng), None),
            },
        )
    elif t == 13:
        pr.fill(
            "When stopped, {first} produced driving licence {licence}. ",
            {"first": (subject.first, "PERSON"), "licence": (subject.licence, "UK_DRIVING_LICENCE")},
        )
    elif t == 14:
        pr.fill(
            "CRO number {cro} also relates to this nominal. ",
            {"cro": (ids.cro(rng) if rng.random() < 0.85 else ids.cro_sf(rng), "UK_CRO")},
        )
    else:
        pr.fill(
            "The source met the handler, {collar}, at a location in {town}. ",
            {
                "collar": (ids.collar_number(rng, rng.choice(["DC", "PC", "DS"])), "POLICE_COLLAR_NUMBER"),
                "town": (rng.choice(TOWNS), None),
            },
        )


def _lookalike_sentence(rng: random.Random, pr: Prose) -> None:
    """A sentence with a look-alike that must not be reported (uk-reference 6.7)."""
    t = rng.randrange(4)
    if t == 0:
        pr.add("The offence is recorded under Home Office classification ")
        pr.neg(rng.choice(["037/02", "809/01", "092/01"]), "UK_CRO", "Home Office offence classification")
        pr.add(". ")
    elif t == 1:
        pr.add("A PNC ID quoted by the caller as ")
        pr.neg(ids.pnc_invalid(rng), "UK_PNC_ID", "wrong or forbidden check letter")
        pr.add(" could not be traced and is believed to be incorrect. ")
    elif t == 2:
        pr.add("Court case reference ")
        pr.neg(f"97/1626/{rng.randint(1000, 99999):06d}Q", "UK_PNC_ID", "3-part court case reference")
        pr.add(" has been listed. ")
    else:
        pr.add("Officers attended at ")
        pr.add(f"{rng.randint(1, 23):02d}:{rng.randint(0, 59):02d}")
        pr.add(f" on {_event_date(rng)} and the scene was cleared. ")


def intel_report(rng: random.Random, people: People) -> tuple[Prose, Prose, Prose]:
    """Header (the marking), body and footer of one intelligence report, each with its labels."""
    marking = rng.choice(MARKINGS)
    head = Prose("header").add(marking, "PROTECTIVE_MARKING")
    foot = Prose("footer").add(marking, "PROTECTIVE_MARKING")
    body = Prose("body")
    body.add("WESSEX POLICE - INTELLIGENCE REPORT\n")
    body.add(f"URN: IR/{rng.randint(2023, 2025)}/{rng.randint(1, 99999):05d}    Date: {_event_date(rng)}\n")
    if rng.random() < 0.7:
        body.add(
            f"Grading (3x5x2): Source {rng.choice('123')}  Intelligence {rng.choice('ABCDE')}  "
            f"Handling {rng.choice('PC')}\n"
        )
    else:
        body.add(f"Grading (5x5x5): {rng.choice('ABCDE')}{rng.randint(1, 5)}{rng.randint(1, 5)}\n")
    body.add("Submitting officer: ")
    body.add(ids.collar_number(rng, rng.choice(["PC", "DC", "PS"])), "POLICE_COLLAR_NUMBER")
    body.add(f"    Sanitised: {rng.choice('YN')}\n\n")
    subject = people.person(16, 60)
    for _ in range(rng.randint(3, 7)):
        roll = rng.random()
        if roll < 0.72:
            _sentence(rng, people, body, subject)
        elif roll < 0.86:
            body.add(rng.choice(FILLERS) + " ")
        else:
            _lookalike_sentence(rng, body)
        if rng.random() < 0.4:
            body.add("\n\n")
    return head, body, foot


def intel_document(rng: random.Random, people: People, name: str, fmt: str) -> tuple[bytes, DocLabels]:
    """An intelligence report as plain text (marking lines at top and bottom) or DOCX (header and footer)."""
    doc = DocLabels(doc=name, category="intelligence_report", clean=False)
    head, body, foot = intel_report(rng, people)
    if fmt == "txt":
        whole = Prose("body")
        _append(whole, head)
        whole.add("\n\n")
        _append(whole, body)
        whole.add("\n")
        _append(whole, foot)
        whole.add("\n")
        doc.entities.extend(whole.entities)
        doc.negatives.extend(whole.negatives)
        return whole.text().encode("utf-8"), doc
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = head.text()
    section.footer.paragraphs[0].text = foot.text()
    for para in body.text().split("\n"):
        document.add_paragraph(para)
    out = io.BytesIO()
    document.save(out)
    doc.entities.extend(head.entities + body.entities + foot.entities)
    doc.negatives.extend(body.negatives)
    return out.getvalue(), doc


def _append(target: Prose, source: Prose) -> None:
    """Copy `source`'s text and labels onto the end of `target`."""
    offset = target.length
    before_text = target.text()
    source_text = source.text()
    for ent in source.entities:
        start = ent.start or 0
        ent.before = (before_text + source_text[:start])[-CONTEXT_CHARS:]
        ent.start = start + offset
        ent.end = (ent.end or 0) + offset
        ent.field = target.field
        target.entities.append(ent)
    target.negatives.extend(source.negatives)
    target.parts.append(source_text)
    target.length += len(source_text)


# --------------------------------------------------------------------------- e-mails

TEAMS = (
    "Neighbourhood Policing Team",
    "Response Team 3",
    "Intelligence Unit",
    "Case Progression Unit",
    "Roads Policing Unit",
    "Public Protection Unit",
    "Professional Standards",
)
PARTNER_DOMAINS = (
    "contractor.example",
    "anytown.gov.uk",
    "cps.gov.uk",
    "otherforce.police.uk",
    "smith-law.example.cjsm.net",
    "gmail.com",
)


def signature(rng: random.Random, people: People, sender: Person, pr: Prose) -> None:
    pr.add("\n\nKind regards,\n\n")
    officer = rng.random() < 0.6
    if officer:
        rank = rng.choice(["PC", "DC", "PS", "DS"])
        pr.add(sender.full_name, "PERSON")
        pr.add("\n")
        number = str(rng.randint(100, 9999))
        pr.add(f"{rank} {number}", "POLICE_COLLAR_NUMBER")
        pr.add("\n")
    else:
        pr.add(sender.full_name, "PERSON")
        pr.add(f"\n{rng.choice(['Intelligence Analyst', 'Case Officer', 'HR Advisor', 'Data Protection Officer'])}\n")
    pr.add(f"{rng.choice(TEAMS)}\nWessex Police\n")
    pr.add("Tel: ")
    pr.add(ids.phone_landline(rng, "national"), "PHONE_NUMBER")
    if rng.random() < 0.5:
        pr.add(" | Mob: ")
        pr.add(ids.phone_mobile(rng, "national"), "PHONE_NUMBER")
    pr.add("\nEmail: ")
    pr.add(people.work_email(sender), "EMAIL_ADDRESS")
    pr.add(
        "\n\nThis e-mail and any attachments are intended for the named recipient only. If you have received it "
        "in error, please notify the sender and delete it. Wessex Police monitors e-mail for lawful business "
        "purposes.\n"
    )


def _message(sender: Person, people: People, rng: random.Random, subject: Prose, body: Prose) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"{sender.full_name} <{people.work_email(sender)}>"
    recipient = people.person()
    msg["To"] = f"{recipient.first.lower()}.{recipient.surname.lower().replace(' ', '')}@{rng.choice(PARTNER_DOMAINS)}"
    msg["Subject"] = subject.text()
    when = datetime(2025, 1, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 500_000))
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<{rng.randint(10**11, 10**12)}.{rng.randint(1000, 9999)}@wessex.police.uk>"
    msg.set_content(body.text())
    return msg


def email_document(rng: random.Random, people: People, name: str, style: str) -> tuple[bytes, DocLabels]:
    """An .eml: "request" (personal data in the body), "attachment" (a CSV) or "signature" (nothing else)."""
    sender = people.person(22, 60)
    recipient = people.person()
    subject = Prose("subject")
    body = Prose("body")
    marked = rng.random() < 0.4
    if marked:
        subject.add(rng.choice(["OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE: PERSONAL"]), "PROTECTIVE_MARKING")
        subject.add(": ")
    body.add("Hi ")
    body.add(recipient.first, "PERSON")
    body.add(",\n\n")
    doc = DocLabels(doc=name, category=f"email_{style}", clean=False)
    attachment: tuple[str, bytes] | None = None
    if style == "request":
        subject.add(
            rng.choice(
                [
                    "Request for information",
                    "Address check",
                    "Vulnerable adult referral",
                    "Prisoner handover",
                    "Witness contact details",
                ]
            )
        )
        p = people.person(16, 80)
        body.fill(
            "Please could you run checks on {name}, date of birth {dob}, of {street}, {town}, {postcode}. ",
            {
                "name": (_name(rng, p), "PERSON"),
                "dob": (ids.date_uk(p.dob, rng.choice(["slash", "long"])), "DATE_OF_BIRTH"),
                "street": (p.address, "STREET_ADDRESS"),
                "town": (p.town, None),
                "postcode": (p.postcode, "UK_POSTCODE"),
            },
        )
        extra = rng.randrange(4)
        if extra == 0:
            body.fill("Contact number on file is {phone}. ", {"phone": (p.mobile, "PHONE_NUMBER")})
        elif extra == 1:
            body.fill("PNC shows {pnc}. ", {"pnc": (ids.pnc(rng, "short"), "UK_PNC_ID")})
        elif extra == 2:
            body.fill(
                "Her NHS number is {nhs} and she has {cond}. "
                if p.female
                else "His NHS number is {nhs} and he has {cond}. ",
                {"nhs": (p.nhs, "UK_NHS"), "cond": (rng.choice(CONDITIONS), "SPECIAL_CATEGORY")},
            )
        else:
            body.fill("The e-mail address we hold is {email}. ", {"email": (p.email, "EMAIL_ADDRESS")})
        body.add("This is needed for an ongoing investigation.")
    elif style == "attachment":
        kind = rng.choice(["staff_export", "custody_extract"])
        filename = rng.choice(["staff_list.csv", "export.csv", "nominals.csv", "data.csv"])
        subject.add(rng.choice(["Data as requested", "Extract attached", "Figures for the business case"]))
        body.add("Please find attached the extract you asked for. Let me know if you need anything else.")
        data, table_doc = table_document(rng, people, kind, "csv", name, part=filename)
        attachment = (filename, data)
        doc.entities.extend(table_doc.entities)
        doc.unscored.extend(table_doc.unscored)
        doc.notes["attachment"] = filename
    else:
        subject.add(rng.choice(["Team meeting moved", "Training day", "Rota for next week", "Parking at HQ"]))
        body.add(
            rng.choice(
                [
                    "The team meeting has moved to Thursday at 10:00 in the main conference room. Please bring your "
                    "updates on the current priorities.",
                    "Just a reminder that the training day is next Wednesday. Lunch will be provided.",
                    "The rota for next week is on the shared drive. Please check your shifts.",
                ]
            )
        )
        doc.notes["signature_only"] = True
    signature(rng, people, sender, body)
    msg = _message(sender, people, rng, subject, body)
    if attachment is not None:
        msg.add_attachment(
            attachment[1], maintype="text", subtype="csv", filename=attachment[0], params={"charset": "utf-8"}
        )
    doc.entities[:0] = subject.entities + body.entities
    return bytes(msg), doc
