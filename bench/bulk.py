"""Benchmark: `sesag bulk` in Chromium against a plain HTTP replay of the same requests.

Starts its own mock portal (fresh temporary database, werkzeug in a thread on a free port) with
N extra employees, then grants Sagsbehandler to each and revokes it again, twice over:

- browser: the bulk code path (``flows.bulk.run_rows``: one log-in, one browser, a fresh tab
  every 20 rows, conditions not sleeps, every change verified on the rights and events pages);
- raw HTTP: the same requests with urllib and a cookie jar: log-in (bruger-id, adgangskode, key
  card via the demo hint), the search, the employee page, the rights page, the save (the form's
  CSRF token and version) and its redirect, the events page.

The two run in interleaved blocks of employees, so load from other processes falls on both
alike. Prints changes (grants and revokes) per second for each and their ratio (target:
browser within 4x of raw HTTP). --compare-blocking adds a browser page whose context blocks
images and fonts by a route.

The embedded mock answers in about 5 ms, so the ratio mostly measures the browser's own cost
per page. --latency 0,50,100 repeats the measurement with that many milliseconds added to
every portal response (a WSGI wrapper sleeps before the app answers), as a portal across a
network would; both sides pay it alike.

    .venv/bin/python bench/bulk.py [--n 200] [--compare-blocking] [--latency 0,50]
"""
from __future__ import annotations

import argparse
import http.cookiejar
import logging
import sys
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows import bulk, grant  # noqa: E402
from flows.credentials import Credentials  # noqa: E402
from flows.embedded import embedded_portal  # noqa: E402

RIGHT_VALUE = "aes.sagsbehandler"


def bench_employees(n: int) -> list[tuple[str, str]]:
    return [(f"Bench Medarbejder {i:04d}", f"bench{i:04d}@example.dk") for i in range(1, n + 1)]


def add_employees(portal, people: list[tuple[str, str]]) -> None:
    """Insert ``people`` into the portal's database, copying company and group from 'Medlem - Lra'."""
    from mock_portal import db

    with portal.app.app_context():
        _insert(db.get_db(), people)


