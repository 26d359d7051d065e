"""The harness of the real-server concurrency test: the setup and inspection scripts, the
server and worker processes, an HTTP client with its own cookies, and the user actions."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from exports.archive import SYNC_LIMIT

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
from assessments.services import save_answers, start_assessment, submit_assessment
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from clinics.models import Clinic, Membership, Role, User
from products.models import ExosomeProduct

counts = json.loads(COUNTS)
clinic = Clinic.objects.get(slug="demo-clinic")
clinician = User.objects.get(username="clinician")
manager = User.objects.get(username="manager")
demo_app = TOTPDevice.objects.get(user=manager, confirmed=True)


def recovery_codes(user):
    # Known recovery codes, so that one user can log in several times within 30 seconds
    # (a code from the app works once); tests/concurrency_client.py uses each once.
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=f"concurrency{n:02d}") for n in range(40)
    )


recovery_codes(manager)
# One practice manager per concurrent sign-off, as in a clinic where several sign at once.
# Each has an authenticator app (signing needs one) with the demo manager's published secret,
# so the client can compute the code they sign with.
for n in range(counts["managers"]):
    # Named as the test expects the signature to read: a signature prints the account's name.
    user = User.objects.create_user(
        f"manager{n}", password=json.loads(PASSWORD), first_name="Manager", last_name=str(n)
    )
    Membership.objects.create(user=user, clinic=clinic, role=Role.PRACTICE_MANAGER)
    TOTPDevice.objects.create(user=user, name=demo_app.name, key=demo_app.key, confirmed=True)
    recovery_codes(user)
product = ExosomeProduct.objects.get(clinic=clinic, name="Green Tea Exosome Serum")


def draft(lot, resume_at):
    assessment = start_assessment(clinic=clinic, by=clinician, product=product)
    fields = ProductStepForm._meta.fields
    data = {k: v for k, v in model_to_dict(assessment, fields=fields).items() if v is not None}
    data["batch_lot"] = lot
    form = ProductStepForm(data, instance=assessment, clinic=clinic, strict=True)
    assert form.is_valid(), form.errors.as_json()
    return save_answers(
        assessment=assessment, by=clinician, answers=form.answers(), resume_at=resume_at
    )


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
