"""Scale-out, shown not claimed: two app servers and a task worker share nothing but
PostgreSQL, Redis and the media storage, and a user cannot tell which server answered.

Instance A and instance B are two `runserver --noreload` processes on different ports (as two
machines behind a load balancer would be), the worker is `manage.py db_worker`, all with one
environment: one scratch PostgreSQL database, REDIS_URL (the cache, and sessions read through
it), one media folder. Then, over HTTP as a browser would:

(a) a session made by logging in on A is signed in on B, and is in the shared Redis cache;
(b) AXES_FAILURE_LIMIT wrong passwords on A lock the account out on B, right password or not;
(c) a document uploaded on A downloads byte for byte from B;
(d) a register export queued on A (above REGISTER_EXPORT_SYNC_ROWS) is written by the worker
    and downloaded from B, its SHA-256 as recorded.

PostgreSQL and Redis are this machine's (127.0.0.1:5432 as postgres, 127.0.0.1:6379 DB 5).
Outside CI the test is skipped, saying why, when either is unreachable; in CI (CI=true) it
fails instead, so it cannot silently stop running. Its stack is PostgreSQL whatever the suite
runs on, so it runs once, in the suite's PostgreSQL pass (.ci/run), not again on SQLite.
"""

import hashlib
import os
import re
import secrets
import time
import urllib.parse

import pytest

from clinics.demo import DEMO_PASSWORD
from tests.concurrency_client import Client, upload_documents
from tests.concurrency_support import EXPORT_TIMEOUT, SETUP, Stack

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="the scale-out stack runs in the PostgreSQL pass (DATABASE_URL=postgres://…)",
    ),
]

POSTGRES_ADMIN = os.environ.get(
    "SCALE_OUT_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/5")

EVIDENCE_IDS = """
import json
from assessments.models import EvidenceItem
items = EvidenceItem.objects.filter(assessment_id=json.loads(PK), provided=True)
print(json.dumps({item.evidence_type.slug: item.pk for item in items}))
"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: the scale-out test must run, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def database_url():
    psycopg = pytest.importorskip("psycopg")
    name = f"exocheck_scale_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        _unavailable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN}: {error}")
    try:
        yield urllib.parse.urlsplit(POSTGRES_ADMIN)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def redis_prefix():
    """A key prefix of this run's own in the shared Redis, deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        _unavailable(f"Redis is not reachable at {REDIS_URL}: {error}")
    prefix = f"exocheck-scale-{secrets.token_hex(4)}"
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def servers(tmp_path, database_url, redis_prefix):
    """Instance A (with the worker) and instance B, sharing one environment."""
    _, prefix = redis_prefix
    a, b = Stack(tmp_path / "a", database_url), Stack(tmp_path / "b", database_url)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a.env.update(
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        MEDIA_ROOT=str(tmp_path / "shared-media"),
        # Every register export goes to the worker, so (d) needs only the demo data.
        REGISTER_EXPORT_SYNC_ROWS="1",
        AXES_FAILURE_LIMIT="5",
    )
    b.env = a.env  # one configuration, as every server of a deployment has
    a.manage("migrate", "--noinput")
    # The three processes start while the demo data is made (each takes seconds to start).
    a.start("worker", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2")
    a.start("server", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{a.port}")
    b.start("server", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{b.port}")
    try:
        counts = {"sign": 0, "upload": 1, "export": 0, "managers": 0}
        seed = "from django.core.management import call_command\ncall_command('seed_demo')\n"
        ids = a.shell(seed + SETUP, COUNTS=counts, PASSWORD=DEMO_PASSWORD)
        a.wait_until_serving()
        b.wait_until_serving()
        yield a, b, ids
    finally:
        a.stop()
        b.stop()


def on(client: Client, stack: Stack) -> Client:
    """The same browser (its cookies), now sent to `stack`: what a load balancer does."""
    client.base = stack.base
    return client


def test_a_session_lockout_upload_and_export_started_on_one_server_are_seen_on_the_other(
    servers, redis_prefix
):
    a, b, ids = servers
    redis_client, prefix = redis_prefix

    # (a) Log in on A; B knows the session, and the session is in the shared cache.
    clinician = on(Client(a.base), a)
    clinician.log_in("clinician")
    session_id = next(c.value for c in clinician.cookies if c.name == "sessionid")
    dashboard = on(clinician, b).get("/")
    assert dashboard.status == 200, dashboard.status  # not a redirect to the log-in page
    assert "Cara Clinician" in dashboard.text and 'name="password"' not in dashboard.text
    assert any(session_id in key.decode() for key in redis_client.scan_iter(f"{prefix}:*"))

    # (b) Five wrong passwords on A; on B even the right one is refused.
    intruder = on(Client(a.base), a)
    assert intruder.get("/accounts/login/").status == 200
    for _ in range(5):
        intruder.post("/accounts/login/", [("username", "clinicadmin"), ("password", "wrong")])
    on(intruder, b).get("/accounts/login/")
    refused = intruder.post(
        "/accounts/login/", [("username", "clinicadmin"), ("password", DEMO_PASSWORD)]
    )
    assert refused.status == 429 and "Too many failed log-in attempts" in refused.text

    # (c) Upload documents on A; each downloads from B with the bytes uploaded.
    (draft, lot), *_ = ids["upload"].items()
    uploaded = upload_documents(on(clinician, a), int(draft), lot)
    assert uploaded["status"] == 302, uploaded["refused"]
    items = a.shell(EVIDENCE_IDS, PK=draft)
    assert set(items) == set(uploaded["expected"])
    for slug, item in items.items():
        download = on(clinician, b).get(f"/assessments/{draft}/evidence/{item}/")
        assert download.status == 200, (slug, download.status)
        digest = hashlib.sha256(download.body).hexdigest()
        assert digest == uploaded["expected"][slug]["sha256"]

    # (d) A register export asked for on A is queued, run by the worker, served by B.
    manager = on(Client(a.base), a)
    manager.log_in("manager")
    queued = manager.get("/exports/register.csv")
    assert queued.status == 302, queued.status
    job = urllib.parse.urlsplit(queued.headers["Location"]).path
    assert re.fullmatch(r"/exports/jobs/\d+/", job), job
    download = _when_ready(on(manager, b), f"{job}download/")
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert b"Document ID" in download.body and lot.encode() in download.body
    state = a.shell(
        "import json\nfrom exports.models import ExportJob\n"
        "job = ExportJob.objects.get()\n"
        "print(json.dumps({'sha256': job.sha256, 'task': job.task_id}))"
    )
    assert hashlib.sha256(download.body).hexdigest() == state["sha256"] and state["task"]


def _when_ready(client: Client, path: str):
    """Poll `path` until the worker has finished (a deadline, not a timed assertion)."""
    deadline = time.monotonic() + EXPORT_TIMEOUT
    while time.monotonic() < deadline:
        response = client.get(path)
        if response.status == 200:
            return response
        time.sleep(0.3)
    raise AssertionError(f"{path} was not ready within {EXPORT_TIMEOUT} s")
