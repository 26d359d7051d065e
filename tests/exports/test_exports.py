"""Practice managers export the assessment register (CSV, XLSX) and signed reports (ZIP);
more than 20 reports are zipped in the background by the task worker."""

import csv
import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Assessment
from exports.archive import SYNC_LIMIT
from exports.models import ExportJob
from exports.register import HEADERS
from tests.reporting import make_assessment, make_finalised

pytestmark = pytest.mark.django_db


@pytest.fixture
def register_data(
    clinic,
    plant_product,
    human_product,
    clinician,
    manager,
    evidence_types,
    other_clinic,
    other_product,
    other_clinician,
):
    signed = make_finalised(
        clinic=clinic, product=plant_product, user=clinician, manager=manager, batch_lot="SIGNED-1"
    )
    submitted = make_assessment(
        clinic=clinic,
        product=human_product,
        user=clinician,
        batch_lot="SUBMITTED-1",
        source="human-msc-adipose",
        cell_status="post-culture-processed",
        evidence=[],
    )
    draft = make_assessment(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        batch_lot="DRAFT-1",
        status=Assessment.Status.DRAFT,
        evidence=[],
    )
    foreign = make_finalised(
        clinic=other_clinic,
        product=other_product,
        user=other_clinician,
        manager=other_clinician,
        batch_lot="SENTINEL-OTHER-LOT",
        evidence=[],
    )
    return {"signed": signed, "submitted": submitted, "draft": draft, "foreign": foreign}


def body(response) -> bytes:
    """The downloaded file: register downloads are streamed, so read the chunks (once: a
    stream cannot be read twice, so the bytes are kept on the response)."""
    if not hasattr(response, "downloaded"):
        streamed = response.streaming
        response.downloaded = b"".join(response.streaming_content) if streamed else response.content
    return response.downloaded


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(body(response)))
    return workbook.active, [list(row) for row in workbook.active.iter_rows(values_only=True)]


def zip_names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_register_page_lists_this_clinics_assessments(
    manager_client, register_data, django_assert_max_num_queries
):
    # +1: the navbar's counts, one query (notifications/context_processors.py).
    with django_assert_max_num_queries(13):
        response = manager_client.get(reverse("exports:register"))

    page = response.content.decode()
    assert response.status_code == 200
    for key in ("signed", "submitted", "draft"):
        assert register_data[key].document_id in page
    assert "SENTINEL" not in page
    # Only signed reports can be ticked for the ZIP.
    assert page.count('name="ids"') == 1
    assert f'id="select-{register_data["signed"].pk}"' in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "finalised"}, {"signed"}),
        ({"verdict": "not-permitted"}, {"submitted"}),
        ({"status": "draft"}, {"draft"}),
    ],
)
def test_register_filters_by_status_and_verdict(manager_client, register_data, query, expected):
    response = manager_client.get(reverse("exports:register_csv"), query)

    lots = {row[HEADERS.index("Batch / lot")] for row in csv_rows(response)[1:]}
    wanted = {register_data[key].batch_lot for key in expected}
    assert lots == wanted


def test_register_filters_by_supplier(
    manager_client, register_data, clinic, plant_product, clinician, evidence_types
):
    from suppliers.models import Supplier

    elsewhere = Supplier.objects.create(clinic=clinic, legal_name="Elsewhere Ltd")
    plant_product.supplier = elsewhere
    plant_product.save()

    response = manager_client.get(reverse("exports:register_csv"), {"supplier": elsewhere.pk})

    suppliers = {row[HEADERS.index("Supplier")] for row in csv_rows(response)[1:]}
    assert suppliers == {"Elsewhere Ltd"}


def test_register_names_suppliers_as_every_page_does(manager_client, register_data, plant_product):
    supplier = plant_product.supplier
    supplier.trading_name = "Verdant"
    supplier.save()

    page = manager_client.get(reverse("exports:register")).content.decode()
    response = manager_client.get(reverse("exports:register_csv"))

    rows = csv_rows(response)[1:]
    named = {row[HEADERS.index("Batch / lot")]: row[HEADERS.index("Supplier")] for row in rows}
    # Supplier.display_name of the record's names: the signed one as it was signed.
    assert named["SIGNED-1"] == "Verdant Botanics Ltd"
    drafts = {name for lot, name in named.items() if lot != "SIGNED-1"}
    assert "Verdant (Verdant Botanics Ltd)" in drafts
    assert "Verdant (Verdant Botanics Ltd)" in page


def test_register_filters_by_date(manager_client, register_data):
    old = register_data["draft"]
    Assessment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))
    since = (timezone.localdate() - timedelta(days=7)).isoformat()

    response = manager_client.get(reverse("exports:register_csv"), {"date_from": since})

    lots = {row[HEADERS.index("Batch / lot")] for row in csv_rows(response)[1:]}
    assert "DRAFT-1" not in lots and "SIGNED-1" in lots


