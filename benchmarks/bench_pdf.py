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
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "bench-password-2026-long"


def percentile(samples, fraction):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(samples):
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p90_ms": round(percentile(samples, 0.90) * 1000, 2),
        "p99_ms": round(percentile(samples, 0.99) * 1000, 2),
    }


# --- set-up: a throwaway project instance --------------------------------------------------


def environment(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "EXOCHECK_TESTING": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": env.get("BENCH_DATABASE_URL")
            or f"sqlite:///{workdir / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "WARNING",
            "AXES_ENABLED": "false",
        }
    )
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def seed(env, *, finalised_count: int) -> dict:
    """Create a clinic, a manager, one draft, and finalised assessments with stored PDFs."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.base import ContentFile

    from assessments.evaluation import refresh_findings
    from assessments.models import Assessment, EvidenceItem
    from assessments.services.signoff import sign_off
    from clinics.models import Clinic, Membership, Role, User
    from products.models import CellStatus, EvidenceType, ExosomeProduct, Route, SourceCategory
    from suppliers.models import Supplier

    clinic = Clinic.objects.create(name="Bench Clinic", slug="bench", address="1 Bench St\nLondon")
    manager = User.objects.create_user("benchmanager", password=PASSWORD, first_name="Bench")
    Membership.objects.create(user=manager, clinic=clinic, role=Role.PRACTICE_MANAGER)
    supplier = Supplier.objects.create(clinic=clinic, legal_name="Verdant Botanics Ltd")
    product = ExosomeProduct.objects.create(
        clinic=clinic, supplier=supplier, name="Green Tea Exosome Serum", marketed_as="cosmetic"
    )

    def assessment(status, lot):
        item = Assessment.objects.create(
            clinic=clinic,
            product=product,
            created_by=manager,
            status=status,
            batch_lot=lot,
            route=Route.objects.get(slug="topical-compromised-skin"),
            marketed_as="cosmetic",
            source_category=SourceCategory.objects.get(slug="plant"),
            source_answer="Camellia sinensis callus culture vesicles, no animal inputs.",
            cell_status=CellStatus.objects.get(slug="cell-free"),
            cell_status_answer="Cell-free, isolated by tangential flow filtration.",
            testing_answer="CoA per lot from an ISO 17025 lab; sterility and endotoxin per lot.",
            submitted_at=None if status == "draft" else django.utils.timezone.now(),
            submitted_by=None if status == "draft" else manager,
        )
        for slug in ("certificate-of-analysis", "gmp-certificate", "sterility", "endotoxin"):
            data = f"%PDF-1.4 {slug} {lot}".encode()
            evidence = EvidenceItem(
                clinic=clinic,
                assessment=item,
                evidence_type=EvidenceType.objects.get(slug=slug),
                lab="Eurofins Lab Ltd",
                lot=lot,
                result="pass",
                uploaded_by=manager,
                sha256=__import__("hashlib").sha256(data).hexdigest(),
                original_filename=f"{slug}.pdf",
            )
            evidence.file.save(f"{slug}.pdf", ContentFile(data), save=False)
            evidence.save()
        refresh_findings(item)
        item.save()
        return item

    draft = assessment("draft", "DRAFT-0001")
    first = sign_off(
        assessment=assessment("submitted", "LOT-0000"),
        by=manager,
        password=PASSWORD,
        meaning="approved",
        signed_name="Bench Manager",
        signed_role="Practice manager",
    )
    stored = first.report_pdf.read()
    finalised = [first]
    for index in range(1, finalised_count):
        # The same signed bytes under each record: the export cost does not depend on them.
        item = assessment("submitted", f"LOT-{index:04d}")
        item.status = "finalised"
        item.finalised_at = first.finalised_at
        item.signed_by, item.signed_name, item.signed_role = manager, "Bench Manager", "PM"
        item.signature_meaning = "approved"
        item.report_sha256 = first.report_sha256
        item.report_pdf.save(f"{item.document_id}.pdf", ContentFile(stored), save=False)
        item.save()
        finalised.append(item)

    session = SessionStore()
    session["_auth_user_id"] = str(manager.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = manager.get_session_auth_hash()
    session.create()

    from django.conf import settings

    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "draft": draft,
        "finalised": finalised,
        "clinic": clinic,
        "manager": manager,
        "pdf_bytes": len(stored),
    }


# --- HTTP client ------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int, cookie: str):
        self.port, self.cookie = port, cookie

    def get(self, path: str) -> tuple[float, int, int]:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path, headers={"Cookie": self.cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return time.perf_counter() - started, response.status, len(body)

    def timed(self, path: str, count: int, *, expect=200) -> list[float]:
        samples = []
        for _ in range(count):
            elapsed, status, _ = self.get(path)
            if status != expect:
                raise RuntimeError(f"GET {path} -> {status}")
            samples.append(elapsed)
        return samples


class Background:
    """A bounded background load: `target()` is called until stop() or `limit` calls."""

    def __init__(self, target, *, threads: int, limit: int = 10_000):
        self.target, self.limit, self.calls = target, limit, 0
        self.stop_event = threading.Event()
        self.pool = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self):
        while not self.stop_event.is_set() and self.calls < self.limit:
            self.calls += 1
            self.target()

    def __enter__(self):
        for thread in self.pool:
            thread.start()
        time.sleep(1.0)  # let the load reach a steady state before measuring
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.pool:
            thread.join(timeout=120)


# --- the run ----------------------------------------------------------------------------------


GUNICORN = ["-m", "gunicorn", "config.wsgi", "--workers", "2", "--timeout", "120"]


def start_servers(env, port, workdir):
    """gunicorn (2 sync workers) and the task worker at nice 10, as `make run` starts it."""
    with open(workdir / "servers.log", "w") as logs:
        options = {
            "cwd": ROOT,
            "env": env,
            "stdout": logs,
            "stderr": subprocess.STDOUT,
            "start_new_session": True,
        }
        web = subprocess.Popen([PYTHON, *GUNICORN, "--bind", f"127.0.0.1:{port}"], **options)
        worker = subprocess.Popen(
            ["nice", "-n", "10", PYTHON, "manage.py", "db_worker", "--no-reload"], **options
        )
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            connection.close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        raise RuntimeError(f"gunicorn did not start; see {workdir / 'servers.log'}")
    return web, worker


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


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
    """Keep the task worker busy with ZIP exports of more than 20 signed reports."""
    from exports.models import ExportJob
    from exports.tasks import build_reports_zip

    ids = [a.pk for a in data["finalised"][:reports_per_job]]

    def one_export():
        job = ExportJob.objects.create(
            clinic=data["clinic"],
            requested_by=data["manager"],
            selected_ids=ids,
            progress_total=len(ids),
        )
        build_reports_zip.enqueue(job.pk)
        while ExportJob.objects.filter(pk=job.pk, status__in=["queued", "running"]).exists():
            time.sleep(0.2)

    return one_export


PAGES_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end
"""
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def wrk(port, cookie, path, *, connections, duration, script=None):
    """Run wrk on loopback; returns requests/s and the p50/p90/p99 latency in ms."""
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "60s",
        "-H",
        f"Cookie: {cookie}",
        f"http://127.0.0.1:{port}{path}",
    ]
    if script:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors on {path}:\n{output}")
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])}
    for percent in ("50", "90", "99"):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s|m)\b", output).groups()
        result[f"p{percent}_ms"] = round(float(value) * UNITS[unit] * 1000, 2)
    return result


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