def _insert(conn, people) -> None:
    columns = [row[1] for row in conn.execute("PRAGMA table_info(employee)")]
    template = dict(zip(columns, conn.execute("SELECT * FROM employee WHERE email = ?", ("lra@nets.dk",)).fetchone()))
    template.pop("id", None)
    for name, email in people:
        values = dict(template, name=name, email=email)
        conn.execute(
            f"INSERT INTO employee ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        )
    conn.commit()


# --- the raw HTTP side ------------------------------------------------------------------------


class Page(HTMLParser):
    """Just enough of an HTML page: forms with their fields, labels, links, test ids, tables."""

    def __init__(self, url: str, html: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[dict] = []
        self.labels: dict[str, str] = {}  # for= id -> label text
        self.links: list[tuple[str, str]] = []  # (accessible name, href)
        self.testids: dict[str, str] = {}
        self.rows: list[list[tuple[str, list[tuple[str, str]]]]] = []  # cells: (text, links)
        self._label_for = None
        self._text_stack: list[list] = []  # open elements collecting text: [kind, key, parts]
        self._link = None
        self._cell = None
        self._row = None
        self._open: list[tuple[str, bool]] = []  # open elements and whether aria-hidden
        self.feed(html)

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "area", "base", "col"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in self.VOID:
            self._open.append((tag, a.get("aria-hidden") == "true"))
        if tag == "form":
            self.forms.append({"action": a.get("action") or self.url, "method": (a.get("method") or "get").lower(), "fields": []})
        elif tag in ("input", "select", "textarea", "button") and self.forms:
            self.forms[-1]["fields"].append({"tag": tag, **a})
        elif tag == "option" and self.forms and self.forms[-1]["fields"]:
            field = self.forms[-1]["fields"][-1]
            if "selected" in a and field.get("tag") == "select":
                field["value"] = a.get("value", "")
        if tag == "label" and a.get("for"):
            self._text_stack.append(["label", a["for"], []])
        if a.get("data-testid"):
            self._text_stack.append(["testid", a["data-testid"], []])
        if tag == "a" and a.get("href"):
            self._link = [a.get("aria-label"), a["href"], []]
        if tag == "tr":
            self._row = []
        if tag == "td" and self._row is not None:
            self._cell = [[], []]

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break
        if tag == "label" or tag in ("strong", "span", "p", "div", "code", "b"):
            for item in reversed(self._text_stack):
                if (item[0] == "label") == (tag == "label"):
                    self._text_stack.remove(item)
                    text = " ".join("".join(item[2]).split())
                    (self.labels if item[0] == "label" else self.testids)[item[1]] = text
                    break
        if tag == "a" and self._link:
            name = self._link[0] or " ".join("".join(self._link[2]).split())
            self.links.append((name, self._link[1]))
            if self._cell is not None:
                self._cell[1].append((name, self._link[1]))
            self._link = None
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append((" ".join("".join(self._cell[0]).split()), self._cell[1]))
            self._cell = None
        if tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if any(hidden for _, hidden in self._open):
            return  # not part of any accessible name
        for item in self._text_stack:
            item[2].append(data)
        if self._link:
            self._link[2].append(data)
        if self._cell is not None:
            self._cell[0].append(data)

    def field_by_label(self, label: str) -> dict:
        for form in self.forms:
            for field in form["fields"]:
                if field.get("id") and self.labels.get(field["id"], "").rstrip(" *:").strip() == label:
                    return field
        raise LookupError(f"{self.url}: no field labelled {label!r}")

    def form_with(self, field: dict) -> dict:
        return next(form for form in self.forms if field in form["fields"])

    def rights_form(self) -> dict:
        """The POST form holding the right checkboxes (GEM RETTIGHEDER)."""
        for form in self.forms:
            if form["method"] == "post" and any(f.get("name") == "right" for f in form["fields"]):
                return form
        raise LookupError(f"{self.url}: no rights form")

    def link(self, name: str) -> str:
        for text, href in self.links:
            if text.strip().lower() == name.lower():
                return urllib.parse.urljoin(self.url, href)
        raise LookupError(f"{self.url}: no link {name!r}")


def form_data(form: dict) -> list[tuple[str, str]]:
    """What the browser would submit: hidden and text inputs, ticked boxes, selects."""
    data = []
    for field in form["fields"]:
        name = field.get("name")
        if not name or field["tag"] == "button" or field.get("type") in ("submit", "button"):
            continue
        if field.get("type") in ("checkbox", "radio"):
            if "checked" in field:
                data.append((name, field.get("value", "on")))
            continue
        data.append((name, field.get("value", "")))
    return data


class CountingRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects as a browser does (POST -> 303/302 -> GET) and count them."""

    def __init__(self, client):
        self.client = client

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        self.client.requests += 1
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class RawClient:
    """The portal through urllib: one cookie jar, redirects followed like a browser."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.requests = 0
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), CountingRedirects(self)
        )

    def get(self, url: str, params: dict | None = None) -> Page:
        if params:
            url = url.split("?")[0] + "?" + urllib.parse.urlencode(params)
        return self._open(urllib.request.Request(urllib.parse.urljoin(self.base_url + "/", url)))

    def post(self, page: Page, form: dict, data: list[tuple[str, str]]) -> Page:
        url = urllib.parse.urljoin(page.url, form["action"])
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(url, data=body, method="POST"))

    def _open(self, request) -> Page:
        with self.opener.open(request, timeout=30) as response:
            self.requests += 1
            return Page(response.url, response.read().decode("utf-8"))

    def log_in(self, user: str, password: str) -> None:
        page = self.get("/log-paa")
        user_field, password_field = page.field_by_label("Bruger-id"), page.field_by_label("Adgangskode")
        form = page.form_with(user_field)
        data = [(n, v) for n, v in form_data(form) if n not in (user_field["name"], password_field["name"])]
        page = self.post(page, form, data + [(user_field["name"], user), (password_field["name"], password)])
        key_field = page.field_by_label("Nøgle")
        key = page.testids["demo-key"]
        form = page.form_with(key_field)
        data = [(n, v) for n, v in form_data(form) if n != key_field["name"]]
        page = self.post(page, form, data + [(key_field["name"], key)])
        if "/selvbetjening" not in page.url:
            raise RuntimeError(f"raw log-in failed: {page.url}")

    def set_right(self, email: str, value: str, held: bool) -> None:
        """The browser flow's requests for one row: search, employee, rights, save, events."""
        found = self.get("/selvbetjening/medarbejdere", {"navn": "", "email": email})
        row = next(r for r in found.rows if len(r) > 1 and r[1][0].lower() == email.lower())
        pencil = next(href for cell in row for name, href in cell[1] if name.startswith("Administrér "))
        employee = self.get(urllib.parse.urljoin(found.url, pencil))
        rights = self.get(employee.link("Administrér rettigheder"))
        form = rights.rights_form()
        data = [(n, v) for n, v in form_data(form) if not (n == "right" and v == value)]
        if held:
            data.append(("right", value))
        saved = self.post(rights, form, data)
        ticked = [v for n, v in form_data(saved.rights_form()) if n == "right"]
        if (value in ticked) != held:
            raise RuntimeError(f"raw save for {email} did not take: {ticked}")
        self.get(saved.url.split("?")[0].replace("/rettigheder", "/haendelser"))


# --- the runs ---------------------------------------------------------------------------------


