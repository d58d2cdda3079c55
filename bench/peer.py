"""The peer of `sesag bulk` in bench/bulk.py: the Playwright script a QA engineer would write.

The same changes through the same screens (the search result, the employee, Administrér
rettigheder, tick or untick, GEM RETTIGHEDER), one log-in, one tab, no verification, no
retries, no page objects: the cost of driving these screens at all, which `sesag bulk`'s
checks and bookkeeping are measured against.

    .venv/bin/python bench/peer.py --base-url http://127.0.0.1:5000 lra@nets.dk=Medlem\\ -\\ Lra ...
"""

from __future__ import annotations

import argparse
import re
import time
from urllib.parse import urlencode

AES = "Arbejdsmarkedets Erhvervssikring"


def log_in(page, base_url: str, user: str, password: str) -> None:
    """Bruger-id, adgangskode, the demo key shown on the key-card page, 'Log på'."""
    page.goto(f"{base_url}/log-paa")
    page.get_by_label("Bruger-id").fill(user)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Næste").click()
    key = re.search(r"\d{6}", page.get_by_test_id("demo-key").inner_text()).group(0)
    page.get_by_label("Nøgle").fill(key)
    page.get_by_role("button", name="Log på").click()
    page.wait_for_url(re.compile(r"/selvbetjening"))


def set_right(page, base_url: str, name: str, email: str, held: bool, right: str = "Sagsbehandler") -> None:
    """Open the employee from the search result, tick or untick ``right``, save."""
    page.goto(f"{base_url}/selvbetjening/medarbejdere?{urlencode({'navn': '', 'email': email})}")
    page.get_by_role("link", name=f"Administrér {name}", exact=True).click()
    page.get_by_role("link", name="Administrér rettigheder").click()
    page.get_by_role("group", name=AES).get_by_role("checkbox", name=right, exact=True).set_checked(held)
    page.get_by_role("button", name="Gem rettigheder").click()
    page.get_by_role("status").wait_for()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="nemid-demo")
    parser.add_argument(
        "people", nargs="+", metavar="EMAIL=NAME", help="employees to grant Sagsbehandler and revoke it"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    people = [item.split("=", 1) for item in args.people]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch()
        page = browser.new_page()
        log_in(page, args.base_url.rstrip("/"), args.user, args.password)
        started = time.perf_counter()
        for held in (True, False):
            for email, name in people:
                set_right(page, args.base_url.rstrip("/"), name, email, held)
        spent = time.perf_counter() - started
        print(f"{2 * len(people)} changes in {spent:.2f} s: {2 * len(people) / spent:.2f} changes/s")
        browser.close()


if __name__ == "__main__":
    main()
