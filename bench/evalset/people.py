"""Fictional people and their attributes, from Faker's en_GB locale plus valid UK identifiers.

Faker supplies forenames, surnames and town names; a short list of surnames of
other origins common in the UK is mixed in so that a detector is not only
tested on Anglo names. Street addresses are composed from UK street-name
patterns (Faker's en_GB street suffixes include US ones such as "Centers").
Everything is drawn from one `random.Random`, so a seed reproduces the set.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from bench.evalset import identifiers as ids

EXTRA_SURNAMES = (
    "Patel",
    "Khan",
    "Begum",
    "Singh",
    "Ahmed",
    "Hussain",
    "Nowak",
    "Kowalski",
    "Okafor",
    "Mensah",
    "Nguyen",
    "O'Connor",
    "McDonald",
    "MacLeod",
    "Van der Berg",
    "Smith-Jones",
    "Chaudhry",
    "Adeyemi",
    "Achterberg",
    "De Souza",
    "Rossi",
    "Kaur",
    "Ali",
    "Osei",
    "Fitzgerald",
    "O'Neill",
    "Ng",
    "Wiśniewski",
)
EXTRA_FORENAMES_F = ("Priya", "Aisha", "Zofia", "Chidinma", "Mei", "Fatima", "Siobhan", "Niamh", "Amara")
EXTRA_FORENAMES_M = ("Mohammed", "Arjun", "Tomasz", "Kwame", "Oluwaseun", "Ciaran", "Hamza", "Wei", "Jakub")
STREET_TYPES = (
    "Road",
    "Street",
    "Avenue",
    "Close",
    "Lane",
    "Drive",
    "Way",
    "Crescent",
    "Gardens",
    "Court",
    "Place",
    "Terrace",
    "Grove",
    "Mews",
    "Walk",
    "Rise",
)
STREET_NAMES = (
    "Mill",
    "Church",
    "Station",
    "High",
    "Park",
    "Victoria",
    "Queen's",
    "King's",
    "Albert",
    "Manor",
    "Orchard",
    "Meadow",
    "Chapel",
    "School",
    "Bridge",
    "Castle",
    "Elm",
    "Oak",
    "Beech",
    "Willow",
    "Springfield",
    "Westfield",
    "Grange",
    "Kingsway",
    "Windsor",
    "York",
    "Nelson",
    "Cromwell",
)
TOWNS = (
    "Salisbury",
    "Winchester",
    "Dorchester",
    "Yeovil",
    "Bath",
    "Swindon",
    "Andover",
    "Basingstoke",
    "Poole",
    "Bournemouth",
    "Weymouth",
    "Taunton",
    "Frome",
    "Warminster",
    "Romsey",
    "Eastleigh",
    "Chippenham",
    "Devizes",
    "Shaftesbury",
    "Trowbridge",
)
CONDITIONS = (
    "type 1 diabetes",
    "epilepsy",
    "depression",
    "bipolar disorder",
    "paranoid schizophrenia",
    "anxiety disorder",
    "PTSD",
    "alcohol dependency",
    "heroin dependency",
    "asthma",
    "HIV",
    "multiple sclerosis",
    "a heart condition",
    "self-harm",
    "suicidal ideation",
    "pregnancy",
)
SICKNESS_REASONS = (
    "Stress",
    "Back injury",
    "Anxiety",
    "Depression",
    "Cancer treatment",
    "Surgery recovery",
    "Musculoskeletal",
    "Migraine",
    "Covid-19",
    "Work-related stress",
    "Gastrointestinal",
    "Bereavement-related anxiety",
    "Pregnancy-related illness",
)
ETHNICITIES = (
    "White British",
    "White Irish",
    "White - Any other",
    "Black British - Caribbean",
    "Black British - African",
    "Asian British - Indian",
    "Asian British - Pakistani",
    "Asian British - Bangladeshi",
    "Chinese",
    "Mixed - White and Black Caribbean",
    "Arab",
    "Gypsy or Irish Traveller",
)
RELIGIONS = ("Christian", "Muslim", "Hindu", "Sikh", "Jewish", "Buddhist", "No religion", "Prefer not to say")
ORIENTATIONS = ("Heterosexual", "Gay man", "Gay woman / lesbian", "Bisexual", "Prefer not to say")
UNIONS = ("UNISON", "Police Federation", "GMB", "Unite", "PCS")
RANKS = ("PC", "PC", "PC", "DC", "PS", "DS", "Insp", "PCSO", "SC")
STAFF_GRADES = ("SO1", "SO2", "PO3", "Scale 4", "Scale 5", "Scale 6", "PO1")
ROLES = (
    "Response Officer",
    "Neighbourhood Officer",
    "Detective Constable",
    "Custody Sergeant",
    "Call Handler",
    "Intelligence Analyst",
    "HR Advisor",
    "Fleet Technician",
    "Digital Forensics Examiner",
    "Roads Policing Officer",
    "Firearms Officer",
    "Payroll Officer",
    "Crime Scene Investigator",
)
DEPARTMENTS = (
    "Response",
    "Neighbourhood",
    "CID",
    "Custody",
    "Contact Centre",
    "Intelligence",
    "People Services",
    "Fleet",
    "Digital Forensics",
    "Roads Policing",
    "Operations",
    "Finance",
)
STATIONS = ("Salisbury", "Winchester", "Dorchester", "Yeovil", "Bath", "Swindon", "Andover HQ", "Poole")
COLOURS = ("silver", "black", "white", "blue", "red", "grey", "green")
MAKES = (
    "Ford Focus",
    "Vauxhall Corsa",
    "BMW 320d",
    "Audi A3",
    "VW Golf",
    "Toyota Yaris",
    "Nissan Qashqai",
    "Mercedes C-Class",
    "Kia Sportage",
    "Honda Civic",
)
HOSPITALS = (
    "Salisbury District Hospital",
    "the Royal United Hospital",
    "Dorset County Hospital",
    "Southampton General Hospital",
    "Great Western Hospital",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.co.uk")


def _ascii(text: str) -> str:
    """An e-mail local part from a name: accents folded, spaces and apostrophes dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return folded.lower().replace(" ", "").replace("'", "")


