"""mock_portal.demo_data: deterministic demo companies, employees and key cards."""

import hashlib
import os
import re
import subprocess
import sys

import pytest

from mock_portal import demo_data
from mock_portal.rights import AES_RIGHTS, all_rights

# What each process prints: a digest of the demo data (repr is stable for tuples of strings).
DIGEST = (
    "import hashlib; from mock_portal import demo_data; "
    "print(hashlib.sha256(repr((demo_data.companies(), demo_data.keycard('admin'))).encode()).hexdigest())"
)


def digest_here() -> str:
    return hashlib.sha256(repr((demo_data.companies(), demo_data.keycard("admin"))).encode()).hexdigest()


@pytest.mark.parametrize("hash_seed", ["0", "12345"])
def test_identical_in_every_process(hash_seed):
    """Another interpreter, with another string-hash seed (set order, dict of sets), makes the
    same data: two calls in one process could not tell."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    other = subprocess.run([sys.executable, "-c", DIGEST], env=env, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == digest_here()


def test_each_admin_has_a_key_card_of_its_own():
    assert demo_data.keycard("admin") != demo_data.keycard("admin2")


def test_company_1_has_the_guides_rows_and_45_more():
    first = demo_data.companies()[0]
    assert first.cvr == "12345678"
    rows = {(e.name, e.email, e.group, e.signature) for e in first.employees}
    assert ("Medlem - Lra", "lra@nets.dk", "Lra", "Nøglefil") in rows
    assert ("Medlem - Bruger", "bruger@nets.dk", "Bruger", "Nøglekort") in rows
    others = [e for e in first.employees if e.email not in ("lra@nets.dk", "bruger@nets.dk")]
    assert len(others) >= 45


def test_guide_rows_hold_no_rights_and_are_active():
    first = demo_data.companies()[0]
    for person in first.employees:
        if person.name in ("Medlem - Lra", "Medlem - Bruger"):
            assert person.rights == () and person.active


def test_realistic_danish_staff():
    first = demo_data.companies()[0]
    groups = {e.group for e in first.employees}
    assert {"Jobcenter", "Forsikring", "Jura"} <= groups
    assert sum(bool(re.search("[æøåÆØÅ]", e.name)) for e in first.employees) >= 5
    assert all(re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", e.email) for e in first.employees)
    assert len({e.email for e in first.employees}) == len(first.employees)


def test_some_inactive_most_active():
    first = demo_data.companies()[0]
    inactive = [e for e in first.employees if not e.active]
    assert 1 <= len(inactive) < len(first.employees) // 2


def test_aes_rights_held_by_a_few_never_both():
    first = demo_data.companies()[0]
    held = [set(e.rights) for e in first.employees]
    assert any("aes.sagsbehandler" in h for h in held)
    assert any("aes.kommunal_sagsbehandler" in h for h in held)
    assert not any(h >= AES_RIGHTS for h in held)
    assert sum(bool(h & AES_RIGHTS) for h in held) <= 5
    assert set().union(*held) <= set(all_rights())


def test_company_2_is_separate():
    first, second = demo_data.companies()
    assert second.cvr != first.cvr and re.fullmatch(r"\d{8}", second.cvr)
    assert (second.admin.user_id, second.admin.password) == ("admin2", "nemid-demo2")
    assert (first.admin.user_id, first.admin.password) == ("admin", "nemid-demo")
    assert second.employees
    assert not {e.email for e in first.employees} & {e.email for e in second.employees}
    assert not {e.name for e in second.employees} & {"Medlem - Lra", "Medlem - Bruger"}


def test_key_cards_are_per_user_with_the_fixed_code():
    card, other = demo_data.keycard("admin"), demo_data.keycard("admin2")
    assert card != other
    for each in (card, other):
        assert "0427" in each and len(each) >= 40
        assert all(re.fullmatch(r"\d{4}", c) and re.fullmatch(r"\d{6}", k) for c, k in each.items())


MOCK_WORDS = re.compile(r"demo|test|mock", re.IGNORECASE)


def test_each_right_has_an_example_organisation_that_gives_it():
    """The guide's worked example per edition: a municipality's job-centre employee gets
    Kommunal sagsbehandler, an insurer's employee Sagsbehandler; each organisation has an admin."""
    kommune, jobcenter = demo_data.example("aes.kommunal_sagsbehandler")
    insurer, case_officer = demo_data.example("aes.sagsbehandler")
    assert kommune.cvr != insurer.cvr
    assert "Kommune" in kommune.name and jobcenter.group == "Jobcenter"
    assert "Forsikring" in insurer.name and "Jobcenter" not in {e.group for e in insurer.employees}
    for company, person in ((kommune, jobcenter), (insurer, case_officer)):
        assert company.admin.user_id and company.admin.password
        assert person in company.employees and person.active and not set(person.rights) & AES_RIGHTS
        assert [e.name for e in company.employees].count(person.name) == 1  # found by a search for the name


def test_nothing_a_reader_sees_reads_as_a_mock():
    """Names, e-mail addresses and addresses are shown in the guide's pictures: they read as an
    example, never as test, demo or mock data (the passwords are never shown)."""
    shown = []
    for company in demo_data.companies():
        shown += [company.name, company.email, company.address, company.city, company.admin.name]
        shown += [company.admin.email, company.admin.user_id]
        shown += [text for e in company.employees for text in (e.name, e.email, e.group, e.address)]
    assert [text for text in shown if MOCK_WORDS.search(text)] == []
