"""Saves never fail on the embedded database: the real stack under concurrent writes.

`make run` serves SQLite with the django-tasks worker polling beside runserver. This test
starts exactly that (a database file, `manage.py db_worker`, `manage.py runserver`) and then,
from many threads at once, over HTTP as a browser would: managers sign off submitted
assessments (two of them twice, as two managers might), clinicians upload documents at the
wizard's step 4, and managers export the register (CSV, in the request) and a ZIP of more
than SYNC_LIMIT signed reports (built by the worker). Then it checks that no response was a
500, that "database is locked" never reached a log, and that nothing was lost: every
uploaded document is stored with the lab and lot typed for it, every sign-off that reported
success is finalised with its report file, and no report file is left without its record.

The same runs on PostgreSQL (a scratch database, created and dropped here) when a server is
reachable: the DATABASE_URL's server, else 127.0.0.1:5432 as user postgres.
"""

import concurrent.futures
import hashlib
import http.cookiejar
import io
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from clinics.demo import DEMO_PASSWORD
from exports.archive import SYNC_LIMIT

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SIGN_OFFS = 6  # submitted assessments signed off concurrently...
SIGNED_TWICE = 2  # ...the first of them by two managers at the same moment
UPLOAD_DRAFTS = 4  # drafts whose step-4 documents are uploaded concurrently
EXPORTED = SYNC_LIMIT + 2  # signed reports in the ZIP export: enough to go to the worker
CSV_DOWNLOADS = 3
HTTP_TIMEOUT = 60
READY_TIMEOUT = 30
EXPORT_TIMEOUT = 45

# ---------------------------------------------------------------------------------------
# Scripts run with `manage.py shell -c` inside the stack under test.

SETUP = """
import hashlib, io, json
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.utils import timezone
from pypdf import PdfWriter
from assessments.forms import ProductStepForm
from assessments.models import Assessment
from assessments.services import save_step, start_assessment, submit_assessment
from clinics.models import Clinic, Membership, Role, User
from products.models import ExosomeProduct

counts = json.loads(COUNTS)
clinic = Clinic.objects.get(slug="demo-clinic")
clinician = User.objects.get(username="clinician")
manager = User.objects.get(username="manager")
# One practice manager per concurrent sign-off, as in a clinic where several sign at once.
for n in range(counts["managers"]):
    user = User.objects.create_user(f"manager{n}", password=json.loads(PASSWORD))
    Membership.objects.create(user=user, clinic=clinic, role=Role.PRACTICE_MANAGER)
product = ExosomeProduct.objects.get(clinic=clinic, name="Green Tea Exosome Serum")


def draft(lot, resume_at):
    assessment = start_assessment(clinic=clinic, by=clinician, product=product)
    fields = ProductStepForm._meta.fields
    data = {k: v for k, v in model_to_dict(assessment, fields=fields).items() if v is not None}
    data["batch_lot"] = lot
    form = ProductStepForm(data, instance=assessment, clinic=clinic, strict=True)
    assert form.is_valid(), form.errors.as_json()
    return save_step(assessment=assessment, by=clinician, form=form, resume_at=resume_at)


def submitted(lot):
    return submit_assessment(assessment=draft(lot, 5), by=clinician)


def stub_pdf(title):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


sign = [submitted(f"SIGN-{n:02d}").pk for n in range(counts["sign"])]
upload = {draft(f"UPLOAD-{n:02d}", 4).pk: f"UPLOAD-{n:02d}" for n in range(counts["upload"])}
export = []
for n in range(counts["export"]):
    # Already signed (a stub report stands in for the render): material for the ZIP export.
    assessment = submitted(f"EXPORT-{n:02d}")
    pdf = stub_pdf(assessment.document_id)
    assessment.status = Assessment.Status.FINALISED
    assessment.finalised_at = timezone.now()
    assessment.signed_by = manager
    assessment.signed_name = "Max Manager"
    assessment.signed_role = "Practice manager"
    assessment.signature_meaning = "approved"
    assessment.report_sha256 = hashlib.sha256(pdf).hexdigest()
    assessment.report_pdf.save(f"{assessment.document_id}.pdf", ContentFile(pdf), save=False)
    assessment.save()
    export.append(assessment.pk)
print(json.dumps({"sign": sign, "upload": upload, "export": export}))
"""

INSPECT = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from assessments.models import Assessment
from exports.models import ExportJob


