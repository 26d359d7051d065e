"""Sign-off renders outside any transaction, then stores in one short one: what changes
meanwhile is refused cleanly, a second signature loses with AssessmentLocked, and no report
file is ever left in storage without the finalised record that points at it."""

import threading
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.urls import reverse

from assessments.errors import AssessmentChanged, AssessmentLocked, NotSubmitted
from assessments.models import Assessment, EvidenceItem
from assessments.services import signoff
from assessments.services.signoff import return_to_clinician
from clinics.models import Role
from tests.factories import enrol_totp, make_user
from tests.reporting import add_evidence, sign, sign_off_data, stub_pdf

pytestmark = pytest.mark.django_db

REAL_RENDER = signoff.render_pdf


def stored_reports() -> set[str]:
    """Every report file in storage (MEDIA_ROOT is a per-test folder, see conftest)."""
    root = Path(settings.MEDIA_ROOT)
    return {path.relative_to(root).as_posix() for path in (root / "reports").rglob("*.pdf")}


def render_after(change):
    """A render that lets `change` happen first, as if someone saved while the PDF rendered."""

    def render(template, context):
        change()
        return stub_pdf("report")

    return render


def assert_nothing_signed(assessment):
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.finalised_at is None and assessment.signed_by is None
    assert not assessment.report_pdf and not assessment.report_sha256
    assert not assessment.history.filter(status="finalised").exists()
    assert stored_reports() == set()


def _new_document(assessment, clinician):
    add_evidence(assessment, clinician, "sterility", lab="Late Lab", lot=assessment.batch_lot)


def _retyped_lab(assessment, clinician):
    # A queryset update: the assessment's updated_at does not move, the document does.
    EvidenceItem.objects.filter(assessment=assessment, provided=True).filter(
        pk=assessment.evidence_items.first().pk
    ).update(lab="Another Lab Ltd")


def _changed_dates(assessment, clinician):
    item = assessment.evidence_items.first()
    EvidenceItem.objects.filter(pk=item.pk).update(expires_on=date(2099, 1, 1))


def _withdrawn_document(assessment, clinician):
    assessment.evidence_items.first().delete()


def _saved_assessment(assessment, clinician):
    fresh = Assessment.objects.get(pk=assessment.pk)
    fresh.claims = "A claim added while the report rendered"
    fresh.save()


