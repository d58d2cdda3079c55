"""mock_portal/selvbetjening: Se hændelser."""

import re

from helpers.selvbetjening_pages import (
    KOM,
    LIST,
    SAG,
    rights_page,
    rights_url,
    version,
)

# --- Se hændelser ----------------------------------------------------------------------------


def test_events_page_newest_first(client, auth, lra, app):
    auth.post(rights_url(lra), {"right": SAG, "version": version(rights_page(client, lra))})
    app.config["FIXED_NOW"] = "2026-01-15T11:30:00+01:00"
    auth.post(rights_url(lra), {"right": KOM, "version": version(rights_page(client, lra))})
    app.config["FIXED_NOW"] = "2026-07-01T09:05:00+02:00"  # summer time is shown as Copenhagen time
    auth.post(rights_url(lra), {"version": version(rights_page(client, lra))})
    html = client.get(f"/selvbetjening/medarbejdere/{lra}/haendelser").get_data(as_text=True)
    assert "<h1>HÆNDELSER FOR Medlem - Lra</h1>" in html
    for column in ("Tidspunkt", "Udført af", "Hændelse"):
        assert f'<th scope="col">{column}</th>' in html
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert [(when, text) for when, _, text in rows] == [
        ("01-07-2026 kl. 09:05", "Rettighed fjernet: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler"),
        ("15-01-2026 kl. 11:30", "Rettighed fjernet: Arbejdsmarkedets Erhvervssikring › Sagsbehandler"),
        ("15-01-2026 kl. 11:30", "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Kommunal sagsbehandler"),
        ("15-01-2026 kl. 10:00", "Rettighed tildelt: Arbejdsmarkedets Erhvervssikring › Sagsbehandler"),
        ("15-01-2026 kl. 10:00", "Medarbejdersignatur oprettet"),
    ]
    assert all(by == "Nanna Administrator (admin)" for _, by, _ in rows[:4])
    assert re.search(
        r"<a href=\"/selvbetjening/medarbejdere/\d+\"><span aria-hidden=\"true\">&lt; </span>Tilbage</a>", html
    )


def test_events_stored_in_utc(client, auth, lra, query):
    auth.post(rights_url(lra), {"right": SAG, "version": version(rights_page(client, lra))})
    stamp = query("SELECT at FROM event WHERE employee_id = ? ORDER BY id DESC LIMIT 1", lra)[0]["at"]
    assert stamp == "2026-01-15T09:00:00+00:00"


def test_events_page_is_paged(client, logged_in, app, employee_id):
    """Newest first, 50 a page; a page past the last is 404."""
    from mock_portal.db import get_db

    lra = employee_id("lra@nets.dk")
    with app.app_context():
        get_db().executemany(
            "INSERT INTO event (company_id, employee_id, at, actor, text) VALUES (1, ?, ?, 'Test', ?)",
            [(lra, f"2026-01-{day:02d}T08:00:00+00:00", f"Hændelse {day}") for day in range(1, 31)]
            + [(lra, f"2026-02-{day:02d}T08:00:00+00:00", f"Hændelse 2-{day}") for day in range(1, 29)],
        )
    url = f"{LIST}/{lra}/haendelser"
    first = client.get(url).get_data(as_text=True)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", first)
    assert len(rows) == 50 and rows[0][2] == "Hændelse 2-28"
    assert f'<a href="{url}?side=2">Næste</a>' in first
    second = client.get(url, query_string={"side": 2}).get_data(as_text=True)
    rest = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", second)
    assert len(rest) == 58 + 1 - 50 and rest[-1][2] == "Hændelse 1"  # 58 added, 1 from the seed
    assert client.get(url, query_string={"side": 3}).status_code == 404
