"""The benchmark harness: a throwaway ExoCheck instance (settings, seed data, gunicorn and
the task worker), an HTTP client, and wrk — so bench scripts hold only what they measure."""

import contextlib
import http.client
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
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
    from django.core.files.base import ContentFile

    from assessments.services.signoff import sign_off
    from clinics.models import Clinic, Membership, Role, User
    from products.models import ExosomeProduct, Route
    from suppliers.models import Supplier

    clinic = Clinic.objects.create(name="Bench Clinic", slug="bench", address="1 Bench St\nLondon")
    manager = User.objects.create_user("benchmanager", password=PASSWORD, first_name="Bench")
    Membership.objects.create(user=manager, clinic=clinic, role=Role.PRACTICE_MANAGER)
    # Practice managers sign with two-factor authentication (clinics/mfa.py).
    from tests.factories import enrol_totp, totp_code

    device = enrol_totp(manager)
    supplier = Supplier.objects.create(clinic=clinic, legal_name="Verdant Botanics Ltd")
    product = ExosomeProduct.objects.create(
        clinic=clinic, supplier=supplier, name="Green Tea Exosome Serum", marketed_as="cosmetic"
    )

    from tests.factories import AssessmentFactory, EvidenceItemFactory, evaluated

    def assessment(status, lot):
        item = AssessmentFactory(
            product=product,
            created_by=manager,
            batch_lot=lot,
            route=Route.objects.get(slug="topical-compromised-skin"),
            submitted=status != "draft",
        )
        for slug in ("certificate-of-analysis", "gmp-certificate", "sterility", "endotoxin"):
            EvidenceItemFactory(assessment=item, slug=slug)
        return evaluated(item)

    draft = assessment("draft", "DRAFT-0001")
    first = sign_off(
        assessment=assessment("submitted", "LOT-0000"),
        by=manager,
        password=PASSWORD,
        otp_code=totp_code(device),
        meaning="reviewed",
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

    return {
        "cookie": session_cookie(manager, device),
        "draft": draft,
        "finalised": finalised,
        "clinic": clinic,
        "manager": manager,
        "pdf_bytes": len(stored),
    }


def session_cookie(user, device) -> str:
    """A signed-in session for `user`, past the two-factor step, as a Cookie header value."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # past the log-in code step
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


@contextlib.contextmanager
def scratch_database(env):
    """On PostgreSQL, a fresh database beside the one DATABASE_URL names, dropped at the
    end (each run starts empty; the named database is never touched). SQLite: as is."""
    url = env["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        yield env
        return
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'exocheck_bench'}_{secrets.token_hex(3)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DATABASE_URL": parts._replace(path=f"/{name}").geturl()}
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


GUNICORN = ["-m", "gunicorn", "config.wsgi", "--timeout", "120"]


def start_web(env, port, workdir, *, workers=2):
    """gunicorn with `workers` sync workers on loopback, logging to workdir/servers.log."""
    with open(workdir / "servers.log", "a") as logs:
        web = subprocess.Popen(
            [PYTHON, *GUNICORN, "--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=logs,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    wait_serving(port, workdir)
    return web


def wait_serving(port, workdir):
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start; see {workdir / 'servers.log'}")


def start_servers(env, port, workdir):
    """gunicorn (2 sync workers) and the task worker at nice 10, as `make run` starts it."""
    with open(workdir / "servers.log", "a") as logs:
        worker = subprocess.Popen(
            ["nice", "-n", "10", PYTHON, "manage.py", "db_worker", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=logs,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return start_web(env, port, workdir), worker


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


PAGES_LUA = """
local paths = {%s}
local i = 0
request = function()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end
"""
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def wrk(port, cookie, path, *, connections, duration, script=None, tolerate_timeouts=False):
    """Run wrk on loopback; returns requests/s and the p50/p90/p99 latency in ms.
    `tolerate_timeouts`: a page slower than wrk's 60 s timeout under the queue is reported
    (`timeouts`) instead of stopping the run; any other error still stops it."""
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
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    only_timeouts = errors and not any(int(n) for n in errors.groups()[:3])
    if "Non-2xx or 3xx responses" in output or (
        errors and not (tolerate_timeouts and only_timeouts)
    ):
        raise RuntimeError(f"wrk saw errors on {path}:\n{output}")
    result = {"requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])}
    if errors:
        result["timeouts"] = int(errors[4])
    for percent in ("50", "90", "99"):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s|m)\b", output).groups()
        result[f"p{percent}_ms"] = round(float(value) * UNITS[unit] * 1000, 2)
    return result