def test_register_rejects_a_backwards_date_range_and_keeps_the_input(manager_client):
    response = manager_client.get(
        reverse("exports:register"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )

    assert "date_to" in response.context["form"].errors
    page = response.content.decode()
    assert 'value="2026-05-01"' in page and 'value="2026-04-01"' in page


def test_register_rejects_another_clinics_supplier(manager_client, register_data, other_supplier):
    response = manager_client.get(reverse("exports:register"), {"supplier": other_supplier.pk})

    assert "supplier" in response.context["form"].errors


def test_register_csv_has_the_documented_columns(manager_client, register_data):
    response = manager_client.get(reverse("exports:register_csv"))

    rows = csv_rows(response)
    assert response["Content-Disposition"].startswith('attachment; filename="exocheck-register-')
    assert response["Cache-Control"] == "no-store"
    assert rows[0] == HEADERS
    assert HEADERS[:6] == ["Document ID", "Version", "Status", "Verdict", "Supplier", "Product"]
    signed = register_data["signed"]
    row = next(r for r in rows if r[0] == signed.document_id)
    assert row[HEADERS.index("Status")] == "Finalised"
    assert row[HEADERS.index("Report SHA-256")] == signed.report_sha256
    assert row[HEADERS.index("Signed by")] == "Max Manager"
    assert len(rows) == 4  # header + this clinic's three; never the other clinic's
    assert "SENTINEL" not in body(response).decode("utf-8-sig")


def test_register_xlsx_has_the_same_columns_and_rows(manager_client, register_data):
    response = manager_client.get(reverse("exports:register_xlsx"))

    sheet, rows = xlsx_rows(response)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rows[0] == HEADERS
    assert len(rows) == 4
    ids = {row[0] for row in rows[1:]}
    assert ids == {register_data[key].document_id for key in ("signed", "submitted", "draft")}
    finalised_at = rows[1:][[r[0] for r in rows[1:]].index(register_data["signed"].document_id)]
    assert finalised_at[HEADERS.index("Finalised at")] is not None


def test_spreadsheet_formulas_in_user_text_are_neutralised(
    manager_client, clinic, plant_product, clinician, evidence_types
):
    make_assessment(
        clinic=clinic,
        product=plant_product,
        user=clinician,
        batch_lot='=HYPERLINK("http://x")',
        evidence=[],
    )

    csv_response = manager_client.get(reverse("exports:register_csv"))
    xlsx_response = manager_client.get(reverse("exports:register_xlsx"))

    lot = csv_rows(csv_response)[1][HEADERS.index("Batch / lot")]
    assert lot == '\'=HYPERLINK("http://x")'
    sheet, _ = xlsx_rows(xlsx_response)
    cell = sheet.cell(row=2, column=HEADERS.index("Batch / lot") + 1)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_selected_reports_download_as_one_zip_with_one_pdf_each(
    manager_client, finalised_reports, register_data
):
    reports = finalised_reports(3)
    chosen = [reports[0], reports[2]]
    ids = [a.pk for a in chosen] + [register_data["draft"].pk, register_data["foreign"].pk]

    response = manager_client.post(
        reverse("exports:reports_zip"), {"ids": ids, "scope": "selected"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 2
    for assessment in chosen:
        name = next(n for n in pdfs if n.startswith(assessment.document_id))
        assert archive.read(name) == assessment.report_pdf.open("rb").read()
        assert hashlib.sha256(archive.read(name)).hexdigest() == assessment.report_sha256
    sums = archive.read("SHA256SUMS.txt").decode()
    assert all(a.report_sha256 in sums for a in chosen)


def test_zip_needs_at_least_one_signed_report(manager_client, register_data):
    response = manager_client.post(
        reverse("exports:reports_zip"), {"ids": [register_data["draft"].pk]}, follow=True
    )

    assert "Choose at least one signed" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_zip_of_everything_matching_the_filters(manager_client, finalised_reports, register_data):
    reports = finalised_reports(2)

    response = manager_client.post(
        reverse("exports:reports_zip"), {"scope": "filtered", "status": "finalised"}
    )

    pdfs = [n for n in zip_names(response.content) if n.endswith(".pdf")]
    assert len(pdfs) == len(reports) + 1  # plus register_data's signed one


def test_a_mistyped_filter_never_widens_the_zip_to_everything(manager_client, finalised_reports):
    finalised_reports(2)

    response = manager_client.post(
        reverse("exports:reports_zip"),
        {"scope": "filtered", "date_from": "not-a-date"},
        follow=True,
    )

    assert response["Content-Type"].startswith("text/html")
    assert "Choose at least one signed" in response.content.decode()


def test_a_tampered_report_is_left_out_of_the_zip(manager_client, finalised_reports):
    good, bad = finalised_reports(2)
    with open(bad.report_pdf.path, "ab") as stored:
        stored.write(b"tampered")

    response = manager_client.post(reverse("exports:reports_zip"), {"ids": [good.pk, bad.pk]})

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert [n for n in archive.namelist() if n.endswith(".pdf")] == [
        n for n in archive.namelist() if n.startswith(good.document_id)
    ]
    assert bad.document_id in archive.read("NOT-INCLUDED.txt").decode()


def test_more_than_twenty_reports_are_zipped_in_the_background(
    manager_client, finalised_reports, immediate_tasks
):
    reports = finalised_reports(SYNC_LIMIT + 1)

    response = manager_client.post(
        reverse("exports:reports_zip"), {"ids": [a.pk for a in reports]}, follow=True
    )

    job = ExportJob.objects.get()
    assert response.redirect_chain[-1][0] == job.get_absolute_url()
    assert job.status == ExportJob.Status.DONE
    assert (job.progress_done, job.progress_total) == (21, 21)
    page = response.content.decode()
    assert reverse("exports:job_download", args=[job.pk]) in page
    assert "hx-trigger" not in page  # finished: polling stops
    download = manager_client.get(reverse("exports:job_download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "no-store"
    assert hashlib.sha256(data).hexdigest() == job.sha256
    assert len([n for n in zip_names(data) if n.endswith(".pdf")]) == 21


def test_a_queued_job_page_polls_for_progress_every_two_seconds(manager_client, manager, clinic):
    job = ExportJob.objects.create(
        clinic=clinic, requested_by=manager, selected_ids=[1, 2], progress_total=2
    )

    page = manager_client.get(job.get_absolute_url()).content.decode()
    fragment = manager_client.get(reverse("exports:job_progress", args=[job.pk])).content.decode()

    for html in (page, fragment):
        assert 'hx-trigger="every 2s"' in html
        assert reverse("exports:job_progress", args=[job.pk]) in html
        assert "<progress" in html
    assert 'aria-live="polite"' in page
    assert manager_client.get(reverse("exports:job_download", args=[job.pk])).status_code == 404


def test_large_export_uses_the_database_task_queue_when_configured(
    manager_client, finalised_reports
):
    from django_tasks_db.models import DBTaskResult

    reports = finalised_reports(SYNC_LIMIT + 1)

    manager_client.post(reverse("exports:reports_zip"), {"ids": [a.pk for a in reports]})

    job = ExportJob.objects.get()
    task = DBTaskResult.objects.get(id=job.task_id)
    assert task.task_path == "exports.tasks.build_reports_zip"
    assert job.status == ExportJob.Status.QUEUED


def test_another_clinics_export_job_is_404(manager_client, other_clinic, other_clinician):
    job = ExportJob.objects.create(clinic=other_clinic, requested_by=other_clinician)

    for name in ("job", "job_progress", "job_download"):
        assert manager_client.get(reverse(f"exports:{name}", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    "name, method",
    [
        ("register", "get"),
        ("register_csv", "get"),
        ("register_xlsx", "get"),
        ("reports_zip", "post"),
    ],
)
def test_clinicians_cannot_export(clinician_client, name, method):
    response = getattr(clinician_client, method)(reverse(f"exports:{name}"))

    assert response.status_code == 403


def test_zip_download_is_post_only(manager_client):
    assert manager_client.get(reverse("exports:reports_zip")).status_code == 405


def test_exports_nav_item_is_shown_to_managers_only(manager_client, clinician_client):
    url = reverse("exports:register")

    assert url in manager_client.get(reverse("dashboard")).content.decode()
    assert url not in clinician_client.get(reverse("dashboard")).content.decode()


def test_a_background_export_keeps_the_filters_it_was_made_from(manager_client, clinic, settings):
    from exports.models import ExportJob
    from exports.views import SYNC_LIMIT

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from tests.factories import ProductFactory, UserFactory
    from tests.reporting import make_finalised

    product = ProductFactory(clinic=clinic)
    user = UserFactory()
    for _ in range(SYNC_LIMIT + 1):
        make_finalised(clinic=clinic, product=product, user=user, manager=user)

    manager_client.post(
        reverse("exports:reports_zip"), {"scope": "filtered", "status": "finalised"}
    )

    job = ExportJob.objects.get()
    assert job.filters["status"] == "finalised"
    assert len(job.selected_ids) == SYNC_LIMIT + 1