def stored_sha(fieldfile):
    if not fieldfile:
        return None
    try:
        with fieldfile.open("rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except FileNotFoundError:
        return None


ids = json.loads(IDS)
state = {"signed": {}, "uploads": {}}
for pk in ids["sign"]:
    a = Assessment.objects.get(pk=pk)
    state["signed"][pk] = {
        "status": a.status,
        "signed_name": a.signed_name,
        "report": a.report_pdf.name,
        "sha256": a.report_sha256,
        "stored_sha256": stored_sha(a.report_pdf),
        "finalised_history_rows": a.history.filter(status="finalised").count(),
    }
for pk in ids["upload"]:
    a = Assessment.objects.get(pk=pk)
    state["uploads"][pk] = [
        {
            "slug": item.evidence_type.slug,
            "provided": item.provided,
            "lab": item.lab,
            "lot": item.lot,
            "issued_on": str(item.issued_on),
            "expires_on": str(item.expires_on),
            "result": item.result,
            "sha256": item.sha256,
            "stored_sha256": stored_sha(item.file),
        }
        for item in a.evidence_items.select_related("evidence_type")
    ]
state["jobs"] = list(ExportJob.objects.values("pk", "status", "error", "sha256"))
state["report_names"] = sorted(
    Assessment.objects.exclude(report_pdf="").values_list("report_pdf", flat=True)
)
reports = Path(settings.MEDIA_ROOT) / "reports"
files = [path for path in reports.rglob("*") if path.is_file()]
state["report_files"] = sorted(path.relative_to(settings.MEDIA_ROOT).as_posix() for path in files)
print(json.dumps(state))
"""

# ---------------------------------------------------------------------------------------
# The database under test.


def _postgres_admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    return "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    psycopg = pytest.importorskip("psycopg")
    admin = _postgres_admin_url()
    name = f"exocheck_concurrency_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable for a scratch database: {error}")
    try:
        yield urllib.parse.urlsplit(admin)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------------------------------
# The stack: migrate, seed, runserver and db_worker as subprocesses.


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stack:
    def __init__(self, tmp_path: Path, database_url: str):
        self.dir = tmp_path
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            # Development mode, as under `make run`: plain-HTTP cookies work.
            "DEBUG": "true",
            "EXOCHECK_TESTING": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "FILE_STORAGE": "django.core.files.storage.FileSystemStorage",
            "AWS_STORAGE_BUCKET_NAME": "",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.timings: dict[str, float] = {}
        self._since = time.monotonic()

    def mark(self, phase: str) -> None:
        """Seconds spent in each phase, printed at the end (pytest -s or -rP shows them)."""
        now = time.monotonic()
        self.timings[phase] = round(now - self._since, 1)
        self._since = now

    def manage(self, *args: str, **extra_env: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stderr[-4000:]}"
        return result.stdout

    def shell(self, script: str, **variables) -> dict:
        preamble = "".join(f"{name} = {json.dumps(value)!r}\n" for name, value in variables.items())
        output = self.manage("shell", "-c", preamble + script)
        return json.loads(output.strip().splitlines()[-1])

    def start(self, name: str, *args: str) -> None:
        log = self.dir / f"{name}.log"
        handle = log.open("wb")
        self.logs[name] = log
        self.processes[name] = subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        handle.close()

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                assert process.poll() is None, f"{name} exited early:\n{self.log(name)[-4000:]}"
            try:
                with urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=2) as page:
                    if page.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"runserver did not answer in {READY_TIMEOUT} s")

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


# ---------------------------------------------------------------------------------------
# A browser-like HTTP client: its own cookies, CSRF token, every response recorded.


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # redirects are followed (and recorded) by Client.request


def _multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]):
    boundary = f"----exocheck{secrets.token_hex(12)}"
    body = io.BytesIO()
    for name, value in fields:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, content in files:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Client:
    base: str
    record: list = field(default_factory=list)

    def __post_init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def request(self, method, path, *, fields=None, files=None, follow=False) -> Response:
        data, headers = None, {}
        if method == "POST":
            fields = [*(fields or []), ("csrfmiddlewaretoken", self.csrf_token())]
            if files:
                data, headers["Content-Type"] = _multipart(fields, files)
            else:
                data = urllib.parse.urlencode(fields).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.base + path, data=data, headers=headers, method=method
        )
        try:
            with self.opener.open(request, timeout=HTTP_TIMEOUT) as raw:
                response = Response(method, path, raw.status, dict(raw.headers), raw.read())
        except urllib.error.HTTPError as error:
            response = Response(method, path, error.code, dict(error.headers), error.read())
        self.record.append((method, path, response.status))
        if follow and response.status in (301, 302, 303):
            location = urllib.parse.urlsplit(response.headers["Location"])
            target = location.path + (f"?{location.query}" if location.query else "")
            return self.request("GET", target, follow=True)
        return response

    def get(self, path, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path, fields=None, **kwargs) -> Response:
        return self.request("POST", path, fields=fields, **kwargs)

    def log_in(self, username: str) -> None:
        assert self.get("/accounts/login/").status == 200
        response = self.post(
            "/accounts/login/", [("username", username), ("password", DEMO_PASSWORD)]
        )
        assert response.status == 302, f"log-in as {username} failed: {response.status}"


# ---------------------------------------------------------------------------------------
# What the users do.


def _pdf(title: str) -> bytes:
    """A small valid PDF (one blank page, no active content) that the upload checks accept."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


MESSAGE = re.compile(r'<div[^>]*class="[^"]*alert[^"]*"[^>]*>(.*?)</div>', re.S)


def _messages(page: str) -> str:
    return " | ".join(" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in MESSAGE.findall(page))


def sign_off(client: Client, pk: int, signer: str) -> dict:
    assert client.get(f"/assessments/{pk}/review/").status == 200
    page = client.post(
        f"/assessments/{pk}/sign-off/",
        [
            ("signed_name", signer),
            ("signed_role", "Practice manager"),
            ("meaning", "reviewed"),
            ("statement", "Approved for this lot."),
            ("password", DEMO_PASSWORD),
        ],
        follow=True,
    )
    if "is finalised and its PDF report is stored" in page.text:
        outcome = "signed"
    elif "is finalised and cannot be changed" in page.text:
        outcome = "already signed"
    else:
        outcome = f"other ({page.status}): {_messages(page.text)[:300]}"
    return {"pk": pk, "signer": signer, "outcome": outcome}


FILE_FIELD = re.compile(r'name="ev-([a-z0-9-]+)-file"')


def upload_documents(client: Client, pk: int, lot: str) -> dict:
    page = client.get(f"/assessments/{pk}/step/4/")
    assert page.status == 200, page.status
    slugs = sorted(set(FILE_FIELD.findall(page.text)))
    assert slugs, "step 4 offered no document to upload"
    issued, expires = date.today() - timedelta(days=20), date.today() + timedelta(days=300)
    fields = [("testing_answer", f"Each lot tested, assessment {pk}."), ("action", "save")]
    files, expected = [], {}
    for slug in slugs:
        content = _pdf(f"{slug} for assessment {pk}")
        lab = f"Lab {pk} {slug}"
        fields += [
            (f"ev-{slug}-lab", lab),
            (f"ev-{slug}-lot", lot),
            (f"ev-{slug}-issued_on", issued.isoformat()),
            (f"ev-{slug}-expires_on", expires.isoformat()),
            (f"ev-{slug}-result", "pass"),
        ]
        files.append((f"ev-{slug}-file", f"{slug}.pdf", content))
        expected[slug] = {
            "lab": lab,
            "lot": lot,
            "issued_on": issued.isoformat(),
            "expires_on": expires.isoformat(),
            "result": "pass",
            "sha256": hashlib.sha256(content).hexdigest(),
        }
    response = client.post(f"/assessments/{pk}/step/4/", fields, files=files)
    refused = "" if response.status == 302 else _messages(response.text)[:500]
    return {"pk": pk, "status": response.status, "expected": expected, "refused": refused}


def export_csv(client: Client) -> dict:
    response = client.get("/exports/register.csv")
    return {"status": response.status, "type": response.headers.get("Content-Type", "")}


def export_zip(client: Client, ids: list[int]) -> dict:
    response = client.post("/exports/reports.zip", [("query", ""), *(("ids", pk) for pk in ids)])
    assert response.status == 302, f"ZIP export answered {response.status}"
    job = urllib.parse.urlsplit(response.headers["Location"]).path  # /exports/jobs/<pk>/
    assert re.fullmatch(r"/exports/jobs/\d+/", job), job
    deadline = time.monotonic() + EXPORT_TIMEOUT
    while time.monotonic() < deadline:
        client.get(f"{job}progress/")  # what the job page polls
        download = client.get(f"{job}download/")
        if download.status == 200:
            with zipfile.ZipFile(io.BytesIO(download.body)) as archive:
                names = archive.namelist()
            return {"job": job, "status": 200, "pdfs": sum(n.endswith(".pdf") for n in names)}
        time.sleep(0.5)
    return {"job": job, "status": "not ready in time"}


# ---------------------------------------------------------------------------------------


def test_concurrent_sign_offs_uploads_and_exports_never_fail(database_url, tmp_path):
    stack = Stack(tmp_path, database_url)
    stack.manage("migrate", "--noinput")
    stack.mark("migrate")
    stack.manage("seed_demo")
    stack.mark("seed_demo")
    ids = stack.shell(
        SETUP,
        COUNTS={
            "sign": SIGN_OFFS,
            "upload": UPLOAD_DRAFTS,
            "export": EXPORTED,
            "managers": SIGN_OFFS + SIGNED_TWICE,
        },
        PASSWORD=DEMO_PASSWORD,
    )
    uploads = {int(pk): lot for pk, lot in ids["upload"].items()}
    stack.mark("setup")

    record: list = []
    stack.start("worker", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
    stack.start("server", "runserver", "--noreload", f"127.0.0.1:{stack.port}")
    try:
        stack.wait_until_serving()
        stack.mark("start servers")
        signers = [*ids["sign"], *ids["sign"][:SIGNED_TWICE]]
        jobs = [
            *((f"manager{n}", sign_off, (pk, f"Manager {n}")) for n, pk in enumerate(signers)),
            *(("clinician", upload_documents, (pk, lot)) for pk, lot in uploads.items()),
            ("manager", export_zip, (ids["export"],)),
            *(("manager", export_csv, ()) for _ in range(CSV_DOWNLOADS)),
        ]
        # Everyone logs in first, then all act at the same moment.
        start_together = threading.Barrier(len(jobs), timeout=60)

        def run(username, action, args):
            client = Client(stack.base, record)
            client.log_in(username)
            start_together.wait()
            return action.__name__, action(client, *args)

        with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            results = [future.result() for future in [pool.submit(run, *job) for job in jobs]]
        stack.mark("concurrent requests")
        state = stack.shell(INSPECT, IDS={"sign": ids["sign"], "upload": list(uploads)})
    finally:
        stack.stop()
    stack.mark("inspect and stop")
    print(f"{len(record)} requests; seconds per phase: {stack.timings}")
    server_log, worker_log = stack.log("server"), stack.log("worker")

    # No user saw an error page, and the database never said it was locked.
    errors = [entry for entry in record if entry[2] >= 500]
    assert errors == [], f"{errors}\n{server_log[-6000:]}"
    assert "database is locked" not in server_log
    assert "database is locked" not in worker_log
    assert "Traceback" not in server_log, server_log[-6000:]
    assert "Traceback" not in worker_log, worker_log[-6000:]

    # Sign-offs: one signature per assessment; every reported success is finalised with
    # its report; the second manager of a doubly signed one was told it is already signed.
    sign_offs = [result for name, result in results if name == "sign_off"]
    for pk in ids["sign"]:
        outcomes = sorted(r["outcome"] for r in sign_offs if r["pk"] == pk)
        expected = ["already signed", "signed"] if pk in ids["sign"][:SIGNED_TWICE] else ["signed"]
        assert outcomes == expected, (pk, outcomes)
        stored = state["signed"][str(pk)]
        [winner] = [r["signer"] for r in sign_offs if r["pk"] == pk and r["outcome"] == "signed"]
        assert stored["status"] == "finalised", (pk, stored)
        assert stored["signed_name"] == winner
        assert stored["report"] and stored["stored_sha256"] == stored["sha256"], (pk, stored)
        assert stored["finalised_history_rows"] == 1

    # Uploads: every document sent is stored, with its file and the details typed for it.
    for name, result in results:
        if name != "upload_documents":
            continue
        assert result["status"] == 302, f"step 4 refused the upload: {result['refused']}"
        stored = {
            item["slug"]: item for item in state["uploads"][str(result["pk"])] if item["provided"]
        }
        assert set(stored) == set(result["expected"]), (result["pk"], sorted(stored))
        for slug, typed in result["expected"].items():
            item = stored[slug]
            assert {key: item[key] for key in typed} == typed, (result["pk"], slug, item)
            assert item["stored_sha256"] == typed["sha256"], (result["pk"], slug)

    # Exports: the register downloads, and the worker built the ZIP of every report.
    for name, result in results:
        if name == "export_csv":
            assert result["status"] == 200 and result["type"].startswith("text/csv"), result
        if name == "export_zip":
            assert (result["status"], result.get("pdfs")) == (200, EXPORTED), result
    assert [job["status"] for job in state["jobs"]] == ["done"]

    # No report file in storage without the finalised record that points at it.
    assert state["report_files"] == state["report_names"]
