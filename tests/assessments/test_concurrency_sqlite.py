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

Each run of the suite drives the stack on its own database only (about a minute each): the
PostgreSQL run (DATABASE_URL=postgres://...) the PostgreSQL stack, the SQLite run the SQLite
stack, so CI (.ci/run runs both) covers both once. CONCURRENCY_DATABASES=sqlite,postgresql
runs both in one run.
"""

import concurrent.futures
import os
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from clinics.demo import DEMO_PASSWORD
from tests.concurrency_client import Client, export_csv, export_zip, sign_off, upload_documents
from tests.concurrency_support import (
    CSV_DOWNLOADS,
    EXPORTED,
    INSPECT,
    SETUP,
    SIGN_OFFS,
    SIGNED_TWICE,
    UPLOAD_DRAFTS,
    Stack,
)

pytestmark = pytest.mark.slow


# ---------------------------------------------------------------------------------------
# The database under test.


def _postgres_admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    return "postgres://postgres@127.0.0.1:5432/postgres"


def _suite_database() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    wanted = os.environ.get("CONCURRENCY_DATABASES", _suite_database()).split(",")
    if request.param not in wanted:
        pytest.skip(
            f"this run of the suite is on {_suite_database()}; the {request.param} stack is "
            f"driven by the run on {request.param} (or set CONCURRENCY_DATABASES)"
        )
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
