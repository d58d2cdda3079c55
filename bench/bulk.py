"""Benchmark: `sesag bulk` in Chromium against its peers, all in one run, the sides interleaved.

Starts its own mock portal with extra employees (a fresh temporary database, served by waitress
with 4 threads as `sesag portal` serves it, in a process of its own as a real portal would be:
in this process its Python would compete with the flows' for one interpreter lock), then grants
Sagsbehandler to each and revokes it again, per side:

- raw HTTP (the floor): the same requests with urllib and a cookie jar: log-in (bruger-id,
  adgangskode, key card via the demo hint), the search, the employee page, the rights page,
  the save (the form's CSRF token and version) and its redirect, the events page;
- peer: bench/peer.py, the bare Playwright script a QA engineer would write: the same screens
  and clicks, one tab, nothing verified, in the same headless shell as `sesag bulk`'s default
  profile (drawing frames: its plain clicks wait for them);
- bulk, 1 / 2 / 4 workers: the `sesag bulk` code path (``flows.admin.bulk.run_rows``: one log-in,
  N workers, each a thread with its own Playwright and browser, sharing the log-in's storage
  state, a fresh tab every 20 rows, every change verified on the rights and events pages), in
  headless shells as `sesag bulk` launches them (default profile; `--fast-profile` adds 1 and 2
  workers in the fast profile: no frames drawn, clicks without actionability checks).

The sides run in interleaved blocks of employees (A B C ... then ... C B A), so load from other
processes falls on every side alike. Prints changes per second per side and the ratios the
targets are about: one worker <= 1.0x the peer's time per change (at 0 ms); two workers >= 1.5x
the changes per second of one (at 50 ms). Where Linux's /proc tells, each side also gets the CPU that all
the run's processes (this Python, Playwright's driver, Chromium, the portal) used per change, the
cores they kept busy (and other jobs, and idle), and how far each bulk side is from the speed all
cores busy at its CPU per change would give.
--latency 0,50 repeats the measurement with that many milliseconds
added to every portal response (a WSGI wrapper in the portal's process sleeps before the app answers),
as a portal across a network would; the target there: bulk (1 worker) <= 4x raw at 50 ms.

    .venv/bin/python bench/bulk.py [--n 48] [--workers 1,2,4] [--latency 0,50] [--compare-blocking]
        [--compare-gpu-process] [--fast-profile]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import multiprocessing
import os
import socket
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import peer

from flows.admin import bulk
from flows.admin.session import new_session
from flows.core.browser import BrowserSpec
from flows.core.credentials import DEMO_PASSWORD, DEMO_USER, Credentials

RIGHT_VALUE = "aes.sagsbehandler"


def bench_employees(n: int) -> list[tuple[str, str]]:
    return [(f"Bench Medarbejder {i:04d}", f"bench{i:04d}@example.dk") for i in range(1, n + 1)]


def _insert(conn, people) -> None:
    columns = [row[1] for row in conn.execute("PRAGMA table_info(employee)")]
    template = dict(
        zip(columns, conn.execute("SELECT * FROM employee WHERE email = ?", ("lra@nets.dk",)).fetchone(), strict=False)
    )
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
            self.forms.append(
                {"action": a.get("action") or self.url, "method": (a.get("method") or "get").lower(), "fields": []}
            )
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


class BulkSide:
    """`sesag bulk`'s code path: one log-in, ``workers`` browsers sharing it. A run starts its
    workers once, so the extra workers (a browser, a context and a tab each, ``launch_seconds``
    each) are started once here and kept from block to block."""

    def __init__(self, browser, url: str, spec: BrowserSpec, workers: int = 1, block: bool = False):
        self.session = new_session(browser, url, Credentials.demo(), block=block, browser_spec=spec)
        self.workers = workers
        started = time.perf_counter()
        self.kept = [self.session.start_worker() for _ in range(workers - 1)]
        self.launch_seconds = (time.perf_counter() - started) / max(1, workers - 1)
        for worker in self.kept:
            worker.close_at_the_end, worker.close = worker.close, lambda: None  # run_rows closes per block

    def close(self) -> None:
        for worker in self.kept:
            worker.close_at_the_end()

    def do(self, people) -> None:
        """Grant and revoke for each of ``people`` (an employee's two rows in one worker, in order)."""
        handed_out = iter(self.kept)
        self.session.start_worker = lambda: next(handed_out)
        rows = [
            bulk.Row(2 * i + 2 + step, email, "sagsbehandler", action)
            for i, (_, email) in enumerate(people)
            for step, action in enumerate(("grant", "revoke"))
        ]
        failed = [r for r in bulk.run_rows(self.session, rows, workers=self.workers) if not r.ok or not r.changed]
        if failed:
            raise SystemExit(f"bulk: {len(failed)} row(s) failed, first: {failed[0].message}")


class PeerSide:
    """bench/peer.py: the bare Playwright script, one tab, nothing verified."""

    def __init__(self, browser, url: str):
        from flows.core import browser as browsers

        self.url = url.rstrip("/")
        self.page = browser.new_context(**browsers.context_options()).new_page()
        peer.log_in(self.page, self.url, DEMO_USER, DEMO_PASSWORD)

    def do(self, people) -> None:
        for name, email in people:
            peer.set_right(self.page, self.url, name, email, True)
            peer.set_right(self.page, self.url, name, email, False)


class RawSide:
    """The same requests with urllib."""

    def __init__(self, url: str):
        self.client = RawClient(url)
        self.client.log_in(DEMO_USER, DEMO_PASSWORD)

    def do(self, people) -> None:
        for _, email in people:
            self.client.set_right(email, RIGHT_VALUE, True)
            self.client.set_right(email, RIGHT_VALUE, False)


class Latency:
    """WSGI wrapper: wait ``seconds.value`` (shared with the benchmark's process) before the app
    answers, as a portal across a network would."""

    def __init__(self, app, seconds):
        self.app = app
        self.seconds = seconds

    def __call__(self, environ, start_response):
        if self.seconds.value:
            time.sleep(self.seconds.value)
        return self.app(environ, start_response)


def serve_portal(database: str, port: int, people, seconds, ready) -> None:
    """The portal process: demo data plus ``people``, served on ``port`` until terminated."""
    from waitress import serve

    from mock_portal import create_app
    from mock_portal.db import get_db, reset_demo_database

    app = create_app({"DATABASE": database, "DEMO_MODE": True, "WAL": True, "SECRET_KEY": "bench"})
    with app.app_context():
        reset_demo_database()
        get_db().execute("PRAGMA journal_mode = WAL")
        _insert(get_db(), people)
    app.wsgi_app = Latency(app.wsgi_app, seconds)
    ready.set()
    serve(app, host="127.0.0.1", port=port, threads=4, ident="mock-portal", _quiet=True)


class PortalProcess:
    """The mock portal in a process of its own on a free port; ``latency(ms)`` sets its delay."""

    def __init__(self, people):
        spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of Playwright's
        self._folder = tempfile.TemporaryDirectory(prefix="sesag-bench-")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        self._seconds, ready = spawn.Value("d", 0.0), spawn.Event()
        database = str(Path(self._folder.name) / "portal.sqlite")
        self._process = spawn.Process(target=serve_portal, args=(database, port, people, self._seconds, ready))
        self._process.start()
        if not ready.wait(120):
            self.close()
            raise SystemExit("the portal did not start")
        deadline = time.monotonic() + 30
        while True:  # ready: data in place; now wait for the socket
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or not self._process.is_alive():
                    self.close()
                    raise SystemExit("the portal did not answer") from None
                time.sleep(0.05)

    def latency(self, milliseconds: float) -> None:
        self._seconds.value = milliseconds / 1000

    def close(self) -> None:
        self._process.terminate()
        self._process.join(10)
        self._folder.cleanup()


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def tree_cpu_seconds(root: int | None = None) -> float | None:
    """CPU seconds used so far by this process and every process under it (Chromium, Playwright's
    driver, the portal), their reaped children included; None without Linux's /proc."""
    root = os.getpid() if root is None else root
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    used: dict[int, int] = {}
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return None
    for pid in entries:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile: its time is in its parent's reaped children
        children.setdefault(int(fields[1]), []).append(int(pid))
        used[int(pid)] = sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0)
        todo += children.get(pid, [])
    return total / ticks if root in used else None


