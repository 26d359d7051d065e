"""The register at scale: CSV streamed in chunks (the same bytes as written in one go), the
queries per download independent of the rows, and above REGISTER_EXPORT_SYNC_ROWS the file
written by the task worker, with progress on the exports pages."""

import csv
import hashlib
import io
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment
from exports import register_files
from exports.models import ExportJob
from exports.register import HEADERS, register_queryset, register_rows
from exports.services import export_register, start_register_export
from tests.reporting import make_assessment, make_finalised

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def one_go_csv(rows) -> bytes:
    """The register as the export wrote it before it streamed: one buffer, encoded once."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        cells = []
        for value in row:
            text = "" if value is None else str(value)
            if isinstance(value, datetime):
                text = value.isoformat(sep=" ")
            cells.append("'" + text if text.startswith(register_files.FORMULA_PREFIXES) else text)
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def build_register(clinic, plant_product, clinician, manager, evidence_types):
    """build(n): n assessments of every kind the register shows — finalised with a newer
    version, submitted with documents, drafts with formula-like and non-ASCII text."""

    def build(count):
        made = []
        for index in range(count):
            kind = index % 3
            if kind == 0:
                signed = make_finalised(
                    clinic=clinic,
                    product=plant_product,
                    user=clinician,
                    manager=manager,
                    batch_lot=f"SIGNED-{index}",
                )
                made.append(signed)
            elif kind == 1:
                made.append(
                    make_assessment(
                        clinic=clinic,
                        product=plant_product,
                        user=clinician,
                        batch_lot=f"=SUM(A{index})",
                        previous_version=made[-1],
                        version=2,
                    )
                )
            else:
                made.append(
                    make_assessment(
                        clinic=clinic,
                        product=plant_product,
                        user=clinician,
                        status=Assessment.Status.DRAFT,
                        batch_lot=f"Lösung-{index}",
                        evidence=[],
                    )
                )
        return made

    return build


def test_the_streamed_csv_is_the_file_written_in_one_go(
    manager_client, clinic, manager, build_register, monkeypatch
):
    build_register(6)
    # Tiny chunks, so this small register is sent in many pieces.
    monkeypatch.setattr(register_files, "CSV_CHUNK_CHARS", 200)

    response = manager_client.get(reverse("exports:register_csv"))

    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 3
    expected = one_go_csv(register_rows(register_queryset(clinic, {})))
    assert b"".join(chunks) == expected
    assert export_register(clinic=clinic, by=manager, filters={}, file_format="csv") == expected
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="exocheck-register-')
    assert expected.count(b"\n") == 7  # the header and six rows


def test_the_streamed_xlsx_has_the_rows_of_the_file_made_in_memory(
    manager_client, clinic, manager, build_register
):
    build_register(3)

    response = manager_client.get(reverse("exports:register_xlsx"))

    in_memory = export_register(clinic=clinic, by=manager, filters={}, file_format="xlsx")
    streamed, made = (
        [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
        for data in (body(response), in_memory)
    )
    assert streamed == made and len(streamed) == 4


def test_the_queries_per_download_do_not_grow_with_the_rows(clinic, manager, build_register):
    def queries_for_download() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            export = start_register_export(clinic=clinic, by=manager, filters={}, file_format="csv")
            data = b"".join(export.chunks)
        return len(queries), data.count(b"\n") - 1

    build_register(3)
    few, rows_few = queries_for_download()
    build_register(9)
    many, rows_many = queries_for_download()

    assert (rows_few, rows_many) == (3, 12)
    assert many == few


def test_above_the_threshold_the_register_is_queued_for_the_worker(
    manager_client, settings, build_register
):
    from django_tasks_db.models import DBTaskResult

    settings.REGISTER_EXPORT_SYNC_ROWS = 2
    build_register(3)

    response = manager_client.get(reverse("exports:register_xlsx"), {"status": ""})

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == ExportJob.Kind.REGISTER_XLSX and job.status == ExportJob.Status.QUEUED
    assert job.progress_total == 3 and job.selected_ids == []
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.task_path == "exports.tasks.build_register_file"
    page = manager_client.get(reverse("exports:register")).content.decode()
    assert "Assessment register (Excel) · 3 rows" in page
    assert "Waiting for the worker (0%)" in page
    progress = manager_client.get(reverse("exports:job_progress", args=[job.pk])).content.decode()
    assert "0 of 3 rows" in progress and 'hx-trigger="every 2s"' in progress


def test_at_the_threshold_the_register_is_still_sent_at_once(
    manager_client, settings, build_register
):
    settings.REGISTER_EXPORT_SYNC_ROWS = 3
    build_register(3)

    response = manager_client.get(reverse("exports:register_csv"))

    assert response.status_code == 200 and response.streaming
    assert not ExportJob.objects.exists()


def test_the_worker_writes_the_filtered_register_and_serves_it_with_its_hash(
    manager_client, clinic, manager, settings, immediate_tasks, build_register
):
    settings.REGISTER_EXPORT_SYNC_ROWS = 1
    build_register(6)

    response = manager_client.get(
        reverse("exports:register_csv"), {"status": "finalised"}, follow=True
    )

    job = ExportJob.objects.get()
    assert response.redirect_chain[-1][0] == job.get_absolute_url()
    assert job.status == ExportJob.Status.DONE and job.filters["status"] == "finalised"
    assert (job.progress_done, job.progress_total) == (2, 2)
    page = response.content.decode()
    assert "2 of 2 rows" in page and "Download CSV" in page
    download = manager_client.get(reverse("exports:job_download", args=[job.pk]))
    data = body(download)
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="exocheck-register-')
    assert data == export_register(
        clinic=clinic, by=manager, filters={"status": "finalised"}, file_format="csv"
    )
    assert hashlib.sha256(data).hexdigest() == job.sha256
    assert job.result_file.name.endswith(".csv")
