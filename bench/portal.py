"""Benchmark: the mock portal at the size of a large municipality, over HTTP.

Builds a demo database with 500, 5,000 and 50,000 employees (``grow_demo_company``, timed),
serves each with ``sesag portal --db`` (waitress, its own process, a free loopback port), and
logs in over HTTP as a person does: bruger-id and adgangskode, then the key for the code shown,
read from the key-card page's demo hint, with the forms' CSRF tokens.

1. Latency: the three portals are asked in turn, request by request (so load from other
   processes falls on all sizes alike), ``--requests`` times each: the list's first, middle and
   last page; name searches (broad, narrow, one letter); an e-mail search; a group filter; an
   employee page; a rights page; a rights save. Prints p50/p95 per size and the growth 5k->50k.
2. Concurrency at 50,000: ``--admins`` administrators (threads, a session each) open the rights
   page and save a change for ``--seconds``, each on employees of its own. Prints errors, lost
   updates (saves the database does not show: rights_version and events against the saves that
   answered success), p50/p95/p99 of the save and requests per second.
3. The 50,000 portal's memory (RSS now and its peak).
4. Hostile searches at 50,000 (#20, 5): ``--hostile`` clients (a process of their own, a
   session each) send slow searches back to back, in turn: a 100-character name of the
   trigrams most names hold, the same with a 254-character e-mail and status=alle, and two
   e-mail searches that the trigram index matches for every employee, for
   ``--hostile-seconds``, while one normal administrator opens the list, searches, and opens an
   employee and the rights page. Prints the administrator's p50/p95 alone and under the
   hostile load, and what the hostile searches got (answered, stopped with the portal's
   message, told to wait, errors). ``--compare-with DIR`` runs a second portal from another checkout of the
   code (``git worktree add DIR REV``) on a copy of the same database, the two asked in turn
   (A B A B, ``--rounds``), and prints the ratio. ``--floor`` runs the same clients once more
   asking for the cheapest page after log-in: what any such clients cost the administrator.

    .venv/bin/python bench/portal.py [--requests 30] [--seconds 60] [--admins 20] [--sizes 500,5000,50000]
        [--hostile 8] [--hostile-seconds 20] [--rounds 2] [--compare-with DIR] [--only-hostile] [--floor]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import multiprocessing
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bulk import RawClient  # noqa: E402  (the raw HTTP log-in, as bench/bulk.py does it)

RIGHT = "aes.sagsbehandler"
# Employees the saves can tick RIGHT for (one holding the other Se Sag right would be refused).
WITHOUT_RIGHTS = "company_id = 1 AND active = 1 AND id NOT IN (SELECT employee_id FROM employee_right)"
LIST = "/selvbetjening/medarbejdere"
# A searched name is folded like the portal folds it: "søren" also finds "Soren".
SEARCHES = {
    "name search broad": {"navn": "søren"},
    "name search narrow": {"navn": "Åse Ærbø"},
    "name search 1 letter": {"navn": "a"},
    "e-mail search": {"email": "aase.aerboe@"},
    "group filter": {"gruppe": "Jura Nord"},
}
_VERSION = re.compile(r'name="version" value="(\d+)"')
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_COUNT = re.compile(r'class="count">(\d+) medarbejder')
_TICKED = re.compile(r'<input[^>]*name="right"[^>]*>')
# The slow searches of #20, 5: trigrams that most names and e-mails hold ("Jensen", "Hansen"),
# FTS5's costliest phrase for its length.
HOSTILE_NAME = ("sen" * 34)[:100]
HOSTILE_EMAIL = ("sen" * 85)[:254]
DOMAIN = "@kommune-demo.dk"  # every generated employee's e-mail ends so
HOSTILE_SEARCHES = [
    {"navn": HOSTILE_NAME},
    {"navn": HOSTILE_NAME, "email": HOSTILE_EMAIL, "status": "alle"},
    {"email": (DOMAIN * 16)[:254], "status": "alle"},  # the index matches every employee
    {"email": DOMAIN[1:], "status": "alle"},  # ... and so does the search: over the portal's bound
]
TOO_MUCH_WORK = "Søgningen kræver for meget arbejde"  # the portal's message when it stops a search
TOO_MANY_SEARCHES = "Du har søgt meget på kort tid"  # ... and when a session has used its allowance


def build(size: int, folder: Path) -> tuple[Path, float, float]:
    """A demo database grown to ``size`` employees; returns it, and the seconds the growth took
    (wall clock, and CPU: on a busy machine the CPU time tells more)."""
    from mock_portal import create_app
    from mock_portal.db import get_db, reset_demo_database
    from mock_portal.generate import grow_demo_company

    path = folder / f"portal-{size}.sqlite"
    app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench"})
    with app.app_context():
        reset_demo_database()
        started, cpu = time.perf_counter(), time.process_time()
        grow_demo_company(get_db(), size)
        return path, time.perf_counter() - started, time.process_time() - cpu


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Portal:
    """``sesag portal --db`` in its own process on a free port."""

    def __init__(self, size: int, database: Path, code: Path | None = None):
        """``code``: a checkout of the project to serve the portal from (default: this one)."""
        self.size = size
        self.database = database
        self.code = code
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "SESAG_SECRET_KEY": "bench"}
        command = [str(Path(sys.executable).with_name("sesag"))]
        if code is not None:  # its own packages first on the path; the same venv's dependencies
            env["PYTHONPATH"] = str(code)
            command = [sys.executable, "-c", "from flows.cli import main; main()"]
        # The portal's log goes to a file: waitress warns on every queued request under load, and
        # a pipe nobody reads fills up (64 KB) and then stops every thread that logs.
        self.log = database.with_suffix(".log")
        self.process = subprocess.Popen(
            [*command, "portal", "--db", str(database), "--port", str(port)],
            cwd=code or ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).close()
                return
            except OSError as error:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"the portal did not start: {self.log.read_text(errors='replace')[-2000:]}"
                    ) from error
                time.sleep(0.1)

    def memory_mb(self) -> tuple[float, float]:
        """(RSS now, peak RSS) in MB, from /proc."""
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines())
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def cpu_seconds(self) -> float:
        """CPU time the portal process has used (user + system), from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None  # the save's own answer is timed, not the page it redirects to