CHANGES = {
    "a document uploaded": _new_document,
    "a document's lab retyped": _retyped_lab,
    "a document's expiry changed": _changed_dates,
    "a document withdrawn": _withdrawn_document,
    "the assessment saved": _saved_assessment,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_a_change_during_the_render_is_refused_and_leaves_no_file(
    submitted, manager, clinician, monkeypatch, change
):
    monkeypatch.setattr(signoff, "render_pdf", render_after(lambda: change(submitted, clinician)))

    with pytest.raises(AssessmentChanged, match="changed while the report was being prepared"):
        sign(submitted, manager)

    assert_nothing_signed(submitted)


def test_signing_again_after_a_refused_change_succeeds(submitted, manager, clinician, monkeypatch):
    monkeypatch.setattr(
        signoff, "render_pdf", render_after(lambda: _new_document(submitted, clinician))
    )
    with pytest.raises(AssessmentChanged):
        sign(submitted, manager)
    monkeypatch.setattr(signoff, "render_pdf", REAL_RENDER)

    signed = sign(submitted, manager)

    signed.refresh_from_db()
    assert signed.is_finalised
    # The report and findings describe the documents as they are now: the late upload too.
    assert signed.evidence_items.filter(lab="Late Lab").exists()
    assert stored_reports() == {signed.report_pdf.name}


def test_returned_to_the_clinician_during_the_render_is_not_signed(submitted, manager, monkeypatch):
    history_before = submitted.history.count()

    def returned():
        return_to_clinician(assessment=submitted, by=manager, comment="Wrong lot")

    monkeypatch.setattr(signoff, "render_pdf", render_after(returned))

    with pytest.raises(NotSubmitted):
        sign(submitted, manager)

    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.DRAFT
    assert not submitted.report_pdf
    assert submitted.history.count() == history_before + 1  # the return, not a signature
    assert stored_reports() == set()


def test_signing_twice_in_a_row_the_second_gets_already_signed_and_no_file(submitted, manager):
    first = sign(submitted, manager)

    with pytest.raises(AssessmentLocked, match="finalised"):
        sign(submitted, manager)

    first.refresh_from_db()
    assert first.is_finalised
    assert stored_reports() == {first.report_pdf.name}


def test_signed_by_someone_else_during_the_render_the_second_gets_already_signed(
    submitted, manager, clinic_admin, monkeypatch
):
    """The loser of two overlapping sign-offs: the row is finalised between its render and
    its store. It writes nothing, and only the winner's report is in storage."""
    calls = []

    def render(template, context):
        calls.append(template)
        if len(calls) == 1:
            # The other manager's sign-off runs start to finish while this one renders.
            sign(submitted, manager, signed_name="Other Manager")
        return REAL_RENDER(template, context)

    monkeypatch.setattr(signoff, "render_pdf", render)

    with pytest.raises(AssessmentLocked):
        sign(submitted, manager)

    submitted.refresh_from_db()
    assert submitted.is_finalised and submitted.signed_name == "Other Manager"
    assert submitted.history.filter(status="finalised").count() == 1
    assert stored_reports() == {submitted.report_pdf.name}
    assert submitted.report_pdf.read().startswith(b"%PDF")


@pytest.mark.parametrize("failing", ["full_clean", "save"])
def test_a_failure_after_the_file_is_written_removes_the_file(
    submitted, manager, monkeypatch, failing
):
    monkeypatch.setattr(signoff, "render_pdf", lambda template, context: stub_pdf("report"))

    def broken(self, *args, **kwargs):
        assert stored_reports(), "the report is written before the record is saved"
        raise OperationalError("database is locked")

    monkeypatch.setattr(Assessment, failing, broken)

    with pytest.raises(OperationalError):
        sign(submitted, manager)

    monkeypatch.undo()
    assert_nothing_signed(submitted)


def test_the_sign_off_view_explains_a_change_during_the_render(
    manager, manager_client, submitted, clinician, monkeypatch
):
    monkeypatch.setattr(
        signoff, "render_pdf", render_after(lambda: _new_document(submitted, clinician))
    )

    response = manager_client.post(
        reverse("assessments:sign_off", args=[submitted.pk]),
        sign_off_data(manager, statement=""),
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("assessments:review", args=[submitted.pk]), 302)]
    assert (
        "The assessment changed while the report was being prepared; open it again and sign."
        in response.content.decode()
    )
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED
    assert stored_reports() == set()


# Real transactions (the test's own would hide them); reference data is restored first.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restored_reference_data")
def test_the_render_runs_with_no_transaction_open(submitted, manager, monkeypatch):
    seen = []

    def render(template, context):
        seen.append(connection.in_atomic_block)
        return stub_pdf("report")

    monkeypatch.setattr(signoff, "render_pdf", render)

    signed = sign(submitted, manager)

    assert seen == [False]
    signed.refresh_from_db()
    assert signed.is_finalised


# Real transactions (the test's own would hide them); reference data is restored first.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restored_reference_data")
def test_two_managers_signing_at_the_same_moment_one_wins_and_no_file_is_orphaned(
    submitted, manager, monkeypatch
):
    """Two threads (two database connections) render at the same time and then race for
    the row: exactly one finalises, the other gets AssessmentLocked."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads share one in-memory SQLite database; the HTTP test covers SQLite")
    both_rendered = threading.Barrier(2, timeout=30)

    def render(template, context):
        both_rendered.wait()
        return stub_pdf("report")

    monkeypatch.setattr(signoff, "render_pdf", render)
    outcomes = []
    # Two managers, each with their own authenticator app: one code cannot sign twice.
    colleague = make_user("secondmanager", submitted.clinic, Role.PRACTICE_MANAGER)
    enrol_totp(colleague)
    signers = {"First": manager, "Second": colleague}

    def attempt(name):
        try:
            sign(Assessment.objects.get(pk=submitted.pk), signers[name], signed_name=name)
            outcomes.append(("signed", name))
        except AssessmentLocked:
            outcomes.append(("locked", name))
        except Exception as error:  # pragma: no cover - reported by the assertion below
            outcomes.append(("error", repr(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(name,)) for name in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(kind for kind, _ in outcomes) == ["locked", "signed"], outcomes
    [winner] = [name for kind, name in outcomes if kind == "signed"]
    submitted.refresh_from_db()
    assert submitted.is_finalised and submitted.signed_name == winner
    assert stored_reports() == {submitted.report_pdf.name}
    with transaction.atomic():
        assert submitted.history.filter(status="finalised").count() == 1
