"""exports/services.py: the role check, the clinic boundary and the job, below the views."""

import io
import zipfile

import pytest

from clinics.errors import NotAllowed
from exports.archive import SYNC_LIMIT
from exports.errors import ExportCorrupt, ExportNotReady, NothingToExport
from exports.models import ExportJob
from exports.services import export_register, open_export_result, start_reports_export
from tests.reporting import make_finalised

pytestmark = pytest.mark.django_db


def pdf_names(data: bytes) -> list[str]:
    return [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith(".pdf")]


@pytest.mark.parametrize("role", ["clinician", "clinic_admin", "other_manager"])
def test_only_a_practice_manager_of_the_clinic_may_export(request, role, clinic, finalised_reports):
    (report,) = finalised_reports(1)
    user = request.getfixturevalue(role)

    with pytest.raises(NotAllowed, match="Only a practice manager"):
        start_reports_export(clinic=clinic, by=user, ids=[report.pk])
    with pytest.raises(NotAllowed):
        export_register(clinic=clinic, by=user, filters={}, file_format="csv")
    assert not ExportJob.objects.exists()


def test_a_job_is_served_only_to_a_manager_of_its_clinic(clinic, manager, clinician):
    job = ExportJob.objects.create(clinic=clinic, requested_by=manager)

    with pytest.raises(NotAllowed):
        open_export_result(job=job, by=clinician)


def test_up_to_the_sync_limit_the_zip_is_built_at_once(clinic, manager, finalised_reports):
    reports = finalised_reports(2)

    export = start_reports_export(clinic=clinic, by=manager, ids=[r.pk for r in reports])

    names = pdf_names(export.data)
    assert export.job is None and export.count == 2 and len(names) == 2
    for report in reports:
        assert any(name.startswith(report.document_id) for name in names)
    assert not ExportJob.objects.exists()


def test_another_clinics_and_unsigned_ids_are_left_out(
    clinic, manager, finalised_reports, other_clinic, other_product, other_clinician
):
    (mine,) = finalised_reports(1)
    theirs = make_finalised(
        clinic=other_clinic,
        product=other_product,
        user=other_clinician,
        manager=other_clinician,
        evidence=[],
    )

    export = start_reports_export(clinic=clinic, by=manager, ids=[mine.pk, theirs.pk, 10**9])

    assert export.count == 1
    assert [n.startswith(mine.document_id) for n in pdf_names(export.data)] == [True]
    with pytest.raises(NothingToExport, match="Choose at least one signed"):
        start_reports_export(clinic=clinic, by=manager, ids=[theirs.pk])


def test_another_clinics_supplier_in_the_filters_matches_nothing(
    clinic, manager, finalised_reports, other_supplier
):
    finalised_reports(1)

    with pytest.raises(NothingToExport):
        start_reports_export(clinic=clinic, by=manager, filters={"supplier": other_supplier.pk})


def test_above_the_sync_limit_a_job_is_queued_and_run_by_the_task_backend(
    clinic, manager, finalised_reports, immediate_tasks
):
    reports = finalised_reports(SYNC_LIMIT + 1)

    export = start_reports_export(clinic=clinic, by=manager, ids=[r.pk for r in reports])

    job = export.job
    assert export.data is None and export.count == SYNC_LIMIT + 1
    assert job.requested_by == manager and job.clinic == clinic
    assert job.status == ExportJob.Status.DONE and job.task_id
    assert job.filters == {}  # ticked rows: no filters to keep
    assert sorted(job.selected_ids) == sorted(r.pk for r in reports)
    with open_export_result(job=job, by=manager) as stored:
        assert len(pdf_names(stored.read())) == SYNC_LIMIT + 1


def test_a_filtered_job_keeps_the_filters_it_was_made_from(
    clinic, manager, finalised_reports, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    finalised_reports(SYNC_LIMIT + 1)
    filters = {"status": "finalised", "verdict": "", "supplier": None}

    export = start_reports_export(clinic=clinic, by=manager, filters=filters)

    assert export.job.filters == filters
    assert export.job.status == ExportJob.Status.QUEUED


def test_an_unfinished_or_changed_export_is_never_served(
    clinic, manager, finalised_reports, immediate_tasks
):
    queued = ExportJob.objects.create(clinic=clinic, requested_by=manager)
    with pytest.raises(ExportNotReady):
        open_export_result(job=queued, by=manager)

    reports = finalised_reports(SYNC_LIMIT + 1)
    job = start_reports_export(clinic=clinic, by=manager, ids=[r.pk for r in reports]).job
    with open(job.result_file.path, "ab") as stored:
        stored.write(b"tampered")

    with pytest.raises(ExportCorrupt):
        open_export_result(job=job, by=manager)


def test_the_register_is_written_in_the_format_asked_for(clinic, manager, finalised_reports):
    (report,) = finalised_reports(1)

    csv_data = export_register(clinic=clinic, by=manager, filters={}, file_format="csv")
    xlsx_data = export_register(clinic=clinic, by=manager, filters={}, file_format="xlsx")

    assert report.document_id in csv_data.decode("utf-8-sig")
    assert xlsx_data.startswith(b"PK")  # an Office Open XML package
    with pytest.raises(ValueError, match="csv or xlsx"):
        export_register(clinic=clinic, by=manager, filters={}, file_format="pdf")