class TimedClient(RawClient):
    """RawClient that times each request's round trip (the answer read, before any parsing)."""

    def __init__(self, base_url: str):
        super().__init__(base_url)
        jar = next(h.cookiejar for h in self.opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor))
        self.poster = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())

    def fetch(self, url: str) -> tuple[float, str]:
        """(seconds, body) of one GET, redirects followed."""
        request = urllib.request.Request(urllib.parse.urljoin(self.base_url + "/", url))
        started = time.perf_counter()
        with self.opener.open(request, timeout=30) as response:
            body = response.read().decode("utf-8")
        return time.perf_counter() - started, body

    def save_rights(self, rights_url: str, grant: bool | None = None, page: str | None = None) -> float:
        """Open the rights page (unless its ``page`` is given), then save it with RIGHT ticked
        (``grant``), or toggled when None; returns the save's seconds (the POST until its
        redirect answer)."""
        html = page if page is not None else self.fetch(rights_url)[1]
        ticked = {re.search(r'value="([^"]+)"', box).group(1) for box in _TICKED.findall(html) if " checked" in box}
        if grant is None:
            grant = RIGHT not in ticked
        data = [("csrf_token", _TOKEN.search(html).group(1)), ("version", _VERSION.search(html).group(1))]
        data += [("right", value) for value in sorted(ticked - {RIGHT}) + ([RIGHT] if grant else [])]
        request = urllib.request.Request(
            urllib.parse.urljoin(self.base_url + "/", rights_url), data=urllib.parse.urlencode(data).encode()
        )
        started = time.perf_counter()
        try:
            self.poster.open(request, timeout=30).close()
        except urllib.error.HTTPError as answer:
            if answer.code not in (302, 303) or "/rettigheder" not in answer.headers.get("Location", ""):
                raise RuntimeError(f"save answered {answer.code}") from None
        else:
            raise RuntimeError("save answered without a redirect")
        return time.perf_counter() - started


