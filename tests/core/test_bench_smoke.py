"""The page benchmark still runs: `benchmarks/bench_pages.py --quick` end to end.

Not a timing test: it asserts the script completes and prints a row for every page, so the
benchmark cannot rot while nobody runs it. It starts gunicorn and wrk against a scratch
PostgreSQL database beside the suite's (created and dropped by the benchmark itself), so
it runs only in the PostgreSQL pass of CI (.ci/run), where DATABASE_URL names PostgreSQL.
"""

import os
import shutil
import socket
import subprocess
import sys

import pytest

from tests.paths import REPO_ROOT

pytestmark = pytest.mark.slow

PAGES = (
    "dashboard /",
    "/assessments/",
    "/assessments/?q=…",
    "review queue",
    "/suppliers/",
    "/products/",
    "assessment detail",
    "register export /exports/",
    "approved register /register/",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="runs once, in the PostgreSQL pass",
)
@pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (apt-get install wrk)")
def test_the_page_benchmark_runs_and_reports_every_page():
    env = {**os.environ, "BENCH_DATABASE_URL": os.environ["DATABASE_URL"]}
    result = subprocess.run(
        [sys.executable, "benchmarks/bench_pages.py", "--quick", "--port", str(_free_port())],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    assert "bare 50-row page" in table
    for page in PAGES:
        assert f"| {page} |" in table, table
