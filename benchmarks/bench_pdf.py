"""PDF benchmark: bare WeasyPrint render vs the draft PDF endpoint vs the stored finalised
download, and HTML page latency with and without concurrent PDF exports — in one run.

    .venv/bin/python benchmarks/bench_pdf.py            # about 2 minutes on 2 cores
    .venv/bin/python benchmarks/bench_pdf.py --quick    # shorter phases, for a smoke test

Everything runs on loopback against gunicorn (2 sync workers, DEBUG off) with a throwaway
SQLite database and media folder, plus the django-tasks worker (`db_worker`, nice 10) as
`make run` starts it. Load comes from wrk (-t2 -c20, as in the stack notes' baselines) for a
fixed duration and from bounded Python loops. Compare the ratios, not the absolute numbers:
they drift with the machine's load. Results go to stdout (and --json).
"""

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import (
    PAGES_LUA,
    Background,
    Client,
    environment,
    manage,
    seed,
    start_servers,
    stop,
    summary,
    wrk,
)


def bare_render(draft, iterations):
    from django.template.loader import render_to_string

    from assessments.reports.context import REPORT_TEMPLATE, load_for_report, report_context
    from assessments.reports.pdf import html_to_pdf

    html = render_to_string(REPORT_TEMPLATE, report_context(load_for_report(draft.pk)))
    html_to_pdf(html)  # warm-up: imports WeasyPrint, loads fonts
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        html_to_pdf(html)
        samples.append(time.perf_counter() - started)
    return samples


def enqueue_exports(data, *, reports_per_job):
    """Keep the task worker busy with ZIP exports of more than 20 signed reports, started
    as the export page starts them (exports.services: role check, job and task in one
    transaction), so the benchmark measures the path users take."""
    from exports.archive import SYNC_LIMIT
    from exports.models import ExportJob
    from exports.services import start_reports_export

    ids = [a.pk for a in data["finalised"][:reports_per_job]]
    if len(ids) <= SYNC_LIMIT:
        # Up to SYNC_LIMIT the service builds the ZIP in the calling process: no worker load.
        sys.exit(f"bench_pdf.py needs more than {SYNC_LIMIT} signed reports per export")
    unfinished = [ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]

    def one_export():
        started = start_reports_export(clinic=data["clinic"], by=data["manager"], ids=ids)
        while ExportJob.objects.filter(pk=started.job.pk, status__in=unfinished).exists():
            time.sleep(0.2)

    return one_export


def run(args):
    if not shutil.which("wrk"):
        sys.exit("bench_pdf.py needs wrk (Debian: apt-get install wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="exocheck-bench-"))
    env = environment(workdir)
    print(f"work folder {workdir}", file=sys.stderr)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    data = seed(env, finalised_count=args.finalised)
    web, worker = start_servers(env, args.port, workdir)
    client = Client(args.port, data["cookie"])
    draft_url = f"/assessments/{data['draft'].pk}/report/preview.pdf"
    final_url = f"/assessments/{data['finalised'][0].pk}/report.pdf"
    pages = ["/", "/assessments/", "/assessments/review/", "/exports/"]
    script = workdir / "pages.lua"
    script.write_text(PAGES_LUA % ", ".join(f'"{page}"' for page in pages))
    results = {"pdf_bytes": data["pdf_bytes"], "load_average_before": os.getloadavg()}

    def pages_wrk():
        # As many connections as web workers: latency without queueing behind our own load
        # generator, so what a page waits for is the PDF work, not other page requests.
        return wrk(
            args.port,
            data["cookie"],
            "/",
            connections=args.page_connections,
            duration=args.duration,
            script=script,
        )

    def pages_under(*loads):
        """The page mix under wrk while `loads` (Background instances) run."""
        with contextlib.ExitStack() as stack:
            running = [stack.enter_context(load) for load in loads]
            measured = pages_wrk()
        return measured, [load.calls for load in running]

    try:
        for page in pages:  # warm both workers: imports, template caches, WeasyPrint
            client.timed(page, 4)
        client.timed(draft_url, 4)
        client.timed(final_url, 10)

        # 1. One render, three ways: bare, through the draft endpoint, and stored.
        bare = bare_render(data["draft"], args.iterations)
        draft = client.timed(draft_url, args.iterations)
        stored = client.timed(final_url, args.downloads)
        results["bare_render"] = summary(bare)
        results["draft_endpoint"] = summary(draft)
        results["stored_download_sequential"] = summary(stored)
        results["stored_download_wrk_c20"] = wrk(
            args.port, data["cookie"], final_url, connections=20, duration=args.duration
        )
        results["draft_endpoint_wrk_c2"] = wrk(
            args.port, data["cookie"], draft_url, connections=2, duration=args.duration
        )
        render_rate = 1 / statistics.median(bare)
        results["render_rate_per_s"] = round(render_rate, 2)
        results["ratio_draft_vs_bare"] = round(
            statistics.median(draft) / statistics.median(bare), 3
        )
        results["ratio_stored_sequential_vs_render_rate"] = round(
            (1 / statistics.median(stored)) / render_rate, 1
        )
        results["ratio_stored_wrk_vs_render_rate"] = round(
            results["stored_download_wrk_c20"]["requests_per_s"] / render_rate, 1
        )
        results["ratio_stored_wrk_vs_draft_wrk"] = round(
            results["stored_download_wrk_c20"]["requests_per_s"]
            / results["draft_endpoint_wrk_c2"]["requests_per_s"],
            1,
        )

        # 2. HTML pages (dashboard, assessments, review queue, register) under wrk.
        unloaded = pages_wrk()
        results["pages_unloaded"] = unloaded

        one_export = enqueue_exports(data, reports_per_job=args.finalised)
        # The target: background ZIP exports (> 20 signed reports each) by the task worker.
        loaded, (exports,) = pages_under(Background(one_export, threads=2))
        results["pages_during_exports"] = {**loaded, "exports_completed": exports}
        results["ratio_p99_exports_vs_unloaded"] = round(loaded["p99_ms"] / unloaded["p99_ms"], 2)
        # For context: the same exports plus two users downloading signed PDFs meanwhile.
        loaded, (exports, downloads) = pages_under(
            Background(one_export, threads=2),
            Background(lambda: client.get(final_url), threads=2),
        )
        results["pages_during_exports_and_downloads"] = {
            **loaded,
            "exports_completed": exports,
            "downloads": downloads,
        }
        results["ratio_p99_exports_downloads_vs_unloaded"] = round(
            loaded["p99_ms"] / unloaded["p99_ms"], 2
        )
        # For context: two users previewing draft PDFs, rendered inside the web workers.
        loaded, (previews,) = pages_under(Background(lambda: client.get(draft_url), threads=2))
        results["pages_during_draft_previews"] = {**loaded, "previews": previews}
        results["ratio_p99_previews_vs_unloaded"] = round(loaded["p99_ms"] / unloaded["p99_ms"], 2)
        results["load_average_after"] = os.getloadavg()
    finally:
        stop(web)
        stop(worker)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--iterations", type=int, default=15, help="renders per measurement")
    parser.add_argument("--downloads", type=int, default=400, help="stored PDF downloads")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk phase")
    parser.add_argument("--page-connections", type=int, default=2, help="wrk -c for pages")
    parser.add_argument("--finalised", type=int, default=40, help="signed reports seeded")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if args.quick:
        args.iterations, args.downloads, args.duration, args.finalised = 4, 80, 3, 25
    results = run(args)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
