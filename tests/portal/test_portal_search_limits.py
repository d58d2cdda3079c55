"""The portal's own limits on a search (#20, 5): a long search costs what a search of the
index's longest phrase does, and a search that would still take too much work is stopped
with a message on the list's page (never a 503), so a few clients sending slow searches
cannot take the portal from everyone else (bench/portal.py --hostile)."""

from __future__ import annotations

import logging

import pytest

from mock_portal.selvbetjening.employee_query import PHRASE_AT_MOST
from mock_portal.selvbetjening.records import MAX_EMAIL, MAX_NAME
from mock_portal.selvbetjening.search_limits import SearchAllowance

from helpers.selvbetjening_pages import LIST, listed

HOSTILE_NAME = ("sen" * 40)[:MAX_NAME]  # only trigrams that most names hold: FTS5's worst phrase
HOSTILE_EMAIL = ("sen" * 100)[:MAX_EMAIL]
TOO_COSTLY = "Søgningen kræver for meget arbejde"


def test_a_long_search_costs_about_what_the_longest_phrase_does(grown_company, steps):
    """The trigram index is asked for at most PHRASE_AT_MOST characters; the rest of a longer
    search is checked on the matches (a 100-character phrase of common trigrams cost 40x)."""
    client = grown_company(3000)
    client.get(LIST)
    cost = {}
    for label, typed in {
        "phrase": {"navn": HOSTILE_NAME[:PHRASE_AT_MOST]},
        "name": {"navn": HOSTILE_NAME},
        "both": {"navn": HOSTILE_NAME, "email": HOSTILE_EMAIL, "status": "alle"},
    }.items():
        steps()
        assert client.get(LIST, query_string=typed).status_code == 200
        cost[label] = steps()
    assert cost["name"] <= 1.5 * cost["phrase"] + 5, cost
    assert cost["both"] <= 3 * cost["phrase"] + 10, cost


def test_a_long_search_finds_what_it_says(client, logged_in, add_employee):
    """Beyond PHRASE_AT_MOST characters the whole search still has to match, not its start."""
    add_employee("Christoffer Møller-Andersen Rasmussen", email="cmar@example.dk")
    add_employee("Christoffer Møller-Andersen Jensen", email="cmaj@example.dk")
    long_search = "christoffer moller-andersen rasmussen"
    assert len(long_search) > PHRASE_AT_MOST
    assert listed(client, navn=long_search) == ["Christoffer Møller-Andersen Rasmussen"]
    assert listed(client, navn="Christoffer Møller-Andersen") == [
        "Christoffer Møller-Andersen Jensen",
        "Christoffer Møller-Andersen Rasmussen",
    ]
    assert listed(client, email="cmar@example.dk", navn=long_search) == ["Christoffer Møller-Andersen Rasmussen"]
    assert listed(client, email="cmaj@example.dk", navn=long_search) == []


def test_the_search_fields_are_bounded(client, logged_in):
    """Longer than any stored name or e-mail can be: cut to the field's length, and answered."""
    response = client.get(LIST, query_string={"navn": "x" * 5000, "email": "y" * 5000})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'value="{"x" * MAX_NAME}"' in page and "x" * (MAX_NAME + 1) not in page
    assert f'value="{"y" * MAX_EMAIL}"' in page and "y" * (MAX_EMAIL + 1) not in page


@pytest.mark.parametrize(
    "typed",
    [{"navn": HOSTILE_NAME}, {"navn": HOSTILE_NAME, "email": HOSTILE_EMAIL, "status": "alle"}, {"navn": "sen"}],
)
def test_a_search_over_its_work_bound_is_stopped_with_a_message(app_factory, auth_for, typed, caplog):
    """The bound (SEARCH_CPU_SECONDS of the request thread's CPU, checked by SQLite's progress
    handler) set to nothing: every search that runs at all is stopped, and says so."""
    app = app_factory(employees=2000, SEARCH_CPU_SECONDS=0.0)
    client = app.test_client()
    auth_for(client).login()
    with caplog.at_level(logging.ERROR):
        response = client.get(LIST, query_string=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert TOO_COSTLY in page and 'role="alert"' in page
    assert "database error" not in caplog.text and "ikke tilgængelig" not in page
    assert 'name="navn"' in page  # the search form is there to narrow the search
    assert client.get(f"{LIST}/1").status_code == 200  # the bound is the search's, not the session's


def test_normal_searches_stay_within_the_default_bounds(app_factory, auth_for):
    """The list, its searches and a bulk run's e-mail searches, one after the other: none is
    stopped, and the session's allowance is not run down."""
    app = app_factory(employees=2000)
    client = app.test_client()
    auth_for(client).login()
    typed_in_turn = [{"navn": "søren"}, {"email": "kommune-demo"}, {"navn": "a"}, {}, {"status": "alle"}]
    for typed in typed_in_turn * 4 + [{"email": f"{n}@kommune-demo.dk"} for n in range(100)]:
        response = client.get(LIST, query_string=typed)
        assert response.status_code == 200 and TOO_COSTLY not in response.get_data(as_text=True), typed


def test_the_allowance_refills_with_time():
    """A session's SQLite CPU for the list: a burst, then so much per second (#20, 5)."""
    now = [0.0]
    allowance = SearchAllowance(burst=0.1, per_second=0.02, clock=lambda: now[0])
    assert allowance.allows("a")
    allowance.spend("a", 0.15)
    assert not allowance.allows("a") and allowance.allows("b")  # one session's, not everyone's
    now[0] += 2.0  # 40 ms back: -0.05 + 0.04 still short
    assert not allowance.allows("a")
    now[0] += 1.0
    assert allowance.allows("a")
    now[0] += 1000
    allowance.spend("a", 0.0)
    assert allowance.level("a") == pytest.approx(0.1)  # never more than the burst


def test_a_session_over_its_allowance_waits_and_others_do_not(app_factory, auth_for):
    app = app_factory(SEARCH_CPU_BURST=0.0, SEARCH_CPU_PER_SECOND=0.0, SEARCH_CPU_FREE=0.0)
    hostile, other = app.test_client(), app.test_client()
    auth_for(hostile).login()
    auth_for(other).login()
    assert hostile.get(LIST, query_string={"navn": HOSTILE_NAME}).status_code == 200  # spent it all
    refused = hostile.get(LIST, query_string={"navn": HOSTILE_NAME})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and "Du har søgt meget på kort tid" in page and 'role="alert"' in page
    assert other.get(LIST, query_string={"navn": "søren"}).status_code == 200
    assert hostile.get(f"{LIST}/1").status_code == 200  # only the list waits
