"""SQLite is configured for a web server and a task worker sharing one file: IMMEDIATE
transactions (a writer waits for the lock instead of failing), a 20 s busy timeout, WAL."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from config.settings import SQLITE_OPTIONS, database_config
from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
EXPECTED = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


@pytest.mark.parametrize(
    "url", ["sqlite:////srv/exocheck/db.sqlite3", "sqlite:///relative.sqlite3", "sqlite://:memory:"]
)
def test_sqlite_urls_get_the_concurrency_options(url):
    config = database_config(url)

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"] == EXPECTED
    assert SQLITE_OPTIONS == EXPECTED


def test_postgresql_urls_get_no_sqlite_options():
    config = database_config("postgres://postgres@127.0.0.1:5432/exocheck")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in config.get("OPTIONS", {})
    assert "init_command" not in config.get("OPTIONS", {})


PROBE = """
import json, sqlite3
from django.db import connection, transaction
with connection.cursor() as cursor:
    pragmas = {
        name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "busy_timeout")
    }
    cursor.execute("CREATE TABLE probe (value integer)")
other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
with transaction.atomic():
    connection.cursor().execute("SELECT count(*) FROM probe")  # a read, no write yet
    try:
        other.execute("BEGIN IMMEDIATE")
        second_writer = "got the lock"
    except sqlite3.OperationalError as error:
        second_writer = str(error)
    reader = other.execute("SELECT count(*) FROM probe").fetchone()[0]
print(json.dumps({**pragmas, "second_writer": second_writer, "reader_saw": reader}))
"""


def test_a_sqlite_file_opens_in_wal_with_a_busy_timeout_and_immediate_transactions(tmp_path):
    """Through the real settings: DATABASE_URL names a file, as under `make run`."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "true",
        "EXOCHECK_TESTING": "false",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])

    assert probe["journal_mode"] == "wal"
    assert probe["synchronous"] == 1  # NORMAL
    assert probe["busy_timeout"] == 20_000
    # An IMMEDIATE transaction holds the write lock from BEGIN, before it writes anything...
    assert probe["second_writer"] == "database is locked"
    # ...while WAL still lets another connection read.
    assert probe["reader_saw"] == 0


@pytest.mark.django_db
def test_the_test_database_runs_with_the_same_options():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite options apply to SQLite only")
    assert connection.transaction_mode == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] == 20