@dataclass
class Person:
    title: str
    forenames: str
    surname: str
    female: bool
    dob: date
    address: str
    town: str
    postcode: str
    mobile: str
    landline: str
    email: str
    nino: str
    nhs: str
    licence: str
    passport: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def first(self) -> str:
        return self.forenames.split()[0]

    @property
    def full_name(self) -> str:
        return f"{self.forenames} {self.surname}"


class People:
    """Makes people; one instance per generated set."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)

    def surname(self) -> str:
        return self.rng.choice(EXTRA_SURNAMES) if self.rng.random() < 0.2 else self.fake.last_name()

    def forename(self, female: bool) -> str:
        if self.rng.random() < 0.15:
            return self.rng.choice(EXTRA_FORENAMES_F if female else EXTRA_FORENAMES_M)
        return self.fake.first_name_female() if female else self.fake.first_name_male()

    def dob(self, youngest: int = 18, oldest: int = 70) -> date:
        today = date(2026, 1, 1)
        return today - timedelta(days=self.rng.randint(youngest * 365, oldest * 365))

    def street(self) -> str:
        number = self.rng.randint(1, 180)
        line = f"{number} {self.rng.choice(STREET_NAMES)} {self.rng.choice(STREET_TYPES)}"
        if self.rng.random() < 0.12:
            return f"Flat {self.rng.randint(1, 12)}, {line}"
        return line

    def person(self, youngest: int = 18, oldest: int = 70) -> Person:
        rng = self.rng
        female = rng.random() < 0.5
        forenames = self.forename(female)
        if rng.random() < 0.35:
            forenames += " " + self.forename(female)
        surname = self.surname()
        dob = self.dob(youngest, oldest)
        local = _ascii(f"{forenames.split()[0]}.{surname}")
        if rng.random() < 0.5:
            local += str(rng.randint(1, 99))
        return Person(
            title=rng.choice(("Ms", "Mrs", "Miss")) if female else "Mr",
            forenames=forenames,
            surname=surname,
            female=female,
            dob=dob,
            address=self.street(),
            town=rng.choice(TOWNS),
            postcode=ids.postcode(rng),
            mobile=ids.phone_mobile(rng),
            landline=ids.phone_landline(rng),
            email=f"{local}@{rng.choice(EMAIL_DOMAINS)}",
            nino=ids.nino(rng),
            nhs=ids.nhs(rng, test_range=rng.random() < 0.7, layout=rng.choice(["spaced", "spaced", "compact"])),
            licence=ids.driving_licence(rng, surname, forenames, dob, female),
            passport=ids.passport(rng),
        )

    def work_email(self, p: Person) -> str:
        return f"{_ascii(f'{p.first}.{p.surname}')}@wessex.police.uk"