class BrowserSide:
    """`sesag bulk`'s code path on one logged-in page."""

    def __init__(self, browser, url: str, block: bool = False):
        self.session = grant.new_session(browser, url, Credentials.demo(), block=block)

    def do(self, people, action: str) -> None:
        rows = [bulk.Row(i + 2, email, "sagsbehandler", action) for i, (_, email) in enumerate(people)]
        failed = [r for r in bulk.run_rows(self.session, rows) if not r.ok or not r.changed]
        if failed:
            raise SystemExit(f"browser: {len(failed)} row(s) failed, first: {failed[0].message}")


class RawSide:
    """The same requests with urllib."""

    def __init__(self, url: str):
        self.client = RawClient(url)
        self.client.log_in("admin", "nemid-demo")

    def do(self, people, action: str) -> None:
        for _, email in people:
            self.client.set_right(email, RIGHT_VALUE, action == "grant")


class Latency:
    """WSGI wrapper: wait ``seconds`` before the app answers (a portal across a network)."""

    def __init__(self, app):
        self.app = app
        self.seconds = 0.0

    def __call__(self, environ, start_response):
        if self.seconds:
            time.sleep(self.seconds)
        return self.app(environ, start_response)


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def measure(sides: dict, people, chunk: int) -> dict[str, float]:
    """Seconds each side spends granting and revoking ``people``, in interleaved blocks."""
    seconds = dict.fromkeys(sides, 0.0)
    # Interleaved blocks, so that load from other processes falls on every side alike.
    for number, block in enumerate(chunks(people, chunk)):
        order = list(sides) if number % 2 == 0 else list(reversed(sides))
        for name in order:
            started = time.perf_counter()
            sides[name].do(block, "grant")
            sides[name].do(block, "revoke")
            seconds[name] += time.perf_counter() - started
    return seconds


def report(seconds: dict[str, float], changes: int, latency_ms: float) -> float:
    print(f"added latency per response: {latency_ms:g} ms")
    for name, spent in seconds.items():
        print(f"  {name:30s}: {spent:7.2f} s  {changes / spent:6.1f} changes/s  {1000 * spent / changes:7.1f} ms/change")
    ratio = seconds["browser (bulk)"] / seconds["raw HTTP replay"]
    print(f"  ratio browser/raw: {ratio:.2f}x  (target <= 4x: {'met' if ratio <= 4 else 'NOT met'})")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="employees to grant and revoke (default 200)")
    parser.add_argument("--chunk", type=int, default=10, help="employees per interleaved block (default 10)")
    parser.add_argument("--compare-blocking", action="store_true",
                        help="also time the browser with images and fonts blocked by a route (which turns the HTTP cache off)")
    parser.add_argument("--latency", default="0", metavar="MS[,MS...]",
                        help="milliseconds added to every portal response; a list runs one round per value (default 0)")
    args = parser.parse_args()
    try:
        latencies = [float(value) for value in args.latency.split(",") if value.strip()]
    except ValueError:
        parser.error(f"--latency: not a list of numbers: {args.latency!r}")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request on stderr
    from playwright.sync_api import sync_playwright

    from flows import browser as browsers

    people = bench_employees(args.n * len(latencies) + 3)
    warm, people = people[:3], people[3:]
    ratios = {}
    with embedded_portal(KEYCARD_FIXED_CODE=None) as portal, sync_playwright() as playwright:
        add_employees(portal, warm + people)
        delay = portal.app.wsgi_app = Latency(portal.app.wsgi_app)
        browser = browsers.open_browser(playwright)
        sides = {"raw HTTP replay": RawSide(portal.url), "browser (bulk)": BrowserSide(browser, portal.url)}
        if args.compare_blocking:
            sides["browser, images+fonts blocked"] = BrowserSide(browser, portal.url, block=True)
        for side in sides.values():  # warm up: caches, first-page costs
            side.do(warm, "grant")
            side.do(warm, "revoke")
        for number, latency in enumerate(latencies):
            delay.seconds = latency / 1000
            block = people[number * args.n:(number + 1) * args.n]
            requests_before = sides["raw HTTP replay"].client.requests
            seconds = measure(sides, block, args.chunk)
            changes = 2 * len(block)
            if number == 0:
                requests = sides["raw HTTP replay"].client.requests - requests_before
                print(f"employees: {len(block)} per round, changes (a grant and a revoke each): {changes}, "
                      f"HTTP requests per change: {requests / changes:.1f} (per side)")
            ratios[latency] = report(seconds, changes, latency)
        browser.close()
    if len(ratios) > 1:
        print("summary: " + ", ".join(f"{latency:g} ms -> {ratio:.2f}x" for latency, ratio in ratios.items()))


if __name__ == "__main__":
    main()
