"""Deterministic demo data: two companies, their administrators, employees and key cards.

Generated from code with a fixed seed, so every fresh database is identical (and so are the
guide's screenshots).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SEED = 20150601
# The guide's worked examples (names no random employee has): per Se Sag right, the company
# (index into companies()) and the employee. Sagsbehandler is for insurers, unions and law
# firms; Kommunal sagsbehandler for a municipal job centre.
KOMMUNE_EXAMPLE = "Jonas Holm"
INSURER_EXAMPLE = "Sara Lund"
EXAMPLES = {"aes.sagsbehandler": (1, INSURER_EXAMPLE), "aes.kommunal_sagsbehandler": (0, KOMMUNE_EXAMPLE)}


@dataclass(frozen=True)
class Admin:
    user_id: str
    password: str
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Employee:
    name: str
    email: str
    group: str
    signature: str
    address: str
    active: bool = True
    is_admin: bool = False
    rights: tuple[str, ...] = ()


@dataclass(frozen=True)
class Company:
    cvr: str
    name: str
    email: str
    address: str
    postbox: str
    postcode: str
    city: str
    admin: Admin
    employees: tuple[Employee, ...] = field(default=())


FIRST = [
    "Anne",
    "Mette",
    "Hanne",
    "Søren",
    "Jens",
    "Lars",
    "Kirsten",
    "Bjørn",
    "Åse",
    "Mads",
    "Sofie",
    "Frederik",
    "Ida",
    "Rasmus",
    "Line",
    "Mikkel",
    "Pernille",
    "Torben",
    "Signe",
    "Jørgen",
    "Camilla",
    "Niels",
    "Louise",
    "Øjvind",
    "Karen",
    "Thomas",
    "Birgitte",
    "Henrik",
    "Marianne",
    "Peter",
    "Helle",
    "Christian",
    "Lene",
    "Morten",
    "Trine",
    "Anders",
    "Susanne",
    "Ole",
    "Dorthe",
    "Kasper",
    "Maja",
    "Bo",
    "Vibeke",
    "Jesper",
    "Ærtrud",
    "Emil",
    "Astrid",
]
LAST = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Østergaard",
    "Bækgaard",
    "Frølich",
    "Aagaard",
    "Lærkesen",
]
GROUPS = ["Jobcenter", "Forsikring", "Jura", "Økonomi", "Sekretariat", "Ydelse"]
# An insurer's groups: no job centre there.
INSURER_GROUPS = ["Arbejdsskade", "Erhvervsforsikring", "Jura", "Økonomi", "Sekretariat", "Kundeservice"]
STREETS = [
    "Vestergade",
    "Nørregade",
    "Algade",
    "Søndergade",
    "Østerbrogade",
    "Kongensgade",
    "Skovvej",
    "Ålholmvej",
    "Bredgade",
    "Torvegade",
]


def _ascii(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
    return text.translate(table).lower().replace(" ", ".")


def _employees(rng: random.Random, domain: str, count: int, city: str, groups: list[str] = GROUPS) -> list[Employee]:
    people: list[Employee] = []
    used: set[str] = set()
    while len(people) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        if name in used:
            continue
        used.add(name)
        n = len(people)
        people.append(
            Employee(
                name=name,
                email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
                group=groups[n % len(groups)],
                signature="Nøglekort" if n % 3 else "Nøglefil",
                address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {city}",
                active=n % 9 != 8,  # every ninth has left: inactive, kept for its history
            )
        )
    return people


def companies() -> tuple[Company, ...]:
    """The demo companies, identical on every call."""
    rng = random.Random(SEED)  # one generator, the municipality's people drawn first
    return _municipality(rng), _insurer(rng)


def _municipality(rng: random.Random) -> Company:
    """The first company: a municipality, the guide's own rows and the Kommunal example among its staff."""
    guide_rows = [
        Employee("Medlem - Lra", "lra@nets.dk", "Lra", "Nøglefil", "Lautrupbjerg 10, 2750 Ballerup"),
        Employee("Medlem - Bruger", "bruger@nets.dk", "Bruger", "Nøglekort", "Lautrupbjerg 10, 2750 Ballerup"),
    ]
    staff = _employees(rng, "eksempelkommune.dk", 48, "2750 Ballerup")
    # A few hold Se Sag rights from the start, as in a real company; two share a name, as
    # happens, so the flows must tell them apart by e-mail.
    staff[0] = Employee(**{**staff[0].__dict__, "group": "Forsikring", "rights": ("aes.sagsbehandler",)})
    staff[1] = Employee(**{**staff[1].__dict__, "group": "Jobcenter", "rights": ("aes.kommunal_sagsbehandler",)})
    staff[2] = Employee(**{**staff[2].__dict__, "name": "Anne Jensen", "email": "anne.jensen@eksempelkommune.dk"})
    staff[3] = Employee(**{**staff[3].__dict__, "name": "Anne Jensen", "email": "anne.jensen2@eksempelkommune.dk"})
    # Names with every Danish letter, for the accent-insensitive search; other services' rights.
    staff[4] = Employee(
        **{
            **staff[4].__dict__,
            "name": "Åse Ærbø",
            "email": "aase.aerboe@eksempelkommune.dk",
            "group": "Jura",
            "rights": ("lbf.laeseadgang",),
        }
    )
    staff[5] = Employee(**{**staff[5].__dict__, "rights": ("fors.skadeanmelder", "finans.betaler")})
    # The guide's example in the edition for municipalities: a job-centre employee (no Se Sag right
    # yet). Initials as e-mail, as many organisations have: the pictures show it unbroken.
    staff[6] = Employee(**{**staff[6].__dict__, "name": KOMMUNE_EXAMPLE, "email": "joh@eksempelkommune.dk"})
    admin_row = Employee(
        "Nanna Administrator",
        "nad@eksempelkommune.dk",
        "Sekretariat",
        "Nøglekort",
        "Lautrupbjerg 10, 2750 Ballerup",
        is_admin=True,
    )
    return Company(
        cvr="12345678",
        name="Eksempel Kommune",
        email="nemid@eksempelkommune.dk",
        address="Lautrupbjerg 10",
        postbox="Postboks 500",
        postcode="2750",
        city="Ballerup",
        admin=Admin("admin", "nemid-demo", "Nanna Administrator", "nad@eksempelkommune.dk", "+45 44 68 44 68"),
        employees=tuple(guide_rows + [admin_row] + staff),
    )


