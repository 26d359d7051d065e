"""`manage.py check_storage`: orphan files and records whose file is missing, exit status 1
when anything is found, orphans deleted on request."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Assessment
from assessments.services import withdraw_evidence
from tests.paths import REPO_ROOT
from tests.reporting import add_evidence, make_assessment, make_finalised

pytestmark = pytest.mark.django_db

ROOT = REPO_ROOT
AN_HOUR_AGO = time.time() - 2 * 3600


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_storage", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def media(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def stray(name: str, *, old: bool = True) -> Path:
    path = media(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 nobody points at me")
    if old:
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    return path


@pytest.fixture
def finalised(clinic, plant_product, clinician, manager, evidence_types):
    return make_finalised(clinic=clinic, product=plant_product, user=clinician, manager=manager)


def test_storage_that_matches_the_records_passes(finalised):
    status, output = run()

    assert status == 0
    assert "5 stored file(s) checked" in output  # four documents and the report
    assert "0 orphan(s), 0 record(s) with a missing file" in output


def test_orphan_evidence_and_report_files_are_reported_with_status_1(finalised):
    evidence = stray(f"evidence/{finalised.clinic_id}/0123456789abcdef.pdf")
    report = stray("reports/2026/EXO-999.pdf")

    status, output = run()

    assert status == 1
    assert "orphan file: evidence/" in output and "orphan file: reports/2026/EXO-999.pdf" in output
    assert "2 orphan(s)" in output
    assert evidence.exists() and report.exists()  # only reported


def test_a_file_only_the_history_points_at_is_not_an_orphan(
    clinic, plant_product, clinician, evidence_types
):
    draft = make_assessment(
        clinic=clinic, product=plant_product, user=clinician, status=Assessment.Status.DRAFT
    )
    withdrawn = add_evidence(draft, clinician, "cpsr", lab="Wrong upload")
    os.utime(withdrawn.file.path, (AN_HOUR_AGO, AN_HOUR_AGO))
    withdraw_evidence(assessment=draft, by=clinician, item=withdrawn)

    status, output = run()

    assert status == 0, output


def test_files_written_in_the_grace_period_are_left_alone(finalised):
    recent = stray(f"evidence/{finalised.clinic_id}/uploading-now.pdf", old=False)

    status, output = run("--delete-orphans")

    assert status == 0, output
    assert recent.exists()
    assert run("--grace-minutes", "0")[0] == 1


def test_records_pointing_at_missing_files_are_reported(finalised):
    item = finalised.evidence_items.first()
    os.remove(item.file.path)
    os.remove(finalised.report_pdf.path)

    status, output = run()

    assert status == 1
    assert f"missing file: evidence item {item.pk} (assessment {finalised.pk})" in output
    assert f"missing file: assessment {finalised.pk} report -> {finalised.report_pdf.name}" in (
        output
    )
    assert "2 record(s) with a missing file" in output


def test_delete_orphans_removes_only_the_orphans(finalised):
    orphan = stray(f"evidence/{finalised.clinic_id}/orphan.pdf")
    kept = [media(item.file.name) for item in finalised.evidence_items.all()]
    kept.append(media(finalised.report_pdf.name))

    status, output = run("--delete-orphans")

    assert status == 1  # something was found, even though it is now dealt with
    assert "deleted orphan: evidence/" in output
    assert not orphan.exists()
    assert all(path.exists() for path in kept)
    assert run()[0] == 0


def test_the_command_line_exits_with_status_1(tmp_path):
    """Through manage.py, as cron would run it: an empty database and one orphan file."""
    media_root = tmp_path / "media-cli"
    (media_root / "evidence" / "1").mkdir(parents=True)
    orphan = media_root / "evidence" / "1" / "orphan.pdf"
    orphan.write_bytes(b"x")
    os.utime(orphan, (AN_HOUR_AGO, AN_HOUR_AGO))
    database = tmp_path / "cli.sqlite3"
    env = {
        **os.environ,
        "EXOCHECK_TESTING": "true",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media_root),
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr

    result = subprocess.run(
        [sys.executable, "manage.py", "check_storage"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1, result.stderr
    assert "orphan file: evidence/1/orphan.pdf" in result.stdout
