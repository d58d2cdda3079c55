"""A large demo company: ``sesag portal --employees N`` grows the demo company to N employees.

Generated from a seed, so the same N gives the same rows on every machine: Danish first, middle
and last names (some with a decomposed å, as pasted from other systems), unique e-mails, about
200 groups, about 10 % inactive, some Se Sag and other rights, about two events each. All rows
go in with ``executemany`` in one transaction (50,000 in a few seconds).
"""

from __future__ import annotations

import functools
import random
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mock_portal import demo_data
from mock_portal.keys import count_short_terms, search_keys
from mock_portal.rights import describe_change

SEED = 20260601
# Events of generated employees fall in the two years before this (fixed: same seed, same rows).
EPOCH = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)  # stored as is: UTC, ISO 8601

FIRST = demo_data.FIRST + [
    "Jette",
    "Bente",
    "Inge",
    "Lise",
    "Tina",
    "Pia",
    "Gitte",
    "Hanne",
    "Rikke",
    "Charlotte",
    "Stine",
    "Malene",
    "Tove",
    "Grethe",
    "Ulla",
    "Annette",
    "Lone",
    "Jytte",
    "Mia",
    "Emma",
    "Freja",
    "Clara",
    "Laura",
    "Sara",
    "Julie",
    "Nanna",
    "Cecilie",
    "Katrine",
    "Mathilde",
    "Josefine",
    "Sørine",
    "Bodil",
    "Kirstine",
    "Maren",
    "Ditte",
    "Gry",
    "Sølvi",
    "Åshild",
    "Ærle",
    "Liva",
    "Michael",
    "Jan",
    "Per",
    "Hans",
    "Poul",
    "Erik",
    "Knud",
    "Steen",
    "Carsten",
    "Flemming",
    "Jakob",
    "Martin",
    "Søren",
    "Kim",
    "Claus",
    "Brian",
    "Allan",
    "Kenneth",
    "Jacob",
    "Simon",
    "Nikolaj",
    "Oliver",
    "William",
    "Noah",
    "Lucas",
    "Victor",
    "Magnus",
    "Oscar",
    "Aksel",
    "Malthe",
    "Bjarke",
    "Gorm",
    "Halfdan",
    "Jørn",
    "Bjørg",
    "Øystein",
    "Øjvind",
    "Åge",
    "Aage",
    "René",
    "Asbjørn",
    "Torkild",
    "Viggo",
    "Preben",
    "Finn",
    "Leif",
    "Arne",
    "Svend",
    "Kjeld",
    "Benny",
]
MIDDLE = [
    "Holm",
    "Bach",
    "Skov",
    "Juul",
    "Kjær",
    "Lund",
    "Dahl",
    "Friis",
    "Krogh",
    "Bøgh",
    "Brøndum",
    "Møller",
    "Vestergaard",
    "Nørgaard",
    "Mølgaard",
    "Kragh",
    "Lykke",
    "Winther",
    "Bang",
    "Østergård",
    "Due",
    "Kamp",
    "Lind",
    "Bro",
    "Holst",
]
LAST = demo_data.LAST + [
    "Schmidt",
    "Jakobsen",
    "Svendsen",
    "Frederiksen",
    "Eriksen",
    "Knudsen",
    "Berg",
    "Mikkelsen",
    "Henriksen",
    "Lauridsen",
    "Simonsen",
    "Kristiansen",
    "Jeppesen",
    "Clausen",
    "Andreasen",
    "Mogensen",
    "Iversen",
    "Holm",
    "Dam",
    "Ravn",
    "Jacobsen",
    "Thygesen",
    "Carlsen",
    "Lassen",
    "Bertelsen",
    "Villadsen",
    "Søndergaard",
    "Nørregaard",
    "Kjærgaard",
    "Dalsgaard",
    "Bøgelund",
    "Thøgersen",
    "Fløe",
    "Brødsgaard",
    "Skjødt",
    "Kjærsgaard",
    "Mølbak",
    "Højgaard",
    "Læssøe",
    "Ågesen",
    "Åkjær",
    "Ærenlund",
    "Østergård",
    "Sørup",
    "Grønbæk",
    "Krøyer",
    "Blæsbjerg",
]
AREAS = [
    "Jobcenter",
    "Forsikring",
    "Jura",
    "Økonomi",
    "Sekretariat",
    "Ydelse",
    "Børn og Unge",
    "Ældrepleje",
    "Sundhed",
    "Skole",
    "Dagtilbud",
    "Teknik og Miljø",
    "Kultur",
    "Borgerservice",
    "HR",
    "IT",
    "Beskæftigelse",
    "Handicap",
    "Psykiatri",
    "Vej og Park",
]
PLACES = ["Nord", "Syd", "Øst", "Vest", "Centrum", "Ålholm", "Søndermark", "Nørrebro", "Havnen", "Skovlunde"]
GROUPS = [f"{area} {place}" for area in AREAS for place in PLACES]  # 200
STREETS = demo_data.STREETS + [
    "Åboulevarden",
    "Æblehaven",
    "Møllevej",
    "Kirkevej",
    "Stationsvej",
    "Græsvangen",
    "Fælledvej",
    "Højvangen",
    "Bøgeallé",
    "Lærkevej",
]
# Rights as a real company has them: most none, some Se Sag (never both AES rights), some others.
RIGHTS = [
    ((), 86),
    (("aes.sagsbehandler",), 5),
    (("aes.kommunal_sagsbehandler",), 3),
    (("lbf.laeseadgang",), 2),
    (("fors.skadeanmelder",), 2),
    (("fors.skadeanmelder", "finans.betaler"), 1),
    (("aes.sagsbehandler", "lbf.indberetter"), 1),
]


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    group: str
    signature: str
    address: str
    active: bool
    rights: tuple[str, ...]
    events: tuple[tuple[str, str, str], ...]  # (UTC ISO time, actor, text), oldest first