def _insurer(rng: random.Random) -> Company:
    """The second company: an insurer, the Sagsbehandler example among its staff."""
    other_staff = _employees(rng, "eksempelforsikring.dk", 12, "8000 Aarhus C", INSURER_GROUPS)
    # The guide's example in the Sagsbehandler edition: an insurer's case officer.
    other_staff[0] = Employee(
        **{**other_staff[0].__dict__, "name": INSURER_EXAMPLE, "email": "sal@eksempelforsikring.dk"}
    )
    return Company(
        cvr="87654321",
        name="Eksempel Forsikring A/S",
        email="it@eksempelforsikring.dk",
        address="Åboulevarden 1",
        postbox="Postboks 77",
        postcode="8000",
        city="Aarhus C",
        admin=Admin("admin2", "nemid-demo2", "Ole Bach", "obh@eksempelforsikring.dk", "+45 86 12 34 56"),
        employees=tuple(other_staff),
    )


def example(right_id: str) -> tuple[Company, Employee]:
    """The guide's worked example for Se Sag right ``right_id``: an organisation whose staff
    get that right, and the employee its administrator gives it to."""
    company_index, name = EXAMPLES[right_id]
    company = companies()[company_index]
    return company, next(e for e in company.employees if e.name == name)


def keycard(user_id: str) -> dict[str, str]:
    """The user's key card: 4-digit code -> 6-digit key (48 pairs, as on a NemID card)."""
    rng = random.Random(f"{SEED}-{user_id}")
    codes = rng.sample(range(1000, 10000), 47) + [427]
    return {f"{code:04d}": f"{rng.randrange(0, 1_000_000):06d}" for code in codes}


def secrets() -> list[str]:
    """Every demo administrator's password and key-card keys: what no artefact may hold."""
    found = []
    for company in companies():
        found += [company.admin.password, *keycard(company.admin.user_id).values()]
    return found