def machine_cpu_seconds() -> tuple[float, float] | None:
    """(busy, idle) CPU seconds of the whole machine since boot, all processes and cores; None
    without Linux's /proc."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / ticks, idle / ticks  # user .. steal


def cpu_now() -> tuple[float, float, float] | None:
    """(the run's processes, machine busy, machine idle) CPU seconds so far; None without /proc."""
    ours, machine = tree_cpu_seconds(), machine_cpu_seconds()
    return None if ours is None or machine is None else (ours, *machine)


@dataclass
class Usage:
    """CPU seconds while a side ran: all the run's processes (``ours``), and the whole machine's
    busy and idle time (other jobs' included), summed over the side's blocks."""

    ours: float = 0.0
    machine_busy: float = 0.0
    machine_idle: float = 0.0

    def add(self, before: tuple[float, float, float], after: tuple[float, float, float]) -> None:
        """Count the CPU between two ``cpu_now()`` readings."""
        self.ours += after[0] - before[0]
        self.machine_busy += after[1] - before[1]
        self.machine_idle += after[2] - before[2]


def measure(sides: dict, people, chunk: int) -> tuple[dict[str, float], dict[str, Usage] | None]:
    """Seconds each side spends granting and revoking ``people``, in interleaved blocks, and the
    CPU used meanwhile (None where /proc cannot tell)."""
    seconds = dict.fromkeys(sides, 0.0)
    usage = {name: Usage() for name in sides} if cpu_now() else None
    # Interleaved blocks, so that load from other processes falls on every side alike.
    for number, block in enumerate(chunks(people, chunk)):
        order = list(sides) if number % 2 == 0 else list(reversed(sides))
        for name in order:
            before, started = cpu_now() if usage else None, time.perf_counter()
            sides[name].do(block)
            seconds[name] += time.perf_counter() - started
            if usage:
                usage[name].add(before, cpu_now())
    return seconds, usage


RAW, PEER = "raw HTTP replay (floor)", "peer: bare Playwright script"


def bulk_name(workers: int) -> str:
    return f"sesag bulk, {workers} worker{'s' if workers > 1 else ''}"


def gpu_process_name(workers: int) -> str:
    return f"{bulk_name(workers)}, GPU process"


def fast_name(workers: int) -> str:
    return f"{bulk_name(workers)}, fast profile"


def report(
    seconds: dict[str, float],
    changes: int,
    latency_ms: float,
    workers: list[int],
    usage: dict[str, Usage] | None = None,
) -> float:
    """Print each side's speed (and CPU, with ``usage``) and the ratios; return bulk (1 worker) / raw."""
    print(f"added latency per response: {latency_ms:g} ms")
    for name, spent in seconds.items():
        used = ""
        if usage:
            mine = usage[name]
            others = max(0.0, mine.machine_busy - mine.ours)
            used = (
                f"  CPU {1000 * mine.ours / changes:5.0f} ms/change; cores busy: ours {mine.ours / spent:4.2f}, "
                f"other jobs {others / spent:4.2f}, idle {mine.machine_idle / spent:4.2f}"
            )
        print(
            f"  {name:32s}: {spent:7.2f} s  {changes / spent:6.2f} changes/s  {1000 * spent / changes:7.1f} ms/change"
            + used
        )
    one = seconds[bulk_name(workers[0])]
    if usage:
        # With every core busy, workers do at most (cores / CPU per change) changes a second: how far
        # each side is from that says whether more speed needs less CPU or fewer waits.
        cores = os.cpu_count() or 1
        for count in workers:
            name = bulk_name(count)
            ceiling = cores * changes / usage[name].ours
            print(
                f"  bulk {count} worker{'s' if count > 1 else ''}: {changes / seconds[name]:.2f} changes/s of at most "
                f"{ceiling:.2f} with all {cores} cores busy at its CPU per change ({100 * changes / seconds[name] / ceiling:.0f} %)"
            )
    if PEER in seconds:
        ratio = one / seconds[PEER]
        target = f"  (target at 0 ms <= 1.0x: {'met' if ratio <= 1.0 else 'NOT met'})" if latency_ms == 0 else ""
        print(f"  bulk ({workers[0]} worker) / peer, time per change: {ratio:.2f}x{target}")
        if fast_name(1) in seconds:
            print(
                f"  bulk (1 worker, fast profile) / peer, time per change: {seconds[fast_name(1)] / seconds[PEER]:.2f}x"
            )
    for count in workers[1:]:
        speedup = one / seconds[bulk_name(count)]
        target = (
            f"  (target at 50 ms >= 1.5x: {'met' if speedup >= 1.5 else 'NOT met'})"
            if count == 2 and latency_ms == 50
            else ""
        )
        print(f"  bulk {count} workers / 1 worker, changes per second: {speedup:.2f}x{target}")
    if gpu_process_name(1) in seconds and bulk_name(1) in seconds:
        gain = seconds[gpu_process_name(1)] / seconds[bulk_name(1)]
        print(f"  bulk 1 worker, --in-process-gpu / a GPU process, changes per second: {gain:.2f}x")
    for count in (1, 2):
        if fast_name(count) in seconds and bulk_name(count) in seconds:
            gain = seconds[bulk_name(count)] / seconds[fast_name(count)]
            print(f"  bulk {count} worker(s), fast profile / default, changes per second: {gain:.2f}x")
    if fast_name(1) in seconds and fast_name(2) in seconds:
        print(
            "  bulk 2 workers / 1 worker in the fast profile, changes per second: "
            f"{seconds[fast_name(1)] / seconds[fast_name(2)]:.2f}x"
        )
    ratio = one / seconds[RAW]
    print(
        f"  bulk ({workers[0]} worker) / raw, time per change: {ratio:.2f}x"
        + (f"  (target at 50 ms <= 4x: {'met' if ratio <= 4 else 'NOT met'})" if latency_ms == 50 else "")
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=48, help="employees to grant and revoke per round (default 48)")
    parser.add_argument("--chunk", type=int, default=12, help="employees per interleaved block (default 12)")
    parser.add_argument("--workers", default="1,2,4", metavar="N[,N...]", help="bulk sides to time (default 1,2,4)")
    parser.add_argument("--no-peer", action="store_true", help="leave the bare Playwright script out")
    parser.add_argument(
        "--compare-blocking",
        action="store_true",
        help="also time the browser with images and fonts blocked by a route (which turns the HTTP cache off)",
    )
    parser.add_argument(
        "--compare-gpu-process",
        action="store_true",
        help="also time 1 worker in a browser with a GPU process of its own (no --in-process-gpu)",
    )
    parser.add_argument(
        "--fast-profile",
        action="store_true",
        help="also time 1 and 2 workers in the fast profile (no frames drawn, clicks without actionability checks)",
    )
    parser.add_argument(
        "--latency",
        default="0",
        metavar="MS[,MS...]",
        help="milliseconds added to every portal response; a list runs one round per value (default 0)",
    )
    args = parser.parse_args()
    try:
        latencies = [float(value) for value in args.latency.split(",") if value.strip()]
        workers = [int(value) for value in args.workers.split(",") if value.strip()] or [1]
    except ValueError:
        parser.error(f"--latency / --workers: not a list of numbers: {args.latency!r} {args.workers!r}")
    from playwright.sync_api import sync_playwright

    from flows.core import browser as browsers

    people = bench_employees(args.n * len(latencies) + 3)
    warm, people = people[:3], people[3:]
    ratios = {}
    portal = PortalProcess(warm + people)
    try:
        with sync_playwright() as playwright:
            spec = BrowserSpec(pictures=False)
            browser = browsers.open_browser(playwright, spec)  # as sesag bulk opens it
            sides = {RAW: RawSide(portal.url)}
            if not args.no_peer:
                sides[PEER] = PeerSide(browser, portal.url)
            for count in workers:
                sides[bulk_name(count)] = BulkSide(browser, portal.url, spec, workers=count)
            extra = []
            if args.fast_profile:
                fast = BrowserSpec(profile="fast", pictures=False)
                extra.append(browsers.open_browser(playwright, fast))
                for count in (1, 2):
                    sides[fast_name(count)] = BulkSide(extra[-1], portal.url, fast, workers=count)
            if args.compare_gpu_process:
                options = browsers.launch_options(playwright, pictures=False)
                options["args"] = [arg for arg in options["args"] if arg != browsers.IN_PROCESS_GPU]
                extra.append(playwright.chromium.launch(**options))
                sides[gpu_process_name(1)] = BulkSide(extra[-1], portal.url, spec)
            if args.compare_blocking:
                sides["bulk, 1 worker, assets blocked"] = BulkSide(browser, portal.url, spec, block=True)
            for side in sides.values():  # warm up: caches, first-page costs
                side.do(warm)
            launches = [side.launch_seconds for side in sides.values() if getattr(side, "kept", None)]
            if launches:
                print(
                    f"a worker (its own browser, context and tab) starts in {max(launches):.2f} s, once per run "
                    "(kept from block to block here, as in one run; not in the figures below)"
                )
            for number, latency in enumerate(latencies):
                portal.latency(latency)
                block = people[number * args.n : (number + 1) * args.n]
                requests_before = sides[RAW].client.requests
                seconds, usage = measure(sides, block, args.chunk)
                changes = 2 * len(block)
                if number == 0:
                    requests = sides[RAW].client.requests - requests_before
                    print(
                        f"employees: {len(block)} per round, changes (a grant and a revoke each): {changes}, "
                        f"HTTP requests per change: {requests / changes:.1f} (per side)"
                    )
                ratios[latency] = report(seconds, changes, latency, workers, usage)
            for side in sides.values():
                if isinstance(side, BulkSide):
                    side.close()
            for other in extra:
                other.close()
            browser.close()
    finally:
        portal.close()
    if len(ratios) > 1:
        print(
            "bulk (1 worker) / raw: "
            + ", ".join(f"{latency:g} ms -> {ratio:.2f}x" for latency, ratio in ratios.items())
        )


if __name__ == "__main__":
    main()