def _email_part(text: str) -> str:
    return demo_data._ascii(unicodedata.normalize("NFC", text))


def people(count: int, domain: str, taken: set[str], seed: int = SEED) -> list[Person]:
    """``count`` generated employees, identical for the same arguments. ``taken``: e-mails in use."""
    rng = random.Random(seed)
    pick = lambda seq: seq[int(rng.random() * len(seq))]  # noqa: E731  (rng.choice is slower)
    admin = demo_data.companies()[0].admin
    administrator = f"{admin.name} ({admin.user_id})"
    granted = {rights: describe_change(set(), set(rights)) for rights, _ in RIGHTS}
    rights_pool = [rights for rights, weight in RIGHTS for _ in range(weight)]
    email_part = functools.lru_cache(maxsize=None)(lambda text: demo_data._ascii(unicodedata.normalize("NFC", text)))
    used = set(taken)
    result = []
    for _ in range(count):
        first, last = pick(FIRST), pick(LAST)
        name = f"{first} {pick(MIDDLE)} {last}" if rng.random() < 0.35 else f"{first} {last}"
        if "å" in name.lower() and rng.random() < 0.1:  # pasted from another system
            name = unicodedata.normalize("NFD", name)
        local = f"{email_part(first)}.{email_part(last)}"
        email, suffix = f"{local}@{domain}", 1
        while email in used:
            suffix += 1
            email = f"{local}{suffix}@{domain}"
        used.add(email)
        rights = pick(rights_pool)
        address = f"{pick(STREETS)} {1 + int(rng.random() * 160)}, 2750 Ballerup"
        created = EPOCH - timedelta(minutes=int(rng.random() * 700 * 24 * 60))
        later = created + timedelta(minutes=int(rng.random() * 28 * 24 * 60) + 60)
        second = granted[rights] or [f"Oplysninger ændret: Adresse er nu {address}"]
        events = ((created.isoformat(), "Nets DanID", "Medarbejdersignatur oprettet"),) + tuple(
            (later.isoformat(), administrator, text) for text in second
        )
        result.append(
            Person(
                name=name,
                email=email,
                group=pick(GROUPS),
                signature=pick(("Nøglekort", "Nøglekort", "Nøglefil")),
                address=address,
                active=rng.random() >= 0.1,
                rights=rights,
                events=events,
            )
        )
    return result