def log_in(url: str) -> TimedClient:
    client = TimedClient(url)
    client.log_in("admin", "nemid-demo")
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def middle_employee(database: Path) -> int:
    with sqlite3.connect(database) as db:
        ids = [row[0] for row in db.execute(f"SELECT id FROM employee WHERE {WITHOUT_RIGHTS} ORDER BY id")]
    return ids[len(ids) // 2]


def latency(
    portals: list[Portal], requests: int
) -> tuple[dict[str, dict[int, list[float]]], dict[str, dict[int, float]]]:
    """Seconds per request, by page and size, the sizes asked in turn; and the portal's CPU
    seconds per request (mean), which other processes' load does not inflate."""
    clients = {portal.size: log_in(portal.url) for portal in portals}
    pages = {}
    for portal in portals:
        count = int(_COUNT.search(clients[portal.size].fetch(LIST)[1]).group(1))
        last = -(-count // 15)
        employee = f"{LIST}/{middle_employee(portal.database)}"
        pages[portal.size] = {
            "list first page": LIST,
            "list middle page": f"{LIST}?side={last // 2}",
            "list last page": f"{LIST}?side={last}",
            **{label: f"{LIST}?{urllib.parse.urlencode(query)}" for label, query in SEARCHES.items()},
            "employee page": employee,
            "rights page": f"{employee}/rettigheder",
            "events page": f"{employee}/haendelser",
            "rights save": f"{employee}/rettigheder",
        }
    times: dict[str, dict[int, list[float]]] = {
        label: {p.size: [] for p in portals} for label in pages[portals[0].size]
    }
    cpu = {label: {p.size: 0.0 for p in portals} for label in times}
    for round_number in range(requests):
        for label in times:
            for portal in portals:
                client, url = clients[portal.size], pages[portal.size][label]
                if label == "rights save":
                    _, html = client.fetch(url)  # the page the save reads its form from, not counted
                    before = portal.cpu_seconds()
                    times[label][portal.size].append(client.save_rights(url, grant=round_number % 2 == 0, page=html))
                else:
                    before = portal.cpu_seconds()
                    times[label][portal.size].append(client.fetch(url)[0])
                cpu[label][portal.size] += (portal.cpu_seconds() - before) / requests
    return times, cpu


def concurrency(portal: Portal, admins: int, seconds: float) -> dict:
    """``admins`` sessions saving rights at once on their own employees; then checks the database."""
    with sqlite3.connect(portal.database) as db:
        ids = [
            row[0]
            for row in db.execute(
                f"SELECT id FROM employee WHERE {WITHOUT_RIGHTS} ORDER BY id DESC LIMIT ?", (admins * 5,)
            )
        ]
        before = {
            row[0]: row[1]
            for row in db.execute(
                f"SELECT id, rights_version FROM employee WHERE id IN ({','.join('?' * len(ids))})", ids
            )
        }
        events_before = db.execute("SELECT COUNT(*) FROM event").fetchone()[0]
    clients = [log_in(portal.url) for _ in range(admins)]
    saves: list[float] = []
    changes = {employee: 0 for employee in ids}
    errors: list[str] = []
    requests = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def work(index: int) -> None:
        mine = ids[index * 5 : (index + 1) * 5]
        turn = 0
        while time.monotonic() < stop_at:
            employee = mine[turn % len(mine)]
            url = f"{LIST}/{employee}/rettigheder"
            try:
                save_seconds = clients[index].save_rights(url)
            except (RuntimeError, AttributeError, OSError) as error:
                with lock:
                    errors.append(f"{employee}: {error}")
                continue
            with lock:
                saves.append(save_seconds)
                changes[employee] += 1
                requests[0] += 2  # the rights page, the save
            turn += 1

    started, cpu = time.perf_counter(), portal.cpu_seconds()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(admins)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, portal.cpu_seconds() - cpu
    with sqlite3.connect(portal.database) as db:
        after = {
            row[0]: row[1]
            for row in db.execute(
                f"SELECT id, rights_version FROM employee WHERE id IN ({','.join('?' * len(ids))})", ids
            )
        }
        events = db.execute("SELECT COUNT(*) FROM event").fetchone()[0] - events_before
    lost = sum(abs(after[e] - before[e] - changes[e]) for e in ids) + abs(events - sum(changes.values()))
    return {
        "saves": len(saves),
        "errors": errors,
        "lost": lost,
        "seconds": elapsed,
        "requests": requests[0],
        "cpu": cpu,
        "p50": percentile(saves, 0.50),
        "p95": percentile(saves, 0.95),
        "p99": percentile(saves, 0.99),
    }


def _normal_pages(portal: Portal) -> list[str]:
    """What the normal administrator opens, in turn: the list, searches, an employee, the rights."""
    employee = f"{LIST}/{middle_employee(portal.database)}"
    return [
        LIST,
        f"{LIST}?{urllib.parse.urlencode(SEARCHES['name search broad'])}",
        f"{LIST}?{urllib.parse.urlencode(SEARCHES['e-mail search'])}",
        employee,
        f"{employee}/rettigheder",
    ]


def normal_admin(client: TimedClient, pages: list[str], seconds: float) -> tuple[list[float], int]:
    """One administrator opening ``pages`` in turn for ``seconds``: (seconds per request, errors)."""
    times, errors = [], 0
    stop_at = time.monotonic() + seconds
    for page in itertools.cycle(pages):
        if time.monotonic() >= stop_at:
            break
        try:
            times.append(client.fetch(page)[0])
        except OSError:  # urllib's HTTPError and timeouts
            errors += 1
    return times, errors


def _hostile_client(url: str, pages: list[str], seconds: float, ready, login_lock, results) -> None:
    try:
        with login_lock:  # one at a time: a log-in's key card is the user's, a second log-in changes it
            client = log_in(url)
    except (OSError, RuntimeError) as error:
        ready.abort()
        results.put(({f"log-in failed ({error})": 1}, []))
        return
    try:
        ready.wait()  # every hostile client logged in: they start together
    except threading.BrokenBarrierError:
        results.put(({}, []))
        return
    outcome: dict[str, int] = {}
    times = []
    stop_at = time.monotonic() + seconds
    for page in itertools.cycle(pages):
        if time.monotonic() >= stop_at:
            break
        started = time.perf_counter()
        try:
            client.fetch(page)
            kind = "answered (200)"
        except urllib.error.HTTPError as answer:
            body = answer.read().decode("utf-8", "replace")
            if TOO_MUCH_WORK in body:
                kind = f"stopped with the message ({answer.code})"
            elif TOO_MANY_SEARCHES in body:
                kind = f"told to wait ({answer.code})"
            else:
                kind = f"error {answer.code}"
        except OSError as error:
            kind = f"error {type(error).__name__}"
        times.append(time.perf_counter() - started)
        outcome[kind] = outcome.get(kind, 0) + 1
    results.put((outcome, times))


def _hostile_process(url: str, pages: list[str], clients: int, seconds: float, started, results) -> None:
    """``clients`` hostile sessions in threads of this process (not the measuring one's)."""
    ready, login_lock = threading.Barrier(clients + 1), threading.Lock()
    threads = [
        threading.Thread(target=_hostile_client, args=(url, pages, seconds, ready, login_lock, results))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a log-in failed: reported by its thread
        ready.wait()
    started.set()
    for thread in threads:
        thread.join()


HOSTILE_PAGES = [f"{LIST}?{urllib.parse.urlencode(query)}" for query in HOSTILE_SEARCHES]
FLOOR_PAGES = ["/selvbetjening/"]  # --floor: the cheapest page after log-in, the same clients


def hostile(portal: Portal, clients: int, seconds: float, pages_asked: list[str] = HOSTILE_PAGES) -> dict:
    """The normal administrator alone, then with ``clients`` hostile clients asking for
    ``pages_asked`` back to back for ``seconds``."""
    pages = _normal_pages(portal)
    alone, alone_errors = normal_admin(log_in(portal.url), pages, seconds / 2)
    admin = log_in(portal.url)  # before the hostile clients log in (the same user: one at a time)
    context = multiprocessing.get_context("spawn")
    started, results = context.Event(), context.Queue()
    process = context.Process(
        target=_hostile_process, args=(portal.url, pages_asked, clients, seconds + 2, started, results)
    )
    process.start()
    started.wait(timeout=120)
    time.sleep(1)  # the hostile searches under way before the first measured request
    loaded, loaded_errors = normal_admin(admin, pages, seconds)
    outcome: dict[str, int] = {}
    hostile_times: list[float] = []
    for _ in range(clients):
        counts, times = results.get(timeout=120)
        hostile_times += times
        for kind, count in counts.items():
            outcome[kind] = outcome.get(kind, 0) + count
    process.join(timeout=60)
    return {
        "alone": alone,
        "alone errors": alone_errors,
        "loaded": loaded,
        "loaded errors": loaded_errors,
        "hostile": outcome,
        "hostile times": hostile_times,
    }


def _merge(into: dict, result: dict) -> None:
    for key, value in result.items():
        if isinstance(value, list):
            into.setdefault(key, []).extend(value)
        elif isinstance(value, dict):
            for kind, count in value.items():
                into.setdefault(key, {})[kind] = into.setdefault(key, {}).get(kind, 0) + count
        else:
            into[key] = into.get(key, 0) + value


def report_hostile(portals: list[Portal], clients: int, seconds: float, rounds: int, floor: bool = False) -> None:
    """The hostile scenario on each portal (sides A B A B), its figures, and the ratio. With
    ``floor`` the clients ask for the cheapest page instead: what any such clients cost."""
    label = {id(p): ("this checkout" if p.code is None else f"{p.code}") for p in portals}
    what = "the overview page (--floor)" if floor else "hostile searches"
    print(
        f"\n{what} at {portals[0].size:,} employees: {clients} clients for {seconds:.0f} s"
        f" x {rounds} round(s) per side, one normal administrator ({', '.join(label.values())})",
        flush=True,
    )
    merged: dict[int, dict] = {id(p): {} for p in portals}
    for round_number in range(rounds):
        for portal in portals if round_number % 2 == 0 else portals[::-1]:
            _merge(merged[id(portal)], hostile(portal, clients, seconds, FLOOR_PAGES if floor else HOSTILE_PAGES))
    for portal in portals:
        result = merged[id(portal)]
        alone, loaded = result["alone"], result["loaded"]
        print(f"  {label[id(portal)]}:")
        print(
            f"    normal administrator alone:  p50 {percentile(alone, 0.5):7.1f} ms, p95 {percentile(alone, 0.95):7.1f} ms"
            f" ({len(alone)} requests, {result['alone errors']} errors)"
        )
        print(
            f"    ... with {clients} hostile clients: p50 {percentile(loaded, 0.5):7.1f} ms, p95 {percentile(loaded, 0.95):7.1f} ms"
            f" ({len(loaded)} requests in {seconds * rounds:.0f} s, {result['loaded errors']} errors)"
        )
        outcome = ", ".join(f"{count} {kind}" for kind, count in sorted(result["hostile"].items()))
        times = result["hostile times"]
        print(f"    {what}: {outcome}; p50 {percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms")
    if len(portals) == 2:
        first, second = (percentile(merged[id(p)]["loaded"], 0.95) for p in portals)
        print(
            f"  ratio of the administrator's p95 under hostile load: {first / second:.2f}x ({label[id(portals[0])]} / {label[id(portals[1])]})"
        )


def run_hostile(portals: list[Portal], args) -> None:
    """The hostile scenario on the largest portal, and on --compare-with's (added to ``portals``
    so that it is stopped with them) on a copy of its database."""
    largest = portals[-1]
    sides = [largest]
    if args.compare_with:
        copy = largest.database.with_name(f"compared-{largest.size}.sqlite")
        shutil.copyfile(largest.database, copy)
        sides.append(Portal(largest.size, copy, code=args.compare_with.resolve()))
        portals.append(sides[-1])
    report_hostile(sides, args.hostile, args.hostile_seconds, args.rounds)
    if args.floor:
        report_hostile(sides, args.hostile, args.hostile_seconds, args.rounds, floor=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="requests per page and size (default 30)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the concurrent run (default 60)")
    parser.add_argument("--admins", type=int, default=20, help="administrators saving at once (default 20)")
    parser.add_argument("--sizes", default="500,5000,50000", help="employees per portal (default 500,5000,50000)")
    parser.add_argument("--hostile", type=int, default=8, help="clients sending slow searches (default 8; 0: none)")
    parser.add_argument("--hostile-seconds", type=float, default=20, help="length of each hostile run (default 20)")
    parser.add_argument("--rounds", type=int, default=2, help="hostile runs per side (default 2)")
    parser.add_argument(
        "--compare-with", type=Path, metavar="DIR", help="another checkout of the code: its portal is side B"
    )
    parser.add_argument("--only-hostile", action="store_true", help="only the hostile scenario, at the largest size")
    parser.add_argument(
        "--floor", action="store_true", help="also the same clients asking for the cheapest page (the floor)"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.only_hostile:
        sizes = sizes[-1:]
    with tempfile.TemporaryDirectory(prefix="sesag-bench-") as folder:
        portals = []
        try:
            for size in sizes:
                database, seconds, cpu = build(size, Path(folder))
                print(f"{size:>6} employees generated in {seconds:.1f} s ({cpu:.1f} s CPU)", flush=True)
                portals.append(Portal(size, database))
            if args.only_hostile:
                run_hostile(portals, args)
                return
            print(f"\nlatency over HTTP, {args.requests} requests each (ms, p50 / p95)", flush=True)
            times, cpu = latency(portals, args.requests)
            header = "".join(f"{size:>16,}" for size in sizes)
            growth = len(sizes) >= 2
            print(f"{'':22}{header}" + (f"{'growth':>10}" if growth else ""))
            for label, by_size in times.items():
                cells = "".join(f"{percentile(v, 0.5):7.1f} /{percentile(v, 0.95):6.1f}" for v in by_size.values())
                ratio = percentile(by_size[sizes[-1]], 0.95) / percentile(by_size[sizes[-2]], 0.95) if growth else 0
                print(f"{label:22}{cells}" + (f"{ratio:9.2f}x" if growth else ""))
            if growth:
                print(f"(growth: p95 at {sizes[-1]:,} / p95 at {sizes[-2]:,})")
            print("\nthe portal's CPU per request (ms, mean; not inflated by other processes' load)")
            print(f"{'':22}{''.join(f'{size:>10,}' for size in sizes)}" + (f"{'growth':>10}" if growth else ""))
            for label, by_size in cpu.items():
                cells = "".join(f"{seconds * 1000:10.1f}" for seconds in by_size.values())
                ratio = by_size[sizes[-1]] / by_size[sizes[-2]] if growth and by_size[sizes[-2]] else 0
                print(f"{label:22}{cells}" + (f"{ratio:9.2f}x" if growth else ""))
            largest = portals[-1]
            print(
                f"\n{args.admins} administrators saving rights at once for {args.seconds:.0f} s at {largest.size:,}",
                flush=True,
            )
            result = concurrency(largest, args.admins, args.seconds)
            print(f"saves {result['saves']}, errors {len(result['errors'])}, lost updates {result['lost']}")
            print(f"save p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, p99 {result['p99']:.1f} ms")
            print(
                f"{result['requests'] / result['seconds']:.0f} requests/s ({result['saves'] / result['seconds']:.0f} saves/s);"
                f" the portal's CPU {result['cpu'] / max(1, result['requests']) * 1000:.1f} ms per request"
            )
            for error in result["errors"][:5]:
                print(f"  error: {error}")
            now, peak = largest.memory_mb()
            print(f"\nportal process at {largest.size:,} employees: RSS {now:.0f} MB (peak {peak:.0f} MB)")
            if args.hostile:
                run_hostile(portals, args)
        finally:
            for portal in portals:
                portal.stop()


if __name__ == "__main__":
    main()
