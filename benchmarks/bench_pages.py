"""Page benchmark: every main page of a clinic with 100 and with 10,000 assessments, among
1,000 other clinics, against a bare Django 50-row page served by the same gunicorn — one run.

    .venv/bin/python benchmarks/bench_pages.py              # about 11 minutes on 2 cores
    .venv/bin/python benchmarks/bench_pages.py --quick      # smoke run, under a minute
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/exocheck_perf \\
        .venv/bin/python benchmarks/bench_pages.py --json /tmp/pages-pg.json

Both sizes live in one database as two clinics (the "100" clinic and the "10,000" clinic),
each with its signed-in practice manager, so a page is measured at both sizes back to back
and the 10k/100 ratio does not drift with the machine's other load between two set-ups.
gunicorn runs 2 sync workers, DEBUG off, with benchmarks/settings.py (the project's settings
plus the bare page's URL). wrk -t2 -c20 for a fixed duration per page and size, three rounds
with the sizes alternating (100, 10,000, 10,000, 100, 100, 10,000) and the median of each
size's rounds reported, so one slow stretch of the machine cannot decide a figure; the bare
page is measured before each page and at the end, and each page is compared with the two bare
runs beside it.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from harness import (
    PASSWORD,
    ROOT,
    Client,
    environment,
    manage,
    scratch_database,
    session_cookie,
    start_web,
    stop,
    wrk,
)
from seed_pages import ASSESSMENTS_PER_PRODUCT, Seeder, search_term

BARE = "/__bench__/bare/"
# (name, path, kind): a list page's target is 1.0 x bare, a detail page's 1.5 x.
PAGES = (
    ("dashboard /", "/", "list"),
    ("/assessments/", "/assessments/", "list"),
    ("/assessments/?q=…", "/assessments/?q={q}", "list"),
    ("review queue", "/assessments/review/", "list"),
    ("/suppliers/", "/suppliers/", "list"),
    ("/products/", "/products/", "list"),
    ("assessment detail", "/assessments/{detail}/", "detail"),
    ("register export /exports/", "/exports/", "list"),
    ("approved register /register/", "/register/", "list"),
)
TARGET_BARE = {"list": 1.0, "detail": 1.5}
FULL_PAGE = 20  # rows on the suppliers, products and assessments pages
REGISTER_PAGE = 25  # rows on the approved-products register (lifecycle/views.py)
TARGET_GROWTH = 0.8
TARGET_P99_MS = 150


def seed(env, args):
    """The two measured clinics and the crowd; returns per size its cookie and detail id."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from clinics.models import Clinic
    from tests.factories import UserFactory

    seeder = Seeder()
    measured = {}
    for size in (args.small, args.large):
        clinic = seeder.clinic(f"measured-{size}")
        manager, device = seeder.manager(clinic, f"manager{size}", PASSWORD)
        # 20 assessments per product; at least a full page of products (25, the register's)
        # and of suppliers (20) at either size, so a page's growth is the data's, not a
        # half-empty page filling up.
        products = seeder.catalogue(
            [clinic],
            products_per_clinic=max(REGISTER_PAGE, size // ASSESSMENTS_PER_PRODUCT),
            suppliers_per_clinic=FULL_PAGE,
        )[clinic.pk]
        detail = seeder.prototype(products[0], manager)  # made and finalised as the app does
        measured[size] = {
            "plan": (clinic, products, size - 1, manager),
            "cookie": session_cookie(manager, device),
            "detail": detail.pk,
        }
    crowd = Clinic.objects.bulk_create(
        [Clinic(name=f"Clinic {n}", slug=f"crowd-{n}") for n in range(args.clinics)]
    )
    catalogue = seeder.catalogue(crowd, products_per_clinic=2)
    staff = UserFactory(username="crowdstaff")
    seeder.assessments(
        [m["plan"] for m in measured.values()]
        + [(clinic, catalogue[clinic.pk], args.per_clinic, staff) for clinic in crowd]
    )
    seeder.analyse()
    from django.db import connections

    connections.close_all()  # SQLite: no open handle while gunicorn serves
    return measured


def query_counts(measured, q):
    """Queries per page at each size, in-process (the figure the tests assert constant)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for size, data in measured.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = data["cookie"].split("=", 1)[1]
        for name, path, _ in PAGES:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path.format(q=q, detail=data["detail"]))
            if response.status_code != 200:
                raise RuntimeError(f"{path} at {size}: HTTP {response.status_code}")
            counts.setdefault(name, {})[size] = len(queries)
    connection.close()
    return counts


def drain(port, cookie):
    """Wait until both workers are free: wrk stops at its deadline, but gunicorn still
    serves the requests it had accepted (20 slow ones can take a minute). One request per
    worker, sent together, returns only once each has worked through its queue."""

    def get():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        connection.request("GET", BARE, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        connection.getresponse().read()
        connection.close()

    threads = [threading.Thread(target=get) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure(args, port, measured, q):
    def one(path, cookie):
        result = wrk(
            port,
            cookie,
            path,
            connections=args.connections,
            duration=args.duration,
            tolerate_timeouts=True,
        )
        drain(port, cookie)
        return result

    rounds, bare = {}, []
    any_cookie = measured[args.small]["cookie"]
    for data in measured.values():  # warm both workers: imports, template caches
        client = Client(port, data["cookie"])
        for _, path, _ in PAGES:
            client.timed(path.format(q=q, detail=data["detail"]), args.warm_up)
        client.timed(BARE, args.warm_up)
    for name, path, _ in PAGES:
        # The yardstick beside each page (before it, and after it as the next one's): the
        # machine's speed drifts by a third within a run, so a page is compared with the
        # bare page measured around it, not with one measured minutes away.
        bare.append(one(BARE, any_cookie))
        # The sizes alternate (small, large, large, small, …) so that a change in the
        # machine's other load falls on both sizes, not on whichever ran second.
        for turn in range(args.rounds):
            sizes = list(measured.items())
            for size, data in sizes if turn % 2 == 0 else reversed(sizes):
                result = one(path.format(q=q, detail=data["detail"]), data["cookie"])
                rounds.setdefault(name, {}).setdefault(size, []).append(result)
                print(f"  {name} @ {size} (round {turn + 1}): {result}", file=sys.stderr)
    bare.append(one(BARE, any_cookie))
    return {
        name: {size: combined(runs) for size, runs in by_size.items()}
        for name, by_size in rounds.items()
    }, bare


def combined(runs: list[dict]) -> dict:
    """A page at one size over its rounds: the median of each figure, and the rounds."""
    return {
        "requests_per_s": round(statistics.median(r["requests_per_s"] for r in runs), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
        "rounds": runs,
    }


def missed(row, small, large) -> list[str]:
    """The targets a page misses: growth (10k vs 100), bare (either size), p99 (at 10k)."""
    return [
        name
        for name, ok in (
            ("growth", row["growth_ratio"] >= TARGET_GROWTH),
            (
                "bare",
                min(row[f"bare_ratio_{small}"], row[f"bare_ratio_{large}"])
                >= TARGET_BARE[row["kind"]],
            ),
            ("p99", row[f"p99_ms_{large}"] <= TARGET_P99_MS),
        )
        if not ok
    ]


def report(args, results, bare, counts):
    """Each page's × bare is against the bare page measured just before and just after it
    (their mean); `bare_rps` is the run's median, for the record."""
    bare_rps = statistics.median(b["requests_per_s"] for b in bare)
    small, large = args.small, args.large
    rows = []
    for index, (name, _, kind) in enumerate(PAGES):
        at_small, at_large = results[name][small], results[name][large]
        around = [b["requests_per_s"] for b in bare[index : index + 2]]
        beside = statistics.mean(around)
        row = {
            "page": name,
            "kind": kind,
            "queries": counts[name],
            f"rps_{small}": at_small["requests_per_s"],
            f"p99_ms_{small}": at_small["p99_ms"],
            "bare_beside": round(beside, 1),
            f"bare_ratio_{small}": round(at_small["requests_per_s"] / beside, 2),
            f"rps_{large}": at_large["requests_per_s"],
            f"p99_ms_{large}": at_large["p99_ms"],
            f"bare_ratio_{large}": round(at_large["requests_per_s"] / beside, 2),
            "growth_ratio": round(
                at_large["requests_per_s"] / max(at_small["requests_per_s"], 0.01), 2
            ),
        }
        row["missed"] = missed(row, small, large)
        rows.append(row)
    return {"bare": bare, "bare_rps": round(bare_rps, 1), "pages": rows}


def table(args, summary, vendor):
    small, large = args.small, args.large
    lines = [
        f"database: {vendor}; bare 50-row page: {summary['bare_rps']} req/s "
        f"(median of {len(summary['bare'])}, one before each page and one at the end; each "
        f"page's × bare is against the two beside it); wrk -t2 -c{args.connections} "
        f"-d{args.duration}s; each page: median of {args.rounds} round(s) per size, sizes "
        "alternating",
        f"| page | queries {small} / {large} | bare beside | {small}: req/s | p99 ms | × bare "
        f"| {large}: req/s | p99 ms | × bare | {large}/{small} | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in summary["pages"]:
        queries = row["queries"]
        lines.append(
            f"| {row['page']} | {queries[small]} / {queries[large]} | {row['bare_beside']:.1f} "
            f"| {row[f'rps_{small}']:.1f} | {row[f'p99_ms_{small}']:.0f} "
            f"| {row[f'bare_ratio_{small}']:.2f} "
            f"| {row[f'rps_{large}']:.1f} | {row[f'p99_ms_{large}']:.0f} "
            f"| {row[f'bare_ratio_{large}']:.2f} | {row['growth_ratio']:.2f} "
            f"| {'all met' if not row['missed'] else 'missed: ' + ', '.join(row['missed'])} |"
        )
    return "\n".join(lines)


def run(args):
    if not shutil.which("wrk"):
        sys.exit("bench_pages.py needs wrk (Debian: apt-get install wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="exocheck-pages-"))
    print(f"work folder {workdir}", file=sys.stderr)
    env = {**environment(workdir), "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    (workdir / "static").mkdir()
    started = time.monotonic()
    web = None
    try:
        with scratch_database(env) as env:
            vendor = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
            manage(env, "migrate", "--noinput")
            measured = seed(env, args)
            seeded = time.monotonic()
            q = urllib.parse.quote_plus(search_term())
            counts = query_counts(measured, q)
            web = start_web(env, args.port, workdir)
            results, bare = measure(args, args.port, measured, q)
            stop(web)
            web = None
    finally:
        if web is not None:
            stop(web)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    summary = report(args, results, bare, counts)
    summary.update(
        {
            "database": vendor,
            "sizes": [args.small, args.large],
            "crowd_clinics": args.clinics,
            "search_term": q,
            "seconds_setup": round(seeded - started, 1),
            "seconds_total": round(time.monotonic() - started, 1),
            "load_average_after": os.getloadavg(),
        }
    )
    return summary, table(args, summary, vendor)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--small", type=int, default=100, help="assessments, small clinic")
    parser.add_argument("--large", type=int, default=10_000, help="assessments, large clinic")
    parser.add_argument("--clinics", type=int, default=1000, help="other clinics")
    parser.add_argument("--per-clinic", type=int, default=10, help="assessments each")
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=20, help="wrk -c")
    parser.add_argument(
        "--rounds", type=int, default=3, help="wrk runs per page and size, sizes alternating"
    )
    parser.add_argument("--warm-up", type=int, default=4, help="GETs per page before wrk")
    parser.add_argument(
        "--quick", action="store_true", help="smoke: small counts, 1 s of -c4 per page"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if args.quick:
        (args.small, args.large, args.clinics, args.per_clinic) = (20, 200, 20, 5)
        args.duration, args.connections, args.warm_up, args.rounds = 1, 4, 2, 1
    print(f"load average before: {os.getloadavg()}", file=sys.stderr)
    summary, text = run(args)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