def grow_demo_company(db: sqlite3.Connection, total: int, seed: int = SEED) -> int:
    """Add generated employees to the first demo company until it has ``total``; returns how many
    were added (0 when it has that many already). Deterministic: growing to 500 and then to 5,000
    gives the same rows as growing to 5,000 at once."""
    company_id, domain = db.execute(
        "SELECT id, substr(email, instr(email, '@') + 1) FROM company ORDER BY id LIMIT 1"
    ).fetchone()
    present = db.execute("SELECT COUNT(*) FROM employee WHERE company_id = ?", (company_id,)).fetchone()[0]
    if total <= present:
        return 0
    new = _missing_people(db, domain, present, total, seed)
    db.execute("PRAGMA cache_size = -131072")  # 128 MB while the indexes grow: fewer page spills
    db.execute("BEGIN")
    try:
        _insert_people(db, company_id, new)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return len(new)


def _missing_people(db: sqlite3.Connection, domain: str, present: int, total: int, seed: int) -> list[Person]:
    """The generated employees the first company lacks to have ``total``, less e-mails in use."""
    demo_rows = len(demo_data.companies()[0].employees)
    taken = {email for (email,) in db.execute("SELECT email FROM employee")}
    demo_emails = {person.email for company in demo_data.companies() for person in company.employees}
    # The generated ones are the rows after the demo's; regenerate them all, add the missing tail.
    already = present - demo_rows
    new = people(already + total - present, domain, demo_emails, seed)[already:]
    return [person for person in new if person.email not in taken]


def _insert_people(db: sqlite3.Connection, company_id: int, new: list[Person]) -> None:
    """The employees, their search keys, rights and events, inside the caller's transaction."""
    # The insert trigger updates each new row for its keys and feeds FTS5 row by row; for
    # many rows inserting the keys at once and indexing them in one 'rebuild' is much cheaper.
    # The triggers are set aside (their own SQL, from the schema) and restored.
    # The same for the short-term counts: counted at once after the insert.
    triggers = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
            " AND name IN ('employee_keys_insert', 'short_terms_insert') ORDER BY name"
        )
    ]
    db.execute("DROP TRIGGER employee_keys_insert")
    db.execute("DROP TRIGGER short_terms_insert")
    first_id = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM employee").fetchone()[0]
    ids = range(first_id, first_id + len(new))
    db.executemany(
        "INSERT INTO employee (id, company_id, name, email, grp, signature, address, active,"
        " name_key, name_fold, email_fold, grp_fold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                i,
                company_id,
                p.name,
                p.email,
                p.group,
                p.signature,
                p.address,
                int(p.active),
                *search_keys(p.name, p.email, p.group),
            )
            for i, p in zip(ids, new, strict=False)
        ],
    )
    db.execute("INSERT INTO employee_search (employee_search) VALUES ('rebuild')")
    count_short_terms(
        db, db.execute("SELECT company_id, active, name_fold, email_fold FROM employee WHERE id >= ?", (first_id,))
    )
    for trigger in triggers:
        db.execute(trigger)
    db.executemany(
        "INSERT INTO employee_right (employee_id, right_id) VALUES (?, ?)",
        [(i, right) for i, p in zip(ids, new, strict=False) for right in p.rights],
    )
    db.executemany(
        "INSERT INTO event (company_id, employee_id, at, actor, text) VALUES (?, ?, ?, ?, ?)",
        [(company_id, i, *event) for i, p in zip(ids, new, strict=False) for event in p.events],
    )
